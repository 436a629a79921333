"""Reads of the establishment: the establishment table for any date, its drill-down, histories."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from workforce.core.access import SELF, Scope
from workforce.establishment.measures import OVER_UNDER
from workforce.establishment.models import (
    EMPLOYED_KINDS,
    Engagement,
    EngagementKind,
    Leaving,
    Post,
    PostFunding,
    Role,
    Team,
    Worker,
)
from workforce.metrics import selectors as metrics
from workforce.metrics.engine import MetricsFilter

ZERO = Decimal("0.00")
FTE = DecimalField(max_digits=9, decimal_places=2)


@dataclass(frozen=True)
class EstablishmentFilter:
    """Which part of the establishment: an authority (or several), teams, a service area."""

    authority_ids: tuple[int, ...]
    team_ids: tuple[int, ...] | None = None
    service_area: str = ""
    census_only: bool = False

    @classmethod
    def for_scope(
        cls,
        scope: Scope,
        *,
        team_id: int | None = None,
        service_area: str = "",
        census_only: bool = False,
    ) -> EstablishmentFilter:
        teams: tuple[int, ...] | None = None
        if scope.team_ids is not None:
            teams = tuple(sorted(scope.team_ids))
        if team_id is not None:
            teams = (team_id,) if teams is None or team_id in teams else ()
        return cls(
            authority_ids=(scope.authority.pk,),
            team_ids=teams,
            service_area=service_area,
            census_only=census_only,
        )

    def post_q(self, prefix: str = "") -> Q:
        q = Q(**{f"{prefix}authority_id__in": self.authority_ids})
        if self.team_ids is not None:
            q &= Q(**{f"{prefix}team_id__in": self.team_ids})
        if self.service_area:
            q &= Q(**{f"{prefix}team__service_area": self.service_area})
        if self.census_only:
            q &= ~Q(**{f"{prefix}role__org_role": ""})
        return q


class Column(StrEnum):
    ESTABLISHMENT = "establishment"
    PERMANENT = "permanent"
    AGENCY = "agency"
    VACANT = "vacant"
    OVER_UNDER = "over_under"


COLUMN_LABELS = {
    Column.ESTABLISHMENT: "Establishment",
    Column.PERMANENT: "Permanent",
    Column.AGENCY: "Agency",
    Column.VACANT: "Vacant",
    Column.OVER_UNDER: "(Over)/under establishment",
}


@dataclass
class EstablishmentRow:
    """One role's figures at a date, each from the figures layer's registered measures."""

    role_id: int | None
    role: str
    org_role: str
    establishment: Decimal = ZERO
    permanent: Decimal = ZERO
    agency: Decimal = ZERO
    vacant: Decimal = ZERO
    over_under: Decimal = ZERO

    def value(self, column: Column) -> Decimal:
        return getattr(self, column.value)  # type: ignore[no-any-return]


@dataclass
class EstablishmentTable:
    on: dt.date
    rows: list[EstablishmentRow] = field(default_factory=list)

    def total(self, column: Column) -> Decimal:
        """Totals are sums of the rows, so the table always reconciles."""
        return sum((row.value(column) for row in self.rows), ZERO)

    @property
    def totals(self) -> dict[str, Decimal]:
        return {c.value: self.total(c) for c in Column}


def as_fte(value: Decimal | float | None) -> Decimal:
    """FTE to two places: SQLite sums decimals as floats, so every aggregate is rounded back."""
    return Decimal(str(value or 0)).quantize(ZERO)


# Each column of the establishment table is a registered measure of the figures layer: the
# dashboard, the Teams page and this table ask the same function the same question.
MEASURE_OF = {
    Column.ESTABLISHMENT: "establishment_fte",
    Column.PERMANENT: "in_post_fte",
    Column.AGENCY: "agency_fte",
    Column.VACANT: "vacancy_fte",
    Column.OVER_UNDER: OVER_UNDER,
}
MEASURES = tuple(MEASURE_OF.values())


def metrics_filter(where: EstablishmentFilter) -> MetricsFilter:
    """The figures layer's filter for the same part of the establishment."""
    return MetricsFilter(
        authority_ids=where.authority_ids,
        team_ids=where.team_ids,
        service_area=where.service_area,
        census_only=where.census_only,
    )


def _figures(values: dict[str, Any]) -> dict[str, Decimal]:
    return {column.value: as_fte(values.get(key)) for column, key in MEASURE_OF.items()}


def establishment_table(*, where: EstablishmentFilter, on: dt.date) -> EstablishmentTable:
    """Per role at `on`: budgeted, authority-employed, agency, vacant and (over)/under FTE.

    The figures are the metrics engine's measures broken down by role (one query), so vacancy
    is per role exactly as the dashboard counts it.
    """
    by_role = {
        row.key: row.values
        for row in metrics.breakdown(where=metrics_filter(where), on=on, by="role", keys=MEASURES)
    }
    roles = Role.objects.filter(pk__in=by_role).order_by("order", "title")
    rows = [
        EstablishmentRow(role_id=r.pk, role=r.title, org_role=r.org_role, **_figures(by_role[r.pk]))
        for r in roles
    ]
    if len(where.authority_ids) > 1:
        rows = _merge_by_title(rows)
    return EstablishmentTable(on=on, rows=rows)


