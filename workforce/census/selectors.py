"""Reads for the census pages, through the user's scope (the return is the whole authority's,
so a user limited to some teams reaches none of it)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from workforce.census.models import CensusExport, CensusSnapshot
from workforce.census.returns import census_date
from workforce.core.access import Scope
from workforce.establishment.models import Engagement


def _census_year_of(day: dt.date) -> int:
    """The census year (ending 30 September) that a day falls in."""
    return day.year if day <= census_date(day.year) else day.year + 1


def census_years(scope: Scope, *, today: dt.date) -> list[int]:
    """Census years (ending 30 September, on or before today) in which someone held a
    census-counted engagement, latest first: one query, however long the history."""
    last = _census_year_of(today)
    if today < census_date(last):
        last -= 1
    counted = scope.records(Engagement.objects.exclude(post__role__org_role=""), team=None)
    years: set[int] = set()
    for start, end in counted.values_list("start", "end"):
        # [start, end): the last day held is the day before `end`.
        final = last if end is None else min(last, _census_year_of(end - dt.timedelta(days=1)))
        years.update(range(_census_year_of(start), final + 1))
    return sorted(years, reverse=True)


def exports_for(scope: Scope) -> QuerySet[CensusExport]:
    return scope.records(CensusExport.objects.all(), team=None).select_related("exported_by")


def snapshot_for(scope: Scope, year: int) -> dict[str, object] | None:
    """The year's figures as an imported return gave them, with how many worker records it
    kept items for and their cases at 30 September; None when no return was imported."""
    snapshot = scope.records(CensusSnapshot.objects.filter(year=year), team=None).first()
    if snapshot is None:
        return None
    rows = list(snapshot.workers.values_list("cases30", flat=True))
    return {
        "snapshot": snapshot,
        "workers": len(rows),
        "cases30": sum(n or 0 for n in rows),
    }
