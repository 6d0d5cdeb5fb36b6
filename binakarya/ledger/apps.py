from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "binakarya.ledger"
    label = "ledger"

    def ready(self) -> None:
        from binakarya.ledger import receivers  # noqa: F401, PLC0415 (connects the catalog's signal)
