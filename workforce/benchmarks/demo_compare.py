"""The demo authority's comparator group. Demo Borough Council (code 990) is not a real
authority: DfE publishes no figures for it and names no statistical neighbours, so its live
figures are compared with a group of the real West Midlands authorities, its region. Without
DfE's statistics loaded (`seed_demo --without-statistics`) there is nothing to compare with and
no group is made."""

from __future__ import annotations

import datetime as dt

import numpy as np

from workforce.benchmarks.models import Area, AreaLevel, ComparatorGroup
from workforce.benchmarks.services import create_group
from workforce.core.models import Authority

DEMO_CODE = "990"
GROUP_NAME = "West Midlands authorities"


def build(*, authority: Authority, rng: np.random.Generator, today: dt.date, scale: str) -> None:
    if authority.code != DEMO_CODE:
        return
    if ComparatorGroup.objects.filter(authority=authority, name=GROUP_NAME).exists():
        return
    areas = list(
        Area.objects.filter(
            level=AreaLevel.LOCAL_AUTHORITY, region__name=authority.region or "West Midlands"
        ).order_by("name")
    )
    if not areas:
        return
    create_group(
        authority=authority,
        name=GROUP_NAME,
        areas=areas,
        description=f"Every local authority of the {authority.region or 'West Midlands'} region.",
    )
