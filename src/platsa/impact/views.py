from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from platsa.accounts.models import User
from platsa.common.clock import today
from platsa.common.forms import SafeModelChoiceField
from platsa.common.http import posted
from platsa.common.permissions import can, count_threshold, require
from platsa.common.sheets import XLSX
from platsa.engine.flows import GROSS, NET
from platsa.engine.privacy import amounts_reveal
from platsa.engine.scenario import Assumptions
from platsa.impact.alternatives import alternative_list_for_user, comparison_for
from platsa.impact.charts import off_assistance_svg, sroi_context, value_cost_svg
from platsa.impact.dashboard import DEFAULT_BASELINE, DEFAULT_DROP_OFF, value_dashboard
from platsa.impact.forms import ScenarioForm, ValueForm
from platsa.impact.jobs import report_job_request
from platsa.impact.models import SHARE_KINDS, Alternative, Goal, JobStatus, ReportJob, Scenario
from platsa.impact.organisations import organisation_profiles
from platsa.impact.parameters import municipality_parameters
from platsa.impact.paybacks import payback_story
from platsa.impact.privacy import outcomes_hidden
from platsa.impact.scenarios import (
    Recorded,
    default_period,
    figures,
    period_problem,
    recorded_for,
    reproduce,
    scenario_get_for_user,
    scenario_list_for_user,
    scenario_save,
)
from platsa.impact.selectors import goal_statuses
from platsa.occupancy.selectors import agreement_periods_all
from platsa.placements.occupancy import Scope, occupancy_for


def _save_for_municipality(form: forms.ModelForm, user: User, **fields: Any) -> Any:  # type: ignore[type-arg]
    """Save a valid form's object in the user's municipality, validated whole, in one transaction."""
    obj = form.save(commit=False)
    obj.municipality_id = user.municipality_id
    for name, value in fields.items():
        setattr(obj, name, value)
    with transaction.atomic():
        obj.full_clean()
        obj.save()
    return obj


_SHARE = re.compile(r"^(\d+(?:[.,]\d+)?)\s*%$")
_ONE_IN = re.compile(r"^(\d+)\s*(?:av|in|/)\s*(\d+)$")


def parse_target(text: str, *, share: bool) -> Decimal:
    """A goal's target as people write it: "85 %", "0,85", "1 av 5" for a share; days as a number.

    >>> parse_target("85 %", share=True), parse_target("1 av 5", share=True)
    (Decimal('0.85'), Decimal('0.2'))
    """
    value = text.strip().replace("\u00a0", " ")
    if share:
        if m := _SHARE.match(value):
            return Decimal(m.group(1).replace(",", ".")) / 100
        if m := _ONE_IN.match(value):
            if int(m.group(2)) == 0:
                raise ValueError(value)
            return (Decimal(m.group(1)) / Decimal(m.group(2))).quantize(Decimal("0.001"))
    number = Decimal(value.replace(",", ".").replace(" ", ""))
    if not number.is_finite():
        raise ValueError(value)
    if share and 1 < number <= 100:
        return number / 100  # "85" for a share means 85 %
    return number


class GoalForm(forms.ModelForm):  # type: ignore[type-arg]
    target = forms.CharField(
        label=_("Target"),
        max_length=20,
        help_text=_("A share as a percentage (20 %) or as 1 in 5 (1 av 5); days as a number."),
        error_messages={"required": _("Give the target.")},
    )

    class Meta:
        model = Goal
        fields = ["kind", "target", "period_start", "period_end", "note"]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_target(self) -> Decimal:
        kind = self.data.get("kind", "")
        try:
            return parse_target(self.cleaned_data["target"], share=kind in SHARE_KINDS)
        except (ValueError, ArithmeticError):
            raise forms.ValidationError(
                _("Write the target as e.g. 20 %, 1 av 5 or 0,2; days as a number.")
            ) from None


@login_required
@require_http_methods(["GET", "POST"])
def goals(request: HttpRequest) -> HttpResponse:
    """The municipality's goals for the activity, tracked against what is recorded."""
    user: User = request.user  # type: ignore[assignment]
    statuses = goal_statuses(user, today=today())  # refuses roles without aggregates
    may_set = can(user, "set_goals")
    form = GoalForm(posted(request)) if may_set else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            _save_for_municipality(form, user, created_by=user)
            messages.success(request, _("The goal is saved."))
            return redirect("goals")
    return render(request, "impact/goals.html", {"statuses": statuses, "form": form})


