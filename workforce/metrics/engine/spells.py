"""Spells of employment: a worker's authority-employed engagements joined up where one starts on
or before the day another ends, except that a recorded leaving ends a spell (so a worker who
leaves on 30 June and rejoins on 1 July begins a new spell: a leaver and then a starter)."""

from __future__ import annotations

from workforce.metrics.engine.sql import EMPLOYED_SQL, ENG, LEAV, day_before


def spell_end(e: str = "e") -> str:
    """The end of engagement `e` when joining engagements into spells (parameter `far`).

    Its end, or when a leaving of the worker is recorded on the day before its end (its last
    day), that last day: then an engagement starting on the day after the leaving does not
    continue the spell. Open engagements end at `far`.
    """
    end = f'{e}."end"'
    return (
        f"CASE WHEN {end} IS NOT NULL AND EXISTS (SELECT 1 FROM {LEAV} lv "
        f"WHERE lv.worker_id = {e}.worker_id AND lv.last_day = {day_before(end)}) "
        f"THEN {day_before(end)} ELSE COALESCE({end}, %(far)s) END"
    )


def spell_start(worker: str, on: str) -> str:
    """First day of the worker's spell of employment that includes `on` (parameter `far`).

    A spell starts with an employed engagement that no earlier employed engagement of the same
    worker overlaps or meets (a team move or change of post continues the spell), or that
    follows a recorded leaving.
    """
    return (
        f"(SELECT MAX(q.start) FROM {ENG} q WHERE q.worker_id = {worker} "
        f"AND q.kind IN {EMPLOYED_SQL} AND q.start <= {on} AND NOT EXISTS ("
        f"SELECT 1 FROM {ENG} o WHERE o.worker_id = q.worker_id AND o.kind IN {EMPLOYED_SQL} "
        f"AND o.start < q.start AND {spell_end('o')} >= q.start))"
    )
