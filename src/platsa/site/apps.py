from django.apps import AppConfig


class SiteConfig(AppConfig):
    """What stands on every app: the start pages, the case files, the demo, ``platsa calc``."""

    name = "platsa.site"
    label = "site"
    verbose_name = "platsa"
