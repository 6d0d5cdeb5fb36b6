from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data from the field reports (``manage.py load_demo``).

    Not a domain app: it calls the services of every domain app, as an interface does, so no domain
    app depends on it.
    """

    name = "binakarya.demo"
    label = "demo"
