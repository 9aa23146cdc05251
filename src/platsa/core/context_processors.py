from __future__ import annotations

from django.http import HttpRequest

from platsa.core.permissions import can


def navigation(request: HttpRequest) -> dict[str, object]:
    """What the menu shows: only the sections the user's role may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "organisations": can(user, "view_organisations"),
            "agreements": can(user, "view_agreements"),
            "placements": can(user, "view_placements"),
            "occupancy": can(user, "view_occupancy"),
            "invoicing": can(user, "view_invoicing"),
            "indicators": can(user, "view_aggregates"),
            "admin": user.is_staff,
        }
    }
