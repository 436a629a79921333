"""Reads for early-career programmes: each member's stage and reviews, protected caseloads,
the census CFKSSstatus, and trainees expected to qualify."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, TruncMonth

from workforce.careers.models.programmes import (
    Cohort,
    CohortMember,
    MemberStatus,
    Programme,
    ProgrammeStage,
    Review,
    ReviewPoint,
    Trainee,
    TraineeRoute,
    TraineeStatus,
)
from workforce.caseloads import measures
from workforce.caseloads.measures import add_months
from workforce.caseloads.selectors import worker_loads
from workforce.core.access import AUTHORITY_WIDE, Scope
from workforce.core.models import Authority
from workforce.core.tables import Column, Kind, Table
from workforce.establishment.models import Engagement
from workforce.recruitment.expected import Expected, ExpectedRow

# Stages --------------------------------------------------------------------------------------


def months_in(start: dt.date, on: dt.date) -> int:
    """Whole months from `start` to `on` (0 in the first month; -1 before the start)."""
    if on < start:
        return -1
    months = (on.year - start.year) * 12 + on.month - start.month
    while months > 0 and add_months(start, months) > on:
        months -= 1
    return months


def stage_at(stages: Sequence[ProgrammeStage], months: int) -> ProgrammeStage | None:
    """The stage a member is in `months` whole months after their start: in an extension
    (past the last stage) the last stage goes on."""
    if months < 0 or not stages:
        return None
    for stage in stages:
        if stage.from_month <= months < stage.to_month:
            return stage
    last = max(stages, key=lambda s: s.to_month)
    return last if months >= last.to_month else None


def _stages_by_programme(programme_ids: Iterable[int]) -> dict[int, list[ProgrammeStage]]:
    stages: dict[int, list[ProgrammeStage]] = defaultdict(list)
    for stage in ProgrammeStage.objects.filter(programme_id__in=set(programme_ids)):
        stages[stage.programme_id].append(stage)
    return stages


def _active_members(authority_ids: Iterable[int], on: dt.date) -> QuerySet[CohortMember]:
    return (
        CohortMember.objects.active_on(on)
        .filter(authority_id__in=list(authority_ids))
        .select_related("cohort__programme")
    )


def protected_percents(*, authority_ids: Sequence[int], on: dt.date) -> dict[int, int]:
    """The capacity rule registered with caseloads: each member in a programme on `on`, the
    protected caseload (percent of capacity) of the stage they are in."""
    members = list(_active_members(authority_ids, on))
    stages = _stages_by_programme(m.cohort.programme_id for m in members)
    percents: dict[int, int] = {}
    for member in members:
        stage = stage_at(stages[member.cohort.programme_id], months_in(member.start, on))
        if stage is not None:
            percents[member.worker_id] = min(
                stage.protected_percent, percents.get(member.worker_id, 100)
            )
    return percents


def cfkss_on(*, authority: Authority, on: dt.date, worker_ids: Iterable[int]) -> dict[int, str]:
    """The census source registered with the census app: the CFKSSstatus of each worker in a
    programme that has one on `on`."""
    members = _active_members([authority.pk], on).filter(
        worker_id__in=list(worker_ids), cohort__programme__cfkss_status__gt=""
    )
    return {m.worker_id: m.cohort.programme.cfkss_status for m in members}


# Programmes and cohorts ----------------------------------------------------------------------


def programmes(*, scope: Scope) -> QuerySet[Programme]:
    """The authority's programmes (not about anyone: every user of the authority reads them)."""
    return (
        scope.records(Programme.objects.all(), team=AUTHORITY_WIDE)
        .annotate(cohort_count=Count("cohorts"))
        .prefetch_related("stages", "review_points")
    )


def programme(*, scope: Scope, programme_id: int) -> Programme:
    return scope.get(programmes(scope=scope), team=AUTHORITY_WIDE, pk=programme_id)


def stage(*, scope: Scope, stage_id: int) -> ProgrammeStage:
    return scope.get(
        ProgrammeStage.objects.select_related("programme"), team=AUTHORITY_WIDE, pk=stage_id
    )


def review_point(*, scope: Scope, review_point_id: int) -> ReviewPoint:
    return scope.get(
        ReviewPoint.objects.select_related("programme"), team=AUTHORITY_WIDE, pk=review_point_id
    )


def cohorts(*, scope: Scope) -> QuerySet[Cohort]:
    """Cohorts with a member in the scope (for a team manager, one now in their teams), with
    how many of those members there are and how many are still in the programme."""
    members = scope.records(CohortMember.objects.all())
    return (
        scope.records(Cohort.objects.all())
        .select_related("programme")
        .annotate(
            member_count=Count("members", filter=Q(members__in=members), distinct=True),
            in_progress=Count(
                "members",
                filter=Q(members__in=members, members__status=MemberStatus.IN_PROGRESS),
                distinct=True,
            ),
        )
    )


