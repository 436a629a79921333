"""Benchmarks: time named operations on a demo database and compare each with a floor.

    make bench                              # England scale (builds .bench/england.sqlite3 once)
    .venv/bin/python bench/run.py --scale la  # a quick run on one authority

The database is built with `manage.py seed_demo` in a subprocess and kept; a later run reuses it
while the scale, seed, `--today` and the code that shapes the data (migrations, demo
generators) are unchanged. Every module `bench/bench_*.py` is then imported and its
`run(ctx) -> list[dict]` called; each dict names an operation and gives its median time, a
floor measured in the same run (usually one raw SQL scan of the same rows) and a target. The
results are printed with their ratio to the floor and written to `.bench/latest.json`.
Benchmarks inform; they are not tests, and a figure over its target does not fail the run.
A module that sets `OWN_DATABASE = True` builds its own (the load test, bench_load.py, on
throwaway PostgreSQL clusters): run alone (`--only load`), no SQLite demo is built for it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import importlib
import json
import os
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / ".bench"
DEFAULT_TODAY = "2025-09-30"  # fixed, so that a reused database gives comparable figures
SCALES = ("team", "la", "region", "england")


@dataclass
class Context:
    """What a benchmark module gets: the database, the scale, and timing helpers."""

    scale: str
    seed: int
    today: dt.date
    repeat: int
    database: Path
    seed_seconds: float | None
    seed_rows: int
    seed_other_apps_seconds: dict[str, float] = field(default_factory=dict)
    authority_ids: list[int] = field(default_factory=list)
    demo_authority_id: int = 0

    def time(self, operation: Callable[[], object], repeat: int | None = None) -> float:
        """Median wall time of `operation` over `repeat` runs, after one warm-up run."""
        operation()
        runs = []
        for _ in range(repeat or self.repeat):
            started = time.perf_counter()
            operation()
            runs.append(time.perf_counter() - started)
        return statistics.median(runs)

    def time_sql(self, sql: str, params: Sequence[Any] = (), repeat: int | None = None) -> float:
        """Median time of one raw SQL statement, rows fetched: the usual floor."""
        from django.db import connection

        def scan() -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, list(params))
                cursor.fetchall()

        return self.time(scan, repeat)

    def result(
        self,
        name: str,
        *,
        seconds: float | None,
        floor_seconds: float | None,
        target_seconds: float | None,
        rows: int | None,
        **extra: object,
    ) -> dict[str, object]:
        ratio = None
        if seconds is not None and floor_seconds:
            ratio = round(seconds / floor_seconds, 1)
        return {
            "name": name,
            "seconds": None if seconds is None else round(seconds, 4),
            "floor_seconds": None if floor_seconds is None else round(floor_seconds, 4),
            "ratio": ratio,
            "target_seconds": target_seconds,
            "within_target": None
            if seconds is None or target_seconds is None
            else seconds <= target_seconds,
            "scale": self.scale,
            "rows": rows,
            **extra,
        }


def _fingerprint() -> str:
    """What shapes the built database: migrations and the demo generators."""
    digest = hashlib.sha256()
    paths = sorted(ROOT.glob("workforce/*/migrations/0*.py"))
    paths += sorted(ROOT.glob("workforce/demo/*.py")) + sorted(ROOT.glob("workforce/*/demo.py"))
    paths += sorted(ROOT.glob("workforce/*/demo/*.py"))
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _manage(args: list[str], database: Path) -> float:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    started = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)
    return time.perf_counter() - started


def ensure_database(scale: str, seed: int, today: str, rebuild: bool) -> dict[str, Any]:
    """Build the demo database for `scale` unless an identical one is already there."""
    OUT.mkdir(exist_ok=True)
    database = OUT / f"{scale}.sqlite3"
    meta_path = OUT / f"{scale}.json"
    wanted = {"scale": scale, "seed": seed, "today": today, "fingerprint": _fingerprint()}
    if not rebuild and database.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if all(meta.get(k) == v for k, v in wanted.items()):
            print(f"Reusing {database.relative_to(ROOT)} (seed {seed}, built {meta['built']}).")
            return {**meta, "database": str(database), "reused": True}
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    meta_path.unlink(missing_ok=True)
    print(f"Building the {scale} demo in {database.relative_to(ROOT)} (seed {seed}) ...")
    _manage(["migrate", "--noinput", "-v0"], database)
    timings = OUT / f"{scale}-timings.json"
    seconds = _manage(
        ["seed_demo", "--scale", scale, "--seed", str(seed), "--today", today]
        + ["--timings", str(timings)],
        database,
    )
    other_apps = json.loads(timings.read_text()).get("other_apps", {}) if timings.exists() else {}
    meta = {
        **wanted,
        "seed_seconds": round(seconds, 2),
        "seed_other_apps_seconds": other_apps,
        "built": dt.datetime.now().isoformat(),
    }
    meta_path.write_text(json.dumps(meta, indent=2))
    return {**meta, "database": str(database), "reused": False}


def _setup_django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _modules(only: str) -> list[str]:
    """The bench modules `--only` names: exactly one if it is a whole name (`load` is
    bench_load, not also bench_caseloads), else every module whose name contains it."""
    names = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    if only and f"bench_{only}" in names:
        return [f"bench_{only}"]
    return [n for n in names if only in n]


def _format(value: object, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if value >= 100:
            return f"{value:.0f}{unit}"
        return f"{value:.3g}{unit}" if value < 0.1 else f"{value:.2f}{unit}"
    return f"{value}{unit}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--scale", choices=SCALES, default="england")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", default=DEFAULT_TODAY, help="History end (YYYY-MM-DD).")
    parser.add_argument("--repeat", type=int, default=5, help="Runs per figure (median).")
    parser.add_argument("--rebuild", action="store_true", help="Build the database afresh.")
    parser.add_argument("--only", default="", help="Run only bench modules containing this.")
    args = parser.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)  # progress shows when piped to a file

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    names = _modules(args.only)
    if names and all(
        getattr(importlib.import_module(f"bench.{n}"), "OWN_DATABASE", False) for n in names
    ):
        # Sections that build databases of their own (the load test) need no SQLite demo.
        return _run_sections(names, _bare_context(args), args)
    meta = ensure_database(args.scale, args.seed, args.today, args.rebuild)
    database = Path(meta["database"])
    _setup_django(database)

    from workforce.core.models import Authority
    from workforce.demo import checks, generator
    from workforce.establishment.models import (
        Absence,
        Engagement,
        Leaving,
        Post,
        PostFunding,
        Worker,
    )

    authority_ids = list(
        Authority.objects.filter(teams_exist()).order_by("code").values_list("pk", flat=True)
    )
    demo = Authority.objects.get(code=generator.DEMO_CODE)
    rows = sum(m.objects.count() for m in (Post, PostFunding, Worker, Engagement, Leaving, Absence))
    if not meta["reused"]:
        started = time.perf_counter()
        problems = checks.invariant_problems(authority_ids)
        took = time.perf_counter() - started
        if problems:
            print(f"Invariants broken ({len(problems)}), for example: {problems[:5]}")
        else:
            print(f"Invariants hold over {rows:,} rows (checked in {took:.1f} s).")
        meta["invariant_problems"] = len(problems)
        (OUT / f"{args.scale}.json").write_text(
            json.dumps({k: v for k, v in meta.items() if k not in ("database", "reused")}, indent=2)
        )
    ctx = Context(
        scale=args.scale,
        seed=args.seed,
        today=dt.date.fromisoformat(args.today),
        repeat=args.repeat,
        database=database,
        seed_seconds=meta.get("seed_seconds"),
        seed_rows=rows,
        seed_other_apps_seconds=meta.get("seed_other_apps_seconds", {}),
        authority_ids=authority_ids,
        demo_authority_id=demo.pk,
    )
    return _run_sections(names, ctx, args, meta=meta)


def _bare_context(args: argparse.Namespace) -> Context:
    return Context(
        scale=args.scale,
        seed=args.seed,
        today=dt.date.fromisoformat(args.today),
        repeat=args.repeat,
        database=Path(),
        seed_seconds=None,
        seed_rows=0,
    )


def _run_sections(
    names: list[str],
    ctx: Context,
    args: argparse.Namespace,
    meta: dict[str, Any] | None = None,
) -> int:
    meta = meta or {}
    results: list[dict[str, Any]] = []
    failed = []
    for name in names:
        print(f"Running {name} ...")
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.{name}")
            results += module.run(ctx)
        except Exception:  # one broken benchmark should not hide the others
            traceback.print_exc()
            failed.append(name)
        print(f"  {name} took {time.perf_counter() - started:.1f} s")

    header = ("operation", "seconds", "floor", "ratio", "target", "rows", "")
    table = [header] + [
        (
            r["name"],
            _format(r["seconds"]),
            _format(r["floor_seconds"]),
            _format(r["ratio"], "x"),
            _format(r["target_seconds"]),
            "-" if r["rows"] is None else f"{r['rows']:,}",
            "" if r["within_target"] in (None, True) else "OVER TARGET",
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    where = f", {len(ctx.authority_ids)} authorities" if ctx.authority_ids else ""
    print(f"\nScale {args.scale}, seed {args.seed}, as at {args.today}{where}")
    for i, row in enumerate(table):
        print(
            "  ".join(
                cell.ljust(w) if j == 0 else cell.rjust(w)
                for j, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if i == 0:
            print("  ".join("-" * w for w in widths))
    report = {
        "scale": args.scale,
        "seed": args.seed,
        "today": args.today,
        "database": str(ctx.database.relative_to(ROOT)) if ctx.seed_rows else None,
        "authorities": len(ctx.authority_ids),
        "rows": ctx.seed_rows,
        "seed_seconds": meta.get("seed_seconds"),
        "failed_modules": failed,
        "results": results,
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "latest.json").write_text(json.dumps(report, indent=2, default=str))
    print(f"\nWrote {(OUT / 'latest.json').relative_to(ROOT)}")
    return 1 if failed else 0


def teams_exist() -> Any:
    from django.db.models import Exists, OuterRef

    from workforce.establishment.models import Team

    return Exists(Team.objects.filter(authority=OuterRef("pk")))


if __name__ == "__main__":
    sys.exit(main())
