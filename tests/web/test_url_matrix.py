"""Every URL pattern, as every role, with objects of two municipalities: the full allow/refuse
matrix, generated from the URL resolver so that a new view cannot be forgotten.

- ``ALLOWED`` names, for each URL, the roles that may open it with an object of their own
  municipality (and, for the supervisor, of their own organisation). A URL the resolver knows
  and the table does not fails the test: whoever adds a view decides who may open it.
- Every role is refused every object of the other municipality (404, or 403 for a role that
  may not open that kind of page at all), and nothing of it appears in what is returned.
- Every allowed request to a page that shows one participant's data writes an access-log row
  for that participant; a refused one writes none.

Pages that only accept POST are sent an empty POST: an allowed role gets the form's refusal
(400, or a redirect with the errors named), never a server error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from platsa.accounts.models import Region, RegionShare, Role, User
from platsa.impact.models import ParameterValue, ReportJob, Scenario
from platsa.placements.models import ExitCheck, Participant, ParticipantAccess, Placement, Referral
from platsa.procurement.models import (
    Agreement,
    EvaluationCriterion,
    Place,
    Procurement,
    ProcurementEvaluator,
    Tender,
    TenderScore,
)
from platsa.transfer.models import ImportRecord
from platsa.transfer.tokens import token_create
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db

C, S, M, AN, AD, R = "coach", "supervisor", "manager", "analyst", "admin", "reviewer"
RG = "region"  # the regional analyst: a region's, not a municipality's
ALL = {C, S, M, AN, AD, R, RG}
STAFF = {C, S, M, AN, AD}

#: Who may open each page with an object of their own municipality.
ALLOWED: dict[str, set[str]] = {
    # Account pages: everyone signed in.
    "home": ALL,
    "login": ALL,
    "logout": ALL,
    "password_change": ALL,
    "password_change_done": ALL,
    "guidance": ALL - {RG},  # the municipality's own words
    "guidance_edit": {AD},
    # The regional view: the regional analyst's only page; sharing with it, the administrator's.
    "regional": {RG},
    "region_sharing": {AD},
    "region_sharing_withdraw": {AD},
    # What the municipality has bought.
    "organisation_list": STAFF,
    "organisation_detail": STAFF,
    "organisation_new": {M, AD},
    "organisation_edit": {M, AD},
    "agreement_list": {C, S, M, AD},
    "agreement_detail": {C, S, M, AD},
    "agreement_new": {M, AD},
    "agreement_edit": {M, AD},
    "agreement_places": {M, AD},
    "agreement_supervisor": {M, AD},
    "agreement_notice": {M, AD},
    "agreement_renewal": {M, AD},
    # Tender rounds: the unit's manager runs them; a named evaluator (the matrix names the
    # analyst) opens the procurement and its tenders and scores; the coach, who may evaluate but
    # is not named, is refused them.
    "procurement_list": {C, M, AN, AD},
    "procurement_new": {M, AD},
    "procurement_edit": {M, AD},
    "procurement_detail": {M, AN, AD},
    "procurement_evaluator_add": {M, AD},
    "procurement_evaluator_remove": {M, AD},
    "procurement_declare": {AN},
    "procurement_award": {M, AD},
    "tender_new": {M, AD},
    "tender_edit": {M, AD},
    "tender_detail": {M, AN, AD},
    "place_edit": {M, AD},
    # The daily cycle.
    "referral_queue": {C, AD},
    "referral_withdraw": {C, AD},
    "participant_new": {C, AD},
    "referral_new": {C, AD},
    "placement_new": {C, AD},
    "placement_move": {C, AD},
    "placement_pause": {C, AD},
    "placement_list": {C, S, M, AD},
    "placement_detail": {C, S, M, AD},
    "attendance_week": {C, S, AD},
    "team_week": {C, S, AD},
    # Two-sided attendance: the participant's week on a staff phone; the public code page (it
    # asks for a code, shows nothing without one); the month's differences.
    "week_confirm": {C, S, AD},
    "confirm_with_code": ALL,
    "attendance_differences": {C, S, M, AD},
    "placement_close": {C, AD},
    "meeting_new": {C, AD},
    "exit_check": {C, AD},
    "participant_timeline": {C, AD},
    "participant_profile": {C, AD},
    "place_finder": {C, AD},
    "plan_edit": {C, AD},  # the supervisor reads the plan on the placement's page
    "assessment_new": {C, S, AD},
    "indicators": {C, M, AN, AD},
    # Places, money and value.
    "occupancy_overview": STAFF,
    "invoicing": {S, M, AD},
    "need": {M, AD},  # how many places to buy: the buyers
    "invoicing_csv": {S, M, AD},
    "invoicing_xlsx": {S, M, AD},
    "goals": {C, M, AN, AD},
    "value": {C, M, AN, AD},
    "organisation_profiles": {C, M, AN, AD},
    "report": {C, M, AN, AD},
    "alternatives": {C, M, AN, AD},
    "full_costs": {C, M, AN, AD},
    # What the figures are computed with: every aggregate role sees it; the manager and the
    # administrator enter and remove the municipality's own values.
    "municipal_parameters": {C, M, AN, AD},
    "municipal_parameter_remove": {M, AD},
    "scenarios": {C, M, AN, AD},
    "scenario_detail": {C, M, AN, AD},
    # A board report made in the background: only for the one who asked (the matrix's is the
    # manager's), in their municipality.
    "report_job": {M},
    "report_job_status": {M},
    "report_job_file": {M},
    # The access log.
    "access_log": {AD, R},
    "access_log_csv": {AD, R},
    "access_review": {AD, R},
    # Imports: each role the kinds its work covers (a supervisor attendance, a manager
    # agreements); a previewed or finished import is seen by the roles that may import its kind
    # (the matrix's import is a placement list, made by the coach).
    "import_list": {C, S, M, AD},
    "import_template": {C, AD},  # the placement list's template
    "import_detail": {C, AD},
    "import_commit": {C, AD},
    "import_status": {C, AD},
    "import_discard": {C, AD},
    "import_undo": {C, AD},
    # The year's figures (aggregates) and the participation extract (person by person).
    "exports": {C, M, AN, AD},
    # API keys: each user their own (the matrix's key is the coach's); not the log reviewer.
    "api_tokens": STAFF,
    "api_token_revoke": {C},
    # Only for a coach opening another coach's participant; the matrix's participant is the
    # whole team's, so it is a 404 to everyone here (tests/web/test_access_log.py walks it).
    "access_reason": set(),
}

#: django-allauth's pages: each user's own login (also through the municipality's identity
#: provider), second factor and password, open to everyone
#: signed in and about nobody else. Checked for no server error as every role.
ACCOUNT_PAGES = {
    "account_change_password",
    "account_confirm_email",
    "account_confirm_login_code",
    "account_confirm_reauthentication_code",
    "account_email",
    "account_email_verification_sent",
    "account_inactive",
    "account_login",
    "account_logout",
    "account_reauthenticate",
    "account_request_reauthentication_code",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_set_password",
    "account_signup",
    "mfa_activate_totp",
    "mfa_add_webauthn",
    "mfa_authenticate",
    "mfa_deactivate_totp",
    "mfa_download_recovery_codes",
    "mfa_edit_webauthn",
    "mfa_generate_recovery_codes",
    "mfa_index",
    "mfa_list_webauthn",
    "mfa_reauthenticate",
    "mfa_reauthenticate_webauthn",
    "mfa_remove_webauthn",
    "mfa_view_recovery_codes",
    "openid_connect_callback",
    "openid_connect_login",
    "saml_acs",
    "saml_finish_acs",
    "saml_login",
    "saml_metadata",
    "saml_sls",
    "socialaccount_connections",
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
    "socialaccount_signup",
}

#: Pages that show one participant's data: an allowed request writes an access-log row.
INDIVIDUAL = {
    "referral_withdraw",
    "referral_new",
    "placement_new",
    "placement_move",
    "placement_pause",
    "placement_detail",
    "attendance_week",
    "week_confirm",
    "placement_close",
    "meeting_new",
    "exit_check",
    "participant_timeline",
    "participant_profile",
    "place_finder",
    "plan_edit",
    "assessment_new",
}

#: URLs whose parameter is not an object of a municipality (a kind of file): the same for all.
NOT_OBJECTS = {"import_template"}

#: Query strings that make a page show its data (rather than a choice of what to show).
QUERY = {
    "team_week": lambda o: {"organisation": o.organisation_pk},
    "invoicing": lambda o: {"organisation": o.organisation_pk, "month": "2023-05"},
    "invoicing_csv": lambda o: {"organisation": o.organisation_pk, "month": "2023-05"},
    "invoicing_xlsx": lambda o: {"organisation": o.organisation_pk, "month": "2023-05"},
}


def _patterns(
    patterns: list[object], inherited: dict[str, object] | None = None
) -> Iterator[tuple[str, dict[str, object]]]:
    """Each named URL with its parameters (from its own pattern and every include above it)."""
    for p in patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith("admin/"):
                continue  # the Django admin: tests/web/test_admin.py
            if str(p.pattern).startswith("api/"):
                continue  # the API, with keys instead of sessions: tests/api/
            own = {**(inherited or {}), **_parameters(p.pattern)}
            yield from _patterns(p.url_patterns, own)
        elif isinstance(p, URLPattern) and p.name:
            yield p.name, {**(inherited or {}), **_parameters(p.pattern)}


def _parameters(pattern: object) -> dict[str, object]:
    converters: dict[str, object] = dict(getattr(pattern, "converters", {}))
    for group in pattern.regex.groupindex:  # type: ignore[attr-defined]  # re_path patterns
        converters.setdefault(group, None)
    return converters


@dataclass
class Objects:
    """One municipality's objects of each kind that a URL names."""

    organisation_pk: int
    agreement_pk: int
    place_pk: int
    participant_pk: int
    placement_pk: int
    referral_pk: int
    exit_check_pk: int
    scenario_pk: int
    import_pk: int
    token_pk: int
    procurement_pk: int
    evaluator_pk: int
    tender_pk: int
    report_job_pk: int
    share_pk: int
    municipality_pk: int
    code: str

    def args(self, name: str, params: list[str]) -> list[int | str]:
        if not params:
            return []
        if name == "import_template":
            return ["placements"]
        if name.startswith("import_"):
            return [self.import_pk]
        if name == "api_token_revoke":
            return [self.token_pk]
        if name == "placement_new":
            return [self.participant_pk, self.place_pk]
        if name == "region_sharing_withdraw":
            return [self.share_pk]
        if name == "municipal_parameter_remove":  # removed by the first allowed role: again
            value, _new = ParameterValue.objects.get_or_create(
                municipality_id=self.municipality_pk,
                name="social_assistance_per_month",
                effective_from=dt.date(2024, 1, 1),
                defaults={"value": 9500, "reference": "Matrisens källa"},
            )
            return [value.pk]
        if name.startswith("report_job"):
            return [self.report_job_pk]
        if name == "procurement_evaluator_remove":
            return [self.procurement_pk, self.evaluator_pk]
        if name.startswith("procurement_") or name == "tender_new":
            return [self.procurement_pk]
        if name.startswith("tender_"):
            return [self.tender_pk]
        by_name: dict[str, Callable[[], int]] = {
            "organisation_edit": lambda: self.organisation_pk,
            "organisation_detail": lambda: self.organisation_pk,
            "place_edit": lambda: self.place_pk,
            "referral_withdraw": lambda: self.referral_pk,
            "exit_check": lambda: self.exit_check_pk,
            "scenario_detail": lambda: self.scenario_pk,
        }
        if name in by_name:
            return [by_name[name]()]
        if name.startswith("agreement_"):
            return [self.agreement_pk]
        if name.startswith("participant_") or name in ("referral_new", "place_finder"):
            return [self.participant_pk]
        return [self.placement_pk]


