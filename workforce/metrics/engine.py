"""The SQL behind the workforce measures: a few set-based queries for any number of dates.

Every measure is built from *components* (sums and counts over intervals and events). Each
component provider runs one query that answers for every date of a `Timeline` at once:

- an interval that is active at date D (``start <= D < end``) adds its value to every date from
  the first one on or after its start up to, not including, the first one on or after its end.
  Each row therefore turns into two "deltas" in buckets (+value where it starts, -value where it
  ends); the database sums the deltas per bucket and a running total over at most a few hundred
  buckets gives the value at each date. One scan of the rows, however many dates.
- an event (a start, a leaving) counts for date D when it falls in the year to D. Events are
  summed per month bucket and a rolling window of twelve buckets gives the year to each date.

A Timeline is either consecutive month ends (a series: buckets are calendar months) or a single
date of any day (a point in time: one bucket, and a CASE expression). Both paths run the same
queries, and the tests check that they agree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection

from workforce.core.models import Authority
from workforce.establishment.models import (
    EMPLOYED_KINDS,
    Absence,
    AgencyCover,
    Engagement,
    EngagementKind,
    Leaving,
    Post,
    PostFunding,
    Role,
    Team,
)

FAR = dt.date(9999, 12, 31)  # stands in for an open end in comparisons
SICKNESS = "SIC"  # census ReasonAbsence code for sickness
A_END = 'a."end"'

ENG = Engagement._meta.db_table
POST = Post._meta.db_table
TEAM = Team._meta.db_table
ROLE = Role._meta.db_table
FUND = PostFunding._meta.db_table
LEAV = Leaving._meta.db_table
ABS = Absence._meta.db_table
AUTHORITY = Authority._meta.db_table
EMPLOYED_SQL = "(" + ", ".join(f"'{k.value}'" for k in EMPLOYED_KINDS) + ")"
AGENCY_SQL = f"'{EngagementKind.AGENCY.value}'"
VACANCY_COVER_SQL = f"'{AgencyCover.VACANCY.value}'"

Params = list[Any]
Values = dict[Any, list[Any]]  # group key -> one value per date


# Dialect: the few expressions SQLite and PostgreSQL spell differently ------------------------


def _pg() -> bool:
    return connection.vendor == "postgresql"


def month_index(expr: str) -> str:
    """Year * 12 + month of a date expression."""
    if _pg():
        year, month = f"EXTRACT(YEAR FROM {expr})", f"EXTRACT(MONTH FROM {expr})"
        return f"(CAST({year} AS INTEGER) * 12 + CAST({month} AS INTEGER))"
    return f"(CAST(substr({expr}, 1, 4) AS INTEGER) * 12 + CAST(substr({expr}, 6, 2) AS INTEGER))"


def epoch_days(expr: str) -> str:
    """Whole days since 1 January 1970."""
    if _pg():
        return f"({expr} - DATE '1970-01-01')"
    return f"CAST(ROUND(julianday({expr}) - 2440587.5) AS INTEGER)"


def date_key(expr: str) -> str:
    """A date as the integer YYYYMMDD; adding 10000 gives the same day a year later."""
    if _pg():
        return f"CAST(TO_CHAR({expr}, 'YYYYMMDD') AS INTEGER)"
    return f"CAST(REPLACE({expr}, '-', '') AS INTEGER)"


def greatest(*exprs: str) -> str:
    return f"{'GREATEST' if _pg() else 'MAX'}({', '.join(exprs)})"


def least(*exprs: str) -> str:
    return f"{'LEAST' if _pg() else 'MIN'}({', '.join(exprs)})"


def hundredths(expr: str) -> str:
    """FTE in exact integer hundredths, so sums never drift."""
    return f"CAST(ROUND({expr} * 100) AS INTEGER)"


def placeholders(values: Sequence[Any]) -> tuple[str, Params]:
    """`%s, %s, …` for an SQL IN list and its parameters; NULL (matching nothing) when empty."""
    if not values:
        return "NULL", []
    return ", ".join(["%s"] * len(values)), list(values)


def _in(values: Sequence[Any]) -> tuple[str, Params]:
    listed, params = placeholders(values)
    return f"({listed})", params


# Dates ---------------------------------------------------------------------------------------


def month_end(day: dt.date) -> dt.date:
    if day.month == 12:
        return dt.date(day.year, 12, 31)
    return dt.date(day.year, day.month + 1, 1) - dt.timedelta(days=1)


def month_ends(last: dt.date, months: int) -> list[dt.date]:
    """`months` consecutive month ends, the last being the end of `last`'s month."""
    ends = []
    year, month = last.year, last.month
    for _ in range(months):
        ends.append(month_end(dt.date(year, month, 1)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return ends[::-1]


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
    day each a year after the one before (one date, or a date and the same date last year)."""

    dates: tuple[dt.date, ...]

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

    def extended(self) -> Timeline:
        """The same timeline with a year more at its start."""
        if self.monthly_buckets:
            return Timeline.monthly(self.last, self.n + 12)
        return Timeline((same_day_last_year(self.first), *self.dates))

    def _case(self, expr: str) -> tuple[str, Params]:
        whens = " ".join(f"WHEN {expr} <= %s THEN {i}" for i in range(self.n))
        return f"(CASE {whens} ELSE {self.n} END)", list(self.dates)

    def interval_bucket(self, expr: str) -> tuple[str, Params]:
        """Index of the first date on or after the date `expr` (n when after them all)."""
        if not self.monthly_buckets:
            return self._case(expr)
        m0 = self.first.year * 12 + self.first.month
        return (
            f"(CASE WHEN {expr} <= %s THEN 0 ELSE {month_index(expr)} - %s END)",
            [self.first, m0],
        )

    def event_bucket(self, expr: str) -> tuple[str, Params]:
        """Bucket of an event date inside [first_year_start, last]; see `rolling`."""
        if not self.monthly_buckets:
            return self._case(expr)  # each date's year runs from the day after the one before
        m0 = self.first.year * 12 + self.first.month - 11
        return f"({month_index(expr)} - %s)", [m0]

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

    def dates_cte(self) -> tuple[str, Params]:
        """`d(i, ys, nd)`: each date's index, year start and the day after it."""
        rows = []
        params: Params = []
        for i, day in enumerate(self.dates):
            rows.append("(%s, %s, %s)")
            params += [i, year_start(day), day + dt.timedelta(days=1)]
        cast = "CAST(%s AS INTEGER), CAST(%s AS DATE), CAST(%s AS DATE)" if _pg() else None
        if cast:
            rows = [f"({cast})"] + rows[1:]
        return "d(i, ys, nd) AS (VALUES " + ", ".join(rows) + ")", params


MANY = 12  # authorities: beyond this, scan rather than use the authority index

# Filters -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MetricsFilter:
    """Which part of the workforce a measure covers. Census-counted roles only by default."""

    authority_ids: tuple[int, ...]
    team_ids: tuple[int, ...] | None = None
    service_area: str = ""
    role_ids: tuple[int, ...] | None = None
    org_roles: tuple[str, ...] | None = None
    census_only: bool = True
    every_authority: bool = False  # set by `components` when the ids cover every authority

    def auth_in(self, alias: str, *, indexed: bool = True) -> str:
        """The condition that a table's rows belong to the authorities (see `auth_params`):
        none at all when they are every authority, so no row is looked up in a long list."""
        if self.every_authority:
            return "1 = 1"
        column = self.indexed(alias) if indexed else f"{alias}.authority_id"
        return f"{column} IN {_in(self.authority_ids)[0]}"

    def auth_params(self) -> Params:
        return [] if self.every_authority else list(self.authority_ids)

    def indexed(self, alias: str) -> str:
        """The authority column of a table, for a condition that only narrows the rows read.

        For a few authorities the index on it is the fast way in; for many (all of England) a
        plain scan is, so `+ 0` keeps SQLite from walking the index once per authority.
        """
        return f"{alias}.authority_id" + (" + 0" if len(self.authority_ids) > MANY else "")

    def posts_sql(self, p: str = "p", t: str = "t", r: str = "r") -> tuple[str, Params]:
        """Conditions on a post, its team and its role."""
        clauses: list[str] = [self.auth_in(p, indexed=False)]
        params = self.auth_params()
        if self.team_ids is not None:
            sql, ps = _in(self.team_ids)
            clauses.append(f"{p}.team_id IN {sql}")
            params += ps
        if self.service_area:
            clauses.append(f"{t}.service_area = %s")
            params.append(self.service_area)
        if self.role_ids is not None:
            sql, ps = _in(self.role_ids)
            clauses.append(f"{p}.role_id IN {sql}")
            params += ps
        # Roles by their OrgRole through a small subquery (read once) rather than a join per row.
        on_roles = []
        if self.org_roles is not None:
            sql, ps = _in(self.org_roles)
            on_roles.append(f"org_role IN {sql}")
            params += ps
        if self.census_only:
            on_roles.append("org_role <> ''")
        if on_roles:
            clauses.append(f"{p}.role_id IN (SELECT id FROM {ROLE} WHERE {' AND '.join(on_roles)})")
        return " AND ".join(clauses), params

    def joins(self, p: str = "p", t: str = "t") -> str:
        """The join from a post to its team, when a condition needs the team."""
        return f" JOIN {TEAM} {t} ON {t}.id = {p}.team_id" if self.service_area else ""

    def leavers_sql(self, l: str = "l", t: str = "t", main_role: str = "") -> tuple[str, Params]:  # noqa: E741
        """Conditions on a Leaving: its team and OrgRole as recorded on the last day."""
        clauses: list[str] = [self.auth_in(l, indexed=False)]
        params = self.auth_params()
        if self.team_ids is not None:
            sql, ps = _in(self.team_ids)
            clauses.append(f"{l}.team_id IN {sql}")
            params += ps
        if self.service_area:
            clauses.append(f"{t}.service_area = %s")
            params.append(self.service_area)
        if self.role_ids is not None:
            sql, ps = _in(self.role_ids)
            clauses.append(f"{main_role} IN {sql}")
            params += ps
        if self.org_roles is not None:
            sql, ps = _in(self.org_roles)
            clauses.append(f"{l}.org_role IN {sql}")
            params += ps
        if self.census_only:
            clauses.append(f"{l}.org_role <> ''")
        return " AND ".join(clauses), params


GROUPS = ("team", "role")


def _group_expr(by: str | None, p: str = "p") -> str:
    if by is None:
        return "0"
    if by not in GROUPS:
        raise ValueError(f"Cannot group by {by!r}.")
    return f"{p}.{by}_id"


def _main_role(l: str = "l") -> str:  # noqa: E741
    """The role a leaver held on their last day: the post of their largest engagement then."""
    return (
        f"(SELECT mp.role_id FROM {ENG} me JOIN {POST} mp ON mp.id = me.post_id "
        f"WHERE me.worker_id = {l}.worker_id AND me.kind IN {EMPLOYED_SQL} "
        f'AND me.start <= {l}.last_day AND (me."end" IS NULL OR me."end" > {l}.last_day) '
        "ORDER BY me.fte DESC, me.start DESC, me.id DESC LIMIT 1)"
    )


def _spell_start(worker: str, on: str) -> str:
    """First day of the worker's continuous authority employment that includes `on`.

    A spell starts with an employed engagement that no earlier employed engagement of the same
    worker overlaps or meets (a team move or change of post continues the spell).
    """
    return (
        f"(SELECT MAX(q.start) FROM {ENG} q WHERE q.worker_id = {worker} "
        f"AND q.kind IN {EMPLOYED_SQL} AND q.start <= {on} AND NOT EXISTS ("
        f"SELECT 1 FROM {ENG} o WHERE o.worker_id = q.worker_id AND o.kind IN {EMPLOYED_SQL} "
        'AND o.start < q.start AND (o."end" IS NULL OR o."end" >= q.start)))'
    )


def _disjoint(rows: str, part: str, lo: str, hi: str, keep: str) -> str:
    """The rows' [lo, hi) cut so that, within each (`part`, g), none overlaps an earlier one.

    A worker absent while holding two posts at once has a piece of the absence for each; each
    day must count once. Ordered by start, a piece begins no earlier than the latest end before
    it, so what is left is the union of the pieces (a piece left empty has hi <= lo).
    """
    earlier = (
        f"MAX({hi}) OVER (PARTITION BY {part}, g ORDER BY {lo}, {hi} "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)"
    )
    return (
        f"SELECT {keep}, {greatest(lo, f'COALESCE(prior_end, {lo})')} AS {lo}, {hi} "
        f"FROM (SELECT {keep}, {lo}, {hi}, {earlier} AS prior_end FROM {rows}) ordered"
    )


def _fetch(sql: str, params: Params) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _fte(hundredths_total: Any) -> Decimal:
    """Integer hundredths as a Decimal with two places (12345 -> 123.45, 0 -> 0.00)."""
    return Decimal(int(hundredths_total or 0)).scaleb(-2)


def _groups(rows: list[tuple[Any, ...]], by: str | None) -> set[Any]:
    keys = {row[0] for row in rows}
    if by is None:
        keys.add(0)
    return keys


def _key(g: Any, by: str | None) -> Any:
    return None if by is None else g


# Components ----------------------------------------------------------------------------------

Component = dict[str, Values]
Provider = Callable[[MetricsFilter, Timeline, "str | None"], Component]


def establishment_flows(where: MetricsFilter, timeline: Timeline, by: str | None) -> Component:
    """Budgeted, employed, agency and agency-for-vacancy FTE, and vacancy FTE, at each date.

    Vacancy is worked out per role as max(budgeted - employed, 0) and summed over roles, exactly
    as the establishment table's Vacant column and its total.
    """
    posts, pparams = where.posts_sql()
    g = _group_expr(by)
    sb, sbp = timeline.interval_bucket("x.s")
    eb, ebp = timeline.interval_bucket("x.f")
    sql = f"""
        WITH x AS (
            SELECT {g} AS g, p.role_id AS role, f.start AS s, f."end" AS f,
                   {hundredths("f.fte")} AS budget, 0 AS emp, 0 AS agy, 0 AS agv
            FROM {FUND} f JOIN {POST} p ON p.id = f.post_id{where.joins()}
            WHERE {posts} AND {where.auth_in("f")}
              AND f.start <= %s AND (f."end" IS NULL OR f."end" > %s)
            UNION ALL
            SELECT {g}, p.role_id, e.start, e."end", 0,
                   CASE WHEN e.kind IN {EMPLOYED_SQL} THEN {hundredths("e.fte")} ELSE 0 END,
                   CASE WHEN e.kind = {AGENCY_SQL} THEN {hundredths("e.fte")} ELSE 0 END,
                   CASE WHEN e.kind = {AGENCY_SQL} AND e.covers = {VACANCY_COVER_SQL}
                        THEN {hundredths("e.fte")} ELSE 0 END
            FROM {ENG} e JOIN {POST} p ON p.id = e.post_id{where.joins()}
            WHERE {posts} AND {where.auth_in("e")}
              AND e.start <= %s AND (e."end" IS NULL OR e."end" > %s)
        )
        SELECT g, role, b, SUM(budget), SUM(emp), SUM(agy), SUM(agv) FROM (
            SELECT g, role, {sb} AS b, budget, emp, agy, agv FROM x
            UNION ALL
            SELECT g, role, {eb}, -budget, -emp, -agy, -agv FROM x WHERE x.f IS NOT NULL
        ) deltas GROUP BY g, role, b
    """
    auth = where.auth_params()
    window = [timeline.last, timeline.first]
    params = pparams + auth + window + pparams + auth + window + sbp + ebp
    rows = _fetch(sql, params)
    per_role: dict[tuple[Any, Any], dict[int, list[int]]] = defaultdict(dict)
    for g_, role, b, *vals in rows:
        per_role[(g_, role)][int(b)] = [int(v or 0) for v in vals]
    names = ("establishment_fte", "in_post_fte", "agency_fte", "agency_vacancy_fte")
    totals: dict[Any, list[list[int]]] = {}
    vacancy: dict[Any, list[int]] = {}
    for g_ in _groups(rows, by):
        totals[g_] = [[0] * timeline.n for _ in names]
        vacancy[g_] = [0] * timeline.n
    for (g_, _role), buckets in per_role.items():
        running = [0] * len(names)
        for i in range(timeline.n):
            for j, v in enumerate(buckets.get(i, ())):
                running[j] += v
            for j in range(len(names)):
                totals[g_][j][i] += running[j]
            vacancy[g_][i] += max(running[0] - running[1], 0)
    out: Component = {name: {} for name in (*names, "vacancy_fte")}
    for g_, cols in totals.items():
        for j, name in enumerate(names):
            out[name][_key(g_, by)] = [_fte(v) for v in cols[j]]
        out["vacancy_fte"][_key(g_, by)] = [_fte(v) for v in vacancy[g_]]
    return out


def headcounts(where: MetricsFilter, timeline: Timeline, by: str | None) -> Component:
    """Distinct workers in post (authority-employed) and agency at each date; and their service
    (days since the start of each one's continuous employment, summed).

    A worker's engagements (within the filter) are merged into unbroken stretches first, so a
    job share, a second post or a move on the same day counts a person once. For employed
    stretches the start of the worker's continuous employment gives the length of service.
    """
    posts, pparams = where.posts_sql()
    g = _group_expr(by)
    sb, sbp = timeline.interval_bucket("s")
    eb, ebp = timeline.interval_bucket("f")
    agency, agency_params, starts = "", [], ""
    if by is None:
        # Agency stretches need no spells: their starts and ends come from one ordered pass.
        ab, abp = timeline.interval_bucket("s")
        af, afp = timeline.interval_bucket("cf")
        agency = f"""
            UNION ALL
            SELECT 0, 1, {ab}, 1, 0 FROM agency_marks WHERE pf IS NULL OR s > pf
            UNION ALL
            SELECT 0, 1, {af}, -1, 0 FROM agency_marks
            WHERE (ns IS NULL OR ns > cf) AND cf < %s"""
        agency_params = abp + afp + [FAR]
        # Starters (c = 2) from the same pass: an engagement that starts its spell (see
        # `starters`); b is the event bucket, then the FTE and the number of people.
        kb, kbp = timeline.event_bucket("s")
        starts = f"""
        UNION ALL
        SELECT 0, 2, k, SUM(fte), COUNT(*) FROM (
            SELECT {kb} AS k, w, s, SUM(v) AS fte FROM numbered
            WHERE inf = 1 AND s = ss AND s >= %s GROUP BY 1, 2, 3
        ) starts GROUP BY k"""
        agency_params += kbp + [timeline.first_year_start]
    sql = _stretches_sql(where, g) if by is not None else _stretches_whole_sql(where)
    sql = f"""
        {sql}
        SELECT g, c, b, SUM(n), SUM(since) FROM (
            SELECT g, c, {sb} AS b, 1 AS n, since FROM served
            UNION ALL
            SELECT g, c, {eb}, -1, -since FROM served WHERE f < %s{agency}
        ) deltas GROUP BY g, c, b{starts}
    """
    params = (
        pparams
        + [FAR]
        + where.auth_params()
        + [timeline.last]
        + [timeline.first]
        + sbp
        + ebp
        + [FAR]
        + agency_params
    )
    rows = _fetch(sql, params)
    started = [(g_, b, fte, n) for g_, c, b, fte, n in rows if int(c) == 2]
    rows = [row for row in rows if int(row[1]) != 2]
    deltas: dict[tuple[Any, int], dict[int, list[int]]] = defaultdict(dict)
    for g_, c, b, n, since in rows:
        deltas[(g_, int(c))][int(b)] = [int(n or 0), int(since or 0)]
    out: Component = {"in_post_headcount": {}, "agency_headcount": {}, "service_days": {}}
    if by is None:
        out.update(_events(started, timeline, by, ("starters_fte", "starters_headcount")))
    epochs = [(day - dt.date(1970, 1, 1)).days for day in timeline.dates]
    for g_ in _groups(rows, by):
        for c, name in ((0, "in_post_headcount"), (1, "agency_headcount")):
            buckets = deltas.get((g_, c), {})
            counts = timeline.running({b: v[0] for b, v in buckets.items()})
            out[name][_key(g_, by)] = counts
            if c == 0:
                # Days since each one's spell began, summed: epoch * count less the sum of starts.
                sums = timeline.running({b: v[1] for b, v in buckets.items()})
                out["service_days"][_key(g_, by)] = [
                    epoch * count - total
                    for epoch, count, total in zip(epochs, counts, sums, strict=True)
                ]
    return out


def _x_sql(where: MetricsFilter, g: str) -> str:
    posts, _ = where.posts_sql()
    return f"""x AS (
            SELECT {g} AS g, CASE WHEN e.kind = {AGENCY_SQL} THEN 1 ELSE 0 END AS c,
                   CASE WHEN {posts} THEN 1 ELSE 0 END AS inf,
                   e.worker_id AS w, e.start AS s, COALESCE(e."end", %s) AS f, e.id AS id,
                   {hundredths("e.fte")} AS v
            FROM {ENG} e JOIN {POST} p ON p.id = e.post_id{where.joins()}
            WHERE {where.auth_in("e")} AND e.start <= %s
        )"""


def _stretches_sql(where: MetricsFilter, g: str) -> str:
    """`served`: stretches per group, each with its spell's start. Spells of employment need
    every employed engagement of the worker, in any post and however long ago; stretches need
    the engagements in the filter around the dates."""
    x = _x_sql(where, g)
    return f"""
        WITH {x}, spells AS (
            SELECT g, c, inf, w, s, f, id, MAX(f) OVER (
                PARTITION BY w ORDER BY s, id
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS pf
            FROM x WHERE c = 0
        ), spells_numbered AS (
            SELECT g, c, inf, w, s, f, id, SUM(CASE WHEN pf IS NULL OR s > pf THEN 1 ELSE 0 END)
                OVER (PARTITION BY w ORDER BY s, id ROWS UNBOUNDED PRECEDING) AS k
            FROM spells
        ), wanted AS (
            SELECT g, c, inf, w, s, f, id, MIN(s) OVER (PARTITION BY w, k) AS ss
            FROM spells_numbered
            UNION ALL
            SELECT g, c, inf, w, s, f, id, NULL FROM x WHERE c = 1
        ), y AS (
            SELECT g, c, w, s, f, id, ss, MAX(f) OVER (
                PARTITION BY g, c, w ORDER BY s, id
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS pf
            FROM wanted WHERE inf = 1 AND f > %s
        ), z AS (
            SELECT g, c, w, s, f, ss, SUM(CASE WHEN pf IS NULL OR s > pf THEN 1 ELSE 0 END)
                OVER (PARTITION BY g, c, w ORDER BY s, id ROWS UNBOUNDED PRECEDING) AS k
            FROM y
        ), served AS (
            SELECT g, c, MIN(s) AS s, MAX(f) AS f,
                   CASE WHEN c = 0 THEN {epoch_days("MIN(ss)")} ELSE 0 END AS since
            FROM z GROUP BY g, c, w, k
        )"""


def _stretches_whole_sql(where: MetricsFilter) -> str:
    """`served` (employed) and `agency_marks` for the whole filter.

    Employed, in two window passes: one ordered pass over each worker's engagements finds where
    both spells (all employed posts) and stretches (the filtered posts) break; a second numbers
    the stretches and carries the current spell's start. Agency, in one pass over the filtered
    engagements: a row starts a stretch when it begins after every earlier one has ended
    (`s > pf`), and ends one at `cf` (the latest end so far) when the next begins after that.
    """
    x = _x_sql(where, "0")
    return f"""
        WITH {x}, agency_marks AS (
            SELECT s,
                MAX(f) OVER (win ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS pf,
                MAX(f) OVER (win ROWS UNBOUNDED PRECEDING) AS cf,
                LEAD(s) OVER win AS ns
            FROM x WHERE c = 1 AND inf = 1
            WINDOW win AS (PARTITION BY w ORDER BY s, id)
        ), breaks AS (
            SELECT c, inf, w, s, f, id, v,
                MAX(f) OVER win AS pf,
                MAX(CASE WHEN inf = 1 THEN f END) OVER win AS pf_in
            FROM x WHERE c = 0
            WINDOW win AS (PARTITION BY c, w ORDER BY s, id
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
        ), numbered AS (
            SELECT c, inf, w, s, f, v,
                SUM(CASE WHEN inf = 1 AND (pf_in IS NULL OR s > pf_in) THEN 1 ELSE 0 END)
                    OVER win AS k,
                MAX(CASE WHEN pf IS NULL OR s > pf THEN s END) OVER win AS ss
            FROM breaks
            WINDOW win AS (PARTITION BY c, w ORDER BY s, id ROWS UNBOUNDED PRECEDING)
        ), served AS (
            SELECT 0 AS g, c, MIN(s) AS s, MAX(f) AS f,
                   CASE WHEN c = 0 THEN {epoch_days("MIN(ss)")} ELSE 0 END AS since
            FROM numbered WHERE inf = 1 AND f > %s GROUP BY c, w, k
        )"""


def starters(where: MetricsFilter, timeline: Timeline, by: str | None) -> Component:
    """Engagements that begin a spell of authority employment, in the year to each date.

    One ordered pass over each worker's employed engagements (any post) carries the start of
    the current spell; an engagement in the filter starts the spell when it starts on that
    day: no employed engagement of the worker began earlier and ran up to or past its start.
    """
    posts, pparams = where.posts_sql()
    g = _group_expr(by)
    kb, kbp = timeline.event_bucket("s")
    sql = f"""
        WITH x AS (
            SELECT {g} AS g, CASE WHEN {posts} THEN 1 ELSE 0 END AS inf, e.worker_id AS w,
                   e.start AS s, COALESCE(e."end", %s) AS f, e.id AS id,
                   {hundredths("e.fte")} AS v
            FROM {ENG} e JOIN {POST} p ON p.id = e.post_id{where.joins()}
            WHERE {where.auth_in("e")}
              AND e.kind IN {EMPLOYED_SQL} AND e.start <= %s
        ), spells AS (
            SELECT g, inf, w, s, id, v, MAX(f) OVER (
                PARTITION BY w ORDER BY s, id
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS pf
            FROM x
        ), marked AS (
            SELECT g, inf, w, s, v, MAX(CASE WHEN pf IS NULL OR s > pf THEN s END) OVER (
                PARTITION BY w ORDER BY s, id ROWS UNBOUNDED PRECEDING) AS ss
            FROM spells
        )
        SELECT g, k, SUM(fte), COUNT(*) FROM (
            SELECT g, {kb} AS k, w, s, SUM(v) AS fte FROM marked
            WHERE inf = 1 AND s = ss AND s >= %s
            GROUP BY 1, 2, 3, 4
        ) starts GROUP BY g, k
    """
    params = (
        pparams + [FAR] + where.auth_params() + [timeline.last] + kbp + [timeline.first_year_start]
    )
    return _events(_fetch(sql, params), timeline, by, ("starters_fte", "starters_headcount"))


def leavers(where: MetricsFilter, timeline: Timeline, by: str | None) -> Component:
    """Leavings in the year to each date, and those within twelve months of starting."""
    main_role = _main_role("l")
    conditions, cparams = where.leavers_sql(main_role=main_role)
    g = {"team": "l.team_id", "role": main_role, None: "0"}[by]
    kb, kbp = timeline.event_bucket("l.last_day")
    team_join = f" LEFT JOIN {TEAM} t ON t.id = l.team_id" if where.service_area else ""
    early = (
        f"{date_key(_spell_start('l.worker_id', 'l.last_day'))} + 10000 > {date_key('l.last_day')}"
    )
    sql = f"""
        SELECT g, k, SUM(fte), COUNT(*), SUM(fte * early), SUM(early)
        FROM (
            SELECT {g} AS g, {kb} AS k, {hundredths("l.fte")} AS fte,
                   CASE WHEN {early} THEN 1 ELSE 0 END AS early
            FROM {LEAV} l{team_join}
            WHERE {conditions} AND l.last_day >= %s AND l.last_day <= %s
        ) leavings GROUP BY g, k
    """
    params = kbp + cparams + [timeline.first_year_start, timeline.last]
    return _events(
        _fetch(sql, params),
        timeline,
        by,
        ("leavers_fte", "leavers_headcount", "early_leavers_fte", "early_leavers_headcount"),
    )


def _events(
    rows: list[tuple[Any, ...]], timeline: Timeline, by: str | None, names: tuple[str, ...]
) -> Component:
    buckets: dict[Any, dict[int, list[int]]] = defaultdict(dict)
    for g_, k, *vals in rows:
        buckets[g_][int(k)] = [int(v or 0) for v in vals]
    out: Component = {name: {} for name in names}
    for g_ in _groups(rows, by):
        for j, name in enumerate(names):
            totals = timeline.rolling({k: v[j] for k, v in buckets.get(g_, {}).items()})
            out[name][_key(g_, by)] = [_fte(t) if name.endswith("_fte") else t for t in totals]
    return out


def sickness(where: MetricsFilter, timeline: Timeline, by: str | None) -> Component:
    """Working days lost to sickness by authority employees in the year to each date.

    An absence's days are shared out evenly over its calendar days, and a day counts where the
    worker's engagement in the filtered posts covers it. So the days in a year are a running
    total: each piece (absence within engagement) adds `rate` per day from its first day to its
    end. Running sums of `rate` and `rate * day` per bucket give the total up to any date in one
    pass; the year to D is the total up to D less the total up to a year before. An absence
    still open has no length yet: it counts as running up to each date (a small second query).
    """
    posts, pparams = where.posts_sql()
    g = _group_expr(by)
    auth = where.auth_params()
    ext = timeline.extended()
    origin = ext.first
    lo = greatest("a.start", "e.start")
    hi = least('a."end"', 'COALESCE(e."end", %s)')
    length = f"{epoch_days(A_END)} - {epoch_days('a.start')}"
    rate = f"(1.0 * a.working_days_lost / ({length}))"

    origin_days = (origin - dt.date(1970, 1, 1)).days
    sb, sbp = ext.interval_bucket("lo")
    eb, ebp = ext.interval_bucket("hi")
    closed_sql = f"""
        WITH joined AS (
            SELECT {g} AS g, a.id AS aid, {lo} AS lo, {hi} AS hi, {rate} AS rate
            FROM {ABS} a
                 JOIN {ENG} e ON e.worker_id = a.worker_id
                 JOIN {POST} p ON p.id = e.post_id{where.joins()}
            WHERE {posts} AND {where.auth_in("a")}
              AND {where.auth_in("e")}
              AND a.reason = %s AND e.kind IN {EMPLOYED_SQL} AND a."end" IS NOT NULL
              AND a.start <= %s AND a."end" > %s
              AND e.start < a."end" AND (e."end" IS NULL OR e."end" > a.start)
        ), merged AS (
            {_disjoint("joined", "aid", "lo", "hi", "g, rate")}
        ), pieces AS (
            SELECT g, lo, hi, rate, {epoch_days("lo")} - %s AS lo_d, {epoch_days("hi")} - %s AS hi_d
            FROM merged WHERE hi > lo
        )
        SELECT g, b, SUM(r), SUM(rx) FROM (
            SELECT g, {sb} AS b, rate AS r, rate * lo_d AS rx FROM pieces
            UNION ALL
            SELECT g, {eb}, -rate, -rate * hi_d FROM pieces
        ) deltas GROUP BY g, b
    """
    closed_params = (
        [FAR]
        + pparams
        + auth
        + auth
        + [SICKNESS, timeline.last, ext.first]
        + [origin_days, origin_days]
        + sbp
        + ebp
    )
    rows = _fetch(closed_sql, closed_params)
    values: dict[Any, list[Decimal]] = {}
    for g_ in _groups(rows, by):
        values[_key(g_, by)] = [Decimal("0.00")] * timeline.n
    buckets: dict[Any, dict[int, tuple[Any, Any]]] = defaultdict(dict)
    for g_, b, r_sum, rx_sum in rows:
        buckets[g_][int(b)] = (r_sum or 0, rx_sum or 0)
    step = ext.n - timeline.n
    for g_, by_bucket in buckets.items():
        rates = ext.running({b: Decimal(str(v[0])) for b, v in by_bucket.items()})
        weighted = ext.running({b: Decimal(str(v[1])) for b, v in by_bucket.items()})
        # Days up to and including each date: (day after - origin) * rates - weighted sums.
        upto = [
            Decimal((day + dt.timedelta(days=1) - origin).days) * rates[i] - weighted[i]
            for i, day in enumerate(ext.dates)
        ]
        for i in range(timeline.n):
            values[_key(g_, by)][i] = upto[i + step] - upto[i]
    for g_, i, days in _open_sickness(where, timeline, by):
        key = _key(g_, by)
        values.setdefault(key, [Decimal("0.00")] * timeline.n)
        values[key][int(i)] += Decimal(str(days or 0))
    return {
        "sickness_days": {
            key: [v.quantize(Decimal("0.01")) for v in vals] for key, vals in values.items()
        }
    }


def _open_sickness(
    where: MetricsFilter, timeline: Timeline, by: str | None
) -> list[tuple[Any, ...]]:
    """Sickness days of absences still open, shared over their days up to each date.

    The open absences (few) are picked out once, then set against each date. They lead the
    join (CROSS JOIN keeps SQLite from starting at the posts and reading every engagement).
    Engagements held at once are merged first, so a day counts once (see `_disjoint`).
    """
    posts, pparams = where.posts_sql()
    g = _group_expr(by)
    dates, dparams = timeline.dates_cte()
    lo = greatest("o.a_s", "o.e_s", "d.ys")
    hi = least("o.e_f", "d.nd")
    sql = f"""
        WITH {dates}, open_absences AS MATERIALIZED (
            SELECT a.id, a.worker_id, a.start, a.working_days_lost FROM {ABS} a
            WHERE {where.auth_in("a")}
              AND a.reason = %s AND a."end" IS NULL AND a.start <= %s
        ), open_joined AS MATERIALIZED (
            SELECT {g} AS g, a.id AS aid, a.start AS a_s, a.working_days_lost AS wdl,
                   e.start AS e_s, COALESCE(e."end", %s) AS e_f
            FROM open_absences a
                 CROSS JOIN {ENG} e
                 JOIN {POST} p ON p.id = e.post_id{where.joins()}
            WHERE e.worker_id = a.worker_id AND {posts} AND e.kind IN {EMPLOYED_SQL}
        ), open_pieces AS (
            {_disjoint("open_joined", "aid", "e_s", "e_f", "g, a_s, wdl")}
        )
        SELECT o.g, d.i, SUM(
            1.0 * o.wdl * ({epoch_days(hi)} - {epoch_days(lo)})
            / ({epoch_days("d.nd")} - {epoch_days("o.a_s")}))
        FROM open_pieces o
             JOIN d ON o.a_s < d.nd AND o.e_s < d.nd AND o.e_f > d.ys
        WHERE {hi} > {lo}
        GROUP BY 1, 2
    """
    params = dparams + where.auth_params() + [SICKNESS, timeline.last, FAR] + pparams
    return _fetch(sql, params)


# Caseload components register here when the caseloads app provides them.
PROVIDERS: dict[str, Provider] = {}
PROVIDES: dict[str, str] = {}  # component name -> provider name


def register_provider(name: str, provider: Provider, components: Sequence[str]) -> None:
    PROVIDERS[name] = provider
    for component in components:
        PROVIDES[component] = name


register_provider(
    "establishment",
    establishment_flows,
    ("establishment_fte", "in_post_fte", "agency_fte", "agency_vacancy_fte", "vacancy_fte"),
)
register_provider(
    "headcounts", headcounts, ("in_post_headcount", "agency_headcount", "service_days")
)
register_provider("starters", starters, ("starters_fte", "starters_headcount"))
# Providers that, for the whole filter (no grouping), also give other providers' components.
ALSO: dict[str, tuple[str, ...]] = {"headcounts": ("starters_fte", "starters_headcount")}
register_provider(
    "leavers",
    leavers,
    ("leavers_fte", "leavers_headcount", "early_leavers_fte", "early_leavers_headcount"),
)
register_provider("sickness", sickness, ("sickness_days",))


def working_days_per_year() -> int:
    return int(getattr(settings, "WORKING_DAYS_PER_YEAR", 253))


def _widest(where: MetricsFilter) -> MetricsFilter:
    """The filter marked `every_authority` when its ids cover every authority (all of England):
    then no query needs to check each row's authority."""
    if where.every_authority or len(where.authority_ids) <= MANY:
        return where
    ids, params = _in(where.authority_ids)
    missing = _fetch(f"SELECT COUNT(*) FROM {AUTHORITY} WHERE id NOT IN {ids}", params)[0][0]
    return dataclasses.replace(where, every_authority=True) if missing == 0 else where


def components(
    names: Sequence[str], *, where: MetricsFilter, timeline: Timeline, by: str | None = None
) -> Component:
    """Run each provider needed for `names` once and return every component it gives."""
    out: Component = {}
    where = _widest(where)
    providers = list(dict.fromkeys(PROVIDES[name] for name in names))
    if by is None:
        providers.sort(key=lambda provider: provider not in ALSO)
    for provider in providers:
        if all(name in out for name in names if PROVIDES[name] == provider):
            continue  # given already by a provider that works them out on the way
        out.update(PROVIDERS[provider](where, timeline, by))
    return out
