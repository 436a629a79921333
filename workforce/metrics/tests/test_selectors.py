"""Every measure against figures worked out by hand (see the `world` fixture for the story)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from workforce.establishment import services
from workforce.establishment.models import EngagementKind, Worker
from workforce.establishment.selectors import (
    Column,
    EstablishmentFilter,
    establishment_table,
)
from workforce.establishment.tests.factories import (
    EngagementFactory,
    PostFactory,
    RoleFactory,
    TeamFactory,
    WorkerFactory,
)
from workforce.metrics.engine import MetricsFilter, Timeline, same_day_last_year, year_start
from workforce.metrics.selectors import breakdown, measures_on, monthly_series
from workforce.metrics.tests.conftest import CENSUS, D

pytestmark = pytest.mark.django_db


def at(where, day=CENSUS):
    return measures_on(where=where, on=day).at(0)


def test_in_post_counts_employed_staff_including_part_time_and_job_shares(world):
    m = at(world.where())
    # Wen 1.0 (now in B1), Jo 0.5 + Kim 0.5 sharing A2, Mo 1.0; Lee's engagement ended 30 Sep.
    assert m["in_post_fte"] == Decimal("3.00")
    assert m["in_post_headcount"] == 4


def test_engagement_ending_on_the_census_date_is_not_in_post_but_ending_the_day_after_is(world):
    day_before = at(world.where(), D(2025, 9, 29))
    # On 29 Sep Lee (0.8, last day 29 Sep) is still in post as well.
    assert day_before["in_post_fte"] == Decimal("3.80")
    assert at(world.where())["in_post_fte"] == Decimal("3.00")
    assert at(world.where(), D(2025, 10, 1))["in_post_fte"] == Decimal("2.50")  # Kim has gone


def test_agency_figures_and_cover_rates(world):
    m = at(world.where())
    assert m["agency_fte"] == Decimal("1.60")
    assert m["agency_headcount"] == 2
    assert m["agency_vacancy_fte"] == Decimal("1.00")  # Ash covers a vacancy, Bea an absence
    assert m["agency_rate_fte"] == Decimal("1.6") / Decimal("4.6")  # exact
    assert m["agency_rate_headcount"] == Decimal(2) / Decimal(6)
    assert m["permanent_share"] == Decimal("3.0") / Decimal("4.6")
    assert m["agency_cover_rate_fte"] == Decimal("0.6250")  # 1.0 / 1.6
    assert m["vacancy_agency_cover_rate_fte"] == Decimal("0.5000")  # 1.0 / 2.0


def test_vacancy_is_the_establishment_tables_vacant_total(world):
    m = at(world.where())
    # Five 1.0 posts; 3.0 FTE employed: A1 (Lee gone) and A3 (agency only) are vacant.
    assert m["establishment_fte"] == Decimal("5.00")
    assert m["vacancy_fte"] == Decimal("2.00")
    assert m["vacancy_rate_fte"] == Decimal("0.4000")  # 2.0 / (2.0 + 3.0)
    table = establishment_table(
        where=EstablishmentFilter(authority_ids=(world.authority.pk,), census_only=True),
        on=CENSUS,
    )
    assert table.total(Column.VACANT) == m["vacancy_fte"]
    assert table.total(Column.PERMANENT) == m["in_post_fte"]
    assert table.total(Column.AGENCY) == m["agency_fte"]


def test_starters_exclude_team_moves(world):
    m = at(world.where())
    # Jo (0.5, Nov 2024) and Lee (0.8, Mar 2025); Wen's move to B1 on 1 Mar is not a start.
    assert m["starters_fte"] == Decimal("1.30")
    assert m["starters_headcount"] == 2


def test_leavers_turnover_and_leavers_within_a_year_of_starting(world):
    m = at(world.where())
    assert m["leavers_fte"] == Decimal("1.30")  # Kim 0.5 and Lee 0.8
    assert m["leavers_headcount"] == 2
    assert m["turnover_rate_fte"] == Decimal("1.3") / Decimal("3.0")
    assert m["turnover_rate_headcount"] == Decimal("0.5000")  # 2 / 4
    assert m["early_leavers_headcount"] == 1  # Lee, who started in March
    assert m["early_leavers_fte"] == Decimal("0.80")


def test_sickness_is_pro_rated_into_the_year_and_other_absence_ignored(world):
    m = at(world.where())
    assert m["sickness_days"] == Decimal("12.00")  # 14 x 10/20 + 5
    assert m["absence_rate_fte"] == Decimal(12) / Decimal(759)  # 12 / (3.0 x 253)


def test_absence_rate_uses_the_working_days_setting(world, settings):
    settings.WORKING_DAYS_PER_YEAR = 200
    assert at(world.where())["absence_rate_fte"] == Decimal("0.0200")  # 12 / (3.0 x 200)


def test_length_of_service_runs_from_the_start_of_continuous_employment(world):
    m = at(world.where())
    # Wen and Mo from 1 Jan 2020 (Wen's move does not restart it), Kim 1 Jun 2021, Jo 1 Nov 2024.
    days = [(CENSUS - start).days for start in (D(2020, 1, 1), D(2020, 1, 1), D(2021, 6, 1))]
    days.append((CENSUS - D(2024, 11, 1)).days)
    expected = Decimal(sum(days)) / 4 / Decimal("365.25")
    assert m["service_years"] == expected


def test_census_only_by_default_and_all_roles_on_request(world):
    everyone = at(world.where(census_only=False))
    assert everyone["in_post_fte"] == Decimal("4.00")  # Fay the family support worker too
    assert everyone["establishment_fte"] == Decimal("6.00")


def test_filters_by_team_service_area_role_and_org_role(world):
    team_a = at(world.where(team_ids=(world.team_a.pk,)))
    assert team_a["in_post_fte"] == Decimal("1.00")  # Jo and Kim
    assert team_a["vacancy_fte"] == Decimal("2.00")
    assert team_a["leavers_headcount"] == 2  # recorded in team A on their last day
    team_b = at(world.where(team_ids=(world.team_b.pk,)))
    assert team_b["in_post_fte"] == Decimal("2.00")
    assert team_b["leavers_headcount"] == 0
    assert team_b["starters_headcount"] == 0  # Wen moved in: not a starter
    assert at(world.where(role_ids=(world.family_support.pk,), census_only=False))[
        "in_post_fte"
    ] == Decimal("1.00")
    assert at(world.where(org_roles=("5",)))["leavers_headcount"] == 2
    assert at(world.where(org_roles=("3",)))["in_post_fte"] == Decimal("0.00")
    assert at(world.where(service_area="fostering_adoption"))["in_post_headcount"] == 0


def test_rates_with_nothing_to_divide_by_are_empty(world):
    m = at(world.where(org_roles=("1",)))
    assert m["agency_rate_fte"] is None
    assert m["turnover_rate_fte"] is None
    assert m["service_years"] is None


def test_breakdown_by_team_sums_to_the_whole(world):
    rows = {r.label: r.values for r in breakdown(where=world.where(), on=CENSUS, by="team")}
    assert rows["Assessment North"]["in_post_fte"] == Decimal("1.00")
    assert rows["Children in Care South"]["in_post_fte"] == Decimal("2.00")
    assert rows["Children in Care South"]["agency_fte"] == Decimal("0.60")
    assert rows["Assessment North"]["leavers_fte"] == Decimal("1.30")
    whole = at(world.where())
    for key in ("in_post_fte", "agency_fte", "vacancy_fte", "establishment_fte", "leavers_fte"):
        assert sum(r[key] for r in rows.values()) == whole[key]


def test_breakdown_by_role(world):
    rows = {
        r.label: r.values
        for r in breakdown(where=world.where(census_only=False), on=CENSUS, by="role")
    }
    assert rows["Social worker"]["in_post_fte"] == Decimal("3.00")
    assert rows["Family support worker"]["in_post_fte"] == Decimal("1.00")
    assert rows["Social worker"]["leavers_fte"] == Decimal("1.30")


def test_monthly_series_matches_each_month_end(world):
    series = monthly_series(where=world.where(), last=CENSUS, months=24)
    assert series.dates[-1] == CENSUS
    assert series.dates[0] == D(2023, 10, 31)
    for i in (0, 10, 17, 23):
        point = at(world.where(), series.dates[i])
        assert series.at(i) == point, series.dates[i]


def test_leap_day_year_boundaries(authority):
    assert year_start(D(2024, 2, 29)) == D(2023, 3, 1)
    assert year_start(D(2025, 2, 28)) == D(2024, 3, 1)
    assert year_start(D(2025, 3, 15)) == D(2024, 3, 16)
    assert same_day_last_year(D(2024, 2, 29)) == D(2023, 2, 28)
    post = PostFactory(team=TeamFactory(authority=authority), start=D(2020, 1, 1))
    EngagementFactory(post=post, start=D(2024, 2, 29), fte=Decimal("0.6"))
    where = MetricsFilter(authority_ids=(authority.pk,))
    assert at(where, D(2024, 2, 29))["starters_headcount"] == 1
    assert at(where, D(2025, 2, 28))["starters_headcount"] == 0  # the year to it began 1 Mar
    assert at(where, D(2024, 2, 28))["in_post_fte"] == Decimal("0.00")
    series = monthly_series(where=where, last=D(2025, 2, 28), months=13)
    assert series.values["starters_headcount"][0] == 1  # 29 Feb 2024
    assert series.values["starters_headcount"][-1] == 0


def test_leap_day_starter_leaving_on_28_february_left_within_12_months(reference_data, authority):
    post = PostFactory(team=TeamFactory(authority=authority), start=D(2020, 1, 1))
    worker = WorkerFactory(authority=authority)
    services.appoint_worker(worker=worker, post=post, start=D(2024, 2, 29), fte=Decimal("1"))
    services.record_leaver(worker=worker, last_day=D(2025, 2, 28), reason="1")
    where = MetricsFilter(authority_ids=(authority.pk,))
    assert at(where, D(2025, 3, 31))["early_leavers_headcount"] == 1


def test_rejoining_after_a_gap_is_a_new_start_and_restarts_service(reference_data, authority):
    post = PostFactory(team=TeamFactory(authority=authority), start=D(2020, 1, 1))
    worker = WorkerFactory(authority=authority)
    EngagementFactory(post=post, worker=worker, start=D(2020, 1, 1), end=D(2024, 1, 1))
    EngagementFactory(post=post, worker=worker, start=D(2025, 1, 2))
    where = MetricsFilter(authority_ids=(authority.pk,))
    m = at(where, D(2025, 1, 2))
    assert m["starters_headcount"] == 1
    assert m["service_years"] == Decimal("0.00")


def test_contiguous_change_of_contract_is_not_a_start(authority):
    post = PostFactory(team=TeamFactory(authority=authority), start=D(2020, 1, 1))
    worker = WorkerFactory(authority=authority)
    EngagementFactory(
        post=post,
        worker=worker,
        start=D(2024, 1, 1),
        end=D(2025, 1, 1),
        kind=EngagementKind.FIXED_TERM,
    )
    EngagementFactory(post=post, worker=worker, start=D(2025, 1, 1))
    where = MetricsFilter(authority_ids=(authority.pk,))
    m = at(where, D(2025, 9, 30))
    assert m["starters_headcount"] == 0
    assert m["in_post_headcount"] == 1


def test_person_with_two_posts_at_once_is_one_head(authority):
    team = TeamFactory(authority=authority)
    role = RoleFactory(authority=authority)
    p1 = PostFactory(team=team, role=role, start=D(2020, 1, 1))
    p2 = PostFactory(team=team, role=role, start=D(2020, 1, 1))
    worker = WorkerFactory(authority=authority)
    EngagementFactory(post=p1, worker=worker, start=D(2024, 1, 1), fte=Decimal("0.5"))
    EngagementFactory(post=p2, worker=worker, start=D(2024, 1, 1), fte=Decimal("0.5"))
    where = MetricsFilter(authority_ids=(authority.pk,))
    m = at(where, D(2024, 6, 30))
    assert m["in_post_fte"] == Decimal("1.00")
    assert m["in_post_headcount"] == 1
    assert m["starters_headcount"] == 1
    assert m["starters_fte"] == Decimal("1.00")


def test_a_day_of_absence_in_two_posts_at_once_counts_once(reference_data, authority):
    """Half-time in a team A post and half-time in a team B post: 5 working days lost in
    February, and an absence still open from 1 September (3 days lost so far)."""
    team_a, team_b = TeamFactory(authority=authority), TeamFactory(authority=authority)
    role = RoleFactory(authority=authority, org_role="5")
    worker = WorkerFactory(authority=authority)
    for team in (team_a, team_b):
        EngagementFactory(
            post=PostFactory(team=team, role=role, start=D(2020, 1, 1)),
            worker=worker,
            start=D(2021, 1, 1),
            fte=Decimal("0.5"),
        )
    services.record_absence(
        worker=worker, start=D(2025, 2, 3), end=D(2025, 2, 8), reason="SIC", working_days_lost=5
    )
    services.record_absence(
        worker=worker, start=D(2025, 9, 1), end=None, reason="SIC", working_days_lost=3
    )
    where = MetricsFilter(authority_ids=(authority.pk,))
    assert at(where)["sickness_days"] == Decimal("8.00")
    assert monthly_series(where=where, last=CENSUS, months=1).values["sickness_days"] == [
        Decimal("8.00")
    ]
    # Each team's figure counts the days its post was held (documented): 8 in each.
    rows = {
        r.label: r.values["sickness_days"]
        for r in breakdown(where=where, on=CENSUS, by="team", keys=("sickness_days",))
    }
    assert sorted(rows.values()) == [Decimal("8.00"), Decimal("8.00")]
    # The absence rate's denominator is the whole FTE: 8 ÷ (1.0 × 253).
    assert at(where)["absence_rate_fte"] == Decimal(8) / 253


def test_other_authorities_are_not_counted(world, other_authority):
    post = PostFactory(team=TeamFactory(authority=other_authority), start=D(2020, 1, 1))
    EngagementFactory(post=post, start=D(2021, 1, 1))
    assert at(world.where())["in_post_fte"] == Decimal("3.00")


def test_timeline_refuses_dates_that_are_not_consecutive_month_ends():
    with pytest.raises(ValueError):
        Timeline((D(2025, 1, 31), D(2025, 3, 31)))
    with pytest.raises(ValueError):
        monthly_series(where=MetricsFilter(authority_ids=(1,)), last=CENSUS, months=121)
    assert Timeline.monthly(D(2025, 2, 10), 2).dates == (D(2025, 1, 31), D(2025, 2, 28))


def test_a_date_before_any_records_gives_zeros(world):
    m = at(world.where(), dt.date(2010, 1, 1))
    assert m["in_post_fte"] == Decimal("0.00")
    assert m["leavers_headcount"] == 0


def test_open_sickness_counts_its_days_so_far_and_series_agree(world):
    mo = Worker.objects.get(first_name="Mo")
    services.record_absence(
        worker=mo, start=D(2025, 9, 1), end=None, reason="SIC", working_days_lost=Decimal("10")
    )
    assert at(world.where())["sickness_days"] == Decimal("22.00")  # 12 + all 10 so far
    series = monthly_series(where=world.where(), last=D(2025, 10, 31), months=3)
    assert series.values["sickness_days"][1] == Decimal("22.00")
    # The year to 31 Oct 2025 starts 1 Nov 2024: the 7.0 days of 1-10 Oct 2024 drop out.
    assert series.values["sickness_days"][2] == Decimal("15.00")
    assert at(world.where(), D(2025, 10, 31))["sickness_days"] == Decimal("15.00")
    team_b = at(world.where(team_ids=(world.team_b.pk,)))
    assert team_b["sickness_days"] == Decimal("22.00")
    assert at(world.where(team_ids=(world.team_a.pk,)))["sickness_days"] == Decimal("0.00")


def test_breakdown_headcounts_and_service_by_team(world):
    keys = ("in_post_headcount", "agency_headcount", "service_years")
    rows = {
        r.label: r.values for r in breakdown(where=world.where(), on=CENSUS, by="team", keys=keys)
    }
    assert rows["Assessment North"]["in_post_headcount"] == 2  # Jo and Kim
    assert rows["Children in Care South"]["in_post_headcount"] == 2  # Wen and Mo
    assert rows["Children in Care South"]["agency_headcount"] == 1  # Bea
    # Wen's service in team B still runs from 2020: a move does not restart it.
    wen_and_mo = Decimal((CENSUS - D(2020, 1, 1)).days) / Decimal("365.25")
    assert rows["Children in Care South"]["service_years"] == wen_and_mo
