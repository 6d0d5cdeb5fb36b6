from django.apps import AppConfig


class DealsConfig(AppConfig):
    name = "binakarya.deals"
    label = "deals"
