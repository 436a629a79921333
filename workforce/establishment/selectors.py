"""Reads of the establishment: the establishment table for any date, its drill-down, histories."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from workforce.core.access import SELF, Scope
from workforce.establishment.models import (
    EMPLOYED_KINDS,
    Engagement,
    EngagementKind,
    Post,
    PostFunding,
    Role,
    Team,
    Worker,
)

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
    role_id: int | None
    role: str
    org_role: str
    establishment: Decimal = ZERO
    permanent: Decimal = ZERO
    agency: Decimal = ZERO

    @property
    def vacant(self) -> Decimal:
        return max(self.establishment - self.permanent, ZERO)

    @property
    def over_under(self) -> Decimal:
        return self.establishment - self.permanent - self.agency

    def value(self, column: Column) -> Decimal:
        return getattr(self, column.value)


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


def _sum_by_role(queryset: QuerySet, role_path: str) -> dict[int, Decimal]:
    rows = queryset.values(role_path).annotate(
        total=Coalesce(Sum("fte"), Value(ZERO), output_field=FTE)
    )
    return {r[role_path]: r["total"] for r in rows}


def establishment_table(*, where: EstablishmentFilter, on: dt.date) -> EstablishmentTable:
    """Per role at `on`: budgeted FTE, authority-employed FTE, agency FTE (three grouped sums)."""
    funded = _sum_by_role(
        PostFunding.objects.active_on(on).filter(where.post_q("post__"), post__start__lte=on),
        "post__role_id",
    )
    in_posts = Engagement.objects.active_on(on).filter(where.post_q("post__"))
    permanent = _sum_by_role(in_posts.filter(kind__in=EMPLOYED_KINDS), "post__role_id")
    agency = _sum_by_role(in_posts.filter(kind=EngagementKind.AGENCY), "post__role_id")
    role_ids = set(funded) | set(permanent) | set(agency)
    roles = Role.objects.filter(pk__in=role_ids).order_by("order", "title")
    rows = [
        EstablishmentRow(
            role_id=r.pk,
            role=r.title,
            org_role=r.org_role,
            establishment=funded.get(r.pk, ZERO),
            permanent=permanent.get(r.pk, ZERO),
            agency=agency.get(r.pk, ZERO),
        )
        for r in roles
    ]
    if len(where.authority_ids) > 1:
        rows = _merge_by_title(rows)
    return EstablishmentTable(on=on, rows=rows)


def _merge_by_title(rows: Iterable[EstablishmentRow]) -> list[EstablishmentRow]:
    """Across several authorities, roles with the same title and OrgRole form one row."""
    merged: dict[tuple[str, str], EstablishmentRow] = {}
    for row in rows:
        key = (row.role, row.org_role)
        into = merged.setdefault(
            key, EstablishmentRow(role_id=None, role=row.role, org_role=row.org_role)
        )
        into.establishment += row.establishment
        into.permanent += row.permanent
        into.agency += row.agency
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


def posts_for(scope: Scope) -> QuerySet[Post]:
    return scope.records(Post.objects.select_related("team", "role"))


def workers_for(scope: Scope, *, on: dt.date | None = None) -> QuerySet[Worker]:
    """Workers a user may see: all of the authority, or those with an engagement in their teams."""
    workers = Worker.objects.filter(authority=scope.authority)
    if scope.team_ids is not None:
        workers = workers.filter(engagements__post__team_id__in=scope.team_ids).distinct()
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
