from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "binakarya.exports"
    label = "exports"
