from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "binakarya.feeds"
    label = "feeds"

    def ready(self) -> None:
        from binakarya.feeds import receivers  # noqa: F401, PLC0415 (connects the catalog's signal)
