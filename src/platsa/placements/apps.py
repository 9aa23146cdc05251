from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "platsa.placements"
    label = "placements"
    verbose_name = _("Participants and placements")
