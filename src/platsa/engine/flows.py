"""The value of an outcome per actor and month, computed from parameters (a socio-economic
account in the manner of Nilsson & Wadeskog: who gains and who pays).

The table of flows is data (``data/flows.yaml``): each row is a destination, an actor, an item and
an amount written as arithmetic on parameter names. The report's municipal view is employment =
9,000 + 24,000 × 22 % = 14,280 SEK a month (the report rounds the tax to 5,500, giving 14,500: pass
an explicit override to reproduce it; the trace then says so).
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from platsa.engine.parameters import (
    DATA_DIR,
    ParameterError,
    ParameterSet,
    read_while_unchanged,
)
from platsa.engine.tax import JobTaxCredit, basic_deduction, job_tax_credit, taxable_monthly_salary
from platsa.engine.trace import ParameterUse, Trace

__all__ = [
    "ACTORS",
    "DESTINATIONS",
    "GROSS",
    "NET",
    "Flow",
    "FlowValue",
    "TaxView",
    "OutcomeValue",
    "default_flows",
    "evaluate",
    "expression_names",
    "load_flows",
    "outcome_values",
]

ACTORS = ("municipality", "region", "state", "individual")
DERIVED = ("taxable_monthly_salary", "municipal_tax_kept_share", "job_tax_credit_monthly")

#: The job tax credit's schedule, one parameter each (engine/tax.py).
JOB_TAX_CREDIT_PARAMETERS = (
    "job_tax_credit_step_2_top",
    "job_tax_credit_step_2_rate",
    "job_tax_credit_step_3_base",
    "job_tax_credit_step_3_rate",
    "job_tax_credit_step_4_base",
    "job_tax_credit_phase_out_from",
)
DESTINATIONS = ("employment", "studies", "other")
_KEYS = {"destination", "actor", "item", "amount", "description"}
_OPS: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


@dataclass(frozen=True, slots=True)
class Flow:
    destination: str
    actor: str
    item: str
    amount: str
    description: str = ""


def _check(expression: str) -> ast.Expression:
    tree = ast.parse(expression, mode="eval")
    for node in ast.walk(tree):
        allowed = (
            ast.Expression,
            ast.BinOp,
            ast.UnaryOp,
            ast.Name,
            ast.Load,
            ast.Constant,
            ast.USub,
            ast.UAdd,
            *_OPS,
        )
        if not isinstance(node, allowed):
            raise ValueError(
                f"only numbers, parameter names and + - * / ( ) are allowed: {expression!r}"
            )
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)):
            raise ValueError(f"only numbers are allowed as constants: {expression!r}")
    return tree


def expression_names(expression: str) -> list[str]:
    """The parameter names an amount uses, in order of first use.

    >>> expression_names("monthly_salary * (1 - municipal_tax_rate)")
    ['monthly_salary', 'municipal_tax_rate']
    """
    names: list[str] = []
    for node in ast.walk(_check(expression)):
        if isinstance(node, ast.Name) and node.id not in names:
            names.append(node.id)
    return names


def evaluate(expression: str, values: Mapping[str, float]) -> float:
    """Evaluate ``expression`` with ``values``; nothing but arithmetic is ever executed.

    >>> evaluate("a * (1 - b) - 3", {"a": 10.0, "b": 0.5})
    2.0
    """

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.Name):
            return float(values[node.id])
        if isinstance(node, ast.UnaryOp):
            inner = walk(node.operand)
            return -inner if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp):
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        raise ValueError(f"cannot evaluate {ast.dump(node)}")

    return walk(_check(expression))


def load_flows(path: Path) -> tuple[Flow, ...]:
    """Read a flows table; every error names the file, the row and the field. Read again only
    when the file has changed (the flows are immutable, so they are shared)."""
    try:
        return read_while_unchanged(path, _read_flows)
    except OSError as exc:
        raise ParameterError(path.name, "", f"cannot be read: {exc}") from exc


def _read_flows(path: Path) -> tuple[Flow, ...]:
    name = path.name
    try:
        rows: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ParameterError(name, "", f"cannot be read: {exc}") from exc
    if not isinstance(rows, list):
        raise ParameterError(name, "", "must be a list of flows")
    flows = []
    for i, row in enumerate(rows):
        where = f"[{i}]"
        if not isinstance(row, dict):
            raise ParameterError(name, where, "must be a mapping")
        unknown = set(row) - _KEYS
        if unknown:
            raise ParameterError(name, f"{where}.{sorted(unknown)[0]}", "unknown key")
        if isinstance(row.get("amount"), (int, float)) and not isinstance(row.get("amount"), bool):
            row = {**row, "amount": str(row["amount"])}  # a plain number is an amount too
        for key in ("destination", "actor", "item", "amount"):
            if not isinstance(row.get(key), str) or not row[key].strip():
                raise ParameterError(name, f"{where}.{key}", "is required text")
        if row["actor"] not in ACTORS:
            raise ParameterError(name, f"{where}.actor", f"must be one of {', '.join(ACTORS)}")
        try:
            expression_names(row["amount"])
        except (SyntaxError, ValueError) as exc:
            raise ParameterError(name, f"{where}.amount", str(exc)) from None
        flows.append(
            Flow(
                row["destination"],
                row["actor"],
                row["item"],
                row["amount"],
                str(row.get("description", "")),
            )
        )
    return tuple(flows)


def default_flows() -> tuple[Flow, ...]:
    return load_flows(DATA_DIR / "flows.yaml")


@dataclass(frozen=True)
class FlowValue:
    flow: Flow
    monthly_sek: float
    trace: Trace


@dataclass(frozen=True)
class OutcomeValue:
    """The monthly value of one person reaching ``destination``, per actor."""

    destination: str
    flows: tuple[FlowValue, ...]

    @property
    def by_actor(self) -> dict[str, float]:
        totals = dict.fromkeys(ACTORS, 0.0)
        for f in self.flows:
            totals[f.flow.actor] += f.monthly_sek
        return totals

    def actor_total(self, actor: str) -> float:
        return self.by_actor[actor]

    @property
    def public_sector_sek(self) -> float:
        totals = self.by_actor
        return totals["municipality"] + totals["region"] + totals["state"]

    def trace(self, actor: str) -> Trace:
        parts = [f.trace for f in self.flows if f.flow.actor == actor]
        return Trace(
            figure=f"monthly value of {self.destination} to the {actor}",
            formula=" + ".join(p.figure for p in parts) or "0",
            result=self.actor_total(actor),
            parts=parts,
        )


@dataclass(frozen=True)
class TaxView:
    """Which of the income tax's deductions count (all off: the gross view of the report)."""

    basic_deduction: bool = False
    income_equalisation: bool = False
    job_tax_credit: bool = False


