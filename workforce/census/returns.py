"""The CSWW census return: who is in it, each worker's values, and the XML the DfE takes.

`build_return(authority, year)` reads the records for the census year ending 30 September
`year` and gives a `CensusReturn`: the LA-level figures (from the figures layer), one
`WorkerRecord` per worker in the return, and a summary. `to_xml` lays it out as the schema in
the DfE schema does; `validate` checks the XML against the schema file `settings.CSWW_SCHEMA`.
How each element is derived is written in docs/census-return.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q
from lxml import etree

from workforce.caseloads.models import Allocation
from workforce.census.models import CensusSnapshotWorker
from workforce.core.models import Authority
from workforce.establishment.models import (
    Absence,
    Engagement,
    EngagementKind,
    Leaving,
    Post,
    Role,
    Route,
    Worker,
)
from workforce.metrics.engine import MetricsFilter
from workforce.metrics.engine.spells import spell_end
from workforce.metrics.selectors import measures_on

SOFTWARE_CODE = "CSC Workforce"
SICKNESS = "SIC"
NOT_YET_COLLECTED_ORIGIN = "10"
SUMMARY_KEYS = (
    "in_post_fte",
    "in_post_headcount",
    "starters_headcount",
    "leavers_headcount",
    "leavers_fte",
    "turnover_rate_fte",
    "agency_fte",
    "agency_headcount",
    "agency_rate_fte",
    "vacancy_fte",
    "vacancy_rate_fte",
    "cases_held",
    "case_holder_fte",
    "average_caseload",
    "sickness_days",
    "absence_rate_fte",
)
TWO = Decimal("0.01")


def census_date(year: int) -> dt.date:
    return dt.date(year, 9, 30)


def year_start(year: int) -> dt.date:
    return dt.date(year - 1, 10, 1)


# The items of a `CSWWWorker`, in the order the schema lays them out.
WORKER_ELEMENTS = (
    "AgencyWorker",
    "SWENo",
    "FTE",
    "PersonBirthDate",
    "GenderCurrent",
    "Ethnicity",
    "QualInst",
    "QualLevel",
    "StepUpGrad",
    "OrgRole",
    "RoleStartDate",
    "StartOrigin",
    "RoleEndDate",
    "LeaverDestination",
    "ReasonLeave",
    "FTE30",
    "Cases30",
    "WorkingDaysLost",
    "ContractWeeks",
    "FrontlineGrad",
    "Absat30Sept",
    "ReasonAbsence",
    "CFKSSstatus",
)


@dataclass
class WorkerRecord:
    """One `CSWWWorker`: the values in the schema's order; None leaves an optional one out."""

    agency: bool
    swe_no: str
    fte: Decimal | None = None
    birth_date: dt.date | None = None
    gender: str = ""
    ethnicity: str = ""
    qual_inst: str = ""
    qual_level: str = ""
    step_up: bool = False
    org_role: str = ""
    role_start: dt.date | None = None
    start_origin: str = ""
    role_end: dt.date | None = None
    leaver_destination: str = ""
    reason_leave: str = ""
    fte30: Decimal | None = None
    cases30: int | None = None
    working_days_lost: Decimal | None = None
    contract_weeks: Decimal | None = None
    frontline: bool = False
    absent_at_30: bool | None = None
    reason_absence: str = ""
    cfkss_status: str = ""
    staff_number: str = ""  # not in the XML: for messages only
    worker_id: int | None = None  # not in the XML: the Worker the record was built from


@dataclass
class CensusReturn:
    authority: Authority
    year: int
    figures: dict[str, Any]
    workers: list[WorkerRecord] = field(default_factory=list)

    @property
    def reference_date(self) -> dt.date:
        return census_date(self.year)

    def summary(self) -> dict[str, Any]:
        """What the page and the export history show: the figures layer's values at 30
        September, and the number of worker records in the XML."""
        out: dict[str, Any] = {"workers": len(self.workers)}
        for key in SUMMARY_KEYS:
            value = self.figures.get(key)
            out[key] = str(value) if isinstance(value, Decimal) else value
        return out


