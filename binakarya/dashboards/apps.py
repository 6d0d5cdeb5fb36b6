from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "binakarya.dashboards"
    label = "dashboards"
