from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "platsa.placements"
    label = "placements"
    verbose_name = _("Participants and placements")

    def ready(self) -> None:
        from platsa.common.labels import register_choices
        from platsa.placements.models import Destination, Gender

        register_choices("destination", Destination)
        register_choices("gender", Gender)

        from django.db.models.signals import post_migrate

        from platsa.placements import db_guards

        post_migrate.connect(db_guards.install, sender=self, dispatch_uid="platsa_access_guard")
