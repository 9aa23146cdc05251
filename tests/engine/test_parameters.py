"""Parameters as data: dated values with references, overrides by splicing, a strict loader."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from platsa.engine.parameters import (
    DATA_DIR,
    ParameterError,
    default_parameters,
    load_parameter_dir,
)

ON = dt.date(2023, 6, 1)


def test_every_shipped_value_has_a_reference_and_the_report_s_are_marked() -> None:
    for directory in [DATA_DIR / "parameters", *sorted((DATA_DIR / "overrides").iterdir())]:
        for parameter in load_parameter_dir(directory).values():
            assert parameter.description and parameter.unit
            assert all(v.reference for v in parameter.values)
    p = default_parameters()
    for name in ("social_assistance_per_month", "monthly_salary", "municipal_tax_rate"):
        assert p.use(name, on=ON).from_report
    assert not p.use("employer_contribution_rate", on=ON).from_report
    assert p.value("employer_contribution_rate", on=ON) == 0.3142
    assert p.value("social_assistance_per_month", on=ON) == 9000
    assert p.value("monthly_salary", on=ON) == 24000


def test_ostersund_s_own_tax_rates_override_the_report_s_round_figures() -> None:
    ostersund = default_parameters("2380")
    assert ostersund.value("municipal_tax_rate", on=ON) == 0.2202
    assert ostersund.value("regional_tax_rate", on=ON) == 0.117
    assert default_parameters("9999").value("municipal_tax_rate", on=ON) == 0.22
    assert ostersund.digest() != default_parameters().digest()


def _write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_value_is_the_latest_on_or_before_the_date(tmp_path: Path) -> None:
    _write(
        tmp_path / "parameters",
        "rate",
        """
description: a rate
unit: share
values:
  2020-01-01: {value: 0.1, reference: law A}
  2023-07-01: {value: 0.2, reference: law B}
""",
    )
    p = default_parameters(data_dir=tmp_path)
    assert p.value("rate", on=dt.date(2023, 6, 30)) == 0.1
    assert p.value("rate", on=dt.date(2023, 7, 1)) == 0.2
    use = p.use("rate", on=dt.date(2024, 1, 1))
    assert (use.effective_from, use.reference) == (dt.date(2023, 7, 1), "law B")
    with pytest.raises(ParameterError, match="rate.yaml: rate: has no value before 2020-01-01"):
        p.value("rate", on=dt.date(2019, 12, 31))


def test_overrides_splice_dated_values_into_the_defaults(tmp_path: Path) -> None:
    _write(
        tmp_path / "parameters",
        "rate",
        """
description: a rate
unit: share
values:
  2020-01-01: {value: 0.1, reference: default}
  2024-01-01: {value: 0.3, reference: default later}
""",
    )
    _write(
        tmp_path / "overrides" / "1234",
        "rate",
        """
description: a rate here
unit: share
values:
  2022-01-01: {value: 0.15, reference: our council}
""",
    )
    p = default_parameters("1234", data_dir=tmp_path)
    assert [p.value("rate", on=dt.date(y, 6, 1)) for y in (2021, 2023, 2025)] == [0.1, 0.15, 0.3]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "description: d\nunit: u\nvalues:\n  2020-01-01: {value: 1}\n",
            "rate.yaml: values.2020-01-01.reference: every value needs a reference",
        ),
        (
            "description: d\nunit: u\nvalues:\n  2020-01-01: {value: lots, reference: r}\n",
            "rate.yaml: values.2020-01-01.value: must be a number",
        ),
        (
            "description: d\nunit: u\nvalues:\n  2020-13-01: {value: 1, reference: r}\n",
            "rate.yaml: values.2020-13-01: is not a date",
        ),
        ("description: d\nunit: u\nvalus: {}\n", "rate.yaml: valus: unknown key"),
        (
            "unit: u\nvalues:\n  2020-01-01: {value: 1, reference: r}\n",
            "rate.yaml: description: is required",
        ),
        (
            "description: d\nunit: u\nvalues:\n  2020-01-01: {value: 1, reference: r, sorce: x}\n",
            "rate.yaml: values.2020-01-01.sorce: unknown key",
        ),
    ],
)
def test_the_loader_names_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    _write(tmp_path / "parameters", "rate", text)
    with pytest.raises(ParameterError) as info:
        default_parameters(data_dir=tmp_path)
    assert str(info.value).startswith(message)


def test_an_unknown_parameter_is_named() -> None:
    with pytest.raises(ParameterError, match="salary: unknown parameter"):
        default_parameters().value("salary", on=ON)


def test_the_student_grant_is_the_statute_s_share_of_the_price_base_amount() -> None:
    """Studiestödslagen 3 kap. 12 §: the general grant a week is 1.59 % of the price base amount
    until June 2018 and 1.74 % from July 2018 (SFS 2017:1325), rounded down to whole kronor. The
    shipped values follow it year by year, those CSN published and those derived alike."""
    import datetime as dt
    import math

    from platsa.engine.parameters import default_parameters

    parameters = default_parameters()
    grant = parameters.get("student_grant_per_week")
    assert grant.values[0].effective_from == dt.date(2015, 1, 1)
    for dated in grant.values:
        day = dated.effective_from
        share = 0.0159 if day < dt.date(2018, 7, 1) else 0.0174
        pbb = parameters.value("price_base_amount", on=day)
        assert dated.value == math.floor(round(share * pbb, 6)), day
        assert dated.reference
    # CSN's own published amounts among them.
    published = {2016: 704, 2017: 712, 2019: 809, 2023: 913, 2024: 997}
    for year, amount in published.items():
        assert parameters.value("student_grant_per_week", on=dt.date(year, 6, 1)) == amount
    assert parameters.value("student_grant_per_week", on=dt.date(2018, 8, 1)) == 791


def test_ostersund_s_own_tax_rates_reach_back_to_2015() -> None:
    """Östersund's own page lists its rates year by year: 22.02 % to the municipality throughout
    2015–2024, 11.20 % to the region until 2019 and 11.70 % from 2020."""
    import datetime as dt

    from platsa.engine.parameters import default_parameters

    parameters = default_parameters("2380")
    for year, regional in ((2015, 0.112), (2019, 0.112), (2020, 0.117), (2024, 0.117)):
        on = dt.date(year, 6, 1)
        assert parameters.value("municipal_tax_rate", on=on) == 0.2202
        assert parameters.value("regional_tax_rate", on=on) == regional
        assert parameters.use("regional_tax_rate", on=on).reference.startswith("Östersunds kommun")
