from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from platsa.common.admin_scoping import MunicipalityScopedAdmin
from platsa.placements.access import access_note
from platsa.placements.models import CohortOutcome, Participant, Placement


@admin.register(Participant)
class ParticipantAdmin(MunicipalityScopedAdmin):
    app_does_it = True  # intake in the app: the referral queue
    list_display = ["code", "birth_year", "gender", "synthetic"]
    search_fields = ["code"]
    filter_horizontal = ["interests"]

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        participant = super().get_object(request, object_id, from_field)
        if participant is not None:
            access_note([participant])
        return participant


@admin.register(Placement)
class PlacementAdmin(MunicipalityScopedAdmin):
    municipality_path = "participant__municipality"
    app_does_it = True  # placing, moving and closing in the app, with their checks
    list_display = [
        "participant",
        "organisation",
        "start_date",
        "planned_end",
        "actual_end",
        "destination",
    ]
    list_filter = ["destination"]
    search_fields = ["participant__code"]

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        placement: Model | None = super().get_object(request, object_id, from_field)
        if placement is not None:
            access_note([placement.participant])  # type: ignore[attr-defined]
        return placement


@admin.register(CohortOutcome)
class CohortOutcomeAdmin(MunicipalityScopedAdmin):
    municipality_path = "procurement__municipality"
    list_display = ["procurement", "destination", "count"]
