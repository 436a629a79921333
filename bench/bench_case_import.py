"""The cases and allocations extract: a synthetic file of N allocation rows (a million at the
England scale) read into a new, empty authority with teams and workers.

Timed: (a) checking the file (the import's dry run), (b) importing it, and (c) importing the same
file again, which changes nothing. Floor: a raw bulk load of the same rows into a plain table in
the same run (the csv module and `executemany` on SQLite, `COPY` on PostgreSQL).

The timings go through the import framework's services, as the pages and the command do (the
file sealed while it waits to be imported, what is written recorded for undoing). Memory is
measured apart, the importer alone reading the file (a dry run) in a child process of its own so
that its peak (`ru_maxrss`) is its own: at a tenth of the rows and at all of them, the peak less
the file's own bytes (which the framework hands the importer whole) should not grow with the
rows.

Run alone against any database, for example PostgreSQL:

    bash .ci/with-postgres .venv/bin/python bench/bench_case_import.py --migrate --rows 1000000
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ROWS = {"team": 20_000, "la": 100_000, "region": 300_000, "england": 1_000_000}
TARGET = 60.0  # seconds for a million rows, checked or imported
TEAMS = 40
WORKERS = 1_500
AUTHORITY_CODE = "B01"  # made in a transaction that is rolled back
HEADER = (
    "Child ID,Case start date,Case end date,Team,Category,Complex,Worker staff number,"
    "Allocated from,Allocated to,Allocation reason"
)
CATEGORIES = ("Child in need", "Child protection plan", "Child looked after", "Care leaver")


def extract(rows: int, path: Path, seed: int = 1) -> None:
    """`rows` allocation rows of about rows / 3 children in Mosaic's layout, written to `path`:
    each child's allocations follow one another, the last open unless the case closed; a few
    cases unallocated."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        _write_extract(out, rows, rng)


def _write_extract(out: Any, rows: int, rng: random.Random) -> None:
    out.write(HEADER + "\r\n")
    written = child = 0
    epoch = dt.date(2018, 1, 1)
    while written < rows:
        child += 1
        opened = epoch + dt.timedelta(days=rng.randrange(0, 2500))
        team = f"Bench team {rng.randrange(TEAMS):02d}"
        category = rng.choice(CATEGORIES)
        complex_ = "Yes" if rng.random() < 0.1 else "No"
        n = min(rows - written, rng.choice((1, 2, 3, 3, 4, 5)))
        closed = rng.random() < 0.3
        day = opened
        spans = []
        for i in range(n):
            length = rng.randrange(30, 200)
            last = day + dt.timedelta(days=length - 1)
            final = i == n - 1
            spans.append((day, None if final and not closed else last))
            day = last + dt.timedelta(days=1)
        case_last = spans[-1][1] if closed else None
        case = (
            f"LL{child:08d},{opened:%d/%m/%Y},"
            f"{'' if case_last is None else f'{case_last:%d/%m/%Y}'},{team},{category},{complex_}"
        )
        if rng.random() < 0.02:
            out.write(case + ",,,,\r\n")
            written += 1
            continue
        for start, held_to in spans:
            worker = f"B{rng.randrange(WORKERS):05d}"
            until = "" if held_to is None else f"{held_to:%d/%m/%Y}"
            out.write(f"{case},{worker},{start:%d/%m/%Y},{until},\r\n")
        written += len(spans)


