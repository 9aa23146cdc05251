from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OccupancyConfig(AppConfig):
    name = "platsa.occupancy"
    label = "occupancy"
    verbose_name = _("Occupancy, invoicing and alerts")
