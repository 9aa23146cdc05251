"""Numbers as people write them in Swedish: one reading for forms and imported files."""

from __future__ import annotations

import doctest
from decimal import Decimal

import pytest

from platsa.common import numbers
from platsa.common.numbers import NumberError, swedish_decimal


def test_the_examples_hold() -> None:
    result = doctest.testmod(numbers)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize(
    ("text", "number"),
    [("1 234,50", Decimal("1234.50")), ("1234.5", Decimal("1234.5")), ("-3", Decimal("-3"))],
)
def test_numbers_as_written(text: str, number: Decimal) -> None:
    assert swedish_decimal(text) == number


def test_what_is_not_a_number_is_said_so() -> None:
    with pytest.raises(NumberError) as mixed:
        swedish_decimal("1.234,50")
    assert mixed.value.mixed
    with pytest.raises(NumberError) as text:
        swedish_decimal("tio")
    assert not text.value.mixed