def _authority() -> Any:
    """A new authority with teams and workers in post since 2015, nothing else."""
    from decimal import Decimal

    from workforce.core.models import Authority
    from workforce.establishment.models import (
        Engagement,
        EngagementKind,
        Post,
        Role,
        ServiceArea,
        Team,
        Worker,
    )

    authority = Authority.objects.create(code=AUTHORITY_CODE, name="Bench", region="Bench")
    role = Role.objects.create(
        authority=authority, title="Social worker", org_role="5", case_holding=True
    )
    teams = Team.objects.bulk_create(
        Team(authority=authority, name=f"Bench team {i:02d}", service_area=ServiceArea.ASSESSMENT)
        for i in range(TEAMS)
    )
    since = dt.date(2015, 1, 1)
    posts = Post.objects.bulk_create(
        Post(
            authority=authority,
            team=teams[i % TEAMS],
            role=role,
            reference=f"BP{i:05d}",
            start=since,
        )
        for i in range(WORKERS)
    )
    workers = Worker.objects.bulk_create(
        Worker(authority=authority, staff_number=f"B{i:05d}", first_name="Bench", last_name=str(i))
        for i in range(WORKERS)
    )
    Engagement.objects.bulk_create(
        Engagement(
            authority=authority,
            worker=w,
            post=p,
            start=since,
            fte=Decimal("1.00"),
            kind=EngagementKind.PERMANENT,
        )
        for w, p in zip(workers, posts, strict=True)
    )
    return authority


