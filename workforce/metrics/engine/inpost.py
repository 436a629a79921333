"""Interval components at each date: establishment, in post, agency and vacancy FTE
(`establishment_flows`), and distinct people in post and agency with their length of service
(`headcounts`, which for the whole filter also gives the starters on the way).

An interval active at date D (``start <= D < end``) adds its value to every date from the first
one on or after its start up to, not including, the first one on or after its end. Each row
therefore turns into two "deltas" in buckets (+value where it starts, -value where it ends);
the database sums the deltas per bucket and a running total over at most a few hundred buckets
gives the value at each date. One scan of the rows, however many dates.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from workforce.metrics.engine.filters import MetricsFilter
from workforce.metrics.engine.periods import Timeline
from workforce.metrics.engine.spells import spell_end
from workforce.metrics.engine.sql import (
    AGENCY_SQL,
    EMPLOYED_SQL,
    ENG,
    FAR,
    FUND,
    POST,
    VACANCY_COVER_SQL,
    Component,
    _fte,
    _group_expr,
    _groups,
    _key,
    epoch_days,
    events,
    fetch,
    hundredths,
)


def establishment_flows(where: MetricsFilter, timeline: Timeline, by: str | None) -> Component:
    """Budgeted, employed, agency and agency-for-vacancy FTE, and vacancy FTE, at each date.

    Vacancy is worked out per role as max(budgeted - employed, 0) and summed over roles, exactly
    as the establishment table's Vacant column and its total.
    """
    posts, pparams = where.posts_where()
    g = _group_expr(by)
    sb, sbp = timeline.interval_bucket("x.s")
    eb, ebp = timeline.interval_bucket("x.f")
    sql = f"""
        WITH x AS (
            SELECT {g} AS g, p.role_id AS role, f.start AS s, f."end" AS f,
                   {hundredths("f.fte")} AS budget, 0 AS emp, 0 AS agy, 0 AS agv
            FROM {FUND} f JOIN {POST} p ON p.id = f.post_id{where.joins()}
            WHERE {posts} AND {where.auth_in("f")}
              AND f.start <= %(last)s AND (f."end" IS NULL OR f."end" > %(first)s)
            UNION ALL
            SELECT {g}, p.role_id, e.start, e."end", 0,
                   CASE WHEN e.kind IN {EMPLOYED_SQL} THEN {hundredths("e.fte")} ELSE 0 END,
                   CASE WHEN e.kind = {AGENCY_SQL} THEN {hundredths("e.fte")} ELSE 0 END,
                   CASE WHEN e.kind = {AGENCY_SQL} AND e.covers = {VACANCY_COVER_SQL}
                        THEN {hundredths("e.fte")} ELSE 0 END
            FROM {ENG} e JOIN {POST} p ON p.id = e.post_id{where.joins()}
            WHERE {posts} AND {where.auth_in("e")}
              AND e.start <= %(last)s AND (e."end" IS NULL OR e."end" > %(first)s)
        )
        SELECT g, role, b, SUM(budget), SUM(emp), SUM(agy), SUM(agv) FROM (
            SELECT g, role, {sb} AS b, budget, emp, agy, agv FROM x
            UNION ALL
            SELECT g, role, {eb}, -budget, -emp, -agy, -agv FROM x WHERE x.f IS NOT NULL
        ) deltas GROUP BY g, role, b
    """
    params = pparams | where.auth_params() | sbp | ebp
    params |= {"last": timeline.last, "first": timeline.first}
    rows = fetch(sql, params)
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
    pparams = where.posts_where()[1]
    g = _group_expr(by)
    sb, sbp = timeline.interval_bucket("s")
    eb, ebp = timeline.interval_bucket("f")
    agency, agency_params, starts = "", {}, ""
    if by is None:
        # Agency stretches need no spells: their starts and ends come from one ordered pass.
        ab, abp = timeline.interval_bucket("s")
        af, afp = timeline.interval_bucket("cf")
        agency = f"""
            UNION ALL
            SELECT 0, 1, {ab}, 1, 0 FROM agency_marks WHERE pf IS NULL OR s > pf
            UNION ALL
            SELECT 0, 1, {af}, -1, 0 FROM agency_marks
            WHERE (ns IS NULL OR ns > cf) AND cf < %(far)s"""
        agency_params = abp | afp
        # Starters (c = 2) from the same pass: an engagement that starts its spell (see
        # `starters`); b is the event bucket, then the FTE and the number of people.
        kb, kbp = timeline.event_bucket("s")
        starts = f"""
        UNION ALL
        SELECT 0, 2, k, SUM(fte), COUNT(*) FROM (
            SELECT {kb} AS k, w, s, SUM(v) AS fte FROM numbered
            WHERE inf = 1 AND s = ss AND s >= %(year_start)s GROUP BY 1, 2, 3
        ) starts GROUP BY k"""
        agency_params |= kbp | {"year_start": timeline.first_year_start}
    sql = _stretches_sql(where, g) if by is not None else _stretches_whole_sql(where)
    sql = f"""
        {sql}
        SELECT g, c, b, SUM(n), SUM(since) FROM (
            SELECT g, c, {sb} AS b, 1 AS n, since FROM served
            UNION ALL
            SELECT g, c, {eb}, -1, -since FROM served WHERE f < %(far)s{agency}
        ) deltas GROUP BY g, c, b{starts}
    """
    params = pparams | where.auth_params() | sbp | ebp | agency_params
    params |= {"far": FAR, "last": timeline.last, "first": timeline.first}
    rows = fetch(sql, params)
    started = [(g_, b, fte, n) for g_, c, b, fte, n in rows if int(c) == 2]
    rows = [row for row in rows if int(row[1]) != 2]
    deltas: dict[tuple[Any, int], dict[int, list[int]]] = defaultdict(dict)
    for g_, c, b, n, since in rows:
        deltas[(g_, int(c))][int(b)] = [int(n or 0), int(since or 0)]
    out: Component = {"in_post_headcount": {}, "agency_headcount": {}, "service_days": {}}
    if by is None:
        out.update(events(started, timeline, by, ("starters_fte", "starters_headcount")))
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
    posts, _ = where.posts_where()
    return f"""x AS (
            SELECT {g} AS g, CASE WHEN e.kind = {AGENCY_SQL} THEN 1 ELSE 0 END AS c,
                   CASE WHEN {posts} THEN 1 ELSE 0 END AS inf,
                   e.worker_id AS w, e.start AS s, COALESCE(e."end", %(far)s) AS f,
                   {spell_end("e")} AS sf, e.id AS id, {hundredths("e.fte")} AS v
            FROM {ENG} e JOIN {POST} p ON p.id = e.post_id{where.joins()}
            WHERE {where.auth_in("e")} AND e.start <= %(last)s
        )"""


def _stretches_sql(where: MetricsFilter, g: str) -> str:
    """`served`: stretches per group, each with its spell's start. Spells of employment need
    every employed engagement of the worker, in any post and however long ago; stretches need
    the engagements in the filter around the dates."""
    x = _x_sql(where, g)
    return f"""
        WITH {x}, spells AS (
            SELECT g, c, inf, w, s, f, id, MAX(sf) OVER (
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
                PARTITION BY g, c, w, ss ORDER BY s, id
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS pf
            FROM wanted WHERE inf = 1 AND f > %(first)s
        ), z AS (
            SELECT g, c, w, s, f, ss, SUM(CASE WHEN pf IS NULL OR s > pf THEN 1 ELSE 0 END)
                OVER (PARTITION BY g, c, w, ss ORDER BY s, id ROWS UNBOUNDED PRECEDING) AS k
            FROM y
        ), served AS (
            SELECT g, c, MIN(s) AS s, MAX(f) AS f,
                   CASE WHEN c = 0 THEN {epoch_days("MIN(ss)")} ELSE 0 END AS since
            FROM z GROUP BY g, c, w, ss, k
        )"""


def _stretches_whole_sql(where: MetricsFilter) -> str:
    """`served` (employed) and `agency_marks` for the whole filter.

    Employed, in two window passes: one ordered pass over each worker's engagements finds where
    both spells (all employed posts) and stretches (the filtered posts) break; a second numbers
    the stretches and carries the current spell's start. A stretch that runs on over the end of
    a spell (leaving one day, rejoining the next) is cut there: its parts have different starts
    of service. Agency, in one pass over the filtered
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
                MAX(sf) OVER win AS pf,
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
            FROM numbered WHERE inf = 1 AND f > %(first)s GROUP BY c, w, ss, k
        )"""