def _merge_by_title(rows: Iterable[EstablishmentRow]) -> list[EstablishmentRow]:
    """Across several authorities, roles with the same title and OrgRole form one row.

    Every column is summed, vacancy too: it is worked out per authority's role, so one
    authority's surplus never fills another's vacancy.
    """
    merged: dict[tuple[str, str], EstablishmentRow] = {}
    for row in rows:
        key = (row.role, row.org_role)
        into = merged.setdefault(
            key, EstablishmentRow(role_id=None, role=row.role, org_role=row.org_role)
        )
        for column in Column:
            setattr(into, column.value, into.value(column) + row.value(column))
    return list(merged.values())


# Drill-down --------------------------------------------------------------------------------


@dataclass
class PostLine:
    post: Post
    establishment: Decimal
    permanent: Decimal
    agency: Decimal
    engagements: list[Engagement]

    @property
    def vacant(self) -> Decimal:
        return max(self.establishment - self.permanent, ZERO)

    @property
    def over_under(self) -> Decimal:
        return self.establishment - self.permanent - self.agency


def establishment_cell(
    *, where: EstablishmentFilter, on: dt.date, role_id: int | None, column: Column
) -> list[PostLine]:
    """The posts (and the people in them) behind one cell of the establishment table."""
    posts = Post.objects.filter(where.post_q()).select_related("team", "role")
    if role_id is not None:
        posts = posts.filter(role_id=role_id)
    funding = {
        f.post_id: f.fte
        for f in PostFunding.objects.active_on(on).filter(post__in=posts, post__start__lte=on)
    }
    engagements: dict[int, list[Engagement]] = {}
    for e in (
        Engagement.objects.active_on(on)
        .filter(post__in=posts)
        .select_related("worker")
        .order_by("start")
    ):
        engagements.setdefault(e.post_id, []).append(e)
    lines = []
    for post in posts.filter(pk__in=set(funding) | set(engagements)).order_by(
        "team__name", "reference"
    ):
        held = engagements.get(post.pk, [])
        line = PostLine(
            post=post,
            establishment=funding.get(post.pk, ZERO),
            permanent=sum((e.fte for e in held if e.kind in EMPLOYED_KINDS), ZERO),
            agency=sum((e.fte for e in held if e.kind == EngagementKind.AGENCY), ZERO),
            engagements=held,
        )
        lines.append(line)
    keep = {
        Column.ESTABLISHMENT: lambda line: line.establishment > 0,
        Column.PERMANENT: lambda line: line.permanent > 0,
        Column.AGENCY: lambda line: line.agency > 0,
        Column.VACANT: lambda line: line.vacant > 0,
        Column.OVER_UNDER: lambda line: line.over_under != 0,
    }[column]
    return [line for line in lines if keep(line)]


# Lists and histories ------------------------------------------------------------------------


def teams_for(scope: Scope) -> QuerySet[Team]:
    return scope.records(Team.objects.select_related("manager"), team=SELF)


def roles_for(scope: Scope) -> QuerySet[Role]:
    return Role.objects.filter(authority=scope.authority)


def roles_with_posts(scope: Scope) -> QuerySet[Role]:
    """The authority's roles in table order, each with `post_count` (posts ever created)."""
    return roles_for(scope).annotate(post_count=Count("posts")).order_by("order", "title")


def role_in_use(role: Role) -> bool:
    """Whether any post has this role: then its census meaning can no longer change."""
    return role.posts.exists()


def posts_for(scope: Scope) -> QuerySet[Post]:
    return scope.records(Post.objects.select_related("team", "role"))


def workers_for(scope: Scope, *, on: dt.date | None = None) -> QuerySet[Worker]:
    """Workers a user may see: all of the authority, or the current members of their teams."""
    workers = scope.records(Worker.objects.all())
    if on is not None:
        workers = workers.filter(
            Q(engagements__start__lte=on)
            & (Q(engagements__end__isnull=True) | Q(engagements__end__gt=on))
        ).distinct()
    return workers


def post_history(post: Post) -> dict[str, QuerySet]:
    return {
        "funding": post.funding.order_by("start"),
        "engagements": post.engagements.select_related("worker").order_by("start"),
    }


def worker_history(worker: Worker) -> dict[str, QuerySet]:
    return {
        "engagements": worker.engagements.select_related("post__team", "post__role").order_by(
            "start"
        ),
        "leavings": worker.leavings.order_by("last_day"),
        "absences": worker.absences.order_by("start"),
    }


def leaving_needed(engagement: Engagement) -> bool:
    """Whether ending this engagement ended the worker's employment with the authority, with no
    leaving recorded: an employed engagement that has ended, after which they hold no other."""
    if engagement.end is None or engagement.kind not in EMPLOYED_KINDS:
        return False
    last_day = engagement.end - dt.timedelta(days=1)
    worker = engagement.worker
    continues = (
        Engagement.objects.filter(worker=worker, kind__in=EMPLOYED_KINDS)
        .exclude(pk=engagement.pk)
        .filter(Q(end__isnull=True) | Q(end__gt=engagement.end))
        .filter(start__lte=engagement.end)
        .exists()
    )
    left = worker.leavings.filter(last_day__gte=last_day).exists()
    return not continues and not left


