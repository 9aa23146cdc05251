"""The Swedish translation is complete and compiled, and covers every string in the code.

Uses GNU gettext's own tools (msgfmt, msgattrib, msgcmp): .ci/run installs them.
"""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import platsa

PACKAGE = Path(platsa.__file__).parent
PO = PACKAGE / "locale" / "sv" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


@pytest.fixture(autouse=True)
def _gettext_tools() -> None:
    if shutil.which("msgfmt") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("GNU gettext is missing: .ci/run must install it")
        pytest.skip("GNU gettext is not installed (apt-get install gettext)")


def _run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, capture_output=True, text=True, cwd=cwd, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    assert _run("msgattrib", "--untranslated", "--no-obsolete", str(PO)).strip() == ""
    assert _run("msgattrib", "--only-fuzzy", "--no-obsolete", str(PO)).strip() == ""


def test_the_compiled_catalogue_matches_the_translation(tmp_path: Path) -> None:
    fresh = tmp_path / "django.mo"
    _run("msgfmt", "--check", "-o", str(fresh), str(PO))
    with fresh.open("rb") as f_new, MO.open("rb") as f_old:
        new, old = gettext.GNUTranslations(f_new), gettext.GNUTranslations(f_old)
    assert new._catalog == old._catalog, "run: cd src/platsa && platsa compilemessages"  # type: ignore[attr-defined]


def test_every_string_in_the_code_is_in_the_translation(tmp_path: Path) -> None:
    copy = tmp_path / "platsa"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    _run(
        sys.executable,
        "-m",
        "django",
        "makemessages",
        "-l",
        "sv",
        "--no-location",
        "--no-obsolete",
        cwd=copy,
        env=env,
    )
    extracted = copy / "locale" / "sv" / "LC_MESSAGES" / "django.po"
    # msgcmp fails when a message extracted from the code is missing from the translation.
    _run("msgcmp", "--use-untranslated", str(PO), str(extracted))
