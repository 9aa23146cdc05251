"""``platsa calc``: the examples and the analysts' scenario files, through the CLI.

A scenario file (tests/scenarios/*.yaml) names a calculation, its input (a file or inline TOML)
and the expected figures, each with a tolerance: an analyst can add one without writing Python.
"""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "tests" / "scenarios").glob("*.yaml"))


def _calc(*args: str) -> dict:
    out = StringIO()
    call_command("calc", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def _at(data: object, path: str) -> object:
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]  # type: ignore[index]
    return data


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.stem for s in SCENARIOS])
def test_scenario(scenario: Path, tmp_path: Path) -> None:
    spec = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    if "inline" in spec:
        path = tmp_path / f"{scenario.stem}.toml"
        path.write_text(spec["inline"], encoding="utf-8")
    else:
        path = ROOT / spec["file"]
    args = [spec["calculation"], str(path)]
    if "simulations" in spec:
        args += ["--simulations", str(spec["simulations"]), "--seed", str(spec["seed"])]
    result = _calc(*args)
    assert spec["expect"], "a scenario must expect something"
    for key, expected in spec["expect"].items():
        assert _at(result, key) == pytest.approx(
            expected["value"], abs=expected.get("tolerance", 1e-9)
        ), key


def test_the_payback_json_has_the_contract_s_fields() -> None:
    result = _calc("payback", str(ROOT / "examples/ostersund-2022-23-payback.toml"))
    assert set(result) >= {
        "investment_sek",
        "monthly_value_sek",
        "annual_value_sek",
        "payback_years",
        "breakeven_employments_one_year",
        "rule_of_thumb",
    }
    assert set(result["rule_of_thumb"][0]) == {
        "placement_months",
        "placements_per_year",
        "investment_per_individual_sek",
        "payback_months_on_employment",
    }


def test_the_sroi_json_has_the_contract_s_fields() -> None:
    result = _calc(
        "sroi",
        str(ROOT / "examples/ostersund-2022-23-sroi.toml"),
        "--simulations",
        "2000",
        "--seed",
        "1",
    )
    assert set(result) >= {
        "present_value_sek",
        "net_present_value_sek",
        "sroi_ratio",
        "payback_months",
        "by_stakeholder",
        "by_year_undiscounted",
        "intervals",
        "probability_sroi_above_1",
        "tornado",
        "switching_values",
    }
    assert set(result["intervals"]) >= {"sroi_ratio", "net_present_value_sek"}
    assert set(result["intervals"]["sroi_ratio"]) == {"p5", "p50", "p95"}


def test_the_same_seed_gives_the_same_figures() -> None:
    args = (
        "sroi",
        str(ROOT / "examples/ostersund-2022-23-sroi.toml"),
        "--simulations",
        "5000",
        "--seed",
        "42",
    )
    assert _calc(*args)["intervals"] == _calc(*args)["intervals"]


def test_the_readable_output_is_swedish_and_explains_itself() -> None:
    out = StringIO()
    call_command(
        "calc", "payback", str(ROOT / "examples/ostersund-2022-23-payback.toml"), stdout=out
    )
    text = out.getvalue()
    assert "Investering: 864\u00a0000\u00a0kr" in text and "Återbetalningstid: 1,89 år" in text
    assert "instead of the computed" in text  # the trace says the tax was overridden
    assert "formel: investment_sek / annual_value_sek" in text  # the trace's labels in Swedish
    assert "formula:" not in text


ROW = (
    "investment_sek = 100\n[[outcomes]]\nstakeholder='a'\noutcome='b'\nquantity=1\n"
    "value_per_unit_year_sek=1\n"
)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("investment_sek = 100\n", "bad.toml: outcomes: needs at least one [[outcomes]] row"),
        (
            ROW + "duration_years=1\ndeadweight=1.5\n",
            "bad.toml: outcomes[0].deadweight: must be a share between 0 and 1, got 1.5",
        ),
        (
            ROW + "duration_years=1\n"
            "drop_off={distribution='triangular', low=0.5, mode=0.1, high=0.9}\n",
            "bad.toml: outcomes[0].drop_off: triangular needs low <= mode <= high",
        ),
        ("investment_sek = 'much'\n", "bad.toml: investment_sek: must be a number"),
        (
            ROW + "duration_years=1.5\n",
            "bad.toml: outcomes[0].duration_years: must be a whole number",
        ),
        ("investment_sek = 100\nbogus = 1\n", "bad.toml: bogus: unknown field"),
        ("this is not toml", "bad.toml: is not valid TOML"),
    ],
)
def test_a_bad_file_exits_2_naming_the_file_and_field(
    tmp_path: Path, toml: str, message: str
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(toml, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "platsa", "calc", "sroi", str(bad)], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert message in done.stderr


def test_a_bad_payback_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        "[agreement]\nplaces = -3\nprice_per_place_month_sek = 6000\nmonths = 12\n"
        "[parameters]\nsocial_assistance_per_month_sek = 9000\nmonthly_salary_sek = 24000\n"
        "municipal_tax_share = 22\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "platsa", "calc", "payback", str(bad)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "bad.toml: agreement.places: must be 0 or more, got -3" in done.stderr


def test_a_payback_file_without_parameters_must_say_which_date_to_take_them_from(
    tmp_path: Path,
) -> None:
    f = tmp_path / "p.toml"
    f.write_text(
        "[agreement]\nplaces = 12\nprice_per_place_month_sek = 6000\nmonths = 12\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "platsa", "calc", "payback", str(f)], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert (
        "p.toml: parameters.social_assistance_per_month_sek: is required (or give parameters_on"
        in done.stderr
    )
    f.write_text(
        "[agreement]\nplaces = 12\nprice_per_place_month_sek = 6000\nmonths = 12\n"
        "[parameters]\nparameters_on = 2019-01-01\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "platsa", "calc", "payback", str(f)], capture_output=True, text=True
    )
    assert done.returncode == 2 and "has no value before 2022-01-01" in done.stderr


def test_platsa_calc_runs_without_the_apps_or_a_database(tmp_path: Path) -> None:
    """The console command computes a file with the engine and translations only."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PLATSA_DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"  # never touched
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "platsa",
            "calc",
            "payback",
            str(ROOT / "examples/ostersund-2022-23-payback.toml"),
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["annual_value_sek"] == 456_000
    text = subprocess.run(
        [
            sys.executable,
            "-m",
            "platsa",
            "calc",
            "payback",
            str(ROOT / "examples/ostersund-2022-23-payback.toml"),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert "Värde för kommunen per år: 456 000 kr" in text.stdout.replace("\u00a0", " ")
    bad = tmp_path / "fel.toml"
    bad.write_text("investment_sek = nan\n", encoding="utf-8")
    refused = subprocess.run(
        [sys.executable, "-m", "platsa", "calc", "sroi", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert refused.returncode == 2 and "fel.toml: investment_sek" in refused.stderr
