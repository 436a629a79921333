"""Reads for the caseload pages: workloads, unallocated cases, who can take a case, the heat map,
overdue supervision. Each is a handful of grouped queries over the scope, never one per row."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case as DbCase
from django.db.models import F, OuterRef, QuerySet, Subquery, Value, When

from workforce.caseloads import measures
from workforce.caseloads.capacity import capacity_percents
from workforce.caseloads.measures import CaseloadFilter, SchemeSettings
from workforce.caseloads.models import (
    REFERRAL_AREAS,
    Allocation,
    AsyePeriod,
    Case,
    CaseCategory,
    CaseTeam,
    Category,
    Referral,
    Supervision,
)
from workforce.core import numbers
from workforce.core.access import AUTHORITY_WIDE, SELF, Scope
from workforce.establishment.models import Engagement, Team, Worker

ZERO = Decimal("0.00")


def teams_for(scope: Scope) -> QuerySet[Team]:
    return scope.records(Team.objects.all(), team=SELF).order_by("name")


def transfer_teams(scope: Scope) -> QuerySet[Team]:
    """Teams a case can be passed to: any active team of the authority (team names are not
    personal data; the receiving team allocates it)."""
    return scope.records(Team.objects.filter(is_active=True), team=AUTHORITY_WIDE).order_by("name")


def recent_supervisions(worker: Worker, on: dt.date, count: int = 6) -> QuerySet[Supervision]:
    """A worker's last supervisions up to `on`, newest first."""
    return worker.supervisions.filter(date__lte=on).order_by("-date")[:count]


def allocated_before(case: Case) -> bool:
    return case.allocations.exists()


def referral_teams(scope: Scope) -> QuerySet[Team]:
    """Active front door and assessment teams in the scope: those that receive referrals."""
    return teams_for(scope).filter(is_active=True, service_area__in=REFERRAL_AREAS)


def recent_referrals(*, scope: Scope, start: dt.date, end: dt.date) -> QuerySet[Referral]:
    """Referrals received in [start, end) in the scope, newest first, with the team and the
    case reference (never more about the child)."""
    qs = Referral.objects.filter(received__gte=start, received__lt=end)
    return (
        scope.records(qs)
        .select_related("team")
        .annotate(child_ref=F("case__child_ref"))
        .only(
            "received",
            "outcome",
            "outcome_date",
            "plan_date",
            "initial_assessment_start",
            "team__name",
        )
        .order_by("-received", "-pk")
    )


# Workload ------------------------------------------------------------------------------------


@dataclass
class WorkerLoad:
    """One worker's workload on a date: cases, weighted points against capacity."""

    worker_id: int
    name: str
    team_id: int
    team: str
    role: str
    fte: Decimal
    agency: bool
    asye: bool
    cases: int
    points: int
    capacity: Decimal | None  # None: a role that does not hold cases

    @property
    def headroom(self) -> Decimal | None:
        return None if self.capacity is None else self.capacity - self.points

    @property
    def over_capacity(self) -> bool:
        return self.capacity is not None and self.points > self.capacity

    @property
    def load_percent(self) -> int | None:
        if not self.capacity:
            return None
        return int(numbers.rounded(Decimal(self.points) * 100 / Decimal(self.capacity)) or 0)