# Who is in the return ----------------------------------------------------------------------


def _main(engagements: list[Engagement]) -> Engagement:
    """The engagement a worker's OrgRole is taken from: the largest FTE, then the more senior
    OrgRole, then the latest start."""
    return sorted(
        engagements,
        key=lambda e: (-e.fte, e.post.role.org_role, -e.start.toordinal(), -e.pk),
    )[0]


def _spell_starts(authority: Authority, start: dt.date, end: dt.date) -> dict[int, list[dt.date]]:
    """Workers whose census-counted authority-employed engagements begin spells of employment
    in [start, end], with those days in order (the figures layer's starter rule, the same SQL
    helper)."""
    eng, post, role = Engagement._meta.db_table, Post._meta.db_table, Role._meta.db_table
    kinds = tuple(k.value for k in EngagementKind if k != EngagementKind.AGENCY)
    marks = ", ".join(["%s"] * len(kinds))
    sql = (
        f"SELECT DISTINCT e.worker_id, e.start FROM {eng} e"
        f" JOIN {post} p ON p.id = e.post_id JOIN {role} r ON r.id = p.role_id"
        f" WHERE e.authority_id = %s AND r.org_role <> '' AND e.kind IN ({marks})"
        " AND e.start >= %s AND e.start <= %s"
        f" AND NOT EXISTS (SELECT 1 FROM {eng} o WHERE o.worker_id = e.worker_id"
        f" AND o.kind IN ({marks}) AND o.start < e.start"
        f" AND {spell_end('o').replace('%(far)s', '%s')} >= e.start)"
    )
    params: list[Any] = [authority.pk, *kinds, start, end, *kinds, dt.date(9999, 12, 31)]
    starts: dict[int, list[dt.date]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for worker_id, day in cursor.fetchall():
            starts[worker_id].append(_as_date(day))
    return {w: sorted(days) for w, days in starts.items()}


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _spell_start(engagements: list[Engagement], leavings: list[Leaving], on: dt.date) -> dt.date:
    """First day of the worker's spell of employment that includes `on` (see the definitions):
    walk back over employed engagements that meet or overlap, stopping at a recorded leaving."""
    left = {lv.last_day for lv in leavings}
    employed = sorted(
        (e for e in engagements if e.kind != EngagementKind.AGENCY), key=lambda e: e.start
    )
    start = on
    changed = True
    while changed:
        changed = False
        for e in employed:
            if e.start >= start:
                continue
            end = e.end
            if end is not None and end - dt.timedelta(days=1) in left:
                end = end - dt.timedelta(days=1)
            if end is None or end >= start:
                start = e.start
                changed = True
    return start


def _covered(engagements: list[Engagement]) -> list[tuple[dt.date, dt.date]]:
    """The days [start, end) on which the worker holds a census-counted authority-employed
    engagement, merged: the days on which the figures layer counts their sickness."""
    spans = sorted(
        (e.start, e.end or dt.date.max)
        for e in engagements
        if e.kind != EngagementKind.AGENCY and e.post.role.org_role
    )
    merged: list[tuple[dt.date, dt.date]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _sickness_days(
    absences: list[Absence],
    first: dt.date,
    last: dt.date,
    covered: list[tuple[dt.date, dt.date]],
) -> Decimal:
    """Working days lost to sickness in [first, last], each absence shared evenly over its
    calendar days (an open one over the days from its start to `last`), on the days `covered`
    (as the figures layer's `sickness_days` counts them)."""
    total = Decimal(0)
    for a in absences:
        if a.reason != SICKNESS:
            continue
        a_last = (a.end - dt.timedelta(days=1)) if a.end else last
        if a_last < a.start:
            continue
        lo, hi = max(a.start, first), min(a_last, last)
        days = 0
        for start, end in covered:  # [start, end)
            from_, to = max(lo, start), min(hi, end - dt.timedelta(days=1))
            if to >= from_:
                days += (to - from_).days + 1
        if days:
            span = (a_last - a.start).days + 1
            total += a.working_days_lost * Decimal(days) / Decimal(span)
    return total.quantize(TWO, ROUND_HALF_UP)


def normal_swe(number: str) -> str:
    """The SWE number as the schema writes it: two letters and ten digits. Spaces are dropped,
    letters upper-cased and the digits padded with leading zeros (SW123456 is SW0000123456);
    anything else is left as recorded, for the schema check to report."""
    text = re.sub(r"\s+", "", number).upper()
    match = re.fullmatch(r"([A-Z]{2})(\d{1,10})", text)
    return f"{match.group(1)}{match.group(2).zfill(10)}" if match else text


def _fte(engagements: list[Engagement]) -> Decimal:
    return sum((e.fte for e in engagements), Decimal(0))


# Sources of each worker's CFKSSstatus on a date, registered by the apps that keep it (the
# careers app: members of an early-career programme), so the census imports none of them.
CfkssSource = Callable[..., Mapping[int, str]]
_CFKSS_SOURCES: list[CfkssSource] = []


def register_cfkss_source(source: CfkssSource) -> CfkssSource:
    """Call `source(authority=…, on=…, worker_ids=…)` for each return built: it answers
    {worker id: CFKSSstatus code} for the workers it knows a status of on that day."""
    if source not in _CFKSS_SOURCES:
        _CFKSS_SOURCES.append(source)
    return source


def cfkss_statuses(
    *, authority: Authority, on: dt.date, worker_ids: Iterable[int]
) -> dict[int, str]:
    """Each worker's CFKSSstatus on `on`, from the registered sources (the first to give one)."""
    ids = set(worker_ids)
    statuses: dict[int, str] = {}
    for source in list(_CFKSS_SOURCES):
        for worker_id, code in source(authority=authority, on=on, worker_ids=ids).items():
            if code:
                statuses.setdefault(worker_id, code)
    return statuses


def build_return(authority: Authority, year: int) -> CensusReturn:
    d, first = census_date(year), year_start(year)
    where = MetricsFilter(authority_ids=(authority.pk,))
    figures = measures_on(where=where, on=d, keys=SUMMARY_KEYS).at(0)

    counted = (
        Engagement.objects.filter(authority=authority)
        .exclude(post__role__org_role="")
        .select_related("post__role")
    )
    at_d = list(counted.active_on(d))
    employed_at: dict[int, list[Engagement]] = defaultdict(list)
    agency_at: dict[int, list[Engagement]] = defaultdict(list)
    for e in at_d:
        (agency_at if e.kind == EngagementKind.AGENCY else employed_at)[e.worker_id].append(e)

    # Each worker's census leavings in the year, one per last day (DfE removes duplicate
    # leavers by leaving date), with the census-counted employed engagements held that day.
    leavings: dict[int, dict[dt.date, tuple[Leaving, list[Engagement]]]] = defaultdict(dict)
    in_year = Leaving.objects.for_authority(authority).filter(last_day__gte=first, last_day__lte=d)
    in_year_leavings = list(in_year.order_by("last_day", "pk"))
    # The leavers' employed census-counted engagements, in one query.
    leavers_engagements: dict[int, list[Engagement]] = defaultdict(list)
    for e in counted.filter(worker_id__in={lv.worker_id for lv in in_year_leavings}).exclude(
        kind=EngagementKind.AGENCY
    ):
        leavers_engagements[e.worker_id].append(e)
    for lv in in_year_leavings:
        if lv.last_day in leavings[lv.worker_id]:
            continue
        held = [e for e in leavers_engagements[lv.worker_id] if e.is_active_on(lv.last_day)]
        if held:
            leavings[lv.worker_id][lv.last_day] = (lv, held)
    leavings = defaultdict(dict, {w: days for w, days in leavings.items() if days})
    starts = _spell_starts(authority, first, d)

    ids = set(employed_at) | set(agency_at) | set(leavings) | set(starts)
    workers = {w.pk: w for w in Worker.objects.filter(pk__in=ids)}
    cfkss = cfkss_statuses(authority=authority, on=d, worker_ids=ids)
    all_engagements: dict[int, list[Engagement]] = defaultdict(list)
    for e in Engagement.objects.filter(worker_id__in=ids).select_related("post__role"):
        all_engagements[e.worker_id].append(e)
    all_leavings: dict[int, list[Leaving]] = defaultdict(list)
    for lv in Leaving.objects.filter(worker_id__in=ids):
        all_leavings[lv.worker_id].append(lv)
    absences: dict[int, list[Absence]] = defaultdict(list)
    for a in Absence.objects.filter(worker_id__in=ids).filter(
        Q(end__isnull=True) | Q(end__gt=first), start__lte=d
    ):
        absences[a.worker_id].append(a)
    cases: dict[int, int] = defaultdict(int)
    held_cases = (
        Allocation.objects.filter(worker_id__in=ids, start__lte=d)
        .filter(Q(end__isnull=True) | Q(end__gt=d))
        .values_list("worker_id", "case_id")
        .distinct()
    )
    for worker_id, _case in held_cases:
        cases[worker_id] += 1
    # What an imported return gave for this year and the records cannot give back.
    kept = {
        (row.worker_id, row.agency, row.role_start): row
        for row in CensusSnapshotWorker.objects.filter(
            snapshot__authority=authority, snapshot__year=year, worker_id__in=ids
        )
    }

    records: list[WorkerRecord] = []
    for pk in sorted(ids, key=lambda i: workers[i].staff_number):
        w = workers[pk]

        def person(agency: bool, w: Worker = w) -> WorkerRecord:
            return WorkerRecord(
                agency=agency,
                swe_no=normal_swe(w.swe_number),
                birth_date=w.date_of_birth,
                gender=w.gender,
                ethnicity=w.ethnicity,
                qual_inst=w.qual_institution,
                qual_level=w.qual_level,
                step_up=w.route == Route.STEP_UP,
                frontline=w.route == Route.FRONTLINE,
                cfkss_status=cfkss.get(w.pk, ""),
                staff_number=w.staff_number,
                worker_id=w.pk,
            )

        if pk in employed_at or pk in leavings or pk in starts:
            # One record for each spell of employment that is in post at D, ends with a
            # leaving in the year, or starts in the year, keyed by the spell's first day.
            spells: dict[dt.date, WorkerRecord] = {}

            def spell(start: dt.date, spells: dict[dt.date, WorkerRecord] = spells) -> WorkerRecord:
                if start not in spells:
                    spells[start] = person(False)
                    spells[start].role_start = start
                return spells[start]

            in_post = employed_at.get(pk, [])
            if in_post:
                r = spell(_spell_start(all_engagements[pk], all_leavings[pk], d))
                r.fte = r.fte30 = _fte(in_post)
                r.org_role = _main(in_post).post.role.org_role
                r.cases30 = cases.get(pk, 0)
                now = [a for a in absences[pk] if a.start <= d and (a.end is None or a.end > d)]
                r.absent_at_30 = bool(now)
                r.reason_absence = now[0].reason if now else ""
            for last_day, (lv, held) in sorted(leavings[pk].items()):
                r = spell(_spell_start(all_engagements[pk], all_leavings[pk], last_day))
                if r.fte30 is None:
                    r.fte = _fte(held)
                    r.org_role = _main(held).post.role.org_role
                if r.role_end is None or last_day > r.role_end:
                    r.role_end = last_day
                    r.reason_leave = lv.reason
                    r.leaver_destination = lv.destination
            for start in starts.get(pk, []):
                begun = [
                    e for e in all_engagements[pk] if e.start == start and e.post.role.org_role
                ]
                r = spell(start)
                origin = next((e.start_origin for e in begun if e.start_origin), "")
                r.start_origin = origin or NOT_YET_COLLECTED_ORIGIN
                if r.fte is None:
                    r.fte = _fte([e for e in begun if e.kind != EngagementKind.AGENCY])
                    r.org_role = _main(begun).post.role.org_role
            covered = _covered(all_engagements[pk])
            for start, r in sorted(spells.items()):
                # Sickness in the year while in this spell: to its last day, or to D when in
                # post then (a leaving recorded while the engagement goes on ends nothing).
                last = d if r.fte30 is not None else min(d, r.role_end or d)
                window = (max(first, start), last)
                r.working_days_lost = _sickness_days(absences[pk], *window, covered)
                row = kept.get((pk, False, start))
                _from_snapshot(r, row, cases=pk in cases, absences=absences[pk])
                records.append(r)
        if pk in agency_at:
            r = person(True)
            r.fte = r.fte30 = _fte(agency_at[pk])
            main = _main(agency_at[pk])
            r.org_role = main.post.role.org_role
            # Someone both employed and agency at D: their cases are on the employed record.
            r.cases30 = 0 if pk in employed_at else cases.get(pk, 0)
            _from_snapshot(r, kept.get((pk, True, None)), cases=pk in cases, absences=[])
            records.append(r)
    return CensusReturn(authority=authority, year=year, figures=figures, workers=records)


def _from_snapshot(
    r: WorkerRecord, row: CensusSnapshotWorker | None, *, cases: bool, absences: list[Absence]
) -> None:
    """Items of an imported return for this year, where the records have nothing of their own:
    cases at 30 September when no allocation is recorded then, the absence items when no
    absence is recorded in the year, contract weeks, never recorded, and the CFKSS status when
    no registered source gives one."""
    if row is None:
        return
    in_post = r.fte30 is not None
    if in_post and not cases and row.cases30 is not None:
        r.cases30 = row.cases30
    if not r.agency and not absences:
        if row.working_days_lost is not None:
            r.working_days_lost = row.working_days_lost
        if in_post and row.absent_at_30 is not None:
            r.absent_at_30 = row.absent_at_30
            r.reason_absence = row.reason_absence
    r.contract_weeks = row.contract_weeks
    r.cfkss_status = r.cfkss_status or row.cfkss_status


# The XML -----------------------------------------------------------------------------------


def _dec(value: Decimal, places: int = 2) -> str:
    return str(value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP))


def _yes(flag: bool) -> str:
    return "1" if flag else "0"


def _sub(parent: etree._Element, tag: str, text: Any) -> None:
    if text is None or text == "":
        return
    if isinstance(text, dt.date):
        text = text.isoformat()
    etree.SubElement(parent, tag).text = str(text)


def to_xml(ret: CensusReturn, *, now: dt.datetime) -> bytes:
    message = etree.Element("Message")
    header = etree.SubElement(message, "Header")
    details = etree.SubElement(header, "CollectionDetails")
    _sub(details, "Collection", "CSWW")
    _sub(details, "Year", ret.year)
    _sub(details, "ReferenceDate", ret.reference_date)
    source = etree.SubElement(header, "Source")
    _sub(source, "SourceLevel", "L")
    _sub(source, "LEA", ret.authority.code)
    _sub(source, "SoftwareCode", SOFTWARE_CODE)
    _sub(source, "DateTime", now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))

    vacancies = etree.SubElement(message, "LALevelVacancies")
    f = ret.figures
    _sub(vacancies, "NumberOfVacancies", _dec(Decimal(f.get("vacancy_fte") or 0)))
    _sub(vacancies, "NoAgencyFTE", _dec(Decimal(f.get("agency_fte") or 0)))
    _sub(vacancies, "NoAgencyHeadcount", int(f.get("agency_headcount") or 0))

    for r in ret.workers:
        w = etree.SubElement(message, "CSWWWorker")
        _sub(w, "AgencyWorker", _yes(r.agency))
        etree.SubElement(w, "SWENo").text = r.swe_no
        _sub(w, "FTE", None if r.fte is None else _dec(r.fte))
        _sub(w, "PersonBirthDate", r.birth_date)
        _sub(w, "GenderCurrent", r.gender)
        _sub(w, "Ethnicity", r.ethnicity)
        etree.SubElement(w, "QualInst").text = r.qual_inst
        _sub(w, "QualLevel", r.qual_level)
        _sub(w, "StepUpGrad", _yes(r.step_up))
        _sub(w, "OrgRole", r.org_role)
        _sub(w, "RoleStartDate", r.role_start)
        _sub(w, "StartOrigin", r.start_origin)
        _sub(w, "RoleEndDate", r.role_end)
        _sub(w, "LeaverDestination", r.leaver_destination)
        _sub(w, "ReasonLeave", r.reason_leave)
        _sub(w, "FTE30", None if r.fte30 is None else _dec(r.fte30))
        _sub(w, "Cases30", r.cases30)
        _sub(
            w, "WorkingDaysLost", None if r.working_days_lost is None else _dec(r.working_days_lost)
        )
        _sub(w, "ContractWeeks", None if r.contract_weeks is None else _dec(r.contract_weeks, 1))
        _sub(w, "FrontlineGrad", _yes(r.frontline))
        _sub(w, "Absat30Sept", None if r.absent_at_30 is None else _yes(r.absent_at_30))
        _sub(w, "ReasonAbsence", r.reason_absence)
        _sub(w, "CFKSSstatus", r.cfkss_status)
    return etree.tostring(message, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def schema_path() -> Path:
    return Path(settings.CSWW_SCHEMA)


def schema_installed() -> bool:
    return schema_path().is_file()


@cache
def _schema(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path)))


