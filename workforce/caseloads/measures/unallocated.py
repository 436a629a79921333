"""Unallocated cases: since when, for how long, and which are escalated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass
from workforce.caseloads.measures.base import (
    ALLOCATION,
    CASE,
    CASE_CATEGORY,
    CASE_TEAM,
    CENSUS_ROLE,
    END,
    ENGAGEMENT,
    POST,
    ROLE,
    TEAM,
    CaseloadFilter,
    _active,
    _as_date,
    _dates_table,
    _fetch,
    _Params,
)

# Unallocated cases ---------------------------------------------------------------------------
#
# A case is *held* on a day when an allocation of it is active then to a worker in post then in
# a census-counted role; an open case that is not held is unallocated. It has been unallocated
# since the day after it was last held (the end of the last stretch in which an allocation of
# it and an engagement of its worker overlapped), or since it opened if it never was: a leaver's
# case from the day after their last day, a transferred case from the transfer. The days
# unallocated on D are D − that day, so 0 on the first day; a case is escalated when they are
# more than the threshold.


def _holder_in_post(day: str) -> str:
    """SQL joins (with `WHERE {CENSUS_ROLE}`): allocation `a`'s worker in post on `day` in a
    census-counted role, which makes the allocation one that holds its case."""
    return (
        f" JOIN {ENGAGEMENT} e ON e.worker_id = a.worker_id AND {_active('e', day)}"
        f" JOIN {POST} ep ON ep.id = e.post_id JOIN {ROLE} r ON r.id = ep.role_id"
    )


def _held(case: str, day: str) -> str:
    """SQL: case `case` is held on `day`."""
    return (
        f"EXISTS (SELECT 1 FROM {ALLOCATION} a{_holder_in_post(day)}"
        f" WHERE a.case_id = {case} AND {_active('a', day)} AND {CENSUS_ROLE})"
    )


def _unallocated_since(c: str, day: str) -> str:
    """SQL: the first day of the stretch in which the case `c` (an alias), unallocated on `day`,
    has been unallocated. Every stretch in which it was held and that began before `day` has
    ended by then, at the earlier of the allocation's and the engagement's ends."""
    a_end, e_end = f"a.{END}", f"e.{END}"
    stretch_end = (
        f"CASE WHEN {a_end} IS NULL THEN {e_end} WHEN {e_end} IS NULL THEN {a_end}"
        f" WHEN {a_end} < {e_end} THEN {a_end} ELSE {e_end} END"
    )
    return (
        f"COALESCE((SELECT MAX({stretch_end}) FROM {ALLOCATION} a"
        f" JOIN {ENGAGEMENT} e ON e.worker_id = a.worker_id"
        f" JOIN {POST} ep ON ep.id = e.post_id JOIN {ROLE} r ON r.id = ep.role_id"
        f" WHERE a.case_id = {c}.id AND {CENSUS_ROLE} AND a.start < {day} AND e.start < {day}"
        f" AND ({a_end} IS NULL OR {a_end} > e.start) AND ({e_end} IS NULL OR {e_end} > a.start)),"
        f" {c}.start)"
    )


def _unallocated_sql(p: _Params, where: CaseloadFilter, on: dt.date) -> str:
    """Rows (case id, child reference, team id, team name, category, since) of the open cases
    unallocated on `on`, in the filter's teams (by the case's team on `on`; a case with no team
    then is in no team's and only the whole authority's figures)."""
    day = p.add("on", on)
    team_where = ""
    if where.team_ids is not None:
        team_where = f" AND ct.team_id IN ({p.many('t', where.team_ids)})"
    return (
        "SELECT c.id AS case_id, c.child_ref AS child_ref, ct.team_id AS team_id,"
        " tm.name AS team_name, cc.category AS category,"
        f" {_unallocated_since('c', day)} AS since"
        f" FROM {CASE} c"
        f" LEFT JOIN {CASE_TEAM} ct ON ct.case_id = c.id AND {_active('ct', day)}"
        f" LEFT JOIN {TEAM} tm ON tm.id = ct.team_id"
        f" LEFT JOIN {CASE_CATEGORY} cc ON cc.case_id = c.id AND {_active('cc', day)}"
        f" WHERE c.authority_id IN ({p.many('a', where.authority_ids)}) AND {_active('c', day)}"
        f"{team_where} AND NOT {_held('c.id', day)}"
    )


def unallocated_on(where: CaseloadFilter, on: dt.date) -> list[tuple[Any, ...]]:
    """(case id, child reference, team id, team name, category, since) for each open case
    unallocated on `on`: one query."""
    p = _Params()
    rows = _fetch(_unallocated_sql(p, where, on), p)
    return [(*row[:5], _as_date(row[5])) for row in rows]


def days_unallocated(since: dt.date, on: dt.date) -> int:
    """Whole days from the first unallocated day to `on`: 0 on that day itself."""
    return (on - since).days


def escalated(since: dt.date, on: dt.date, threshold_days: int) -> bool:
    """Unallocated for more than the threshold."""
    return days_unallocated(since, on) > threshold_days


def unallocated_series(where: CaseloadFilter, dates: Sequence[dt.date]) -> dict[dt.date, int]:
    """Open cases that are not held, at each date. One query, in passes over the whole series:
    the cases open on some date of it, the allocations active on some date of it, then which
    case is held on which date (as `_held`, for every date at once), and the open cases that
    are not."""
    p = _Params()
    team_where = ""
    if where.team_ids is not None:
        team_where = (
            f" AND EXISTS (SELECT 1 FROM {CASE_TEAM} ct WHERE ct.case_id = c.id"
            f" AND {_active('ct')} AND ct.team_id IN ({p.many('t', where.team_ids)}))"
        )
    if not dates:
        return {}
    first, last = p.day("first", min(dates)), p.day("last", max(dates))
    series = p.cte("series_dates", _dates_table(p, dates))
    in_span = f"start <= {last} AND ({END} IS NULL OR {END} > {first})"
    open_cases = p.cte(
        "open_cases",
        f"SELECT c.id, c.start, c.{END} FROM {CASE} c"
        f" WHERE c.authority_id IN ({p.many('a', where.authority_ids)}) AND {in_span}",
    )
    allocations = p.cte(
        "span_allocations",
        f"SELECT a.case_id, a.worker_id, a.start, a.{END} FROM {ALLOCATION} a"
        f" WHERE a.authority_id IN ({p.many('aa', where.authority_ids)}) AND {in_span}",
    )
    held = p.cte(
        "held_cases",
        f"SELECT DISTINCT m.d, a.case_id FROM {series} m JOIN {allocations} a ON {_active('a')}"
        f"{_holder_in_post('m.d')} WHERE {CENSUS_ROLE}",
    )
    sql = (
        f"SELECT m.d, COUNT(*) FROM {series} m JOIN {open_cases} c ON {_active('c')}"
        f" LEFT JOIN {held} h ON h.d = m.d AND h.case_id = c.id"
        f" WHERE h.case_id IS NULL{team_where} GROUP BY m.d"
    )
    return {_as_date(d): int(n) for d, n in _fetch(sql, p)}


def unallocated_by_team(
    where: CaseloadFilter, on: dt.date, *, threshold_days: int
) -> dict[int | None, tuple[int, int]]:
    """Per team on `on`: (unallocated cases, of which escalated: unallocated for more than
    `threshold_days`). Cases with no team on `on` (a data gap) are counted under None."""
    p = _Params()
    rows = _unallocated_sql(p, where, on)
    # Escalated: on − since > threshold, that is since < on − threshold.
    before = p.add("escalate_before", on - dt.timedelta(days=threshold_days))
    sql = (
        f"SELECT u.team_id, COUNT(*), SUM(CASE WHEN u.since < {before} THEN 1 ELSE 0 END)"
        f" FROM ({rows}) u"
        " GROUP BY u.team_id"
    )
    return {None if t is None else int(t): (int(n), int(e or 0)) for t, n, e in _fetch(sql, p)}