def _objects(world: World, municipality_pk: int, organisation_pk: int, code: str) -> Objects:
    """A current placement (so that the organisation's supervisor may open it), a waiting
    referral, an after-exit check, a place and a saved scenario."""
    agreement = Agreement.objects.filter(organisation_id=organisation_pk).first()
    assert agreement is not None
    place = Place.objects.create(agreement=agreement, label=f"Plats {code}")
    participant = Participant.objects.create(municipality_id=municipality_pk, code=code)
    placement = Placement.objects.create(
        participant=participant,
        organisation_id=organisation_pk,
        agreement=agreement,
        start_date=dt.date.today() - dt.timedelta(days=30),
    )
    referral = Referral.objects.create(
        participant=participant, referred_on=dt.date.today(), created_by=world.coach
    )
    check = ExitCheck.objects.create(placement=placement, months_after=3, due_date=dt.date.today())
    template = Scenario.objects.first()
    assert template is not None
    scenario = Scenario.objects.create(
        municipality_id=municipality_pk,
        name=f"Scenario {code}",
        period_start=template.period_start,
        period_end=template.period_end,
        assumptions=template.assumptions,
        recorded=template.recorded,
        results=template.results,
        parameters_digest=template.parameters_digest,
        engine_version=template.engine_version,
        created_by=world.manager,
    )
    record = ImportRecord.objects.create(
        municipality_id=municipality_pk,
        kind="placements",
        file_name="lista.csv",
        digest="0" * 64,
        content=b"Deltagare;Organisation;Start\n",
        created_by=world.coach,
    )
    coach = world.coach if municipality_pk == world.ostersund.pk else world.elsewhere_coach
    token, _secret = token_create(coach, name=f"Nyckel {code}", days=30, today=dt.date.today())
    procurement = Procurement.objects.create(
        municipality_id=municipality_pk,
        title=f"Upphandling {code}",
        kind="direct_award",
        places_to_buy=2,
    )
    criterion = EvaluationCriterion.objects.create(procurement=procurement, position=1, text="K")
    tender = Tender.objects.create(
        procurement=procurement,
        organisation_id=organisation_pk,
        received_on=dt.date.today(),
        places_offered=2,
    )
    # The analyst evaluates here (the other municipality's coach there), has declared and
    # scored, so the evaluator stays when the matrix posts a removal.
    named = world.analyst if municipality_pk == world.ostersund.pk else world.elsewhere_coach
    evaluator = ProcurementEvaluator.objects.create(
        procurement=procurement, user=named, no_conflict_declared_at=dt.datetime.now(dt.UTC)
    )
    TenderScore.objects.create(
        tender=tender, criterion=criterion, evaluator=evaluator, score=4, reason="Motiverat."
    )
    asker = world.manager if municipality_pk == world.ostersund.pk else world.elsewhere_admin
    job = ReportJob.objects.create(
        municipality_id=municipality_pk,
        requested_by=asker,
        period_start=dt.date(2022, 9, 1),
        period_end=dt.date(2023, 8, 31),
        kind="xlsx",
        as_of=dt.date.today(),
        status="done",
        progress=100,
        file_name="rapport.xlsx",
        content=b"PK",
    )
    share = RegionShare.objects.create(
        region=Region.objects.get_or_create(name="Matrisregion")[0],
        municipality_id=municipality_pk,
        decision="Beslut",
        agreed_on=dt.date.today(),
    )
    return Objects(
        organisation_pk,
        agreement.pk,
        place.pk,
        participant.pk,
        placement.pk,
        referral.pk,
        check.pk,
        scenario.pk,
        record.pk,
        token.pk,
        procurement.pk,
        evaluator.pk,
        tender.pk,
        job.pk,
        share.pk,
        municipality_pk,
        code,
    )


