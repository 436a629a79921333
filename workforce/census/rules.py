"""Business-rule validation of a Children's Social Work Workforce (CSWW) census return.

`validate(xml, year)` reads a return in the layout of the DfE's 2022 CSWW schema (a `Message`
with a `Header`, `LALevelVacancies` and one `CSWWWorker` per record) and lists what is wrong
with it as `Finding`s. Errors block the return; warnings are for the authority to check.

The schema's own checks (element order, codes in its enumerations, number formats) are left to
schema validation: a code this module does not know is ignored, and a value it cannot read is
skipped by the rules that need it. The census year `year` ends on 30 September of that year (the
reference date) and starts on 1 October of the year before. Each rule, with its code, is
described in docs/census-return.md ("Validation rules").

The input is parsed without fetching anything, without expanding entities and without huge-tree
support; a document with a DOCTYPE, a malformed document or one with another root gives one
error finding, never an exception.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from lxml import etree

from workforce.core.tables import Column, Kind, Table

ROOT = "Message"
WORKER = "CSWWWorker"

FTE_PLACES = 6  # the schema's ftetype: fractionDigits 6, between 0 and 1
SWE_PATTERN = re.compile(r"[A-Za-z]{2}\d{10}")  # the schema's swetype
SWE_PREFIX = "SW"  # Social Work England registration numbers begin "SW"
CASE_HOLDER = "5"  # OrgRole 5: case holder
YES = "1"
AGENCY = "1"
YOUNGEST = 20  # age at the reference date below which a birth date is queried
OLDEST = 75  # age at the reference date above which a birth date is queried

# Items an authority's own (non-agency) worker must have, in schema order.
EMPLOYED_MANDATORY = (
    "FTE",
    "PersonBirthDate",
    "GenderCurrent",
    "Ethnicity",
    "QualInst",
    "QualLevel",
    "StepUpGrad",
    "OrgRole",
    "RoleStartDate",
    "FrontlineGrad",
)
# Further items for an own worker still in post at the reference date.
IN_POST_MANDATORY = ("FTE30", "WorkingDaysLost", "Absat30Sept")


class Severity(StrEnum):
    ERROR = "error"  # blocks the return
    WARNING = "warning"  # to be checked; does not block


@dataclass(frozen=True)
class Finding:
    """One problem with a return: which rule, how serious, what and where.

    `worker` is the record's position among the file's `CSWWWorker` elements (1 for the first)
    and `swe_no` its SWENo; both are None for a finding about the whole file. The schema has
    no local identifier for a worker, so position and SWENo are how a page finds the record.
    """

    code: str
    severity: Severity
    message: str
    element: str = ""
    value: str = ""
    worker: int | None = None
    swe_no: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str


RULES = {
    rule.code: rule
    for rule in (
        Rule("CSWW-001", Severity.ERROR, "The file is not well-formed XML, or has a DOCTYPE"),
        Rule("CSWW-002", Severity.ERROR, "The file is not a CSWW return (root is not Message)"),
        Rule("CSWW-003", Severity.ERROR, "The header's Year or ReferenceDate is not the census's"),
        Rule("CSWW-101", Severity.ERROR, "An item an employed worker must have is missing"),
        Rule("CSWW-110", Severity.ERROR, "A role started in the year has no StartOrigin"),
        Rule("CSWW-111", Severity.ERROR, "StartOrigin is given without RoleStartDate"),
        Rule("CSWW-112", Severity.WARNING, "StartOrigin is given for a role started before"),
        Rule("CSWW-120", Severity.ERROR, "RoleEndDate is given without ReasonLeave"),
        Rule("CSWW-121", Severity.ERROR, "RoleEndDate is given without LeaverDestination"),
        Rule("CSWW-122", Severity.ERROR, "ReasonLeave or LeaverDestination without RoleEndDate"),
        Rule("CSWW-130", Severity.ERROR, "RoleStartDate is after the reference date"),
        Rule("CSWW-131", Severity.ERROR, "RoleEndDate is outside the census year"),
        Rule("CSWW-132", Severity.ERROR, "RoleEndDate is before RoleStartDate"),
        Rule("CSWW-140", Severity.ERROR, "FTE or FTE30 is not between 0 and 1 in 6 places"),
        Rule("CSWW-141", Severity.ERROR, "An employed worker in post has an FTE of 0"),
        Rule("CSWW-142", Severity.ERROR, "An employed leaver has an FTE of 0"),
        Rule("CSWW-150", Severity.ERROR, "SWENo is not two letters and ten digits"),
        Rule("CSWW-151", Severity.WARNING, "SWENo does not begin SW"),
        Rule("CSWW-160", Severity.WARNING, "The same SWENo in overlapping employed records"),
        Rule("CSWW-170", Severity.WARNING, "A case holder in post has no cases at 30 September"),
        Rule("CSWW-180", Severity.ERROR, "PersonBirthDate is after the reference date"),
        Rule("CSWW-181", Severity.WARNING, "Age at the reference date is under 20 or over 75"),
        Rule("CSWW-190", Severity.ERROR, "WorkingDaysLost is negative"),
        Rule("CSWW-191", Severity.ERROR, "WorkingDaysLost is more than the year's working days"),
        Rule("CSWW-200", Severity.ERROR, "Absent at 30 September without ReasonAbsence"),
        Rule("CSWW-201", Severity.WARNING, "ReasonAbsence without being absent at 30 September"),
    )
}


# The census year -------------------------------------------------------------------------------


def reference_date(year: int) -> dt.date:
    """The census day: 30 September of `year`."""
    return dt.date(year, 9, 30)


def year_start(year: int) -> dt.date:
    """The first day of the census year ending 30 September of `year`."""
    return dt.date(year - 1, 10, 1)


def working_days(year: int) -> int:
    """Weekdays (Monday to Friday) in the census year; bank holidays are not taken off, so
    the bound is generous."""
    start, end = year_start(year), reference_date(year)
    days = (end - start).days + 1
    full_weeks, rest = divmod(days, 7)
    count = full_weeks * 5
    for offset in range(rest):
        if (start + dt.timedelta(days=full_weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


# Reading the file ------------------------------------------------------------------------------


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse(xml: bytes) -> tuple[etree._Element | None, Finding | None]:
    try:
        root = etree.fromstring(xml, parser=_parser())
    except (etree.XMLSyntaxError, ValueError) as error:
        message = (getattr(error, "msg", None) or str(error)).strip() or "it could not be read"
        return None, _file_finding("CSWW-001", f"The file is not well-formed XML: {message}.")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        return None, _file_finding(
            "CSWW-001", "The file has a DOCTYPE declaration, which a CSWW return must not have."
        )
    tag = etree.QName(root).localname if isinstance(root.tag, str) else ""
    if tag != ROOT or etree.QName(root).namespace is not None:
        return None, _file_finding(
            "CSWW-002",
            f"The file's root element is {root.tag!s}, not {ROOT}: it is not a CSWW return.",
            element="root",
            value=str(root.tag),
        )
    return root, None


def _file_finding(code: str, message: str, element: str = "", value: str = "") -> Finding:
    return Finding(code, RULES[code].severity, message, element, value)


@dataclass(frozen=True)
class Record:
    """One CSWWWorker, read: the text of each item (the first, for repeated items)."""

    position: int
    items: dict[str, str]

    def text(self, name: str) -> str | None:
        value = self.items.get(name)
        return value if value else None

    def has(self, name: str) -> bool:
        return self.text(name) is not None

    def date(self, name: str) -> dt.date | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None  # not a date: the schema's job

    def decimal(self, name: str) -> Decimal | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None

    @property
    def swe_no(self) -> str:
        return self.text("SWENo") or ""

    @property
    def agency(self) -> bool:
        return self.text("AgencyWorker") == AGENCY

    @property
    def label(self) -> str:
        """How messages name the record: its position in the file and its SWE number."""
        return f"Worker {self.position}" + (f" ({self.swe_no})" if self.swe_no else "")

    def finding(self, code: str, message: str, element: str, value: str = "") -> Finding:
        return Finding(
            code,
            RULES[code].severity,
            f"{self.label}: {message}",
            element,
            value,
            self.position,
            self.swe_no or None,
        )


def records(root: etree._Element) -> list[Record]:
    records = []
    workers = [child for child in root if isinstance(child.tag, str) and child.tag == WORKER]
    for position, worker in enumerate(workers, start=1):
        items: dict[str, str] = {}
        for item in worker:
            if isinstance(item.tag, str) and item.tag not in items:
                items[item.tag] = (item.text or "").strip()
        records.append(Record(position, items))
    return records


# The rules -------------------------------------------------------------------------------------


def _header(root: etree._Element, year: int) -> list[Finding]:
    found = []
    year_text = (root.findtext("Header/CollectionDetails/Year") or "").strip()
    if year_text and year_text != str(year):
        found.append(
            _file_finding(
                "CSWW-003",
                f"The header's Year is {year_text}, but this is the {year} census.",
                "Year",
                year_text,
            )
        )
    date_text = (root.findtext("Header/CollectionDetails/ReferenceDate") or "").strip()
    if date_text and date_text != reference_date(year).isoformat():
        found.append(
            _file_finding(
                "CSWW-003",
                f"The header's ReferenceDate is {date_text}, but the {year} census's is "
                f"{reference_date(year).isoformat()}.",
                "ReferenceDate",
                date_text,
            )
        )
    return found


def _mandatory(record: Record) -> list[Finding]:
    if record.agency:
        return []
    names = list(EMPLOYED_MANDATORY)
    if not record.has("RoleEndDate"):
        names += IN_POST_MANDATORY
    return [
        record.finding("CSWW-101", f"{name} is missing; an employed worker must have it.", name)
        for name in names
        if not record.has(name)
    ]


def _start(record: Record, year: int) -> list[Finding]:
    found = []
    start = record.date("RoleStartDate")
    origin = record.text("StartOrigin")
    started_in_year = start is not None and year_start(year) <= start <= reference_date(year)
    if started_in_year and origin is None:
        found.append(
            record.finding(
                "CSWW-110",
                f"RoleStartDate {start} is in the census year, so StartOrigin is needed.",
                "StartOrigin",
            )
        )
    if origin is not None and not record.has("RoleStartDate"):
        found.append(
            record.finding(
                "CSWW-111",
                f"StartOrigin {origin} is given without a RoleStartDate.",
                "StartOrigin",
                origin,
            )
        )
    if origin is not None and start is not None and start < year_start(year):
        found.append(
            record.finding(
                "CSWW-112",
                f"StartOrigin {origin} is given, but RoleStartDate {start} is before the census "
                f"year (from {year_start(year)}); StartOrigin is for starters in the year.",
                "StartOrigin",
                origin,
            )
        )
    return found


def _leave(record: Record) -> list[Finding]:
    found = []
    end = record.text("RoleEndDate")
    if end is not None:
        for code, name in (("CSWW-120", "ReasonLeave"), ("CSWW-121", "LeaverDestination")):
            if not record.has(name):
                found.append(
                    record.finding(code, f"RoleEndDate {end} is given without {name}.", name)
                )
    else:
        for name in ("ReasonLeave", "LeaverDestination"):
            value = record.text(name)
            if value is not None:
                found.append(
                    record.finding(
                        "CSWW-122", f"{name} {value} is given without a RoleEndDate.", name, value
                    )
                )
    return found


def _dates(record: Record, year: int) -> list[Finding]:
    found = []
    start, end = record.date("RoleStartDate"), record.date("RoleEndDate")
    first, last = year_start(year), reference_date(year)
    if start is not None and start > last:
        found.append(
            record.finding(
                "CSWW-130",
                f"RoleStartDate {start} is after the census day, {last}.",
                "RoleStartDate",
                start.isoformat(),
            )
        )
    if end is not None and not first <= end <= last:
        found.append(
            record.finding(
                "CSWW-131",
                f"RoleEndDate {end} is outside the census year ({first} to {last}).",
                "RoleEndDate",
                end.isoformat(),
            )
        )
    if start is not None and end is not None and end < start:
        found.append(
            record.finding(
                "CSWW-132",
                f"RoleEndDate {end} is before RoleStartDate {start}.",
                "RoleEndDate",
                end.isoformat(),
            )
        )
    return found


def _fte(record: Record) -> list[Finding]:
    found = []
    for name in ("FTE", "FTE30"):
        text = record.text(name)
        value = record.decimal(name)
        if text is None or value is None:
            continue
        places = -int(value.as_tuple().exponent)
        if value < 0 or value > 1 or places > FTE_PLACES:
            found.append(
                record.finding(
                    "CSWW-140",
                    f"{name} {text} must be between 0 and 1 with at most {FTE_PLACES} decimal "
                    "places.",
                    name,
                    text,
                )
            )
    fte = record.decimal("FTE")
    if not record.agency and fte is not None and fte == 0:
        if record.has("RoleEndDate"):
            found.append(
                record.finding(
                    "CSWW-142",
                    f"FTE {record.text('FTE')} for a leaver: the FTE is the one they left with "
                    "and must be above 0.",
                    "FTE",
                    record.text("FTE") or "",
                )
            )
        else:
            found.append(
                record.finding(
                    "CSWW-141",
                    f"FTE {record.text('FTE')} for an employed worker: it must be above 0.",
                    "FTE",
                    record.text("FTE") or "",
                )
            )
    return found


def _swe(record: Record) -> list[Finding]:
    value = record.swe_no
    if not SWE_PATTERN.fullmatch(value):
        return [
            record.finding(
                "CSWW-150",
                f"SWENo {value or '(empty)'} is not two letters followed by ten digits.",
                "SWENo",
                value,
            )
        ]
    if not value.startswith(SWE_PREFIX):
        return [
            record.finding(
                "CSWW-151",
                f"SWENo {value} does not begin {SWE_PREFIX}, as Social Work England "
                "registration numbers do.",
                "SWENo",
                value,
            )
        ]
    return []


def _span(record: Record) -> tuple[dt.date, dt.date]:
    return (record.date("RoleStartDate") or dt.date.min, record.date("RoleEndDate") or dt.date.max)


def _duplicates(records: Sequence[Record]) -> list[Finding]:
    found = []
    seen: dict[str, list[Record]] = {}
    for record in records:
        if record.agency or not record.swe_no:
            continue
        start, end = _span(record)
        for earlier in seen.get(record.swe_no, []):
            other_start, other_end = _span(earlier)
            if start <= other_end and other_start <= end:
                found.append(
                    record.finding(
                        "CSWW-160",
                        f"SWENo {record.swe_no} is also worker {earlier.position}'s, and the two "
                        "employed roles overlap: is this the same person twice?",
                        "SWENo",
                        record.swe_no,
                    )
                )
                break
        seen.setdefault(record.swe_no, []).append(record)
    return found


def _cases(record: Record, year: int) -> list[Finding]:
    if record.text("OrgRole") != CASE_HOLDER or record.has("RoleEndDate"):
        return []
    start = record.date("RoleStartDate")
    if start is not None and start > reference_date(year):
        return []
    cases = record.decimal("Cases30")
    if cases is not None and cases != 0:
        return []
    value = record.text("Cases30") or ""
    shown = f"Cases30 is {value}" if value else "Cases30 is missing"
    return [
        record.finding(
            "CSWW-170",
            f"{shown} for a case holder (OrgRole {CASE_HOLDER}) in post at 30 September.",
            "Cases30",
            value,
        )
    ]


def _age(record: Record, year: int) -> list[Finding]:
    born = record.date("PersonBirthDate")
    if born is None:
        return []
    day = reference_date(year)
    if born > day:
        return [
            record.finding(
                "CSWW-180",
                f"PersonBirthDate {born} is after the census day, {day}.",
                "PersonBirthDate",
                born.isoformat(),
            )
        ]
    age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    if age < YOUNGEST or age > OLDEST:
        return [
            record.finding(
                "CSWW-181",
                f"PersonBirthDate {born} makes them {age} on {day}; ages under {YOUNGEST} or "
                f"over {OLDEST} are queried.",
                "PersonBirthDate",
                born.isoformat(),
            )
        ]
    return []


def _days_lost(record: Record, year: int) -> list[Finding]:
    text, value = record.text("WorkingDaysLost"), record.decimal("WorkingDaysLost")
    if text is None or value is None:
        return []
    if value < 0:
        return [
            record.finding(
                "CSWW-190", f"WorkingDaysLost {text} is negative.", "WorkingDaysLost", text
            )
        ]
    most = working_days(year)
    if value > most:
        return [
            record.finding(
                "CSWW-191",
                f"WorkingDaysLost {text} is more than the {most} working days in the census year.",
                "WorkingDaysLost",
                text,
            )
        ]
    return []


def _absence(record: Record) -> list[Finding]:
    absent = record.text("Absat30Sept")
    reason = record.text("ReasonAbsence")
    if absent == YES and reason is None:
        return [
            record.finding(
                "CSWW-200",
                "Absat30Sept is 1 (absent at 30 September) without a ReasonAbsence.",
                "ReasonAbsence",
            )
        ]
    if absent != YES and reason is not None:
        said = f"Absat30Sept is {absent}" if absent else "Absat30Sept is missing"
        return [
            record.finding(
                "CSWW-201",
                f"ReasonAbsence {reason} is given, but {said} (not absent at 30 September).",
                "ReasonAbsence",
                reason,
            )
        ]
    return []


def _check(record: Record, year: int) -> list[Finding]:
    return [
        *_swe(record),
        *_mandatory(record),
        *_fte(record),
        *_age(record, year),
        *_start(record, year),
        *_leave(record),
        *_dates(record, year),
        *_cases(record, year),
        *_days_lost(record, year),
        *_absence(record),
    ]


# The API ---------------------------------------------------------------------------------------


def validate(xml: bytes, year: int) -> list[Finding]:
    """Every finding for the return `xml` in the census year ending 30 September `year`: the
    file's first, then each worker's in file order (a worker's by rule)."""
    root, problem = parse(xml)
    if problem is not None or root is None:
        return [problem] if problem is not None else []
    read = records(root)
    found = _header(root, year)
    for record in read:
        found.extend(_check(record, year))
    found.extend(_duplicates(read))
    order = {code: i for i, code in enumerate(RULES)}
    return sorted(
        found,
        key=lambda f: (0 if f.worker is None else 1, f.worker or 0, order[f.code]),
    )


def errors(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that block the return."""
    return [f for f in findings if f.severity == Severity.ERROR]


def warnings(findings: Iterable[Finding]) -> list[Finding]:
    """The findings to be checked that do not block the return."""
    return [f for f in findings if f.severity == Severity.WARNING]


FINDING_COLUMNS = [
    Column("code", "Code"),
    Column("severity", "Severity"),
    Column("worker", "Worker", Kind.COUNT),
    Column("swe_no", "SWENo"),
    Column("element", "Item"),
    Column("value", "Value"),
    Column("message", "Finding"),
]


def findings_table(findings: Iterable[Finding], title: str = "Census return checks") -> Table:
    """The findings as a table for the page and its downloads, one row each, in order."""
    rows = [
        [
            f.code,
            "Error" if f.severity == Severity.ERROR else "Warning",
            f.worker,
            f.swe_no,
            f.element or None,
            f.value or None,
            f.message,
        ]
        for f in findings
    ]
    found = sum(1 for row in rows if row[1] == "Error")
    notes = [
        f"{found} error{'s' if found != 1 else ''} (these block the return) and "
        f"{len(rows) - found} warning{'s' if len(rows) - found != 1 else ''} (to be checked).",
        "Worker is the record's position in the file (1 for the first CSWWWorker).",
    ]
    return Table(
        title,
        FINDING_COLUMNS,
        rows,
        notes=notes,
        key="census-checks",
        empty="No findings: the return passes every check.",
    )
