"""Random and boundary values into every form and query parameter of every page, as every role
that may open it: no server error, no partial write, no runaway request.

The forms are found the way a person finds them: each page the matrix allows (tests/web/
test_url_matrix.py) is opened as each allowed role, and every ``<form>`` on it is read (its
method, action and fields, with the options of its selects and radios). Then:

- a sweep posts each form once per kind of hostile value (empty, far too long, formula-like,
  markup, a null character, impossible dates and numbers, ids that do not exist) in every field;
- hypothesis draws further examples: a form, and for each field a hostile value, a plausible
  one of its type or one of its own options.

A refused submission (anything but a redirect) must leave every table as it was, except the
access log, sessions and login attempts, which a read writes. No request may take more than
``RUNAWAY_SECONDS``: a guard against pages that grow without bound on what they are given (a
period of 2,000 years once ran for five minutes), not a measure of speed (see benchmarks/).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from platsa.accounts.models import User
from tests.conftest import World, client_for
from tests.web.test_url_matrix import (
    ALLOWED,
    QUERY,
    Objects,
    _objects,
    _patterns,
    _regional_analyst,
    _save_a_scenario,
)

pytestmark = pytest.mark.django_db

RUNAWAY_SECONDS = 20
#: Written by reads and logins, not by the form being refused.
BOOKKEEPING = {
    "placements_participantaccess",
    "django_session",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
}
#: Forms that are not about platsa's data: logging in and out, the second factor.
SKIP_ACTIONS = ("/logga-ut/", "/logga-in/", "/konto/")

HOSTILE: dict[str, str] = {
    "empty": "",
    "blank": "   ",
    "long": "x" * 5000,
    "formula": '=HYPERLINK("http://example.org","x")',
    "markup": "<script>alert(1)</script>",
    "null": "a\x00b",
    "negative": "-1",
    "huge": "99999999999999999999",
    "float": "1e309",
    "nan": "NaN",
    "date_low": "0001-01-01",
    "date_high": "9999-12-31",
    "date_bad": "2023-02-30",
    "month_bad": "2023-13",
    "week_high": "9999-W53",
    "unicode": "Åsa-Östen 🙂" * 20,
}


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> its options, if any
    kinds: dict[str, str] = field(default_factory=dict)  # name -> input type


class _Forms(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                Form(a.get("method", "get").lower(), a.get("action") or self.page_url)
            )
        elif not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name", "")
        if tag in ("input", "textarea", "select") and name and name != "csrfmiddlewaretoken":
            form.fields.setdefault(name, [])
            form.kinds[name] = a.get("type", tag)
            if a.get("type") in ("radio", "checkbox", "hidden") and a.get("value"):
                form.fields[name].append(a["value"])
            if tag == "select":
                self._select = name
        elif tag == "option" and self._select is not None:
            form.fields[self._select].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            if table in BOOKKEEPING or not model._meta.managed:
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _users(world: World) -> dict[str, object]:
    return {
        "coach": world.coach,
        "supervisor": world.supervisor_rk,
        "manager": world.manager,
        "analyst": world.analyst,
        "admin": world.admin,
        "reviewer": world.reviewer,
        "region": User.objects.filter(username="matris-region").first() or _regional_analyst(),
    }


def _discover(world: World, ours: Objects) -> list[tuple[str, Form]]:
    """Every form on every page each allowed role can open: (role, form), without repeats."""

    found: dict[tuple[str, str, str, tuple[str, ...]], tuple[str, Form]] = {}
    patterns = dict(_patterns(get_resolver().url_patterns))
    users = _users(world)
    for name, roles in sorted(ALLOWED.items()):
        if name in ("logout", "login", "access_log_csv", "invoicing_csv", "invoicing_xlsx"):
            continue
        url = reverse(name, args=ours.args(name, list(patterns[name])))
        query = QUERY[name](ours) if name in QUERY else {}
        for role in sorted(roles):
            response = client_for(users[role]).get(url, query)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parser = _Forms(url)
            parser.feed(response.content.decode())
            for form in parser.forms:
                action = urlparse(form.action).path or url
                if action.startswith(SKIP_ACTIONS) or not form.fields:
                    continue
                try:
                    view = resolve(action).url_name or action
                except Resolver404:
                    continue
                key = (role, form.method, view, tuple(sorted(form.fields)))
                found.setdefault(key, (role, Form(form.method, action, form.fields, form.kinds)))
    return list(found.values())


def _send(client: Client, form: Form, data: dict[str, str]) -> tuple[int, float]:
    started = time.monotonic()
    if form.method == "post":
        response = client.post(form.action, data)
    else:
        response = client.get(form.action, data)
    return response.status_code, time.monotonic() - started


def _check(world: World, role: str, form: Form, data: dict[str, str], problems: list[str]) -> None:
    client = client_for(_users(world)[role])
    client.raise_request_exception = False  # a server error is counted, not raised
    before = _counts() if form.method == "post" else None
    status, seconds = _send(client, form, data)
    where = f"{form.method.upper()} {form.action} as {role} with {data!r:.300}"
    if status >= 500:
        problems.append(f"{where}: {status}")
    if seconds > RUNAWAY_SECONDS:
        problems.append(f"{where}: {seconds:.0f} s")
    if before is not None and status not in (301, 302, 303):
        after = _counts()
        changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
        if changed:
            problems.append(f"{where}: refused ({status}) but wrote {changed}")


@pytest.fixture
def forms(world: World) -> list[tuple[str, Form]]:
    _save_a_scenario(world)
    ours = _objects(world, world.ostersund.pk, world.org("Röda Korset").pk, "FUZZ-EGEN")
    found = _discover(world, ours)
    # The pages people fill in are all there (a crawl that finds nothing would pass anything).
    views = {resolve(f.action).url_name for _role, f in found}
    assert {
        "participant_new",
        "placement_new",
        "placement_close",
        "meeting_new",
        "attendance_week",
        "team_week",
        "plan_edit",
        "assessment_new",
        "agreement_new",
        "organisation_new",
        "occupancy_overview",
        "invoicing",
        "value",
        "scenarios",
        "alternatives",
        "access_log",
        "access_review",
        "guidance_edit",
    } <= views, sorted(views)
    assert len(found) >= 60
    return found


def test_every_form_takes_every_kind_of_hostile_value(
    world: World, forms: list[tuple[str, Form]]
) -> None:
    # One role per form here (the roles differ in what they may open, tested by the matrix);
    # the random examples below draw every allowed role.
    once: dict[tuple[str, str, tuple[str, ...]], tuple[str, Form]] = {}
    for role, form in forms:
        key = (form.method, resolve(form.action).url_name or "", tuple(sorted(form.fields)))
        once.setdefault(key, (role, form))
    problems: list[str] = []
    for role, form in once.values():
        for value in HOSTILE.values():
            _check(world, role, form, {name: value for name in form.fields}, problems)
    assert problems == [], "\n".join(problems[:30])


def _values(form: Form) -> st.SearchStrategy[dict[str, str]]:
    def one(name: str) -> st.SearchStrategy[str]:
        options = [o for o in form.fields[name] if o is not None]
        kind = form.kinds.get(name, "text")
        plausible: st.SearchStrategy[str]
        if kind == "date":
            plausible = st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)).map(str)
        elif kind == "number":
            plausible = st.integers(-5, 10**7).map(str)
        elif kind == "month":
            plausible = st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)).map(
                lambda d: f"{d:%Y-%m}"
            )
        else:
            plausible = st.text(max_size=40)
        choices = [st.sampled_from(list(HOSTILE.values())), plausible]
        if options:
            choices.append(st.sampled_from(options))
        return st.one_of(*choices)

    return st.fixed_dictionaries({name: one(name) for name in form.fields})


@settings(
    max_examples=120,
    deadline=None,
    derandomize=os.environ.get("CI") == "true",  # CI repeats its examples; a laptop explores
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_random_values_in_random_forms(
    world: World, forms: list[tuple[str, Form]], data: st.DataObject
) -> None:
    role, form = data.draw(st.sampled_from(forms), label="form")
    values = data.draw(_values(form), label="values")
    problems: list[str] = []
    _check(world, role, form, values, problems)
    assert problems == []
