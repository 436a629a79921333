"""Reads for the measures: a date, a monthly series, a breakdown by team or role, and targets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery

from workforce.core import numbers
from workforce.core.access import SELF, Scope
from workforce.establishment.models import Engagement, Leaving, Role, Team, Worker
from workforce.metrics import stored
from workforce.metrics.engine import MetricsFilter, Timeline, month_end
from workforce.metrics.measures import (
    REGISTRY,
    Better,
    Measure,
    Unit,
    display_value,
    format_value,
    headline_keys,
    measure_places,
    needs,
)
from workforce.metrics.models import Comparison, Target

MAX_MONTHS = 120


def filter_for_scope(
    scope: Scope,
    *,
    team_id: int | None = None,
    service_area: str = "",
    role_id: int | None = None,
    org_role: str = "",
    census_only: bool = True,
) -> MetricsFilter:
    """The filter a user may ask for: team managers never reach beyond their own teams."""
    teams: tuple[int, ...] | None = None
    if scope.team_ids is not None:
        teams = tuple(sorted(scope.team_ids))
    if team_id is not None:
        teams = (team_id,) if teams is None or team_id in teams else ()
    return MetricsFilter(
        authority_ids=(scope.authority.pk,),
        team_ids=teams,
        service_area=service_area,
        role_ids=None if role_id is None else (role_id,),
        org_roles=(org_role,) if org_role else None,
        census_only=census_only,
    )


# Values --------------------------------------------------------------------------------------


@dataclass
class Series:
    """Every asked-for measure at each date of a timeline (for one group)."""

    dates: list[dt.date]
    values: dict[str, list[Any]]
    parts: dict[str, list[Any]]

    def at(self, i: int) -> dict[str, Any]:
        return {key: values[i] for key, values in self.values.items()}


def _evaluate(keys: Sequence[str], parts: dict[str, list[Any]], n: int) -> dict[str, list[Any]]:
    """Each measure at each date, from every component's value at that date."""
    names = list(parts)
    at = [dict(zip(names, values, strict=True)) for values in zip(*parts.values(), strict=True)]
    at = at or [{} for _ in range(n)]
    return {key: [REGISTRY[key].value(components) for components in at] for key in keys}


def series(
    *, where: MetricsFilter, timeline: Timeline, keys: Sequence[str] | None = None
) -> Series:
    """Measures at every date of the timeline: one query per component provider."""
    keys = list(keys or REGISTRY)
    wanted = needs(keys)
    comps = stored.components(wanted, where=where, timeline=timeline)
    parts = {name: comps[name][None] for name in comps}
    return Series(
        dates=list(timeline.dates), values=_evaluate(keys, parts, timeline.n), parts=parts
    )


def monthly_series(
    *, where: MetricsFilter, last: dt.date, months: int, keys: Sequence[str] | None = None
) -> Series:
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"A series runs from 1 to {MAX_MONTHS} months.")
    return series(where=where, timeline=Timeline.monthly(last, months), keys=keys)


def measures_on(*, where: MetricsFilter, on: dt.date, keys: Sequence[str] | None = None) -> Series:
    """Measures at one date (any day), as a one-date series."""
    return series(where=where, timeline=Timeline.single(on), keys=keys)


# Targets and RAG -----------------------------------------------------------------------------

PERCENTAGE_POINTS_TOLERANCE = Decimal("5")  # amber within 5 points of a rate target
RELATIVE_TOLERANCE = Decimal("0.10")  # amber within 10% of any other target


@dataclass
class Status:
    colour: str  # govuk-tag colour
    label: str  # "On target", "Close", "Off target", "No target"
    target: Target | None = None

    @property
    def key(self) -> str:
        return {"green": "green", "yellow": "amber", "red": "red"}.get(self.colour, "none")


NO_TARGET = Status("grey", "No target")


def targets_for(scope: Scope) -> QuerySet[Target]:
    return scope.records(Target.objects.select_related("team"), team="team").order_by(
        "measure", "team__name", "by_date"
    )


def applicable_target(
    targets: Sequence[Target], *, measure: str, team_id: int | None, on: dt.date
) -> Target | None:
    """The target that applies on `on`: the next one due, else the latest one past.

    Team targets apply when the figures are for that one team; otherwise the authority's own.
    """
    mine = [t for t in targets if t.measure == measure and t.team_id == team_id]
    ahead = sorted((t for t in mine if t.by_date >= on), key=lambda t: t.by_date)
    if ahead:
        return ahead[0]
    past = sorted((t for t in mine if t.by_date < on), key=lambda t: t.by_date)
    return past[-1] if past else None


