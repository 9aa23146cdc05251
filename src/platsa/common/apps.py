from django.apps import AppConfig


class CommonConfig(AppConfig):
    """What every app stands on: permissions, the clock, labels, template helpers, static files.

    It imports no app above the accounts; apps register the labels of their choices here.
    """

    name = "platsa.common"
    label = "common"
    verbose_name = "platsa"
