"""Caseload measures for one authority, and the team heat map page.

Floors: each figure reads the authority's allocations (and, for the page, its engagements); the
floor is one raw SQL pass counting the same rows with the same date conditions.
"""

from __future__ import annotations

from typing import Any

AVERAGE_TARGET = 0.1
THREE_PLUS_TARGET = 1.0
HEAT_MAP_TARGET = 0.3

ACTIVE_SCAN = """
SELECT COUNT(*), COUNT(DISTINCT worker_id) FROM caseloads_allocation
WHERE authority_id = %s AND start <= %s AND ("end" IS NULL OR "end" > %s)
"""
YEAR_SCAN = """
SELECT COUNT(*), COUNT(DISTINCT case_id) FROM caseloads_allocation
WHERE authority_id = %s AND start <= %s AND ("end" IS NULL OR "end" > %s)
"""
PAGE_SCAN = """
SELECT (SELECT COUNT(*) FROM caseloads_allocation
        WHERE authority_id = %s AND start <= %s AND ("end" IS NULL OR "end" > %s)),
       (SELECT COUNT(*) FROM establishment_engagement
        WHERE authority_id = %s AND start <= %s AND ("end" IS NULL OR "end" > %s))
"""


def _count(sql: str, params: list[Any]) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def run(ctx: Any) -> list[dict[str, object]]:
    from django.test import Client

    from workforce.caseloads import measures
    from workforce.caseloads.measures import CaseloadFilter, year_before
    from workforce.core.models import User, UserRole

    one, on = ctx.demo_authority_id, ctx.today
    where = CaseloadFilter(authority_ids=(one,))
    allocations = _count("SELECT COUNT(*) FROM caseloads_allocation WHERE authority_id = %s", [one])
    results = [
        ctx.result(
            "average caseload (DfE), one authority at a date",
            seconds=ctx.time(lambda: measures.caseload_summary(where, on).average_caseload),
            floor_seconds=ctx.time_sql(ACTIVE_SCAN, [one, on, on]),
            target_seconds=AVERAGE_TARGET,
            rows=allocations,
        ),
        ctx.result(
            "children in care with 3+ social workers in 12 months, one authority",
            seconds=ctx.time(lambda: measures.social_worker_changes(where, on)),
            floor_seconds=ctx.time_sql(YEAR_SCAN, [one, on, year_before(on)]),
            target_seconds=THREE_PLUS_TARGET,
            rows=allocations,
        ),
    ]
    lead = (
        User.objects.filter(authority_id=one, role=UserRole.WORKFORCE_LEAD, is_active=True)
        .order_by("pk")
        .first()
    )
    if lead is not None:
        client = Client()
        client.force_login(lead)
        url = f"/caseloads/teams/?on={on.isoformat()}"

        def page() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        results.append(
            ctx.result(
                "team heat map page, one authority",
                seconds=ctx.time(page),
                floor_seconds=ctx.time_sql(PAGE_SCAN, [one, on, on, one, on, on]),
                target_seconds=HEAT_MAP_TARGET,
                rows=allocations,
            )
        )
    return results