GROSS = TaxView()
NET = TaxView(basic_deduction=True, income_equalisation=True, job_tax_credit=True)


def _derived(parameters: ParameterSet, on: dt.date, tax: TaxView) -> dict[str, ParameterUse]:
    """The values the flows use that are computed, not looked up: with their reasons."""
    salary = parameters.use("monthly_salary", on=on)
    if tax.basic_deduction:
        pbb = parameters.use("price_base_amount", on=on)
        taxable = ParameterUse(
            name="taxable_monthly_salary",
            value=taxable_monthly_salary(salary.value, pbb.value),
            unit="SEK/month",
            effective_from=pbb.effective_from,
            reference=(
                f"(12 × {salary.value:g} − grundavdrag vid prisbasbelopp {pbb.value:g}) / 12 "
                "(Inkomstskattelagen 63 kap. 3 §)"
            ),
        )
    else:
        taxable = ParameterUse(
            "taxable_monthly_salary",
            salary.value,
            "SEK/month",
            salary.effective_from,
            "the gross salary (the basic deduction is not counted)",
        )
    if tax.income_equalisation:
        kept = parameters.use("municipal_tax_kept_share", on=on)
    else:
        kept = ParameterUse(
            "municipal_tax_kept_share",
            1.0,
            "share",
            None,
            "every tax krona (the income equalisation is not counted)",
        )
    if tax.job_tax_credit:
        pbb = parameters.use("price_base_amount", on=on)
        rates = [parameters.use(n, on=on) for n in ("municipal_tax_rate", "regional_tax_rate")]
        steps = [parameters.use(n, on=on) for n in JOB_TAX_CREDIT_PARAMETERS]
        schedule = JobTaxCredit(**{u.name.removeprefix("job_tax_credit_"): u.value for u in steps})
        annual = 12.0 * salary.value
        ks = sum(u.value for u in rates)
        credit = job_tax_credit(annual, pbb.value, ks, schedule)
        latest = max(steps + rates + [pbb], key=lambda u: u.effective_from or dt.date.min)
        credit_use = ParameterUse(
            "job_tax_credit_monthly",
            credit / 12.0,
            "SEK/month",
            latest.effective_from,
            (
                f"jobbskatteavdrag på {annual:g} kr om året vid prisbasbelopp {pbb.value:g}, "
                f"grundavdrag {basic_deduction(annual, pbb.value):g} och kommunalskatt "
                f"{ks:.4g} med {', '.join(f'{u.name} {u.value:g}' for u in steps)} "
                f"(skalan från {max(u.effective_from for u in steps if u.effective_from)}; "
                f"källorna i parametrarna) = {credit:g} kr / 12 (Inkomstskattelagen 67 kap. 7 §)"
            ),
        )
    else:
        credit_use = ParameterUse(
            "job_tax_credit_monthly",
            0.0,
            "SEK/month",
            None,
            "the job tax credit is not counted",
        )
    return {taxable.name: taxable, kept.name: kept, credit_use.name: credit_use}


