from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "binakarya.ledger"
    label = "ledger"