def _floor(data: bytes) -> float:
    """The same rows bulk loaded into a plain table, untouched."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as c:
        c.execute("DROP TABLE IF EXISTS bench_floor")
        c.execute(
            "CREATE TEMPORARY TABLE bench_floor (a TEXT, b TEXT, c TEXT, d TEXT, e TEXT, "
            "f TEXT, g TEXT, h TEXT, i TEXT, j TEXT)"
        )
        if connection.vendor == "postgresql":
            with c.cursor.copy("COPY bench_floor FROM STDIN (FORMAT csv, HEADER true)") as copy:
                copy.write(data)
        else:
            reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline=""))
            next(reader)
            batch: list[list[str]] = []
            marks = ", ".join(["%s"] * 10)
            for row in reader:
                batch.append(row)
                if len(batch) >= 10_000:
                    c.executemany(f"INSERT INTO bench_floor VALUES ({marks})", batch)  # noqa: S608
                    batch = []
            if batch:
                c.executemany(f"INSERT INTO bench_floor VALUES ({marks})", batch)  # noqa: S608
        c.execute("DROP TABLE bench_floor")
    return time.perf_counter() - started


def _file(rows: int) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.csv"
        extract(rows, path)
        return path.read_bytes()


def measure(rows: int) -> dict[str, Any]:
    """In this process, through the import framework's services as the pages and the command
    use them (the file sealed while it waits, what is written recorded for undoing): the file
    made, checked, imported and imported again, then all rolled back."""
    from django.db import connection, transaction
    from django.utils import timezone

    from workforce.caseloads.case_import import CaseImporter
    from workforce.caseloads.models import Allocation, Case
    from workforce.imports import services

    data = _file(rows)
    importer = CaseImporter()
    figures: dict[str, Any] = {"rows": rows, "bytes": len(data), "vendor": connection.vendor}
    with transaction.atomic():
        authority = _authority()

        def check() -> Any:
            started = time.perf_counter()
            run, outcome = services.check(
                importer, authority, data=data, filename="cases.csv", user=None
            )
            return run, outcome, time.perf_counter() - started

        def apply(run: Any) -> tuple[Any, float]:
            started = time.perf_counter()
            outcome = services.apply(run, user=None, now=timezone.now())
            return outcome, time.perf_counter() - started

        run, checked, figures["check_seconds"] = check()
        figures["check_errors"] = checked.error_count
        applied, figures["apply_seconds"] = apply(run)
        figures["apply_errors"] = applied.error_count
        figures["counts"] = applied.counts
        figures["recorded_changes"] = run.changes.count()
        figures["cases"] = Case.objects.filter(authority=authority).count()
        figures["allocations"] = Allocation.objects.filter(authority=authority).count()
        run, _checked, figures["again_check_seconds"] = check()
        again, figures["again_seconds"] = apply(run)
        figures["again_changes"] = again.changes
        figures["floor_seconds"] = _floor(data)
        transaction.set_rollback(True)
    return figures


def memory(rows: int) -> dict[str, Any]:
    """In this process: the importer alone reading the file (a dry run), and the process's peak
    memory, the file's bytes included."""
    from django.db import transaction

    from workforce.caseloads.case_import import CaseImporter
    from workforce.imports.base import read

    data = _file(rows)
    with transaction.atomic():
        outcome = read(CaseImporter(), _authority(), data, apply=False)
        transaction.set_rollback(True)
    return {
        "rows": rows,
        "bytes": len(data),
        "errors": outcome.error_count,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _child(rows: int, database_url: str, what: str = "measure") -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": database_url}
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    done = subprocess.run(
        [sys.executable, str(Path(__file__)), "--rows", str(rows), "--json", what],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def results(
    ctx: Any, figures: dict[str, Any], whole: dict[str, Any], tenth: dict[str, Any]
) -> list[dict[str, object]]:
    """The timed figures of `figures`; the memory of the importer alone reading `whole` and
    `tenth` of its rows."""
    rows = figures["rows"]
    target = TARGET * rows / 1_000_000
    # Peak memory less the file itself: what the import holds beyond the bytes it is handed.
    memory = {
        "peak_rss_mb": round(whole["peak_rss_mb"]),
        "peak_rss_mb_tenth": round(tenth["peak_rss_mb"]),
        "beyond_file_mb": round(whole["peak_rss_mb"] - whole["bytes"] / 2**20),
        "beyond_file_mb_tenth": round(tenth["peak_rss_mb"] - tenth["bytes"] / 2**20),
        "file_mb": round(whole["bytes"] / 2**20, 1),
    }
    vendor = figures["vendor"]
    return [
        ctx.result(
            f"cases extract checked (dry run), new authority, {vendor}",
            seconds=figures["check_seconds"],
            floor_seconds=figures["floor_seconds"],
            target_seconds=target,
            rows=rows,
            errors=figures["check_errors"],
            **memory,
        ),
        ctx.result(
            f"cases extract imported, new authority, {vendor}",
            seconds=figures["apply_seconds"],
            floor_seconds=figures["floor_seconds"],
            target_seconds=target,
            rows=rows,
            counts=figures["counts"],
            recorded_changes=figures["recorded_changes"],
            errors=figures["apply_errors"],
        ),
        ctx.result(
            f"the same cases extract imported again (changes nothing), {vendor}",
            seconds=figures["again_seconds"],
            floor_seconds=figures["floor_seconds"],
            target_seconds=target,
            rows=rows,
            changes=figures["again_changes"],
            check_seconds=round(figures["again_check_seconds"], 2),
        ),
    ]


def _all(rows: int, url: str, ctx: Any) -> list[dict[str, object]]:
    figures = _child(rows, url)
    tenth = _child(rows // 10, url, "memory")
    whole = _child(rows, url, "memory")
    found = results(ctx, figures, whole, tenth)
    memory = found[0]
    print(
        f"  peak memory reading {rows:,} rows {memory['peak_rss_mb']} MB, "
        f"{rows // 10:,} rows {memory['peak_rss_mb_tenth']} MB; less the file's own bytes "
        f"{memory['beyond_file_mb']} MB and {memory['beyond_file_mb_tenth']} MB"
    )
    return found


def run(ctx: Any) -> list[dict[str, object]]:
    return _all(ROWS.get(ctx.scale, ROWS["la"]), f"sqlite:///{ctx.database}", ctx)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=ROWS["la"])
    parser.add_argument(
        "--json",
        choices=("measure", "memory"),
        help="Measure in this process and print the figures as JSON only.",
    )
    parser.add_argument("--migrate", action="store_true", help="Migrate the database first.")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", "--noinput", verbosity=0)
    if args.json:
        print(json.dumps(measure(args.rows) if args.json == "measure" else memory(args.rows)))
        return 0
    from django.db import connection

    from bench.run import Context

    url = os.environ.get("DATABASE_URL", "")
    if not url:
        url = f"sqlite:///{connection.settings_dict['NAME']}"
    connection.close()
    ctx = Context(
        scale="",
        seed=1,
        today=dt.date.today(),
        repeat=1,
        database=Path(),
        seed_seconds=None,
        seed_rows=0,
    )
    for result in _all(args.rows, url, ctx):
        print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
