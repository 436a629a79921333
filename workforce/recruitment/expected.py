"""Expected starters: people recruitment can count on without a campaign, such as trainees on
the authority's own routes who are expected to qualify and join as newly qualified social
workers ("by September we will have grown 12 if all remain").

Recruitment does not know where they come from. Other apps register a *source* here from their
`AppConfig.ready()` (careers registers its open trainees); the recruitment reports page, its
download and the board report read every source through `expected_starters`, so the panel, the
download and the report figure `recruitment.newly_qualified.expected` are one number.

A source answers for a window `[start, end)` (the project's interval convention: `start` counted,
`end` not) with rows of route, team, month and count, one query whatever the window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from workforce.core.dates import day_text
from workforce.core.models import Authority
from workforce.core.tables import Column, Kind, Table

DAY = dt.timedelta(days=1)
NEWLY_QUALIFIED = "newly_qualified"
FIGURE = "recruitment.newly_qualified.expected"


@dataclass(frozen=True)
class ExpectedRow:
    route: str  # the route's name as people read it
    team: str
    month: dt.date  # the first day of the month they are expected
    count: int


@dataclass(frozen=True)
class Expected:
    """Who a source expects in a window: rows by route, team and month, and their total."""

    rows: list[ExpectedRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r.count for r in self.rows)


# A source: (*, authority, start, end, team_ids) -> Expected; `authority` a record or its id,
# `team_ids` None for every team.
Source = Callable[..., Expected]


@dataclass(frozen=True)
class ExpectedSource:
    key: str
    what: str  # what the people are, plural: "newly qualified social workers"
    origin: str  # where they come from: "from our own routes"
    rows: Source


SOURCES: dict[str, ExpectedSource] = {}


def register_source(source: ExpectedSource) -> ExpectedSource:
    """Add a source of expected starters (apps call this in `ready()`)."""
    SOURCES[source.key] = source
    return source


def expected_starters(
    key: str,
    *,
    authority: Authority | int,
    start: dt.date,
    end: dt.date,
    team_ids: Collection[int] | None = None,
) -> Expected:
    """The source's expected starters in `[start, end)`; nothing when no app registered it."""
    source = SOURCES.get(key)
    if source is None or end <= start:
        return Expected()
    return source.rows(authority=authority, start=start, end=end, team_ids=team_ids)


def census_window(on: dt.date) -> tuple[dt.date, dt.date]:
    """From `on` up to and including the next census date (30 September) after it: the window
    councils speak of ("by September"). On 30 September itself it is the next year's."""
    census = dt.date(on.year, 9, 30)
    if census <= on:
        census = dt.date(on.year + 1, 9, 30)
    return on, census + DAY


def sentence(total: int, *, by: dt.date, what: str, origin: str) -> str:
    """ "By 30 September 2026 we expect 12 newly qualified social workers from our own routes,
    if all remain." `by` is the last day counted."""
    if total == 0:
        return f"By {day_text(by)} we expect no {what} {origin}."
    if total == 1:
        what = what.replace("workers", "worker")
    return f"By {day_text(by)} we expect {total:,} {what} {origin}, if all remain."


def expected_table(expected: Expected, *, start: dt.date, end: dt.date) -> Table:
    """The rows by route and month, with the total: the page's table and its download."""
    last = end - DAY
    return Table(
        f"Expected newly qualified starters, {day_text(start)} to {day_text(last)}",
        [
            Column("route", "Route"),
            Column("month", "Month expected"),
            Column("team", "Team placed with"),
            Column("count", "Expected to qualify", Kind.COUNT, suppressible=True),
        ],
        [[r.route, f"{r.month:%B %Y}", r.team, r.count] for r in expected.rows],
        totals=["Total", "", "", expected.total] if expected.rows else None,
        notes=[
            "Trainees on the authority's own routes who are still training and expected to "
            "qualify in the window, if all remain. Anyone past their expected date and not yet "
            "recorded as qualified is not counted."
        ],
        empty="No trainees are expected to qualify in this window.",
    )


@dataclass(frozen=True)
class Panel:
    """A source's expected starters in the census window from a date: what the recruitment
    reports page shows, its download gives and the board report keeps."""

    source: ExpectedSource | None
    start: dt.date
    end: dt.date
    expected: Expected

    @property
    def last_day(self) -> dt.date:
        return self.end - DAY

    @property
    def total(self) -> int:
        return self.expected.total

    @property
    def sentence(self) -> str:
        if self.source is None:
            return ""
        return sentence(
            self.total, by=self.last_day, what=self.source.what, origin=self.source.origin
        )

    def table(self) -> Table:
        return expected_table(self.expected, start=self.start, end=self.end)


def panel(
    key: str, *, authority: Authority | int, on: dt.date, team_ids: Collection[int] | None = None
) -> Panel:
    start, end = census_window(on)
    found = expected_starters(key, authority=authority, start=start, end=end, team_ids=team_ids)
    return Panel(SOURCES.get(key), start, end, found)
