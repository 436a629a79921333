"""Case-system extracts read into caseloads, from CSV or XLSX: referrals and how far each went,
and supervision sessions held.

Both match what they read to what is there by natural keys (the case system's referral id; the
worker's staff number and the date of the session) and write through the caseload services, so
every rule is kept and every change audited. The same file again changes nothing.

A referral extract may name the child by the case system's id. That id is turned into the
child's pseudonymous reference (`models.pseudonymise`) before anything else is done with the
row, and only the reference is used from then on: the id itself is never stored, nor shown in a
problem, an entry or a record's name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from workforce.caseloads import services
from workforce.caseloads.models import Case, Referral, ReferralOutcome, Supervision, pseudonymise
from workforce.core.dates import day_text
from workforce.core.models import Authority
from workforce.establishment.models import Team, Worker
from workforce.imports.base import Action, Outcome
from workforce.imports.tabular import (
    Code,
    Column,
    Formula,
    Reading,
    Row,
    Table,
    TabularImporter,
    as_text,
    local_codes,
    normal,
    refused,
    twice,
)

# The referral outcomes an extract may write in its own words (mapped under Code mappings).
REFERRAL_OUTCOME_LIST = "referral_outcome"
REFERRAL_OUTCOMES = dict(ReferralOutcome.choices)
# How case systems and councils' returns commonly spell the outcomes, read without a mapping
# (compared as `tabular.normal` compares: case, spaces and punctuation aside). Any other local
# word is mapped once under Code mappings.
OUTCOME_SPELLINGS = {
    normal(spelling): code.value
    for code, spellings in {
        ReferralOutcome.NO_FURTHER_ACTION: (
            "NFA",
            "No further action",
            "Closed, no further action",
        ),
        ReferralOutcome.ADVICE: (
            "Information and advice",
            "Advice and information",
            "Information advice and guidance",
            "Information, advice and signposting",
            "IAG",
            "Advice",
            "Signposting",
            "Signposted",
            "Signposted to other services",
            "Signposted to universal services",
        ),
        ReferralOutcome.EARLY_HELP: (
            "Early help",
            "Referred to early help",
            "Referral to early help",
            "Step down to early help",
            "Stepped down to early help",
            "Early help assessment",
            "EHA",
        ),
        ReferralOutcome.NOT_IN_NEED: (
            "Not in need",
            "Assessed not in need",
            "Assessed and not in need",
            "No further action after assessment",
            "NFA after assessment",
        ),
        ReferralOutcome.ASSESSMENT: (
            "Assessment",
            "Single assessment",
            "Initial assessment",
            "Core assessment",
            "Child and family assessment",
        ),
        ReferralOutcome.CP_ENQUIRY: ("Child protection enquiry", "Strategy discussion"),
        ReferralOutcome.PLAN: ("Plan", "Child in need plan", "CIN plan", "Child protection plan"),
    }.items()
    for spelling in spellings
}
DATES = (
    "initial_assessment_start",
    "initial_assessment_completed",
    "core_assessment_start",
    "core_assessment_completed",
    "plan_date",
)


# Referrals -------------------------------------------------------------------------------------


class ReferralsImporter(TabularImporter):
    kind = "referrals"
    title = "Referrals and assessments"
    description = (
        "An extract of the case system's referrals, one row for each: its id, the child's id "
        "(if any: only its pseudonymous reference is kept), the date received, the team, the "
        "outcome and the dates of the assessments and the plan. A referral that went further "
        "since the last file is brought up to date."
    )
    columns = (
        Column(
            "referral_id",
            "Referral ID",
            aliases=("Referral reference", "Referral number", "Referral ref", "ReferralID"),
        ),
        Column(
            "child_id",
            "Child ID",
            required=False,
            aliases=("Person ID", "Child reference", "Client ID", "LCS ID", "Mosaic ID"),
            hint="The case system's id of the child: only its pseudonymous reference is kept",
        ),
        Column(
            "received",
            "Referral date",
            aliases=("Date received", "Received date", "Referral received date", "ReferralDate"),
        ),
        Column("team", "Team", aliases=("Team name", "Receiving team", "Responsible team")),
        Column(
            "outcome",
            "Referral outcome",
            required=False,
            aliases=("Outcome", "Outcome of referral"),
            hint=(
                "No further action, Information, advice or signposting, Referred to early help, "
                "Assessment, Assessed, not in need, Child protection enquiry or Plan; empty if "
                "open"
            ),
        ),
        Column(
            "outcome_date",
            "Outcome date",
            required=False,
            aliases=("Date of outcome", "Referral outcome date", "Outcome decision date"),
            hint="The day the outcome was decided: on or after the referral date",
        ),
        Column(
            "initial_assessment_start",
            "Initial assessment start",
            required=False,
            aliases=("Initial assessment start date", "IA start date", "IA start"),
        ),
        Column(
            "initial_assessment_completed",
            "Initial assessment completed",
            required=False,
            aliases=(
                "Initial assessment completion date",
                "Initial assessment completed date",
                "IA completed date",
                "IA completed",
            ),
        ),
        Column(
            "core_assessment_start",
            "Core assessment start",
            required=False,
            aliases=("Core assessment start date", "CA start date", "CA start"),
        ),
        Column(
            "core_assessment_completed",
            "Core assessment completed",
            required=False,
            aliases=(
                "Core assessment completion date",
                "Core assessment completed date",
                "CA completed date",
                "CA completed",
            ),
        ),
        Column("plan_date", "Plan date", required=False, aliases=("Plan start date",)),
    )

    def read_rows(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        _Referrals(table, authority, outcome).run()


# The services' names of what they refuse, as the extract's columns.
REFERRAL_FIELDS = {
    "source_ref": "referral_id",
    "received": "received",
    "team": "team",
    "child_ref": "child_id",
    "case": "child_id",
    "outcome": "outcome",
    "outcome_date": "outcome_date",
    **{name: name for name in DATES},
}


class _Referrals:
    def __init__(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        self.table = table
        self.authority = authority
        self.outcome = outcome
        self.seen: dict[str, tuple[int, tuple[Any, ...]]] = {}
        self.teams: dict[str, Team | None] = {}
        self.cases: dict[str, Case | None] = {}
        # The common spellings, then the authority's own mappings, which win.
        self.local = {**OUTCOME_SPELLINGS, **local_codes(authority, REFERRAL_OUTCOME_LIST)}

    def run(self) -> None:
        for row in self.table.rows():
            self._row(row)

    def _child(self, r: Reading) -> str:
        """The child's pseudonymous reference, put in place of the id in the row itself, so
        that nothing later (a problem's value, a comparison) can see the id."""
        raw = r.row.values.get("child_id")
        r.row.values["child_id"] = ""
        if isinstance(raw, Formula):
            r.error(
                "child_id",
                "The cell holds a formula: formulas are never worked out. Put the child's id "
                "itself in the file.",
                Code.FORMULA,
            )
            return ""
        source_id = as_text(raw)
        if not source_id:
            return ""
        ref = pseudonymise(source_id)
        r.row.values["child_id"] = ref
        return ref

    def _row(self, row: Row) -> None:
        r = Reading(self.table, row, self.outcome)
        child_ref = self._child(r)  # first: the child's id goes no further than this
        referral_id = r.text("referral_id", required=True, longest=50)
        r.record = f"Referral {referral_id}" if referral_id else r.record
        values: dict[str, Any] = {
            "child_ref": child_ref,
            "received": r.date("received", required=True),
            "team": r.text("team", required=True, longest=120),
            "outcome": r.code(
                "outcome", REFERRAL_OUTCOMES, what="referral outcome", local=self.local
            ),
        }
        for name in (*DATES, "outcome_date"):
            values[name] = r.date(name)
        if r.ok and not values["outcome"] and any(values[name] for name in DATES):
            r.error(
                "outcome",
                "Give the referral's outcome: the row has dates of assessments or a plan.",
                Code.REQUIRED,
            )
        if r.ok and not values["outcome"] and values["outcome_date"]:
            r.error(
                "outcome",
                "Give the referral's outcome: the row has the date of an outcome.",
                Code.REQUIRED,
            )
        if not r.ok:
            self.seen.setdefault(referral_id, (row.line, ()))
            return
        compared = dict(values, team=values["team"].lower())
        if twice(r, self.seen, referral_id, "referral_id", compared):
            return
        team = self._team(r, values["team"])
        if team is None:
            return
        case = self._case(r, child_ref)
        try:
            self._referral(r, referral_id, team, case, values)
        except ValidationError as refusal:
            refused(r, refusal, REFERRAL_FIELDS)

    def _team(self, r: Reading, name: str) -> Team | None:
        key = name.lower()
        if key not in self.teams:
            self.teams[key] = Team.objects.filter(
                authority=self.authority, name__iexact=name
            ).first()
        team = self.teams[key]
        if team is None:
            r.error(
                "team",
                f"There is no team {name}. Import the establishment first, or correct the name.",
                Code.UNKNOWN_RECORD,
            )
        return team

    def _case(self, r: Reading, child_ref: str) -> Case | None:
        if not child_ref:
            return None
        if child_ref not in self.cases:
            self.cases[child_ref] = Case.objects.filter(
                authority=self.authority, child_ref=child_ref
            ).first()
        case = self.cases[child_ref]
        if case is None:
            r.warn(
                "child_id",
                "The system has no case for this child: the referral is recorded without its "
                "case. Import the file again once the case is in the system.",
                Code.UNKNOWN_RECORD,
            )
        return case

    def _referral(
        self,
        r: Reading,
        referral_id: str,
        team: Team,
        case: Case | None,
        values: dict[str, Any],
    ) -> None:
        line = r.row.line
        progress = {name: values[name] for name in (*DATES, "outcome_date")}
        referral = Referral.objects.filter(authority=self.authority, source_ref=referral_id).first()
        if referral is None:
            referral = services.record_referral(
                authority=self.authority,
                team=team,
                received=values["received"],
                case=case,
                source_ref=referral_id,
            )
            if values["outcome"]:
                services.record_referral_outcome(
                    referral=referral, outcome=values["outcome"], **progress
                )
            self.outcome.add(Action.CREATE, "referral", r.record, _detail(referral), line=line)
            return
        self._kept(r, referral, team, values["received"])
        changed = []
        if case is not None and referral.case_id != case.pk:
            if referral.case_id is not None:
                r.error(
                    "child_id",
                    f"The system records this referral for child {referral.case}. A referral "
                    "does not move to another child: correct the file.",
                    Code.CONFLICT,
                )
                return
            services.link_referral_to_case(referral=referral, case=case)
            changed.append(f"child {case.child_ref}")
        held = {name: getattr(referral, name) for name in progress}
        for name in progress:
            if name not in self.table.positions:  # a file without the column keeps ours
                progress[name] = getattr(referral, name)
        if values["outcome"] and (values["outcome"] != referral.outcome or progress != held):
            services.record_referral_outcome(
                referral=referral, outcome=values["outcome"], **progress
            )
            changed.append(_detail(referral))
        elif not values["outcome"] and referral.outcome:
            r.warn(
                "outcome",
                f"The system holds the outcome {referral.get_outcome_display().lower()}; the "
                "system's is kept.",
                Code.KEPT,
            )
        if changed:
            self.outcome.add(Action.CHANGE, "referral", r.record, "; ".join(changed), line=line)
        else:
            self.outcome.add(Action.MATCH, "referral", r.record, _detail(referral), line=line)

    def _kept(self, r: Reading, referral: Referral, team: Team, received: dt.date) -> None:
        """What a referral keeps from when it was first recorded: its team and date received."""
        if referral.received != received:
            r.warn(
                "received",
                f"The system holds {day_text(referral.received)} as the date received; the "
                "system's is kept.",
                Code.KEPT,
            )
        if referral.team_id != team.pk:
            r.warn(
                "team",
                f"The system holds the referral in {referral.team}; the system's is kept.",
                Code.KEPT,
            )


def _detail(referral: Referral) -> str:
    parts = [f"received {day_text(referral.received)} by {referral.team}"]
    if referral.case_id is not None:
        parts.append(f"child {referral.case}")
    parts.append(referral.get_outcome_display().lower() if referral.outcome else "open")
    return ", ".join(parts)


# Supervision -----------------------------------------------------------------------------------


class SupervisionImporter(TabularImporter):
    kind = "supervision"
    title = "Supervision records"
    description = (
        "An extract of supervision sessions held, one row for each: the staff number of the "
        "worker supervised, the date, and the supervisor's staff number if known."
    )
    columns = (
        Column(
            "staff_number",
            "Staff number",
            aliases=(
                "Worker staff number",
                "Supervisee staff number",
                "Employee number",
                "Employee no",
            ),
        ),
        Column(
            "supervisor",
            "Supervisor staff number",
            required=False,
            aliases=("Supervisor", "Supervisor employee number", "Supervisor employee no"),
        ),
        Column(
            "date",
            "Supervision date",
            aliases=("Date of supervision", "Session date", "Date"),
        ),
    )

    def read_rows(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        _Supervision(table, authority, outcome).run()


SUPERVISION_FIELDS = {"date": "date", "worker": "staff_number", "supervisor": "supervisor"}


class _Supervision:
    def __init__(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        self.table = table
        self.authority = authority
        self.outcome = outcome
        self.seen: dict[str, tuple[int, tuple[Any, ...]]] = {}
        self.workers: dict[str, Worker | None] = {}

    def run(self) -> None:
        for row in self.table.rows():
            self._row(row)

    def _row(self, row: Row) -> None:
        r = Reading(self.table, row, self.outcome)
        staff_number = r.staff_number()
        supervisor_number = r.text("supervisor", longest=20)
        date = r.date("date", required=True)
        if not r.ok or date is None:
            return
        key = f"{staff_number}|{date.isoformat()}"
        if twice(
            r,
            self.seen,
            key,
            "date",
            {"supervisor": supervisor_number},
            what="staff number and supervision date",
        ):
            return
        worker = self._worker(r, "staff_number", staff_number)
        supervisor = self._worker(r, "supervisor", supervisor_number) if supervisor_number else None
        if worker is None or (supervisor_number and supervisor is None):
            return
        try:
            self._session(r, worker, supervisor, date)
        except ValidationError as refusal:
            refused(r, refusal, SUPERVISION_FIELDS)

    def _worker(self, r: Reading, name: str, staff_number: str) -> Worker | None:
        if staff_number not in self.workers:
            self.workers[staff_number] = Worker.objects.filter(
                authority=self.authority, staff_number=staff_number
            ).first()
        worker = self.workers[staff_number]
        if worker is None:
            r.error(
                name,
                f"There is no one with staff number {staff_number}. Import the staff first, or "
                "correct the number.",
                Code.UNKNOWN_RECORD,
            )
        return worker

    def _session(
        self, r: Reading, worker: Worker, supervisor: Worker | None, date: dt.date
    ) -> None:
        line = r.row.line
        detail = f"on {day_text(date)}"
        held = Supervision.objects.filter(worker=worker, date=date).select_related("supervisor")
        session = held.first()
        if session is None:
            services.record_supervision(worker=worker, date=date, supervisor=supervisor)
            if supervisor is not None:
                detail += f", supervised by staff number {supervisor.staff_number}"
            self.outcome.add(Action.CREATE, "supervision", r.record, detail, line=line)
            return
        if supervisor is not None and session.supervisor_id != supervisor.pk:
            held_by = (
                f"staff number {session.supervisor.staff_number}"
                if session.supervisor is not None
                else "no supervisor"
            )
            r.warn(
                "supervisor",
                f"The system records {held_by} for this session; the system's is kept.",
                Code.KEPT,
            )
        self.outcome.add(Action.MATCH, "supervision", r.record, detail, line=line)
