"""Parameters as data (OpenFisca style): one YAML file per parameter, values keyed by the date
they take effect, each with its reference.

File format::

    description: Social assistance paid per person and month
    unit: SEK/month
    values:
      2023-11-01:
        value: 9000
        reference: Östersund municipality, November 2023 (the report, §5.4)
        from_report: true        # optional: the figure comes from the evaluation report
        note: ...                # optional

Per-municipality overrides are files of the same format in ``overrides/<kommunkod>/``; their
dated values are spliced into the defaults (a value on the same date replaces the default's),
never edited into them. The loader is strict: every error names the file and the key.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml

from platsa.engine.trace import ParameterUse

__all__ = [
    "DATA_DIR",
    "DatedValue",
    "Parameter",
    "ParameterError",
    "ParameterSet",
    "default_parameters",
    "load_parameter_dir",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
_TOP_KEYS = {"description", "unit", "values", "documentation"}
_VALUE_KEYS = {"value", "reference", "from_report", "note"}


class _NoDatesLoader(yaml.SafeLoader):
    """Keeps dates as text, so a wrong date is reported with its key instead of crashing."""


_NoDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class ParameterError(ValueError):
    """A parameter file is wrong, or a value is asked for a date before any value exists."""

    def __init__(self, file: str, key: str, message: str) -> None:
        self.file, self.key, self.message = file, key, message
        super().__init__(f"{file}: {key}: {message}" if key else f"{file}: {message}")


@dataclass(frozen=True, slots=True)
class DatedValue:
    effective_from: dt.date
    value: float
    reference: str
    from_report: bool = False
    note: str = ""


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    values: tuple[DatedValue, ...]  # sorted by date
    source: str  # the file (or files) it was read from

    def at(self, on: dt.date) -> DatedValue:
        """The value in effect on ``on``: the latest whose date is on or before it."""
        dates = [v.effective_from for v in self.values]
        i = bisect.bisect_right(dates, on)
        if i == 0:
            first = dates[0].isoformat()
            raise ParameterError(
                self.source, self.name, f"has no value before {first} (asked for {on})"
            )
        return self.values[i - 1]

    def spliced(self, overrides: tuple[DatedValue, ...], source: str) -> Parameter:
        by_date = {v.effective_from: v for v in self.values}
        by_date.update({v.effective_from: v for v in overrides})
        return Parameter(
            self.name,
            self.description,
            self.unit,
            tuple(by_date[d] for d in sorted(by_date)),
            f"{self.source} + {source}",
        )


@dataclass(frozen=True)
class ParameterSet:
    parameters: Mapping[str, Parameter]

    def __contains__(self, name: str) -> bool:
        return name in self.parameters

    def get(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            known = ", ".join(sorted(self.parameters))
            raise ParameterError(
                "(parameters)", name, f"unknown parameter; known: {known}"
            ) from None

    def value(self, name: str, *, on: dt.date) -> float:
        return self.get(name).at(on).value

    def use(self, name: str, *, on: dt.date) -> ParameterUse:
        """The value on ``on`` with its unit, date and reference, for a trace."""
        parameter = self.get(name)
        dated = parameter.at(on)
        return ParameterUse(
            name=name,
            value=dated.value,
            unit=parameter.unit,
            effective_from=dated.effective_from,
            reference=dated.reference,
            from_report=dated.from_report,
            note=dated.note,
        )

    def earliest(self) -> tuple[dt.date, Parameter]:
        """The first day on which every parameter has a value, and the parameter that decides it.

        A period valued before that day cannot be computed; say so before trying.
        """
        latest_first = max(self.parameters.values(), key=lambda p: p.values[0].effective_from)
        return latest_first.values[0].effective_from, latest_first

    def with_overrides(self, overrides: Mapping[str, Parameter]) -> ParameterSet:
        merged = dict(self.parameters)
        for name, override in overrides.items():
            if name not in merged:
                raise ParameterError(
                    override.source, name, "overrides a parameter that does not exist"
                )
            merged[name] = merged[name].spliced(override.values, override.source)
        return ParameterSet(merged)

    def digest(self) -> str:
        """A SHA-256 of every name, date, value and reference: the identity of this set."""
        canonical = {
            name: [[v.effective_from.isoformat(), v.value, v.reference] for v in p.values]
            for name, p in sorted(self.parameters.items())
        }
        return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


T = TypeVar("T")

_READ: dict[Path, tuple[tuple[int, int], Any]] = {}


def read_while_unchanged(path: Path, read: Callable[[Path], T]) -> T:
    """``read(path)``, read again only when the file has changed (its size or modification
    time): a page asks for the same files several times, and what is read is immutable, so it
    is shared. One reader per file."""
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    cached = _READ.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]  # type: ignore[no-any-return]
    value = read(path)
    _READ[path] = (stamp, value)
    return value


def _load_file(path: Path) -> Parameter:
    return read_while_unchanged(path, _read_file)


def _read_file(path: Path) -> Parameter:
    name = path.stem
    file = path.name
    try:
        data: Any = yaml.load(path.read_text(encoding="utf-8"), Loader=_NoDatesLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        raise ParameterError(file, "", f"is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ParameterError(file, "", "must be a mapping with description, unit and values")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise ParameterError(
            file, sorted(unknown)[0], f"unknown key; allowed: {', '.join(sorted(_TOP_KEYS))}"
        )
    for key in ("description", "unit"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise ParameterError(file, key, "is required text")
    raw_values = data.get("values")
    if not isinstance(raw_values, dict) or not raw_values:
        raise ParameterError(file, "values", "needs at least one dated value")
    values = []
    for raw_date, entry in raw_values.items():
        key = f"values.{raw_date}"
        if isinstance(raw_date, dt.datetime) or not isinstance(raw_date, dt.date):
            try:
                effective = dt.date.fromisoformat(str(raw_date))
            except ValueError:
                raise ParameterError(file, key, "is not a date YYYY-MM-DD") from None
        else:
            effective = raw_date
        if not isinstance(entry, dict):
            raise ParameterError(file, key, "must be a mapping with value and reference")
        unknown = set(entry) - _VALUE_KEYS
        if unknown:
            raise ParameterError(file, f"{key}.{sorted(unknown)[0]}", "unknown key")
        value = entry.get("value")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ParameterError(file, f"{key}.value", f"must be a number, got {value!r}")
        reference = entry.get("reference")
        if not isinstance(reference, str) or not reference.strip():
            raise ParameterError(file, f"{key}.reference", "every value needs a reference")
        from_report = entry.get("from_report", False)
        if not isinstance(from_report, bool):
            raise ParameterError(file, f"{key}.from_report", "must be true or false")
        values.append(
            DatedValue(
                effective,
                float(value),
                reference.strip(),
                from_report,
                str(entry.get("note", "")).strip(),
            )
        )
    values.sort(key=lambda v: v.effective_from)
    return Parameter(name, data["description"].strip(), data["unit"].strip(), tuple(values), file)


def load_parameter_dir(directory: Path) -> dict[str, Parameter]:
    """Every ``*.yaml`` in ``directory`` (not recursively), keyed by file stem."""
    if not directory.is_dir():
        raise ParameterError(str(directory), "", "is not a directory")
    return {p.stem: _load_file(p) for p in sorted(directory.glob("*.yaml"))}


def default_parameters(
    municipality_code: str | None = None, *, data_dir: Path = DATA_DIR
) -> ParameterSet:
    """The shipped Swedish defaults, with the municipality's overrides spliced in if any.

    >>> import datetime as dt
    >>> default_parameters().value("municipal_tax_rate", on=dt.date(2023, 1, 1))
    0.22
    >>> default_parameters("2380").value("municipal_tax_rate", on=dt.date(2023, 1, 1))
    0.2202
    """
    parameters = ParameterSet(load_parameter_dir(data_dir / "parameters"))
    if municipality_code:
        override_dir = data_dir / "overrides" / municipality_code
        if override_dir.is_dir():
            parameters = parameters.with_overrides(load_parameter_dir(override_dir))
    return parameters
