"""Shared fixtures: the Östersund case with one user per role, and users who must be refused.

``alice``-style naming (healthchecks): every view test checks a user who may see the thing and a
user who may not: a coach of another municipality, a supervisor of another organisation.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client

from platsa.accounts.models import Municipality, Role, User
from platsa.placements import db_guards
from platsa.placements.models import Participant, Placement
from platsa.procurement.models import Agreement, AgreementPlaces, Organisation
from platsa.site.demo import demo_load
from platsa.site.mfa import SECOND_FACTOR

# A day inside Östersund's agreement year: 7 participants were placed on 2023-05-10.
IN_THE_YEAR = dt.datetime(2023, 5, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fast_passwords(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


# django-axes says "Successful login" on every forced login: not news in a test run.
logging.getLogger("axes").setLevel(logging.WARNING)


@pytest.fixture(autouse=True)
def _access_guard(request: pytest.FixtureRequest) -> Iterator[None]:
    """The database's guard on the access log is on in every test that uses the database.

    A transactional test ends with Django emptying every table, which on SQLite deletes the
    access log row by row and the guard would refuse: it is taken off for that flush only, and
    put on again when the next test starts."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = bool(
        (marker is not None and marker.kwargs.get("transaction"))
        or {"transactional_db", "live_server"} & names
    )
    if marker is None and "db" not in names and not transactional:
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    db_guards.install()
    yield
    if transactional:
        db_guards.uninstall()


@dataclass
class World:
    ostersund: Municipality
    coach: User
    manager: User
    analyst: User
    admin: User
    reviewer: User  # the log reviewer
    supervisor_rk: User  # Röda Korset
    supervisor_hf: User  # Hej Främling
    elsewhere: Municipality
    elsewhere_coach: User
    elsewhere_admin: User
    elsewhere_placement: Placement
    elsewhere_organisation: Organisation

    def org(self, name: str) -> Organisation:
        return Organisation.objects.get(municipality=self.ostersund, name=name)

    def placement(self, code: str) -> Placement:
        return Placement.objects.get(
            participant__municipality=self.ostersund, participant__code=code
        )


def _user(
    username: str, municipality: Municipality, role: Role, organisation: Organisation | None = None
) -> User:
    user = User(
        username=username,
        municipality=municipality,
        role=role,
        organisation=organisation,
        is_staff=role == Role.ADMIN,
    )
    user.set_password("pw")
    user.full_clean(exclude=["password"])
    user.save()
    return user


@pytest.fixture
def world(db: None) -> World:
    report, _accounts, _living = demo_load()  # the case only: the report's known answers
    ostersund = report.municipality
    by_name = {u.username: u for u in User.objects.filter(municipality=ostersund)}
    elsewhere = Municipality.objects.create(code="2260", name="Ånge")
    org = Organisation.objects.create(
        municipality=elsewhere, name="Annan förening", legal_form="non_profit"
    )
    agreement = Agreement.objects.create(
        organisation=org,
        start_date=dt.date(2023, 1, 1),
        end_date=dt.date(2023, 12, 31),
        price_sek=5000,
    )
    AgreementPlaces.objects.create(agreement=agreement, valid_from=dt.date(2023, 1, 1), places=2)
    participant = Participant.objects.create(municipality=elsewhere, code="ANG-01")
    placement = Placement.objects.create(
        participant=participant,
        organisation=org,
        agreement=agreement,
        start_date=dt.date(2023, 3, 1),
    )
    return World(
        ostersund=ostersund,
        coach=by_name["coach"],
        manager=by_name["manager"],
        analyst=by_name["analyst"],
        admin=by_name["admin"],
        reviewer=by_name["reviewer"],
        supervisor_rk=by_name["handledare-roda-korset"],
        supervisor_hf=by_name["handledare-hej-framling"],
        elsewhere=elsewhere,
        elsewhere_coach=_user("ange-coach", elsewhere, Role.COACH),
        elsewhere_admin=_user("ange-admin", elsewhere, Role.ADMIN),
        elsewhere_placement=placement,
        elsewhere_organisation=org,
    )


def client_for(user: User) -> Client:
    """A client signed in as ``user`` whose session has passed its second factor (the login
    itself, with the factor, is tested in tests/web/test_second_factor.py)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[SECOND_FACTOR] = True
    session.save()
    return client


def pytest_report_header() -> str:
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"platsa database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}"
