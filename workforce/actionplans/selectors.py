"""Reads for action plans: who may do what, the plans, lists of actions, and each linked
measure's trend since its action started.

Action plans belong to the whole authority (`AUTHORITY_WIDE`): every user of the authority who
sees figures reads them; team managers too. Writing is decided here, in two functions the views
and the URL-access test use: `may_edit` (leads and administrators edit plans) and `may_update`
(owners record progress on their own actions; those who may edit, on any).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet

from workforce.actionplans.models import (
    OPEN_STATUSES,
    Action,
    ActionMeasure,
    Direction,
    Evidence,
    Rag,
    Recommendation,
    Source,
    Status,
    Update,
)
from workforce.core.access import AUTHORITY_WIDE, Capability, Scope
from workforce.core.periods import month_ends_closing_on
from workforce.metrics.measures import REGISTRY, Measure, display_value, format_value

MAX_TREND_MONTHS = 120


def may_edit(scope: Scope) -> bool:
    return scope.can(Capability.MANAGE_ACTION_PLANS)


def may_update(scope: Scope, action: Action) -> bool:
    if may_edit(scope):
        return True
    return scope.can(Capability.UPDATE_ACTIONS) and action.owner_id == scope.user.pk


# Records -------------------------------------------------------------------------------------


def sources(scope: Scope) -> QuerySet[Source]:
    return scope.records(Source.objects.all(), team=AUTHORITY_WIDE)


def actions(scope: Scope) -> QuerySet[Action]:
    return scope.records(
        Action.objects.select_related("recommendation__source", "owner"), team=AUTHORITY_WIDE
    )


def get_source(scope: Scope, pk: int) -> Source:
    return scope.get(Source.objects.all(), team=AUTHORITY_WIDE, pk=pk)


def get_recommendation(scope: Scope, pk: int) -> Recommendation:
    return scope.get(Recommendation.objects.select_related("source"), team=AUTHORITY_WIDE, pk=pk)


def get_action(scope: Scope, pk: int) -> Action:
    return scope.get(
        Action.objects.select_related("recommendation__source", "owner"),
        team=AUTHORITY_WIDE,
        pk=pk,
    )


def get_update(scope: Scope, pk: int) -> Update:
    return scope.get(
        Update.objects.select_related("action__recommendation__source", "author"),
        team=AUTHORITY_WIDE,
        pk=pk,
    )


def get_evidence(scope: Scope, pk: int) -> Evidence:
    return scope.get(
        Evidence.objects.select_related("update__action", "source"), team=AUTHORITY_WIDE, pk=pk
    )


def get_measure_link(scope: Scope, pk: int) -> ActionMeasure:
    return scope.get(
        ActionMeasure.objects.select_related("action__recommendation__source"),
        team=AUTHORITY_WIDE,
        pk=pk,
    )


def plan(scope: Scope, source: Source) -> list[Recommendation]:
    """A source's recommendations in order, each with its actions, their updates (newest last)
    and evidence, and their measures: everything the plan page and its exports show."""
    updates = Update.objects.select_related("author").prefetch_related("evidence")
    action_qs = Action.objects.select_related("owner").prefetch_related(
        Prefetch("updates", queryset=updates), "measures"
    )
    return list(
        scope.records(source.recommendations.all(), team=AUTHORITY_WIDE).prefetch_related(
            Prefetch("actions", queryset=action_qs)
        )
    )


def my_actions(scope: Scope) -> QuerySet[Action]:
    """The user's own actions: open ones first (by due date), then those ended."""
    return (
        actions(scope)
        .filter(owner=scope.user)
        .order_by(F("ended_on").asc(nulls_first=True), F("due").asc(nulls_last=True), "pk")
    )


def needing_attention(scope: Scope, on: dt.date) -> QuerySet[Action]:
    """Open actions past their due date, at risk or off track, across every plan."""
    return (
        actions(scope)
        .filter(status__in=OPEN_STATUSES)
        .filter(Q(due__lt=on) | Q(status__in=[Status.AT_RISK, Status.OFF_TRACK]))
        .order_by("due", "pk")
    )


def rag_counts(action_list: list[Action], on: dt.date) -> dict[Rag, int]:
    """How many actions are of each colour on a day (every colour, nought included)."""
    counts = dict.fromkeys(Rag, 0)
    for action in action_list:
        counts[action.rag_on(on)] += 1
    return counts


