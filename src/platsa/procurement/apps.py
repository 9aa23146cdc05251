from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "platsa.procurement"
    label = "procurement"
    verbose_name = _("Procurement and agreements")

    def ready(self) -> None:
        from platsa.common.labels import register_choices
        from platsa.procurement.models import PaymentModel

        register_choices("payment_model", PaymentModel)
