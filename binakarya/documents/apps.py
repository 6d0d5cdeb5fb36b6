from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "binakarya.documents"
    label = "documents"
