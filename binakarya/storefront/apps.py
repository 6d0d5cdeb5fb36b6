from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "binakarya.storefront"
    label = "storefront"
