"""DfE's published statistics: the full children's social work workforce indicators file (every
authority, region and England, 2017 to 2025: about 32,000 values) read into a new release.

Timed: (a) checking the file (the import's dry run: the whole import, undone) and (b) importing
it, in a transaction rolled back afterwards so the database is left as it was. The file is given
one more blank line at its end, so that its checksum is new even where `seed_demo` has loaded
the file as published. Target: 10 seconds.

Floor, measured in the same run: the csv module reading the same file and `executemany`
inserting the same number of values (six columns a value) into the same table, rolled back.

Run alone: `.venv/bin/python bench/run.py --only dfe`.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

TARGET = 10.0
FILE = "csww_indicators_2017_to_2025.csv"


class _Undo(Exception):
    pass


def _rolled_back(operation: Any) -> Any:
    """Run `operation` in a transaction that is then rolled back; give its result."""
    result = None
    try:
        with transaction.atomic():
            result = operation()
            raise _Undo
    except _Undo:
        pass
    return result


def _floor(data: bytes, release_id: int, area_id: int) -> int:
    """Parse the file with the csv module and insert one row a value: no checks, no areas."""
    from workforce.benchmarks.models import PublishedValue

    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header = next(reader)
    rows = []
    for line in reader:
        if not line:
            continue
        for column, text in zip(header[10:], line[10:], strict=True):
            number = text if text[:1].isdigit() else None
            rows.append((release_id, area_id, int(line[0]), column, number, "" if number else "x"))
    table = PublishedValue._meta.db_table
    sql = (
        f"INSERT INTO {table} (release_id, area_id, year, measure, value, not_available) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s, %s)"
    )
    # One area and year for every value would break the unique constraint: number them apart.
    numbered = [
        (r, a, i, m, Decimal(v) if v else None, n) for i, (r, a, _, m, v, n) in enumerate(rows)
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(numbered), 5000):
            cursor.executemany(sql, numbered[start : start + 5000])
    return len(numbered)


def run(ctx: Any) -> list[dict[str, object]]:
    from django.utils import timezone

    from workforce.benchmarks import importers
    from workforce.benchmarks.models import Area, Release
    from workforce.benchmarks.services import REFERENCE

    data = (REFERENCE / FILE).read_bytes() + b"\n"
    values = 0

    def check() -> None:
        nonlocal values
        outcome = importers.read(data, apply=False, filename=FILE)
        assert not outcome.error_count, outcome.errors[:3]
        values = outcome.counts["Published value"]["create"]

    def apply() -> None:
        _rolled_back(lambda: importers.read(data, apply=True, filename=FILE))

    def floor() -> None:
        def insert() -> int:
            release = Release.objects.create(
                publication="csww",
                filename="floor",
                sha256="0" * 64,
                loaded_at=timezone.now(),
                rows=0,
            )
            area = Area.objects.create(level="national", code="BENCH", name="Bench")
            return _floor(data, release.pk, area.pk)

        _rolled_back(insert)

    floor_seconds = ctx.time(floor, repeat=3)
    check_seconds = ctx.time(check, repeat=3)
    apply_seconds = ctx.time(apply, repeat=3)
    return [
        ctx.result(
            "DfE workforce indicators: check the full file (dry run)",
            seconds=check_seconds,
            floor_seconds=floor_seconds,
            target_seconds=TARGET,
            rows=values,
        ),
        ctx.result(
            "DfE workforce indicators: import the full file",
            seconds=apply_seconds,
            floor_seconds=floor_seconds,
            target_seconds=TARGET,
            rows=values,
        ),
    ]
