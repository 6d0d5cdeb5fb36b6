from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "binakarya.core"
    label = "core"

    def ready(self) -> None:
        from binakarya.core import checks  # noqa: F401 (registers the media storage check)