def rag(measure: Measure, value: Any, last_year: Any, target: Target | None, on: dt.date) -> Status:
    """Green when the target is met; amber when close to it, or when it is still ahead and the
    figure has moved the right way since the same date last year; red otherwise."""
    if target is None:
        return NO_TARGET
    shown = display_value(measure, value)
    if shown is None:
        return Status("grey", "No figure", target)
    if target.is_met_by(shown):
        return Status("green", "On target", target)
    gap = abs(Decimal(str(shown)) - target.value)
    tolerance = (
        PERCENTAGE_POINTS_TOLERANCE if measure.is_rate else abs(target.value) * RELATIVE_TOLERANCE
    )
    improving = False
    if last_year is not None and target.by_date >= on:
        before = Decimal(str(display_value(measure, last_year)))
        now = Decimal(str(shown))
        improving = now < before if target.comparison == Comparison.AT_MOST else now > before
    if gap <= tolerance or improving:
        return Status("yellow", "Close to target" if gap <= tolerance else "Improving", target)
    return Status("red", "Off target", target)


# Headline tiles ------------------------------------------------------------------------------


@dataclass
class Tile:
    measure: Measure
    value: Any
    last_year: Any
    counts: dict[str, Any]
    status: Status

    @property
    def shown(self) -> str:
        return format_value(self.measure, self.value)

    @property
    def change(self) -> Any:
        return change(self.measure, self.value, self.last_year)

    @property
    def change_text(self) -> str:
        return change_text(self.measure, self.change)

    @property
    def change_is_better(self) -> bool | None:
        change = self.change
        if change is None or change == 0 or self.measure.better == Better.NEITHER:
            return None
        return (change < 0) == (self.measure.better == Better.LOWER)


def change(measure: Measure, value: Any, before: Any) -> Any:
    """The change between two figures as shown, so it reads true against them."""
    if value is None or before is None:
        return None
    return display_value(measure, value) - display_value(measure, before)


def change_text(
    measure: Measure, change: Any, since: str | None = "the same date last year"
) -> str:
    """ "Up 2.5 percentage points since the same date last year" ("Up 2.5 percentage points"
    when `since` is None, for a column headed with the date)."""
    after = f" since {since}" if since else ""
    if change is None:
        return f"No figure for {since}" if since else "No figure"
    if change == 0:
        return f"No change{after}"
    direction = "Up" if change > 0 else "Down"
    places = measure_places(measure)
    amount = numbers.number_text(abs(change), places)
    if measure.is_rate:
        amount += " percentage points"
    elif measure.unit == Unit.FTE:
        amount += " FTE"
    elif measure.unit == Unit.YEARS:
        amount += " years"
    return f"{direction} {amount}{after}"


def series_end(on: dt.date) -> dt.date:
    """The last month end on or before `on`: where the dashboard's monthly series ends."""
    return on if on == month_end(on) else on.replace(day=1) - dt.timedelta(days=1)


@dataclass
class Headline:
    on: dt.date
    last_year_on: dt.date
    tiles: list[Tile] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    parts: dict[str, Any] = field(default_factory=dict)


def headline(
    *,
    where: MetricsFilter,
    on: dt.date,
    targets: Sequence[Target] = (),
    keys: Sequence[str] | None = None,
) -> Headline:
    """Headline measures at a date, with last year's figure and the status against targets."""
    keys = list(keys or headline_keys())
    both = series(where=where, timeline=Timeline.yearly(on, 2), keys=keys)
    before_on = both.dates[0]
    team_id = where.team_ids[0] if where.team_ids is not None and len(where.team_ids) == 1 else None
    parts_now = {k: v[1] for k, v in both.parts.items()}
    result = Headline(on=on, last_year_on=before_on, values=both.at(1), parts=parts_now)
    for key in keys:
        measure = REGISTRY[key]
        last_year, value = both.values[key]
        target = applicable_target(targets, measure=key, team_id=team_id, on=on)
        result.tiles.append(
            Tile(
                measure=measure,
                value=value,
                last_year=last_year,
                counts=measure.counts(parts_now),
                status=rag(measure, value, last_year, target, on),
            )
        )
    return result


