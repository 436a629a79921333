"""Caseload measures against hand-computed figures (DfE definitions)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from workforce.caseloads import measures
from workforce.caseloads.measures import CaseloadFilter, PolicySettings
from workforce.caseloads.models import AsyePeriod, Category, ReferralOutcome
from workforce.caseloads.tests.factories import (
    allocate,
    case_in,
    referral,
    social_worker_role,
    supervise,
    worker_in_post,
)
from workforce.establishment.tests.factories import RoleFactory, TeamFactory

D = dt.date(2025, 9, 30)


def test_average_caseload_counts_siblings_agency_and_part_time_holders(caseload_world):
    where = CaseloadFilter(authority_ids=(caseload_world["authority"].pk,))
    summary = measures.caseload_summary(where, D)
    assert summary.cases_held == 6
    assert summary.case_holders == 3
    assert summary.case_holder_fte == Decimal("2.50")
    assert summary.average_caseload == Decimal("2.4")


def test_caseload_by_team_uses_case_team_and_holder_post_team(caseload_world):
    auth = caseload_world["authority"].pk
    team_a = measures.caseload_summary(
        CaseloadFilter(authority_ids=(auth,), team_ids=(caseload_world["a"].pk,)), D
    )
    team_b = measures.caseload_summary(
        CaseloadFilter(authority_ids=(auth,), team_ids=(caseload_world["b"].pk,)), D
    )
    assert (team_a.cases_held, team_a.case_holder_fte, team_a.average_caseload) == (
        5,
        Decimal("2.00"),
        Decimal("2.5"),
    )
    assert (team_b.cases_held, team_b.case_holder_fte, team_b.average_caseload) == (
        1,
        Decimal("0.50"),
        Decimal("2.0"),
    )


def test_no_case_holders_gives_no_average(authority):
    summary = measures.caseload_summary(CaseloadFilter(authority_ids=(authority.pk,)), D)
    assert summary.cases_held == 0
    assert summary.average_caseload is None


def test_distribution_bands_case_holders_by_cases_held(caseload_world):
    where = CaseloadFilter(authority_ids=(caseload_world["authority"].pk,))
    bands = dict(measures.caseload_distribution(where, D))
    assert bands["1 to 5"] == 3
    assert sum(bands.values()) == 3


def test_unallocated_counts_cases_of_leavers_and_non_census_workers(caseload_world):
    where = CaseloadFilter(authority_ids=(caseload_world["authority"].pk,))
    by_team = measures.unallocated_by_team(where, D, threshold_days=14)
    # C7 (worker left) and C9 (family support worker) in team B, both waiting since 1 Jan 2025.
    assert by_team == {caseload_world["b"].pk: (2, 2)}
    assert measures.unallocated_series(where, [D]) == {D: 2}


def test_unallocated_days_count_from_the_last_allocation_end(authority):
    team = TeamFactory(authority=authority)
    sw = social_worker_role(authority)
    worker = worker_in_post(team, sw)
    recent = case_in(team)
    allocate(recent, worker, dt.date(2025, 1, 1), end=dt.date(2025, 9, 20))  # 10 days: not yet
    case_in(team, opened=dt.date(2025, 9, 1))  # 29 days: escalated
    where = CaseloadFilter(authority_ids=(authority.pk,))
    assert measures.unallocated_by_team(where, D, threshold_days=14) == {team.pk: (2, 1)}


def test_three_or_more_social_workers_in_the_twelve_months_to_d(authority):
    team = TeamFactory(authority=authority)
    sw = social_worker_role(authority)
    w1, w2, w3 = (worker_in_post(team, sw) for _ in range(3))
    cla = Category.LOOKED_AFTER
    k1 = case_in(team, category=cla)
    allocate(k1, w1, dt.date(2024, 11, 1), dt.date(2025, 2, 1))
    allocate(k1, w2, dt.date(2025, 2, 1), dt.date(2025, 6, 1))
    allocate(k1, w3, dt.date(2025, 6, 1))
    k2 = case_in(team, category=cla)
    allocate(k2, w1, dt.date(2023, 1, 1), dt.date(2024, 9, 15))  # ended before the window
    allocate(k2, w2, dt.date(2024, 9, 15))
    case_in(team, category=cla)  # K3: never allocated
    k4 = case_in(team, category=Category.CHILD_IN_NEED)  # not in care
    for w, s in ((w1, 1), (w2, 3), (w3, 5)):
        allocate(k4, w, dt.date(2025, s, 1), dt.date(2025, s + 1, 1))
    k5 = case_in(team, category=cla)
    allocate(k5, w1, dt.date(2024, 1, 1), dt.date(2024, 10, 1))  # last held 30 Sep 2024
    allocate(k5, w2, dt.date(2024, 10, 1), dt.date(2025, 1, 1))
    allocate(k5, w3, dt.date(2025, 1, 1))
    changes = measures.social_worker_changes(CaseloadFilter(authority_ids=(authority.pk,)), D)
    assert changes.by_workers == {0: 1, 1: 1, 2: 1, 3: 1}
    assert changes.children_in_care == 4
    assert changes.three_or_more == 1
    assert changes.share_three_or_more == Decimal("0.250")
    assert changes.by_changes() == [(0, 2), (1, 1), (2, 1)]


def test_supervision_compliance_follows_the_asye_schedule(authority):
    team = TeamFactory(authority=authority)
    sw = social_worker_role(authority)

    def holder(start: dt.date = dt.date(2024, 1, 1)):
        worker = worker_in_post(team, sw, start=start)
        allocate(case_in(team), worker, max(start, dt.date(2025, 1, 1)))
        return worker

    def asye(worker, start):
        AsyePeriod.objects.create(
            authority=authority, worker=worker, start=start, end=measures.add_months(start, 12)
        )

    s1 = holder()
    asye(s1, dt.date(2025, 9, 1))  # week 5: weekly
    supervise(s1, dt.date(2025, 9, 25))  # 5 days ago: within
    s2 = holder()
    asye(s2, dt.date(2025, 7, 1))  # 13 weeks in: fortnightly
    supervise(s2, dt.date(2025, 9, 10))  # due 24 Sep: overdue
    s3 = holder()
    asye(s3, dt.date(2025, 1, 1))  # 9 months in: monthly
    supervise(s3, dt.date(2025, 9, 1))  # due 2 Oct: within
    s4 = holder()
    supervise(s4, dt.date(2025, 8, 15))  # due 15 Sep: overdue
    holder(start=dt.date(2025, 9, 20))  # S5: new, none yet, due 21 Oct: within
    worker_in_post(team, sw)  # holds no case: not counted
    where = CaseloadFilter(authority_ids=(authority.pk,))
    compliance = measures.supervision_compliance(where, D, PolicySettings())
    assert (compliance.case_holders, compliance.within_policy) == (5, 3)
    assert compliance.rate == Decimal("0.600")


def test_supervision_interval_by_asye_stage():
    policy = PolicySettings()
    start = dt.date(2025, 1, 1)
    assert policy.interval_days(dt.date(2025, 2, 11), start) == 7  # day 41
    assert policy.interval_days(dt.date(2025, 2, 12), start) == 14  # day 42 = 6 weeks
    assert policy.interval_days(dt.date(2025, 6, 30), start) == 14
    assert policy.interval_days(dt.date(2025, 7, 1), start) == 31  # 6 months
    assert policy.interval_days(dt.date(2025, 7, 1), None) == 31


def test_funnel_counts_and_percentages_of_referrals(authority):
    team = TeamFactory(authority=authority)
    day = dt.date(2025, 3, 1)
    plus = lambda n: day + dt.timedelta(days=n)  # noqa: E731
    # Five initial assessments: four completed, three within 7 days.
    referral(team, day, initial_assessment_start=day, initial_assessment_completed=plus(3))
    referral(team, day, initial_assessment_start=day, initial_assessment_completed=plus(7))
    referral(
        team,
        day,
        initial_assessment_start=day,
        initial_assessment_completed=plus(5),
        core_assessment_start=plus(6),
        core_assessment_completed=plus(30),
        plan_date=plus(40),
        outcome=ReferralOutcome.PLAN,
    )
    referral(
        team,
        day,
        initial_assessment_start=day,
        initial_assessment_completed=plus(9),
        core_assessment_start=plus(10),
        core_assessment_completed=plus(60),
        outcome=ReferralOutcome.CP_ENQUIRY,
    )
    referral(team, day, initial_assessment_start=day)
    for _ in range(3):
        referral(team, day, outcome=ReferralOutcome.NO_FURTHER_ACTION)
    referral(team, day)
    referral(team, day)
    referral(team, dt.date(2024, 1, 1))  # outside the period
    result = measures.funnel(
        CaseloadFilter(authority_ids=(authority.pk,)), dt.date(2024, 10, 1), dt.date(2025, 10, 1)
    )
    assert result.referrals == 10
    assert result.as_at == dt.date.today()  # the period is over: as recorded up to today
    assert [(label, n) for label, n, _ in result.rows()] == [
        ("Referrals", 10),
        ("Initial assessments", 5),
        ("Going on to core assessment", 2),
        ("Going on to a care plan", 1),
        ("No further action", 3),
        ("Information, advice or signposting", 0),
        ("Referred to early help", 0),
        ("Assessed, not in need", 0),
        ("Open: no outcome yet", 5),  # three assessed with no outcome recorded, and two more
    ]
    assert [share for _, _, share in result.rows()] == [
        Decimal("1.000"),
        Decimal("0.500"),
        Decimal("0.200"),
        Decimal("0.100"),
        Decimal("0.300"),
        Decimal(0),
        Decimal(0),
        Decimal(0),
        Decimal("0.500"),
    ]
    assert (result.initial_completed, result.initial_timely) == (4, 3)
    assert result.initial_timeliness == Decimal("0.750")
    assert (result.core_completed, result.core_timely) == (2, 1)


def test_monthly_series_matches_point_in_time_figures(caseload_world):
    where = CaseloadFilter(authority_ids=(caseload_world["authority"].pk,))
    series = measures.monthly_series(where, D, months=12)
    assert len(series) == 12
    assert series[-1].on == D
    assert series[-1].cases_held == 6
    assert series[-1].case_holder_fte == Decimal("2.50")
    assert series[-1].average_caseload == Decimal("2.4")
    # On 31 July 2025 the closed case C8 was still held by W1, and W5 was gone.
    july = next(p for p in series if p.on == dt.date(2025, 7, 31))
    assert july.cases_held == 7
    # Before any allocation: nothing held.
    assert series[0].on == dt.date(2024, 10, 31)
    assert series[0].cases_held == 0
    assert series[0].new_cases_allocated == 0
    january = next(p for p in series if p.on == dt.date(2025, 1, 31))
    assert january.new_cases_allocated == 9


def test_headlines_are_plain_json_values(caseload_world):
    figures = measures.caseload_headlines(
        authority_ids=[caseload_world["authority"].pk], team_ids=None, on=D
    )
    assert figures["cases_held"] == 6
    assert figures["case_holder_fte"] == 2.5
    assert figures["average_caseload"] == 2.4
    assert figures["unallocated_cases"] == 2


def test_capacity_is_reduced_for_part_time_and_asye():
    scheme = measures.SchemeSettings()
    full = measures.capacity_points(role_points=100, fte=Decimal("1"), asye=False, scheme=scheme)
    part = measures.capacity_points(role_points=100, fte=Decimal("0.5"), asye=True, scheme=scheme)
    unset = measures.capacity_points(role_points=0, fte=Decimal("1"), asye=False, scheme=scheme)
    assert (full, part, unset) == (Decimal("100.0"), Decimal("45.0"), Decimal("100.0"))


def test_month_ends_close_on_the_as_at_date():
    assert measures.month_ends(dt.date(2025, 3, 15), 3) == [
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 15),
    ]


def test_unallocated_list_agrees_with_the_count_even_without_a_team(caseload_world):
    from workforce.caseloads.models import Case
    from workforce.caseloads.selectors import unallocated_cases

    authority = caseload_world["authority"]
    Case.objects.create(authority=authority, child_ref="NOTEAM-1", start=dt.date(2025, 9, 1))
    where = CaseloadFilter(authority_ids=(authority.pk,))
    counts = measures.unallocated_by_team(where, D, threshold_days=14)
    listed = unallocated_cases(where=where, on=D, threshold_days=14)
    assert sum(n for n, _ in counts.values()) == len(listed) == 3
    assert sum(e for _, e in counts.values()) == sum(1 for c in listed if c.escalated) == 3


def test_overdue_list_covers_case_holding_roles_but_not_managers(authority):
    from workforce.caseloads.selectors import overdue_supervision

    team = TeamFactory(authority=authority)
    sw = social_worker_role(authority)
    manager_role = RoleFactory(authority=authority, org_role="3", case_holding=False)
    holder = worker_in_post(team, sw, first_name="Hana")
    allocate(case_in(team), holder, dt.date(2025, 1, 1))
    worker_in_post(team, sw, first_name="Newton")  # case-holding role, no cases yet
    worker_in_post(team, manager_role, first_name="Manon")
    names = {
        o.name.split()[0]
        for o in overdue_supervision(where=CaseloadFilter(authority_ids=(authority.pk,)), on=D)
    }
    assert names == {"Hana", "Newton"}


def test_funnel_shows_how_referrals_ended_as_at_a_date(authority):
    """Twelve referrals received in January 2025, counted as at three dates by hand."""
    team = TeamFactory(authority=authority)
    jan = lambda n: dt.date(2025, 1, n)  # noqa: E731
    feb = lambda n: dt.date(2025, 2, n)  # noqa: E731
    for _ in range(4):  # signposted on 10 January
        referral(team, jan(2), outcome=ReferralOutcome.ADVICE, outcome_date=jan(10))
    for _ in range(3):  # to early help on 20 January
        referral(team, jan(3), outcome=ReferralOutcome.EARLY_HELP, outcome_date=jan(20))
    # No further action recorded before outcomes had dates: decided when received.
    referral(team, jan(4), outcome=ReferralOutcome.NO_FURTHER_ACTION)
    # Assessed from 15 January; found not in need on 5 February.
    for _ in range(2):
        referral(
            team,
            jan(5),
            outcome=ReferralOutcome.NOT_IN_NEED,
            outcome_date=feb(5),
            initial_assessment_start=jan(15),
            initial_assessment_completed=feb(5),
        )
    # A plan on 20 February, with no date of the outcome: decided on the plan's date.
    referral(
        team,
        jan(6),
        outcome=ReferralOutcome.PLAN,
        initial_assessment_start=jan(16),
        core_assessment_start=jan(25),
        plan_date=feb(20),
    )
    referral(team, jan(30))  # never decided
    referral(team, feb(1))  # received after the period
    where = CaseloadFilter(authority_ids=(authority.pk,))

    def counts(as_at: dt.date) -> list[int]:
        result = measures.funnel(where, jan(1), feb(1), as_at=as_at)
        assert result.as_at == as_at
        return [n for _, n, _ in result.rows()]

    # referrals, initial, core, plan, nfa, advice, early help, not in need, open
    assert counts(jan(12)) == [11, 0, 0, 0, 1, 4, 0, 0, 6]
    assert counts(jan(31)) == [12, 3, 1, 0, 1, 4, 3, 0, 4]
    assert counts(feb(28)) == [12, 3, 1, 1, 1, 4, 3, 2, 1]
    late = measures.funnel(where, jan(1), feb(1), as_at=feb(28))
    assert late.share(late.advice) == Decimal(4) / Decimal(12)
    assert (late.initial_completed, late.initial_timely) == (2, 0)  # 21 days each


def test_funnel_shares_are_rounded_once_half_up_from_exact_values():
    """Leeds' 1,061 of 11,223 is 9.4538...%: 9% to whole percent and 9.5% to one place, not
    10% from a share first rounded to 0.095."""
    from workforce.caseloads import tables

    base = dict.fromkeys(
        [
            "initial_assessments",
            "core_assessments",
            "care_plans",
            "no_further_action",
            "advice",
            "early_help",
            "not_in_need",
            "open",
            "cp_enquiries",
            "initial_completed",
            "initial_timely",
            "core_completed",
            "core_timely",
        ],
        0,
    )
    start, end = dt.date(2005, 1, 1), dt.date(2006, 1, 1)
    leeds = measures.Funnel(
        start=start, end=end, as_at=end, referrals=11223, **{**base, "advice": 1061}
    )
    row = next(r for r in tables.funnel_table(leeds).rows if r[0].startswith("Information"))
    share = tables.funnel_table(leeds).columns[2]
    assert row[2] == Decimal(1061) / Decimal(11223)  # the table keeps the exact share
    assert (share.text(row[2]), share.value(row[2])) == ("9%", 9)
    one_place = tables.funnel_table(leeds, places=1).columns[2]
    assert (one_place.text(row[2]), one_place.value(row[2])) == ("9.5%", Decimal("9.5"))
    # Halves go up: 1 of 8 is 12.5% (13%), 1 of 200 is 0.5% (1%), 3 of 8000 is 0.0375% (0.04%).
    halves = measures.Funnel(start=start, end=end, as_at=end, referrals=8, **base)
    assert share.text(halves.share(1)) == "13%"
    assert share.text(Decimal(1) / Decimal(200)) == "1%"
    assert tables.funnel_table(halves, places=2).columns[2].text(Decimal(3) / 8000) == "0.04%"
    # Leeds' published stages: 5,317 (47%), 960 (9%), 401 (4%), 136 (1%).
    assert [share.text(Decimal(n) / 11223) for n in (5317, 960, 401, 136)] == [
        "47%",
        "9%",
        "4%",
        "1%",
    ]
