"""The stability index: the share of people in post at a date who had over a year's continuous
service then (their spell of employment began on or before the same date a year earlier).

A component provider (`stable_headcount`, one query for every date of a timeline, by team or
role too) and a measure (`stability_index` = stable headcount ÷ in post headcount), registered
with the metrics engine and registry when the app is ready, like the caseloads app's measures.
"""

from __future__ import annotations

from workforce.metrics import engine, measures
from workforce.metrics.engine.filters import MetricsFilter
from workforce.metrics.engine.periods import Timeline
from workforce.metrics.engine.spells import spell_start
from workforce.metrics.engine.sql import (
    EMPLOYED_SQL,
    ENG,
    FAR,
    POST,
    Component,
    _group_expr,
    _groups,
    _key,
    day_before,
    fetch,
)
from workforce.metrics.measures import Better, Measure, Unit, ratio


def stable_headcount(where: MetricsFilter, timeline: Timeline, by: str | None) -> Component:
    """People in post at each date (an employed engagement in the filtered posts active on it)
    whose spell of employment began before that date's year (on or before the same date a year
    earlier). Counted once per group, as the in post headcount is."""
    posts, pparams = where.posts_where()
    g = _group_expr(by)
    dates, dparams = timeline.dates_cte()
    on = day_before("d.nd")
    sql = f"""
        WITH {dates}
        SELECT g, i, COUNT(*) FROM (
            SELECT DISTINCT {g} AS g, d.i AS i, e.worker_id AS w
            FROM d JOIN {ENG} e ON e.start < d.nd AND (e."end" IS NULL OR e."end" >= d.nd)
                 JOIN {POST} p ON p.id = e.post_id{where.joins()}
            WHERE {posts} AND {where.auth_in("e")} AND e.kind IN {EMPLOYED_SQL}
              AND {spell_start("e.worker_id", on)} < d.ys
        ) stable GROUP BY g, i
    """
    rows = fetch(sql, pparams | where.auth_params() | dparams | {"far": FAR})
    counts: dict[object, list[int]] = {g_: [0] * timeline.n for g_ in _groups(rows, by)}
    for g_, i, n in rows:
        counts[g_][int(i)] = int(n)
    return {"stable_headcount": {_key(g_, by): values for g_, values in counts.items()}}


STABILITY_INDEX = Measure(
    "stability_index",
    "Stability index",
    Unit.RATE,
    ("stable_headcount", "in_post_headcount"),
    lambda parts: ratio(parts.get("stable_headcount"), parts.get("in_post_headcount")),
    numerator="stable_headcount",
    denominator="in_post_headcount",
    better=Better.HIGHER,
    description=(
        "People in post at the date with over a year's continuous service ÷ people in post."
    ),
    units=("people in post with over a year's service", "people in post"),
)


def register() -> None:
    engine.register_provider("stability", stable_headcount, ("stable_headcount",))
    measures.register(STABILITY_INDEX)
    # In a board paper it is withheld with the people in post it is built on.
    measures.BUILT_ON_COUNT["stability_index"] = "in_post_headcount"
