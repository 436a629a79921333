"""HR extracts read into the establishment, from CSV or XLSX: the structure (teams, roles, posts
and their budgets), the staff (workers and their engagements), agency assignments, leavers and
absences.

Each matches what it reads to what is there by natural keys (team name, role title, post
reference; staff number, then SWE number; an agency worker's reference, then SWE number, with the
post and start of the assignment; the person and last day of a leaving; the person and first day
of an absence) and writes through the establishment's services, so every rule is kept and every
change audited. The same file again changes nothing. Changes take effect on the day the file is
read (`as_at`), so the past stays as it was. Files give last days (of a contract, an assignment,
an absence); the system holds [start, end), so a day is added.

A staff extract is a monthly list of everyone employed, and an agency list a monthly list of the
agency assignments running: someone (an assignment) it no longer lists, employed (running) on
that day, has their end proposed (a "close" with a warning), never their history deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from workforce.core.dates import day_text
from workforce.core.models import Authority, CensusCode, census_labels
from workforce.establishment import services
from workforce.establishment.models import (
    EMPLOYED_KINDS,
    Absence,
    AgencyCover,
    Engagement,
    EngagementEnd,
    EngagementKind,
    Leaving,
    OrgRole,
    Post,
    Role,
    ServiceArea,
    Team,
    Worker,
)
from workforce.imports.base import Action, Outcome
from workforce.imports.tabular import (
    Code,
    Column,
    Reading,
    Row,
    Table,
    TabularImporter,
    local_codes,
    refused,
    signature,
    twice,
)

DAY = dt.timedelta(days=1)
# The system's own lists an extract may write in its own words (mapped under Code mappings).
SERVICE_AREA_LIST = "service_area"
CONTRACT_LIST = "contract"
ORG_ROLE_LIST = CensusCode.List.ORG_ROLE
CONTRACTS = {k.value: k.label for k in EMPLOYED_KINDS}


def _coded(
    authority: Authority, coded: Mapping[str, tuple[str, str]]
) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """For each field read as a census code (`coded`: field -> (list, what it is)): the list's
    codes and labels, and the authority's code mappings of local values into it."""
    found = census_labels(list_name for list_name, _what in coded.values())
    labels = {
        name: {c: label for (lst, c), label in found.items() if lst == list_name}
        for name, (list_name, _what) in coded.items()
    }
    local = {name: local_codes(authority, list_name) for name, (list_name, _what) in coded.items()}
    return labels, local


