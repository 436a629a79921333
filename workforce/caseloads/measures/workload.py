"""Weighted workload: points by worker and capacity."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from workforce.core import numbers

if TYPE_CHECKING:
    pass
from workforce.caseloads.measures.base import (
    ALLOCATION,
    CASE_CATEGORY,
    CaseloadFilter,
    SchemeSettings,
    _active,
    _fetch,
    _Params,
)

# Weighted workload ---------------------------------------------------------------------------


def points_by_worker(
    where: CaseloadFilter,
    on: dt.date,
    scheme: SchemeSettings,
    *,
    worker_ids: Sequence[int] | None = None,
) -> dict[int, tuple[int, int]]:
    """Per worker holding cases on `on`: (cases, weighted points). One grouped query."""
    p = _Params()
    day = p.add("on", on)
    worker_sql = ""
    if worker_ids is not None:
        worker_sql = f" AND a.worker_id IN ({p.many('w', list(worker_ids))})"
    sql = (
        "SELECT a.worker_id, cc.category, cc.complex, COUNT(DISTINCT a.case_id)"
        f" FROM {ALLOCATION} a"
        f" LEFT JOIN {CASE_CATEGORY} cc ON cc.case_id = a.case_id AND {_active('cc', day)}"
        f" WHERE a.authority_id IN ({p.many('a', where.authority_ids)}){worker_sql}"
        f" AND {_active('a', day)}"
        " GROUP BY a.worker_id, cc.category, cc.complex"
    )
    cases: dict[int, int] = defaultdict(int)
    points: dict[int, int] = defaultdict(int)
    for worker_id, category, complex_, n in _fetch(sql, p):
        cases[worker_id] += int(n)
        points[worker_id] += int(n) * scheme.points(category, bool(complex_))
    return {w: (cases[w], points[w]) for w in cases}


def capacity_points(
    *,
    role_points: int,
    fte: Decimal,
    asye: bool,
    scheme: SchemeSettings,
    percent: int | None = None,
) -> Decimal:
    """A worker's capacity: the role's points (or the scheme default) × FTE, reduced in ASYE,
    or to `percent` of it when a registered capacity rule gives one (`caseloads.capacity`)."""
    base = Decimal(role_points or scheme.default_capacity_points) * Decimal(fte)
    if percent is not None:
        base = base * Decimal(percent) / Decimal(100)
    elif asye:
        base = base * Decimal(scheme.asye_capacity_percent) / Decimal(100)
    return numbers.rounded(base, 1) or Decimal(0)
