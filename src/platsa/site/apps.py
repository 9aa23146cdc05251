from django.apps import AppConfig


class SiteConfig(AppConfig):
    """What stands on every app: the start pages, the case files, the demo, ``platsa calc``."""

    name = "platsa.site"
    label = "site"
    verbose_name = "platsa"

    def ready(self) -> None:
        from allauth.mfa import signals
        from allauth.mfa.models import Authenticator
        from django.db.models.signals import post_save

        from platsa.site import federation
        from platsa.site.mfa import passed, set_up

        signals.authenticator_used.connect(passed, dispatch_uid="platsa_second_factor_used")
        post_save.connect(set_up, sender=Authenticator, dispatch_uid="platsa_second_factor_set_up")
        federation.connect()
