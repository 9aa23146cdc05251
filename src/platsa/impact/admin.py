from __future__ import annotations

from django.contrib import admin

from platsa.common.admin_scoping import MunicipalityScopedAdmin
from platsa.impact.models import Alternative, Goal


@admin.register(Goal)
class GoalAdmin(MunicipalityScopedAdmin):
    list_display = ["kind", "target", "period_start", "period_end"]


@admin.register(Alternative)
class AlternativeAdmin(MunicipalityScopedAdmin):
    list_display = ["name", "kind", "cost_per_place_month_sek", "source"]
