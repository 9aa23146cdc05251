"""The regional view: a regional analyst's one page (``impact.regional``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from platsa.common.permissions import require_region
from platsa.common.sheets import download
from platsa.impact.regional import regional_rows, regional_table


@login_required
@require_GET
def regional(request: HttpRequest) -> HttpResponse:
    region = require_region(request.user)
    asked = request.GET.get("ar", "")
    # Only a year with figures is read; anything else shows the newest one.
    year = int(asked) if asked.isdigit() and len(asked) == 4 else None
    table = regional_table(region, year, threshold=settings.PLATSA_MIN_GROUP_SIZE)
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "csv") and table.years:
        return download(
            regional_rows(table, threshold=settings.PLATSA_MIN_GROUP_SIZE),
            name=f"region-{table.year}",
            fmt=fmt,
            sheet=f"{table.region.name} {table.year}",
        )
    return render(
        request,
        "impact/region.html",
        {"table": table, "threshold": settings.PLATSA_MIN_GROUP_SIZE},
    )
