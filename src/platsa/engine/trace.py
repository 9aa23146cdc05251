"""How a figure was computed: formula, inputs, parameters with dates and sources, result.

Every result of the engine carries a :class:`Trace`, readable as JSON (``as_dict``) and as text
(``as_text``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

__all__ = ["ParameterUse", "Trace"]


@dataclass(frozen=True, slots=True)
class ParameterUse:
    """A parameter as used in a computation: its value and where that value comes from."""

    name: str
    value: float
    unit: str
    effective_from: dt.date | None
    reference: str
    from_report: bool = False
    note: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "effective_from": self.effective_from.isoformat() if self.effective_from else None,
            "reference": self.reference,
            "from_report": self.from_report,
            "note": self.note,
        }


# The labels of :meth:`Trace.as_text`, in English; a caller passes its own language's.
TEXT_WORDS = {"formula": "formula", "from": "from", "the report": "the report", "note": "note"}


@dataclass(frozen=True)
class Trace:
    """One computed figure and everything it came from.

    >>> print(Trace("investment_sek", "places × price × months", 864000.0,
    ...     {"places": 12, "price": 6000, "months": 12}).as_text())
    investment_sek = 864 000
      formula: places × price × months
      places = 12
      price = 6 000
      months = 12
    """

    figure: str
    formula: str
    result: float
    inputs: Mapping[str, float] = field(default_factory=dict)
    parameters: Sequence[ParameterUse] = ()
    notes: Sequence[str] = ()
    parts: Sequence[Trace] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "figure": self.figure,
            "formula": self.formula,
            "result": self.result,
            "inputs": dict(self.inputs),
            "parameters": [p.as_dict() for p in self.parameters],
            "notes": list(self.notes),
            "parts": [p.as_dict() for p in self.parts],
        }

    def as_text(self, indent: int = 0, words: Mapping[str, str] | None = None) -> str:
        """The trace as indented lines; ``words`` puts the labels in the reader's language.

        >>> t = Trace("x", "a + b", 3.0, {"a": 1, "b": 2}, notes=["rounded"])
        >>> print(t.as_text(words={"formula": "formel", "note": "not"}))
        x = 3
          formel: a + b
          a = 1
          b = 2
          not: rounded
        """
        w = {**TEXT_WORDS, **(words or {})}
        pad = "  " * indent
        lines = [
            f"{pad}{self.figure} = {_fmt(self.result)}",
            f"{pad}  {w['formula']}: {self.formula}",
        ]
        for name, value in self.inputs.items():
            lines.append(f"{pad}  {name} = {_fmt(value)}")
        for p in self.parameters:
            since = f" {w['from']} {p.effective_from.isoformat()}" if p.effective_from else ""
            mark = f" [{w['the report']}]" if p.from_report else ""
            lines.append(f"{pad}  {p.name} = {_fmt(p.value)} {p.unit}{since}{mark} ({p.reference})")
        for note in self.notes:
            lines.append(f"{pad}  {w['note']}: {note}")
        lines.extend(part.as_text(indent + 1, words) for part in self.parts)
        return "\n".join(lines)


def _fmt(value: float) -> str:
    return f"{value:,.4f}".rstrip("0").rstrip(".").replace(",", " ")
