"""Demo caseload data: consistent with the establishment and plausible."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest

from workforce.caseloads import measures
from workforce.caseloads.measures import CaseloadFilter
from workforce.caseloads.models import Allocation, AllocationReason, Case, CaseTeam, Referral
from workforce.core.models import Authority
from workforce.establishment.models import Engagement

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 9, 30)


@pytest.fixture
def demo(team_demo: Authority) -> Authority:
    return team_demo


def _overlaps(intervals: list[tuple[dt.date, dt.date | None]]) -> bool:
    ordered = sorted(intervals)
    return any(
        end is None or end > nxt for (_, end), (nxt, _) in zip(ordered, ordered[1:], strict=False)
    )


def test_demo_allocations_never_overlap_and_go_to_workers_in_post(demo):
    by_case: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    engagements: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for worker_id, start, end in Engagement.objects.filter(authority=demo).values_list(
        "worker_id", "start", "end"
    ):
        engagements[worker_id].append((start, end))
    allocations = list(
        Allocation.objects.filter(authority=demo).values_list(
            "case_id", "worker_id", "start", "end"
        )
    )
    assert allocations
    for case_id, worker_id, start, end in allocations:
        by_case[case_id].append((start, end))
        assert any(s <= start and (e is None or e > start) for s, e in engagements[worker_id])
    assert not any(_overlaps(spells) for spells in by_case.values())


def test_demo_cases_have_one_team_at_a_time_within_their_life(demo):
    spells: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for case_id, start, end in CaseTeam.objects.filter(authority=demo).values_list(
        "case_id", "start", "end"
    ):
        spells[case_id].append((start, end))
    for case in Case.objects.filter(authority=demo)[:2000]:
        own = spells[case.pk]
        assert own and not _overlaps(own)
        assert min(s for s, _ in own) == case.start


def test_demo_caseloads_are_plausible(demo):
    where = CaseloadFilter(authority_ids=(demo.pk,))
    summary = measures.caseload_summary(where, TODAY)
    assert summary.cases_held > 100
    average = summary.average_caseload
    assert average is not None and 10 <= average <= 25
    reasons = set(Allocation.objects.filter(authority=demo).values_list("reason", flat=True))
    assert {AllocationReason.INITIAL, AllocationReason.REALLOCATION} <= reasons
    funnel = measures.funnel(where, measures.year_before(TODAY), TODAY + measures.DAY)
    assert (
        funnel.referrals
        == Referral.objects.filter(
            authority=demo, received__gt=dt.date(2024, 9, 30), received__lte=TODAY
        ).count()
    )
    assert 0.35 < funnel.initial_assessments / funnel.referrals < 0.6
    # Most of the rest end at the front door with signposting or early help, as councils report.
    assert 0.2 < funnel.advice / funnel.referrals < 0.4
    assert 0.1 < funnel.early_help / funnel.referrals < 0.3
    assert 0.01 < funnel.no_further_action / funnel.referrals < 0.12
    assert 0.15 < funnel.not_in_need / funnel.referrals < 0.4
    assert funnel.open / funnel.referrals < 0.05
    # No referral's outcome contradicts its dates.
    referrals = Referral.objects.filter(authority=demo)
    assert not referrals.filter(
        outcome__in=["nfa", "advice", "early_help"], initial_assessment_start__isnull=False
    ).exists()
    assert not referrals.filter(
        outcome="not_in_need", initial_assessment_start__isnull=True
    ).exists()
    assert not referrals.filter(outcome_date__gt=TODAY).exists()


def test_the_series_of_unallocated_cases_is_each_dates_list(demo):
    """The monthly series (all dates in one pass) against the list of unallocated cases on each
    date, for the whole authority and for one team, on the demo's realistic history."""
    dates = measures.month_ends(TODAY, 13)
    team_id = CaseTeam.objects.filter(case__authority=demo).values_list("team_id", flat=True)[0]
    for where in (
        CaseloadFilter(authority_ids=(demo.pk,)),
        CaseloadFilter(authority_ids=(demo.pk,), team_ids=(team_id,)),
    ):
        series = measures.unallocated_series(where, dates)
        each = {on: len(measures.unallocated_on(where, on)) for on in dates}
        assert {on: series.get(on, 0) for on in dates} == each
        assert sum(each.values()) > 0
