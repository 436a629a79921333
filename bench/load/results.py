"""Figures from a load run: response times by group of pages, from the samples the locustfile
writes (every request's group, milliseconds and outcome), and locust's own summary CSV
(`--csv PREFIX` writes PREFIX_stats.csv) for its request rate and failures."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

FLOOR_GROUP = "health (floor)"
SIGN_IN_PREFIX = "sign in"


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile: the smallest value with at least q% of values at or
    below it."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


Sample = tuple[str, float, bool, float]  # group, milliseconds, answered as asked, start (epoch)


def figures(samples: Iterable[Sample]) -> dict[str, Any]:
    times = []
    failures = 0
    for _, ms, ok, _ in samples:
        times.append(ms)
        failures += not ok
    return {
        "requests": len(times),
        "failures": failures,
        "p50_ms": round(percentile(times, 50), 1) if times else None,
        "p95_ms": round(percentile(times, 95), 1) if times else None,
        "p99_ms": round(percentile(times, 99), 1) if times else None,
        "max_ms": round(max(times), 1) if times else None,
    }


def read_samples(path: Path) -> list[Sample]:
    with open(path, newline="") as source:
        return [
            (r["group"], float(r["ms"]), r["ok"] == "1", float(r["start"]))
            for r in csv.DictReader(source)
        ]


def summarise(samples: list[Sample], seconds: float) -> dict[str, Any]:
    """Pages (every group but signing in and the floor) overall and by group, signing in,
    the floor, errors and the pages' rate; and the pages opened once everyone had signed in
    (signing in hashes a password, on purpose slow, so 50 at once load the server)."""
    pages = [s for s in samples if s[0] != FLOOR_GROUP and not s[0].startswith(SIGN_IN_PREFIX)]
    signing_in = [s for s in samples if s[0].startswith(SIGN_IN_PREFIX)]
    signed_in_by = max((s[3] + s[1] / 1000 for s in signing_in), default=0.0)
    groups = sorted({s[0] for s in pages})
    overall = figures(pages)
    return {
        "pages": overall,
        "pages_after_sign_in": figures(s for s in pages if s[3] >= signed_in_by),
        "groups": {g: figures(s for s in pages if s[0] == g) for g in groups},
        "sign_in": figures(signing_in),
        "floor": figures(s for s in samples if s[0] == FLOOR_GROUP),
        "errors": sum(not ok for _, _, ok, _ in samples),
        "pages_per_second": round(overall["requests"] / seconds, 1) if seconds else None,
    }


def read_locust_stats(path: Path) -> dict[str, dict[str, Any]]:
    """locust's PREFIX_stats.csv by name ("Aggregated" for all requests)."""

    def number(value: str) -> float | None:
        return None if value in ("", "N/A") else float(value)

    rows = {}
    with open(path, newline="") as source:
        for row in csv.DictReader(source):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "requests_per_second": number(row["Requests/s"]),
                "p50_ms": number(row["50%"]),
                "p95_ms": number(row["95%"]),
                "p99_ms": number(row["99%"]),
            }
    return rows
