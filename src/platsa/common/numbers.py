"""Numbers as people write them in Swedish, for forms and imported files alike."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["NumberError", "swedish_decimal"]


class NumberError(ValueError):
    """A text that is not a number; ``mixed`` when it mixes a decimal comma and a point."""

    def __init__(self, *, mixed: bool = False) -> None:
        super().__init__("mixed separators" if mixed else "not a number")
        self.mixed = mixed


def swedish_decimal(raw: str) -> Decimal | None:
    """``1 234,50``, ``1234.5``, ``10 250 kr`` (spaces, no-break spaces as Excel writes them,
    and a trailing ``kr`` are dropped); None for an empty text.

    >>> swedish_decimal("10\\u00a0250 kr"), swedish_decimal("22,02"), swedish_decimal(" ")
    (Decimal('10250'), Decimal('22.02'), None)
    """
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", raw).removesuffix("kr")
    if not cleaned:
        return None
    if "," in cleaned and "." in cleaned:
        raise NumberError(mixed=True)
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        raise NumberError from None
