"""Checks that bulk-built data keeps the invariants the establishment services enforce.

Used by the tests and by the benchmark after building England: data written with bulk inserts
never passes through the services, so this is where its consistency is proved.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q

from workforce.establishment.models import (
    EMPLOYED_KINDS,
    Absence,
    Engagement,
    Leaving,
    Post,
    PostFunding,
    Worker,
)
from workforce.establishment.services import SWE_NUMBER

DAY = dt.timedelta(days=1)

# Someone's total FTE only rises when one of their engagements starts, so checking the total at
# every start date finds any moment above 1.0.
_OVER_ONE_FTE = """
SELECT e1.worker_id, e1.start, SUM(e2.fte)
FROM establishment_engagement e1
JOIN establishment_engagement e2
  ON e2.worker_id = e1.worker_id
 AND e2.start <= e1.start
 AND (e2."end" IS NULL OR e2."end" > e1.start)
WHERE e1.authority_id IN ({ids})
GROUP BY e1.id, e1.worker_id, e1.start
HAVING SUM(e2.fte) > 1
"""


def workers_over_one_fte(authority_ids: Iterable[int]) -> list[tuple[int, dt.date, float]]:
    ids = [int(i) for i in authority_ids]
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_OVER_ONE_FTE.format(ids=", ".join(["%s"] * len(ids))), ids)
        return list(cursor.fetchall())


def engagements_outside_posts(authority_ids: Iterable[int]) -> int:
    outside = Q(start__lt=F("post__start")) | (
        Q(post__end__isnull=False) & (Q(end__isnull=True) | Q(end__gt=F("post__end")))
    )
    return Engagement.objects.filter(authority_id__in=list(authority_ids)).filter(outside).count()


def leaver_problems(authority_ids: Iterable[int]) -> list[str]:
    """Each leaver's employment ends the day after the last day; nothing starts after it."""
    ids = list(authority_ids)
    last_days: dict[int, dt.date] = {}
    for worker_id, last_day in Leaving.objects.filter(authority_id__in=ids).values_list(
        "worker_id", "last_day"
    ):
        if worker_id in last_days:
            return [f"worker {worker_id} left twice"]
        last_days[worker_id] = last_day
    problems = []
    ended_on_time: set[int] = set()
    rows = Engagement.objects.filter(
        authority_id__in=ids, worker__leavings__isnull=False
    ).values_list("worker_id", "start", "end", "kind")
    for worker_id, start, end, kind in rows:
        last_day = last_days[worker_id]
        if start > last_day:
            problems.append(f"worker {worker_id} has an engagement starting after leaving")
        elif kind in EMPLOYED_KINDS:
            if end is None or end > last_day + DAY:
                problems.append(f"worker {worker_id} is still employed after leaving")
            elif end == last_day + DAY:
                ended_on_time.add(worker_id)
    for worker_id in set(last_days) - ended_on_time:
        problems.append(f"worker {worker_id} has no employment ending the day after leaving")
    return problems


def funding_problems(authority_ids: Iterable[int]) -> list[str]:
    """Each post's funding runs without gaps or overlaps from the post's start to its end."""
    ids = list(authority_ids)
    intervals: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for post_id, start, end in (
        PostFunding.objects.filter(authority_id__in=ids)
        .order_by("post_id", "start")
        .values_list("post_id", "start", "end")
    ):
        intervals[post_id].append((start, end))
    problems = []
    for post_id, start, end in Post.objects.filter(authority_id__in=ids).values_list(
        "id", "start", "end"
    ):
        funding = intervals.get(post_id, [])
        if not funding:
            problems.append(f"post {post_id} has no funding")
            continue
        expected: dt.date | None = start
        for f_start, f_end in funding:
            if f_start != expected:
                problems.append(f"post {post_id} funding is not contiguous at {f_start}")
                break
            expected = f_end
        if expected != end:
            problems.append(f"post {post_id} funding does not end with the post")
    return problems


def absences_out_of_post(authority_ids: Iterable[int]) -> int:
    """Absences whose first or last day their worker holds no post (the services refuse them)."""
    held = Engagement.objects.filter(worker_id=OuterRef("worker_id"))
    on_first = held.filter(start__lte=OuterRef("start")).filter(
        Q(end__isnull=True) | Q(end__gt=OuterRef("start"))
    )
    on_last = held.filter(start__lt=OuterRef("end")).filter(
        Q(end__isnull=True) | Q(end__gte=OuterRef("end"))
    )
    absences = Absence.objects.filter(authority_id__in=list(authority_ids))
    return absences.filter(~Exists(on_first) | (Q(end__isnull=False) & ~Exists(on_last))).count()


def people_problems(authority_ids: Iterable[int], today: dt.date) -> list[str]:
    """Nobody born after `today` or qualified before birth; SWE numbers SW and digits."""
    problems = []
    rows = Worker.objects.filter(authority_id__in=list(authority_ids)).values_list(
        "pk", "date_of_birth", "qual_date", "swe_number"
    )
    for pk, born, qualified, swe in rows:
        if born is not None and born > today:
            problems.append(f"worker {pk} is born after {today}")
        if born is not None and qualified is not None and qualified < born:
            problems.append(f"worker {pk} qualified before birth")
        if swe and not SWE_NUMBER.fullmatch(swe):
            problems.append(f"worker {pk} has SWE number {swe!r}")
    return problems


def invariant_problems(authority_ids: Iterable[int]) -> list[str]:
    """Every broken invariant, in words; empty when the data is consistent."""
    ids = list(authority_ids)
    problems = [f"worker {w} holds {fte} FTE on {day}" for w, day, fte in workers_over_one_fte(ids)]
    outside = engagements_outside_posts(ids)
    if outside:
        problems.append(f"{outside} engagements fall outside their post's dates")
    problems += leaver_problems(ids)
    problems += funding_problems(ids)
    out_of_post = absences_out_of_post(ids)
    if out_of_post:
        problems.append(f"{out_of_post} absences fall on days their worker holds no post")
    problems += people_problems(ids, dt.date.today())
    return problems
