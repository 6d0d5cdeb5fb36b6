from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "binakarya.core"
    label = "core"
