from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "binakarya.accounts"
    label = "accounts"
