from __future__ import annotations

from django.contrib import admin

from platsa.common.admin_scoping import MunicipalityScopedAdmin
from platsa.placements.models import CohortOutcome, Participant, Placement


@admin.register(Participant)
class ParticipantAdmin(MunicipalityScopedAdmin):
    app_does_it = True  # intake in the app: the referral queue
    list_display = ["code", "birth_year", "gender", "synthetic"]
    search_fields = ["code"]
    filter_horizontal = ["interests"]


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


@admin.register(CohortOutcome)
class CohortOutcomeAdmin(MunicipalityScopedAdmin):
    municipality_path = "procurement__municipality"
    list_display = ["procurement", "destination", "count"]
