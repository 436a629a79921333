"""Event components over the year to each date: starters and leavers (census rules).

An event counts for date D when it falls in the year to D. Events are summed per month bucket
and a rolling window of twelve buckets gives the year to each date (one bucket per date for a
single date). Both sides count the census-counted engagements in the filtered posts only, with
their FTE, and both follow one rule for spells (see `spells`): a recorded leaving ends a spell,
so leaving on 30 June and rejoining on 1 July is a leaver and a starter.
"""

from __future__ import annotations

from workforce.metrics.engine.filters import MetricsFilter
from workforce.metrics.engine.periods import Timeline
from workforce.metrics.engine.spells import spell_end, spell_start
from workforce.metrics.engine.sql import (
    EMPLOYED_SQL,
    ENG,
    FAR,
    LEAV,
    POST,
    Component,
    _group_expr,
    date_key,
    events,
    fetch,
    hundredths,
)


def starters(where: MetricsFilter, timeline: Timeline, by: str | None) -> Component:
    """Engagements that begin a spell of authority employment, in the year to each date.

    One ordered pass over each worker's employed engagements (any post) carries the start of
    the current spell; an engagement in the filter starts the spell when it starts on that
    day: no employed engagement of the worker began earlier and ran up to or past its start
    (an engagement ended by a recorded leaving runs to the leaving's last day).
    """
    posts, pparams = where.posts_where()
    g = _group_expr(by)
    kb, kbp = timeline.event_bucket("s")
    sql = f"""
        WITH x AS (
            SELECT {g} AS g, CASE WHEN {posts} THEN 1 ELSE 0 END AS inf, e.worker_id AS w,
                   e.start AS s, {spell_end("e")} AS f, e.id AS id,
                   {hundredths("e.fte")} AS v
            FROM {ENG} e JOIN {POST} p ON p.id = e.post_id{where.joins()}
            WHERE {where.auth_in("e")}
              AND e.kind IN {EMPLOYED_SQL} AND e.start <= %(last)s
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
            WHERE inf = 1 AND s = ss AND s >= %(year_start)s
            GROUP BY 1, 2, 3, 4
        ) starts GROUP BY g, k
    """
    params = pparams | where.auth_params() | kbp
    params |= {"far": FAR, "last": timeline.last, "year_start": timeline.first_year_start}
    return events(fetch(sql, params), timeline, by, ("starters_fte", "starters_headcount"))


def leavers(where: MetricsFilter, timeline: Timeline, by: str | None) -> Component:
    """Leavings in the year to each date, and those within twelve months of starting.

    A leaving counts where the worker's employed engagements on the last day are in the
    filtered posts (census-counted roles by default), with the FTE of those engagements only:
    a social worker at 0.6 FTE who is also a family support worker at 0.4 is a leaver of 0.6
    FTE; one whose larger post was not census-counted is still a census leaver. By team or
    role, a leaver counts in the group of each post they held. A leaving recorded twice for the
    same last day counts once, as DfE removes duplicate leavers by leaving date.
    """
    posts, pparams = where.posts_where()
    g = _group_expr(by)
    kb, kbp = timeline.event_bucket("l.last_day")
    early = f"{date_key(spell_start('w', 'ld'))} + 10000 > {date_key('ld')}"
    sql = f"""
        SELECT g, k, SUM(fte), COUNT(*), SUM(fte * early), SUM(early)
        FROM (
            SELECT g, k, fte, CASE WHEN {early} THEN 1 ELSE 0 END AS early
            FROM (
                SELECT {g} AS g, {kb} AS k, l.worker_id AS w, l.last_day AS ld,
                       SUM({hundredths("e.fte")}) AS fte
                FROM (
                    SELECT DISTINCT l.worker_id, l.last_day FROM {LEAV} l
                    WHERE {where.auth_in("l")} AND l.last_day >= %(year_start)s
                      AND l.last_day <= %(last)s
                ) l
                     JOIN {ENG} e ON e.worker_id = l.worker_id
                     JOIN {POST} p ON p.id = e.post_id{where.joins()}
                WHERE {posts} AND e.kind IN {EMPLOYED_SQL}
                  AND e.start <= l.last_day AND (e."end" IS NULL OR e."end" > l.last_day)
                GROUP BY 1, 2, 3, 4
            ) counted
        ) leavings GROUP BY g, k
    """
    params = pparams | where.auth_params() | kbp
    params |= {"far": FAR, "last": timeline.last, "year_start": timeline.first_year_start}
    return events(
        fetch(sql, params),
        timeline,
        by,
        ("leavers_fte", "leavers_headcount", "early_leavers_fte", "early_leavers_headcount"),
    )
