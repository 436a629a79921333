"""Stored figures: each authority's census workforce at every month end, kept ready.

A monthly series for whole authorities (the dashboard's default, the board's report, all of
England for benchmarking) gives the same answer again and again until somebody changes a
record. So the components of the workforce providers are stored per authority at consecutive
month ends, with the data version they were computed from. Database triggers add one to an
authority's version on every insert, update and delete of the records those providers read
(see migration 0002), whatever writes it. A read uses an authority's stored figures only when
their version is its current one and they cover the dates asked for; otherwise it computes that
authority's figures from the records for those dates. Reads never write: figures are stored by
`refresh` and `refresh_all`, which only the `store_figures` command (run on a schedule and after
imports) and the demo generator call, so no page request (a GET) writes to the database.

Only whole authorities with the default filter (census-counted roles) at month ends are stored.
A team, service area, role or OrgRole filter, all roles, a date that is not a month end, and a
breakdown by team or role are computed live by `engine`. Every stored component is additive
over authorities (workers belong to one), so the figures for many authorities are sums.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from workforce.metrics import engine
from workforce.metrics.engine import Component, MetricsFilter, Timeline, month_end
from workforce.metrics.models import DataVersion, StoredFigures

STORED_PROVIDERS = ("establishment", "headcounts", "starters", "leavers", "sickness")
MONTHS_AHEAD = 12  # months stored after the current one, for targets and planned posts
MONTHS_STORED = 180  # fifteen years: a ten-year series ending up to four years ago fits

Row = tuple[int, int, dt.date, int, dict[str, Any]]  # FIELDS of a stored row
FIELDS = ("authority_id", "version", "first_month", "months", "figures")


def stored_components() -> list[str]:
    return [name for name, provider in engine.PROVIDES.items() if provider in STORED_PROVIDERS]


@functools.cache
def code_version() -> str:
    """A fingerprint of the code that computes the stored components: figures stored by other
    code (before an upgrade changed a definition) are out of date whatever their version."""
    digest = hashlib.sha256()
    for module in sorted(Path(engine.__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())
    digest.update(" ".join(sorted(stored_components())).encode())
    return digest.hexdigest()[:16]


def _current(row: Row, versions: dict[int, int]) -> bool:
    """Whether a stored row was computed from the authority's records as they are now."""
    return row[1] == versions.get(row[0], 0) and row[4].get("code") == code_version()


