"""The DfE statistics importer on small hand-made files (tests/files): what it keeps, what it
refuses, and that a dry run or the same file again changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from workforce.benchmarks import importers, selectors
from workforce.benchmarks.importers import Code
from workforce.benchmarks.models import (
    Area,
    AreaLevel,
    NotAvailable,
    Publication,
    PublishedValue,
    Release,
    StatisticalNeighbour,
)
from workforce.benchmarks.services import REFERENCE
from workforce.core.models import Authority
from workforce.imports.base import Outcome

FILES = Path(__file__).resolve().parent / "files"
pytestmark = pytest.mark.django_db


def read(name: str, *, apply: bool = True) -> Outcome:
    return importers.read((FILES / name).read_bytes(), apply=apply, filename=name)


def value(code: str, year: int, measure: str, release: Release | None = None) -> PublishedValue:
    found = PublishedValue.objects.filter(area__code=code, year=year, measure=measure)
    if release is not None:
        found = found.filter(release=release)
    return found.get()


def nothing_written() -> bool:
    return not (
        Release.objects.exists() or Area.objects.exists() or PublishedValue.objects.exists()
    )


def test_a_file_is_read_into_one_release_with_its_areas_and_values() -> None:
    outcome = read("csww_small.csv")

    assert outcome.error_count == 0
    release = Release.objects.get()
    assert release.publication == Publication.CSWW
    assert (release.first_year, release.last_year, release.rows) == (2023, 2024, 5)
    assert len(release.sha256) == 64
    assert outcome.counts == {
        "Release": {"create": 1},
        "Area": {"create": 6},  # England, London, Inner and Outer London, 2 authorities
        "Published value": {"create": 110},
    }
    assert PublishedValue.objects.count() == 110  # 5 rows of 22 measures
    assert value("202", 2024, "csww.turnover_rate_headcount").value == Decimal("15.4")
    assert value("E92000001", 2024, "csww.cases").value == 9000
    assert outcome.summary["not_published"] == 9


def test_areas_are_england_regions_and_authorities_linked_to_this_systems_authorities(
    reference_data: None,
) -> None:
    read("csww_small.csv")

    england = Area.objects.get(code="E92000001")
    assert (england.level, england.name) == (AreaLevel.NATIONAL, "England")
    assert Area.objects.get(code="E12000007").level == AreaLevel.REGIONAL
    camden = Area.objects.get(code="202")
    assert camden.authority == Authority.objects.get(code="202")
    assert camden.ons_code == "E09000007"
    assert camden.region is not None and camden.region.code == "E13000001"
    assert not camden.combined


def test_two_authorities_reporting_together_are_one_combined_area_of_no_authority(
    reference_data: None,
) -> None:
    read("csww_small.csv")

    together = Area.objects.get(code="314 / 318")
    assert together.combined
    assert together.authority is None
    assert together.name == "Kingston upon Thames / Richmond upon Thames"
    assert value("314 / 318", 2024, "csww.caseload_fte").value == Decimal("15.0")


def test_suppressed_values_are_kept_as_not_available_with_their_reason_never_zero() -> None:
    read("csww_small.csv")

    expected = {
        "csww.agency_fte": NotAvailable.LOW,
        "csww.agency_rate_fte": NotAvailable.LOW,
        "csww.agency_cover_fte": NotAvailable.LOW,
        "csww.agency_cover_rate_fte": NotAvailable.LOW_RELIABILITY,
        "csww.vacancy_agency_cover_rate_fte": NotAvailable.NOT_APPLICABLE,
        "csww.cases": NotAvailable.NOT_AVAILABLE,
        "csww.caseload_fte": NotAvailable.NOT_AVAILABLE,
        "csww.working_days_lost_fte": NotAvailable.CONFIDENTIAL,
        "csww.absence_rate_fte": NotAvailable.CONFIDENTIAL,
    }
    withheld = PublishedValue.objects.exclude(not_available="")
    assert {v.measure: v.not_available for v in withheld} == expected
    assert all(v.value is None for v in withheld)
    assert all(v.area.code == "202" and v.year == 2024 for v in withheld)
    # A published zero is a zero.
    assert value("202", 2024, "csww.agency_headcount").value == 0


def test_a_revised_year_in_a_later_release_keeps_what_was_published_before() -> None:
    read("csww_small.csv")
    first = Release.objects.get()
    outcome = read("csww_small_revised.csv")

    assert outcome.error_count == 0
    second = Release.objects.exclude(pk=first.pk).get()
    camden = Area.objects.get(code="202")
    history = selectors.published_history(camden, 2024, "csww.turnover_rate_fte")
    assert [(v.release, v.value) for v in history] == [
        (first, Decimal("15.0")),
        (second, Decimal("18.0")),
    ]
    current = selectors.current_values("csww.turnover_rate_fte", areas=[camden])
    assert {year: v.value for (_, year), v in current.items()} == {
        2023: Decimal("10.0"),  # only the first release gives 2023
        2024: Decimal("18.0"),  # revised
        2025: Decimal("10.0"),  # new
    }
    assert current[(camden.pk, 2023)].release == first
    assert outcome.counts["Area"] == {"match": 3}  # England, Inner London, Camden


def test_a_dry_run_changes_nothing() -> None:
    outcome = read("csww_small.csv", apply=False)

    assert outcome.error_count == 0
    assert outcome.counts["Published value"] == {"create": 110}
    assert nothing_written()


def test_importing_the_same_file_again_changes_nothing() -> None:
    read("csww_small.csv")
    before = list(PublishedValue.objects.values_list("pk", "value", "not_available"))

    again = read("csww_small.csv")

    assert again.error_count == 0
    assert again.changes == 0
    assert again.counts == {"Release": {"match": 1}}
    assert Release.objects.count() == 1
    assert list(PublishedValue.objects.values_list("pk", "value", "not_available")) == before


def only_error(outcome: Outcome) -> tuple[str, int | None, str, str]:
    assert outcome.error_count == 1, outcome.errors
    problem = outcome.errors[0]
    return problem.code, problem.line, problem.column, problem.value


def test_a_duplicate_row_is_refused_naming_both_lines_and_nothing_is_imported() -> None:
    outcome = read("csww_duplicate.csv")

    assert only_error(outcome) == (Code.DUPLICATE, 4, "time_period", "2023")
    assert "repeats line 2" in outcome.errors[0].message
    assert nothing_written()


def test_a_malformed_number_is_refused_naming_its_row_and_column() -> None:
    outcome = read("csww_malformed.csv")

    assert only_error(outcome) == (Code.NUMBER, 3, "inpost_fte", "9O.0")
    assert "not a number" in outcome.errors[0].message
    assert nothing_written()


def test_a_missing_column_is_refused_naming_the_column() -> None:
    outcome = read("csww_missing_column.csv")

    assert only_error(outcome) == (Code.MISSING_COLUMN, 1, "leavers_fte", "")
    assert "has no column leavers_fte" in outcome.errors[0].message
    assert outcome.counts == {}
    assert nothing_written()


def test_a_file_of_another_layout_is_refused() -> None:
    outcome = read("other_layout.csv")

    code, line, _, _ = only_error(outcome)
    assert (code, line) == (Code.LAYOUT, 1)
    assert "not a DfE statistics file" in outcome.errors[0].message
    assert nothing_written()


def test_a_bad_level_a_bad_year_and_a_missing_area_code_are_each_named() -> None:
    text = (FILES / "csww_small.csv").read_text()
    lines = text.splitlines()
    lines[1] = lines[1].replace(",National,", ",Country,")
    lines[2] = lines[2].replace("2024,", "2024-25,", 1)
    lines[3] = lines[3].replace("314 / 318,", ",", 1)
    data = ("\n".join(lines) + "\n").encode()

    outcome = importers.read(data, apply=True, filename="bad.csv")

    assert {(p.code, p.line, p.column) for p in outcome.errors} == {
        (Code.LEVEL, 2, "geographic_level"),
        (Code.YEAR, 3, "time_period"),
        (Code.AREA_CODE, 4, "old_la_code"),
    }
    assert nothing_written()


def test_text_that_is_not_utf8_is_refused() -> None:
    outcome = importers.read(b"\xff\xfe\x00t\x00i", apply=True, filename="x.csv")

    assert only_error(outcome)[0] == Code.UNREADABLE


def test_the_statistical_neighbours_are_kept_in_dfes_order() -> None:
    name = "statistical_neighbours_2025.csv"
    outcome = importers.read((REFERENCE / name).read_bytes(), apply=True, filename=name)

    assert outcome.error_count == 0
    release = Release.objects.get()
    assert (release.publication, release.first_year, release.last_year) == (
        Publication.NEIGHBOURS,
        2025,
        2025,
    )
    assert StatisticalNeighbour.objects.count() == 1530  # 153 authorities, 10 each
    barnsley = Area.objects.get(code="370")
    # As published: 372, 384, 357, 371, 332, 894, 840, 390, 807, 394.
    assert [a.code for a in selectors.neighbours(barnsley)] == [
        "372", "384", "357", "371", "332", "894", "840", "390", "807", "394",
    ]  # fmt: skip
    closest = StatisticalNeighbour.objects.get(area=barnsley, rank=1)
    assert closest.closeness == "Very close"


def test_the_command_imports_checks_and_names_errors(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("import_dfe_statistics", str(FILES / "csww_small.csv"), "--dry-run")
    assert "nothing was imported" in capsys.readouterr().out
    assert nothing_written()

    call_command("import_dfe_statistics", str(FILES / "csww_small.csv"))
    out = capsys.readouterr().out
    assert "Published value: 110 new" in out
    assert Release.objects.count() == 1

    with pytest.raises(CommandError) as refused:
        call_command("import_dfe_statistics", str(FILES / "csww_malformed.csv"))
    message = str(refused.value)
    assert "so nothing was imported" in message
    assert "Line 3, column inpost_fte, value '9O.0' [DFE-104]" in message

    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_dfe_statistics", str(FILES / "no_such_file.csv"))


def test_release_loaded_at_is_when_it_was_loaded() -> None:
    when = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    data = (FILES / "csww_small.csv").read_bytes()
    release = importers.load_statistics(data, Outcome(), filename="csww_small.csv", now=when)
    assert release is not None and release.loaded_at == when
