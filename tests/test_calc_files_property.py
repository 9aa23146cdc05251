"""Calculation files, random and hostile: valid ones give finite figures, invalid ones exit 2.

No calculation file, however malformed, may raise anything but a clear refusal, or print JSON
that is not JSON (NaN and infinity are not).
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

NUMBERS = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
)
SHARE = st.one_of(
    st.floats(min_value=0, max_value=1),
    NUMBERS,
    st.builds(
        lambda a, b, c: {"distribution": "triangular", "low": a, "mode": b, "high": c},
        NUMBERS,
        NUMBERS,
        NUMBERS,
    ),
    st.builds(lambda m, s: {"distribution": "normal", "mean": m, "sd": s}, NUMBERS, NUMBERS),
    st.builds(lambda a, b: {"distribution": "uniform", "low": a, "high": b}, NUMBERS, NUMBERS),
)


def _toml_value(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    return str(value)


@st.composite
def sroi_files(draw: st.DrawFn) -> str:
    lines = [
        f"investment_sek = {_toml_value(draw(st.one_of(st.floats(1, 1e7), NUMBERS)))}",
        f"discount_rate = {_toml_value(draw(st.one_of(st.floats(-0.4, 0.5), NUMBERS)))}",
    ]
    for _i in range(draw(st.integers(0, 3))):
        lines += [
            "[[outcomes]]",
            'stakeholder = "municipality"',
            f"outcome = {_toml_value(draw(st.sampled_from(['work', 'studies'])))}",
            f"quantity = {_toml_value(draw(st.one_of(st.integers(0, 50), NUMBERS)))}",
            f"value_per_unit_year_sek = {_toml_value(draw(st.one_of(st.floats(0, 1e6), NUMBERS)))}",
            f"duration_years = {_toml_value(draw(st.one_of(st.integers(1, 10), st.integers(-5, 10**6))))}",
        ]
        for share in ("deadweight", "attribution", "displacement", "drop_off"):
            if draw(st.booleans()):
                lines.append(f"{share} = {_toml_value(draw(SHARE))}")
    return "\n".join(lines) + "\n"


VALID_SHARE = st.one_of(
    st.floats(min_value=0, max_value=1),
    st.lists(st.floats(min_value=0, max_value=1), min_size=3, max_size=3).map(
        lambda v: {
            "distribution": "triangular",
            "low": min(v),
            "mode": sorted(v)[1],
            "high": max(v),
        }
    ),
    st.builds(
        lambda a, b: {"distribution": "beta", "alpha": a, "beta": b},
        st.floats(0.1, 50),
        st.floats(0.1, 50),
    ),
)


@st.composite
def valid_sroi_files(draw: st.DrawFn) -> str:
    lines = [
        f"investment_sek = {_toml_value(draw(st.floats(1, 1e9)))}",
        f"discount_rate = {_toml_value(draw(st.floats(-0.49, 0.5)))}",
    ]
    for _i in range(draw(st.integers(1, 4))):
        lines += [
            "[[outcomes]]",
            f"stakeholder = {_toml_value(draw(st.sampled_from(['municipality', 'state'])))}",
            f"outcome = {_toml_value(draw(st.sampled_from(['work', 'studies'])))}",
            f"quantity = {draw(st.integers(0, 1000))}",
            f"value_per_unit_year_sek = {_toml_value(draw(st.floats(0, 1e7)))}",
            f"duration_years = {draw(st.integers(1, 50))}",
        ]
        for share in ("deadweight", "attribution", "displacement", "drop_off"):
            if draw(st.booleans()):
                lines.append(f"{share} = {_toml_value(draw(VALID_SHARE))}")
    return "\n".join(lines) + "\n"


def _run(tmp: Path, text: str, *args: str) -> dict[str, object] | None:
    f = tmp / "fil.toml"
    f.write_text(text, encoding="utf-8")
    out = io.StringIO()
    try:
        call_command("calc", *args[:1], str(f), *args[1:], "--json", stdout=out)
    except CommandError as exc:
        assert exc.returncode == 2
        assert "fil.toml" in str(exc) or "--" in str(exc)
        return None
    data = json.loads(out.getvalue(), parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    return data


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=valid_sroi_files(), draws=st.sampled_from(["0", "200"]))
def test_a_valid_sroi_file_gives_finite_figures(tmp_path: Path, text: str, draws: str) -> None:
    data = _run(tmp_path, text, "sroi", "--simulations", draws, "--seed", "1")
    assert data is not None, text
    assert math.isfinite(data["sroi_ratio"]) and math.isfinite(data["present_value_sek"])
    if draws != "0":
        band = data["intervals"]["sroi_ratio"]
        assert band["p5"] <= band["p50"] <= band["p95"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=sroi_files(), draws=st.sampled_from(["0", "200"]))
def test_any_sroi_file_gives_finite_figures_or_exits_2(
    tmp_path: Path, text: str, draws: str
) -> None:
    data = _run(tmp_path, text, "sroi", "--simulations", draws, "--seed", "1")
    if data is not None:
        ratio = data["sroi_ratio"]
        assert ratio is None or math.isfinite(ratio)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    places=NUMBERS,
    price=NUMBERS,
    months=NUMBERS,
    tax=st.one_of(st.floats(0, 1), NUMBERS),
    employment=NUMBERS,
)
def test_any_payback_file_gives_finite_figures_or_exits_2(
    tmp_path: Path, places: object, price: object, months: object, tax: object, employment: object
) -> None:
    text = (
        "[agreement]\n"
        f"places = {_toml_value(places)}\n"
        f"price_per_place_month_sek = {_toml_value(price)}\n"
        f"months = {_toml_value(months)}\n"
        "[parameters]\n"
        "social_assistance_per_month_sek = 9000\n"
        "monthly_salary_sek = 24000\n"
        f"municipal_tax_share = {_toml_value(tax)}\n"
        "[outcomes]\n"
        f"employment = {_toml_value(employment)}\n"
    )
    _run(tmp_path, text, "payback")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("investment_sek = 1000\ndiscount_rate = -1\n", "discount_rate"),
        ("investment_sek = 1000\ndiscount_rate = 3.5\n", "discount_rate"),
        ("investment_sek = nan\n", "investment_sek: must be a finite number"),
        (
            "investment_sek = 1000\n[[outcomes]]\nstakeholder = 'm'\noutcome = 'w'\nquantity = 1\n"
            "value_per_unit_year_sek = 1\nduration_years = 100000\n",
            "outcomes[0].duration_years",
        ),
        (
            "investment_sek = 1000\n[[outcomes]]\nstakeholder = 'm'\noutcome = 'w'\nquantity = 1\n"
            "value_per_unit_year_sek = 1\nduration_years = 2\n"
            "deadweight = {distribution = 'uniform', low = 0.2, high = 1.5}\n",
            "outcomes[0].deadweight: must be a share between 0 and 1 in every value",
        ),
    ],
)
def test_each_refusal_names_the_file_and_the_field(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "fel.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("calc", "sroi", str(f), "--json", stdout=io.StringIO())
    assert raised.value.returncode == 2
    assert "fel.toml" in str(raised.value) and message in str(raised.value)


def test_a_file_that_is_not_utf8_is_refused_plainly(tmp_path: Path) -> None:
    f = tmp_path / "latin.toml"
    f.write_bytes("investment_sek = 1000 # kostnad för platserna\n".encode("latin-1"))
    with pytest.raises(CommandError, match="latin.toml: is not UTF-8") as raised:
        call_command("calc", "sroi", str(f), stdout=io.StringIO())
    assert raised.value.returncode == 2
