"""Starters and leavers under the census rules, on small fixtures worked out by hand.

One authority, census year 1 October 2024 – 30 September 2025, a social worker role (OrgRole 5,
census-counted) and a family support worker role (not counted), posts open since 2020.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from workforce.establishment import services
from workforce.establishment.models import EngagementKind, OrgRole
from workforce.establishment.tests.factories import (
    EngagementFactory,
    PostFactory,
    RoleFactory,
    TeamFactory,
    WorkerFactory,
)
from workforce.metrics import engine
from workforce.metrics.engine import MetricsFilter, Timeline
from workforce.metrics.selectors import measures_on, monthly_series
from workforce.metrics.tests.conftest import CENSUS, D

pytestmark = pytest.mark.django_db

FLOWS = ("starters_fte", "starters_headcount", "leavers_fte", "leavers_headcount")


@pytest.fixture
def posts(reference_data, authority):
    team = TeamFactory(authority=authority)
    other_team = TeamFactory(authority=authority)
    sw = RoleFactory(authority=authority, title="Social worker", org_role=OrgRole.CASE_HOLDER)
    fsw = RoleFactory(authority=authority, title="Family support worker", org_role="")
    return {
        "sw": PostFactory(team=team, role=sw, start=D(2020, 1, 1)),
        "sw_b": PostFactory(team=other_team, role=sw, start=D(2020, 1, 1)),
        "fsw": PostFactory(team=team, role=fsw, start=D(2020, 1, 1)),
        "where": MetricsFilter(authority_ids=(authority.pk,)),
        "all_roles": MetricsFilter(authority_ids=(authority.pk,), census_only=False),
        "authority": authority,
    }


def at(where, day=CENSUS):
    return measures_on(where=where, on=day).at(0)


def flows(where, day=CENSUS):
    m = at(where, day)
    return tuple(m[name] for name in FLOWS)


def test_multi_post_leaver_counts_only_the_census_counted_fte(posts):
    """Social worker 0.6 and family support worker 0.4 since 2020, last day 31 March 2025.

    Census: a leaver of 0.6 FTE (not 1.0); in post at 31 March is 0.6 FTE too. All roles: the
    same person is one leaver of 1.0 FTE."""
    worker = WorkerFactory(authority=posts["authority"])
    EngagementFactory(post=posts["sw"], worker=worker, start=D(2020, 1, 1), fte=Decimal("0.6"))
    EngagementFactory(post=posts["fsw"], worker=worker, start=D(2020, 1, 1), fte=Decimal("0.4"))
    services.record_leaver(worker=worker, last_day=D(2025, 3, 31), reason="1")

    assert at(posts["where"], D(2025, 3, 31))["in_post_fte"] == Decimal("0.60")
    assert flows(posts["where"]) == (Decimal("0.00"), 0, Decimal("0.60"), 1)
    assert flows(posts["all_roles"]) == (Decimal("0.00"), 0, Decimal("1.00"), 1)


def test_leaver_whose_larger_post_was_not_census_counted_is_a_census_leaver(posts):
    """Family support worker 0.7 and social worker 0.3, last day 30 June 2025: the Leaving
    records OrgRole "" (the larger post's), yet the census counts a leaver of 0.3 FTE."""
    worker = WorkerFactory(authority=posts["authority"])
    EngagementFactory(post=posts["fsw"], worker=worker, start=D(2020, 1, 1), fte=Decimal("0.7"))
    EngagementFactory(post=posts["sw"], worker=worker, start=D(2020, 1, 1), fte=Decimal("0.3"))
    leaving = services.record_leaver(worker=worker, last_day=D(2025, 6, 30), reason="1")
    assert leaving.org_role == ""

    assert flows(posts["where"]) == (Decimal("0.00"), 0, Decimal("0.30"), 1)
    by_org_role = MetricsFilter(
        authority_ids=(posts["authority"].pk,), org_roles=(OrgRole.CASE_HOLDER,)
    )
    assert at(by_org_role)["leavers_fte"] == Decimal("0.30")


def test_leaver_of_only_a_non_census_post_is_not_a_census_leaver(posts):
    worker = WorkerFactory(authority=posts["authority"])
    EngagementFactory(post=posts["fsw"], worker=worker, start=D(2020, 1, 1), fte=Decimal("1"))
    services.record_leaver(worker=worker, last_day=D(2025, 6, 30), reason="1")
    assert flows(posts["where"]) == (Decimal("0.00"), 0, Decimal("0.00"), 0)
    assert flows(posts["all_roles"]) == (Decimal("0.00"), 0, Decimal("1.00"), 1)


def test_multi_post_starter_counts_only_the_census_counted_fte(posts):
    """Starts 1 November 2024 as a social worker 0.6 and family support worker 0.4."""
    worker = WorkerFactory(authority=posts["authority"])
    for post, fte in (("sw", "0.6"), ("fsw", "0.4")):
        services.appoint_worker(
            worker=worker, post=posts[post], start=D(2024, 11, 1), fte=Decimal(fte)
        )
    assert flows(posts["where"]) == (Decimal("0.60"), 1, Decimal("0.00"), 0)
    assert flows(posts["all_roles"]) == (Decimal("1.00"), 1, Decimal("0.00"), 0)


def test_leave_and_rejoin_next_day_is_a_leaver_and_a_starter(posts):
    """Social worker 1.0 since 2020, last day 30 June 2025 (a leaving recorded), rejoins on
    1 July 2025 at 0.8: one leaver of 1.0 FTE and one starter of 0.8 FTE in the year; in post
    on both days; length of service counts from 1 July 2025 (91 days at 30 September)."""
    worker = WorkerFactory(authority=posts["authority"])
    EngagementFactory(post=posts["sw"], worker=worker, start=D(2020, 1, 1), fte=Decimal("1"))
    services.record_leaver(worker=worker, last_day=D(2025, 6, 30), reason="1")
    services.appoint_worker(
        worker=worker, post=posts["sw"], start=D(2025, 7, 1), fte=Decimal("0.8")
    )
    where = posts["where"]
    assert flows(where) == (Decimal("0.80"), 1, Decimal("1.00"), 1)
    assert at(where, D(2025, 6, 30))["in_post_headcount"] == 1
    assert at(where, D(2025, 7, 1))["in_post_headcount"] == 1
    m = at(where)
    # Length of service restarts at the rejoining: 91 days to 30 September, kept exact.
    assert m["service_years"] == Decimal(91) / Decimal("365.25")
    # Both sides in a monthly series: the leaver in June, the starter in July.
    series = monthly_series(where=where, last=D(2025, 7, 31), months=2)
    assert series.values["leavers_headcount"] == [1, 1]
    assert series.values["starters_headcount"] == [0, 1]
    # And the breakdown by team (one team) and the whole-filter path agree.
    by_team = engine.components(
        ["starters_headcount"], where=where, timeline=Timeline.single(CENSUS), by="team"
    )
    assert by_team["starters_headcount"] == {posts["sw"].team_id: [1]}
    by_team = engine.components(
        ["service_days", "in_post_headcount"],
        where=where,
        timeline=Timeline.single(CENSUS),
        by="team",
    )
    assert by_team["in_post_headcount"] == {posts["sw"].team_id: [1]}
    assert by_team["service_days"] == {posts["sw"].team_id: [91]}


def test_leave_and_rejoin_starter_after_the_leaving_leaves_early(posts):
    """Rejoined 1 July 2025 after a leaving on 30 June; leaves again 31 August 2025: a leaver
    within 12 months of starting (the spell began 1 July), two leavers in the year."""
    worker = WorkerFactory(authority=posts["authority"])
    EngagementFactory(post=posts["sw"], worker=worker, start=D(2020, 1, 1), fte=Decimal("1"))
    services.record_leaver(worker=worker, last_day=D(2025, 6, 30), reason="1")
    services.appoint_worker(worker=worker, post=posts["sw"], start=D(2025, 7, 1), fte=Decimal("1"))
    services.record_leaver(worker=worker, last_day=D(2025, 8, 31), reason="1")
    m = at(posts["where"])
    assert (m["leavers_headcount"], m["early_leavers_headcount"]) == (2, 1)


def test_change_of_contract_without_a_leaving_is_neither(posts):
    """Fixed-term to permanent on the next day, no leaving recorded: not a leaver, not a
    starter (the rule for a leaving does not touch an ordinary contract change)."""
    worker = WorkerFactory(authority=posts["authority"])
    EngagementFactory(
        post=posts["sw"],
        worker=worker,
        start=D(2023, 1, 1),
        end=D(2025, 1, 1),
        kind=EngagementKind.FIXED_TERM,
    )
    EngagementFactory(post=posts["sw"], worker=worker, start=D(2025, 1, 1))
    assert flows(posts["where"]) == (Decimal("0.00"), 0, Decimal("0.00"), 0)


def test_leaver_in_two_teams_counts_in_each_teams_breakdown_and_once_in_the_whole(posts):
    worker = WorkerFactory(authority=posts["authority"])
    EngagementFactory(post=posts["sw"], worker=worker, start=D(2020, 1, 1), fte=Decimal("0.5"))
    EngagementFactory(post=posts["sw_b"], worker=worker, start=D(2020, 1, 1), fte=Decimal("0.5"))
    services.record_leaver(worker=worker, last_day=D(2025, 6, 30), reason="1")
    where = posts["where"]
    assert flows(where) == (Decimal("0.00"), 0, Decimal("1.00"), 1)
    by_team = engine.components(
        ["leavers_fte", "leavers_headcount"],
        where=where,
        timeline=Timeline.single(CENSUS),
        by="team",
    )
    team_a, team_b = posts["sw"].team_id, posts["sw_b"].team_id
    assert by_team["leavers_headcount"] == {team_a: [1], team_b: [1]}
    assert by_team["leavers_fte"] == {team_a: [Decimal("0.50")], team_b: [Decimal("0.50")]}


def test_a_leaving_recorded_twice_for_the_same_day_counts_once(posts):
    """Two records of the same leaving (last day 31 March 2025, social worker 1.0 FTE): one
    leaver of 1.0 FTE, as DfE removes duplicate leavers by leaving date."""
    from workforce.establishment.models import Leaving

    worker = WorkerFactory(authority=posts["authority"])
    EngagementFactory(post=posts["sw"], worker=worker, start=D(2020, 1, 1), fte=Decimal("1"))
    services.record_leaver(worker=worker, last_day=D(2025, 3, 31), reason="1")
    first = Leaving.objects.get(worker=worker)
    first.pk = None
    first.save()

    assert Leaving.objects.filter(worker=worker).count() == 2
    assert flows(posts["where"]) == (Decimal("0.00"), 0, Decimal("1.00"), 1)
