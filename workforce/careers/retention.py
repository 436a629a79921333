"""Retention: how long people stay in the authority's employment, and who leaves.

- Spells of employment (`spells`): one set-based query over the engagements, joined up into
  spells by the metrics engine's rule (`metrics.engine.spells`: a recorded leaving ends a spell,
  a team move does not), with the worker's qualification route. A spell counts when any of its
  engagements is in the filtered posts (census-counted roles, the user's teams).
- Kaplan–Meier curves (`survival.kaplan_meier`) of those spells as at a date, by starting cohort
  (calendar year of the start), by route and by grown-our-own against other routes. A recorded
  leaving on or before the date is the event; everyone else is censored: still employed at the
  date, or whose employment ended with no leaving recorded (censored at their last day, as the
  census figures do not count them as leavers either).
- Turnover by team and role comes from the figures layer (`metrics.selectors.breakdown`, totals
  from `measures_on`); by tenure band and route, which the engine does not group by, from one
  query by the same census rules (leavers FTE on the last day ÷ in post FTE at the date).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from workforce.careers.survival import Survival, kaplan_meier
from workforce.core import numbers
from workforce.core.dates import day_text
from workforce.core.tables import SUPPRESSED_CELL, Column, Kind, Table
from workforce.establishment.models import Route, Worker
from workforce.metrics import selectors
from workforce.metrics.engine import MetricsFilter, year_start
from workforce.metrics.engine.spells import spell_end, spell_start
from workforce.metrics.engine.sql import (
    EMPLOYED_SQL,
    ENG,
    FAR,
    LEAV,
    POST,
    _fte,
    fetch,
    hundredths,
)
from workforce.metrics.measures import ratio

WORKER = Worker._meta.db_table
DAYS_PER_YEAR = 365.25
GROWN_OUR_OWN = (Route.STEP_UP, Route.FRONTLINE, Route.APPRENTICESHIP)
GROWN_LABEL = "Grown our own (Step Up, Frontline, apprenticeship)"
OTHER_LABEL = "Other routes"
NOT_RECORDED = "Route not recorded"
COHORT_YEARS = 10  # cohorts shown one by one; earlier starts together
MILESTONES = (1, 2, 3, 5)  # years at which retention is read off each curve
SMALL_GROUP = 5  # board members see no curve or figure of a group of fewer people


# Spells --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spell:
    worker_id: int
    start: dt.date
    last_day: dt.date | None  # the last day employed, when it was on or before the date
    left: bool  # ended by a recorded leaving on or before the date
    route: str

    @property
    def cohort(self) -> int:
        return self.start.year

    @property
    def grown_our_own(self) -> bool:
        return self.route in GROWN_OUR_OWN

    def days(self, on: dt.date) -> int:
        """Days employed: to the last day, or to the date when still employed then."""
        last = self.last_day if self.last_day is not None else on
        return (last - self.start).days + 1

    def years(self, on: dt.date) -> float:
        return self.days(on) / DAYS_PER_YEAR


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def spells(where: MetricsFilter, on: dt.date) -> list[Spell]:
    """Every spell of authority employment begun on or before `on` that touched the filtered
    posts, as at `on` (one query)."""
    posts, pparams = where.posts_where()
    sql = f"""
        WITH x AS (
            SELECT e.worker_id AS w, e.start AS s, {spell_end("e")} AS f, e.id AS id,
                   CASE WHEN {posts} THEN 1 ELSE 0 END AS inf
            FROM {ENG} e JOIN {POST} p ON p.id = e.post_id{where.joins()}
            WHERE {where.auth_in("e")} AND e.kind IN {EMPLOYED_SQL} AND e.start <= %(on)s
        ), ordered AS (
            SELECT w, s, f, id, inf, MAX(f) OVER (
                PARTITION BY w ORDER BY s, id
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS pf
            FROM x
        ), marked AS (
            SELECT w, f, inf, MAX(CASE WHEN pf IS NULL OR s > pf THEN s END) OVER (
                PARTITION BY w ORDER BY s, id ROWS UNBOUNDED PRECEDING) AS ss
            FROM ordered
        ), joined AS (
            SELECT w, ss, MAX(f) AS sf, MAX(inf) AS inf FROM marked GROUP BY w, ss
        )
        SELECT j.w, j.ss, j.sf, wk.route, (
            SELECT MIN(lv.last_day) FROM {LEAV} lv
            WHERE lv.worker_id = j.w AND lv.last_day >= j.ss AND lv.last_day <= j.sf
        )
        FROM joined j JOIN {WORKER} wk ON wk.id = j.w
        WHERE j.inf = 1
        ORDER BY j.ss, j.w
    """
    rows = fetch(sql, pparams | where.auth_params() | {"on": on, "far": FAR})
    out = []
    for w, ss, sf, route, leaving in rows:
        start, end = _date(ss), _date(sf)
        if leaving is not None and _date(leaving) <= on:
            out.append(Spell(int(w), start, _date(leaving), True, route or ""))
        elif leaving is None and end != FAR and end <= on:
            # Ended with no leaving recorded: the engagement's end is the day after the last.
            out.append(Spell(int(w), start, end - dt.timedelta(days=1), False, route or ""))
        else:
            out.append(Spell(int(w), start, None, False, route or ""))
    return out


# Curves --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    curve: Survival

    @property
    def n(self) -> int:
        return self.curve.n

    @property
    def leavers(self) -> int:
        return self.curve.total_events

    def retained(self, years: float) -> float | None:
        """The share still employed `years` after starting; None when no one in the group was
        followed that long."""
        return self.curve.at(years) if self.curve.observed_to(years) else None


GROUPINGS = ("cohort", "route", "grown")
GROUPING_TITLES = {
    "cohort": "by year of starting",
    "route": "by qualification route",
    "grown": "grown our own and other routes",
}


def _cohort_key(spell: Spell, on: dt.date) -> tuple[str, str]:
    first = on.year - COHORT_YEARS + 1
    if spell.cohort < first:
        return "before", f"Started before {first}"
    return str(spell.cohort), f"Started in {spell.cohort}"


def route_group(route: str) -> tuple[str, str]:
    """A route's key and label ("none" when not recorded)."""
    if not route:
        return "none", NOT_RECORDED
    return route, str(Route(route).label) if route in Route.values else route


def _route_key(spell: Spell, on: dt.date) -> tuple[str, str]:
    return route_group(spell.route)


def _grown_key(spell: Spell, on: dt.date) -> tuple[str, str]:
    return ("grown", GROWN_LABEL) if spell.grown_our_own else ("other", OTHER_LABEL)


KEYS: dict[str, Callable[[Spell, dt.date], tuple[str, str]]] = {
    "cohort": _cohort_key,
    "route": _route_key,
    "grown": _grown_key,
}


def _order(grouping: str, key: str) -> tuple[int, str]:
    if grouping == "route":
        values = list(Route.values)
        return (values.index(key), key) if key in values else (len(values), key)
    if grouping == "cohort":
        return (0, "") if key == "before" else (1, key)
    return (0 if key == "grown" else 1, key)


def curves(all_spells: Sequence[Spell], on: dt.date, grouping: str) -> list[Group]:
    """A Kaplan–Meier curve (in years since starting) for each group of spells."""
    if grouping not in KEYS:
        raise ValueError(f"Cannot group spells by {grouping!r}.")
    grouped: dict[str, list[Spell]] = defaultdict(list)
    labels: dict[str, str] = {}
    for spell in all_spells:
        key, label = KEYS[grouping](spell, on)
        grouped[key].append(spell)
        labels[key] = label
    groups = [
        Group(
            key,
            labels[key],
            kaplan_meier([s.years(on) for s in members], [s.left for s in members]),
        )
        for key, members in grouped.items()
    ]
    if grouping == "grown":  # both sides, even when one has no one yet
        for key, label in (("grown", GROWN_LABEL), ("other", OTHER_LABEL)):
            if key not in grouped:
                groups.append(Group(key, label, kaplan_meier([], [])))
    return sorted(groups, key=lambda g: _order(grouping, g.key))


def visible(groups: Sequence[Group], board: bool) -> list[Group]:
    """The groups whose curves a reader may see: in board mode not those of 1 to 4 people."""
    return [g for g in groups if not board or g.n == 0 or g.n >= SMALL_GROUP]


# Tables --------------------------------------------------------------------------------------


def _years_text(years: float | None) -> str:
    return numbers.DASH if years is None else f"{numbers.number_text(years, 1)} years"


def curve_table(group: Group, *, key: str) -> Table:
    """The numbers of one curve: at each time someone left or was last seen."""
    c = group.curve
    rows = [
        [
            Decimal(str(round(float(c.times[i]), 4))),
            int(c.at_risk[i]),
            int(c.events[i]),
            int(c.censored[i]),
            Decimal(str(float(c.survival[i]))),
            Decimal(str(float(c.lower[i]))),
            Decimal(str(float(c.upper[i]))),
        ]
        for i in range(len(c.times))
    ]
    band = "log-log" if c.method == "log-log" else "plain"
    return Table(
        title=f"Retention: {group.label}",
        columns=[
            Column("years", "Years since starting", Kind.DECIMAL, places=2),
            Column("at_risk", "Still employed just before", Kind.COUNT),
            Column("events", "Left", Kind.COUNT),
            Column("censored", "Last seen (still employed or no leaving recorded)", Kind.COUNT),
            Column("survival", "Still employed", Kind.PERCENT),
            Column("lower", "Lower 95% limit", Kind.PERCENT),
            Column("upper", "Upper 95% limit", Kind.PERCENT),
        ],
        rows=rows,
        notes=[
            f"Kaplan–Meier estimate of {c.n} spells of employment; 95% limits by Greenwood's "
            f"variance on the {band} scale."
        ],
        key=key,
        empty="No one in this group has started yet.",
    )


def summary_table(groups: Sequence[Group], *, title: str, key: str, board: bool) -> Table:
    """Each group's people, leavers, median and retention at 1, 2, 3 and 5 years. In board mode
    a group of 1 to 4 people shows no figure at all."""
    columns = [
        Column("group", "Group"),
        Column("people", "People", Kind.COUNT, suppressible=True),
        Column("leavers", "Left", Kind.COUNT, suppressible=True),
        Column("median", "Median stay", Kind.DECIMAL, unit="years", built_on=("people",)),
    ] + [
        Column(
            f"retained_{y}",
            f"Still employed after {y} year{'s' if y > 1 else ''}",
            Kind.PERCENT,
            built_on=("people",),
        )
        for y in MILESTONES
    ]
    rows = []
    for g in groups:
        median = g.curve.median
        row: list[Any] = [
            g.label,
            g.n,
            g.leavers,
            None if median is None else Decimal(str(round(median, 4))),
            *[_decimal(g.retained(y)) for y in MILESTONES],
        ]
        if board and 0 < g.n < SMALL_GROUP:
            row = [g.label, *[SUPPRESSED_CELL] * (len(columns) - 1)]
        rows.append(row)
    notes = [
        "Median stay: the time by which half had left (– while more than half are still "
        "employed). Still employed after a number of years: the Kaplan–Meier estimate, – when "
        "no one in the group has been followed that long."
    ]
    if board:
        notes.append(
            f"[c]: a group of fewer than {SMALL_GROUP} people; its figures are not shown so "
            "that no one can be identified."
        )
    return Table(title=title, columns=columns, rows=rows, notes=notes, key=key)


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# Grown our own -------------------------------------------------------------------------------


def grown_our_own_sentence(groups: Sequence[Group], board: bool = False) -> str:
    """Do grown-our-own routes stay longer? The answer in one plain sentence, with the numbers:
    the medians where both are reached, else retention after two years."""
    by_key = {g.key: g for g in groups}
    grown, other = by_key.get("grown"), by_key.get("other")
    if grown is None or other is None or not grown.n or not other.n:
        return (
            "There are not yet people from both grown-our-own routes (Step Up, Frontline, "
            "apprenticeship) and other routes to compare."
        )
    if board and (grown.n < SMALL_GROUP or other.n < SMALL_GROUP):
        return (
            "Grown-our-own routes and other routes cannot be compared in a board paper: one of "
            f"the groups has fewer than {SMALL_GROUP} people."
        )
    people = (
        f"({grown.n} grown-our-own spells of employment, {grown.leavers} ended by leaving; "
        f"{other.n} from other routes, {other.leavers} ended by leaving)"
    )
    gm, om = grown.curve.median, other.curve.median
    if gm is not None and om is not None:
        gmt, omt = _years_text(gm), _years_text(om)
        if gmt == omt:
            opening = "Grown-our-own starters stay about as long as others"
        elif gm > om:
            opening = "Yes: grown-our-own starters stay longer than others"
        else:
            opening = "No: grown-our-own starters stay less long than others"
        return (
            f"{opening}: half had left by {gmt} after starting, against {omt} for other "
            f"routes {people}."
        )
    g2, o2 = grown.retained(2), other.retained(2)
    if g2 is None or o2 is None:
        return (
            "It is too early to say: not everyone compared has been followed for two years, and "
            f"fewer than half of either group have left {people}."
        )
    g2t, o2t = numbers.percent_text(g2, 0), numbers.percent_text(o2, 0)
    if g2t == o2t:
        opening = "Grown-our-own starters stay about as long as others"
    elif g2 > o2:
        opening = "Yes: grown-our-own starters stay longer than others"
    else:
        opening = "No: grown-our-own starters stay less long than others"
    return (
        f"{opening}: {g2t} were still employed two years after starting, against {o2t} for "
        f"other routes {people}."
    )


# Turnover ------------------------------------------------------------------------------------

TURNOVER_KEYS = (
    "in_post_headcount",
    "in_post_fte",
    "leavers_headcount",
    "leavers_fte",
    "turnover_rate_fte",
    "early_leavers_headcount",
    "stability_index",
)
TENURE_BANDS = (
    ("under_1", "Under 1 year"),
    ("1_2", "1 to 2 years"),
    ("2_5", "2 to 5 years"),
    ("5_plus", "5 years or more"),
)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def tenure_band(spell_began: dt.date, year_began: dt.date) -> str:
    """The length of continuous service at the start of the year (under 1 year for those who
    started during it)."""
    for years, key in ((1, "under_1"), (2, "1_2"), (5, "2_5")):
        if _add_years(spell_began, years) > year_began:
            return key
    return "5_plus"


@dataclass
class TurnoverRow:
    key: str
    label: str
    in_post_headcount: int = 0
    in_post_fte: Decimal = Decimal("0.00")
    leavers_headcount: int = 0
    leavers_fte: Decimal = Decimal("0.00")

    @property
    def turnover_rate_fte(self) -> Decimal | None:
        return ratio(self.leavers_fte, self.in_post_fte)


def turnover_by(where: MetricsFilter, on: dt.date) -> dict[str, list[TurnoverRow]]:
    """In post at `on` and leavers in the year to it, by tenure band at the start of the year
    and by route: one query giving each person in post with their FTE and each leaving with its
    FTE on the last day (both in the filtered posts), with the start of their spell."""
    posts, pparams = where.posts_where()
    began = year_start(on)
    sql = f"""
        SELECT 0, e.worker_id, wk.route, SUM({hundredths("e.fte")}),
               {spell_start("e.worker_id", "%(on)s")}
        FROM {ENG} e JOIN {POST} p ON p.id = e.post_id{where.joins()}
             JOIN {WORKER} wk ON wk.id = e.worker_id
        WHERE {posts} AND {where.auth_in("e")} AND e.kind IN {EMPLOYED_SQL}
          AND e.start <= %(on)s AND (e."end" IS NULL OR e."end" > %(on)s)
        GROUP BY e.worker_id, wk.route
        UNION ALL
        SELECT 1, l.worker_id, wk.route, SUM({hundredths("e.fte")}),
               {spell_start("l.worker_id", "l.last_day")}
        FROM (
            SELECT DISTINCT l.worker_id, l.last_day FROM {LEAV} l
            WHERE {where.auth_in("l")} AND l.last_day >= %(year_start)s
              AND l.last_day <= %(on)s
        ) l JOIN {ENG} e ON e.worker_id = l.worker_id
            JOIN {POST} p ON p.id = e.post_id{where.joins()}
            JOIN {WORKER} wk ON wk.id = l.worker_id
        WHERE {posts} AND e.kind IN {EMPLOYED_SQL}
          AND e.start <= l.last_day AND (e."end" IS NULL OR e."end" > l.last_day)
        GROUP BY l.worker_id, l.last_day, wk.route
    """
    params = pparams | where.auth_params() | {"on": on, "year_start": began, "far": FAR}
    bands = {key: TurnoverRow(key, label) for key, label in TENURE_BANDS}
    routes: dict[str, TurnoverRow] = {}
    for kind, _w, route, fte, ss in fetch(sql, params):
        route_key, route_label = route_group(route or "")
        band = tenure_band(_date(ss), began) if ss is not None else "under_1"
        for row in (
            bands[band],
            routes.setdefault(route_key, TurnoverRow(route_key, route_label)),
        ):
            if int(kind) == 0:
                row.in_post_headcount += 1
                row.in_post_fte += _fte(fte)
            else:
                row.leavers_headcount += 1
                row.leavers_fte += _fte(fte)
    ordered = sorted(routes.values(), key=lambda r: _order("route", r.key))
    return {"tenure": list(bands.values()), "route": ordered}


@dataclass
class Turnover:
    on: dt.date
    totals: dict[str, Any]
    parts: dict[str, Any]  # the components behind the totals (stable headcount and the rest)
    by_team: list[selectors.BreakdownRow]
    by_role: list[selectors.BreakdownRow]
    by_tenure: list[TurnoverRow]
    by_route: list[TurnoverRow]


def turnover(where: MetricsFilter, on: dt.date) -> Turnover:
    whole = selectors.measures_on(where=where, on=on, keys=TURNOVER_KEYS)
    grouped = turnover_by(where, on)
    return Turnover(
        on=on,
        totals=whole.at(0),
        parts={name: values[0] for name, values in whole.parts.items()},
        by_team=selectors.breakdown(where=where, on=on, by="team", keys=TURNOVER_KEYS),
        by_role=selectors.breakdown(where=where, on=on, by="role", keys=TURNOVER_KEYS),
        by_tenure=grouped["tenure"],
        by_route=grouped["route"],
    )


def _turnover_columns(first: str, *, more: bool) -> list[Column]:
    columns = [
        Column("group", first),
        Column("in_post_headcount", "In post", Kind.COUNT, suppressible=True),
        Column("in_post_fte", "In post FTE", Kind.FTE, built_on=("in_post_headcount",)),
        Column("leavers_headcount", "Leavers", Kind.COUNT, suppressible=True),
        Column("leavers_fte", "Leavers FTE", Kind.FTE, built_on=("leavers_headcount",)),
        Column(
            "turnover_rate_fte",
            "Turnover rate",
            Kind.PERCENT,
            built_on=("leavers_headcount", "in_post_headcount"),
        ),
    ]
    if more:
        columns += [
            Column(
                "early_leavers_headcount",
                "Left within 12 months of starting",
                Kind.COUNT,
                suppressible=True,
            ),
            Column(
                "stability_index", "Stability index", Kind.PERCENT, built_on=("in_post_headcount",)
            ),
        ]
    return columns


TURNOVER_NOTE = (
    "Turnover rate: leavers FTE in the 12 months to the date (the FTE they held on their last "
    "day) ÷ in post FTE at the date, the DfE definition. Stability index: people in post with "
    "over a year's continuous service ÷ people in post."
)


def turnover_tables(t: Turnover) -> dict[str, Table]:
    """The turnover breakdowns as tables, each with the whole as its totals row (the figures of
    the dashboard for the same filter: people in two teams count in both, so rows can add up to
    more than the whole)."""
    keys = [c.key for c in _turnover_columns("", more=True)][1:]
    totals_more = ["All", *[t.totals.get(k) for k in keys]]
    totals = totals_more[:6]
    tables = {}
    for key, title, rows in (
        ("team", "Turnover by team", t.by_team),
        ("role", "Turnover by role", t.by_role),
    ):
        tables[key] = Table(
            title=f"{title}, 12 months to {_day(t.on)}",
            columns=_turnover_columns(key.capitalize(), more=True),
            rows=[[r.label, *[r.values.get(k) for k in keys]] for r in rows],
            totals=totals_more,
            notes=[TURNOVER_NOTE],
            key=f"turnover-{key}",
        )
    for key, title, first, trows in (
        (
            "tenure",
            "Turnover by length of service at the start of the year",
            "Length of service",
            t.by_tenure,
        ),
        ("route", "Turnover by qualification route", "Route", t.by_route),
    ):
        tables[key] = Table(
            title=f"{title}, 12 months to {_day(t.on)}",
            columns=_turnover_columns(first, more=False),
            rows=[
                [
                    r.label,
                    r.in_post_headcount,
                    r.in_post_fte,
                    r.leavers_headcount,
                    r.leavers_fte,
                    r.turnover_rate_fte,
                ]
                for r in trows
            ],
            totals=totals,
            notes=[
                TURNOVER_NOTE,
                "Length of service is that of each person's continuous employment at the start "
                "of the 12 months; those who started during them are under 1 year.",
            ],
            key=f"turnover-{key}",
        )
    return tables


def _day(on: dt.date) -> str:
    return day_text(on)


# Charts and the page -------------------------------------------------------------------------

PALETTE = [
    "#1d70b8",
    "#d4351c",
    "#00703c",
    "#4c2c92",
    "#f47738",
    "#5694ca",
    "#85994b",
    "#912b88",
    "#28a197",
    "#6f72af",
    "#b58840",
    "#505a5f",
]


@dataclass
class CurveChart:
    id: str
    title: str
    spec: dict[str, Any]
    summary: str
    summary_table: Table
    curve_tables: list[Table]

    @property
    def spec_id(self) -> str:
        return f"{self.id}-spec"


def _summary_sentence(groups: Sequence[Group], hidden: int) -> str:
    parts = []
    for g in groups:
        if not g.n:
            parts.append(f"{g.label}: no one yet.")
            continue
        two = g.retained(2)
        median = g.curve.median
        said = f"{g.label}: {g.n} people, {g.leavers} left"
        if two is not None:
            said += f"; {numbers.percent_text(two, 0)} still employed after 2 years"
        if median is not None:
            said += f"; half had left by {_years_text(median)}"
        parts.append(said + ".")
    if hidden:
        parts.append(
            f"{hidden} group{'s' if hidden > 1 else ''} of fewer than {SMALL_GROUP} people "
            f"{'are' if hidden > 1 else 'is'} not shown."
        )
    return " ".join(parts) or "No one has started in these posts yet."


def curve_chart(grouping: str, groups: Sequence[Group], *, board: bool) -> CurveChart:
    """The curves of one grouping as a Vega-Lite step chart (built with Altair), the numbers of
    each curve as tables (not in board mode) and the groups' summary table."""
    import altair as alt

    shown = [g for g in visible(groups, board) if g.n]
    values = []
    for g in shown:
        c = g.curve
        values.append(
            {
                "group": g.label,
                "years": 0.0,
                "survival": 100.0,
                "lower": 100.0,
                "upper": 100.0,
                "at_risk": g.n,
            }
        )
        for i in range(len(c.times)):
            values.append(
                {
                    "group": g.label,
                    "years": round(float(c.times[i]), 3),
                    "survival": round(float(c.survival[i]) * 100, 1),
                    "lower": round(float(c.lower[i]) * 100, 1),
                    "upper": round(float(c.upper[i]) * 100, 1),
                    "at_risk": int(c.at_risk[i]),
                }
            )
    labels = [g.label for g in shown]
    title = f"Still employed {GROUPING_TITLES[grouping]}"
    summary = _summary_sentence(
        [g for g in groups if g in shown or not g.n], len(groups) - len(visible(groups, board))
    )
    # The values go into the spec after Altair has built and checked it: checking every point
    # against the Vega-Lite schema took most of the page's time (docs/operations.md, "Load").
    chart = (
        alt.Chart(alt.Data(name="curves"))
        .mark_line(interpolate="step-after", point=False)
        .encode(
            x=alt.X("years:Q", title="Years since starting"),
            y=alt.Y("survival:Q", title="Still employed (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "group:N",
                title=None,
                scale=alt.Scale(domain=labels, range=PALETTE[: max(len(labels), 1)]),
                legend=alt.Legend(orient="bottom", columns=2),
            ),
            tooltip=[
                alt.Tooltip("group:N", title="Group"),
                alt.Tooltip("years:Q", title="Years", format=".2f"),
                alt.Tooltip("survival:Q", title="Still employed (%)", format=".1f"),
                alt.Tooltip("lower:Q", title="Lower 95% limit (%)", format=".1f"),
                alt.Tooltip("upper:Q", title="Upper 95% limit (%)", format=".1f"),
                alt.Tooltip("at_risk:Q", title="Still employed just before"),
            ],
        )
        .properties(width="container", height=280)
    )
    spec = chart.to_dict()
    spec["data"] = {"values": values}
    spec["description"] = f"{title}. {summary}"
    summary_table = summary_table_for(grouping, groups, board=board)
    curve_tables = (
        [] if board else [curve_table(g, key=f"km-{grouping}-{g.key}") for g in groups if g.n]
    )
    return CurveChart(f"km-{grouping}", title, spec, summary, summary_table, curve_tables)


def summary_table_for(grouping: str, groups: Sequence[Group], *, board: bool) -> Table:
    return summary_table(
        groups,
        title=f"Retention {GROUPING_TITLES[grouping]}",
        key=f"summary-{grouping}",
        board=board,
    )


@dataclass
class RetentionPage:
    on: dt.date
    spells: int  # spells of employment begun by the date
    charts: list[CurveChart]
    answer: str
    turnover: Turnover
    turnover_tables: dict[str, Table]
    stability: Any
    stable: Any
    in_post: Any
    board: bool

    def tables(self) -> dict[str, Table]:
        out: dict[str, Table] = {}
        for chart in self.charts:
            out[chart.summary_table.key] = chart.summary_table
            for table in chart.curve_tables:
                out[table.key] = table
        for table in self.turnover_tables.values():
            out[table.key] = table
        return out

    @property
    def stability_withheld(self) -> bool:
        """In board mode, withheld when the people in post, those with over a year's service or
        those without are 1 to 4 (the one would give the others away)."""
        return self.board and stability_withheld(self.in_post, self.stable)


def stability_withheld(in_post: Any, stable: Any) -> bool:
    """Whether a board member is shown no stability index: the people in post, those with over
    a year's service or those without are 1 to 4 (the one would give the others away)."""
    if not isinstance(in_post, int):
        return False
    stable = stable if isinstance(stable, int) else 0
    return any(0 < n < SMALL_GROUP for n in (in_post, stable, in_post - stable))


def page(where: MetricsFilter, on: dt.date, *, board: bool) -> RetentionPage:
    """Everything the retention page and its report section show, as at `on`."""
    from workforce.core.suppression import suppress

    found = spells(where, on)
    charts = []
    answer = ""
    for grouping in GROUPINGS:
        groups = curves(found, on, grouping)
        charts.append(curve_chart(grouping, groups, board=board))
        if grouping == "grown":
            answer = grown_our_own_sentence(groups, board)
    t = turnover(where, on)
    tables = turnover_tables(t)
    if board:
        tables = {key: suppress(table, below=SMALL_GROUP) for key, table in tables.items()}
    return RetentionPage(
        on=on,
        spells=len(found),
        charts=charts,
        answer=answer,
        turnover=t,
        turnover_tables=tables,
        stability=t.totals.get("stability_index"),
        stable=t.parts.get("stable_headcount"),
        in_post=t.totals.get("in_post_headcount"),
        board=board,
    )
