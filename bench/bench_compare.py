"""The benchmarking comparison page: one authority and measure (Slough's agency worker rate, nine
years, ten statistical neighbours, its region and England, and its rank among every authority),
rendered for a board member. Target: 200 ms.

Floor, measured in the same run: one SQL query of the same values (the measure's published
values for every area, 2017 onwards, with each value's release), rows fetched.

Run alone: `.venv/bin/python bench/run.py --only compare`.
"""

from __future__ import annotations

from typing import Any

TARGET = 0.2
AREA = "871"  # Slough
MEASURE = "csww.agency_rate_fte"

FLOOR_SQL = """
SELECT v.area_id, a.level, v.year, v.value, v.not_available
FROM benchmarks_publishedvalue v
JOIN benchmarks_area a ON a.id = v.area_id
JOIN benchmarks_release r ON r.id = v.release_id
WHERE v.measure = %s AND v.year >= 2017
ORDER BY v.area_id, v.year, r.loaded_at DESC, r.id DESC
"""


def run(ctx: Any) -> list[dict[str, object]]:
    from django.db import connection
    from django.test import Client

    from workforce.benchmarks.models import PublishedValue
    from workforce.core.models import User, UserRole

    board = (
        User.objects.filter(
            authority_id=ctx.demo_authority_id, role=UserRole.BOARD_MEMBER, is_active=True
        )
        .order_by("pk")
        .first()
    )
    values = PublishedValue.objects.filter(measure=MEASURE, year__gte=2017).count()
    if board is None or not values:
        return []  # DfE's statistics not loaded (seed_demo --without-statistics)
    client = Client()
    client.force_login(board)
    url = f"/benchmarks/?area={AREA}&measure=agency&compare=neighbours"

    def page() -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    queries: list[str] = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        page()
    return [
        ctx.result(
            "benchmarking comparison page, one authority and measure",
            seconds=ctx.time(page),
            floor_seconds=ctx.time_sql(FLOOR_SQL, [MEASURE]),
            target_seconds=TARGET,
            rows=values,
            queries=len(queries),
        )
    ]
