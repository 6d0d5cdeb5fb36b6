from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "binakarya.catalog"
    label = "catalog"
