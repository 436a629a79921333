"""Importing a CSWW return: the hand-worked authority's return read into an empty authority
gives the same figures and the same return; a second import changes nothing; a bad file
changes nothing and says why."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from lxml import etree

from workforce.census.importer import FIRST_NAME, TO_BE_ASSIGNED, CSWWImporter
from workforce.census.models import CensusSnapshot, CensusSnapshotWorker
from workforce.census.returns import build_return, to_xml
from workforce.census.tests.world import CENSUS_DAY, YEAR, build, needs_schema
from workforce.establishment.models import (
    Absence,
    AgencyCover,
    Engagement,
    EngagementKind,
    Leaving,
    Post,
    Worker,
)
from workforce.imports.base import Action, read
from workforce.metrics.engine import MetricsFilter
from workforce.metrics.selectors import measures_on

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 11, 3, 9, 30, tzinfo=dt.UTC)
FIGURES = (
    "in_post_fte",
    "in_post_headcount",
    "starters_headcount",
    "leavers_headcount",
    "leavers_fte",
    "agency_fte",
    "agency_headcount",
    "vacancy_fte",
)


def _for(xml: bytes, code: str) -> bytes:
    """The same return, said to be LA `code`'s."""
    root = etree.fromstring(xml)
    root.find("Header/Source/LEA").text = code  # type: ignore[union-attr]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _figures(authority) -> dict:
    where = MetricsFilter(authority_ids=(authority.pk,))
    return measures_on(where=where, on=CENSUS_DAY, keys=list(FIGURES)).at(0)


def _workers(xml: bytes) -> list[dict[str, str]]:
    root = etree.fromstring(xml)
    records = [{c.tag: c.text or "" for c in w} for w in root.iter("CSWWWorker")]
    return sorted(records, key=lambda r: (r["SWENo"], r["AgencyWorker"]))


@pytest.fixture
def original(authority, reference_data):
    build(authority)
    return to_xml(build_return(authority, YEAR), now=NOW)


@pytest.fixture
def imported(original, other_authority):
    outcome = read(CSWWImporter(), other_authority, _for(original, "998"), apply=True)
    assert not outcome.errors, outcome.errors
    return outcome


def test_the_imported_authority_has_the_same_figures_at_30_september(
    authority, other_authority, imported
):
    assert _figures(other_authority) == _figures(authority)
    assert _figures(other_authority)["vacancy_fte"] == Decimal("2.20")


def test_exporting_the_imported_authority_gives_the_same_return(
    original, other_authority, imported
):
    again = to_xml(build_return(other_authority, YEAR), now=NOW)
    assert _workers(again) == _workers(original)
    for element in ("NumberOfVacancies", "NoAgencyFTE", "NoAgencyHeadcount"):
        path = f"LALevelVacancies/{element}"
        assert etree.fromstring(again).findtext(path) == etree.fromstring(original).findtext(path)


