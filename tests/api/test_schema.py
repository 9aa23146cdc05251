"""The API against its own OpenAPI schema, fuzzed by schemathesis: every operation, with
generated (valid and invalid) parameters and bodies, as a coach with a real key. No answer may
be a server error or fall outside the schema (status codes, content types, bodies)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from platsa.transfer.tokens import token_create
from tests.conftest import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_key(world: World) -> str:
    _token, secret = token_create(world.coach, name="schemathesis", days=30, today=dt.date.today())
    return secret


@pytest.fixture
def api_schema(world: World) -> Iterator[object]:
    # The real WSGI handler closes the database connection after each request, which on
    # PostgreSQL would end the test's transaction; Django's own test client keeps it open the
    # same way, for the length of the test.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema(case: schemathesis.Case, api_key: str) -> None:
    # Every check but "schema-valid data is accepted": a day outside the placement, an end
    # before the start or a period past 366 days is valid JSON Schema and a clear 422 by design
    # (tests/api/test_api.py names them); the 422's body is still checked against the schema.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_key}"},
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
