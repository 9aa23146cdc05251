"""The scenario form: every assumption of :class:`platsa.engine.scenario.Assumptions`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platsa.engine.scenario import SHARES, Assumptions, Range
from platsa.impact.dashboard import DEFAULT_BASELINE, DEFAULT_DROP_OFF

SHARE_LABELS = {
    "deadweight": _("Would have happened anyway (deadweight)"),
    "attribution": _("Owed to others (attribution)"),
    "displacement": _("Someone else lost out (displacement)"),
    "drop_off": _("Fading each year (drop-off)"),
}


def tornado_labels() -> dict[str, str]:
    """The tornado's inputs in words, in the active language."""
    labels = {k: str(v) for k, v in SHARE_LABELS.items()}
    labels |= {
        "duration_years": str(_("Years counted (over their range)")),
        "discount_rate": str(_("Discount rate (0 to twice)")),
        "investment_sek": str(_("Cost of the places (±10 %)")),
        "monthly_salary_sek": str(_("Salary in work (over its range)")),
    }
    return labels


def input_kind(name: str) -> str:
    if name in SHARE_LABELS or name == "discount_rate":
        return "share"
    return "years" if name == "duration_years" else "sek"


POINTS = (("low", _("low")), ("likely", _("most likely")), ("high", _("high")))


def _percent(initial: float, label: str, *, required: bool = True) -> forms.DecimalField:
    """A share entered as a percentage, 0 to 100, showing ``initial`` (a percentage) at first."""
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=100,
        decimal_places=1,
        required=required,
        initial=Decimal(str(initial)),
    )


class _WithDefaults(forms.Form):
    @classmethod
    def with_defaults(cls, data: dict[str, Any], *, start: dt.date, end: dt.date) -> dict[str, Any]:
        """``data`` over every field's initial value (and the default period)."""
        form = cls()
        defaults = {
            name: field.initial for name, field in form.fields.items() if field.initial is not None
        }
        return {**defaults, "start": start, "end": end, **data}


