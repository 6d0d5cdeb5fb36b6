from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "binakarya.sales"
    label = "sales"
