"""Which census years the page offers, and who reaches the history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from workforce.census.selectors import census_years, exports_for
from workforce.core.access import scope_for
from workforce.establishment.models import Engagement
from workforce.establishment.tests.factories import PostFactory, RoleFactory, WorkerFactory


def _engagement(authority, org_role, start, end=None):
    role = RoleFactory(authority=authority, org_role=org_role)
    post = PostFactory(authority=authority, team__authority=authority, role=role)
    return Engagement.objects.create(
        authority=authority,
        worker=WorkerFactory(authority=authority),
        post=post,
        start=start,
        end=end,
        fte=Decimal("1"),
    )


def test_census_years_are_those_a_counted_engagement_overlaps(personas, authority):
    # 1 October 2021 to 1 October 2022 (last day 30 September 2022): the years to 2022 only.
    _engagement(authority, "5", dt.date(2021, 10, 1), dt.date(2022, 10, 1))
    # From 1 October 2023, still held: 2024; 2025's census day is still to come on 15 August.
    _engagement(authority, "5", dt.date(2023, 10, 1))
    # A post the census does not count adds no year.
    _engagement(authority, "", dt.date(2010, 1, 1))

    years = census_years(scope_for(personas.lead), today=dt.date(2025, 8, 15))

    assert years == [2024, 2022]


def test_a_manager_reaches_no_census_year_or_export(personas, authority):
    _engagement(authority, "5", dt.date(2021, 10, 1))
    scope = scope_for(personas.manager)

    assert census_years(scope, today=dt.date(2025, 8, 15)) == []
    assert not exports_for(scope).exists()
