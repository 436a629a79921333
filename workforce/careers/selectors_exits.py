"""Reads about leavers: exit interviews, their themes counted over time, and returners.

Counts of leavers follow the team's history: a team manager counts the leavings recorded against
their teams (`Leaving.team`, the team of the main post on the last day). Interviews as records
about a person follow the person (the team rule registered for `ExitInterview`): a manager opens
only the interviews of people still in their teams. Users who may not see people (board members,
analysts) get every count from 1 to 4 withheld (`core.suppression`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import altair as alt
from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import ExtractQuarter, ExtractYear

from workforce.careers.models.exits import ExitInterview, ExitOutcome, ExitTheme
from workforce.core.access import AUTHORITY_WIDE, Capability, Scope
from workforce.core.dates import day_text
from workforce.core.suppression import SMALL_NUMBER, suppress, withheld
from workforce.core.tables import Column, Kind, Table
from workforce.establishment.models import Engagement, Leaving, Worker

YEAR, QUARTER = "year", "quarter"
QUARTER_MONTHS = {1: "January to March", 2: "April to June", 3: "July to September",
                  4: "October to December"}  # fmt: skip
LEAVERS, INTERVIEWED = "leavers", "interviewed"
THEME_NOTE = (
    "Each leaver interviewed is counted once under every theme they gave, so the themes add up "
    "to more than the leavers interviewed. Leavers are counted by the date of their last day."
)


def themes(scope: Scope, *, offered_only: bool = False) -> QuerySet[ExitTheme]:
    found = ExitTheme.objects.filter(authority=scope.authority)
    return found.filter(is_active=True) if offered_only else found


def theme(scope: Scope, theme_id: int) -> ExitTheme:
    return scope.get(ExitTheme.objects.all(), team=AUTHORITY_WIDE, pk=theme_id)


def interviews(scope: Scope) -> QuerySet[ExitInterview]:
    """The interviews this user may open, newest first, with what their list shows."""
    return (
        scope.records(ExitInterview.objects.all())
        .select_related("worker", "leaving")
        .prefetch_related(Prefetch("themes", queryset=ExitTheme.objects.order_by("order")))
    )


def interview(scope: Scope, interview_id: int) -> ExitInterview:
    return scope.get(interviews(scope), pk=interview_id)


def leavings(scope: Scope) -> QuerySet[Leaving]:
    """The leavings counted for this user: their teams' history for a team manager."""
    return scope.records(Leaving.objects.all(), team="team")


def _board(scope: Scope) -> bool:
    return not scope.can(Capability.VIEW_PEOPLE)


def _finish(scope: Scope, table: Table) -> Table:
    return suppress(table, below=SMALL_NUMBER) if _board(scope) else table


# --- Themes over time -------------------------------------------------------------------------


def _period(by: str, year: int, quarter: int) -> tuple[tuple[int, int], str]:
    if by == QUARTER:
        return (year, quarter), f"{QUARTER_MONTHS[quarter]} {year}"
    return (year, 0), str(year)


def theme_columns(offered: list[ExitTheme]) -> list[Column]:
    return [Column(f"theme_{t.pk}", t.label, Kind.COUNT, suppressible=True) for t in offered]


