from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "binakarya.programs"
    label = "programs"
