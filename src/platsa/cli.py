"""The ``platsa`` console command.

``platsa`` is Django's ``manage.py`` with the project's settings preset, so every command is a
management command in the app it belongs to (``platsa demo`` lives in ``platsa.site``) and new
commands slot in by adding a module under ``<app>/management/commands/``.

``platsa calc`` is the exception: it computes a file with the engine and needs no app, database
or secret, so it starts Django with translations only (about a third of the start-up).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["calc"]:
        _calc(args[1:])
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platsa.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["platsa", *args])


def _calc(args: list[str]) -> None:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            USE_I18N=True,
            LANGUAGE_CODE="sv",
            LANGUAGES=[("sv", "Svenska")],
            LOCALE_PATHS=[Path(__file__).parent / "locale"],
            INSTALLED_APPS=[],
        )
    django.setup()
    from platsa.site.management.commands.calc import Command

    Command().run_from_argv(["platsa", "calc", *args])
