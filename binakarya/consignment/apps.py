from django.apps import AppConfig


class ConsignmentConfig(AppConfig):
    name = "binakarya.consignment"
    label = "consignment"