def themes_over_time(scope: Scope, *, by: str = YEAR, on: dt.date | None = None) -> Table:
    """Leavers, leavers interviewed and each theme's count, by year or quarter of leaving."""
    on = on or scope.today
    by = QUARTER if by == QUARTER else YEAR
    left = leavings(scope).filter(last_day__lte=on)
    leavers: dict[tuple[int, int], int] = defaultdict(int)
    for row in (
        left.annotate(year=ExtractYear("last_day"), quarter=ExtractQuarter("last_day"))
        .values("year", "quarter")
        .annotate(n=Count("pk"))
    ):
        leavers[_period(by, row["year"], row["quarter"])[0]] += row["n"]
    asked = ExitInterview.objects.filter(outcome=ExitOutcome.LEFT, leaving__in=left)
    asked = asked.annotate(
        year=ExtractYear("leaving__last_day"), quarter=ExtractQuarter("leaving__last_day")
    )
    interviewed: dict[tuple[int, int], int] = defaultdict(int)
    for row in asked.values("year", "quarter").annotate(n=Count("pk")):
        interviewed[_period(by, row["year"], row["quarter"])[0]] += row["n"]
    counts: dict[tuple[tuple[int, int], int], int] = defaultdict(int)
    given = asked.filter(themes__isnull=False)
    for row in given.values("year", "quarter", "themes").annotate(n=Count("pk")):
        counts[(_period(by, row["year"], row["quarter"])[0], row["themes"])] += row["n"]
    used = {theme_id for _, theme_id in counts}
    shown = [t for t in themes(scope) if t.is_active or t.pk in used]
    keys = sorted(set(leavers) | set(interviewed))
    columns = [
        Column("period", "Year" if by == YEAR else "Quarter"),
        Column(LEAVERS, "Leavers", Kind.COUNT, suppressible=True),
        Column(INTERVIEWED, "Leavers interviewed", Kind.COUNT, suppressible=True),
        *theme_columns(shown),
    ]
    rows: list[list[Any]] = []
    for key in keys:
        label = _period(by, key[0], key[1] or 1)[1]
        rows.append([label, leavers[key], interviewed[key], *(counts[(key, t.pk)] for t in shown)])
    totals: list[Any] = ["Total", *(sum(r[i] for r in rows) for i in range(1, len(columns)))]
    table = Table(
        f"Exit interview themes by {'year' if by == YEAR else 'quarter'} of leaving",
        columns,
        rows,
        totals=totals if rows else None,
        notes=[THEME_NOTE],
        key="themes-over-time",
        empty="No leavers are recorded yet.",
    )
    return _finish(scope, table)


def themes_chart(table: Table) -> dict[str, Any]:
    """A stacked bar chart of the themes by period (Vega-Lite, data inline). Withheld counts are
    left out of its data, and the description says so."""
    theme_keys = [c for c in table.columns if c.key.startswith("theme_")]
    values = []
    left_out = False
    for row in table.rows:
        for column in theme_keys:
            value = row[table.index(column.key)]
            if withheld(value):
                left_out = True
                continue
            if value:
                values.append({"period": row[0], "theme": column.label, "count": value})
    order = [row[0] for row in table.rows]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            x=alt.X("period:N", title=table.columns[0].label, sort=order),
            y=alt.Y("count:Q", title="Leavers giving the theme", axis=alt.Axis(format=",.0f")),
            color=alt.Color("theme:N", title="Theme", legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("period:N", title=table.columns[0].label),
                alt.Tooltip("theme:N", title="Theme"),
                alt.Tooltip("count:Q", title="Leavers", format=",.0f"),
            ],
        )
        .properties(width="container", height=280, title=table.title)
    )
    spec = json.loads(chart.to_json())
    spec["description"] = chart_summary(table) + (
        " Counts from 1 to 4 are not shown in the chart." if left_out else ""
    )
    return spec


def chart_summary(table: Table) -> str:
    """The chart in a sentence: the most given theme over the whole period."""
    if table.totals is None:
        return "No leavers are recorded yet."
    theme_keys = [c for c in table.columns if c.key.startswith("theme_")]
    shown = [
        (table.totals[table.index(c.key)], c.label)
        for c in theme_keys
        if not withheld(table.totals[table.index(c.key)])
    ]
    if not shown or max(shown)[0] == 0:
        return "No themes were recorded in exit interviews."
    count, label = max(shown, key=lambda s: (s[0], s[1]))
    return f"The theme leavers gave most often was {label.lower()} ({count:,} leavers)."


# --- Why people leave in the year to a date -----------------------------------------------------


