from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "binakarya.accounts"
    label = "accounts"

    def ready(self) -> None:
        from binakarya.accounts import signals  # noqa: F401  (connects the receivers)
