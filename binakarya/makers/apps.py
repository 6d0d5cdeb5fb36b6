from django.apps import AppConfig


class MakersConfig(AppConfig):
    name = "binakarya.makers"
    label = "makers"
