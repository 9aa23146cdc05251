"""The Django admin of municipalities and users.

It lives at the top (``site``): it uses the scoping helpers of ``common``, which stand above the
accounts models, so the accounts app itself imports nothing above it.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from platsa.accounts.models import Municipality, Region, RegionShare, User
from platsa.common.admin_scoping import MunicipalityScopedAdmin, is_municipal_admin


@admin.register(Municipality)
class MunicipalityAdmin(MunicipalityScopedAdmin):
    municipality_path = "pk"
    list_display = ["name", "code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Regions are the platform operator's: a municipality only decides whether to share."""

    list_display = ["name"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(RegionShare)
class RegionShareAdmin(MunicipalityScopedAdmin):
    """Who shares with which region; recorded by each municipality's administrator on the
    sharing page, seen here too."""

    municipality_path = "municipality"
    app_does_it = True
    list_display = ["municipality", "region", "decision", "agreed_on", "recorded_by"]
    readonly_fields = ["recorded_by"]


@admin.register(User)
class UserAdmin(MunicipalityScopedAdmin, BaseUserAdmin):
    list_display = ["username", "role", "municipality", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = [
        (None, {"fields": ["username", "password", "second_factor"]}),
        (_("Role"), {"fields": ["municipality", "role", "organisation", "region"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Status"), {"fields": ["is_active", "is_staff", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "username",
                    "password1",
                    "password2",
                    "municipality",
                    "role",
                    "organisation",
                    "region",
                ]
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined", "second_factor"]
    actions = ["reset_second_factor"]

    @admin.display(description=_("Second factor"))
    def second_factor(self, obj: User) -> str:
        kinds = sorted(
            str(Authenticator.Type(t).label)
            for t in Authenticator.objects.filter(user=obj).values_list("type", flat=True)
            if t != Authenticator.Type.RECOVERY_CODES
        )
        return ", ".join(kinds) if kinds else str(_("not set up"))

    @admin.action(description=_("Reset the second factor (a lost phone or key)"))
    def reset_second_factor(self, request: HttpRequest, queryset: Any) -> None:
        """The user sets up a new one at the next login; their sessions end now."""
        users = list(queryset)  # already scoped to the administrator's municipality
        removed, _per_model = Authenticator.objects.filter(user__in=users).delete()
        ended = 0
        for session in Session.objects.filter(expire_date__gte=timezone.now()):
            if session.get_decoded().get("_auth_user_id") in {str(u.pk) for u in users}:
                session.delete()
                ended += 1
        self.message_user(
            request,
            _("The second factor is reset for %(n)s users; %(s)s sessions ended.")
            % {"n": len(users), "s": ended},
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if is_municipal_admin(request) and not request.user.is_superuser:
            fields += ["municipality", "region"]  # regional analysts are the operator's
        return fields

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if request.user.is_superuser:
            return form_class
        municipality_id = request.user.municipality_id  # type: ignore[union-attr]

        class ScopedForm(form_class):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                # The municipality is fixed for a municipal administrator: set it before the
                # model's validation runs, so a user is never created outside it.
                self.instance.municipality_id = municipality_id

        return ScopedForm

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not request.user.is_superuser:
            obj.municipality_id = request.user.municipality_id  # type: ignore[union-attr]
            obj.is_superuser = False
        obj.is_staff = obj.role == "admin" or obj.is_superuser
        obj.full_clean(exclude=["password"])
        super().save_model(request, obj, form, change)
