"""``platsa calc payback|sroi FILE.toml [--json]``: the valuation engine from the command line.

The JSON field names are a contract (docs/method/); a bad file exits with status 2 and a message
naming the file and the field.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from platsa.engine import ENGINE_VERSION
from platsa.engine.files import InputFileError, read_payback, read_sroi
from platsa.engine.payback import PaybackResult, payback
from platsa.engine.sroi import simulate, sroi, switching_values, tornado


def _trace_words() -> dict[str, str]:
    return {
        "formula": _("formula"),
        "from": _("from"),
        "the report": _("the report"),
        "note": _("note"),
    }


MAX_DRAWS = 10_000_000


def _finite(value: Any) -> Any:
    """The same data with every infinite or NaN number as null: JSON has no such numbers."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _dumps(data: Any) -> str:
    return json.dumps(_finite(data), indent=2, ensure_ascii=False, allow_nan=False)


def _kr(value: float) -> str:
    if math.isinf(value):
        return "∞"
    return f"{round(value):,}".replace(",", "\u00a0") + "\u00a0kr"


def _num(value: float, digits: int = 2) -> str:
    return "∞" if math.isinf(value) else f"{value:.{digits}f}".replace(".", ",")


class Command(BaseCommand):
    help = _("Compute payback or SROI from a TOML file (see examples/).")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="calculation", required=True)
        pay = sub.add_parser("payback", help=_("Investment, annual value and payback (NyttoSam)."))
        pay.add_argument("file", type=Path)
        pay.add_argument("--json", action="store_true", help=_("Print JSON."))
        roi = sub.add_parser(
            "sroi", help=_("SROI from an impact map, optionally with Monte Carlo.")
        )
        roi.add_argument("file", type=Path)
        roi.add_argument("--json", action="store_true", help=_("Print JSON."))
        roi.add_argument(
            "--simulations", type=int, default=0, help=_("Monte Carlo draws (0: none).")
        )
        roi.add_argument("--seed", type=int, default=None, help=_("Seed for the random draws."))

    def handle(self, *args: Any, calculation: str, file: Path, **options: Any) -> None:
        try:
            if calculation == "payback":
                self._payback(file, as_json=options["json"])
            else:
                self._sroi(
                    file,
                    as_json=options["json"],
                    draws=options["simulations"],
                    seed=options["seed"],
                )
        except InputFileError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        except ValueError as exc:  # the engine's own checks of a value the file allowed
            raise CommandError(f"{file.name}: {exc}", returncode=2) from exc

    def _payback(self, file: Path, *, as_json: bool) -> None:
        result = payback(read_payback(file))
        if as_json:
            self.stdout.write(_dumps({"engine_version": ENGINE_VERSION, **result.as_dict()}))
            return
        self.stdout.write(self._payback_text(result))

    def _payback_text(self, r: PaybackResult) -> str:
        lines = [
            _("Investment: %(v)s") % {"v": _kr(r.investment_sek)},
            _("Value to the municipality per month: employment %(e)s, studies %(s)s")
            % {"e": _kr(r.monthly_value_employment_sek), "s": _kr(r.monthly_value_studies_sek)},
            _("Value to the municipality per year: %(v)s") % {"v": _kr(r.annual_value_sek)},
            _("Payback: %(y)s years") % {"y": _num(r.payback_years)},
            _("Employments needed for payback within one year: %(n)s (exactly %(x)s)")
            % {"n": r.breakeven_employments_one_year, "x": _num(r.breakeven_employments_exact)},
            "",
            _(
                "Rule of thumb: months per placement, placements a year, investment per person, "
                "payback months on employment"
            ),
        ]
        for row in r.rule_of_thumb:
            lines.append(
                f"  {row.placement_months:>3}  {_num(row.placements_per_year, 0):>4}  "
                f"{_kr(row.investment_per_individual_sek):>12}  "
                f"{_num(row.payback_months_on_employment, 1):>5}"
            )
        lines += ["", _("How it was computed:")]
        lines += [t.as_text(1, _trace_words()) for t in r.traces]
        return "\n".join(lines)

    def _sroi(self, file: Path, *, as_json: bool, draws: int, seed: int | None) -> None:
        if not 0 <= draws <= MAX_DRAWS:
            raise CommandError(
                _("--simulations must be from 0 to %(n)s") % {"n": f"{MAX_DRAWS:,}"}, returncode=2
            )
        if seed is not None and seed < 0:
            raise CommandError(_("--seed must be 0 or more"), returncode=2)
        impact = read_sroi(file)
        point = sroi(impact)
        rng = np.random.default_rng(seed)
        out: dict[str, Any] = {"engine_version": ENGINE_VERSION, **point.as_dict()}
        if draws:
            out.update(simulate(impact, draws=draws, rng=rng, seed=seed).as_dict())
        bars = tornado(impact, rng=rng)
        out["tornado"] = [
            {
                "input": b.input,
                "low": b.low_value,
                "high": b.high_value,
                "sroi_at_low": b.sroi_at_low,
                "sroi_at_high": b.sroi_at_high,
                "basis": b.basis,
            }
            for b in bars
        ]
        out["switching_values"] = switching_values(impact)
        if as_json:
            self.stdout.write(_dumps(out))
            return
        lines = []
        if draws:
            i = out["intervals"]["sroi_ratio"]
            lines.append(
                _("SROI, the median of %(n)s draws: %(p50)s kr per krona (90 %%: %(p5)s – %(p95)s)")
                % {"n": draws, "p5": _num(i["p5"]), "p95": _num(i["p95"]), "p50": _num(i["p50"])}
            )
            lines.append(
                _("Probability that SROI is above 1: %(p)s %%")
                % {"p": _num(100 * out["probability_sroi_above_1"], 1)}
            )
            npv = out["intervals"]["net_present_value_sek"]
            lines.append(
                _("Net present value, median: %(v)s (90 %%: %(p5)s – %(p95)s)")
                % {"v": _kr(npv["p50"]), "p5": _kr(npv["p5"]), "p95": _kr(npv["p95"])}
            )
            lines.append("")
        lines.append(
            _("At the chosen values (every input at its point; not a most likely result):")
            if draws
            else _(
                "At the chosen values (every input at its point; add --simulations for the band):"
            )
        )
        lines += [
            _("  present value: %(v)s") % {"v": _kr(point.present_value_sek)},
            _("  net present value: %(v)s") % {"v": _kr(point.net_present_value_sek)},
            _("  SROI: %(v)s kr per krona invested") % {"v": _num(point.sroi_ratio)},
            _("  payback: %(v)s months") % {"v": _num(point.payback_months, 1)},
        ]
        for stakeholder, pv in point.by_stakeholder.items():
            lines.append(
                _("  present value to %(who)s: %(v)s") % {"who": stakeholder, "v": _kr(pv)}
            )
        lines.append(_("Most sensitive inputs (SROI at low – high):"))
        for b in bars[:5]:
            lines.append(f"  {b.input}: {_num(b.sroi_at_low)} – {_num(b.sroi_at_high)} ({b.basis})")
        lines += ["", _("How it was computed:"), point.trace.as_text(1, _trace_words())]
        self.stdout.write("\n".join(lines))