def worker_loads(
    *,
    authority_ids: Sequence[int],
    on: dt.date,
    scheme: SchemeSettings,
    team_ids: Sequence[int] | None = None,
    worker_ids: Sequence[int] | None = None,
) -> list[WorkerLoad]:
    """Workers in post on `on` who hold cases or whose role does; with `team_ids`, those whose
    main post is in those teams.

    Three queries: engagements, ASYE periods and grouped points. A worker with two posts is
    shown once, with all their FTE, cases and capacity, in the team and role of their main post
    (the caseload team rule: a census-counted role first, then the largest FTE, the latest
    start, the latest recorded), so the team workloads add up.
    """
    engagements = Engagement.objects.active_on(on).filter(authority_id__in=authority_ids)
    if team_ids is not None:
        in_teams = Engagement.objects.active_on(on).filter(post__team_id__in=team_ids)
        engagements = engagements.filter(worker_id__in=in_teams.values("worker_id"))
    if worker_ids is not None:
        engagements = engagements.filter(worker_id__in=worker_ids)
    census_first = DbCase(When(post__role__org_role="", then=Value(1)), default=Value(0))
    rows = engagements.values(
        "worker_id",
        "worker__first_name",
        "worker__last_name",
        "post__team_id",
        "post__team__name",
        "post__role__title",
        "post__role__capacity_points",
        "post__role__case_holding",
        "fte",
        "kind",
    ).order_by("worker_id", census_first, "-fte", "-start", "-id")
    asye = set(
        AsyePeriod.objects.active_on(on)
        .filter(authority_id__in=authority_ids)
        .values_list("worker_id", flat=True)
    )
    percents = capacity_percents(authority_ids=authority_ids, on=on)
    where = CaseloadFilter(authority_ids=tuple(authority_ids))
    points = measures.points_by_worker(where, on, scheme, worker_ids=worker_ids)
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["worker_id"]].append(row)
    loads = []
    for worker_id, engs in grouped.items():
        main = engs[0]
        if team_ids is not None and main["post__team_id"] not in team_ids:
            continue
        holds = any(e["post__role__case_holding"] for e in engs)
        cases, pts = points.get(worker_id, (0, 0))
        if not holds and not cases:
            continue
        fte = sum((Decimal(e["fte"]) for e in engs), ZERO)
        in_asye = worker_id in asye
        capacity = (
            measures.capacity_points(
                role_points=main["post__role__capacity_points"],
                fte=fte,
                asye=in_asye,
                scheme=scheme,
                percent=percents.get(worker_id),
            )
            if holds
            else None
        )
        loads.append(
            WorkerLoad(
                worker_id=worker_id,
                name=f"{main['worker__first_name']} {main['worker__last_name']}",
                team_id=main["post__team_id"],
                team=main["post__team__name"],
                role=main["post__role__title"],
                fte=fte,
                agency=any(e["kind"] == "agency" for e in engs),
                asye=in_asye,
                cases=cases,
                points=pts,
                capacity=capacity,
            )
        )
    loads.sort(key=lambda w: (w.team, w.name))
    return loads


@dataclass
class TeamWorkload:
    team: Team
    on: dt.date
    workers: list[WorkerLoad]

    @property
    def cases(self) -> int:
        return sum(w.cases for w in self.workers)

    @property
    def points(self) -> int:
        return sum(w.points for w in self.workers)

    @property
    def capacity(self) -> Decimal:
        return sum((w.capacity or ZERO for w in self.workers), ZERO).quantize(Decimal("0.1"))

    @property
    def headroom(self) -> Decimal:
        return self.capacity - self.points

    @property
    def over_capacity(self) -> int:
        return sum(1 for w in self.workers if w.over_capacity)


def team_workload(*, team: Team, on: dt.date) -> TeamWorkload:
    scheme = measures.scheme_settings(team.authority_id)
    loads = worker_loads(
        authority_ids=[team.authority_id], on=on, scheme=scheme, team_ids=[team.pk]
    )
    return TeamWorkload(team=team, on=on, workers=loads)


@dataclass
class HeldCase:
    case_id: int
    child_ref: str
    category: str
    complex: bool
    team: str
    since: dt.date
    points: int


def cases_held_by(*, worker: Worker, on: dt.date) -> list[HeldCase]:
    """The cases a worker holds on `on`, with category, team and points."""
    scheme = measures.scheme_settings(worker.authority_id)
    labels = dict(Category.choices)
    category = CaseCategory.objects.active_on(on).filter(case_id=OuterRef("case_id"))
    team = CaseTeam.objects.active_on(on).filter(case_id=OuterRef("case_id"))
    rows = (
        Allocation.objects.active_on(on)
        .filter(worker=worker)
        .annotate(
            category=Subquery(category.values("category")[:1]),
            complex_=Subquery(category.values("complex")[:1]),
            team_name=Subquery(team.values("team__name")[:1]),
        )
        .values("case_id", "case__child_ref", "category", "complex_", "team_name", "start")
        .order_by("start", "case__child_ref")
    )
    return [
        HeldCase(
            case_id=r["case_id"],
            child_ref=r["case__child_ref"],
            category=labels.get(r["category"], "Not recorded"),
            complex=bool(r["complex_"]),
            team=r["team_name"] or "",
            since=r["start"],
            points=scheme.points(r["category"], bool(r["complex_"])),
        )
        for r in rows
    ]


