from __future__ import annotations

from django.http import HttpRequest

from platsa.common.permissions import IMPORT_ACTIONS, can

# Pages under "Value" in the main menu, with their own menu on each page (impact/_subnav.html).
VALUE_SECTION = (
    "value",
    "scenarios",
    "scenario_detail",
    "alternatives",
    "full_costs",
    "municipal_parameters",
    "organisation_profiles",
    "goals",
    "report",
)


def _evaluates(user: object) -> bool:
    """Named to evaluate a procurement not yet awarded (the menu shows the way there)."""
    if not can(user, "evaluate_tenders"):  # type: ignore[arg-type]
        return False
    from django.apps import apps

    evaluator = apps.get_model("procurement", "ProcurementEvaluator")
    return bool(evaluator.objects.filter(user=user, procurement__awarded=False).exists())


def navigation(request: HttpRequest) -> dict[str, object]:
    """What the menu shows: only the sections the user's role may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "organisations": can(user, "view_organisations"),
            "agreements": can(user, "view_agreements"),
            "need": can(user, "manage_agreements"),
            "procurements": can(user, "manage_agreements") or _evaluates(user),
            "placements": can(user, "view_placements"),
            "queue": can(user, "intake"),
            "occupancy": can(user, "view_occupancy"),
            "invoicing": can(user, "view_invoicing"),
            "indicators": can(user, "view_aggregates"),
            "access_log": can(user, "review_access"),
            "imports": any(can(user, action) for action in IMPORT_ACTIONS),
            "exports": can(user, "view_aggregates") or can(user, "export_participation"),
            "admin": user.is_staff,
            "api_tokens": can(user, "use_api"),
            "region": getattr(user, "is_regional_analyst", False),
            "sharing": can(user, "share_with_region"),
        },
        "in_value_section": getattr(request.resolver_match, "url_name", None) in VALUE_SECTION,
    }