@login_required
def value(request: HttpRequest) -> HttpResponse:
    """Value created over time, who gains, and when it pays back (Figures 12–13 of the report)."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "view_aggregates")
    assert user.municipality is not None
    on = today()
    # One period for everything on the page: the latest agreement year with outcomes by default.
    start, end = default_period(user.municipality, today=on)
    # A link may give only the period: the assumptions keep their defaults, shown in the form.
    initial = {"start": start, "end": end}
    form = ValueForm(
        ValueForm.with_defaults(request.GET.dict(), start=start, end=end) if request.GET else None,
        initial=initial,
    )
    baseline, drop_off = DEFAULT_BASELINE, DEFAULT_DROP_OFF
    horizon = 60
    tax = NET
    if form.is_bound and form.is_valid():
        baseline = form.ranges("baseline", DEFAULT_BASELINE)
        drop_off = form.ranges("drop_off", DEFAULT_DROP_OFF)
        horizon = form.cleaned_data["horizon"] or 60
        tax = GROSS if form.cleaned_data["gross_tax"] else NET
        chosen = (form.cleaned_data["start"] or start, form.cleaned_data["end"] or end)
        problem = period_problem(user.municipality, *chosen)
        if problem is None:
            start, end = chosen
        else:  # say why, and show the default period meanwhile
            form.add_error("end", problem)
    dashboard = value_dashboard(
        user,
        today=on,
        horizon_months=horizon,
        baseline=baseline,
        drop_off=drop_off,
        period=(start, end),
        tax=tax,
    )
    if dashboard is not None and dashboard.occupancy is not None and dashboard.counted_until == end:
        occupancy = dashboard.occupancy  # the same period, already read for the cost
    else:
        occupancy, _agreements = occupancy_for(
            Scope(user.municipality_id), start=start, end=end, as_of=on
        )
    recorded = recorded_for(
        user.municipality, start=start, end=end, today=on, occupancy=occupancy, tax=tax
    )
    threshold = count_threshold(user)
    # Every amount, ratio and date below rests on the outcome counts: for a user who may not
    # see them, none is computed.
    hidden = outcomes_hidden(recorded, dashboard, threshold)
    chart = people_chart = ""
    sroi_summary = paybacks = None
    if dashboard is not None and not hidden:
        chart = value_cost_svg(
            dashboard.cumulative_value["municipality"],
            dashboard.cumulative_cost,
            dashboard.month_labels,
            band=(dashboard.band["p5"], dashboard.band["p95"]),
        )
        people_chart = off_assistance_svg(
            dashboard.off_assistance["outcome"],
            dashboard.off_assistance["baseline"],
            dashboard.month_labels,
            observed=dashboard.observed_months,
        )
    if not hidden:
        assumptions = replace(
            Assumptions(),
            basic_deduction=tax.basic_deduction,
            income_equalisation=tax.income_equalisation,
            job_tax_credit=tax.job_tax_credit,
        )
        try:
            sroi_summary = figures(user.municipality, recorded, assumptions).as_dict()
        except ValueError:
            sroi_summary = None
        paybacks = payback_story(
            user.municipality,
            recorded,
            occupancy=occupancy,
            sroi=sroi_summary,
            dashboard=dashboard,
        )
    return render(
        request,
        "impact/value.html",
        {
            "outcomes_hidden": hidden,
            "form": form,
            "recorded": recorded,
            "sroi": sroi_summary,
            "pb": paybacks,
            "start": start,
            "end": end,
            "periods": agreement_periods_all(Scope(user.municipality_id), today=on),
            "d": dashboard,
            "chart": mark_safe(chart),  # noqa: S308 - numbers and escaped text
            "people_chart": mark_safe(people_chart),  # noqa: S308 - numbers and escaped text
            "threshold": threshold,
        },
    )


NO_OUTCOMES = gettext_lazy(
    "No placement in the period ended in work or studies: there is no outcome to value yet."
)


@login_required
@require_http_methods(["GET", "POST"])
def scenarios(request: HttpRequest) -> HttpResponse:
    """SROI with its uncertainty for the assumptions chosen; saved scenarios to come back to."""
    user: User = request.user  # type: ignore[assignment]
    saved = list(scenario_list_for_user(user))  # refuses roles without aggregates
    assert user.municipality is not None
    on = today()
    start, end = default_period(user.municipality, today=on)
    if request.method == "POST":
        form = ScenarioForm(request.POST, initial={"start": start, "end": end})
    else:
        # A link may give only some fields (an agreement year's dates): the rest keep defaults.
        form = ScenarioForm(
            ScenarioForm.with_defaults(request.GET.dict(), start=start, end=end)
            if request.GET
            else None,
            initial={"start": start, "end": end},
        )
    may_save = can(user, "save_scenarios")
    if request.method == "POST" and not may_save:
        raise PermissionDenied
    assumptions = Assumptions()
    if form.is_bound:
        problem = (
            period_problem(user.municipality, form.cleaned_data["start"], form.cleaned_data["end"])
            if form.is_valid()
            else None
        )
        if problem is not None:
            form.add_error("end", problem)
        if form.is_valid():
            assumptions = form.assumptions()
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            if request.method == "POST":
                if not form.cleaned_data["name"]:
                    form.add_error("name", _("Give the scenario a name to save it."))
                else:
                    try:
                        scenario = scenario_save(
                            user,
                            name=form.cleaned_data["name"],
                            note=form.cleaned_data["note"],
                            start=start,
                            end=end,
                            assumptions=assumptions,
                            today=on,
                        )
                    except ValueError:
                        form.add_error(None, NO_OUTCOMES)
                    else:
                        messages.success(request, _("The scenario is saved."))
                        return redirect("scenario_detail", pk=scenario.pk)
    context: dict[str, Any] = {"form": form, "saved": saved, "may_save": may_save}
    if not form.errors:
        recorded = recorded_for(
            user.municipality,
            start=start,
            end=end,
            today=on,
            salary_sek=assumptions.monthly_salary_sek,
            tax=assumptions.tax_view(),
        )
        context["recorded"] = recorded
        if outcomes_hidden(recorded, None, count_threshold(user)):
            context |= {"outcomes_hidden": True, "r": True}
        else:
            try:
                context |= sroi_context(figures(user.municipality, recorded, assumptions).as_dict())
            except ValueError:
                context["no_outcomes"] = True
    for s in saved:
        s.hidden = outcomes_hidden(Recorded.from_dict(s.recorded), None, count_threshold(user))
    context["threshold"] = count_threshold(user)
    context["periods"] = agreement_periods_all(Scope(user.municipality_id), today=on)
    return render(request, "impact/scenarios.html", context)


@login_required
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        scenario = scenario_get_for_user(user, pk)
    except Scenario.DoesNotExist:
        raise Http404 from None
    figures_now, reproduced = reproduce(scenario)
    # A scenario saved before the figures had two views shows them as they come out now.
    shown = scenario.results if "views" in scenario.results else figures_now.as_dict()
    current = municipality_parameters(scenario.municipality).digest()
    recorded = Recorded.from_dict(scenario.recorded)
    hidden = outcomes_hidden(recorded, None, count_threshold(user))
    context = {
        "scenario": scenario,
        "outcomes_hidden": hidden,
        "recorded": recorded,
        "assumptions": Assumptions.from_dict(scenario.assumptions),
        "reproduced": reproduced,
        "current_digest": current,
        "threshold": count_threshold(user),
        **({} if hidden else sroi_context(shown)),
    }
    return render(request, "impact/scenario_detail.html", context)


class AlternativeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Alternative
        fields = [
            "kind",
            "name",
            "places",
            "staff_fte",
            "staff_cost_per_fte_month_sek",
            "premises_per_year_sek",
            "materials_per_year_sek",
            "other_per_year_sek",
            "cost_per_place_month_sek",
            "share_to_work",
            "source",
        ]


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end must not be before the start."))
        return data


def _period(request: HttpRequest, user: User, on: dt.date) -> tuple[PeriodForm, dt.date, dt.date]:
    """The period asked for, or the latest agreement year with outcomes."""
    assert user.municipality is not None
    start, end = default_period(user.municipality, today=on)
    period = PeriodForm(request.GET or None, initial={"start": start, "end": end})
    if period.is_bound and period.is_valid():
        chosen = (period.cleaned_data["start"], period.cleaned_data["end"])
        problem = period_problem(user.municipality, *chosen)
        if problem is None:
            start, end = chosen
        else:  # say why, and show the default period meanwhile
            period.add_error("end", problem)
    return period, start, end


@login_required
@require_http_methods(["GET", "POST"])
def alternatives(request: HttpRequest) -> HttpResponse:
    """The procured places against in-house places, other measures and other payment models."""
    user: User = request.user  # type: ignore[assignment]
    entered = list(alternative_list_for_user(user))  # refuses roles without aggregates
    assert user.municipality is not None
    on = today()
    may_set = can(user, "set_alternatives")
    form = AlternativeForm(posted(request)) if may_set else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            _save_for_municipality(form, user)
            messages.success(request, _("The alternative is saved."))
            return redirect("alternatives")
    period, start, end = _period(request, user, on)
    comparison = None
    if not period.errors:
        comparison = comparison_for(user.municipality, entered, start=start, end=end, today=on)
    return render(
        request,
        "impact/alternatives.html",
        {
            "form": form,
            "period": period,
            "comparison": comparison,
            "models": comparison.payment_models if comparison else None,
            # The procured row's share to work and cost per person in work give its count back.
            "outcomes_hidden": comparison is not None
            and amounts_reveal(
                {"placed": comparison.participants, "work": comparison.exits_to_work},
                threshold=count_threshold(user),
            ),
            "periods": agreement_periods_all(Scope(user.municipality_id), today=on),
        },
    )


@login_required
def organisations(request: HttpRequest) -> HttpResponse:
    """Per organisation, with the mix of participants each received; never a league table."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "view_aggregates")
    assert user.municipality is not None
    on = today()
    period, start, end = _period(request, user, on)
    threshold = count_threshold(user)
    profiles = (
        []
        if period.errors
        else organisation_profiles(user, start=start, end=end, today=on, threshold=threshold)
    )
    return render(
        request,
        "impact/organisations.html",
        {
            "period": period,
            "start": start,
            "end": end,
            "profiles": profiles,
            "threshold": threshold,
            "periods": agreement_periods_all(Scope(user.municipality_id), today=on),
        },
    )


