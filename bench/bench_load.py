"""The load test: 50 simulated users at once against gunicorn and PostgreSQL on loopback
(bench/load/). Target: every page's 95th percentile under 300 ms, and no errors.

Two runs, each in its own throwaway PostgreSQL cluster (.ci/with-postgres):
- the local-authority demo ("la") with users of every role (workforce leads, HR officers, team
  managers, board members, analysts, administrators), always;
- England scale with regional analysts on benchmarking and figures, when the bench runs at
  England scale (`make bench`).

Floor, measured in the same run: the 95th percentile of /health/ (which reads almost nothing),
requested once a second under the same load.

Run alone: `.venv/bin/python bench/run.py --only load --scale la` (the la run only) or
`--only load` (both). BENCH_LOAD_SECONDS sets each run's length (default 60) and
BENCH_LOAD_WAIT the pause between a user's pages ("low,high" seconds, default "1,5").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OWN_DATABASE = True  # builds its own PostgreSQL databases, not bench/run.py's SQLite one
TARGET = 0.3
USERS = 50
SLOWEST = 5  # groups of pages listed beside the overall figure


def run(ctx: Any) -> list[dict[str, object]]:
    seconds = os.environ.get("BENCH_LOAD_SECONDS", "60")
    wait = os.environ.get("BENCH_LOAD_WAIT", "1,5")
    scales = ["la"] + (["england"] if ctx.scale == "england" else [])
    rows: list[dict[str, object]] = []
    for scale in scales:
        with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
            out = Path(tmp) / "figures.json"
            subprocess.run(
                ["bash", str(ROOT / ".ci/with-postgres"), sys.executable, "-m"]
                + ["bench.load.session", "--scale", scale, "--users", str(USERS)]
                + ["--seconds", seconds, "--wait", wait, "--out", str(out)],
                cwd=ROOT,
                check=True,
            )
            figures = json.loads(out.read_text())
        rows += results_rows(ctx, figures)
    return rows


def results_rows(ctx: Any, figures: dict[str, Any]) -> list[dict[str, object]]:
    """The overall figure for pages, signing in, and the slowest groups of pages."""
    who = "every role" if figures["scale"] == "la" else "regional analysts"
    label = f"load {figures['scale']}, {figures['users']} users ({who})"
    floor = _seconds(figures["floor"]["p95_ms"])
    pages = figures["pages"]
    common = {
        "scale": figures["scale"],
        "percentile": 95,
    }
    rows = [
        ctx.result(
            f"{label}: all pages, {figures['errors']} errors",
            seconds=_seconds(pages["p95_ms"]),
            floor_seconds=floor,
            target_seconds=TARGET,
            rows=pages["requests"],
            **common,
            p50_ms=pages["p50_ms"],
            p99_ms=pages["p99_ms"],
            errors=figures["errors"],
            failed_sign_ins=figures["failed_sign_ins"],
            pages_per_second=figures["pages_per_second"],
            run_seconds=figures["seconds"],
            wait_seconds=figures["wait_seconds"],
            load_average_before=figures["load_average_before"],
            load_average_after=figures["load_average_after"],
            gunicorn_workers=figures["gunicorn_workers"],
            groups=figures["groups"],
            locust=figures["locust"],
        ),
        ctx.result(
            f"{label}: pages once all had signed in",
            seconds=_seconds(figures["pages_after_sign_in"]["p95_ms"]),
            floor_seconds=floor,
            target_seconds=TARGET,
            rows=figures["pages_after_sign_in"]["requests"],
            **common,
            p50_ms=figures["pages_after_sign_in"]["p50_ms"],
            p99_ms=figures["pages_after_sign_in"]["p99_ms"],
            failures=figures["pages_after_sign_in"]["failures"],
        ),
        ctx.result(
            f"{label}: signing in (password, code)",
            seconds=_seconds(figures["sign_in"]["p95_ms"]),
            floor_seconds=floor,
            target_seconds=None,
            rows=figures["sign_in"]["requests"],
            **common,
            failures=figures["sign_in"]["failures"],
        ),
    ]
    slowest = sorted(figures["groups"].items(), key=lambda g: -(g[1]["p95_ms"] or 0))
    for group, data in slowest[:SLOWEST]:
        rows.append(
            ctx.result(
                f"{label}: {group}",
                seconds=_seconds(data["p95_ms"]),
                floor_seconds=floor,
                target_seconds=TARGET,
                rows=data["requests"],
                **common,
                failures=data["failures"],
            )
        )
    return rows


def _seconds(ms: float | None) -> float | None:
    return None if ms is None else ms / 1000
