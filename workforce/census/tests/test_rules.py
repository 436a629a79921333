"""The CSWW return checks: each rule on a one-change return, the synthetic sample, bad files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from lxml import etree

from workforce.census.returns import WORKER_ELEMENTS
from workforce.census.rules import (
    RULES,
    Finding,
    Severity,
    errors,
    findings_table,
    validate,
    warnings,
    working_days,
)

SCHEMA = Path(settings.CSWW_SCHEMA)
SAMPLE = SCHEMA.with_name("social_work_workforce_2022_sample_synthetic.xml")
YEAR = 2022

# The worker items in the schema's order.
ORDER = list(WORKER_ELEMENTS)

# An employed case holder in post at 30 September 2022 who passes every check: the sample's
# items for an employed worker, with values that make sense together.
BASE: dict[str, str] = {
    "AgencyWorker": "0",
    "SWENo": "SW1234567890",
    "FTE": "0.800000",
    "PersonBirthDate": "1985-05-01",
    "GenderCurrent": "2",
    "Ethnicity": "WBRI",
    "QualInst": "Institution Name",
    "QualLevel": "1",
    "StepUpGrad": "0",
    "OrgRole": "5",
    "RoleStartDate": "2015-04-01",
    "FTE30": "0.800000",
    "Cases30": "15",
    "WorkingDaysLost": "3.50",
    "FrontlineGrad": "0",
    "Absat30Sept": "0",
}
LEAVER = {"RoleEndDate": "2022-06-30", "LeaverDestination": "1", "ReasonLeave": "1"}
STARTER = {"RoleStartDate": "2022-01-10", "StartOrigin": "2"}


def _sub(parent: Any, name: str, text: str | None = None) -> Any:
    element = etree.SubElement(parent, name)
    element.text = text
    return element


def worker(**changes: str | None) -> dict[str, str | None]:
    return {**BASE, **changes}


def return_xml(*workers: dict[str, str | None], year: str = "2022") -> bytes:
    """A return laid out as the synthetic sample is, with the given workers (None leaves an
    item out)."""
    message = etree.Element("Message")
    header = _sub(message, "Header")
    details = _sub(header, "CollectionDetails")
    _sub(details, "Collection", "CSWW")
    _sub(details, "Year", year)
    _sub(details, "ReferenceDate", "2022-09-30")
    source = _sub(header, "Source")
    _sub(source, "SourceLevel", "L")
    _sub(source, "LEA", "301")
    _sub(source, "DateTime", "2022-10-14T09:00:00Z")
    vacancies = _sub(message, "LALevelVacancies")
    _sub(vacancies, "NumberOfVacancies", "12.50")
    _sub(vacancies, "NoAgencyFTE", "8.40")
    _sub(vacancies, "NoAgencyHeadcount", "9")
    for items in workers:
        element = etree.SubElement(message, "CSWWWorker")
        for name in ORDER:
            value = items.get(name)
            if value is not None:
                _sub(element, name, value)
    return etree.tostring(message, xml_declaration=True, encoding="UTF-8")


def codes(*workers: dict[str, str | None]) -> list[str]:
    return [f.code for f in validate(return_xml(*workers), YEAR)]


def test_the_base_return_passes() -> None:
    assert validate(return_xml(worker()), YEAR) == []
    assert validate(return_xml(worker(**LEAVER)), YEAR) == []
    assert validate(return_xml(worker(**STARTER)), YEAR) == []
    assert validate(return_xml(worker(AgencyWorker="1")), YEAR) == []


ONE_FINDING = [
    # Mandatory items for an employed worker, and for one in post.
    ("CSWW-101", worker(Ethnicity=None)),
    ("CSWW-101", worker(RoleStartDate=None)),
    ("CSWW-101", worker(FTE30=None)),
    ("CSWW-101", worker(Absat30Sept=None)),
    # Starters.
    ("CSWW-110", worker(RoleStartDate="2021-10-01")),
    ("CSWW-110", worker(RoleStartDate="2022-09-30")),
    ("CSWW-111", worker(AgencyWorker="1", RoleStartDate=None, StartOrigin="2")),
    ("CSWW-112", worker(StartOrigin="9")),
    # Leavers.
    ("CSWW-120", worker(**{**LEAVER, "ReasonLeave": None})),
    ("CSWW-121", worker(**{**LEAVER, "LeaverDestination": None})),
    ("CSWW-122", worker(ReasonLeave="1")),
    ("CSWW-122", worker(LeaverDestination="3")),
    # Dates.
    ("CSWW-130", worker(RoleStartDate="2022-10-01")),
    ("CSWW-131", worker(**{**LEAVER, "RoleEndDate": "2022-10-01"})),
    ("CSWW-131", worker(**{**LEAVER, "RoleEndDate": "2021-09-30"})),
    ("CSWW-132", worker(**STARTER, **{**LEAVER, "RoleEndDate": "2022-01-09"})),
    # FTE.
    ("CSWW-140", worker(FTE="1.000001")),
    ("CSWW-140", worker(FTE="0.1234567")),
    ("CSWW-140", worker(FTE30="-0.100000")),
    ("CSWW-141", worker(FTE="0")),
    ("CSWW-142", worker(FTE="0.000000", **LEAVER)),
    # SWE number.
    ("CSWW-150", worker(SWENo="SW123")),
    ("CSWW-150", worker(SWENo="SW12345678901")),
    ("CSWW-151", worker(SWENo="XY1234567890")),
    # Cases at 30 September.
    ("CSWW-170", worker(Cases30="0")),
    ("CSWW-170", worker(Cases30=None)),
    ("CSWW-170", worker(AgencyWorker="1", Cases30="0")),
    # Age.
    ("CSWW-180", worker(PersonBirthDate="2022-10-01")),
    ("CSWW-181", worker(PersonBirthDate="2002-10-01")),
    ("CSWW-181", worker(PersonBirthDate="1946-09-29")),
    # Working days lost.
    ("CSWW-190", worker(WorkingDaysLost="-1.00")),
    ("CSWW-191", worker(WorkingDaysLost="261.01")),
    # Absence at 30 September.
    ("CSWW-200", worker(Absat30Sept="1")),
    ("CSWW-201", worker(ReasonAbsence="SIC")),
]


@pytest.mark.parametrize(("code", "record"), ONE_FINDING)
def test_each_rule_finds_exactly_its_problem(code: str, record: dict[str, str | None]) -> None:
    findings = validate(return_xml(worker(SWENo="SW0000000001"), record), YEAR)
    assert [f.code for f in findings] == [code]
    finding = findings[0]
    assert finding.severity == RULES[code].severity
    assert finding.worker == 2
    assert finding.swe_no == record["SWENo"]
    assert finding.message.startswith(f"Worker 2 ({record['SWENo']}): ")
    assert finding.element and finding.element in finding.message


@pytest.mark.parametrize(
    "record",
    [
        worker(RoleStartDate="2021-09-30"),  # started before the year: no StartOrigin needed
        worker(AgencyWorker="1", Ethnicity=None, FTE30=None, RoleStartDate=None),
        worker(AgencyWorker="1", FTE="0"),
        worker(OrgRole="6", Cases30="0"),
        worker(OrgRole="5", Cases30="0", **LEAVER),  # not in post at 30 September
        worker(PersonBirthDate="2002-09-30"),  # 20 on the day
        worker(PersonBirthDate="1946-10-01"),  # 75 on the day
        worker(WorkingDaysLost="261.00"),
        worker(WorkingDaysLost="0.00"),
        worker(Absat30Sept="1", ReasonAbsence="MAT"),
        worker(FTE="1.000000", FTE30="1"),
        worker(Cases30="1", OrgRole="5"),
    ],
)
def test_edges_that_pass(record: dict[str, str | None]) -> None:
    assert validate(return_xml(record), YEAR) == []


def test_the_same_person_twice_in_overlapping_employed_roles() -> None:
    findings = validate(return_xml(worker(), worker(), worker(SWENo="SW0000000001")), YEAR)
    assert [(f.code, f.worker, f.severity) for f in findings] == [("CSWW-160", 2, Severity.WARNING)]
    assert "worker 1" in findings[0].message


def test_the_same_number_in_roles_that_do_not_overlap_or_for_an_agency_worker() -> None:
    left = worker(**{**LEAVER, "RoleEndDate": "2022-01-09"})
    assert codes(left, worker(**STARTER)) == []
    assert codes(worker(), worker(AgencyWorker="1")) == []
    assert codes(left, worker(**{**STARTER, "RoleStartDate": "2022-01-09"})) == ["CSWW-160"]


def test_a_header_for_another_year() -> None:
    findings = validate(return_xml(worker(), year="2021"), YEAR)
    assert [(f.code, f.worker, f.value) for f in findings] == [("CSWW-003", None, "2021")]


def test_working_days_in_the_year() -> None:
    assert working_days(2022) == 261  # 1 October 2021 to 30 September 2022, Mon to Fri
    assert working_days(2023) == 260  # 1 October 2022 is a Saturday


def test_several_findings_come_in_file_and_rule_order() -> None:
    findings = validate(
        return_xml(worker(Cases30="0", SWENo="XY1234567890"), worker(Ethnicity=None)), YEAR
    )
    assert [(f.worker, f.code) for f in findings] == [
        (1, "CSWW-151"),
        (1, "CSWW-170"),
        (2, "CSWW-101"),
    ]
    assert [f.code for f in errors(findings)] == ["CSWW-101"]
    assert [f.code for f in warnings(findings)] == ["CSWW-151", "CSWW-170"]


def test_findings_are_frozen() -> None:
    finding = validate(return_xml(worker(Ethnicity=None)), YEAR)[0]
    assert isinstance(finding, Finding) and finding.is_error
    with pytest.raises(AttributeError):
        finding.code = "CSWW-999"  # type: ignore[misc]


@pytest.mark.skipif(not SAMPLE.exists(), reason="the DfE-layout synthetic sample is not here")
def test_the_synthetic_sample() -> None:
    findings = validate(SAMPLE.read_bytes(), YEAR)
    counts = Counter(f.code for f in findings)
    assert counts == {
        "CSWW-101": 34,
        "CSWW-111": 3,
        "CSWW-112": 16,
        "CSWW-130": 7,
        "CSWW-131": 13,
        "CSWW-142": 5,
        "CSWW-151": 30,
        "CSWW-201": 2,
    }
    assert all(f.worker is not None and 1 <= f.worker <= 30 for f in findings)
    assert len(errors(findings)) + len(warnings(findings)) == len(findings)


@pytest.mark.parametrize(
    ("xml", "code"),
    [
        (b"", "CSWW-001"),
        (b"<Message><CSWWWorker>", "CSWW-001"),
        (b"not xml at all", "CSWW-001"),
        (b"<Message></Other>", "CSWW-001"),
        (b"<Other><CSWWWorker/></Other>", "CSWW-002"),
        (b'<Message xmlns="urn:example"/>', "CSWW-002"),
    ],
)
def test_a_file_that_is_not_a_return_gives_one_error(xml: bytes, code: str) -> None:
    findings = validate(xml, YEAR)
    assert [(f.code, f.severity, f.worker) for f in findings] == [(code, Severity.ERROR, None)]


def test_entity_expansion_is_refused_not_expanded() -> None:
    levels = "".join(
        f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10)
    )  # ten to the ninth copies if expanded
    xml = (
        '<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY e0 "SW1234567890">'
        + levels
        + "]><Message><CSWWWorker><AgencyWorker>0</AgencyWorker><SWENo>&e9;</SWENo>"
        "</CSWWWorker></Message>"
    ).encode()
    findings = validate(xml, YEAR)
    assert [(f.code, f.severity) for f in findings] == [("CSWW-001", Severity.ERROR)]
    assert "SW1234567890SW1234567890" not in findings[0].message


def test_an_external_entity_is_not_fetched(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SW9999999999")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE Message [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<Message><CSWWWorker><SWENo>&x;</SWENo></CSWWWorker></Message>"
    ).encode()
    findings = validate(xml, YEAR)
    assert [f.code for f in findings] == ["CSWW-001"]
    assert "SW9999999999" not in findings[0].message


def test_the_findings_table() -> None:
    findings = validate(return_xml(worker(SWENo="XY1234567890"), worker(Ethnicity=None)), YEAR)
    table = findings_table(findings)
    assert [c.key for c in table.columns] == [
        "code",
        "severity",
        "worker",
        "swe_no",
        "element",
        "value",
        "message",
    ]
    assert table.rows[0][:6] == ["CSWW-151", "Warning", 1, "XY1234567890", "SWENo", "XY1234567890"]
    assert table.rows[1][:6] == ["CSWW-101", "Error", 2, "SW1234567890", "Ethnicity", None]
    assert table.notes[0].startswith("1 error (these block the return) and 1 warning")
    lines = table.csv().splitlines()
    assert lines[0] == "Code,Severity,Worker,SWENo,Item,Value,Finding"
    assert len(lines) == 3
    assert findings_table([]).rows == []


def test_a_doctype_is_refused() -> None:
    xml = b'<?xml version="1.0"?><!DOCTYPE Message [<!ELEMENT Message ANY>]><Message/>'
    findings = validate(xml, YEAR)
    assert [f.code for f in findings] == ["CSWW-001"]
    assert "DOCTYPE" in findings[0].message


@pytest.mark.skipif(not SCHEMA.exists(), reason="the DfE-layout schema is not here")
def test_the_base_returns_are_valid_against_the_schema() -> None:
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    for record in (worker(), worker(**LEAVER), worker(**STARTER), worker(AgencyWorker="1")):
        assert schema.validate(etree.fromstring(return_xml(record))), schema.error_log