# Impact: a measure's trend since the action started -------------------------------------------


@dataclass(frozen=True)
class Point:
    on: dt.date
    value: Any  # as the figures layer gives it (a fraction for rates)
    shown: Any  # rounded once, in the units people read (a percentage for rates)
    text: str


@dataclass(frozen=True)
class Impact:
    link: ActionMeasure
    measure: Measure
    points: list[Point]  # the action's start, each month end since, then the date
    target_text: str
    met: bool | None  # None: no figure yet
    moving: str  # "the right way", "the wrong way", "no change" or "" (too few figures)

    @property
    def baseline(self) -> Point | None:
        return self.points[0] if self.points else None

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def status_label(self) -> str:
        if self.met is None:
            return "No figure yet"
        return "Target met" if self.met else "Target not met"


def target_text(link: ActionMeasure, measure: Measure) -> str:
    """ "Agency rate at most 20% by 28 February 2017", "Average caseload falling"."""
    from workforce.core.dates import day_text

    label = measure.label
    if link.direction in (Direction.FALLING, Direction.RISING):
        words = f"{label} {Direction(link.direction).label.lower()}"
    else:
        unit = "%" if measure.is_rate else ""
        value = f"{link.value.normalize():f}" if link.value is not None else ""
        words = f"{label} {Direction(link.direction).label.lower()} {value}{unit}"
    return f"{words} by {day_text(link.by)}" if link.by else words


def _met(link: ActionMeasure, first: Any, last: Any) -> bool | None:
    if last is None:
        return None
    if link.value is not None and link.direction == Direction.AT_MOST:
        return Decimal(str(last)) <= link.value
    if link.value is not None and link.direction == Direction.AT_LEAST:
        return Decimal(str(last)) >= link.value
    if first is None:
        return None
    if link.direction == Direction.FALLING:
        return Decimal(str(last)) < Decimal(str(first))
    return Decimal(str(last)) > Decimal(str(first))


def _moving(link: ActionMeasure, first: Any, last: Any) -> str:
    if first is None or last is None:
        return ""
    a, b = Decimal(str(first)), Decimal(str(last))
    if a == b:
        return "no change"
    down_is_good = link.direction in (Direction.AT_MOST, Direction.FALLING)
    return "the right way" if (b < a) == down_is_good else "the wrong way"


def trend_dates(start: dt.date, on: dt.date) -> tuple[dt.date, list[dt.date], dt.date]:
    """The action's start, the month ends after it and before `on` (the last
    MAX_TREND_MONTHS), and `on`."""
    if on <= start:
        return on, [], on
    months = (on.year - start.year) * 12 + on.month - start.month + 1
    ends = [
        d for d in month_ends_closing_on(on, min(months, MAX_TREND_MONTHS + 1))[:-1] if d > start
    ]
    return start, ends, on


def impacts(scope: Scope, action: Action, on: dt.date) -> list[Impact]:
    """Each measure linked to the action, from the day it started to `on`, by the figures
    layer for the user's scope (a team manager's own teams): the start, each month end since
    and `on`, one query for each (and for the month ends together) whatever the measures."""
    from workforce.metrics.engine import Timeline
    from workforce.metrics.selectors import filter_for_scope, measures_on, series

    links = [link for link in action.measures.all() if link.measure in REGISTRY]
    if not links:
        return []
    keys = [link.measure for link in links]
    where = filter_for_scope(scope)
    first, ends, last = trend_dates(action.start, on)
    dates: list[dt.date] = []
    values: dict[str, list[Any]] = {key: [] for key in keys}

    def take(found: Any) -> None:
        dates.extend(found.dates)
        for key in keys:
            values[key].extend(found.values[key])

    take(measures_on(where=where, on=first, keys=keys))
    if ends:
        take(series(where=where, timeline=Timeline(tuple(ends)), keys=keys))
    if last != first:
        take(measures_on(where=where, on=last, keys=keys))
    out = []
    for link in links:
        measure = REGISTRY[link.measure]
        points = [
            Point(d, v, display_value(measure, v), format_value(measure, v))
            for d, v in zip(dates, values[link.measure], strict=True)
        ]
        before, now = points[0].shown, points[-1].shown
        out.append(
            Impact(
                link=link,
                measure=measure,
                points=points,
                target_text=target_text(link, measure),
                met=_met(link, before, now),
                moving=_moving(link, before, now),
            )
        )
    return out
