"""Read calculation files (TOML) into the engine's inputs, strictly.

Every error is an :class:`InputFileError` naming the file and the field, e.g.
``sroi.toml: outcomes[0].deadweight: must be a share between 0 and 1, got 1.5``.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from pathlib import Path
from typing import Any

from platsa.engine.distributions import Beta, Fixed, Normal, Triangular, Uncertain, Uniform
from platsa.engine.parameters import ParameterError, default_parameters
from platsa.engine.payback import PaybackInput
from platsa.engine.sroi import SHARE_FIELDS, ImpactMap, ImpactRow
from platsa.engine.trace import ParameterUse

__all__ = ["InputFileError", "read_payback", "read_sroi"]

# Bounds that keep every figure finite and meaningful; a value outside is refused, named.
MAX_AMOUNT = 1e12  # SEK, people or places: far above any municipality's
MAX_DURATION_YEARS = 50
DISCOUNT_RATE = (-0.5, 0.5)  # exclusive low, inclusive high


class InputFileError(ValueError):
    def __init__(self, file: str, field: str, message: str) -> None:
        self.file, self.field, self.message = file, field, message
        super().__init__(f"{file}: {field}: {message}" if field else f"{file}: {message}")


def _load(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except OSError as exc:
        raise InputFileError(path.name, "", f"cannot be read: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(path.name, "", f"is not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputFileError(
            path.name, "", f"is not UTF-8 text (byte {exc.start}): save it as UTF-8"
        ) from exc


class _Table:
    def __init__(self, file: str, where: str, data: Any, allowed: set[str]) -> None:
        self.file, self.where = file, where
        if not isinstance(data, dict):
            raise InputFileError(file, where, "must be a table")
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise InputFileError(
                file, self.key(unknown[0]), f"unknown field; allowed: {', '.join(sorted(allowed))}"
            )
        self.data = data

    def key(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def fail(self, name: str, message: str) -> InputFileError:
        return InputFileError(self.file, self.key(name), message)

    def number(self, name: str, default: float | None = None) -> float:
        value = self.data.get(name, default)
        if value is None:
            raise self.fail(name, "is required")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(name, f"must be a number, got {value!r}")
        if not math.isfinite(value):
            raise self.fail(name, f"must be a finite number, got {value!r}")
        if abs(value) > MAX_AMOUNT:
            raise self.fail(name, f"must be at most {MAX_AMOUNT:g} in size, got {value:g}")
        return float(value)

    def optional_number(self, name: str) -> float | None:
        return None if name not in self.data else self.number(name)

    def text(self, name: str, default: str | None = None) -> str:
        value = self.data.get(name, default)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(name, "is required text")
        return value

    def uncertain(self, name: str, default: float | None = None) -> Uncertain:
        value = self.data.get(name, default)
        if isinstance(value, dict):
            return _distribution(self, name, value)
        return self.number(name, default)


_DISTRIBUTIONS: dict[str, tuple[set[str], type]] = {
    "fixed": ({"value"}, Fixed),
    "uniform": ({"low", "high"}, Uniform),
    "triangular": ({"low", "mode", "high"}, Triangular),
    "normal": ({"mean", "sd"}, Normal),
    "beta": ({"alpha", "beta"}, Beta),
}


def _support(value: Uncertain) -> tuple[float, float]:
    """The smallest and largest value a draw can take."""
    if isinstance(value, float | int):
        return float(value), float(value)
    if isinstance(value, Fixed):
        return value.value, value.value
    if isinstance(value, Uniform | Triangular):
        return value.low, value.high
    if isinstance(value, Normal):
        return value.low, value.high
    return 0.0, 1.0  # Beta


def _distribution(parent: _Table, name: str, data: dict[str, Any]) -> Uncertain:
    kind = data.get("distribution")
    if kind not in _DISTRIBUTIONS:
        raise parent.fail(
            f"{name}.distribution", f"must be one of {', '.join(_DISTRIBUTIONS)}, got {kind!r}"
        )
    required, cls = _DISTRIBUTIONS[kind]
    optional = {"low", "high"} if kind == "normal" else set()
    table = _Table(parent.file, parent.key(name), data, required | optional | {"distribution"})
    args = {k: table.number(k) for k in sorted(required | (optional & set(data)))}
    try:
        result: Uncertain = cls(**args)
    except ValueError as exc:
        raise parent.fail(name, str(exc)) from None
    return result


def read_payback(path: Path) -> PaybackInput:
    r"""Read a payback file (see ``examples/ostersund-2022-23-payback.toml``).

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "p.toml"
    >>> _ = f.write_text("[agreement]\nplaces = 12\n[parameters]\nparameters_on = 2023-06-01\n")
    >>> read_payback(f)
    Traceback (most recent call last):
    ...
    platsa.engine.files.InputFileError: p.toml: agreement.price_per_place_month_sek: is required
    """
    data = _load(path)
    file = path.name
    top = _Table(file, "", data, {"agreement", "parameters", "outcomes", "rule_of_thumb"})
    agreement = _Table(
        file,
        "agreement",
        data.get("agreement", {}),
        {"places", "price_per_place_month_sek", "months", "other_costs_sek"},
    )
    params = _Table(
        file,
        "parameters",
        data.get("parameters", {}),
        {
            "social_assistance_per_month_sek",
            "monthly_salary_sek",
            "municipal_tax_share",
            "municipal_tax_income_per_month_sek",
            "parameters_on",
            "municipality_code",
        },
    )
    outcomes = _Table(file, "outcomes", data.get("outcomes", {}), {"employment", "studies"})
    rule = _Table(file, "rule_of_thumb", data.get("rule_of_thumb", {}), {"placement_months"})
    months = rule.data.get("placement_months", [3, 4, 6, 9, 12])
    if not isinstance(months, list) or not all(
        isinstance(m, int) and not isinstance(m, bool) and m > 0 for m in months
    ):
        raise rule.fail("placement_months", "must be a list of whole numbers of months above 0")
    del top
    uses, from_set = _from_parameter_set(params)
    values = {
        "places": agreement.number("places"),
        "price_per_place_month_sek": agreement.number("price_per_place_month_sek"),
        "months": agreement.number("months"),
        "other_costs_sek": agreement.number("other_costs_sek", 0.0),
        "social_assistance_per_month_sek": params.number(
            "social_assistance_per_month_sek", from_set.get("social_assistance_per_month_sek")
        ),
        "monthly_salary_sek": params.number(
            "monthly_salary_sek", from_set.get("monthly_salary_sek")
        ),
        "municipal_tax_share": params.number(
            "municipal_tax_share", from_set.get("municipal_tax_share")
        ),
        "municipal_tax_income_per_month_sek": params.optional_number(
            "municipal_tax_income_per_month_sek"
        ),
        "employment": outcomes.number("employment", 0.0),
        "studies": outcomes.number("studies", 0.0),
    }
    tables = {
        "places": agreement,
        "price_per_place_month_sek": agreement,
        "months": agreement,
        "other_costs_sek": agreement,
        "employment": outcomes,
        "studies": outcomes,
    }
    for name, value in values.items():
        if value is not None and value < 0:
            raise tables.get(name, params).fail(name, f"must be 0 or more, got {value:g}")
    if not 0 <= values["municipal_tax_share"] <= 1:  # type: ignore[operator]
        raise params.fail("municipal_tax_share", "must be a share between 0 and 1, e.g. 0.22")
    return PaybackInput(rule_of_thumb_months=tuple(months), parameter_uses=uses, **values)  # type: ignore[arg-type]


# A payback file may leave these out and take them, dated and sourced, from the parameter set.
_FROM_SET = {
    "social_assistance_per_month_sek": "social_assistance_per_month",
    "monthly_salary_sek": "monthly_salary",
    "municipal_tax_share": "municipal_tax_rate",
}


def _from_parameter_set(params: _Table) -> tuple[tuple[ParameterUse, ...], dict[str, float]]:
    missing = [k for k in _FROM_SET if k not in params.data]
    if not missing:
        return (), {}
    if "parameters_on" not in params.data:
        raise params.fail(
            missing[0],
            "is required (or give parameters_on = YYYY-MM-DD to take it from the parameter set)",
        )
    on = params.data["parameters_on"]
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise params.fail("parameters_on", "must be a date, e.g. 2023-06-01")
    code = params.data.get("municipality_code")
    if code is not None and not isinstance(code, str):
        raise params.fail("municipality_code", 'must be text, e.g. "2380"')
    try:
        parameter_set = default_parameters(code)
        uses = tuple(parameter_set.use(_FROM_SET[k], on=on) for k in missing)
    except ParameterError as exc:
        raise params.fail("parameters_on", str(exc)) from None
    return uses, {k: u.value for k, u in zip(missing, uses, strict=True)}


_ROW_FIELDS = {
    "stakeholder",
    "outcome",
    "indicator",
    "quantity",
    "value_per_unit_year_sek",
    "duration_years",
    "deadweight",
    "displacement",
    "attribution",
    "drop_off",
}


def read_sroi(path: Path) -> ImpactMap:
    data = _load(path)
    file = path.name
    top = _Table(file, "", data, {"investment_sek", "discount_rate", "outcomes"})
    investment = top.uncertain("investment_sek")
    rate = top.uncertain("discount_rate", 0.035)
    low, high = _support(rate)
    if not (DISCOUNT_RATE[0] < low and high <= DISCOUNT_RATE[1]):
        raise top.fail(
            "discount_rate",
            "every value it can take must be above -0.5 and at most 0.5 (e.g. 0.035 for 3.5 %), "
            f"got {low:g} to {high:g}",
        )
    rows_data = data.get("outcomes")
    if not isinstance(rows_data, list) or not rows_data:
        raise InputFileError(file, "outcomes", "needs at least one [[outcomes]] row")
    rows = []
    for i, raw in enumerate(rows_data):
        t = _Table(file, f"outcomes[{i}]", raw, _ROW_FIELDS)
        duration = t.data.get("duration_years")
        if (
            isinstance(duration, bool)
            or not isinstance(duration, int)
            or not 1 <= duration <= MAX_DURATION_YEARS
        ):
            raise t.fail(
                "duration_years",
                f"must be a whole number of years from 1 to {MAX_DURATION_YEARS}, got {duration!r}",
            )
        values = {name: t.uncertain(name, 0.0) for name in SHARE_FIELDS}
        for name, value in values.items():
            low, high = _support(value)
            if not 0 <= low <= high <= 1:
                raise t.fail(
                    name,
                    f"must be a share between 0 and 1, got {low:g}"
                    if low == high
                    else "must be a share between 0 and 1 in every value it can take (a normal "
                    f"needs low and high within 0–1), got {low:g} to {high:g}",
                )
        quantity = t.uncertain("quantity")
        proxy = t.uncertain("value_per_unit_year_sek")
        for name, value in (("quantity", quantity), ("value_per_unit_year_sek", proxy)):
            point = value if isinstance(value, float) else value.point
            if point < 0:
                raise t.fail(name, f"must be 0 or more, got {point:g}")
        rows.append(
            ImpactRow(
                stakeholder=t.text("stakeholder"),
                outcome=t.text("outcome"),
                indicator=str(t.data.get("indicator", "")),
                quantity=quantity,
                value_per_unit_year_sek=proxy,
                duration_years=duration,
                **values,
            )
        )
    inv_point = investment if isinstance(investment, float) else investment.point
    if inv_point <= 0:
        raise top.fail("investment_sek", "must be above 0")
    return ImpactMap(rows=tuple(rows), investment_sek=investment, discount_rate=rate)