class ScenarioForm(_WithDefaults):
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    duration_low = forms.IntegerField(
        label=_("Years the effect is counted: fewest"), min_value=1, max_value=30, initial=1
    )
    duration_years = forms.IntegerField(
        label=_("Years the effect is counted: most likely"), min_value=1, max_value=30, initial=3
    )
    duration_high = forms.IntegerField(
        label=_("Years the effect is counted: most"), min_value=1, max_value=30, initial=6
    )
    salary_spread = forms.DecimalField(
        label=_("Salary in work varies by ± (percent)"),
        min_value=0,
        max_value=50,
        decimal_places=1,
        initial=Decimal("15"),
    )
    rank_correlation = forms.DecimalField(
        label=_("Correlation between an outcome's shares (−0.3 to 0.9)"),
        min_value=Decimal("-0.3"),
        max_value=Decimal("0.9"),
        decimal_places=2,
        initial=Decimal("0"),
    )
    discount_rate = forms.DecimalField(
        label=_("Discount rate (percent a year)"),
        min_value=0,
        max_value=20,
        decimal_places=2,
        initial=Decimal("3.5"),
    )
    monthly_salary_sek = forms.IntegerField(
        label=_("Monthly salary in work (SEK; empty: the parameter set's)"),
        min_value=1,
        max_value=200_000,
        required=False,
    )
    basic_deduction = forms.BooleanField(
        label=_("Count the basic deduction in the municipal tax"), required=False, initial=True
    )
    income_equalisation = forms.BooleanField(
        label=_("Count the income equalisation (the municipality keeps only part of the tax)"),
        required=False,
        initial=True,
    )
    job_tax_credit = forms.BooleanField(
        label=_("Count the job tax credit (the state bears it, the person in work gains it)"),
        required=False,
        initial=True,
    )
    seed = forms.IntegerField(label=_("Random seed"), min_value=0, max_value=2**31, initial=1)
    simulations = forms.IntegerField(
        label=_("Simulations"), min_value=1000, max_value=200_000, initial=20_000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        defaults = Assumptions()
        for share in SHARES:
            r: Range = getattr(defaults, share)
            for point, point_label in POINTS:
                self.fields[f"{share}_{point}"] = _percent(
                    getattr(r, point) * 100, f"{SHARE_LABELS[share]}: {point_label} (%)"
                )

    def share_rows(self) -> list[dict[str, Any]]:
        return [
            {"label": SHARE_LABELS[s], "fields": [self[f"{s}_{p}"] for p, _l in POINTS]}
            for s in SHARES
        ]

    def other_fields(self) -> list[forms.BoundField]:
        return [
            self[n]
            for n in (
                "duration_low",
                "duration_years",
                "duration_high",
                "salary_spread",
                "rank_correlation",
                "discount_rate",
                "monthly_salary_sek",
                "basic_deduction",
                "income_equalisation",
                "job_tax_credit",
                "seed",
                "simulations",
            )
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end must not be before the start."))
        if start and end and (end - start) > dt.timedelta(days=5 * 366):
            self.add_error("end", _("Choose at most five years."))
        years = [data.get(n) for n in ("duration_low", "duration_years", "duration_high")]
        if None not in years and not years[0] <= years[1] <= years[2]:
            self.add_error(
                "duration_years", _("Fewest, most likely and most years must be in that order.")
            )
        for share in SHARES:
            values = [data.get(f"{share}_{p}") for p, _l in POINTS]
            if None not in values and not values[0] <= values[1] <= values[2]:
                self.add_error(
                    f"{share}_likely", _("Low, most likely and high must be in that order.")
                )
        return data

    def assumptions(self) -> Assumptions:
        d = self.cleaned_data
        values: dict[str, Any] = {
            share: [float(d[f"{share}_{p}"]) / 100 for p, _l in POINTS] for share in SHARES
        }
        values |= {
            "duration_low": d["duration_low"],
            "duration_years": d["duration_years"],
            "duration_high": d["duration_high"],
            "salary_spread": float(d["salary_spread"]) / 100,
            "rank_correlation": float(d["rank_correlation"]),
            "discount_rate": float(d["discount_rate"]) / 100,
            "monthly_salary_sek": d["monthly_salary_sek"],
            "basic_deduction": d["basic_deduction"],
            "income_equalisation": d["income_equalisation"],
            "job_tax_credit": d["job_tax_credit"],
            "seed": d["seed"],
            "simulations": d["simulations"],
        }
        return Assumptions.from_dict(values)


def _range_fields(
    default: tuple[float, float, float], lowest: str, likely: str, highest: str
) -> tuple[forms.DecimalField, forms.DecimalField, forms.DecimalField]:
    low, mid, high = (round(x * 100, 1) for x in default)
    return (
        _percent(low, lowest, required=False),
        _percent(mid, likely, required=False),
        _percent(high, highest, required=False),
    )


class ValueForm(_WithDefaults):
    """The value page's assumptions: the two yearly rates as ranges, the horizon, the period."""

    baseline_low, baseline, baseline_high = _range_fields(
        DEFAULT_BASELINE,
        _("Leaving assistance anyway: lowest (percent a year)"),
        _("Leaving assistance anyway: most likely (percent a year)"),
        _("Leaving assistance anyway: highest (percent a year)"),
    )
    drop_off_low, drop_off, drop_off_high = _range_fields(
        DEFAULT_DROP_OFF,
        _("Returning to assistance: lowest (percent a year)"),
        _("Returning to assistance: most likely (percent a year)"),
        _("Returning to assistance: highest (percent a year)"),
    )
    horizon = forms.IntegerField(
        label=_("Months to follow"), min_value=12, max_value=120, required=False, initial=60
    )
    gross_tax = forms.BooleanField(
        label=_("Count the municipal tax gross, as the evaluation report does"),
        required=False,
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end must not be before the start."))
        for name, default in (("baseline", DEFAULT_BASELINE), ("drop_off", DEFAULT_DROP_OFF)):
            low, likely, high = self._three(data, name, default)
            if not low <= likely <= high:
                self.add_error(name, _("Lowest, most likely and highest must be in that order."))
            if high >= 1:
                self.add_error(f"{name}_high", _("Give a share below 100 % a year."))
        return data

    @staticmethod
    def _three(
        data: dict[str, Any], name: str, default: tuple[float, float, float]
    ) -> tuple[float, float, float]:
        keys = (f"{name}_low", name, f"{name}_high")
        return tuple(  # type: ignore[return-value]
            default[i] if data.get(k) is None else float(data[k]) / 100 for i, k in enumerate(keys)
        )

    def ranges(self, name: str, default: tuple[float, float, float]) -> tuple[float, float, float]:
        return self._three(self.cleaned_data, name, default)
