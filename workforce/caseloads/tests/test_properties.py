"""Properties of the caseload measures over generated histories."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workforce.caseloads import measures
from workforce.caseloads.measures import CaseloadFilter
from workforce.caseloads.tests.factories import allocate, case_in, worker_in_post
from workforce.establishment.tests.factories import RoleFactory, TeamFactory

D = dt.date(2025, 9, 30)
BASE = dt.date(2025, 1, 1)

worker_spec = st.tuples(
    st.integers(0, 2),  # team
    st.sampled_from(["0.20", "0.50", "0.80", "1.00"]),  # FTE
    st.sampled_from(["permanent", "agency"]),
    st.integers(0, 400),  # start offset
    st.one_of(st.none(), st.integers(1, 400)),  # length
)
case_spec = st.tuples(
    st.integers(0, 2),  # team
    st.integers(0, 5),  # worker index (mod workers)
    st.integers(0, 300),  # allocation start offset
    st.one_of(st.none(), st.integers(1, 300)),  # allocation length
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    workers=st.lists(worker_spec, min_size=1, max_size=5), cases=st.lists(case_spec, max_size=12)
)
def test_cases_held_add_up_over_teams_and_average_is_never_negative(authority, workers, cases):
    with transaction.atomic():
        teams = [TeamFactory(authority=authority) for _ in range(3)]
        role = RoleFactory(authority=authority)
        people = []
        for team_i, fte, kind, offset, length in workers:
            start = BASE + dt.timedelta(days=offset)
            end = None if length is None else start + dt.timedelta(days=length)
            people.append(
                worker_in_post(teams[team_i], role, fte=fte, kind=kind, start=start, end=end)
            )
        for team_i, worker_i, offset, length in cases:
            start = BASE + dt.timedelta(days=offset)
            end = None if length is None else start + dt.timedelta(days=length)
            allocate(
                case_in(teams[team_i], opened=BASE), people[worker_i % len(people)], start, end
            )
        whole = CaseloadFilter(authority_ids=(authority.pk,))
        dates = [BASE + dt.timedelta(days=k) for k in (0, 90, 180, 272, 400)]
        total = measures.cases_held_series(whole, dates)
        by_team = measures.cases_held_series(whole, dates, by_team=True)
        holders = measures.case_holders_series(whole, dates)
        holders_by_team = measures.case_holders_series(whole, dates, by_team=True)
        for d in dates:
            assert total.get((d, None), 0) == sum(n for (day, _t), n in by_team.items() if day == d)
            fte = holders.get((d, None), (0, measures.ZERO))[1]
            assert fte == sum(f for (day, _t), (_n, f) in holders_by_team.items() if day == d)
        summary = measures.caseload_summary(whole, D)
        assert summary.average_caseload is None or summary.average_caseload >= 0
        assert (summary.average_caseload is None) == (summary.case_holder_fte == 0)
        transaction.set_rollback(True)
