"""Working days lost to sickness in the year to each date (`sickness`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from workforce.metrics.engine.filters import MetricsFilter
from workforce.metrics.engine.periods import Timeline
from workforce.metrics.engine.sql import (
    ABS,
    EMPLOYED_SQL,
    ENG,
    FAR,
    POST,
    SICKNESS,
    Component,
    _group_expr,
    _groups,
    _key,
    epoch_days,
    fetch,
    greatest,
    least,
)

A_END = 'a."end"'


def sickness(where: MetricsFilter, timeline: Timeline, by: str | None) -> Component:
    """Working days lost to sickness by authority employees in the year to each date.

    An absence's days are shared out evenly over its calendar days, and a day counts where the
    worker's engagement in the filtered posts covers it. So the days in a year are a running
    total: each piece (absence within engagement) adds `rate` per day from its first day to its
    end. Running sums of `rate` and `rate * day` per bucket give the total up to any date in one
    pass; the year to D is the total up to D less the total up to a year before. An absence
    still open has no length yet: it counts as running up to each date (a small second query).
    """
    posts, pparams = where.posts_where()
    g = _group_expr(by)
    ext = timeline.extended("x")
    origin = ext.first
    lo = greatest("a.start", "e.start")
    hi = least('a."end"', 'COALESCE(e."end", %(far)s)')
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
              AND a.reason = %(sickness)s AND e.kind IN {EMPLOYED_SQL} AND a."end" IS NOT NULL
              AND a.start <= %(last)s AND a."end" > %(ext_first)s
              AND e.start < a."end" AND (e."end" IS NULL OR e."end" > a.start)
        ), merged AS (
            {_disjoint("joined", "aid", "lo", "hi", "g, rate")}
        ), pieces AS (
            SELECT g, lo, hi, rate, {epoch_days("lo")} - %(origin)s AS lo_d,
                   {epoch_days("hi")} - %(origin)s AS hi_d
            FROM merged WHERE hi > lo
        )
        SELECT g, b, SUM(r), SUM(rx) FROM (
            SELECT g, {sb} AS b, rate AS r, rate * lo_d AS rx FROM pieces
            UNION ALL
            SELECT g, {eb}, -rate, -rate * hi_d FROM pieces
        ) deltas GROUP BY g, b
    """
    closed_params = pparams | where.auth_params() | sbp | ebp
    closed_params |= {
        "far": FAR,
        "sickness": SICKNESS,
        "last": timeline.last,
        "ext_first": ext.first,
        "origin": origin_days,
    }
    rows = fetch(closed_sql, closed_params)
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
    posts, pparams = where.posts_where()
    g = _group_expr(by)
    dates, dparams = timeline.dates_cte()
    lo = greatest("o.a_s", "o.e_s", "d.ys")
    hi = least("o.e_f", "d.nd")
    sql = f"""
        WITH {dates}, open_absences AS MATERIALIZED (
            SELECT a.id, a.worker_id, a.start, a.working_days_lost FROM {ABS} a
            WHERE {where.auth_in("a")}
              AND a.reason = %(sickness)s AND a."end" IS NULL AND a.start <= %(last)s
        ), open_joined AS MATERIALIZED (
            SELECT {g} AS g, a.id AS aid, a.start AS a_s, a.working_days_lost AS wdl,
                   e.start AS e_s, COALESCE(e."end", %(far)s) AS e_f
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
    params = dparams | where.auth_params() | pparams
    params |= {"sickness": SICKNESS, "last": timeline.last, "far": FAR}
    return fetch(sql, params)


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
