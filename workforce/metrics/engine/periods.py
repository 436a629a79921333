"""The dates a query answers for (`Timeline`), the year to a date, and how dates become buckets.

A Timeline is either consecutive month ends (a series: buckets are calendar months) or dates a
year apart, usually one (a point in time: one bucket per date, and a CASE expression). Both
paths run the same queries, and the tests check that they agree.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from workforce.core.periods import month_end, month_ends
from workforce.metrics.engine.sql import Named, _pg, month_index

__all__ = ["Timeline", "month_end", "month_ends", "same_day_last_year", "year_start"]


def same_day_last_year(day: dt.date) -> dt.date:
    """The same date a year earlier; a month end maps to that month's end (28 Feb -> 29 Feb)."""
    if day == month_end(day):
        return month_end(dt.date(day.year - 1, day.month, 1))
    return day.replace(year=day.year - 1)  # not a month end, so never 29 February


def year_start(day: dt.date) -> dt.date:
    """First day of the 12 months ending on `day`: 30 September 2025 gives 1 October 2024.

    For a month end the year is twelve whole calendar months (28 February 2025 gives
    1 March 2024), so a monthly series and a single date always agree.
    """
    return same_day_last_year(day) + dt.timedelta(days=1)


@dataclass(frozen=True)
class Timeline:
    """The dates a query answers for: consecutive month ends (a monthly series), or dates of any
    day each a year after the one before (one date, or a date and the same date last year).

    `prefix` names its parameters in SQL, so two timelines can share a query."""

    dates: tuple[dt.date, ...]
    prefix: str = "t"

    def __post_init__(self) -> None:
        if not self.dates:
            raise ValueError("A timeline needs at least one date.")
        if len(self.dates) > 1 and not self.monthly_buckets:
            pairs = zip(self.dates, self.dates[1:], strict=False)
            if any(before != same_day_last_year(after) for before, after in pairs):
                raise ValueError("A series must be consecutive month ends or dates a year apart.")

    @classmethod
    def single(cls, day: dt.date) -> Timeline:
        return cls((day,))

    @classmethod
    def monthly(cls, last: dt.date, months: int) -> Timeline:
        """`months` month ends up to and including the end of `last`'s month."""
        return cls(tuple(month_ends(last, months)))

    @classmethod
    def yearly(cls, last: dt.date, years: int) -> Timeline:
        dates = [last]
        for _ in range(years - 1):
            dates.append(same_day_last_year(dates[-1]))
        return cls(tuple(reversed(dates)))

    @property
    def n(self) -> int:
        return len(self.dates)

    @functools.cached_property
    def monthly_buckets(self) -> bool:
        return len(self.dates) > 1 and self.dates == tuple(month_ends(self.dates[-1], self.n))

    @property
    def first(self) -> dt.date:
        return self.dates[0]

    @property
    def last(self) -> dt.date:
        return self.dates[-1]

    @property
    def first_year_start(self) -> dt.date:
        return year_start(self.first)

    @property
    def window(self) -> int:
        """How many event buckets make up the year to one date."""
        return 12 if self.monthly_buckets else 1

    def extended(self, prefix: str = "x") -> Timeline:
        """The same timeline with a year more at its start (its parameters named `prefix`)."""
        if self.monthly_buckets:
            return Timeline(tuple(month_ends(self.last, self.n + 12)), prefix)
        return Timeline((same_day_last_year(self.first), *self.dates), prefix)

    def _case(self, expr: str) -> tuple[str, Named]:
        names = [f"{self.prefix}_{i}" for i in range(self.n)]
        whens = " ".join(f"WHEN {expr} <= %({name})s THEN {i}" for i, name in enumerate(names))
        return f"(CASE {whens} ELSE {self.n} END)", dict(zip(names, self.dates, strict=True))

    def interval_bucket(self, expr: str) -> tuple[str, Named]:
        """Index of the first date on or after the date `expr` (n when after them all)."""
        if not self.monthly_buckets:
            return self._case(expr)
        first, m0 = f"{self.prefix}_first", f"{self.prefix}_m0"
        return (
            f"(CASE WHEN {expr} <= %({first})s THEN 0 ELSE {month_index(expr)} - %({m0})s END)",
            {first: self.first, m0: self.first.year * 12 + self.first.month},
        )

    def event_bucket(self, expr: str) -> tuple[str, Named]:
        """Bucket of an event date inside [first_year_start, last]; see `rolling`."""
        if not self.monthly_buckets:
            return self._case(expr)  # each date's year runs from the day after the one before
        e0 = f"{self.prefix}_e0"
        m0 = self.first.year * 12 + self.first.month - 11
        return f"({month_index(expr)} - %({e0})s)", {e0: m0}

    def running(self, deltas: dict[int, Any]) -> list[Any]:
        """Values at each date from deltas per interval bucket."""
        total: Any = 0
        out = []
        for i in range(self.n):
            total += deltas.get(i, 0)
            out.append(total)
        return out

    def rolling(self, events: dict[int, Any]) -> list[Any]:
        """Sums over the year to each date from sums per event bucket."""
        w = self.window
        return [sum(events.get(k, 0) for k in range(i, i + w)) for i in range(self.n)]

    def dates_cte(self) -> tuple[str, Named]:
        """`d(i, ys, nd)`: each date's index, year start and the day after it."""
        rows = []
        params: Named = {}
        for i, day in enumerate(self.dates):
            ys, nd = f"{self.prefix}_ys{i}", f"{self.prefix}_nd{i}"
            if i == 0 and _pg():
                cast = f"CAST({i} AS INTEGER), CAST(%({ys})s AS DATE), CAST(%({nd})s AS DATE)"
                rows.append(f"({cast})")
            else:
                rows.append(f"({i}, %({ys})s, %({nd})s)")
            params[ys], params[nd] = year_start(day), day + dt.timedelta(days=1)
        return "d(i, ys, nd) AS (VALUES " + ", ".join(rows) + ")", params
