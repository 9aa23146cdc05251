"""A real headless Chromium against ``platsa demo`` on a free port.

Runs Debian's chromium through Playwright for Python (never a downloaded browser). Without
/usr/bin/chromium the test is skipped locally; in CI (CI=true) a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "platsa-demo"


def _require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(
                "Debian's chromium is missing: .ci/run must install it (apt-get install chromium)"
            )
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_chromium()
    port = _free_port()
    env = {**os.environ, "PLATSA_DATA_DIR": str(tmp_path_factory.mktemp("platsa-data"))}
    database_url = os.environ.get("PLATSA_DATABASE_URL", "")
    scratch = None
    if database_url.startswith(("postgres://", "postgresql://")):
        # On PostgreSQL the demo gets a database of its own on the same server.
        scratch = f"platsa_browser_{os.getpid()}"
        env["PLATSA_DATABASE_URL"] = _postgres(database_url, f"CREATE DATABASE {scratch}", scratch)
    else:
        env.pop("PLATSA_DATABASE_URL", None)  # the demo's own embedded SQLite
    log = tmp_path_factory.mktemp("log") / "demo.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "platsa", "demo", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"platsa demo exited early:\n{log.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"platsa demo did not start within 90 s:\n{log.read_text()}")
        printed = log.read_text()
        assert url in printed and "handledare-roda-korset" in printed and PASSWORD in printed
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        if scratch is not None:
            _postgres(database_url, f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)", scratch)


def _postgres(url: str, statement: str, database: str) -> str:
    """Run ``statement`` on the server's maintenance database; return the URL of ``database``."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[arg-type]
    return urlunsplit(parts._replace(path=f"/{database}"))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


