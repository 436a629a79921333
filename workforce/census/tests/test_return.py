"""The return for a hand-worked authority: exact values, the schema, and agreement with the
figures layer read back from the XML by an independent reader."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from lxml import etree

from workforce.census.returns import (
    NO_SCHEMA,
    SUMMARY_KEYS,
    WORKER_ELEMENTS,
    build_return,
    schema_installed,
    to_xml,
    validate,
)
from workforce.census.tests.reader import differences, read_back
from workforce.census.tests.world import CENSUS_DAY, YEAR, build, needs_schema
from workforce.metrics.engine import MetricsFilter
from workforce.metrics.selectors import measures_on

NOW = dt.datetime(2025, 11, 3, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def xml(authority):
    build(authority)
    return to_xml(build_return(authority, YEAR), now=NOW)


def _workers(xml: bytes) -> list[dict[str, str]]:
    root = etree.fromstring(xml)
    return [{child.tag: child.text or "" for child in w} for w in root.iter("CSWWWorker")]


def _tags(xml: bytes) -> list[list[str]]:
    return [[child.tag for child in w] for w in etree.fromstring(xml).iter("CSWWWorker")]


def test_header_and_la_level_figures(xml):
    root = etree.fromstring(xml)
    assert root.findtext("Header/CollectionDetails/Collection") == "CSWW"
    assert root.findtext("Header/CollectionDetails/Year") == "2025"
    assert root.findtext("Header/CollectionDetails/ReferenceDate") == "2025-09-30"
    assert root.findtext("Header/Source/SourceLevel") == "L"
    assert root.findtext("Header/Source/LEA") == "999"
    assert root.findtext("Header/Source/DateTime") == "2025-11-03T09:30:00Z"
    assert root.findtext("LALevelVacancies/NumberOfVacancies") == "2.20"
    assert root.findtext("LALevelVacancies/NoAgencyFTE") == "1.00"
    assert root.findtext("LALevelVacancies/NoAgencyHeadcount") == "1"


def test_each_worker_exactly(xml):
    perm, part, leaver, starter, agency = _workers(xml)
    assert perm == {
        "AgencyWorker": "0",
        "SWENo": "SW0000123456",
        "FTE": "1.00",
        "PersonBirthDate": "1980-05-17",
        "GenderCurrent": "2",
        "Ethnicity": "WBRI",
        "QualInst": "University of Exampleshire",
        "QualLevel": "1",
        "StepUpGrad": "0",
        "OrgRole": "5",
        "RoleStartDate": "2020-01-01",
        "FTE30": "1.00",
        "Cases30": "2",
        "WorkingDaysLost": "4.00",
        "FrontlineGrad": "0",
        "Absat30Sept": "0",
    }
    # Two census roles: one record, both FTEs (not the family support post), the larger
    # post's OrgRole; the open maternity leave is an absence at 30 September.
    assert part == {
        "AgencyWorker": "0",
        "SWENo": "SW0000000222",
        "FTE": "1.00",
        "PersonBirthDate": "1975-02-03",
        "GenderCurrent": "1",
        "Ethnicity": "BAFR",
        "QualInst": "Open University",
        "QualLevel": "2",
        "StepUpGrad": "1",
        "OrgRole": "5",
        "RoleStartDate": "2021-03-01",
        "FTE30": "1.00",
        "Cases30": "0",
        "WorkingDaysLost": "0.00",
        "FrontlineGrad": "0",
        "Absat30Sept": "1",
        "ReasonAbsence": "MAT",
    }
    assert leaver == {
        "AgencyWorker": "0",
        "SWENo": "SW0000000333",
        "FTE": "1.00",
        "PersonBirthDate": "1990-12-01",
        "GenderCurrent": "2",
        "Ethnicity": "AIND",
        "QualInst": "Exampleshire College",
        "QualLevel": "1",
        "StepUpGrad": "0",
        "OrgRole": "5",
        "RoleStartDate": "2019-06-01",
        "RoleEndDate": "2025-02-28",
        "LeaverDestination": "1",
        "ReasonLeave": "1",
        "WorkingDaysLost": "0.00",
        "FrontlineGrad": "0",
    }
    assert starter == {
        "AgencyWorker": "0",
        "SWENo": "SW0000444444",
        "FTE": "0.80",
        "PersonBirthDate": "2001-07-09",
        "GenderCurrent": "9",
        "QualInst": "University of Elsewhere",
        "QualLevel": "2",
        "StepUpGrad": "0",
        "OrgRole": "5",
        "RoleStartDate": "2025-04-01",
        "StartOrigin": "1",
        "FTE30": "0.80",
        "Cases30": "0",
        "WorkingDaysLost": "0.00",
        "FrontlineGrad": "1",
        "Absat30Sept": "0",
    }
    assert agency == {
        "AgencyWorker": "1",
        "SWENo": "SW0000555555",
        "FTE": "1.00",
        "PersonBirthDate": "1985-03-30",
        "GenderCurrent": "1",
        "QualInst": "",
        "StepUpGrad": "0",
        "OrgRole": "5",
        "FTE30": "1.00",
        "Cases30": "1",
        "FrontlineGrad": "0",
    }


def test_elements_follow_the_schema_order(xml):
    for tags in _tags(xml):
        assert tags == sorted(tags, key=WORKER_ELEMENTS.index)


@needs_schema
def test_the_return_meets_the_schema(xml):
    assert validate(xml) == []


@needs_schema
def test_schema_errors_are_listed(authority):
    build(authority)
    ret = build_return(authority, YEAR)
    ret.workers[0].swe_no = "not a number"
    errors = validate(to_xml(ret, now=NOW))
    assert len(errors) == 1
    assert errors[0].startswith("Worker record 1 (SWE number 'not a number'), line ")
    assert errors[0].endswith("SWENo: 'not a number' is not in the form the DfE asks for.")
    ret.workers[1].gender = "7"
    errors = validate(to_xml(ret, now=NOW))
    assert errors[1].startswith("Worker record 2 (SWE number 'SW0000000222')")
    assert errors[1].endswith(
        "GenderCurrent: '7' is not one of the census codes for GenderCurrent."
    )


def test_read_back_the_xml_agrees_with_the_figures_layer(xml, authority):
    """An independent reader: count and sum the XML, compare with the measures at 30 September."""
    read = read_back(xml, YEAR)
    figures = measures_on(
        where=MetricsFilter(authority_ids=(authority.pk,)),
        on=CENSUS_DAY,
        keys=list(SUMMARY_KEYS),
    ).at(0)
    assert differences(read, figures) == {}
    # Worked out by hand (world.py).
    assert {k: read[k] for k in SUMMARY_KEYS} == {
        "in_post_fte": Decimal("2.80"),
        "in_post_headcount": 3,
        "starters_headcount": 1,
        "leavers_headcount": 1,
        "leavers_fte": Decimal("1.00"),
        "turnover_rate_fte": Decimal("1.00") / Decimal("2.80"),
        "agency_fte": Decimal("1.00"),
        "agency_headcount": 1,
        "agency_rate_fte": Decimal("1.00") / Decimal("3.80"),
        "vacancy_fte": Decimal("2.20"),
        "vacancy_rate_fte": Decimal("2.20") / Decimal("5.00"),
        "cases_held": 3,  # two with the permanent worker, one with the agency worker
        "case_holder_fte": Decimal("2.00"),
        "average_caseload": Decimal("1.5"),
        "sickness_days": Decimal("4.00"),  # 6-10 January 2025; maternity leave is not sickness
        "absence_rate_fte": Decimal("4.00") / (Decimal("2.80") * 253),
    }
    assert read["la_agency_fte"] == figures["agency_fte"]


def test_summary(authority):
    build(authority)
    summary = build_return(authority, YEAR).summary()
    assert {k: summary[k] for k in ("workers", "in_post_fte", "vacancy_fte", "cases_held")} == {
        "workers": 5,
        "in_post_fte": "2.80",
        "vacancy_fte": "2.20",
        "cases_held": 3,
    }
    assert set(summary) == {"workers", *SUMMARY_KEYS}
    assert Decimal(summary["turnover_rate_fte"]).quantize(Decimal("0.001")) == Decimal("0.357")


@needs_schema
def test_agency_worker_made_permanent_is_a_starter_with_origin_4(authority):
    from workforce.establishment.models import Engagement, EngagementKind

    people = build(authority)
    agency = Engagement.objects.get(worker=people["agency"])
    agency.end = dt.date(2025, 9, 1)
    agency.save()
    Engagement.objects.create(
        authority=authority,
        worker=people["agency"],
        post=agency.post,
        fte=Decimal("1.00"),
        kind=EngagementKind.PERMANENT,
        start=dt.date(2025, 9, 1),
        start_origin="4",
    )
    workers = _workers(to_xml(build_return(authority, YEAR), now=NOW))
    converted = workers[-1]
    assert converted["AgencyWorker"] == "0"
    assert converted["StartOrigin"] == "4"
    assert converted["RoleStartDate"] == "2025-09-01"
    assert [w["AgencyWorker"] for w in workers] == ["0", "0", "0", "0", "0"]


def _read_back_matches_figures(authority) -> dict[str, dict[str, str]]:
    xml = to_xml(build_return(authority, YEAR), now=NOW)
    assert validate(xml) == [] if schema_installed() else [NO_SCHEMA]
    employed = [w for w in _workers(xml) if w["AgencyWorker"] == "0"]
    figures = measures_on(
        where=MetricsFilter(authority_ids=(authority.pk,)),
        on=CENSUS_DAY,
        keys=["in_post_headcount", "starters_headcount", "leavers_headcount"],
    ).at(0)
    assert figures == {
        "in_post_headcount": sum(1 for w in employed if "FTE30" in w),
        "starters_headcount": sum(1 for w in employed if "StartOrigin" in w),
        "leavers_headcount": sum(1 for w in employed if "RoleEndDate" in w),
    }
    return {w["SWENo"]: w for w in employed}


def test_a_team_move_is_neither_a_start_nor_a_leaving(authority):
    from workforce.establishment.models import Engagement, EngagementEnd
    from workforce.establishment.tests.factories import PostFactory

    people = build(authority)
    before = Engagement.objects.get(worker=people["perm"])
    before.end, before.end_reason = dt.date(2025, 6, 1), EngagementEnd.MOVED
    before.save()
    elsewhere = PostFactory(authority=authority, team__authority=authority, role=before.post.role)
    Engagement.objects.create(
        authority=authority,
        worker=people["perm"],
        post=elsewhere,
        fte=Decimal("1.00"),
        kind="permanent",
        start=dt.date(2025, 6, 1),
    )
    moved = _read_back_matches_figures(authority)["SW0000123456"]
    assert moved["RoleStartDate"] == "2020-01-01"
    assert "StartOrigin" not in moved and "RoleEndDate" not in moved


def test_leave_and_rejoin_is_a_leaver_record_then_a_starter_record(authority):
    from workforce.census import rules
    from workforce.establishment.models import Engagement
    from workforce.establishment.tests.factories import PostFactory

    people = build(authority)
    role = Engagement.objects.get(worker=people["leaver"]).post.role
    again = PostFactory(authority=authority, team__authority=authority, role=role)
    Engagement.objects.create(
        authority=authority,
        worker=people["leaver"],
        post=again,
        fte=Decimal("0.50"),
        kind="permanent",
        start=dt.date(2025, 6, 1),
    )
    _read_back_matches_figures(authority)
    xml = to_xml(build_return(authority, YEAR), now=NOW)
    left, back = [w for w in _workers(xml) if w["SWENo"] == "SW0000000333"]
    assert (left["RoleStartDate"], left["RoleEndDate"], left["ReasonLeave"]) == (
        "2019-06-01",
        "2025-02-28",
        "1",
    )
    assert left["FTE"] == "1.00" and "FTE30" not in left and "StartOrigin" not in left
    assert (back["RoleStartDate"], back["StartOrigin"], back["FTE"], back["FTE30"]) == (
        "2025-06-01",
        "10",
        "0.50",
        "0.50",
    )
    assert "RoleEndDate" not in back
    # Two roles one after the other: no rule finds fault with the pair.
    assert not [f for f in rules.validate(xml, YEAR) if f.code in ("CSWW-132", "CSWW-160")]


def test_the_business_rules_find_only_what_the_records_lack(xml):
    """The starter's ethnicity is not recorded: the one error. Nothing the export derives
    (start origins, leavers' reasons, FTEs, absences) breaks a rule."""
    from workforce.census import rules

    found = [(f.code, f.element, f.worker) for f in rules.errors(rules.validate(xml, YEAR))]
    assert found == [("CSWW-101", "Ethnicity", 4)]


def test_without_the_dfe_schema_the_return_is_not_offered(xml, settings, tmp_path):
    settings.CSWW_SCHEMA = tmp_path / "missing.xsd"

    assert validate(xml) == [NO_SCHEMA]
