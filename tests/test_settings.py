from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from platsa.envconfig import env_bool, env_int, env_str


def test_env_bool_accepts_only_true_or_false(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "true")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "off")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "ja")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG must be true or false"):
        env_bool("X_FLAG", False)


def test_env_int_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_N", "five")
    with pytest.raises(ImproperlyConfigured, match="X_N must be a whole number"):
        env_int("X_N", 5)


def test_secrets_can_come_from_a_file(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n", encoding="utf-8")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert env_str("X_SECRET") == "s3cret"
    monkeypatch.setenv("X_SECRET", "other")
    with pytest.raises(ImproperlyConfigured, match="either X_SECRET or X_SECRET_FILE"):
        env_str("X_SECRET")


def test_email_switched_on_without_a_host_fails_loudly(tmp_path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "PLATSA_EMAIL": "true", "PLATSA_DATA_DIR": str(tmp_path)}
    env.pop("PLATSA_EMAIL_HOST", None)
    done = subprocess.run(
        [sys.executable, "-c", "import platsa.settings"], env=env, capture_output=True, text=True
    )
    assert done.returncode != 0 and "PLATSA_EMAIL_HOST is not set" in done.stderr


def test_sqlite_through_the_database_url_locks_as_the_default_does(tmp_path) -> None:
    import os
    import subprocess
    import sys

    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.DATABASES['default']['OPTIONS'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "platsa.settings",
        "PLATSA_DATA_DIR": str(tmp_path),
        "PLATSA_DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite3'}",
    }
    via_url = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    env.pop("PLATSA_DATABASE_URL")
    default = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert via_url.stdout == default.stdout and "IMMEDIATE" in via_url.stdout, via_url.stderr


def test_the_deployment_checklist_is_clean_in_production_settings(tmp_path) -> None:
    """Django's ``check --deploy`` with what a production installation sets: no warning."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "PLATSA_DATA_DIR": str(tmp_path),
        "PLATSA_SECRET_KEY": "k" * 20 + "-production-like-secret-" + "x" * 30,
        "PLATSA_HTTPS": "true",
        "PLATSA_ALLOWED_HOSTS": "platsa.kommun.example",
    }
    env.pop("PLATSA_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-m", "platsa", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