def test_what_the_import_creates(other_authority, imported):
    counts = imported.counts
    assert counts["worker"] == {"create": 5}
    assert counts["engagement"] == {"create": 4}  # perm, part (one record: 1.0), leaver, starter
    assert counts["leaving"] == {"create": 1}
    assert counts["agency engagement"] == {"create": 1}
    assert counts["census items"] == {"create": 5}
    # 2.20 FTE of vacancies: 1.00 covered by the agency worker's post, then 1.00 and 0.20.
    assert counts["vacant post"] == {"create": 2}
    team = other_authority and Post.objects.filter(authority=other_authority)[0].team
    assert team.name == TO_BE_ASSIGNED
    assert {p.team_id for p in Post.objects.filter(authority=other_authority)} == {team.pk}

    leaver = Worker.objects.get(authority=other_authority, swe_number="SW0000000333")
    assert (leaver.first_name, leaver.last_name) == (FIRST_NAME, "SW0000000333")
    assert leaver.date_of_birth == dt.date(1990, 12, 1)
    (leaving,) = Leaving.objects.filter(worker=leaver)
    assert (leaving.last_day, leaving.reason, leaving.destination) == (
        dt.date(2025, 2, 28),
        "1",
        "1",
    )
    (engagement,) = Engagement.objects.filter(worker=leaver)
    assert (engagement.start, engagement.end) == (dt.date(2019, 6, 1), dt.date(2025, 3, 1))
    assert engagement.post.end == dt.date(2025, 3, 1)  # no vacancy left behind by the leaver

    starter = Worker.objects.get(authority=other_authority, swe_number="SW0000444444")
    (engagement,) = Engagement.objects.filter(worker=starter)
    assert (engagement.start, engagement.fte, engagement.start_origin) == (
        dt.date(2025, 4, 1),
        Decimal("0.80"),
        "1",
    )
    agency = Engagement.objects.get(authority=other_authority, kind=EngagementKind.AGENCY)
    assert (agency.start, agency.fte, agency.covers) == (
        CENSUS_DAY,
        Decimal("1.00"),
        AgencyCover.VACANCY,
    )
    # No invented records: no absences, no cases; the items are kept as the year's snapshot.
    assert not Absence.objects.filter(authority=other_authority).exists()
    snapshot = CensusSnapshot.objects.get(authority=other_authority, year=YEAR)
    assert (snapshot.vacancies_fte, snapshot.agency_fte, snapshot.agency_headcount) == (
        Decimal("2.20"),
        Decimal("1.00"),
        1,
    )
    perm = CensusSnapshotWorker.objects.get(snapshot=snapshot, worker__swe_number="SW0000123456")
    assert (perm.cases30, perm.working_days_lost) == (2, Decimal("4.00"))
    part = CensusSnapshotWorker.objects.get(snapshot=snapshot, worker__swe_number="SW0000000222")
    assert (part.absent_at_30, part.reason_absence) == (True, "MAT")


def test_importing_the_same_file_again_changes_nothing(original, other_authority, imported):
    before = _figures(other_authority)
    rows = (Worker, Engagement, Leaving, Post, CensusSnapshotWorker)
    counted = [m.objects.filter(authority=other_authority).count() for m in rows]
    again = read(CSWWImporter(), other_authority, _for(original, "998"), apply=True)
    assert not again.errors
    assert again.changes == 0
    assert {e.action for e in again.entries} == {Action.MATCH}
    assert [m.objects.filter(authority=other_authority).count() for m in rows] == counted
    assert _figures(other_authority) == before


def test_a_dry_run_writes_nothing_but_says_what_it_would_do(original, other_authority):
    outcome = read(CSWWImporter(), other_authority, _for(original, "998"), apply=False)
    assert not outcome.errors
    assert outcome.counts["worker"] == {"create": 5}
    assert not Worker.objects.filter(authority=other_authority).exists()
    assert not CensusSnapshot.objects.filter(authority=other_authority).exists()


def test_a_matched_worker_keeps_what_the_system_holds(original, authority):
    # Into the authority the return came from: everyone is matched by SWE number.
    perm = Worker.objects.get(authority=authority, staff_number="S1")
    perm.ethnicity = "WIRI"
    perm.save()
    outcome = read(CSWWImporter(), authority, original, apply=True)
    assert not outcome.errors
    assert outcome.counts["worker"] == {"match": 5}
    assert outcome.counts["engagement"] == {"match": 4}
    assert outcome.counts["leaving"] == {"match": 1}
    perm.refresh_from_db()
    assert perm.ethnicity == "WIRI"
    # Its establishment already shows the return's vacancies: no post is added for them.
    assert "vacant post" not in outcome.counts
    assert _figures(authority)["vacancy_fte"] == Decimal("2.20")
    (kept,) = [p for p in outcome.warnings if p.record == "Worker 1 (SW0000123456)"]
    assert kept.field == "Ethnicity"
    assert "WBRI" in kept.message