# Breakdowns ----------------------------------------------------------------------------------

BREAKDOWN = (
    "establishment_fte",
    "in_post_fte",
    "agency_fte",
    "vacancy_fte",
    "agency_rate_fte",
    "vacancy_rate_fte",
    "leavers_fte",
    "turnover_rate_fte",
    # Registered by the caseloads app; each case holder counts in one team (and role).
    "cases_held",
    "case_holder_fte",
    "average_caseload",
)


@dataclass
class BreakdownRow:
    key: int
    label: str
    values: dict[str, Any]


def breakdown(
    *, where: MetricsFilter, on: dt.date, by: str, keys: Sequence[str] = BREAKDOWN
) -> list[BreakdownRow]:
    """Measures at a date for each team or each role, from one query per component provider."""
    timeline = Timeline.single(on)
    comps = stored.components(needs(list(keys)), where=where, timeline=timeline, by=by)
    groups: set[int] = set()
    for values in comps.values():
        groups |= {g for g in values if g is not None}
    if by == "team":
        labels = dict(Team.objects.filter(pk__in=groups).values_list("pk", "name"))
    else:
        labels = dict(Role.objects.filter(pk__in=groups).values_list("pk", "title"))
    rows = []
    for g in groups:
        parts = {name: values.get(g, [None])[0] for name, values in comps.items()}
        zeroed = {
            name: (value if value is not None else _zero(name)) for name, value in parts.items()
        }
        rows.append(
            BreakdownRow(
                key=g,
                label=labels.get(g, "Unknown"),
                values={k: REGISTRY[k].value(zeroed) for k in keys},
            )
        )
    return sorted(rows, key=lambda r: r.label)


def _zero(name: str) -> Any:
    return Decimal("0.00") if name.endswith(("_fte", "_days")) else 0


def teams_in(scope: Scope) -> QuerySet[Team]:
    return scope.records(Team.objects.all(), team=SELF).order_by("name")


def roles_in(scope: Scope) -> QuerySet[Role]:
    return Role.objects.filter(authority=scope.authority).order_by("order", "title")


# Data quality --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EndedWithoutLeaving:
    """A person whose last authority-employed engagement has ended with no leaving recorded."""

    worker_id: int
    name: str
    staff_number: str
    team: str
    role: str
    census_counted: bool
    kind: str
    last_day: dt.date  # the day before the engagement's end
    days_since: int


def ended_without_leaving(scope: Scope, *, today: dt.date) -> list[EndedWithoutLeaving]:
    """Everyone in the scope's authority whose employed engagements have all ended by `today`
    (none open, none starting later) with no `Leaving` recorded on or after the start of the
    last one: a fixed-term contract that ran out, or an end typed in without a leaving. Until
    the leaving is recorded they are out of in post but not leavers; oldest first."""
    last = (
        Engagement.objects.employed()
        .filter(worker=OuterRef("pk"))
        .order_by(F("end").desc(nulls_first=True), "-start", "-pk")
    )
    workers = (
        scope.records(Worker.objects.all(), team=None)
        .annotate(
            last_end=Subquery(last.values("end")[:1]),
            last_start=Subquery(last.values("start")[:1]),
            last_id=Subquery(last.values("pk")[:1]),
        )
        .filter(last_end__isnull=False, last_end__lte=today)
        .exclude(
            Exists(
                Leaving.objects.filter(worker=OuterRef("pk"), last_day__gte=OuterRef("last_start"))
            )
        )
    )
    ids = list(workers.values_list("last_id", flat=True))
    engagements = Engagement.objects.filter(pk__in=ids, end__isnull=False).select_related(
        "worker", "post__team", "post__role"
    )
    rows = [
        EndedWithoutLeaving(
            worker_id=e.worker_id,
            name=e.worker.full_name,
            staff_number=e.worker.staff_number,
            team=e.post.team.name,
            role=e.post.role.title,
            census_counted=bool(e.post.role.org_role),
            kind=e.get_kind_display(),
            last_day=end - dt.timedelta(days=1),
            days_since=(today - end).days + 1,
        )
        for e in engagements
        if (end := e.end) is not None
    ]
    return sorted(rows, key=lambda row: (row.last_day, row.name, row.worker_id))
