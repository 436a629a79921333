"""Reads for the census pages."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from workforce.census.models import CensusExport
from workforce.census.returns import census_date, year_start
from workforce.core.models import Authority
from workforce.establishment.models import Engagement


def census_years(authority: Authority, *, today: dt.date) -> list[int]:
    """Census years (ending 30 September, on or before today) in which someone held a
    census-counted engagement, latest first."""
    last = today.year if today >= census_date(today.year) else today.year - 1
    counted = Engagement.objects.for_authority(authority).exclude(post__role__org_role="")
    first = counted.order_by("start").values_list("start", flat=True).first()
    if first is None:
        return []
    years = []
    for year in range(last, first.year - 1, -1):
        overlapping = counted.filter(
            Q(end__isnull=True) | Q(end__gt=year_start(year)), start__lte=census_date(year)
        )
        if overlapping.exists():
            years.append(year)
    return years


def exports_for(authority: Authority) -> QuerySet[CensusExport]:
    return CensusExport.objects.for_authority(authority).select_related("exported_by")
