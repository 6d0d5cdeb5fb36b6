from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "binakarya.feeds"
    label = "feeds"
