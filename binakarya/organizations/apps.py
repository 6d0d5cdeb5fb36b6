from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "binakarya.organizations"
    label = "organizations"