class _Rows:
    """Reads an extract's rows one at a time (`_row`), then, when no row had an error, does
    what the whole file says (`_finish`: for a monthly list, what it no longer lists). Changes
    take effect on the day the file is read (`as_at`)."""

    def __init__(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        self.table = table
        self.authority = authority
        self.outcome = outcome
        self.as_at = timezone.localdate()
        self.seen: dict[str, tuple[int, tuple[Any, ...]]] = {}
        self.posts: dict[str, Post | None] = {}
        self.workers: dict[str, Worker | None] = {}

    def run(self) -> None:
        self.outcome.summary["as_at"] = self.as_at.isoformat()
        for row in self.table.rows():
            self._row(row)
        if not self.outcome.error_count and self.table.rows_read:
            self._finish()

    def _row(self, row: Row) -> None:
        raise NotImplementedError

    def _finish(self) -> None:
        """What the whole file says, once every row is read without an error."""

    def _post(self, reference: str) -> Post | None:
        if reference not in self.posts:
            self.posts[reference] = Post.objects.filter(
                authority=self.authority, reference=reference
            ).first()
        return self.posts[reference]

    def _worker(self, staff_number: str) -> Worker | None:
        if staff_number not in self.workers:
            self.workers[staff_number] = Worker.objects.filter(
                authority=self.authority, staff_number=staff_number
            ).first()
        return self.workers[staff_number]

    def _known_post(self, r: Reading, name: str, reference: str) -> Post | None:
        """The post a row names, or an error on its column."""
        post = self._post(reference)
        if post is None:
            r.error(
                name,
                f"There is no post {reference}. Import the establishment first, or correct the "
                "reference.",
                Code.UNKNOWN_RECORD,
            )
        return post

    def _known_worker(self, r: Reading, name: str, staff_number: str) -> Worker | None:
        """The person a row names by staff number, or an error on its column."""
        worker = self._worker(staff_number)
        if worker is None:
            r.error(
                name,
                f"There is no one with staff number {staff_number}. Import the staff extract "
                "first, or correct the staff number.",
                Code.UNKNOWN_RECORD,
            )
        return worker


# Columns several extracts share -----------------------------------------------------------------

STAFF_NUMBER = Column(
    "staff_number",
    "Staff number",
    aliases=("Employee number", "Employee no", "Emp no", "Person number", "Payroll number"),
)
SWE_NUMBER = Column(
    "swe_number",
    "SWE number",
    required=False,
    aliases=("Social Work England number", "SWE registration number", "Registration number"),
)
FIRST_NAME = Column("first_name", "First name", aliases=("Forename", "Forenames", "Given name"))
LAST_NAME = Column("last_name", "Last name", aliases=("Surname", "Family name"))
POST = Column("post", "Post reference", aliases=("Post ref", "Post number", "Position number"))
LAST_DAY = Column(
    "last_day",
    "Leaving date",
    required=False,
    aliases=("Last day", "Termination date", "Date left"),
)
REASON_LEAVE = Column(
    "reason",
    "Leaving reason",
    required=False,
    aliases=("Reason for leaving", "Termination reason", "ReasonLeave"),
)
DESTINATION = Column(
    "destination",
    "Leaver destination",
    required=False,
    aliases=("Destination", "LeaverDestination"),
)


# The establishment -----------------------------------------------------------------------------


class EstablishmentImporter(TabularImporter):
    kind = "establishment"
    title = "Establishment (teams, roles, posts and budgets)"
    description = (
        "An extract of the establishment, one row for each post: its reference, team, role and "
        "budgeted FTE. Teams and roles not yet in the system are created; a post's budget that "
        "changed changes from today."
    )
    columns = (
        Column(
            "reference",
            "Post reference",
            aliases=("Post ref", "Post number", "Position number", "Establishment reference"),
        ),
        Column("team", "Team", aliases=("Team name", "Unit", "Organisation unit")),
        Column("service_area", "Service area", required=False, hint="For example Assessment"),
        Column("locality", "Locality", required=False),
        Column("role", "Role", aliases=("Role title", "Job title", "Position title")),
        Column(
            "org_role",
            "Census OrgRole",
            required=False,
            aliases=("OrgRole",),
            hint="1 to 6, or empty",
        ),
        Column("case_holding", "Case holding", required=False, hint="Yes or No"),
        Column("grade", "Grade", required=False),
        Column("fte", "Budgeted FTE", aliases=("FTE", "Funded FTE", "Establishment FTE")),
        Column("start", "Start date", aliases=("Post start date", "Valid from")),
        Column("end", "End date", required=False, aliases=("Post end date", "Valid to")),
        Column("cost_centre", "Cost centre", required=False, aliases=("Cost center",)),
    )

    def read_rows(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        _Establishment(table, authority, outcome).run()


class _Establishment:
    def __init__(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        self.table = table
        self.authority = authority
        self.outcome = outcome
        self.as_at = timezone.localdate()
        self.teams: dict[str, Team | None] = {}
        self.roles: dict[str, Role | None] = {}
        self.posts: dict[str, tuple[int, tuple[Any, ...]]] = {}
        self.team_rows: dict[str, tuple[int, tuple[Any, ...]]] = {}
        self.role_rows: dict[str, tuple[int, tuple[Any, ...]]] = {}
        self.areas = local_codes(authority, SERVICE_AREA_LIST)
        self.org_roles = local_codes(authority, ORG_ROLE_LIST)

    def run(self) -> None:
        self.outcome.summary["as_at"] = self.as_at.isoformat()
        for row in self.table.rows():
            self._row(row)

    def _row(self, row: Row) -> None:
        r = Reading(self.table, row, self.outcome)
        reference = r.text("reference", required=True, longest=30)
        r.record = f"Post {reference}" if reference else r.record
        team = r.text("team", required=True, longest=120)
        area = r.code(
            "service_area",
            {k.value: k.label for k in ServiceArea},
            what="service area",
            local=self.areas,
        )
        locality = r.text("locality", longest=80)
        role = r.text("role", required=True, longest=120)
        org_role = r.code(
            "org_role", dict(OrgRole.choices), what="census OrgRole", local=self.org_roles
        )
        case_holding = r.boolean("case_holding")
        grade = r.text("grade", longest=20)
        fte = r.decimal("fte", required=True)
        start = r.date("start", required=True)
        end = r.date("end")
        cost_centre = r.text("cost_centre", longest=20)
        if not r.ok:
            return
        post_values = {
            "team": team.lower(),
            "role": role.lower(),
            "fte": fte,
            "start": start,
            "end": end,
            "grade": grade,
            "cost_centre": cost_centre,
        }
        if twice(r, self.posts, reference, "reference", post_values):
            return
        team_values = {"service_area": area, "locality": locality}
        role_values = {"org_role": org_role, "case_holding": case_holding}
        team_ok = self._same_as_before(r, self.team_rows, team.lower(), "team", team_values)
        role_ok = self._same_as_before(r, self.role_rows, role.lower(), "role", role_values)
        if not (team_ok and role_ok):
            return
        found_team = self._team(r, team, area, locality)
        found_role = self._role(r, role, org_role, case_holding, grade)
        if found_team is None or found_role is None:
            return
        assert fte is not None and start is not None
        self._post(r, reference, found_team, found_role, fte, start, end, grade, cost_centre)

    def _same_as_before(
        self,
        r: Reading,
        seen: dict[str, tuple[int, tuple[Any, ...]]],
        key: str,
        name: str,
        values: dict[str, Any],
    ) -> bool:
        """A team (or role) said of on several rows must be said of the same way: values left
        empty on a row say nothing."""
        given = {k: v for k, v in values.items() if v not in ("", None)}
        earlier = seen.get(key)
        if earlier is None:
            seen[key] = (r.row.line, signature(given))
            return True
        line, before = earlier
        said = dict(before)
        for k, v in given.items():
            if k in said and said[k] != str(v):
                r.error(
                    k,
                    f"Line {line} gives {name} {r.row.values.get(name)} a different "
                    f"{r.table.heading(k).lower()} ({said[k]}).",
                    Code.CONTRADICTS,
                )
                return False
        return True

    def _team(self, r: Reading, name: str, area: str, locality: str) -> Team | None:
        key = name.lower()
        if key in self.teams:
            return self.teams[key]
        team = Team.objects.filter(authority=self.authority, name__iexact=name).first()
        fields = {"name": "team", "service_area": "service_area", "locality": "locality"}
        try:
            if team is None:
                if not area:
                    r.error(
                        "service_area",
                        f"Team {name} is new: give its service area.",
                        Code.REQUIRED,
                    )
                    self.teams[key] = None
                    return None
                team = services.create_team(
                    authority=self.authority, name=name, service_area=area, locality=locality
                )
                self.outcome.add(Action.CREATE, "team", name, area, line=r.row.line)
            elif (area and area != team.service_area) or (locality and locality != team.locality):
                services.update_team(
                    team=team,
                    name=team.name,
                    service_area=area or team.service_area,
                    locality=locality or team.locality,
                    is_active=team.is_active,
                )
                self.outcome.add(
                    Action.CHANGE, "team", name, "service area or locality", line=r.row.line
                )
            else:
                self.outcome.add(Action.MATCH, "team", name, line=r.row.line)
        except ValidationError as refusal:
            refused(r, refusal, fields)
            team = None
        self.teams[key] = team
        return team

    def _role(
        self, r: Reading, title: str, org_role: str, case_holding: bool | None, grade: str
    ) -> Role | None:
        key = title.lower()
        if key in self.roles:
            return self.roles[key]
        role = Role.objects.filter(authority=self.authority, title__iexact=title).first()
        fields = {"title": "role", "org_role": "org_role", "case_holding": "case_holding"}
        try:
            if role is None:
                holding = case_holding if case_holding is not None else org_role == "5"
                role = services.create_role(
                    authority=self.authority,
                    title=title,
                    org_role=org_role,
                    grade=grade,
                    case_holding=holding,
                )
                self.outcome.add(
                    Action.CREATE,
                    "role",
                    title,
                    f"OrgRole {org_role}" if org_role else "not counted in the census",
                    line=r.row.line,
                )
            elif (org_role and org_role != role.org_role) or (
                case_holding is not None and case_holding != role.case_holding
            ):
                services.update_role(
                    role=role,
                    title=role.title,
                    org_role=org_role or role.org_role,
                    grade=role.grade,
                    case_holding=role.case_holding if case_holding is None else case_holding,
                    capacity_points=role.capacity_points,
                    order=role.order,
                )
                self.outcome.add(
                    Action.CHANGE, "role", title, "census OrgRole or case holding", line=r.row.line
                )
            else:
                self.outcome.add(Action.MATCH, "role", title, line=r.row.line)
        except ValidationError as refusal:
            refused(r, refusal, fields)
            role = None
        self.roles[key] = role
        return role

    def _post(
        self,
        r: Reading,
        reference: str,
        team: Team,
        role: Role,
        fte: Decimal,
        start: dt.date,
        end: dt.date | None,
        grade: str,
        cost_centre: str,
    ) -> None:
        post = Post.objects.filter(authority=self.authority, reference=reference).first()
        line = r.row.line
        fields = {
            "fte": "fte",
            "start": "start",
            "end": "end",
            "reference": "reference",
            "from_date": "fte",
        }
        try:
            if post is None:
                services.create_post(
                    authority=self.authority,
                    team=team,
                    role=role,
                    reference=reference,
                    fte=fte,
                    start=start,
                    end=end,
                    grade=grade,
                    cost_centre=cost_centre,
                )
                self.outcome.add(
                    Action.CREATE,
                    "post",
                    reference,
                    f"{role.title} in {team.name}, {fte} FTE",
                    line=line,
                )
                return
            if post.team_id != team.pk or post.role_id != role.pk:
                r.error(
                    "team" if post.team_id != team.pk else "role",
                    f"Post {reference} is a {post.role} post in {post.team} in the system. A post "
                    "does not move: close it and add a new post with a new reference.",
                    Code.CONFLICT,
                )
                return
            if post.start != start:
                r.warn(
                    "start",
                    f"The system holds {day_text(post.start)} as the post's start; the system's "
                    "is kept.",
                    Code.KEPT,
                )
            if end is not None and post.end != end:
                services.close_post(post=post, end=end)
                self.outcome.add(
                    Action.CLOSE, "post", reference, f"closes on {day_text(end)}", line=line
                )
                return
            on = max(self.as_at, post.start)
            funding = post.funding.active_on(on).first()
            if post.is_active_on(on) and funding is not None and funding.fte != fte:
                services.change_post_fte(post=post, fte=fte, from_date=on)
                self.outcome.add(
                    Action.CHANGE,
                    "post",
                    reference,
                    f"{funding.fte} to {fte} FTE from {day_text(on)}",
                    line=line,
                )
                return
            self.outcome.add(Action.MATCH, "post", reference, f"{fte} FTE", line=line)
        except ValidationError as refusal:
            refused(r, refusal, fields)


# Staff -----------------------------------------------------------------------------------------


class StaffImporter(TabularImporter):
    kind = "staff"
    title = "Staff (workers and their engagements)"
    description = (
        "A monthly HR or payroll extract of everyone employed, one row for each person: staff "
        "number, name, post and FTE, and for leavers their last day and reason. Someone the "
        "extract no longer lists has the end of their engagement proposed."
    )
    columns = (
        STAFF_NUMBER,
        SWE_NUMBER,
        FIRST_NAME,
        LAST_NAME,
        Column("date_of_birth", "Date of birth", required=False, aliases=("DOB", "Birth date")),
        Column("gender", "Gender", required=False),
        Column("ethnicity", "Ethnicity", required=False, aliases=("Ethnic origin",)),
        POST,
        Column("fte", "FTE", aliases=("Contracted FTE", "FTE in post")),
        Column(
            "start",
            "Start date",
            aliases=("Start date in post", "Position start date", "Assignment start date"),
        ),
        Column(
            "contract",
            "Contract type",
            required=False,
            aliases=("Employment type", "Contract"),
            hint="Permanent, Fixed-term or Secondment",
        ),
        Column("end", "Contract end date", required=False, aliases=("Fixed term end date",)),
        Column("start_origin", "Start origin", required=False, aliases=("StartOrigin",)),
        LAST_DAY,
        REASON_LEAVE,
        DESTINATION,
    )

    def read_rows(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        _Staff(table, authority, outcome).run()


CODED = {
    "gender": (CensusCode.List.GENDER, "gender"),
    "ethnicity": (CensusCode.List.ETHNICITY, "ethnicity"),
    "start_origin": (CensusCode.List.START_ORIGIN, "StartOrigin"),
    "reason": (CensusCode.List.REASON_LEAVE, "ReasonLeave"),
    "destination": (CensusCode.List.LEAVER_DESTINATION, "LeaverDestination"),
}
# The service's names of what it refuses, as the extract's columns.
STAFF_FIELDS = {
    "staff_number": "staff_number",
    "first_name": "first_name",
    "last_name": "last_name",
    "swe_number": "swe_number",
    "date_of_birth": "date_of_birth",
    "gender": "gender",
    "ethnicity": "ethnicity",
    "fte": "fte",
    "start": "start",
    "end": "end",
    "kind": "contract",
    "start_origin": "start_origin",
    "last_day": "last_day",
    "reason": "reason",
    "destination": "destination",
    "to_post": "post",
    "on": "start",
    "from_date": "fte",
}


class _Staff(_Rows):
    def __init__(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        super().__init__(table, authority, outcome)
        self.swe_seen: dict[str, tuple[str, int]] = {}
        self.labels, self.local = _coded(authority, CODED)
        self.contracts = local_codes(authority, CONTRACT_LIST)

    def _finish(self) -> None:
        self._not_listed()

    def _row(self, row: Row) -> None:
        r = Reading(self.table, row, self.outcome)
        staff_number = r.staff_number()
        values: dict[str, Any] = {
            "swe_number": r.text("swe_number", longest=20).upper().replace(" ", ""),
            "first_name": r.text("first_name", required=True, longest=60),
            "last_name": r.text("last_name", required=True, longest=60),
            "date_of_birth": r.date("date_of_birth"),
            "post": r.text("post", required=True, longest=30),
            "fte": r.decimal("fte", required=True),
            "start": r.date("start", required=True),
            "contract": r.code("contract", CONTRACTS, what="contract type", local=self.contracts)
            or EngagementKind.PERMANENT.value,
            "end": r.date("end"),
            "last_day": r.date("last_day"),
        }
        for name, (_list, what) in CODED.items():
            values[name] = r.code(name, self.labels[name], what=what, local=self.local[name])
        if values["last_day"] is not None and row.values.get("reason") in (None, ""):
            r.error(
                "reason",
                "A leaver needs their reason for leaving (ReasonLeave).",
                Code.REQUIRED,
            )
        if not r.ok:
            self.seen.setdefault(staff_number, (row.line, ()))
            return
        if twice(r, self.seen, staff_number, "staff_number", values):
            return
        swe = values["swe_number"]
        if swe:
            other = self.swe_seen.get(swe)
            if other is not None and other[0] != staff_number:
                r.error(
                    "swe_number",
                    f"Line {other[1]} gives the same SWE number to staff number {other[0]}.",
                    Code.CONTRADICTS,
                )
                return
            self.swe_seen[swe] = (staff_number, row.line)
        try:
            self._person(r, staff_number, values)
        except ValidationError as refusal:
            refused(r, refusal, STAFF_FIELDS)

    def _person(self, r: Reading, staff_number: str, values: dict[str, Any]) -> None:
        line = r.row.line
        post = self._known_post(r, "post", values["post"])
        if post is None:
            return
        details = {
            "first_name": values["first_name"],
            "last_name": values["last_name"],
            "swe_number": values["swe_number"],
            "date_of_birth": values["date_of_birth"],
            "gender": values["gender"],
            "ethnicity": values["ethnicity"],
        }
        worker = Worker.objects.filter(authority=self.authority, staff_number=staff_number).first()
        if worker is None and values["swe_number"]:
            holder = Worker.objects.filter(
                authority=self.authority, swe_number__iexact=values["swe_number"]
            ).first()
            if holder is not None:
                r.error(
                    "swe_number",
                    f"The system holds this SWE number for staff number {holder.staff_number}. "
                    "Correct the staff number or the SWE number.",
                    Code.CONFLICT,
                )
                return
        if worker is None:
            worker = services.create_worker(
                authority=self.authority,
                staff_number=staff_number,
                **{k: v for k, v in details.items() if v not in ("", None)},  # type: ignore[arg-type]
            )
            self.outcome.add(Action.CREATE, "worker", r.record, "new person", line=line)
        else:
            # A detail the file leaves empty says nothing: the system's is kept.
            changed = {
                k: v for k, v in details.items() if v not in ("", None) and getattr(worker, k) != v
            }
            if changed:
                services.update_worker(worker=worker, **changed)
                names = ", ".join(r.table.heading(k).lower() for k in changed)
                self.outcome.add(Action.CHANGE, "worker", r.record, names, line=line)
            else:
                self.outcome.add(Action.MATCH, "worker", r.record, line=line)
        last_day: dt.date | None = values["last_day"]
        if (
            last_day is not None
            and Leaving.objects.filter(worker=worker, last_day=last_day).exists()
        ):
            self.outcome.add(
                Action.MATCH, "leaving", r.record, f"last day {day_text(last_day)}", line=line
            )
            return
        self._engagement(r, worker, post, values)
        if last_day is not None:
            services.record_leaver(
                worker=worker,
                last_day=last_day,
                reason=values["reason"],
                destination=values["destination"],
            )
            self.outcome.add(
                Action.CLOSE,
                "leaving",
                r.record,
                f"last day {day_text(last_day)}, reason {values['reason']}",
                line=line,
            )

    def _engagement(self, r: Reading, worker: Worker, post: Post, values: dict[str, Any]) -> None:
        line = r.row.line
        start: dt.date = values["start"]
        fte: Decimal = values["fte"]
        on = values["last_day"] or max(self.as_at, start)
        employed = Engagement.objects.filter(worker=worker, kind__in=EMPLOYED_KINDS)
        # The engagement in this post the row speaks of: the one running on the day, or one
        # that began on or after the row's start (hours changed since, or a fixed term over).
        in_post = list(employed.filter(post=post).overlapping(start, None).order_by("start"))
        same = next((e for e in in_post if e.is_active_on(on)), None) or (
            in_post[-1] if in_post else None
        )
        held = [e for e in employed.active_on(on).select_related("post") if e.post_id != post.pk]
        if same is None and held and values["last_day"] is None:
            current = held[0]
            moved = services.move_worker(engagement=current, to_post=post, on=self.as_at, fte=fte)
            self.outcome.add(
                Action.CHANGE,
                "engagement",
                r.record,
                f"moves from post {current.post} to {post} on {day_text(self.as_at)}, "
                f"{moved.fte} FTE",
                line=line,
            )
            return
        if same is None:
            end = values["end"]
            services.appoint_worker(
                worker=worker,
                post=post,
                start=start,
                fte=fte,
                kind=values["contract"],
                end=end + DAY if end is not None else None,  # the file gives the last day
                start_origin=values["start_origin"],
            )
            self.outcome.add(
                Action.CREATE,
                "engagement",
                r.record,
                f"post {post}, {fte} FTE from {day_text(start)}",
                line=line,
            )
            return
        if same.kind != values["contract"]:
            r.warn(
                "contract",
                f"The system holds a {same.get_kind_display().lower()} engagement; the system's "
                "is kept.",
                Code.KEPT,
            )
        if same.fte != fte and values["last_day"] is None and same.is_active_on(self.as_at):
            services.change_hours(engagement=same, fte=fte, from_date=self.as_at)
            self.outcome.add(
                Action.CHANGE,
                "engagement",
                r.record,
                f"{same.fte} to {fte} FTE from {day_text(self.as_at)}",
                line=line,
            )
            return
        self.outcome.add(
            Action.MATCH, "engagement", r.record, f"post {post}, {same.fte} FTE", line=line
        )

    def _not_listed(self) -> None:
        """Everyone employed on the day who is not in the extract: their engagements end the
        day before (a proposal the dry run shows), their history kept."""
        listed = set(self.seen)
        last_day = self.as_at - DAY
        engagements = (
            Engagement.objects.filter(authority=self.authority, kind__in=EMPLOYED_KINDS)
            .active_on(self.as_at)
            .select_related("worker", "post")
            .order_by("worker__staff_number", "start")
        )
        for engagement in engagements:
            worker = engagement.worker
            if worker.staff_number in listed:
                continue
            record = f"Staff number {worker.staff_number}"
            if engagement.start > last_day:
                self.outcome.warn(
                    f"Not in the file, but their engagement in post {engagement.post} only "
                    f"started on {day_text(engagement.start)}: it is left as it is.",
                    record=record,
                    field="staff_number",
                    column=self.table.heading("staff_number"),
                    code=Code.NOT_LISTED,
                    value=worker.staff_number,
                )
                continue
            services.end_engagement(
                engagement=engagement, last_day=last_day, reason=EngagementEnd.LEFT
            )
            self.outcome.add(
                Action.CLOSE,
                "engagement",
                record,
                f"post {engagement.post}: last day {day_text(last_day)}",
            )
            self.outcome.warn(
                f"No longer in the extract: their engagement in post {engagement.post} ends "
                f"after {day_text(last_day)}. Their history is kept. If they left, record why "
                "on their page; if the extract missed them, do not import this file.",
                record=record,
                field="staff_number",
                column=self.table.heading("staff_number"),
                code=Code.NOT_LISTED,
                value=worker.staff_number,
            )


# Agency assignments ----------------------------------------------------------------------------

AGENCY_COVER_LIST = "agency_cover"
COVERS = dict(AgencyCover.choices)


class AgencyImporter(TabularImporter):
    kind = "agency"
    title = "Agency assignments"
    description = (
        "A monthly list of agency workers in posts, one row for each assignment: the agency "
        "worker's reference or SWE number, name, post, FTE, start date, agency and what the "
        "assignment covers, and its last day once known. An assignment the list no longer shows "
        "has its end proposed."
    )
    columns = (
        Column(
            "reference",
            "Agency worker reference",
            required=False,
            aliases=(
                "Worker reference",
                "Agency reference",
                "Candidate reference",
                "Candidate ID",
                "Locum reference",
                "Worker ID",
                "Staff number",
            ),
            hint="The worker's reference; if empty, their SWE number is used",
        ),
        SWE_NUMBER,
        FIRST_NAME,
        LAST_NAME,
        POST,
        Column("fte", "FTE", aliases=("Assignment FTE", "FTE in post")),
        Column(
            "start",
            "Start date",
            aliases=("Assignment start date", "Placement start date", "Booking start date"),
        ),
        Column(
            "end",
            "End date",
            required=False,
            aliases=("Assignment end date", "Placement end date", "Booking end date", "Last day"),
            hint="The last day of the assignment; empty while it has no agreed end",
        ),
        Column("agency_name", "Agency", aliases=("Agency name", "Supplier", "Supplier name")),
        Column(
            "charge_rate",
            "Hourly charge rate",
            required=False,
            aliases=("Charge rate", "Hourly rate", "Rate per hour"),
            hint="In pounds, for example 45.50",
        ),
        Column(
            "covers",
            "Covers",
            aliases=("Cover type", "Cover reason", "Reason for cover"),
            hint="Vacancy, Absence or Extra capacity",
        ),
        Column(
            "covering_for",
            "Covering for",
            required=False,
            aliases=("Absent staff number", "Covering staff number", "Covering for staff number"),
            hint="For absence cover: the staff number of the person absent",
        ),
    )

    def read_rows(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        _Agency(table, authority, outcome).run()


# The service's names of what it refuses, as the list's columns.
AGENCY_FIELDS = {
    "reference": "reference",
    "staff_number": "reference",
    "swe_number": "swe_number",
    "first_name": "first_name",
    "last_name": "last_name",
    "post": "post",
    "fte": "fte",
    "start": "start",
    "end": "end",
    "last_day": "end",
    "agency_name": "agency_name",
    "charge_rate": "charge_rate",
    "covers": "covers",
    "covering_for": "covering_for",
    "from_date": "fte",
}


class _Agency(_Rows):
    """Agency workers are people with a reference of their own (held as their staff number),
    matched by it, then by SWE number; an assignment is matched by its worker, post and start."""

    def __init__(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        super().__init__(table, authority, outcome)
        self.covers = local_codes(authority, AGENCY_COVER_LIST)
        self.listed: set[tuple[int, int]] = set()  # (worker, post) of the assignments listed

    def _row(self, row: Row) -> None:
        r = Reading(self.table, row, self.outcome)
        reference = r.text("reference", longest=20)
        swe = r.text("swe_number", longest=20).upper().replace(" ", "")
        key_name = "reference" if reference or not swe else "swe_number"
        key = reference or swe
        if r.ok and not key:
            r.error(
                "reference",
                "Enter the agency worker's reference, or their SWE number.",
                Code.REQUIRED,
            )
        r.record = f"Agency worker {key}" if key else r.record
        values: dict[str, Any] = {
            "swe_number": swe,
            "first_name": r.text("first_name", required=True, longest=60),
            "last_name": r.text("last_name", required=True, longest=60),
            "post": r.text("post", required=True, longest=30),
            "fte": r.decimal("fte", required=True),
            "start": r.date("start", required=True),
            "end": r.date("end"),
            "agency_name": r.text("agency_name", required=True, longest=120),
            "charge_rate": r.decimal("charge_rate"),
            "covers": r.code(
                "covers", COVERS, what="agency cover", local=self.covers, required=True
            ),
            "covering_for": r.text("covering_for", longest=20),
        }
        if values["covers"] == AgencyCover.ABSENCE and not values["covering_for"]:
            r.error(
                "covering_for",
                "Absence cover needs the staff number of the person whose absence it covers.",
                Code.REQUIRED,
            )
        assignment = f"{key.lower()} | {values['post']} | {values['start']}"
        if not r.ok:
            self.seen.setdefault(assignment, (row.line, ()))
            return
        if twice(r, self.seen, assignment, key_name, values, what="worker, post and start date"):
            return
        try:
            self._assignment(r, reference, values)
        except ValidationError as refusal:
            refused(r, refusal, AGENCY_FIELDS)

    def _agency_worker(self, r: Reading, reference: str, values: dict[str, Any]) -> Worker | None:
        """The agency worker the row speaks of: found by reference, then by SWE number, or
        added (with the reference, or else the SWE number, as their staff number)."""
        swe = values["swe_number"]
        worker = self._worker(reference) if reference else None
        if worker is None and swe:
            worker = Worker.objects.filter(authority=self.authority, swe_number__iexact=swe).first()
        if worker is not None and swe and worker.swe_number and worker.swe_number.upper() != swe:
            r.error(
                "swe_number",
                f"The system holds reference {worker.staff_number} for {worker}, SWE number "
                f"{worker.swe_number}. Correct the reference or the SWE number.",
                Code.CONFLICT,
            )
            return None
        if (
            worker is not None
            and worker.staff_number == reference
            and worker.first_name.lower() != values["first_name"].lower()
            and worker.last_name.lower() != values["last_name"].lower()
        ):
            # Another person's number (an agency's reference can be an employee's staff number).
            r.error(
                "reference",
                f"The system holds reference {reference} for {worker}, another name. Correct "
                "the reference, or give the SWE number.",
                Code.CONFLICT,
            )
            return None
        if swe and (worker is None or not worker.swe_number):
            holder = Worker.objects.filter(authority=self.authority, swe_number__iexact=swe)
            if worker is not None:
                holder = holder.exclude(pk=worker.pk)
            other = holder.first()
            if other is not None:
                r.error(
                    "swe_number",
                    f"The system holds this SWE number for {other} (reference "
                    f"{other.staff_number}).",
                    Code.CONFLICT,
                )
                return None
        line = r.row.line
        names = {"first_name": values["first_name"], "last_name": values["last_name"]}
        if worker is None:
            worker = services.create_worker(
                authority=self.authority,
                staff_number=reference or swe,
                swe_number=swe,
                **names,
            )
            self.workers[worker.staff_number] = worker
            self.outcome.add(Action.CREATE, "worker", r.record, "new agency worker", line=line)
            return worker
        details = {**names, "swe_number": swe}
        changed = {k: v for k, v in details.items() if v and getattr(worker, k) != v}
        if changed:
            services.update_worker(worker=worker, **changed)
            headings = ", ".join(r.table.heading(k).lower() for k in changed)
            self.outcome.add(Action.CHANGE, "worker", r.record, headings, line=line)
        else:
            self.outcome.add(Action.MATCH, "worker", r.record, line=line)
        return worker

    def _assignment(self, r: Reading, reference: str, values: dict[str, Any]) -> None:
        post = self._known_post(r, "post", values["post"])
        covering_for = None
        if values["covers"] == AgencyCover.ABSENCE:
            covering_for = self._known_worker(r, "covering_for", values["covering_for"])
        if not r.ok:
            return
        worker = self._agency_worker(r, reference, values)
        if worker is None or post is None:
            return
        self.listed.add((worker.pk, post.pk))
        line = r.row.line
        start: dt.date = values["start"]
        fte: Decimal = values["fte"]
        last_day: dt.date | None = values["end"]
        # The assignment the row speaks of: the one in this post running on the day, or one that
        # began on or after the row's start (its hours changed since, or it ended).
        on = max(self.as_at, start)
        in_post = list(
            Engagement.objects.filter(worker=worker, post=post, kind=EngagementKind.AGENCY)
            .overlapping(start, None)
            .order_by("start")
        )
        same = next((e for e in in_post if e.is_active_on(on)), None) or (
            in_post[-1] if in_post else None
        )
        if same is None:
            services.start_agency_assignment(
                worker=worker,
                post=post,
                start=start,
                fte=fte,
                agency_name=values["agency_name"],
                charge_rate=values["charge_rate"],
                covers=values["covers"],
                covering_for=covering_for,
                end=last_day + DAY if last_day is not None else None,  # the file gives the last day
            )
            self.outcome.add(
                Action.CREATE,
                "assignment",
                r.record,
                f"post {post}, {fte} FTE from {day_text(start)}, {values['agency_name']}",
                line=line,
            )
            return
        self._terms_kept(r, same, values, covering_for)
        if last_day is not None and same.end != last_day + DAY:
            if same.end is None or same.end > last_day + DAY:
                services.end_agency_assignment(engagement=same, last_day=last_day)
                self.outcome.add(
                    Action.CLOSE,
                    "assignment",
                    r.record,
                    f"post {post}: last day {day_text(last_day)}",
                    line=line,
                )
                return
            r.warn(
                "end",
                f"The system holds {day_text(same.last_day)} as the assignment's last day; an "
                "ended assignment is not reopened, so the system's is kept.",
                Code.KEPT,
            )
        elif last_day is None and same.end is not None and same.end <= self.as_at:
            r.warn(
                "end",
                f"The system holds the assignment as ended after {day_text(same.last_day)}; "
                "the system's is kept. Start a new assignment if they came back.",
                Code.KEPT,
            )
        elif same.fte != fte and same.is_active_on(self.as_at):
            services.change_hours(engagement=same, fte=fte, from_date=self.as_at)
            self.outcome.add(
                Action.CHANGE,
                "assignment",
                r.record,
                f"{same.fte} to {fte} FTE from {day_text(self.as_at)}",
                line=line,
            )
            return
        self.outcome.add(
            Action.MATCH, "assignment", r.record, f"post {post}, {same.fte} FTE", line=line
        )

    def _terms_kept(
        self, r: Reading, same: Engagement, values: dict[str, Any], covering_for: Worker | None
    ) -> None:
        """Terms the file gives otherwise than the system holds: the system's are kept."""
        held = {
            "agency_name": same.agency_name.lower() != values["agency_name"].lower(),
            "charge_rate": values["charge_rate"] is not None
            and same.charge_rate != values["charge_rate"],
            "covers": same.covers != values["covers"],
            "covering_for": covering_for is not None and same.covering_for_id != covering_for.pk,
        }
        for name, differs in held.items():
            if differs:
                r.warn(
                    name,
                    f"The system holds {self._term(same, name)} for this assignment; the "
                    "system's is kept. End the assignment and start a new one if the terms "
                    "changed.",
                    Code.KEPT,
                )

    @staticmethod
    def _term(same: Engagement, name: str) -> str:
        if name == "charge_rate":
            return f"£{same.charge_rate}" if same.charge_rate is not None else "no charge rate"
        if name == "covers":
            return f"cover of {same.get_covers_display().lower()}"
        if name == "covering_for":
            who = same.covering_for
            return f"cover for {who.staff_number}" if who is not None else "no one covered"
        return same.agency_name

    def _finish(self) -> None:
        """Assignments running on the day that the list does not show: they end the day
        before (a proposal the dry run shows), their history kept."""
        last_day = self.as_at - DAY
        running = (
            Engagement.objects.filter(authority=self.authority, kind=EngagementKind.AGENCY)
            .active_on(self.as_at)
            .select_related("worker", "post")
            .order_by("worker__staff_number", "start")
        )
        column = self.table.heading("reference")
        for engagement in running:
            if (engagement.worker_id, engagement.post_id) in self.listed:
                continue
            worker = engagement.worker
            record = f"Agency worker {worker.staff_number}"
            if engagement.start > last_day:
                self.outcome.warn(
                    f"Not in the file, but their assignment in post {engagement.post} only "
                    f"started on {day_text(engagement.start)}: it is left as it is.",
                    record=record,
                    field="reference",
                    column=column,
                    code=Code.NOT_LISTED,
                    value=worker.staff_number,
                )
                continue
            services.end_agency_assignment(engagement=engagement, last_day=last_day)
            self.outcome.add(
                Action.CLOSE,
                "assignment",
                record,
                f"post {engagement.post}: last day {day_text(last_day)}",
            )
            self.outcome.warn(
                f"No longer in the list: their assignment in post {engagement.post} ends after "
                f"{day_text(last_day)}. Its history is kept. If the list missed it, do not import "
                "this file.",
                record=record,
                field="reference",
                column=column,
                code=Code.NOT_LISTED,
                value=worker.staff_number,
            )


# Leavers ---------------------------------------------------------------------------------------


class LeaverImporter(TabularImporter):
    kind = "leavers"
    title = "Leavers"
    description = (
        "A list of people who left the authority's employment, one row for each: staff number, "
        "last day and reason for leaving (census ReasonLeave), and if known their destination "
        "and whether an exit interview was held. Their engagements end after the last day."
    )
    columns = (
        STAFF_NUMBER,
        replace(
            LAST_DAY,
            required=True,
            aliases=(*LAST_DAY.aliases, "Last day of employment", "Leave date"),
            hint="Their last day of employment",
        ),
        replace(REASON_LEAVE, required=True, hint="Census ReasonLeave, or a mapped local value"),
        DESTINATION,
        Column(
            "exit_interview_done",
            "Exit interview held",
            required=False,
            aliases=("Exit interview", "Exit interview done", "Exit interview completed"),
            hint="Yes or No",
        ),
    )

    def read_rows(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        _Leavers(table, authority, outcome).run()


LEAVER_CODED = {name: CODED[name] for name in ("reason", "destination")}
LEAVER_FIELDS = {
    "last_day": "last_day",
    "reason": "reason",
    "destination": "destination",
    "exit_interview_done": "exit_interview_done",
}


class _Leavers(_Rows):
    """A leaving is matched by the person and their last day."""

    def __init__(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        super().__init__(table, authority, outcome)
        self.labels, self.local = _coded(authority, LEAVER_CODED)

    def _row(self, row: Row) -> None:
        r = Reading(self.table, row, self.outcome)
        staff_number = r.staff_number()
        values: dict[str, Any] = {"last_day": r.date("last_day", required=True)}
        for name, (_list, what) in LEAVER_CODED.items():
            values[name] = r.code(
                name,
                self.labels[name],
                what=what,
                local=self.local[name],
                required=self.table.columns[name].required,
            )
        values["exit_interview_done"] = r.boolean("exit_interview_done")
        if not r.ok:
            self.seen.setdefault(staff_number, (row.line, ()))
            return
        if twice(r, self.seen, staff_number, "staff_number", values):
            return
        worker = self._known_worker(r, "staff_number", staff_number)
        if worker is None:
            return
        try:
            self._leaving(r, worker, values)
        except ValidationError as refusal:
            refused(r, refusal, LEAVER_FIELDS)

    def _leaving(self, r: Reading, worker: Worker, values: dict[str, Any]) -> None:
        last_day: dt.date = values["last_day"]
        line = r.row.line
        leaving = Leaving.objects.filter(worker=worker, last_day=last_day).first()
        if leaving is None:
            services.record_leaver(
                worker=worker,
                last_day=last_day,
                reason=values["reason"],
                destination=values["destination"],
                exit_interview_done=bool(values["exit_interview_done"]),
            )
            self.outcome.add(
                Action.CREATE,
                "leaving",
                r.record,
                f"last day {day_text(last_day)}, reason {values['reason']}; their engagements "
                "end after it",
                line=line,
            )
            return
        for name in ("reason", "destination", "exit_interview_done"):
            given, held = values[name], getattr(leaving, name)
            if given not in ("", None) and given != held:
                shown = ("Yes" if held else "No") if name == "exit_interview_done" else held
                r.warn(
                    name,
                    f"The system holds {shown or 'nothing'} for this leaving; the system's is "
                    "kept. Correct it on their page if the file is right.",
                    Code.KEPT,
                )
        self.outcome.add(
            Action.MATCH, "leaving", r.record, f"last day {day_text(last_day)}", line=line
        )


# Absences --------------------------------------------------------------------------------------


class AbsenceImporter(TabularImporter):
    kind = "absences"
    title = "Absences"
    description = (
        "A list of absences, one row for each: staff number, first day, last day once it has "
        "ended, reason (census ReasonAbsence) and working days lost. An absence already held is "
        "matched by the person and its first day; its end, reason or days lost are corrected."
    )
    columns = (
        STAFF_NUMBER,
        Column(
            "start",
            "Start date",
            aliases=("Absence start date", "First day", "First day of absence", "Date from"),
            hint="The first day of absence",
        ),
        Column(
            "end",
            "End date",
            required=False,
            aliases=("Absence end date", "Last day", "Last day of absence", "Date to"),
            hint="The last day of absence (not the day back at work); empty while it goes on",
        ),
        Column(
            "reason",
            "Absence reason",
            aliases=("Reason", "Reason for absence", "Absence type", "ReasonAbsence"),
            hint="Census ReasonAbsence, for example SIC, or a mapped local value",
        ),
        Column(
            "working_days_lost",
            "Working days lost",
            aliases=("Days lost", "Working days", "Days absent"),
            hint="So far, for an absence that goes on; for example 3 or 2.5",
        ),
    )

    def read_rows(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        _Absences(table, authority, outcome).run()


ABSENCE_CODED = {"reason": (CensusCode.List.REASON_ABSENCE, "ReasonAbsence")}
ABSENCE_FIELDS = {
    "start": "start",
    "end": "end",
    "reason": "reason",
    "working_days_lost": "working_days_lost",
}


class _Absences(_Rows):
    """An absence is matched by the person and its first day."""

    def __init__(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        super().__init__(table, authority, outcome)
        self.labels, self.local = _coded(authority, ABSENCE_CODED)

    def _row(self, row: Row) -> None:
        r = Reading(self.table, row, self.outcome)
        staff_number = r.staff_number()
        values: dict[str, Any] = {
            "start": r.date("start", required=True),
            "end": r.date("end"),
            "reason": r.code(
                "reason",
                self.labels["reason"],
                what="ReasonAbsence",
                local=self.local["reason"],
                required=True,
            ),
            "working_days_lost": r.decimal("working_days_lost", required=True),
        }
        key = f"{staff_number} | {values['start']}"
        if not r.ok:
            self.seen.setdefault(key, (row.line, ()))
            return
        if twice(r, self.seen, key, "start", values, what="staff number and start date"):
            return
        worker = self._known_worker(r, "staff_number", staff_number)
        if worker is None:
            return
        r.record = f"{r.record}, absent from {day_text(values['start'])}"
        try:
            self._absence(r, worker, values)
        except ValidationError as refusal:
            refused(r, refusal, ABSENCE_FIELDS)

    def _absence(self, r: Reading, worker: Worker, values: dict[str, Any]) -> None:
        start: dt.date = values["start"]
        last_day: dt.date | None = values["end"]
        end = last_day + DAY if last_day is not None else None  # the file gives the last day
        days: Decimal = values["working_days_lost"]
        line = r.row.line
        absence = Absence.objects.filter(worker=worker, start=start).first()
        if absence is None:
            # The service refuses an absence on days its worker holds no post.
            services.record_absence(
                worker=worker, start=start, end=end, reason=values["reason"], working_days_lost=days
            )
            until = f" to {day_text(last_day)}" if last_day is not None else ", not yet ended"
            self.outcome.add(
                Action.CREATE,
                "absence",
                r.record,
                f"{values['reason']}{until}, {days} working days lost",
                line=line,
            )
            return
        if end is None and absence.end is not None:
            r.warn(
                "end",
                f"The system holds {day_text(absence.last_day)} as the last day of this absence; "
                "the system's is kept.",
                Code.KEPT,
            )
            end = absence.end
        changed = {
            "end": end != absence.end,
            "reason": values["reason"] != absence.reason,
            "working_days_lost": days != absence.working_days_lost,
        }
        if not any(changed.values()):
            self.outcome.add(Action.MATCH, "absence", r.record, line=line)
            return
        services.correct_absence(
            absence=absence, end=end, reason=values["reason"], working_days_lost=days
        )
        what = ", ".join(r.table.heading(k).lower() for k, differs in changed.items() if differs)
        self.outcome.add(Action.CHANGE, "absence", r.record, what, line=line)
