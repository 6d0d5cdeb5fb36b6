from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "binakarya.api"
    label = "api"
