"""The demo authority's programmes: two ASYE cohorts with their reviews, one extension, and
trainees on Step Up and apprenticeship routes."""

from __future__ import annotations

import datetime as dt

import pytest

from workforce.careers.models import (
    Cohort,
    CohortMember,
    MemberStatus,
    Review,
    ReviewOutcome,
    Trainee,
    TraineeRoute,
)
from workforce.careers.selectors_programmes import protected_percents
from workforce.core.models import Authority

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 9, 30)


@pytest.fixture
def demo(team_demo: Authority) -> Authority:
    return team_demo


def test_the_demo_has_two_asye_cohorts_with_reviews_and_trainees(demo: Authority) -> None:
    cohorts = {
        c.name: sorted(c.members.values_list("status", flat=True))
        for c in Cohort.objects.filter(authority=demo)
    }
    extended = CohortMember.objects.filter(authority=demo, extension_months=3)
    routes = set(Trainee.objects.filter(authority=demo).values_list("route", flat=True))

    assert cohorts == {
        "ASYE cohort August 2024": [MemberStatus.IN_PROGRESS] + [MemberStatus.PASSED] * 6,
        "ASYE cohort May 2025": [MemberStatus.IN_PROGRESS] * 5,
    }
    assert extended.count() == 1
    assert Review.objects.filter(authority=demo, outcome=ReviewOutcome.EXTENSION).count() == 1
    # The first cohort's three reviews each, the second's 3-month review.
    assert Review.objects.filter(authority=demo).count() == 7 * 3 + 5
    assert routes == {TraineeRoute.STEP_UP, TraineeRoute.APPRENTICESHIP}
    # The second cohort, four months in, carries the first stage's 80%; the extended member
    # of the first the last stage's 90%.
    percents = protected_percents(authority_ids=[demo.pk], on=TODAY)
    assert sorted(percents.values()) == [80] * 5 + [90]