def cohort(*, scope: Scope, cohort_id: int) -> Cohort:
    return scope.get(Cohort.objects.select_related("programme"), pk=cohort_id)


def member(*, scope: Scope, member_id: int) -> CohortMember:
    return scope.get(
        CohortMember.objects.select_related("cohort__programme", "worker", "assessor"),
        pk=member_id,
    )


@dataclass
class MemberProgress:
    """A member's place in their programme on a date."""

    member: CohortMember
    team: str
    stage: ProgrammeStage | None
    reviews: list[Review]
    next_point: ReviewPoint | None
    next_due: dt.date | None
    on: dt.date

    @property
    def name(self) -> str:
        return str(self.member.worker)

    @property
    def protected_percent(self) -> int | None:
        return None if self.stage is None else self.stage.protected_percent

    @property
    def overdue(self) -> bool:
        return self.next_due is not None and self.next_due < self.on

    @property
    def last_outcome(self) -> str:
        return self.reviews[-1].get_outcome_display() if self.reviews else ""


def due_date(member: CohortMember, point: ReviewPoint) -> dt.date:
    """When a review is due: its month from the member's start, the final review moved on by
    any extension."""
    months = point.month + (member.extension_months if point.final else 0)
    return add_months(member.start, months)


def progress(*, scope: Scope, cohort: Cohort, on: dt.date) -> list[MemberProgress]:
    """Each member of the cohort in the scope: stage on `on`, reviews done, the next one due."""
    members = list(
        scope.records(cohort.members.all())
        .select_related("worker", "assessor")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("point", "assessor"))
        )
        .order_by("worker__last_name", "worker__first_name")
    )
    programme = cohort.programme
    stages = list(programme.stages.all())
    points = list(programme.review_points.all())
    teams = _teams_on([m.worker_id for m in members], on)
    rows = []
    for m in members:
        reviews = list(m.reviews.all())
        done = {r.point_id for r in reviews if r.outcome != "extension"}
        next_point = None
        if m.status == MemberStatus.IN_PROGRESS:
            next_point = next((p for p in points if p.pk not in done), None)
        rows.append(
            MemberProgress(
                member=m,
                team=teams.get(m.worker_id, ""),
                stage=stage_at(stages, months_in(m.start, on)) if m.is_active_on(on) else None,
                reviews=reviews,
                next_point=next_point,
                next_due=None if next_point is None else due_date(m, next_point),
                on=on,
            )
        )
    return rows


def _teams_on(worker_ids: Sequence[int], on: dt.date) -> dict[int, str]:
    """Each worker's team on `on` (their post with the most hours), when in post."""
    teams: dict[int, str] = {}
    rows = (
        Engagement.objects.active_on(on)
        .filter(worker_id__in=worker_ids)
        .order_by("worker_id", "-fte", "-start")
        .values_list("worker_id", "post__team__name")
    )
    for worker_id, team in rows:
        teams.setdefault(worker_id, team)
    return teams


def progress_table(cohort: Cohort, rows: Sequence[MemberProgress]) -> Table:
    return Table(
        f"Members of {cohort}",
        [
            Column("name", "Name"),
            Column("team", "Team"),
            Column("start", "Started", Kind.DATE),
            Column("stage", "Stage"),
            Column("protected", "Protected caseload", Kind.PERCENT, places=0),
            Column("reviews", "Reviews done", Kind.COUNT),
            Column("next", "Next review"),
            Column("due", "Due", Kind.DATE),
            Column("last", "Last outcome"),
            Column("status", "Status"),
            Column("end", "Planned end", Kind.DATE),
        ],
        [
            [
                r.name,
                r.team,
                r.member.start,
                "" if r.stage is None else r.stage.name,
                None if r.stage is None else Decimal(r.stage.protected_percent) / 100,
                len(r.reviews),
                "" if r.next_point is None else r.next_point.name,
                r.next_due,
                r.last_outcome,
                r.member.get_status_display(),
                r.member.end,
            ]
            for r in rows
        ],
        empty="No members of this cohort in your teams.",
    )


# Protected caseloads -------------------------------------------------------------------------


@dataclass
class Overloaded:
    member_id: int
    worker_id: int
    name: str
    team: str
    cohort: str
    stage: str
    protected_percent: int
    cases: int
    points: int
    capacity: Decimal

    @property
    def load(self) -> Decimal:
        return Decimal(self.points) / self.capacity if self.capacity else Decimal(0)


