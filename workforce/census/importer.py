"""Reading a CSWW census return into an authority: how a new authority starts from last year's
census instead of typing it in.

The file is checked first, as a whole: it must be well-formed XML without a DOCTYPE (so no
entity can expand), a CSWW return for this authority's LA code, for a year that has ended, valid
against the DfE schema when it is installed, and free of the business rules' errors
(`rules.validate`); each code must be in its census list. Then each worker record is matched to a
worker by SWE number or created, and given what the return says of them:

- employed, in post at 30 September (`FTE30`): an engagement from `RoleStartDate` at `FTE30`,
  with its `StartOrigin` when it started in the year;
- a leaver (`RoleEndDate`): the engagement at `FTE` until then and the leaving with its
  `ReasonLeave` and `LeaverDestination`; the post created for it closes after the last day;
- agency at 30 September: an agency engagement from 30 September at `FTE30`.

The return says nothing of teams: each engagement it creates is in a post of its own in one team,
"To be assigned", for the workforce lead to move people to their teams. Roles are found by OrgRole
(or created, one per OrgRole). The LA-level `NumberOfVacancies` becomes funded posts without
anyone in them, first those the agency workers cover, so that the figures layer's vacancy FTE at 30
September is the return's. What records cannot give back (cases at 30 September, working days
lost, absence at 30 September, contract weeks, CFKSS status, the LA-level figures as returned) is
kept as the year's `CensusSnapshot`. No case, absence or name is invented: new workers are named
"Worker" and their SWE number until someone enters their name.

A worker matched by SWE number keeps what the system holds: an item the system does not have is
filled in from the return, one it holds differently is kept and reported as a warning; an
engagement, leaving or snapshot already there is matched, so importing the same file twice
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from lxml import etree

from workforce.census import returns, rules
from workforce.census.models import CensusSnapshot, CensusSnapshotWorker
from workforce.core import progress
from workforce.core.models import Authority, CensusCode, census_labels
from workforce.establishment import services as establishment
from workforce.establishment.models import (
    EMPLOYED_KINDS,
    AgencyCover,
    Engagement,
    EngagementKind,
    Leaving,
    OrgRole,
    Post,
    Role,
    Route,
    ServiceArea,
    Team,
    Worker,
)
from workforce.imports.base import (
    MEGABYTE,
    Action,
    Importer,
    Outcome,
    Problem,
    Refused,
    Severity,
    checksum,
)
from workforce.metrics.engine import MetricsFilter
from workforce.metrics.selectors import measures_on

TO_BE_ASSIGNED = "To be assigned"
FIRST_NAME = "Worker"  # new workers' first name until the real one is entered
AGENCY_NOT_GIVEN = "Not in the census return"
CASE_HOLDER = OrgRole.CASE_HOLDER.value
TWO = Decimal("0.01")
ONE = Decimal("1.00")

# Rules whose errors do not stop an import: an item missing from the return is left blank on
# the worker, and the census page asks for it again. (RoleStartDate, which the import needs, is
# checked on its own.)
MISSING_IS_KEPT_BLANK = {"CSWW-101"}

# How `returns.validate` names a worker record and the element in its complaints.
SCHEMA_COMPLAINT = re.compile(
    r"^Worker record (?P<n>\d+) \(SWE number '(?P<swe>[^']*)'\), line \d+: "
    r"(?P<rest>(?:(?P<element>[A-Za-z0-9]+): )?.*)$",
    re.DOTALL,
)

# Each coded item of a worker record and its census code list.
CODED = {
    "GenderCurrent": CensusCode.List.GENDER,
    "Ethnicity": CensusCode.List.ETHNICITY,
    "QualLevel": CensusCode.List.QUAL_LEVEL,
    "OrgRole": CensusCode.List.ORG_ROLE,
    "StartOrigin": CensusCode.List.START_ORIGIN,
    "ReasonLeave": CensusCode.List.REASON_LEAVE,
    "LeaverDestination": CensusCode.List.LEAVER_DESTINATION,
    "ReasonAbsence": CensusCode.List.REASON_ABSENCE,
    "CFKSSstatus": CensusCode.List.CFKSS_STATUS,
}
DATES = ("PersonBirthDate", "RoleStartDate", "RoleEndDate")
NUMBERS = ("FTE", "FTE30", "WorkingDaysLost", "ContractWeeks")
# The service's field names, as the return's elements, for its refusals.
ELEMENT_OF = {
    "fte": "FTE",
    "start": "RoleStartDate",
    "last_day": "RoleEndDate",
    "end": "RoleEndDate",
    "reason": "ReasonLeave",
    "destination": "LeaverDestination",
    "start_origin": "StartOrigin",
    "gender": "GenderCurrent",
    "ethnicity": "Ethnicity",
    "qual_level": "QualLevel",
    "date_of_birth": "PersonBirthDate",
    "qual_institution": "QualInst",
}
PERSON_FIELDS = {
    "date_of_birth": "date of birth",
    "gender": "gender",
    "ethnicity": "ethnicity",
    "qual_institution": "qualifying institution",
    "qual_level": "qualification level",
    "route": "route into social work",
}


def _refuse(message: str, field: str = "file") -> Refused:
    return Refused([Problem(Severity.ERROR, message, field=field)])


def _text(root: etree._Element, path: str) -> str:
    return (root.findtext(path) or "").strip()


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _day(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


class CSWWImporter(Importer):
    kind = "csww"
    title = "DfE workforce census return (CSWW)"
    description = (
        "A children's social work workforce census return, as sent to the DfE, in its XML "
        "layout. It gives each worker, their engagement at 30 September, the year's leavers and "
        "starters, and the year's census figures."
    )
    extensions = (".xml",)
    max_bytes = 20 * MEGABYTE

    def load(self, data: bytes, authority: Authority, outcome: Outcome) -> None:
        _Load(data, authority, outcome).run()


class _Load:
    def __init__(self, data: bytes, authority: Authority, outcome: Outcome) -> None:
        self.data = data
        self.authority = authority
        self.outcome = outcome
        self.workers: dict[str, Worker] = {}
        self.seen: set[str] = set()
        self.roles: dict[str, Role] = {}
        self.team: Team | None = None
        self.numbers: dict[str, int] = {}  # the last post number given, by reference prefix
        self.new_snapshot = False

    # Checking the file -------------------------------------------------------------------------

    def run(self) -> None:
        root = self._root()
        self.year = self._year(root)
        self.day = rules.reference_date(self.year)
        self.first = rules.year_start(self.year)
        self._check_la(root)
        self._check_schema()
        self._check_rules()
        read = rules.records(root)
        progress.stage("Checking records", total=len(read))
        for record in read:
            self._check_record(record)
            progress.advance()
        self._check_twice(read)
        vacancies = self._la_level(root)
        if self.outcome.errors:
            return
        self.outcome.summary = {
            "year": self.year,
            "la": self.authority.code,
            "records": len(read),
            "employed": sum(1 for r in read if not r.agency),
            "agency": sum(1 for r in read if r.agency),
        }
        self._write(read, vacancies)

    def _root(self) -> etree._Element:
        root, problem = rules.parse(self.data)
        if problem is not None or root is None:
            message = problem.message if problem else "The file could not be read."
            raise _refuse(message)
        if _text(root, "Header/CollectionDetails/Collection") != "CSWW":
            raise _refuse(
                "The file is not a children's social work workforce census return: its "
                "Header/CollectionDetails/Collection is not CSWW.",
                "Collection",
            )
        return root

    def _year(self, root: etree._Element) -> int:
        text = _text(root, "Header/CollectionDetails/Year")
        if not (text.isdigit() and len(text) == 4):
            raise _refuse(f"The header's Year must be a year like 2025, not {text!r}.", "Year")
        year = int(text)
        if rules.reference_date(year) > timezone.localdate():
            raise _refuse(
                f"The return is for the year to 30 September {year}, which has not ended.", "Year"
            )
        return year

    def _check_la(self, root: etree._Element) -> None:
        lea = _text(root, "Header/Source/LEA")
        if lea != self.authority.code:
            raise _refuse(
                f"The return is for LA code {lea or '(none)'}, not {self.authority.name}'s "
                f"({self.authority.code}): import it into that authority.",
                "LEA",
            )

    def _check_schema(self) -> None:
        if not returns.schema_installed():
            self.outcome.warn(
                "The DfE schema is not installed, so the file was checked by the census "
                "business rules and code lists only.",
                field="schema",
            )
            return
        for complaint in returns.validate(self.data):
            found = SCHEMA_COMPLAINT.match(complaint)
            if found is None:
                self.outcome.error(f"Not valid against the DfE schema: {complaint}", field="schema")
                continue
            swe = f" ({found['swe']})" if found["swe"] else ""
            self.outcome.error(
                f"Not valid against the DfE schema: {found['rest']}",
                record=f"Worker {found['n']}{swe}",
                field=found["element"] or "schema",
            )

    def _check_rules(self) -> None:
        for finding in rules.validate(self.data, self.year):
            record = ""
            if finding.worker is not None:
                record = f"Worker {finding.worker}" + (
                    f" ({finding.swe_no})" if finding.swe_no else ""
                )
            message = finding.message.removeprefix(f"{record}: ") if record else finding.message
            message = f"{message} ({finding.code})"
            if finding.is_error and finding.code not in MISSING_IS_KEPT_BLANK:
                self.outcome.error(message, record=record, field=finding.element)
            else:
                self.outcome.warn(message, record=record, field=finding.element)

    def _check_record(self, record: rules.Record) -> None:
        error = self.outcome.error
        label = record.label
        if not returns.normal_swe(record.swe_no):
            error(
                "There is no SWE number, so the worker could not be matched when a return is "
                "imported again. Add it to the return.",
                record=label,
                field="SWENo",
            )
        labels = self.codes
        loaded = {list_name for list_name, _code in labels}
        for element, list_name in CODED.items():
            code = record.text(element)
            # A list not loaded (no reference data) is left to the schema.
            if code is not None and list_name in loaded and (list_name, code) not in labels:
                error(
                    f"'{code}' is not one of the census codes for {element}.",
                    record=label,
                    field=element,
                )
        for element in DATES:
            if record.has(element) and record.date(element) is None:
                error(
                    f"'{record.text(element)}' is not a date like 2025-09-30.",
                    record=label,
                    field=element,
                )
        for element in NUMBERS:
            if record.has(element) and record.decimal(element) is None:
                error(f"'{record.text(element)}' is not a number.", record=label, field=element)
        cases = record.text("Cases30")
        if cases is not None and not cases.isdigit():
            error(f"'{cases}' is not a whole number of cases.", record=label, field="Cases30")
        fte = record.decimal("FTE30") or record.decimal("FTE")
        if fte is None or fte <= 0:
            error(
                "There is no FTE above 0.", record=label, field="FTE30" if record.agency else "FTE"
            )
        if record.agency:
            return
        end, start = record.date("RoleEndDate"), record.date("RoleStartDate")
        in_post = (record.decimal("FTE30") or 0) > 0
        if not record.has("RoleStartDate"):
            error(
                "There is no RoleStartDate, so the return does not say when the role began.",
                record=label,
                field="RoleStartDate",
            )
        if not in_post and end is None:
            error(
                "The worker is neither in post at 30 September (no FTE30) nor a leaver (no "
                "RoleEndDate), so the return does not say when the role ended. Add the "
                "RoleEndDate, ReasonLeave and LeaverDestination.",
                record=label,
                field="RoleEndDate",
            )
        if in_post and end is not None and end < self.day and start is not None and end >= start:
            error(
                f"The worker is in post at 30 September (FTE30) but left on {_day(end)}, after "
                f"the role began on {_day(start)}.",
                record=label,
                field="RoleEndDate",
            )

    @property
    def codes(self) -> dict[tuple[str, str], str]:
        if not hasattr(self, "_codes"):
            self._codes = census_labels(CODED.values())
        return self._codes

    def _check_twice(self, read: list[rules.Record]) -> None:
        """A worker has at most one agency record, and employed records (one for each spell
        of employment in the year) whose roles do not overlap."""
        agency: dict[str, rules.Record] = {}
        employed: dict[str, list[rules.Record]] = {}
        for record in read:
            swe = returns.normal_swe(record.swe_no)
            if not swe:
                continue
            if not record.agency:
                employed.setdefault(swe, []).append(record)
            elif swe in agency:
                self.outcome.error(
                    f"This is a second agency record of the same SWE number as "
                    f"{agency[swe].label}: a worker has at most one agency record.",
                    record=record.label,
                    field="SWENo",
                )
            else:
                agency[swe] = record
        never = dt.date.max
        for spells in employed.values():
            spells.sort(key=lambda r: r.date("RoleStartDate") or dt.date.min)
            for before, after in zip(spells, spells[1:], strict=False):
                ended = before.date("RoleEndDate") or never
                began = after.date("RoleStartDate") or dt.date.min
                if began <= ended:
                    self.outcome.error(
                        f"This role overlaps the role of {before.label}, of the same SWE "
                        "number: a worker's employed records are one for each spell of "
                        "employment, one after another.",
                        record=after.label,
                        field="RoleStartDate",
                    )

    def _la_level(self, root: etree._Element) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for element in ("NumberOfVacancies", "NoAgencyFTE", "NoAgencyHeadcount"):
            text = _text(root, f"LALevelVacancies/{element}") or "0"
            number = _decimal(text)
            if number is None or number < 0:
                self.outcome.error(
                    f"'{text}' is not a number of 0 or more.", field=f"LALevelVacancies/{element}"
                )
                continue
            out[element] = number
        return out

    # Writing -----------------------------------------------------------------------------------

    def _write(self, read: list[rules.Record], vacancies: dict[str, Decimal]) -> None:
        for worker in Worker.objects.filter(authority=self.authority):
            if worker.swe_number:
                self.workers.setdefault(returns.normal_swe(worker.swe_number), worker)
        snapshot, first_import = self._snapshot(vacancies)
        # A worker's spells in order: each leaving is written before the next spell begins.
        employed = sorted(
            (r for r in read if not r.agency),
            key=lambda r: (r.date("RoleStartDate") or dt.date.min, r.position),
        )
        progress.stage("Matching records to the system's", total=len(read))
        for record in employed:
            self._guarded(record, self._employed, record, snapshot)
            progress.advance()
        # Only the vacancies the records do not already show become posts: none when the
        # authority's own establishment gives the return's vacancies at 30 September.
        remaining = Decimal(0)
        if first_import:
            remaining = max(vacancies["NumberOfVacancies"] - self._vacancy_now(), Decimal(0))
        for record in read:
            if record.agency:
                remaining = self._guarded(record, self._agency, record, snapshot, remaining)
                progress.advance()
        if first_import:
            self._vacant_posts(remaining)
        elif snapshot.vacancies_fte != vacancies["NumberOfVacancies"]:
            self.outcome.warn(
                f"The {self.year} return imported before gave {snapshot.vacancies_fte} FTE of "
                f"vacancies; this one gives {vacancies['NumberOfVacancies']}. The posts made "
                "for the vacancies then are left as they are.",
                field="LALevelVacancies/NumberOfVacancies",
            )
        if any(e.what == "worker" and e.action == Action.CREATE for e in self.outcome.entries):
            self.outcome.warn(
                f"The return has no names: each new worker is called '{FIRST_NAME}' and their "
                "SWE number until their name is entered on their page."
            )

    def _vacancy_now(self) -> Decimal:
        """The figures layer's vacancy FTE at 30 September with what is written so far."""
        where = MetricsFilter(authority_ids=(self.authority.pk,))
        value = measures_on(where=where, on=self.day, keys=["vacancy_fte"]).at(0)["vacancy_fte"]
        return Decimal(value or 0)

    def _guarded(self, record: rules.Record, step: Any, *args: Any) -> Any:
        """Run one record's step; a service's refusal becomes an error naming the element."""
        try:
            return step(*args)
        except ValidationError as refusal:
            for name, messages in refusal.message_dict.items():
                for message in messages:
                    self.outcome.error(
                        message, record=record.label, field=ELEMENT_OF.get(name, name)
                    )
            return args[-1] if isinstance(args[-1], Decimal) else None

    def _snapshot(self, vacancies: dict[str, Decimal]) -> tuple[CensusSnapshot, bool]:
        values = {
            "vacancies_fte": vacancies["NumberOfVacancies"].quantize(TWO, ROUND_HALF_UP),
            "agency_fte": vacancies["NoAgencyFTE"].quantize(TWO, ROUND_HALF_UP),
            "agency_headcount": int(vacancies["NoAgencyHeadcount"]),
        }
        what, label = "census figures", f"LA-level figures for {self.year}"
        snapshot = CensusSnapshot.objects.filter(authority=self.authority, year=self.year).first()
        if snapshot is None:
            snapshot = CensusSnapshot.objects.create(
                authority=self.authority,
                year=self.year,
                sha256=checksum(self.data),
                **values,
            )
            self.outcome.add("create", what, label, _figures_text(values))
            self.new_snapshot = True
            return snapshot, True
        return snapshot, False

    def _worker(self, record: rules.Record) -> Worker:
        swe = returns.normal_swe(record.swe_no)
        details: dict[str, Any] = {
            "date_of_birth": record.date("PersonBirthDate"),
            "gender": record.text("GenderCurrent") or "",
            "ethnicity": record.text("Ethnicity") or "",
            "qual_institution": record.text("QualInst") or "",
            "qual_level": record.text("QualLevel") or "",
            "route": (
                Route.STEP_UP
                if record.text("StepUpGrad") == rules.YES
                else Route.FRONTLINE
                if record.text("FrontlineGrad") == rules.YES
                else ""
            ),
        }
        worker = self.workers.get(swe)
        first_time = swe not in self.seen
        self.seen.add(swe)
        if worker is None:
            staff_number = swe
            while Worker.objects.filter(
                authority=self.authority, staff_number=staff_number
            ).exists():
                staff_number = f"{staff_number}-1"[:20]
            worker = establishment.create_worker(
                authority=self.authority,
                staff_number=staff_number,
                first_name=FIRST_NAME,
                last_name=swe,
                swe_number=swe,
                **{k: v for k, v in details.items() if v},
            )
            self.workers[swe] = worker
            self.outcome.add("create", "worker", record.label, f"staff number {staff_number}")
            return worker
        filled = []
        for name, value in details.items():
            held = getattr(worker, name)
            if not value or held == value:
                continue
            if held in ("", None):
                setattr(worker, name, value)
                filled.append(PERSON_FIELDS[name])
            elif first_time:
                self.outcome.warn(
                    f"The system holds {PERSON_FIELDS[name]} '{held}' for {worker}; the return "
                    f"says '{value}'. The system's is kept.",
                    record=record.label,
                    field=ELEMENT_OF.get(name, "StepUpGrad"),
                )
        if filled:
            worker.full_clean()
            worker.save()
            self.outcome.add(
                "change", "worker", record.label, f"{worker}: filled in " + ", ".join(filled)
            )
        elif first_time:
            self.outcome.add("match", "worker", record.label, str(worker))
        return worker

    def _role(self, org_role: str) -> Role:
        if org_role not in self.roles:
            role = (
                Role.objects.filter(authority=self.authority, org_role=org_role)
                .order_by("order", "pk")
                .first()
            )
            if role is None:
                title = OrgRole(org_role).label
                if Role.objects.filter(authority=self.authority, title__iexact=title).exists():
                    title = f"{title} (OrgRole {org_role})"
                role = establishment.create_role(
                    authority=self.authority,
                    title=title,
                    org_role=org_role,
                    case_holding=org_role == CASE_HOLDER,
                )
                self.outcome.add("create", "role", title, f"OrgRole {org_role}")
            self.roles[org_role] = role
        return self.roles[org_role]

    def _to_be_assigned(self) -> Team:
        if self.team is None:
            team = Team.objects.filter(authority=self.authority, name=TO_BE_ASSIGNED).first()
            if team is None:
                team = establishment.create_team(
                    authority=self.authority, name=TO_BE_ASSIGNED, service_area=ServiceArea.OTHER
                )
                self.outcome.add(
                    "create", "team", TO_BE_ASSIGNED, "for the workers the return cannot place"
                )
            self.team = team
        return self.team

    def _post(self, role: Role, fte: Decimal | None, start: dt.date, tag: str) -> Post:
        """A post of the import's own, referenced CSWW<year>-<tag><n>; `fte` None is a post
        with no funding (agency staff beyond the vacancies)."""
        prefix = f"CSWW{self.year}-{tag}"
        if prefix not in self.numbers:
            self.numbers[prefix] = Post.objects.filter(
                authority=self.authority, reference__startswith=prefix
            ).count()
        self.numbers[prefix] += 1
        reference = f"{prefix}{self.numbers[prefix]:04d}"
        team = self._to_be_assigned()
        if fte is None:
            return Post.objects.create(
                authority=self.authority, team=team, role=role, reference=reference, start=start
            )
        return establishment.create_post(
            authority=self.authority,
            team=team,
            role=role,
            reference=reference,
            fte=fte,
            start=start,
        )

    def _employed(self, record: rules.Record, snapshot: CensusSnapshot) -> None:
        worker = self._worker(record)
        start = record.date("RoleStartDate")
        end = record.date("RoleEndDate")
        fte30 = record.decimal("FTE30")
        in_post = fte30 is not None and fte30 > 0
        fte = (fte30 if in_post else record.decimal("FTE")) or Decimal(0)
        fte = fte.quantize(TWO, ROUND_HALF_UP)
        on = self.day if in_post else end
        assert start is not None and on is not None  # the checks above
        held = list(
            Engagement.objects.filter(worker=worker, kind__in=EMPLOYED_KINDS)
            .exclude(post__role__org_role="")
            .active_on(on)
        )
        post = None
        if held:
            total = sum((e.fte for e in held), Decimal(0))
            self.outcome.add(
                "match", "engagement", record.label, f"employed {total} FTE on {_day(on)}"
            )
            if total != fte:
                self.outcome.warn(
                    f"The system holds {total} FTE for {worker} on {_day(on)}; the return says "
                    f"{fte}. The system's is kept.",
                    record=record.label,
                    field="FTE30" if in_post else "FTE",
                )
        else:
            role = self._role(record.text("OrgRole") or CASE_HOLDER)
            post = self._post(role, fte, start, "")
            origin = (record.text("StartOrigin") or "") if start >= self.first else ""
            establishment.appoint_worker(
                worker=worker, post=post, start=start, fte=fte, start_origin=origin
            )
            self.outcome.add(
                "create",
                "engagement",
                record.label,
                f"{role.title}, {fte} FTE from {_day(start)} in post {post.reference}",
            )
        if end is not None:
            self._leaving(record, worker, end, post)
        self._items(record, worker, snapshot)

    def _leaving(
        self, record: rules.Record, worker: Worker, end: dt.date, post: Post | None
    ) -> None:
        if Leaving.objects.filter(worker=worker, last_day=end).exists():
            self.outcome.add("match", "leaving", record.label, f"last day {_day(end)}")
            return
        establishment.record_leaver(
            worker=worker,
            last_day=end,
            reason=record.text("ReasonLeave") or "",
            destination=record.text("LeaverDestination") or "",
        )
        if post is not None:
            establishment.close_post(post=post, end=end + dt.timedelta(days=1))
        self.outcome.add(
            "create",
            "leaving",
            record.label,
            f"last day {_day(end)}, reason {record.text('ReasonLeave')}",
        )

    def _agency(
        self, record: rules.Record, snapshot: CensusSnapshot, remaining: Decimal
    ) -> Decimal:
        worker = self._worker(record)
        fte = (record.decimal("FTE30") or record.decimal("FTE") or Decimal(0)).quantize(
            TWO, ROUND_HALF_UP
        )
        held = list(
            Engagement.objects.filter(worker=worker, kind=EngagementKind.AGENCY).active_on(self.day)
        )
        if held:
            self.outcome.add(
                "match", "agency engagement", record.label, f"agency on {_day(self.day)}"
            )
        else:
            role = self._role(record.text("OrgRole") or CASE_HOLDER)
            funded = min(fte, remaining).quantize(TWO, ROUND_HALF_UP)
            post = self._post(role, funded if funded > 0 else None, self.day, "A")
            remaining -= max(funded, Decimal(0))
            establishment.start_agency_assignment(
                worker=worker,
                post=post,
                start=self.day,
                fte=fte,
                agency_name=AGENCY_NOT_GIVEN,
                charge_rate=None,
                covers=AgencyCover.VACANCY if funded > 0 else AgencyCover.EXTRA,
            )
            self.outcome.add(
                "create",
                "agency engagement",
                record.label,
                f"{role.title}, {fte} FTE on {_day(self.day)} in post {post.reference}",
            )
        self._items(record, worker, snapshot)
        return remaining

    def _vacant_posts(self, remaining: Decimal) -> None:
        remaining = remaining.quantize(TWO, ROUND_HALF_UP)
        if remaining <= 0:
            return
        role = self._role(CASE_HOLDER)
        while remaining > 0:
            fte = min(remaining, ONE)
            post = self._post(role, fte, self.day, "V")
            remaining -= fte
            self.outcome.add(
                "create", "vacant post", post.reference, f"{role.title}, {fte} FTE unfilled"
            )

    def _items(self, record: rules.Record, worker: Worker, snapshot: CensusSnapshot) -> None:
        cases = record.text("Cases30")
        absent = record.text("Absat30Sept")
        values = {
            "cases30": int(cases) if cases is not None else None,
            "working_days_lost": record.decimal("WorkingDaysLost"),
            "contract_weeks": record.decimal("ContractWeeks"),
            "absent_at_30": None if absent is None else absent == rules.YES,
            "reason_absence": record.text("ReasonAbsence") or "",
            "cfkss_status": record.text("CFKSSstatus") or "",
        }
        role_start = None if record.agency else record.date("RoleStartDate")
        row = None
        if not self.new_snapshot:
            row = CensusSnapshotWorker.objects.filter(
                snapshot=snapshot, worker=worker, agency=record.agency, role_start=role_start
            ).first()
        what = "census items"
        if row is None:
            CensusSnapshotWorker.objects.create(
                authority=self.authority,
                snapshot=snapshot,
                worker=worker,
                agency=record.agency,
                role_start=role_start,
                **values,
            )
            self.outcome.add("create", what, record.label, _items_text(values))
            return
        changed = [name for name, value in values.items() if getattr(row, name) != value]
        if not changed:
            self.outcome.add("match", what, record.label, _items_text(values))
            return
        for name in changed:
            setattr(row, name, values[name])
        row.save()
        self.outcome.add("change", what, record.label, _items_text(values))


def _figures_text(values: dict[str, Any]) -> str:
    return (
        f"vacancies {values['vacancies_fte']} FTE, agency {values['agency_fte']} FTE "
        f"({values['agency_headcount']} people)"
    )


def _items_text(values: dict[str, Any]) -> str:
    parts = []
    if values["cases30"] is not None:
        parts.append(f"{values['cases30']} cases at 30 September")
    if values["working_days_lost"] is not None:
        parts.append(f"{values['working_days_lost']} working days lost")
    if values["absent_at_30"]:
        parts.append(f"absent at 30 September ({values['reason_absence']})")
    return ", ".join(parts) or "no census items"