# Unallocated cases and allocating ---------------------------------------------------------------


@dataclass
class UnallocatedCase:
    case_id: int
    child_ref: str
    team_id: int
    team: str
    category: str
    since: dt.date
    days: int
    escalated: bool


def unallocated_cases(
    *, where: CaseloadFilter, on: dt.date, threshold_days: int
) -> list[UnallocatedCase]:
    """Open cases on `on` that no worker in post holds, longest waiting first: unallocated
    since the day after they were last held (or since they opened), as the counts have it."""
    labels = dict(Category.choices)
    result = [
        UnallocatedCase(
            case_id=case_id,
            child_ref=child_ref,
            team_id=team_id,
            team=team_name or "",
            category=labels.get(category, "Not recorded"),
            since=since,
            days=measures.days_unallocated(since, on),
            escalated=measures.escalated(since, on, threshold_days),
        )
        for case_id, child_ref, team_id, team_name, category, since in measures.unallocated_on(
            where, on
        )
    ]
    result.sort(key=lambda u: (-u.days, u.child_ref))
    return result


def case_team_on(case: Case, on: dt.date) -> CaseTeam | None:
    return case.teams.active_on(on).select_related("team").first()


def case_category_on(case: Case, on: dt.date) -> CaseCategory | None:
    return case.categories.active_on(on).first()


def current_allocation(case: Case, on: dt.date) -> Allocation | None:
    return case.allocations.active_on(on).select_related("worker").first()


def candidates(*, case: Case, on: dt.date) -> list[WorkerLoad]:
    """Who can take this case: workers in post on `on` in case-holding roles whose main post is
    in the case's team, most headroom first."""
    spell = case_team_on(case, on)
    if spell is None:
        return []
    scheme = measures.scheme_settings(case.authority_id)
    loads = worker_loads(
        authority_ids=[case.authority_id], on=on, scheme=scheme, team_ids=[spell.team_id]
    )
    loads = [w for w in loads if w.capacity is not None]
    loads.sort(key=lambda w: (-(w.headroom or ZERO), w.name))
    return loads


# Heat map ------------------------------------------------------------------------------------


@dataclass
class HeatRow:
    team_id: int
    team: str
    cases_held: int = 0
    case_holders: int = 0
    case_holder_fte: Decimal = ZERO
    points: int = 0
    capacity: Decimal = ZERO
    over_capacity_workers: int = 0
    unallocated: int = 0
    escalated: int = 0
    supervised: int = 0
    supervisable: int = 0

    @property
    def average_caseload(self) -> Decimal | None:
        return measures.average_caseload(self.cases_held, self.case_holder_fte)

    @property
    def load_percent(self) -> int | None:
        if not self.capacity:
            return None
        return int(numbers.rounded(Decimal(self.points) * 100 / Decimal(self.capacity)) or 0)

    @property
    def supervision_rate(self) -> Decimal | None:
        if not self.supervisable:
            return None
        return Decimal(self.supervised) / Decimal(self.supervisable)


@dataclass
class HeatMap:
    on: dt.date
    rows: list[HeatRow] = field(default_factory=list)

    @property
    def total(self) -> HeatRow:
        """All the teams shown: every count is the sum of the rows (each case holder is in one
        team), and the average caseload, workload and supervision rate are worked out from
        those sums, not added up or averaged over the rows."""
        total = HeatRow(team_id=0, team="All teams")
        for r in self.rows:
            total.cases_held += r.cases_held
            total.case_holders += r.case_holders
            total.case_holder_fte += r.case_holder_fte
            total.points += r.points
            total.capacity += r.capacity
            total.over_capacity_workers += r.over_capacity_workers
            total.unallocated += r.unallocated
            total.escalated += r.escalated
            total.supervised += r.supervised
            total.supervisable += r.supervisable
        return total


