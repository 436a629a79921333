"""Reads for progression, incentives and clawback, and learning, each taking the user's Scope.

Tables are built here once and shown and downloaded from the same object.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet

from workforce.careers.models.incentives import (
    Clawback,
    Incentive,
    IncentiveKind,
    Progression,
    ProgressionKind,
)
from workforce.careers.models.learning import Attendance, Enrolment, LearningProgramme
from workforce.core.access import AUTHORITY_WIDE, SELF, Scope
from workforce.core.dates import day_text
from workforce.core.tables import Column, Kind, Table
from workforce.establishment.models import Engagement, Leaving, Team, Worker

ZERO = Decimal("0.00")


def financial_year(day: dt.date) -> int:
    """The year a financial year (1 April to 31 March) starts in."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def teams_for(scope: Scope) -> QuerySet[Team]:
    return scope.records(Team.objects.all(), team=SELF)


# Progression -----------------------------------------------------------------------------------


def progressions(
    scope: Scope, *, year: int | None = None, team_id: int | None = None, kind: str = ""
) -> QuerySet[Progression]:
    """Progressions the user may see, in a financial year, a team (at the date) and of a kind."""
    found = scope.records(Progression.objects.all()).select_related(
        "worker", "team", "from_role", "to_role"
    )
    if year is not None:
        found = found.filter(date__gte=dt.date(year, 4, 1), date__lt=dt.date(year + 1, 4, 1))
    if team_id is not None:
        found = found.filter(team_id=team_id)
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("-date", "worker__last_name", "pk")


def progression_years(scope: Scope) -> list[int]:
    dates = scope.records(Progression.objects.all()).values_list("date", flat=True)
    return sorted({financial_year(d) for d in dates}, reverse=True)


def progression_table(rows: QuerySet[Progression]) -> Table:
    return Table(
        title="Progression",
        key="progression",
        columns=[
            Column("date", "Date", Kind.DATE),
            Column("staff_number", "Staff number"),
            Column("name", "Name"),
            Column("team", "Team"),
            Column("kind", "Kind"),
            Column("from_grade", "From band or grade"),
            Column("to_grade", "To band or grade"),
            Column("from_role", "From role"),
            Column("to_role", "To role"),
        ],
        rows=[
            [
                p.date,
                p.worker.staff_number,
                p.worker.full_name,
                p.team.name if p.team else "",
                p.get_kind_display(),
                p.from_grade,
                p.to_grade,
                p.from_role.title if p.from_role else "",
                p.to_role.title if p.to_role else "",
            ]
            for p in rows
        ],
        notes=["Financial years run from 1 April to 31 March; the team is the one on the date."],
        empty="No progression recorded for these choices.",
    )


# Incentives ------------------------------------------------------------------------------------

CLAWBACK_RULE = (
    "Leaving within the clawback period pays back the amount times the months of the period not "
    "served over the months of the period, counting only complete months served from the date "
    "paid to the last day, to the penny. Nothing is paid back once the period is over."
)


def worker_incentives(worker: Worker) -> QuerySet[Incentive]:
    return Incentive.objects.filter(worker=worker).prefetch_related("clawbacks")


def cost_per_year(scope: Scope) -> Table:
    """The money paid by financial year and kind, what clawback recovered, and the net cost."""
    incentives = scope.records(Incentive.objects.all())
    clawbacks = scope.records(Clawback.objects.all())
    paid: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    recovered: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for kind, paid_on, amount in incentives.values_list("kind", "paid_on", "amount"):
        paid[financial_year(paid_on)][kind] += amount
    for recorded_on, amount in clawbacks.values_list("recorded_on", "amount"):
        recovered[financial_year(recorded_on)] += amount
    kinds = IncentiveKind.choices
    rows: list[list[Any]] = []
    sums: list[Decimal] = [ZERO] * (len(kinds) + 3)
    for year in sorted(set(paid) | set(recovered)):
        by_kind = [paid[year][k] for k, _ in kinds]
        total = sum(by_kind, ZERO)
        figures = [*by_kind, total, recovered[year], total - recovered[year]]
        sums = [a + b for a, b in zip(sums, figures, strict=True)]
        rows.append([year_label(year), *figures])
    totals: list[Any] = ["All years", *sums]
    return Table(
        title="Cost of incentives by financial year",
        key="incentive-costs",
        columns=[
            Column("year", "Financial year"),
            *[Column(k, label, Kind.MONEY) for k, label in kinds],
            Column("paid", "Total paid", Kind.MONEY),
            Column("recovered", "Recovered by clawback", Kind.MONEY),
            Column("net", "Net cost", Kind.MONEY, brackets=True),
        ],
        rows=rows,
        totals=totals if rows else None,
        notes=[
            "Financial years run from 1 April to 31 March. Payments count in the year paid, "
            "clawback in the year it was recorded."
        ],
        empty="No incentives recorded.",
    )


@dataclass(frozen=True)
class InClawback:
    incentive: Incentive
    worker_id: int
    name: str
    team: str
    recovery: Decimal