NO_SCHEMA = (
    "The DfE schema of the census return is not installed, so the return cannot be checked "
    "and is not offered for download. Ask your administrator to set CSWW_SCHEMA to the "
    "schema file DfE publishes."
)


_ELEMENT = re.compile(r"^Element '(?P<name>[^']+)': (?P<rest>.*)$")
_PATTERN = re.compile(r"\[facet 'pattern'\] The value '(?P<value>[^']*)' is not accepted")
_CODE = re.compile(r"\[facet 'enumeration'\] The value '(?P<value>[^']*)' is not an element")


def _plain(message: str) -> str:
    """lxml's complaint in plain words where it is a common one (a code or a form)."""
    match = _ELEMENT.match(message.strip())
    if not match:
        return message.strip()
    name, rest = match["name"], match["rest"]
    if found := _PATTERN.search(rest):
        return f"{name}: '{found['value']}' is not in the form the DfE asks for."
    if found := _CODE.search(rest):
        return f"{name}: '{found['value']}' is not one of the census codes for {name}."
    return f"{name}: {rest}"


def validate(xml: bytes) -> list[str]:
    """The schema's complaints about the XML, each a sentence naming the worker record (by its
    SWE number and position) and the element; none when it is valid."""
    if not schema_installed():
        return [NO_SCHEMA]
    schema = _schema(schema_path())
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(xml, parser)
    if schema.validate(root.getroottree()):
        return []
    starts = [
        (w.sourceline or 0, n, w.findtext("SWENo") or "")
        for n, w in enumerate(root.iter("CSWWWorker"), 1)
    ]
    errors = []
    for error in schema.error_log:  # type: ignore[attr-defined]
        record = [s for s in starts if s[0] <= error.line]
        where = (
            f"Worker record {record[-1][1]} (SWE number '{record[-1][2]}')"
            if record
            else "The return"
        )
        errors.append(f"{where}, line {error.line}: {_plain(error.message)}")
    return errors