def heat_map(*, scope: Scope, on: dt.date) -> HeatMap:
    """Teams × measures on `on`, in about seven grouped queries whatever the number of teams.

    Cases held, case holders and their FTE are by the team of each holder's main post, so the
    rows add up to the authority; unallocated cases by the case's own team. The average
    caseload of each row is that row's ratio: the rows' averages do not add up."""
    where = CaseloadFilter.for_scope(scope)
    authority_id = scope.authority.pk
    scheme = measures.scheme_settings(authority_id)
    policy = measures.policy_settings(authority_id)
    teams = list(teams_for(scope).filter(is_active=True).values_list("pk", "name"))
    rows = {pk: HeatRow(team_id=pk, team=name) for pk, name in teams}
    held = measures.holder_counts(where.metrics_filter(), [on], "team")
    for (_d, team_id), counts in held.items():
        if team_id in rows:
            row = rows[team_id]
            row.cases_held, row.case_holders = counts.cases_held, counts.case_holders
            row.case_holder_fte = counts.case_holder_fte
    unallocated = measures.unallocated_by_team(
        where, on, threshold_days=scheme.unallocated_threshold_days
    )
    for team_id, (n, escalated) in unallocated.items():
        if team_id in rows:
            rows[team_id].unallocated, rows[team_id].escalated = n, escalated
    loads = worker_loads(
        authority_ids=[authority_id], on=on, scheme=scheme, team_ids=where.team_ids
    )
    for w in loads:
        if w.team_id in rows:
            row = rows[w.team_id]
            row.points += w.points
            row.capacity += w.capacity or ZERO
            row.over_capacity_workers += int(w.over_capacity)
    supervision = measures.supervision_rows(where, on)
    statuses = measures.supervision_statuses([r[:4] for r in supervision], on, policy)
    for status, row_data in zip(statuses, supervision, strict=True):
        team_id = row_data[4]
        if team_id in rows:
            rows[team_id].supervisable += 1
            rows[team_id].supervised += int(not status.overdue_on(on))
    return HeatMap(on=on, rows=sorted(rows.values(), key=lambda r: r.team))


# Supervision ---------------------------------------------------------------------------------


@dataclass
class OverdueSupervision:
    worker_id: int
    name: str
    team: str
    last: dt.date | None
    due: dt.date
    days_overdue: int
    asye: bool
    interval_days: int


def overdue_supervision(*, where: CaseloadFilter, on: dt.date) -> list[OverdueSupervision]:
    """Workers in post on `on` who hold cases or are in case-holding roles (census roles) and
    whose supervision is overdue, most overdue first."""
    authority_id = where.authority_ids[0]
    policy = measures.policy_settings(authority_id)
    rows = measures.supervision_rows(where, on, case_holders_only=False)
    statuses = measures.supervision_statuses([r[:4] for r in rows], on, policy)
    overdue = [s for s in statuses if s.overdue_on(on)]
    workers = {w.pk: w for w in Worker.objects.filter(pk__in=[s.worker_id for s in overdue])}
    team_of = {r[0]: r[4] for r in rows}
    team_names = dict(Team.objects.filter(pk__in=set(team_of.values())).values_list("pk", "name"))
    result = [
        OverdueSupervision(
            worker_id=s.worker_id,
            name=str(workers[s.worker_id]),
            team=team_names.get(team_of[s.worker_id], ""),
            last=s.last,
            due=s.due,
            days_overdue=s.days_overdue(on),
            asye=s.asye,
            interval_days=s.interval_days,
        )
        for s in overdue
    ]
    result.sort(key=lambda o: (-o.days_overdue, o.name))
    return result


def workers_in_post(*, scope: Scope, on: dt.date) -> QuerySet[Worker]:
    """Workers of the scope in post on `on` (team managers: in their teams)."""
    engagements = scope.records(Engagement.objects.active_on(on), team="post__team")
    return Worker.objects.filter(pk__in=engagements.values("worker_id")).order_by(
        "last_name", "first_name"
    )
