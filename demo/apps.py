from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run`. It sits above every other app, like kokemuspankki/urls.py."""

    name = "demo"
    verbose_name = "Demo data"
