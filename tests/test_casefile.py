"""The Östersund case loads exactly as the report gives it; bad case files are refused whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from platsa.accounts.models import Municipality
from platsa.engine.quality import PlacementFlag, placement_flags
from platsa.placements.models import CohortOutcome, Destination, Participant, Placement
from platsa.procurement.models import Agreement, Organisation, Procurement
from platsa.site.casefile import CaseFileError, load_case, load_case_file
from platsa.site.demo import DEMO_CASE

pytestmark = pytest.mark.django_db

DATA_DATE = dt.date(2023, 11, 1)  # the municipality's occupancy data is from November 2023


def case() -> dict:
    return yaml.safe_load(DEMO_CASE.read_text(encoding="utf-8"))


def test_the_ostersund_case_has_the_report_s_organisations_and_places() -> None:
    load_case_file(DEMO_CASE)
    municipality = Municipality.objects.get(code="2380")
    assert municipality.name == "Östersund"
    places = {
        a.organisation.name: a.places_on(dt.date(2022, 9, 1)) for a in Agreement.objects.all()
    }
    assert places == {
        "A-lagets Allservice": 3,
        "Hej Främling": 3,
        "Robin Hood": 2,
        "PMU (Pingstkyrkan)": 2,
        "Röda Korset": 2,
    }
    assert Organisation.objects.get(name="A-lagets Allservice").legal_form == "economic_association"
    assert Organisation.objects.filter(legal_form="non_profit").count() == 4
    assert int(Organisation.objects.get(name="Röda Korset").turnover_sek) == 5_200_000


def test_the_agreements_are_the_report_s_terms() -> None:
    load_case_file(DEMO_CASE)
    agreements = list(Agreement.objects.all())
    assert len(agreements) == 5
    for a in agreements:
        assert (a.start_date, a.end_date) == (dt.date(2022, 9, 1), dt.date(2023, 8, 31))
        assert a.extension_years == (1, 1, 1) and a.auto_renew and a.notice_months == 6
        assert a.payment_model == "fixed_per_place_month" and int(a.price_sek) == 6000
    assert sum(a.contract_value_sek() for a in agreements) == 864_000.0
    procurement = Procurement.objects.get()
    assert procurement.kind == "direct_award" and procurement.tender_deadline == dt.date(
        2022, 8, 16
    )
    assert procurement.criteria.count() == 3 and (procurement.scale_min, procurement.scale_max) == (
        1,
        5,
    )


def test_the_17_placements_of_table_5_with_their_destinations() -> None:
    load_case_file(DEMO_CASE)
    placements = Placement.objects.all()
    assert placements.count() == 17 and Participant.objects.count() == 17
    employed = placements.filter(destination=Destination.EMPLOYED_AT_ORGANISATION)
    assert sorted((p.organisation.name, p.actual_end) for p in employed) == [
        ("A-lagets Allservice", dt.date(2023, 6, 30)),
        ("Hej Främling", dt.date(2023, 6, 9)),
    ]
    ongoing = placements.filter(actual_end__isnull=True)
    assert sorted((p.start_date, p.planned_end) for p in ongoing) == [
        (dt.date(2023, 2, 13), None),
        (dt.date(2023, 6, 21), dt.date(2023, 12, 31)),
    ]
    assert placements.filter(destination=Destination.UNKNOWN).count() == 13
    # No placement is given the studies outcome: the report does not say which one it was.
    assert not placements.filter(destination=Destination.STUDIES).exists()
    studies = CohortOutcome.objects.get()
    assert (studies.destination, studies.count) == (Destination.STUDIES, 1)


def test_the_flaws_of_the_real_data_are_kept_and_flagged() -> None:
    load_case_file(DEMO_CASE)
    early = Placement.objects.get(start_date=dt.date(2022, 8, 29))
    assert early.organisation.name == "Robin Hood"
    assert PlacementFlag.STARTS_BEFORE_AGREEMENT in placement_flags(early.facts(), as_of=DATA_DATE)
    open_end = Placement.objects.get(start_date=dt.date(2023, 2, 13))
    assert PlacementFlag.OPEN_END in placement_flags(open_end.facts(), as_of=DATA_DATE)
    irregular = Placement.objects.get(start_date=dt.date(2023, 6, 21))
    assert "2023-12 31" in irregular.source_note
    assert PlacementFlag.SOURCE_IRREGULAR in placement_flags(irregular.facts(), as_of=DATA_DATE)


def test_loading_twice_duplicates_nothing() -> None:
    first = load_case_file(DEMO_CASE)
    counts = [
        m.objects.count() for m in (Organisation, Agreement, Placement, Participant, CohortOutcome)
    ]
    second = load_case_file(DEMO_CASE)
    assert [
        m.objects.count() for m in (Organisation, Agreement, Placement, Participant, CohortOutcome)
    ] == counts
    assert second.created == {} and second.updated["placements"] == 17
    assert first.created["placements"] == 17


def _refused(data: dict, match: str) -> CaseFileError:
    with pytest.raises(CaseFileError, match=match) as info:
        load_case(data, file="case.yaml")
    return info.value


def test_an_end_before_the_start_names_the_file_row_and_field_and_saves_nothing() -> None:
    data = case()
    data["placements"][4]["end"] = dt.date(2022, 1, 1)
    error = _refused(data, "Slutet får inte ligga före starten")
    assert error.file == "case.yaml" and error.where == "placements[4].end"
    assert Municipality.objects.count() == 0 and Placement.objects.count() == 0


def test_an_unknown_organisation_is_named() -> None:
    data = case()
    data["placements"][0]["organisation"] = "Okänd förening"
    error = _refused(data, "okänd organisation 'Okänd förening'")
    assert error.where == "placements[0].organisation"
    assert Organisation.objects.count() == 0


def test_negative_places_are_refused() -> None:
    data = case()
    data["agreements"][2] = {
        **data["agreements"][2],
        "places": [{"valid_from": dt.date(2022, 9, 1), "places": -1}],
    }
    error = _refused(data, "måste vara 0 eller fler")
    assert error.where == "agreements[2].places[0].places"
    assert Agreement.objects.count() == 0


def test_an_irregular_date_is_refused_with_how_to_write_it() -> None:
    data = case()
    data["placements"][7]["planned_end"] = "2023-12 31"
    error = _refused(data, "skriv det som ÅÅÅÅ-MM-DD")
    assert error.where == "placements[7].planned_end"


def test_an_unknown_field_and_a_wrong_format_are_refused() -> None:
    data = case()
    data["placements"][0]["name"] = "Anna"
    assert _refused(data, "okänt fält name").where == "placements[0]"
    data = case()
    data["format"] = "other"
    assert _refused(data, "måste vara platsa-case/1").where == "(top).format"


def test_a_name_like_participant_code_is_refused() -> None:
    data = case()
    data["placements"][0]["participant"] = "Anna Andersson"
    error = _refused(data, "aldrig ett namn eller ett personnummer")
    assert error.where == "placements[0].participant"


def test_invalid_yaml_and_missing_files_name_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: platsa-case/1\nplacements: [\n", encoding="utf-8")
    with pytest.raises(CaseFileError, match=r"broken\.yaml: rad \d+: är inte giltig YAML"):
        load_case_file(broken)
    with pytest.raises(CaseFileError, match="missing.yaml: kan inte läsas"):
        load_case_file(tmp_path / "missing.yaml")
