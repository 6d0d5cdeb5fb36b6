from django.apps import AppConfig


class PosConfig(AppConfig):
    name = "binakarya.pos"
    label = "pos"