def overloaded(*, scope: Scope, on: dt.date) -> list[Overloaded]:
    """Early-career workers in the scope whose weighted caseload on `on` is above their
    protected capacity (their stage's share of their role's capacity), most loaded first."""
    members = list(
        scope.records(CohortMember.objects.active_on(on)).select_related(
            "cohort__programme", "worker"
        )
    )
    if not members:
        return []
    stages = _stages_by_programme(m.cohort.programme_id for m in members)
    scheme = measures.scheme_settings(scope.authority.pk)
    loads = {
        w.worker_id: w
        for w in worker_loads(
            authority_ids=[scope.authority.pk],
            on=on,
            scheme=scheme,
            worker_ids=[m.worker_id for m in members],
        )
    }
    result = []
    for m in members:
        load = loads.get(m.worker_id)
        stage = stage_at(stages[m.cohort.programme_id], months_in(m.start, on))
        if load is None or stage is None or not load.over_capacity or load.capacity is None:
            continue
        result.append(
            Overloaded(
                member_id=m.pk,
                worker_id=m.worker_id,
                name=str(m.worker),
                team=load.team,
                cohort=str(m.cohort),
                stage=stage.name,
                protected_percent=stage.protected_percent,
                cases=load.cases,
                points=load.points,
                capacity=load.capacity,
            )
        )
    result.sort(key=lambda o: (-o.load, o.name))
    return result


def overloaded_table(rows: Sequence[Overloaded], on: dt.date) -> Table:
    return Table(
        "Early-career workers above their protected caseload",
        [
            Column("name", "Name"),
            Column("team", "Team"),
            Column("cohort", "Cohort"),
            Column("stage", "Stage"),
            Column("protected", "Protected caseload", Kind.PERCENT, places=0),
            Column("cases", "Cases", Kind.COUNT),
            Column("points", "Points", Kind.COUNT),
            Column("capacity", "Capacity", Kind.DECIMAL, places=1, unit="points"),
            Column("load", "Load", Kind.PERCENT, places=0),
        ],
        [
            [
                o.name,
                o.team,
                o.cohort,
                o.stage,
                Decimal(o.protected_percent) / 100,
                o.cases,
                o.points,
                o.capacity,
                o.load,
            ]
            for o in rows
        ],
        notes=[
            "Capacity is the role's points times FTE times the stage's protected share, as on "
            "the caseload pages."
        ],
        empty="No early-career worker is above their protected caseload.",
    )


# Trainees ------------------------------------------------------------------------------------


def trainees(*, scope: Scope) -> QuerySet[Trainee]:
    """Trainees still training (open records), in the scope (for a team manager, those placed
    in their teams), soonest to qualify first."""
    return (
        scope.records(Trainee.objects.filter(status=TraineeStatus.TRAINING))
        .select_related("worker", "team")
        .order_by("expected_qualification", "worker__last_name", "worker__first_name")
    )


def closed_trainees(*, scope: Scope) -> QuerySet[Trainee]:
    """Trainees whose record is closed (qualified or withdrawn), in the scope, most recently
    closed first."""
    return (
        scope.records(Trainee.objects.exclude(status=TraineeStatus.TRAINING))
        .select_related("worker", "team")
        .annotate(closed=Coalesce("qualified_on", "withdrawn_on"))
        .order_by("-closed", "worker__last_name", "worker__first_name")
    )


def trainee(*, scope: Scope, trainee_id: int) -> Trainee:
    return scope.get(Trainee.objects.select_related("worker", "team"), pk=trainee_id)


