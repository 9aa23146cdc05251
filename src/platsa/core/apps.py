from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "platsa.core"
    label = "core"
    verbose_name = "platsa"
