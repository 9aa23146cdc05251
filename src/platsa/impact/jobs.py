"""The board report in the background: asked for on the page, made by ``platsa worker`` (the
database-backed task queue of ``django_tasks``), its progress kept on the job so the page can
show it, and the file kept for a day for the one who asked."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from platsa.accounts.models import Municipality, User
from platsa.impact.models import JobStatus, ReportJob, Scenario
from platsa.impact.report import build_report, render_pdf
from platsa.impact.workbook import render_xlsx

log = logging.getLogger(__name__)

#: How long a finished report is kept for download.
KEEP = dt.timedelta(days=1)


def report_job_request(
    *,
    user: User,
    start: dt.date,
    end: dt.date,
    scenario: Scenario | None,
    kind: str,
    today: dt.date,
) -> ReportJob:
    """Record the request and queue it once the request's transaction has committed."""
    assert user.municipality is not None
    job = ReportJob.objects.create(
        municipality=user.municipality,
        requested_by=user,
        period_start=start,
        period_end=end,
        scenario=scenario,
        kind=kind,
        as_of=today,
        step=_("Waiting for its turn"),
    )
    transaction.on_commit(lambda: make_report.enqueue(job.pk))
    return job


def _progress(job: ReportJob, percent: int, step: str) -> None:
    job.progress, job.step = percent, step
    job.save(update_fields=["progress", "step"])


@task()
def make_report(job_id: int) -> None:
    job = ReportJob.objects.select_related("municipality", "scenario").filter(pk=job_id).first()
    if job is None or job.status != JobStatus.QUEUED:
        return  # removed, or already made by another worker
    job.status = JobStatus.RUNNING
    job.save(update_fields=["status"])
    try:
        _progress(job, 10, _("Computing the figures"))
        board = build_report(
            job.municipality,
            start=job.period_start,
            end=job.period_end,
            today=job.as_of,
            scenario=job.scenario,
        )
        _progress(job, 60, _("Writing the PDF") if job.kind == "pdf" else _("Writing the workbook"))
        content = render_pdf(board) if job.kind == "pdf" else render_xlsx(board)
    except Exception as exc:  # noqa: BLE001 — the job says it failed; the log has the rest
        log.exception("report job %s failed", job_id)
        job.status, job.error = JobStatus.FAILED, str(exc)[:300]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        return
    job.content = content
    job.file_name = (
        f"platsa-{job.municipality.code}-{job.period_start:%Y%m%d}-{job.period_end:%Y%m%d}"
        f".{job.kind}"
    )
    job.status, job.progress, job.step = JobStatus.DONE, 100, _("Ready")
    job.finished_at = timezone.now()
    job.save()


def report_jobs_purge(*, now: dt.datetime) -> int:
    """Reports asked for more than a day ago (made or not), and the task queue's own record of
    tasks finished more than a day ago."""
    from django_tasks_db.models import DBTaskResult

    deleted, _by_model = ReportJob.objects.filter(requested_at__lt=now - KEEP).delete()
    DBTaskResult.objects.filter(finished_at__lt=now - KEEP).delete()
    return deleted


@task()
def refresh_figures(municipality_id: int) -> None:
    """Read the municipality's years again for the regional view (``impact.regional``)."""
    from platsa.common.clock import today
    from platsa.impact.regional import figures_refresh

    municipality = Municipality.objects.filter(pk=municipality_id).first()
    if municipality is not None:
        figures_refresh(municipality, today=today())