# Pages: teams, posts and people at a date -------------------------------------------------


@dataclass
class TeamSummary:
    """One team's budget and staffing at a date, from the figures layer's measures."""

    team: Team
    establishment: Decimal = ZERO
    in_post: Decimal = ZERO
    agency: Decimal = ZERO
    vacancy: Decimal = ZERO


@dataclass
class TeamSummaries:
    """Every team in scope, and the same figures for all of them together.

    The "all together" row is not the sum of the team rows for vacancy: a role's surplus in one
    team fills that role's vacancy in another within the whole, not within either team (see
    docs/definitions.md, "Figures across teams"). Budgeted, in post and agency FTE add up.
    """

    on: dt.date
    teams: list[TeamSummary]
    together: TeamSummary | None


TEAM_MEASURES = ("establishment_fte", "in_post_fte", "agency_fte", "vacancy_fte")


def _summary(team: Any, values: dict[str, Any]) -> TeamSummary:
    establishment, in_post, agency, vacancy = (as_fte(values.get(k)) for k in TEAM_MEASURES)
    return TeamSummary(
        team=team, establishment=establishment, in_post=in_post, agency=agency, vacancy=vacancy
    )


def team_summaries(scope: Scope, *, on: dt.date) -> TeamSummaries:
    """Every team in scope with budgeted, in post, agency and vacancy FTE at `on` (all roles,
    as the establishment table): the metrics engine's breakdown by team and its figure for the
    whole scope."""
    where = metrics.filter_for_scope(scope, census_only=False)
    by_team = {
        row.key: row.values
        for row in metrics.breakdown(where=where, on=on, by="team", keys=TEAM_MEASURES)
    }
    teams = [_summary(t, by_team.get(t.pk, {})) for t in teams_for(scope).order_by("name")]
    together = None
    if teams:
        whole = metrics.measures_on(where=where, on=on, keys=TEAM_MEASURES).at(0)
        together = _summary(None, whole)
    return TeamSummaries(on=on, teams=teams, together=together)


def team_posts(team: Team, *, on: dt.date) -> QuerySet[Post]:
    """A team's posts, each with `funded_fte` (budgeted FTE at `on`, or None when not funded)."""
    funded = PostFunding.objects.active_on(on).filter(post_id=OuterRef("pk")).values("fte")[:1]
    return (
        Post.objects.filter(team=team)
        .select_related("role")
        .annotate(funded_fte=Subquery(funded, output_field=FTE))
        .order_by("reference")
    )


def engagements_on(*, team: Team, on: dt.date) -> QuerySet[Engagement]:
    """Who is in the team's posts at `on`, and how."""
    return (
        Engagement.objects.active_on(on)
        .filter(post__team=team)
        .select_related("worker", "post__role")
        .order_by("post__reference", "start")
    )


class WorkerStatus(StrEnum):
    IN_POST = "in_post"
    AGENCY = "agency"
    LEFT = "left"


WORKER_STATUS_LABELS = {
    WorkerStatus.IN_POST: "In post (employed by the authority)",
    WorkerStatus.AGENCY: "Agency",
    WorkerStatus.LEFT: "Left the authority",
}


def search_workers(
    scope: Scope,
    *,
    on: dt.date,
    text: str = "",
    team_id: int | None = None,
    status: str = "",
) -> QuerySet[Worker]:
    """People in scope matching a name or staff number, a team and a status at `on`.

    Each worker comes with `current`: their engagements active at `on` (posts and teams loaded).
    A team limits to people in that team at `on` (for leavers: the team they left from).
    """
    workers = scope.records(Worker.objects.all())
    active = Engagement.objects.active_on(on).filter(worker_id=OuterRef("pk"))
    if team_id is not None:
        active = active.filter(post__team_id=team_id)
    if status == WorkerStatus.IN_POST:
        workers = workers.filter(Exists(active.filter(kind__in=EMPLOYED_KINDS)))
    elif status == WorkerStatus.AGENCY:
        workers = workers.filter(Exists(active.filter(kind=EngagementKind.AGENCY)))
    elif status == WorkerStatus.LEFT:
        left = Leaving.objects.filter(worker_id=OuterRef("pk"), last_day__lt=on)
        if team_id is not None:
            left = left.filter(team_id=team_id)
        still_employed = Engagement.objects.active_on(on).filter(
            worker_id=OuterRef("pk"), kind__in=EMPLOYED_KINDS
        )
        workers = workers.filter(Exists(left)).exclude(Exists(still_employed))
    elif team_id is not None:
        workers = workers.filter(Exists(active))
    for word in text.split():
        workers = workers.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(staff_number__icontains=word)
        )
    current = Engagement.objects.active_on(on).select_related("post__team", "post__role")
    return workers.prefetch_related(
        Prefetch("engagements", queryset=current.order_by("start"), to_attr="current")
    ).order_by("last_name", "first_name", "pk")