def expected_qualifiers(
    *,
    authority: Authority | int,
    start: dt.date,
    end: dt.date,
    team_ids: Collection[int] | None = None,
) -> Expected:
    """Open trainees of the authority (of `team_ids`' teams, when given) expected to qualify in
    `[start, end)`, by route, team and month (one query): the newly qualified starters
    recruitment can expect if all remain. Registered with recruitment as its
    `newly_qualified` source."""
    found = Trainee.objects.filter(
        authority=authority,
        status=TraineeStatus.TRAINING,
        expected_qualification__gte=start,
        expected_qualification__lt=end,
    )
    if team_ids is not None:
        found = found.filter(team_id__in=list(team_ids))
    counts = (
        found.annotate(month=TruncMonth("expected_qualification"))
        .values("month", "route", "team__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    routes = dict(TraineeRoute.choices)
    rows = [
        ExpectedRow(
            route=routes.get(c["route"], c["route"]),
            team=c["team__name"],
            month=_first_of_month(c["month"]),
            count=c["n"],
        )
        for c in counts
    ]
    rows.sort(key=lambda r: (r.month, r.route, r.team))
    return Expected(rows)


def _first_of_month(value: dt.date | dt.datetime) -> dt.date:
    day = value.date() if isinstance(value, dt.datetime) else value
    return day.replace(day=1)


def expected_newly_qualified(*, authority: Authority, start: dt.date, end: dt.date) -> int:
    """How many trainees of the authority are expected to qualify in [start, end) if all
    remain (the total of `expected_qualifiers`)."""
    return expected_qualifiers(authority=authority, start=start, end=end).total


def trainees_table(rows: Sequence[Trainee]) -> Table:
    return Table(
        "Trainees by expected qualification date",
        [
            Column("name", "Name"),
            Column("route", "Route"),
            Column("team", "Team"),
            Column("start", "Started", Kind.DATE),
            Column("expected", "Expected to qualify", Kind.DATE),
        ],
        [
            [str(t.worker), t.get_route_display(), t.team.name, t.start, t.expected_qualification]
            for t in rows
        ],
        key="open",
        empty="No one is training now.",
    )


def closed_trainees_table(rows: Sequence[Trainee]) -> Table:
    """Former trainees: how their traineeship ended, and when."""
    return Table(
        "Former trainees",
        [
            Column("name", "Name"),
            Column("route", "Route"),
            Column("team", "Team"),
            Column("start", "Started", Kind.DATE),
            Column("outcome", "Outcome"),
            Column("closed", "Date", Kind.DATE),
            Column("reason", "Reason for withdrawing"),
        ],
        [
            [
                str(t.worker),
                t.get_route_display(),
                t.team.name,
                t.start,
                t.get_status_display(),
                t.closed_on,
                _withdrawal_reason(t),
            ]
            for t in rows
        ],
        key="closed",
        empty="No trainee has qualified or withdrawn yet.",
    )


def _withdrawal_reason(t: Trainee) -> str:
    if not t.withdrawal_reason:
        return ""
    reason = t.get_withdrawal_reason_display()
    return f"{reason}: {t.withdrawal_detail}" if t.withdrawal_detail else reason


def qualifiers_by_month(rows: Sequence[Trainee]) -> Table:
    """How many are expected to qualify each month, and the running total if all remain."""
    counts: dict[dt.date, int] = defaultdict(int)
    for t in rows:
        counts[t.expected_qualification.replace(day=1)] += 1
    running = 0
    lines = []
    for month in sorted(counts):
        running += counts[month]
        lines.append([month.strftime("%B %Y"), counts[month], running])
    return Table(
        "Expected newly qualified social workers by month",
        [
            Column("month", "Month"),
            Column("count", "Expected to qualify", Kind.COUNT),
            Column("total", "Total by then", Kind.COUNT),
        ],
        lines,
        notes=["If every trainee remains on their route and qualifies when expected."],
        empty="No trainees are recorded.",
    )


# Registration --------------------------------------------------------------------------------


def register() -> None:
    """What the programmes add to other apps, called from `CareersConfig.ready()`: members
    and their reviews follow the person into teams, cohorts are reached through their members,
    trainees through the team they are placed with; the protected caseload is a capacity rule
    of caseloads and the programme's CFKSSstatus a census source."""
    from auditlog.registry import auditlog
    from django.db.models import Exists, OuterRef

    from workforce.careers.models import programmes as m
    from workforce.caseloads.capacity import register_capacity_rule
    from workforce.census.returns import register_cfkss_source
    from workforce.core.access import register_team_rule, through_intervals
    from workforce.recruitment.expected import NEWLY_QUALIFIED, ExpectedSource, register_source

    member_rule = through_intervals(
        Engagement, link="worker", outer="worker_id", team="post__team_id"
    )
    register_team_rule(m.CohortMember, member_rule)
    register_team_rule(
        m.Review,
        through_intervals(
            Engagement, link="worker", outer="member__worker_id", team="post__team_id"
        ),
    )

    def cohort_rule(team_ids: frozenset[int], today: dt.date) -> Q:
        members = m.CohortMember.objects.filter(member_rule(team_ids, today), cohort=OuterRef("pk"))
        return Q(Exists(members))

    register_team_rule(m.Cohort, cohort_rule)
    register_capacity_rule(protected_percents)
    register_cfkss_source(cfkss_on)
    # Open trainees are the newly qualified starters recruitment can expect.
    register_source(
        ExpectedSource(
            NEWLY_QUALIFIED,
            "newly qualified social workers",
            "from our own routes",
            expected_qualifiers,
        )
    )
    for model in (
        m.Programme,
        m.ProgrammeStage,
        m.ReviewPoint,
        m.Cohort,
        m.CohortMember,
        m.Review,
        m.Trainee,
    ):
        if not auditlog.contains(model):
            auditlog.register(model)