def in_clawback(scope: Scope, on: dt.date) -> list[InClawback]:
    """Incentives of people still employed whose clawback period runs on `on`, with what leaving
    that day would pay back."""
    left = Leaving.objects.filter(last_day__lt=on).values("worker_id")
    candidates = (
        scope.records(Incentive.objects.all())
        .filter(clawback_months__gt=0, paid_on__lte=on)
        .exclude(worker_id__in=left)
        .exclude(clawbacks__isnull=False)
        .select_related("worker")
        .order_by("worker__last_name", "worker__first_name", "paid_on", "pk")
    )
    found = [i for i in candidates if i.in_clawback_on(on)]
    teams = dict(
        Engagement.objects.filter(worker_id__in=[i.worker_id for i in found])
        .active_on(on)
        .order_by("worker_id", "fte", "start")
        .values_list("worker_id", "post__team__name")
    )
    return [
        InClawback(
            incentive=i,
            worker_id=i.worker_id,
            name=i.worker.full_name,
            team=teams.get(i.worker_id, ""),
            recovery=i.recovery_on(on),
        )
        for i in found
    ]


def clawback_table(rows: list[InClawback], on: dt.date) -> Table:
    return Table(
        title="Inside a clawback period",
        key="clawback",
        columns=[
            Column("staff_number", "Staff number"),
            Column("name", "Name"),
            Column("team", "Team"),
            Column("kind", "Payment"),
            Column("paid_on", "Date paid", Kind.DATE),
            Column("amount", "Amount", Kind.MONEY),
            Column("months", "Clawback period (months)", Kind.COUNT, unit=""),
            Column("ends", "Period ends", Kind.DATE),
            Column("recovery", "Recovered if leaving now", Kind.MONEY),
        ],
        rows=[
            [
                r.incentive.worker.staff_number,
                r.name,
                r.team,
                r.incentive.get_kind_display(),
                r.incentive.paid_on,
                r.incentive.amount,
                r.incentive.clawback_months,
                r.incentive.clawback_end,
                r.recovery,
            ]
            for r in rows
        ],
        totals=(
            [
                "All",
                "",
                "",
                "",
                None,
                sum((r.incentive.amount for r in rows), ZERO),
                None,
                None,
                sum((r.recovery for r in rows), ZERO),
            ]
            if rows
            else None
        ),
        notes=[f"If leaving with a last day of {day_text(on)}. {CLAWBACK_RULE}"],
        empty="Nobody is inside a clawback period.",
    )


# Learning and development ----------------------------------------------------------------------


def programmes(scope: Scope) -> QuerySet[LearningProgramme]:
    return scope.records(LearningProgramme.objects.all(), team=AUTHORITY_WIDE)


def programme_enrolments(scope: Scope, programme: LearningProgramme) -> QuerySet[Enrolment]:
    return (
        scope.records(Enrolment.objects.filter(programme=programme))
        .select_related("worker")
        .order_by("worker__last_name", "worker__first_name")
    )


def attended_sessions(programme: LearningProgramme) -> dict[int, int]:
    """Sessions of the programme each worker attended, by worker id."""
    return dict(
        Attendance.objects.filter(session__programme=programme, attended=True)
        .values("worker_id")
        .annotate(n=Count("pk"))
        .values_list("worker_id", "n")
    )


def completion_table(scope: Scope, *, on: dt.date, programme_id: int | None = None) -> Table:
    """Enrolments and completions by each worker's role and team on `on` (their main post)."""
    enrolments = scope.records(Enrolment.objects.all())
    if programme_id is not None:
        enrolments = enrolments.filter(programme_id=programme_id)
    pairs = list(enrolments.values_list("worker_id", "completed_on"))
    posts: dict[int, tuple[str, str]] = {}
    for worker_id, role, team in (
        Engagement.objects.filter(worker_id__in={w for w, _ in pairs})
        .active_on(on)
        .order_by("worker_id", "fte", "start", "pk")
        .values_list("worker_id", "post__role__title", "post__team__name")
    ):
        posts[worker_id] = (role, team)
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for worker_id, completed_on in pairs:
        key = posts.get(worker_id, ("Not in post", ""))
        counts[key][0] += 1
        counts[key][1] += int(completed_on is not None and completed_on <= on)
    rows: list[list[Any]] = [
        [role, team, n, done, Decimal(done) / n if n else None]
        for (role, team), (n, done) in sorted(counts.items())
    ]
    enrolled = sum(n for n, _ in counts.values())
    completed = sum(done for _, done in counts.values())
    return Table(
        title="Completion by role and team",
        key="completion",
        columns=[
            Column("role", "Role"),
            Column("team", "Team"),
            Column("enrolled", "Enrolled", Kind.COUNT),
            Column("completed", "Completed", Kind.COUNT),
            Column("rate", "Completed", Kind.PERCENT),
        ],
        rows=rows,
        totals=["All", "", enrolled, completed, Decimal(completed) / enrolled if enrolled else None]
        if rows
        else None,
        notes=[
            f"Role and team are each person's main post on {day_text(on)}; people who had left "
            "by then are counted as not in post. Completed counts completions on or before it."
        ],
        empty="Nobody is enrolled on a programme.",
    )


def kind_choices() -> list[tuple[str, str]]:
    return [("", "All kinds"), *ProgressionKind.choices]
