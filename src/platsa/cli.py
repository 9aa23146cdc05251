"""The ``platsa`` console command.

``platsa`` is Django's ``manage.py`` with the project's settings preset, so every command is a
management command in the app it belongs to (``platsa demo`` lives in ``platsa.site``) and new
commands slot in by adding a module under ``<app>/management/commands/``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "platsa.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["platsa", *(sys.argv[1:] if argv is None else argv)])