def _month(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _from_month(index: int) -> dt.date:
    return month_end(dt.date(index // 12, index % 12 + 1, 1))


def answers(where: MetricsFilter, timeline: Timeline, by: str | None) -> bool:
    """Whether stored figures can answer: whole authorities, default filter, month ends."""
    return (
        by is None
        and where.team_ids is None
        and not where.service_area
        and where.role_ids is None
        and where.org_roles is None
        and where.census_only
        and (timeline.monthly_buckets or all(_is_month_end(day) for day in timeline.dates))
    )


def _is_month_end(day: dt.date) -> bool:
    return (day + dt.timedelta(days=1)).day == 1


def components(
    names: Sequence[str], *, where: MetricsFilter, timeline: Timeline, by: str | None = None
) -> Component:
    """`engine.components`, from stored figures where they can answer."""
    if not where.authority_ids or not answers(where, timeline, by):
        return engine.components(names, where=where, timeline=timeline, by=by)
    stored = set(stored_components())
    kept = [name for name in names if name in stored]
    live = [name for name in names if name not in stored]
    out = engine.components(live, where=where, timeline=timeline) if live else {}
    if kept:
        out.update(read(kept, authority_ids=where.authority_ids, timeline=timeline))
    return out


# Reading -------------------------------------------------------------------------------------


def read(names: Sequence[str], *, authority_ids: Sequence[int], timeline: Timeline) -> Component:
    """Components summed over the authorities at each date of the timeline: stored figures
    where they are current and cover the dates; the other authorities' computed together from
    the records, and not stored (a read writes nothing)."""
    first, last = _month(timeline.first), _month(timeline.last)
    rows = _rows(authority_ids)
    versions = _versions(authority_ids)
    wanted = set(authority_ids)
    fresh = {
        row[0]: row
        for row in rows
        if row[0] in wanted
        and _current(row, versions)
        and _month(row[2]) <= first
        and last < _month(row[2]) + row[3]
    }
    columns = [_month(day) for day in timeline.dates]
    parts: list[tuple[int | None, dict[str, Any]]] = [
        (_month(first_month), figures) for _, _, first_month, _, figures in fresh.values()
    ]
    stale = tuple(sorted(wanted - fresh.keys()))
    if stale:
        computed = engine.components(
            names, where=MetricsFilter(authority_ids=stale), timeline=timeline
        )
        parts.append((None, _encode(computed)))  # one value per date of the timeline
    out: Component = {}
    for name in names:
        stack = []
        scaled = False
        for offset, figures in parts:
            values = figures["values"][name]
            stack.append(values if offset is None else [values[c - offset] for c in columns])
            scaled = name in figures["scaled"]
        totals = np.sum(np.array(stack, dtype=np.int64), axis=0) if stack else [0] * timeline.n
        out[name] = {None: [_value(int(total), scaled) for total in totals]}
    return out


def _value(total: int, scaled: bool) -> Any:
    return engine._fte(total) if scaled else total


def _rows(authority_ids: Sequence[int]) -> list[Row]:
    query = StoredFigures.objects.values_list(*FIELDS)
    if len(authority_ids) <= engine.MANY:
        query = query.filter(authority_id__in=authority_ids)
    return list(query)


def _versions(authority_ids: Sequence[int]) -> dict[int, int]:
    query = DataVersion.objects.values_list("authority_id", "version")
    if len(authority_ids) <= engine.MANY:
        query = query.filter(authority_id__in=authority_ids)
    return dict(query)


# Computing -----------------------------------------------------------------------------------


def window(covering: Timeline | None = None, today: dt.date | None = None) -> Timeline:
    """The month ends to store: from twelve years before the month a year after today, and
    always far enough either way to cover `covering`."""
    today = today or timezone.localdate()
    last = _month(today) + MONTHS_AHEAD
    first = last - MONTHS_STORED + 1
    if covering is not None:
        last = max(last, _month(covering.last))
        first = min(first, _month(covering.first))
    return Timeline.monthly(_from_month(last), last - first + 1)


def refresh(
    authority_id: int, *, covering: Timeline | None = None, today: dt.date | None = None
) -> Row:
    """Compute and store one authority's figures; returns the stored row."""
    dates = window(covering, today)
    with transaction.atomic():
        # The version is read before the records: figures are never older than it says.
        version = (
            DataVersion.objects.filter(authority_id=authority_id)
            .values_list("version", flat=True)
            .first()
        ) or 0
        comps = engine.components(
            stored_components(), where=MetricsFilter(authority_ids=(authority_id,)), timeline=dates
        )
        figures = _encode(comps)
        StoredFigures.objects.bulk_create(
            [
                StoredFigures(
                    authority_id=authority_id,
                    version=version,
                    first_month=dates.first,
                    months=dates.n,
                    figures=figures,
                )
            ],
            update_conflicts=True,
            unique_fields=["authority_id"],
            update_fields=["version", "first_month", "months", "figures", "computed_at"],
        )
    return (authority_id, version, dates.first, dates.n, figures)


def refresh_all(
    authority_ids: Iterable[int],
    *,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Compute and store the figures of each authority that is not up to date; returns how many.
    `progress(done, of)` is called after each one."""
    ids = list(authority_ids)
    versions = _versions(ids)
    current = {row[0] for row in _rows(ids) if _current(row, versions)}
    stale = [i for i in ids if i not in current]
    for done, authority_id in enumerate(stale, start=1):
        refresh(authority_id, today=today)
        if progress is not None:
            progress(done, len(stale))
    return len(stale)


def _encode(comps: Component) -> dict[str, Any]:
    values: dict[str, list[int]] = {}
    scaled = []
    for name, by_group in comps.items():
        series = by_group[None]
        if any(isinstance(v, Decimal) for v in series):
            scaled.append(name)
            values[name] = [int(Decimal(v) * 100) for v in series]
        else:
            values[name] = [int(v) for v in series]
    return {"code": code_version(), "scaled": scaled, "values": values}