def outcome_values(
    *,
    parameters: ParameterSet,
    on: dt.date,
    flows: Sequence[Flow] | None = None,
    item_overrides: Mapping[tuple[str, str, str], tuple[float, str]] | None = None,
    tax: TaxView = GROSS,
) -> dict[str, OutcomeValue]:
    """Monthly flows per destination and actor on ``on``.

    ``item_overrides`` maps (destination, actor, item) to (amount, reason): an explicit figure in
    place of the computed one, e.g. the report's rounded tax::

        {("employment", "municipality", "municipal_income_tax"):
            (5500.0, "the report rounds 5,280 to 5,500")}
    """
    flows = default_flows() if flows is None else tuple(flows)
    overrides = dict(item_overrides or {})
    by_destination: dict[str, list[FlowValue]] = {}
    derived: dict[str, ParameterUse] | None = None
    for flow in flows:
        names = expression_names(flow.amount)
        if derived is None and any(n in DERIVED for n in names):
            derived = _derived(parameters, on, tax)
        uses: list[ParameterUse] = [
            derived[n] if derived is not None and n in derived else parameters.use(n, on=on)
            for n in names
        ]
        computed = evaluate(flow.amount, {u.name: u.value for u in uses})
        key = (flow.destination, flow.actor, flow.item)
        notes: list[str] = []
        amount = computed
        if key in overrides:
            amount, reason = overrides.pop(key)
            notes.append(f"overridden: {amount:g} instead of the computed {computed:g} ({reason})")
        trace = Trace(
            figure=flow.item, formula=flow.amount, result=amount, parameters=uses, notes=notes
        )
        by_destination.setdefault(flow.destination, []).append(FlowValue(flow, amount, trace))
    if overrides:
        missing = ", ".join("/".join(k) for k in overrides)
        raise ParameterError("(flows)", missing, "an override names a flow that does not exist")
    return {d: OutcomeValue(d, tuple(v)) for d, v in by_destination.items()}
