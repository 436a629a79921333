"""The establishment table for one authority and for all of England, and the demo build itself.

Floors: the table reads each authority's post funding and engagements, so its floor is one raw
SQL pass summing FTE over those same rows; the build's floor is copying the rows it wrote from
table to table inside the database.
"""

from __future__ import annotations

from typing import Any

from workforce.establishment.selectors import EstablishmentFilter, establishment_table

ONE_AUTHORITY_TARGET = 0.3
ENGLAND_TARGET = 2.0
SEED_TARGET = 600.0  # ten minutes on two cores, hooks of other apps included

SCAN_ONE = """
SELECT (SELECT SUM(fte) FROM establishment_postfunding WHERE authority_id = %s),
       (SELECT SUM(fte) FROM establishment_engagement WHERE authority_id = %s)
"""
SCAN_ALL = """
SELECT (SELECT SUM(fte) FROM establishment_postfunding),
       (SELECT SUM(fte) FROM establishment_engagement)
"""
COUNT_ONE = """
SELECT (SELECT COUNT(*) FROM establishment_postfunding WHERE authority_id = %s)
     + (SELECT COUNT(*) FROM establishment_engagement WHERE authority_id = %s)
"""
COUNT_ALL = """
SELECT (SELECT COUNT(*) FROM establishment_postfunding)
     + (SELECT COUNT(*) FROM establishment_engagement)
"""
BUILT_TABLES = (
    "establishment_post",
    "establishment_postfunding",
    "establishment_worker",
    "establishment_engagement",
    "establishment_leaving",
    "establishment_absence",
)


def _count(sql: str, params: list[int]) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def _copy_floor() -> float:
    """Seconds to copy every built row to a scratch table and back out, in SQL alone."""
    import time

    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in BUILT_TABLES:
            cursor.execute(f"CREATE TEMP TABLE bench_copy AS SELECT * FROM {table}")
            cursor.execute("DROP TABLE bench_copy")
    return time.perf_counter() - started


def run(ctx: Any) -> list[dict[str, object]]:
    results = []
    one = ctx.demo_authority_id
    where_one = EstablishmentFilter(authority_ids=(one,))
    results.append(
        ctx.result(
            "establishment table, one authority",
            seconds=ctx.time(lambda: establishment_table(where=where_one, on=ctx.today)),
            floor_seconds=ctx.time_sql(SCAN_ONE, [one, one]),
            target_seconds=ONE_AUTHORITY_TARGET,
            rows=_count(COUNT_ONE, [one, one]),
        )
    )
    where_all = EstablishmentFilter(authority_ids=tuple(ctx.authority_ids))
    results.append(
        ctx.result(
            f"establishment table, all {len(ctx.authority_ids)} authorities",
            seconds=ctx.time(lambda: establishment_table(where=where_all, on=ctx.today)),
            floor_seconds=ctx.time_sql(SCAN_ALL),
            target_seconds=ENGLAND_TARGET,
            rows=_count(COUNT_ALL, []),
        )
    )
    floor = _copy_floor()
    results.append(
        ctx.result(
            f"seed_demo --scale {ctx.scale} (when built)",
            seconds=ctx.seed_seconds,
            floor_seconds=floor,
            target_seconds=SEED_TARGET,
            rows=ctx.seed_rows,
        )
    )
    others = ctx.seed_other_apps_seconds
    if ctx.seed_seconds is not None and others:
        results.append(
            ctx.result(
                "  of which the establishment",
                seconds=ctx.seed_seconds - sum(others.values()),
                floor_seconds=floor,
                target_seconds=None,
                rows=ctx.seed_rows,
            )
        )
        for module, seconds in others.items():
            results.append(
                ctx.result(
                    f"  of which {module}.build",
                    seconds=seconds,
                    floor_seconds=None,
                    target_seconds=None,
                    rows=None,
                )
            )
    return results
