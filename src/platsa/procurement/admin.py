from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from platsa.common.admin_scoping import MunicipalityScopedAdmin, ScopedInline
from platsa.common.templatetags.platsa import sek
from platsa.procurement.models import (
    Agreement,
    AgreementPlaces,
    AgreementSupervisor,
    EvaluationCriterion,
    Organisation,
    Place,
    Procurement,
    WorkType,
)


@admin.register(WorkType)
class WorkTypeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "code", "indoor"]


@admin.register(Organisation)
class OrganisationAdmin(MunicipalityScopedAdmin):
    list_display = ["name", "legal_form", "meets_asf", "municipality"]
    filter_horizontal = ["work_types"]


class CriterionInline(ScopedInline):
    model = EvaluationCriterion


@admin.register(Procurement)
class ProcurementAdmin(MunicipalityScopedAdmin):
    list_display = ["title", "kind", "tender_deadline"]
    inlines = [CriterionInline]


class PlacesInline(ScopedInline):
    model = AgreementPlaces


class PlaceInline(ScopedInline):
    model = Place


class SupervisorInline(ScopedInline):
    model = AgreementSupervisor


@admin.register(Agreement)
class AgreementAdmin(MunicipalityScopedAdmin):
    municipality_path = "organisation__municipality"
    list_display = ["organisation", "start_date", "end_date", "payment_model", "price"]

    @admin.display(description=_("price"), ordering="price_sek")
    def price(self, obj: Agreement) -> str:
        return sek(obj.price_sek)

    inlines = [PlacesInline, PlaceInline, SupervisorInline]
