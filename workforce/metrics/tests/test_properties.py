"""Properties that hold for any history: bounded rates, vacancies that cover the gap, teams that
add up to the whole, and a monthly series that agrees with each month end's own figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workforce.establishment.models import (
    Absence,
    AgencyCover,
    Engagement,
    EngagementKind,
    Leaving,
    PostFunding,
)
from workforce.establishment.tests.factories import (
    PostFactory,
    RoleFactory,
    TeamFactory,
    WorkerFactory,
)
from workforce.metrics.engine import MetricsFilter
from workforce.metrics.selectors import breakdown, measures_on, monthly_series

pytestmark = pytest.mark.django_db

D = dt.date
EPOCH = D(2022, 1, 1)
LAST = D(2024, 12, 31)
KINDS = [k.value for k in EngagementKind]
FTES = [Decimal(x) for x in ("0.2", "0.5", "0.6", "0.8", "1.00")]

days = st.integers(min_value=0, max_value=(LAST - EPOCH).days)
engagement = st.tuples(
    st.integers(0, 5),  # post
    st.integers(0, 4),  # worker
    days,
    st.one_of(st.none(), st.integers(1, 500)),  # length in days, or open
    st.sampled_from(FTES),
    st.sampled_from(KINDS),
    st.sampled_from([c.value for c in AgencyCover]),
)
leaving = st.tuples(st.integers(0, 4), days, st.sampled_from(FTES), st.integers(0, 1))
absence = st.tuples(
    st.integers(0, 4),  # worker
    days,
    st.one_of(st.none(), st.integers(1, 60)),  # length in days, or still open
    st.integers(1, 20),  # working days lost
    st.sampled_from(["SIC", "TRN"]),
)
layouts = st.fixed_dictionaries(
    {
        "funding": st.lists(st.sampled_from(FTES), min_size=6, max_size=6),
        "engagements": st.lists(engagement, max_size=12),
        "leavings": st.lists(leaving, max_size=4),
        "absences": st.lists(absence, max_size=4),
        "on": days,
    }
)

SETTINGS = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def build(authority, layout):
    teams = [TeamFactory(authority=authority) for _ in range(2)]
    roles = [
        RoleFactory(authority=authority, org_role="5"),
        RoleFactory(authority=authority, org_role="3"),
        RoleFactory(authority=authority, org_role=""),
    ]
    posts = [
        PostFactory(team=teams[i % 2], role=roles[i % 3], start=EPOCH, fte=fte)
        for i, fte in enumerate(layout["funding"])
    ]
    workers = [WorkerFactory(authority=authority) for _ in range(5)]
    # Engagements straight into the tables: the measures must cope with any recorded history.
    Engagement.objects.bulk_create(
        Engagement(
            authority=authority,
            post=posts[p],
            worker=workers[w],
            start=EPOCH + dt.timedelta(days=start),
            end=None if length is None else EPOCH + dt.timedelta(days=start + length),
            fte=fte,
            kind=kind,
            covers=covers if kind == EngagementKind.AGENCY else "",
        )
        for p, w, start, length, fte, kind, covers in layout["engagements"]
    )
    Leaving.objects.bulk_create(
        Leaving(
            authority=authority,
            worker=workers[w],
            last_day=EPOCH + dt.timedelta(days=day),
            reason="1",
            fte=fte,
            org_role="5" if team else "",
            team=teams[team],
        )
        for w, day, fte, team in layout["leavings"]
    )
    Absence.objects.bulk_create(
        Absence(
            authority=authority,
            worker=workers[w],
            start=EPOCH + dt.timedelta(days=start),
            end=None if length is None else EPOCH + dt.timedelta(days=start + length),
            reason=reason,
            working_days_lost=lost,
        )
        for w, start, length, lost, reason in layout["absences"]
    )
    return MetricsFilter(authority_ids=(authority.pk,), census_only=False), teams


@SETTINGS
@given(layout=layouts)
def test_rates_are_fractions_and_vacancy_covers_the_gap(authority, layout):
    with transaction.atomic():
        where, _ = build(authority, layout)
        on = EPOCH + dt.timedelta(days=layout["on"])
        m = measures_on(where=where, on=on).at(0)
        for key in ("agency_rate_fte", "vacancy_rate_fte", "agency_cover_rate_fte"):
            assert m[key] is None or Decimal(0) <= m[key] <= Decimal(1), key
        assert m["permanent_share"] is None or Decimal(0) <= m["permanent_share"] <= 1
        assert m["vacancy_fte"] + m["in_post_fte"] >= m["establishment_fte"]
        assert m["in_post_headcount"] <= 5 and m["agency_headcount"] <= 5
        # However many posts a worker holds at once, a day of absence counts once.
        lost = sum(a[3] for a in layout["absences"] if a[4] == "SIC")
        assert Decimal(0) <= m["sickness_days"] <= lost
        assert m["establishment_fte"] == sum(
            (f.fte for f in PostFunding.objects.filter(authority=authority).active_on(on)),
            Decimal("0.00"),
        )
        transaction.set_rollback(True)


@SETTINGS
@given(layout=layouts)
def test_teams_add_up_to_the_whole(authority, layout):
    with transaction.atomic():
        where, _ = build(authority, layout)
        on = EPOCH + dt.timedelta(days=layout["on"])
        whole = measures_on(where=where, on=on).at(0)
        rows = breakdown(where=where, on=on, by="team")
        for key in ("in_post_fte", "agency_fte", "establishment_fte", "leavers_fte"):
            assert sum((r.values[key] for r in rows), Decimal("0.00")) == whole[key], key
        by_role = breakdown(where=where, on=on, by="role")
        # Per role, vacancy is exactly what the whole adds up: the establishment table's rule.
        assert (
            sum((r.values["vacancy_fte"] for r in by_role), Decimal("0.00")) == whole["vacancy_fte"]
        )
        transaction.set_rollback(True)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(layout=layouts, month=st.integers(0, 35))
def test_series_value_for_a_month_is_the_figure_at_its_end(authority, layout, month):
    with transaction.atomic():
        where, _ = build(authority, layout)
        series = monthly_series(where=where, last=LAST, months=36)
        point = measures_on(where=where, on=series.dates[month]).at(0)
        assert series.at(month) == point
        transaction.set_rollback(True)
