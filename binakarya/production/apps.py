from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "binakarya.production"
    label = "production"
