"""The demo authority's early-career programmes: the ASYE and the two-year induction programme
set up as data, two ASYE cohorts (7 who started 13 months ago, one of them extended, and 5 who
started 4 months ago) with the reviews due so far, and trainees on Step Up and apprenticeship
routes. Everything is written through the services."""

from __future__ import annotations

import datetime as dt

import numpy as np

from workforce.careers import services_programmes as services
from workforce.careers.models.programmes import (
    CfkssStatus,
    CohortMember,
    Programme,
    ReviewOutcome,
    TraineeRoute,
)
from workforce.careers.selectors_programmes import due_date
from workforce.caseloads.measures import add_months
from workforce.core.models import Authority
from workforce.demo import names
from workforce.establishment import services as establishment
from workforce.establishment.models import Engagement, Team, Worker

COHORT_SIZES = (7, 5)  # as Slough's two cohorts
STARTED_MONTHS_AGO = (13, 4)


def _asye(authority: Authority) -> Programme:
    programme = services.create_programme(
        authority=authority,
        name="Assessed and Supported Year in Employment",
        length_months=12,
        cfkss_status=CfkssStatus.ASYE,
        description="Twelve months with a protected caseload, reviewed at 3, 6 and 12 months.",
    )
    services.add_stage(
        programme=programme, name="First six months", from_month=0, to_month=6, protected_percent=80
    )
    services.add_stage(
        programme=programme,
        name="Second six months",
        from_month=6,
        to_month=12,
        protected_percent=90,
    )
    services.add_review_point(programme=programme, name="3-month review", month=3)
    services.add_review_point(programme=programme, name="6-month review", month=6)
    services.add_review_point(programme=programme, name="Final review", month=12, final=True)
    return programme


def _induction(authority: Authority) -> Programme:
    programme = services.create_programme(
        authority=authority,
        name="Early career framework (two years)",
        length_months=24,
        description="The two-year induction programme planned to replace the ASYE.",
    )
    for name, start, end, percent in (
        ("First six months", 0, 6, 75),
        ("Rest of year one", 6, 12, 85),
        ("Year two", 12, 24, 95),
    ):
        services.add_stage(
            programme=programme,
            name=name,
            from_month=start,
            to_month=end,
            protected_percent=percent,
        )
    for month in (6, 12, 18):
        services.add_review_point(programme=programme, name=f"{month}-month review", month=month)
    services.add_review_point(programme=programme, name="Final review", month=24, final=True)
    return programme


def _candidates(authority: Authority, today: dt.date) -> list[tuple[int, dt.date]]:
    """Workers in post today and when their engagement began: those in ASYE posts first, then
    other case holders."""
    active = Engagement.objects.active_on(today).filter(authority=authority)
    seen: dict[int, dt.date] = {}
    for engagements in (
        active.filter(post__role__title__icontains="ASYE"),
        active.filter(post__role__case_holding=True),
    ):
        for worker_id, start in engagements.order_by("-start", "worker_id").values_list(
            "worker_id", "start"
        ):
            seen.setdefault(worker_id, start)
    return list(seen.items())


def _choose(candidates: list[tuple[int, dt.date]], start: dt.date, size: int) -> list[Worker]:
    """`size` of the candidates, those already in post when the cohort starts first (the most
    recent starters of them), taken from the list."""
    ready = [c for c in candidates if c[1] <= start]
    ranked = ready + [c for c in candidates if c[1] > start]
    chosen = [worker_id for worker_id, _ in ranked[:size]]
    candidates[:] = [c for c in candidates if c[0] not in chosen]
    by_id = Worker.objects.in_bulk(chosen)
    return [by_id[i] for i in chosen]


def _reviews(member: CohortMember, today: dt.date, *, extend: bool) -> None:
    """The reviews due by today, each held a few days after it fell due."""
    for point in member.cohort.programme.review_points.all():
        held = due_date(member, point) + dt.timedelta(days=3)
        if held > today:
            return
        if not point.final:
            outcome = ReviewOutcome.ON_TRACK
        else:
            outcome = ReviewOutcome.EXTENSION if extend else ReviewOutcome.PASS
        services.record_review(
            member=member,
            point=point,
            held_on=held,
            outcome=outcome,
            extension_months=3 if outcome == ReviewOutcome.EXTENSION else 0,
        )


def _trainees(authority: Authority, rng: np.random.Generator, today: dt.date) -> None:
    teams = list(Team.objects.filter(authority=authority).order_by("pk"))
    if not teams:
        return
    september = dt.date(today.year if today.month < 9 else today.year + 1, 9, 1)
    routes = (
        (TraineeRoute.STEP_UP, 14, september),
        (TraineeRoute.STEP_UP, 14, september),
        (TraineeRoute.APPRENTICESHIP, 30, september),
        (TraineeRoute.APPRENTICESHIP, 24, add_months(september, 12)),
        (TraineeRoute.APPRENTICESHIP, 12, add_months(september, 24)),
    )
    for i, (route, months_in, qualifies) in enumerate(routes, start=1):
        first = str(rng.choice(names.FIRST_NAMES))
        last = str(rng.choice(names.SURNAME_STARTS)) + str(rng.choice(names.SURNAME_ENDS))
        worker = establishment.create_worker(
            authority=authority, staff_number=f"TR{i:03d}", first_name=first, last_name=last
        )
        services.add_trainee(
            worker=worker,
            team=teams[int(rng.integers(len(teams)))],
            route=route,
            start=add_months(today, -months_in),
            expected_qualification=qualifies,
        )


def build(*, authority: Authority, rng: np.random.Generator, today: dt.date, scale: str) -> None:
    asye = _asye(authority)
    _induction(authority)
    candidates = _candidates(authority, today)
    for n, (size, months_ago) in enumerate(zip(COHORT_SIZES, STARTED_MONTHS_AGO, strict=True)):
        start = add_months(today, -months_ago).replace(day=1)
        cohort = services.create_cohort(
            programme=asye, name=f"ASYE cohort {start:%B %Y}", start=start
        )
        for i, worker in enumerate(_choose(candidates, start, size)):
            member = services.add_member(cohort=cohort, worker=worker)
            _reviews(member, today, extend=n == 0 and i == 0)
    _trainees(authority, rng, today)