@dataclass(frozen=True)
class YearOfLeavers:
    on: dt.date
    start: dt.date  # the first day of the year to `on`
    table: Table  # each theme's count, with leavers and leavers interviewed as notes' figures
    leavers: Any
    interviewed: Any


def year_start(on: dt.date) -> dt.date:
    try:
        return on.replace(year=on.year - 1) + dt.timedelta(days=1)
    except ValueError:  # 29 February
        return dt.date(on.year - 1, 3, 1)


def why_people_leave(scope: Scope, *, on: dt.date, board: bool | None = None) -> YearOfLeavers:
    """Each theme's count among the leavers interviewed whose last day fell in the year to `on`.

    `board` (default: the user may not see people) withholds counts from 1 to 4 and whatever
    would give them away."""
    start = year_start(on)
    left = leavings(scope).filter(last_day__gte=start, last_day__lte=on)
    asked = ExitInterview.objects.filter(outcome=ExitOutcome.LEFT, leaving__in=left)
    counts = dict(asked.filter(themes__isnull=False).values_list("themes").annotate(n=Count("pk")))
    shown = [t for t in themes(scope) if t.is_active or t.pk in counts]
    leavers, interviewed = left.count(), asked.count()
    table = Table(
        f"Themes leavers gave in exit interviews, {day_text(start)} to {day_text(on)}",
        [
            Column("theme", "Theme"),
            Column("leavers", "Leavers giving it", Kind.COUNT, suppressible=True),
        ],
        [[t.label, counts.get(t.pk, 0)] for t in shown],
        notes=[
            "Each leaver interviewed is counted once under every theme they gave, so the "
            "themes add up to more than the leavers interviewed."
        ],
        key="why-people-leave",
        empty="No exit themes are set up.",
    )
    summary = Table(
        "Leavers",
        [Column("what", "What"), Column("n", "People", Kind.COUNT, suppressible=True)],
        [["Leavers", leavers], ["Leavers interviewed", interviewed]],
    )
    if _board(scope) if board is None else board:
        table = suppress(table, below=SMALL_NUMBER)
        summary = suppress(summary, below=SMALL_NUMBER)
    return YearOfLeavers(
        on=on,
        start=start,
        table=table,
        leavers=summary.rows[0][1],
        interviewed=summary.rows[1][1],
    )


def year_sentence(year: YearOfLeavers) -> str:
    """The year's leavers and how many were interviewed, in words (withheld counts as [c])."""
    people = Column("n", "People", Kind.COUNT)
    return (
        f"Between {day_text(year.start)} and {day_text(year.on)}, {people.text(year.leavers)} "
        f"{'person' if year.leavers == 1 else 'people'} left and {people.text(year.interviewed)} "
        "of them had an exit interview."
    )


# --- Returners --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Returner:
    worker: Worker  # the person employed again
    former: Worker  # the record they left under (the same person, or the same SWE number)
    leaving: Leaving
    returned_on: dt.date  # the first day of the new engagement
    post: str
    team: str

    @property
    def same_record(self) -> bool:
        return self.worker.pk == self.former.pk

    @property
    def gap_days(self) -> int:
        """Days between the last day and the first day back, neither counted."""
        return (self.returned_on - self.leaving.last_day).days - 1

    @property
    def gap_months(self) -> int:
        """Whole calendar months from the day after the last day to the first day back."""
        away = self.leaving.last_day + dt.timedelta(days=1)
        months = (self.returned_on.year - away.year) * 12 + self.returned_on.month - away.month
        if self.returned_on.day < away.day:
            months -= 1
        return max(months, 0)


def _swe(value: str) -> str:
    return "".join(value.split()).upper()