class ReportForm(PeriodForm):
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[
            ("pdf", gettext_lazy("PDF for the board")),
            ("xlsx", gettext_lazy("Workbook (Excel)")),
        ],
        initial="pdf",
    )
    scenario = SafeModelChoiceField(
        label=gettext_lazy("Assumptions"),
        queryset=Scenario.objects.none(),
        required=False,
        empty_label=gettext_lazy("platsa's default assumptions"),
    )

    def __init__(self, *args: Any, scenarios: list[Scenario], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scenario"].queryset = Scenario.objects.filter(  # type: ignore[attr-defined]
            pk__in=[s.pk for s in scenarios]
        )


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """The board report for a period, as a PDF or a workbook to download."""
    user: User = request.user  # type: ignore[assignment]
    scenarios_available = scenario_list_for_user(user)  # refuses roles without aggregates
    assert user.municipality is not None
    on = today()
    start, end = default_period(user.municipality, today=on)
    initial: dict[str, object] = {"start": start, "end": end}
    if "format" not in request.GET:
        # Opened from an agreement-year link: the period is a starting point, not a submission,
        # so nothing is called missing before anything is asked for.
        for key in ("start", "end"):
            try:
                initial[key] = dt.date.fromisoformat(request.GET.get(key, ""))
            except ValueError:
                pass
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        scenarios=scenarios_available,
    )
    if form.is_bound and form.is_valid():
        problem = period_problem(
            user.municipality, form.cleaned_data["start"], form.cleaned_data["end"]
        )
        if problem is not None:
            form.add_error("end", problem)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        job = report_job_request(
            user=user,
            start=d["start"],
            end=d["end"],
            scenario=d["scenario"],
            kind=d["format"],
            today=on,
        )
        return redirect("report_job", pk=job.pk)
    return render(
        request,
        "impact/report.html",
        {
            "form": form,
            "periods": agreement_periods_all(Scope(user.municipality_id), today=on),
            "threshold": settings.PLATSA_MIN_GROUP_SIZE,
            "jobs": ReportJob.objects.filter(requested_by=user).only(
                "pk", "period_start", "period_end", "kind", "status", "requested_at"
            )[:5],
        },
    )


def _job_for(request: HttpRequest, pk: int) -> ReportJob:
    """The user's own report job (a report is made for the one who asked, in their
    municipality, with their role's right to see aggregates)."""
    user: User = request.user  # type: ignore[assignment]
    require(user, "view_aggregates")
    job = ReportJob.objects.filter(
        pk=pk, requested_by=user, municipality_id=user.municipality_id
    ).first()
    if job is None:
        raise Http404
    return job


@login_required
def report_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the report stands: a progress bar that refreshes itself until the file is ready."""
    job = _job_for(request, pk)
    return render(
        request,
        "impact/report_job.html",
        {"job": job, "waiting": job.status in (JobStatus.QUEUED, JobStatus.RUNNING)},
    )


@login_required
def report_job_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    return JsonResponse({"status": job.status, "progress": job.progress, "step": job.step})


@login_required
def report_job_file(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_for(request, pk)
    if job.status != JobStatus.DONE or job.content is None:
        raise Http404
    content_type = "application/pdf" if job.kind == "pdf" else XLSX
    response = HttpResponse(bytes(job.content), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.file_name}"'
    return response
