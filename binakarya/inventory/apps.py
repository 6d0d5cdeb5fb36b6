from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "binakarya.inventory"
    label = "inventory"