# Bad input: a clear message naming the element and worker, and nothing imported -------------


def _refused(authority, data: bytes) -> list:
    outcome = read(CSWWImporter(), authority, data, apply=True)
    assert outcome.errors
    assert not Worker.objects.filter(authority=authority).exists()
    assert not CensusSnapshot.objects.filter(authority=authority).exists()
    assert not outcome.entries
    return outcome.errors


def _edit(xml: bytes, position: int, element: str, value: str | None) -> bytes:
    root = etree.fromstring(xml)
    worker = root.findall("CSWWWorker")[position - 1]
    item = worker.find(element)
    if value is None:
        worker.remove(item)
    elif item is None:
        etree.SubElement(worker, element).text = value
    else:
        item.text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_malformed_xml_is_refused(other_authority, reference_data):
    (error,) = _refused(other_authority, b"<Message><Header></Message>")
    assert "not well-formed" in error.message


def test_an_entity_expansion_bomb_is_refused_unexpanded(other_authority, reference_data):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
        )
        + b"]><Message>&i;</Message>"
    )
    (error,) = _refused(other_authority, bomb)
    assert error.field == "file"
    assert "DOCTYPE" in error.message or "entity" in error.message


def test_another_kind_of_file_is_refused(other_authority, reference_data):
    (error,) = _refused(other_authority, b"<Message><Header/></Message>")
    assert error.field == "Collection"
    (error,) = _refused(other_authority, b"<Return/>")
    assert "not a CSWW return" in error.message


def test_another_authoritys_return_is_refused(original, other_authority):
    (error,) = _refused(other_authority, original)
    assert error.field == "LEA"
    assert "999" in error.message and "998" in error.message


def test_an_unknown_code_names_the_element_and_worker(original, other_authority):
    data = _edit(_for(original, "998"), 2, "Ethnicity", "ZZZZ")
    errors = _refused(other_authority, data)
    assert any(
        e.field == "Ethnicity" and e.record.startswith("Worker 2 (") and "ZZZZ" in e.message
        for e in errors
    ), errors


def test_an_end_before_the_start_is_refused(original, other_authority):
    # Worker 3 is the leaver (last day 28 February 2025); start the role after that.
    data = _edit(_for(original, "998"), 3, "RoleStartDate", "2025-06-01")
    errors = _refused(other_authority, data)
    assert any(e.field == "RoleEndDate" and e.record.startswith("Worker 3 (") for e in errors)


def test_a_role_with_no_end_nor_fte30_is_refused(original, other_authority):
    data = _edit(_for(original, "998"), 3, "RoleEndDate", None)
    data = _edit(data, 3, "ReasonLeave", None)
    data = _edit(data, 3, "LeaverDestination", None)
    errors = _refused(other_authority, data)
    assert any("neither in post" in e.message and e.record.startswith("Worker 3") for e in errors)


def test_a_worker_without_swe_number_cannot_be_imported(original, other_authority):
    errors = _refused(other_authority, _edit(_for(original, "998"), 1, "SWENo", ""))
    assert any(e.field == "SWENo" and e.record == "Worker 1" for e in errors)


def test_a_year_not_ended_is_refused(original, other_authority):
    root = etree.fromstring(_for(original, "998"))
    root.find("Header/CollectionDetails/Year").text = "2099"  # type: ignore[union-attr]
    (error,) = _refused(other_authority, etree.tostring(root))
    assert error.field == "Year"


def test_a_file_too_large_is_refused_before_it_is_read(other_authority):
    big = b" " * (CSWWImporter.max_bytes + 1)
    (error,) = _refused(other_authority, big)
    assert error.field == "file" and "largest" in error.message


@needs_schema
def test_a_file_the_schema_refuses_is_refused(original, other_authority):
    data = _edit(_for(original, "998"), 1, "FTE", "lots")
    errors = _refused(other_authority, data)
    assert any(e.field == "FTE" and e.record.startswith("Worker 1 (") for e in errors), errors
