"""The one place that says what day it is, so tests can move time with time_machine."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    """Today in the project's time zone (Europe/Stockholm)."""
    return timezone.localdate()