def _regional_analyst() -> User:
    user = User(
        username="matris-region", role=Role.REGION, region=Region.objects.get(name="Matrisregion")
    )
    user.full_clean(exclude=["password"])
    user.save()
    return user


def _save_a_scenario(world: World) -> None:
    from tests.web.test_scenarios import _form

    response = client_for(world.manager).post(reverse("scenarios"), _form(name="Mall"))
    assert response.status_code == 302, response.content.decode()[:500]


def _request(client: Client, name: str, args: list[int | str], objects: Objects) -> tuple[str, int]:
    url = reverse(name, args=args)
    query = QUERY[name](objects) if name in QUERY else {}
    response = client.get(url, query)
    if response.status_code == 405:  # a page that only accepts POST
        response = client.post(url, {})
        return "POST", response.status_code
    return "GET", response.status_code


def test_every_url_every_role_both_municipalities(world: World) -> None:
    _save_a_scenario(world)
    ours = _objects(world, world.ostersund.pk, world.org("Röda Korset").pk, "MTX-EGEN")
    theirs = _objects(world, world.elsewhere.pk, world.elsewhere_organisation.pk, "MTX-ANNAN")
    users = {
        C: world.coach,
        S: world.supervisor_rk,
        M: world.manager,
        AN: world.analyst,
        AD: world.admin,
        R: world.reviewer,
        RG: _regional_analyst(),
    }
    assert {u.role for u in users.values()} == set(Role.values)  # a new role joins the matrix
    patterns = dict(_patterns(get_resolver().url_patterns))
    known = set(ALLOWED) | ACCOUNT_PAGES
    assert set(patterns) == known, (
        "URLs the matrix does not know (decide who may open them): "
        f"{sorted(set(patterns) - known)}; "
        f"names no longer in the resolver: {sorted(known - set(patterns))}"
    )
    wrong: list[str] = []
    for name in sorted(ACCOUNT_PAGES):
        converters = patterns[name]
        kwargs = {k: 1 if "Int" in type(c).__name__ else "x" for k, c in converters.items()}
        for role, user in users.items():
            status = client_for(user).get(reverse(name, kwargs=kwargs)).status_code
            if status >= 500:
                wrong.append(f"{name} as {role}: GET gave {status}")
    for name, converters in sorted(patterns.items()):
        if name in ACCOUNT_PAGES:
            continue
        params = list(converters)
        for role, user in users.items():
            client = client_for(user)
            before = ParticipantAccess.objects.count()
            last = ParticipantAccess.objects.order_by("-pk").values_list("pk", flat=True).first()
            method, status = _request(client, name, ours.args(name, params), ours)
            logged = ParticipantAccess.objects.filter(
                pk__gt=last or 0, participant_id=ours.participant_pk, user=user
            ).exists()
            allowed = role in ALLOWED[name]
            if status >= 500:
                wrong.append(f"{name} as {role}: {method} gave {status}")
            elif allowed and status in (403, 404):
                wrong.append(f"{name} as {role}: refused ({status}), should be allowed")
            elif not allowed and status not in (403, 404) and name not in ("login",):
                wrong.append(f"{name} as {role}: {method} gave {status}, should be refused")
            if name in INDIVIDUAL:
                if allowed and not logged:
                    wrong.append(f"{name} as {role}: allowed but wrote no access-log row")
                if not allowed and ParticipantAccess.objects.count() != before:
                    wrong.append(f"{name} as {role}: refused but wrote an access-log row")
            if params and name not in NOT_OBJECTS:
                before = ParticipantAccess.objects.count()
                method, status = _request(client, name, theirs.args(name, params), theirs)
                if status not in (403, 404):
                    wrong.append(
                        f"{name} as {role} with the other municipality's object: "
                        f"{method} gave {status}"
                    )
                if ParticipantAccess.objects.count() != before:
                    wrong.append(f"{name} as {role}: the other municipality's object was logged")
    assert wrong == [], "\n".join(wrong)