def returners(scope: Scope) -> list[Returner]:
    """Former workers appointed again: the same person with an authority engagement starting
    after a leaving, or a new record with the Social Work England number of someone who left.

    Each leaving is matched with the first engagement that starts after its last day (of the
    same record, or else of another record with the same number). The list holds the people
    this user may open, most recent return first."""
    authority_leavings = list(
        Leaving.objects.filter(authority=scope.authority)
        .select_related("worker")
        .order_by("last_day", "pk")
    )
    if not authority_leavings:
        return []
    starts = list(
        Engagement.objects.filter(authority=scope.authority)
        .employed()
        .select_related("worker", "post__team")
        .order_by("start", "pk")
    )
    by_worker: dict[int, list[Engagement]] = defaultdict(list)
    by_swe: dict[str, list[Engagement]] = defaultdict(list)
    for engagement in starts:
        by_worker[engagement.worker_id].append(engagement)
        if engagement.worker.swe_number:
            by_swe[_swe(engagement.worker.swe_number)].append(engagement)
    found: list[Returner] = []
    for leaving in authority_leavings:
        later = [e for e in by_worker[leaving.worker_id] if e.start > leaving.last_day]
        if not later and leaving.worker.swe_number:
            number = _swe(leaving.worker.swe_number)
            later = [
                e
                for e in by_swe[number]
                if e.worker_id != leaving.worker_id
                and e.start > leaving.last_day
                # Their first engagement: a new record for the same person starts after it.
                and by_worker[e.worker_id][0].pk == e.pk
            ]
        if not later:
            continue
        back = later[0]
        found.append(
            Returner(
                worker=back.worker,
                former=leaving.worker,
                leaving=leaving,
                returned_on=back.start,
                post=back.post.reference,
                team=back.post.team.name,
            )
        )
    # A leaving followed by another leaving before the return is not a return of the first.
    found = [
        r
        for r in found
        if not any(
            other.worker_id == r.former.pk and r.leaving.last_day < other.last_day < r.returned_on
            for other in authority_leavings
        )
    ]
    reachable = set(scope.records(Worker.objects.filter(pk__in={r.worker.pk for r in found}))
                    .values_list("pk", flat=True))  # fmt: skip
    found = [r for r in found if r.worker.pk in reachable]
    return sorted(found, key=lambda r: (r.returned_on, r.worker.pk), reverse=True)


def returners_table(found: list[Returner]) -> Table:
    return Table(
        "Returners",
        [
            Column("name", "Name"),
            Column("staff_number", "Staff number"),
            Column("left_on", "Last day before leaving", Kind.DATE),
            Column("returned_on", "Returned on", Kind.DATE),
            Column("gap_days", "Gap (days)", Kind.COUNT, unit=""),
            Column("gap_months", "Gap (whole months)", Kind.COUNT, unit=""),
            Column("post", "Post"),
            Column("team", "Team"),
            Column("how", "Recognised by"),
        ],
        [
            [
                r.worker.full_name,
                r.worker.staff_number,
                r.leaving.last_day,
                r.returned_on,
                r.gap_days,
                r.gap_months,
                r.post,
                r.team,
                "Same staff record" if r.same_record else "Social Work England number",
            ]
            for r in found
        ],
        key="returners",
        empty="No former workers have been appointed again.",
    )


def interviews_table(found: list[ExitInterview]) -> Table:
    return Table(
        "Exit interviews",
        [
            Column("name", "Name"),
            Column("staff_number", "Staff number"),
            Column("held_on", "Interview", Kind.DATE),
            Column("notice_given_on", "Notice given", Kind.DATE),
            Column("last_day", "Last day", Kind.DATE),
            Column("outcome", "Outcome"),
            Column("themes", "Themes"),
            Column("notes", "Notes", on_page=False),
        ],
        [
            [
                i.worker.full_name,
                i.worker.staff_number,
                i.held_on,
                i.notice_given_on,
                i.leaving.last_day if i.leaving else None,
                i.get_outcome_display(),
                "; ".join(t.label for t in i.themes.all()),
                i.notes,
            ]
            for i in found
        ],
        key="exit-interviews",
        empty="No exit interviews are recorded.",
    )