def _login(browser: object, base: str, username: str, *, width: int = 1280):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    page.goto(base + "logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(base)
    return page


def test_the_coach_sees_the_17_placements(demo_server: str, browser: object) -> None:
    page = _login(browser, demo_server, "coach")
    page.get_by_role("link", name="Placeringar", exact=True).click()
    rows = page.locator("main table tbody tr")
    assert rows.count() == 17
    assert page.get_by_text("17 placeringar, status per").is_visible()
    page.close()


def test_a_roda_korset_supervisor_on_a_phone_sees_only_roda_korset(
    demo_server: str, browser: object
) -> None:
    page = _login(browser, demo_server, "handledare-roda-korset", width=390)
    assert page.get_by_role("heading", name="Deltagare hos Röda Korset").is_visible()
    page.get_by_role("link", name="Placeringar", exact=True).click()
    codes = page.locator("main table tbody tr td:first-child").all_inner_texts()
    assert codes == ["OST-15", "OST-16", "OST-17"]  # Röda Korset's three placements of Table 5
    assert "Hej Främling" not in page.content()
    # The page fits a phone: only the table scrolls sideways, inside its own box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()


def test_a_supervisor_is_refused_another_organisation_s_placement_url(
    demo_server: str, browser: object
) -> None:
    coach = _login(browser, demo_server, "coach")
    coach.goto(demo_server + "placeringar/?status=ongoing")
    href = coach.get_by_role("link", name="OST-06").get_attribute("href")
    coach.close()
    assert href and href.startswith("/placeringar/")
    page = _login(browser, demo_server, "handledare-roda-korset")
    response = page.goto(demo_server + href.lstrip("/"))
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", name="Hittades inte").is_visible()
    page.close()


WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.mark.parametrize(
    ("username", "paths"),
    [
        ("coach", ["", "placeringar/", "placeringar/?status=ongoing", "organisationer/"]),
        (
            "manager",
            [
                "",
                "avtal/",
                "organisationer/",
                "belaggning/?start=2022-09-01&end=2023-08-31",
                "fakturaunderlag/?organisation=1&month=2023-05",
                "varde/",
                "scenarier/",
                "alternativ/",
                "varde/organisationer/",
                "rapport/",
            ],
        ),
        ("analyst", ["", "indikatorer/", "mal/", "scenarier/", "varde/organisationer/"]),
        ("handledare-roda-korset", ["", "placeringar/", "belaggning/"]),
        (
            "handledare-hej-framling",
            ["placeringar/?status=ongoing", "placeringar/6/narvaro/", "placeringar/6/skattning/"],
        ),
        (
            "coach",
            ["deltagare/6/", "deltagare/6/platser/", "deltagare/6/profil/", "placeringar/6/plan/"],
        ),
    ],
)
def test_pages_meet_wcag_2_1_aa_by_axe(
    demo_server: str, browser: object, username: str, paths: list[str]
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = _login(browser, demo_server, username)
    urls = []
    for path in paths:
        page.goto(demo_server + path)
        urls.append(page.url)
        detail = page.locator("main table a").first  # and the first detail page of a list
        if path and detail.count():
            urls.append(demo_server + (detail.get_attribute("href") or "").lstrip("/"))
    violations = {}
    for url in dict.fromkeys(urls):
        page.goto(url)
        result = axe.run(page, options=WCAG_21_AA)
        if result.violations_count:
            violations[url] = [v["id"] for v in result.response["violations"]]
    page.close()
    assert violations == {}


def test_a_supervisor_reports_a_week_on_a_phone_in_a_few_taps(
    demo_server: str, browser: object
) -> None:
    page = _login(browser, demo_server, "handledare-hej-framling", width=390)
    page.goto(demo_server + "placeringar/?status=ongoing")
    page.get_by_role("link", name="OST-06").click()
    page.get_by_role("link", name="Rapportera närvaro").click()
    page.get_by_label("Timmar per dag").fill("5")
    page.get_by_role("button", name="Närvarande alla vardagar").click()
    assert page.get_by_text("Närvaro sparad för").is_visible()
    # Every weekday of this week up to today (Stockholm time), and no more.
    import datetime as dt
    from zoneinfo import ZoneInfo

    today = dt.datetime.now(ZoneInfo("Europe/Stockholm")).date()
    assert page.locator("input[type=radio][value=present]:checked").count() == min(
        today.weekday() + 1, 5
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()


def test_an_analyst_changes_an_assumption_and_saves_a_scenario(
    demo_server: str, browser: object
) -> None:
    page = _login(browser, demo_server, "analyst")
    page.goto(demo_server + "scenarier/?start=2022-09-01&end=2023-08-31")
    assert page.get_by_text("Resultat för 2022-09-01 – 2023-08-31").is_visible()
    page.get_by_label("Hade hänt ändå (dödvikt): mest trolig (%)").fill("25")
    page.get_by_label("Namn").fill("Var fjärde hade fått jobb ändå")
    page.get_by_role("button", name="Spara scenariot").click()
    assert page.get_by_role("heading", name="Var fjärde hade fått jobb ändå").is_visible()
    assert page.get_by_text("exakt de sparade siffrorna").is_visible()
    assert page.get_by_role("img", name="SROI när ett antagande").is_visible()
    page.close()


def test_a_manager_downloads_the_board_report(demo_server: str, browser: object) -> None:
    page = _login(browser, demo_server, "manager")
    page.goto(demo_server + "rapport/")
    page.get_by_role("link", name="2022-09-01 – 2023-08-31").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Ladda ner").click()
    download = download_info.value
    assert download.suggested_filename == "platsa-2380-20220901-20230831.pdf"
    with open(download.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    page.close()


@pytest.mark.parametrize(
    "path",
    ["varde/", "scenarier/", "alternativ/", "varde/organisationer/", "rapport/", "belaggning/"],
)
def test_the_manager_s_pages_reflow_on_a_narrow_phone(
    demo_server: str, browser: object, path: str
) -> None:
    """WCAG 1.4.10: no sideways scrolling of the page at 320 CSS pixels (tables scroll alone)."""
    page = _login(browser, demo_server, "manager", width=320)
    page.goto(demo_server + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.close()
