"""Workforce measures: a 120-month series of every headline measure, for one authority and for
all of England, and the dashboard page for one authority.

Floor: one raw SQL scan of the same engagements (count and FTE summed), measured in the same
run. Whole-authority series read stored figures (`metrics.stored`), so they are also shown
computed from the records: every authority's stored figures computed afresh, and the same
England series for every role (a filter that is never stored).
"""

from __future__ import annotations

import time
from typing import Any

from workforce.metrics import stored
from workforce.metrics.engine import MetricsFilter
from workforce.metrics.measures import HEADLINE
from workforce.metrics.selectors import monthly_series

MONTHS = 120
ONE_AUTHORITY_TARGET = 0.5
ENGLAND_TARGET = 5.0
DASHBOARD_TARGET = 0.3
DASHBOARD_REQUESTS = 20

SCAN_ONE = "SELECT COUNT(*), SUM(fte) FROM establishment_engagement WHERE authority_id = %s"
SCAN_ALL = "SELECT COUNT(*), SUM(fte) FROM establishment_engagement"


def _count(sql: str, params: list[int]) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def _series(where: MetricsFilter, ctx: Any) -> None:
    monthly_series(where=where, last=ctx.today, months=MONTHS, keys=HEADLINE)


def _dashboard_timer(ctx: Any) -> Any:
    """A signed-in workforce lead of the demo authority asking for the dashboard, or None."""
    from django.test import Client
    from django.urls import reverse

    from workforce.core.models import User, UserRole

    lead = User.objects.filter(
        authority_id=ctx.demo_authority_id, role=UserRole.WORKFORCE_LEAD, is_active=True
    ).first()
    if lead is None:
        return None
    client = Client()
    client.force_login(lead)
    url = reverse("metrics:dashboard")
    query = {"on": ctx.today.isoformat()}

    def get() -> None:
        response = client.get(url, query)
        if response.status_code != 200:
            raise RuntimeError(f"The dashboard answered {response.status_code}.")

    return get


def _computed(where_all: MetricsFilter, ctx: Any) -> list[dict[str, object]]:
    """The work stored figures save: computing them for every authority (timed once, as a
    change to every authority at once would need), and a series computed from the records."""
    started = time.perf_counter()
    for authority_id in ctx.authority_ids:
        stored.refresh(authority_id, today=ctx.today)
    refresh_seconds = time.perf_counter() - started
    every_role = MetricsFilter(authority_ids=where_all.authority_ids, census_only=False)
    floor = ctx.time_sql(SCAN_ALL, [], repeat=1)
    rows = _count(SCAN_ALL, [])
    return [
        ctx.result(
            f"  stored figures computed afresh for all {len(ctx.authority_ids)} authorities "
            f"({stored.MONTHS_STORED} months each)",
            seconds=refresh_seconds,
            floor_seconds=floor,
            target_seconds=None,
            rows=rows,
        ),
        ctx.result(
            f"  {MONTHS}-month series, all authorities, every role (computed, not stored)",
            seconds=ctx.time(lambda: _series(every_role, ctx), repeat=1),
            floor_seconds=floor,
            target_seconds=None,
            rows=rows,
        ),
    ]


def run(ctx: Any) -> list[dict[str, object]]:
    one = ctx.demo_authority_id
    # Reads never store figures: bring them up to date as the scheduled `store_figures` does.
    stored.refresh_all(ctx.authority_ids, today=ctx.today)
    where_one = MetricsFilter(authority_ids=(one,))
    where_all = MetricsFilter(authority_ids=tuple(ctx.authority_ids))
    floor_one = ctx.time_sql(SCAN_ONE, [one])
    rows_one = _count(SCAN_ONE, [one])
    every_role_one = MetricsFilter(authority_ids=(one,), census_only=False)
    results = [
        ctx.result(
            f"metrics {MONTHS}-month series, headline measures, one authority",
            seconds=ctx.time(lambda: _series(where_one, ctx)),
            floor_seconds=floor_one,
            target_seconds=ONE_AUTHORITY_TARGET,
            rows=rows_one,
            target_ratio=3,
        ),
        ctx.result(
            f"  {MONTHS}-month series, one authority, every role (computed, not stored)",
            seconds=ctx.time(lambda: _series(every_role_one, ctx)),
            floor_seconds=floor_one,
            target_seconds=None,
            rows=rows_one,
        ),
    ]
    if len(ctx.authority_ids) > 1:
        results.append(
            ctx.result(
                f"metrics {MONTHS}-month series, headline measures, all authorities",
                seconds=ctx.time(lambda: _series(where_all, ctx), repeat=3),
                floor_seconds=ctx.time_sql(SCAN_ALL, [], repeat=3),
                target_seconds=ENGLAND_TARGET,
                rows=_count(SCAN_ALL, []),
                target_ratio=3,
            )
        )
        results += _computed(where_all, ctx)
    get = _dashboard_timer(ctx)
    results.append(
        ctx.result(
            f"metrics dashboard page, one authority (median of {DASHBOARD_REQUESTS})",
            seconds=None if get is None else ctx.time(get, repeat=DASHBOARD_REQUESTS),
            floor_seconds=floor_one,
            target_seconds=DASHBOARD_TARGET,
            rows=rows_one,
        )
    )
    return results
