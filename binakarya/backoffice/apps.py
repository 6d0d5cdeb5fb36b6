from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "binakarya.backoffice"
    label = "backoffice"
