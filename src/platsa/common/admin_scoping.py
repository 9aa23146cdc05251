"""Django admin for a municipality's administrators, scoped to their own municipality.

A superuser (the platform operator) sees everything. A user with the admin role sees and edits
only rows of their own municipality, and foreign-key choices are narrowed the same way.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from platsa.accounts.models import Role


def is_municipal_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and getattr(user, "role", "") == Role.ADMIN)


class MunicipalityScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Set ``municipality_path`` to the lookup from the model to its municipality.

    ``app_does_it``: the app's own pages do this work (with their checks); a municipal
    administrator may look here but not write.
    """

    municipality_path: str = "municipality"
    app_does_it: bool = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        if is_municipal_admin(request):
            return qs.filter(**{self.municipality_path: request.user.municipality_id})  # type: ignore[union-attr]
        return qs.none()

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            field.queryset = scope_queryset(field.queryset, request)
        return field

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            field.queryset = scope_queryset(field.queryset, request)
        return field

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or is_municipal_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self.has_module_permission(request)

    def _may_write(self, request: HttpRequest) -> bool:
        if self.app_does_it and not request.user.is_superuser:
            return False
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may_write(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may_write(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may_write(request)


class ScopedInline(admin.TabularInline):  # type: ignore[type-arg]
    """An inline whose foreign-key choices are narrowed to the admin's municipality.

    Its permissions follow the parent's: a municipal administrator has no Django model
    permissions, and without these the inlines (places, supervisors) silently never rendered.
    """

    extra = 0

    def _allowed(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser or is_municipal_admin(request))

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._allowed(request)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            field.queryset = scope_queryset(field.queryset, request)
        return field


# How each model reaches its municipality, for narrowing foreign-key choices.
MUNICIPALITY_PATHS: dict[str, str | None] = {
    "accounts.municipality": "pk",
    "accounts.user": "municipality",
    "procurement.organisation": "municipality",
    "procurement.procurement": "municipality",
    "procurement.agreement": "organisation__municipality",
    "procurement.place": "agreement__organisation__municipality",
    "procurement.worktype": None,  # shared vocabulary
    "placements.participant": "municipality",
    "placements.placement": "participant__municipality",
    "impact.goal": "municipality",
}


def scope_queryset(qs: QuerySet[Any], request: HttpRequest) -> QuerySet[Any]:
    path = MUNICIPALITY_PATHS.get(qs.model._meta.label_lower, "missing")
    if path is None:
        return qs
    if path == "missing" or not is_municipal_admin(request):
        return qs.none()
    return qs.filter(**{path: request.user.municipality_id})  # type: ignore[union-attr]
