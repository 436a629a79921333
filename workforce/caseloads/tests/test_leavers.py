"""Recording a leaver ends their case allocations, through the core leaver hook."""

from __future__ import annotations

import datetime as dt
import inspect

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from workforce.caseloads import measures, selectors
from workforce.caseloads.measures import CaseloadFilter
from workforce.caseloads.models import Allocation
from workforce.caseloads.tests.factories import (
    allocate,
    case_in,
    social_worker_role,
    worker_in_post,
)
from workforce.establishment import services as establishment
from workforce.establishment.models import Engagement, EngagementKind, Leaving
from workforce.establishment.tests.factories import PostFactory, TeamFactory

LAST_DAY = dt.date(2025, 8, 31)
NEXT_DAY = dt.date(2025, 9, 1)

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def leaver(authority):
    team = TeamFactory(authority=authority)
    worker = worker_in_post(team, social_worker_role(authority))
    cases = [case_in(team), case_in(team)]
    allocations = [allocate(cases[0], worker, dt.date(2025, 1, 1))]
    # The second is already due to end later (as when its case closes): it ends sooner now.
    allocations.append(allocate(cases[1], worker, dt.date(2025, 3, 1), end=dt.date(2025, 12, 1)))
    return {"team": team, "worker": worker, "cases": cases, "allocations": allocations}


def test_a_leavers_open_allocations_end_the_day_after_their_last_day(leaver):
    earlier_case = case_in(leaver["team"])
    finished = allocate(earlier_case, leaver["worker"], dt.date(2024, 1, 1), dt.date(2024, 6, 1))
    establishment.record_leaver(worker=leaver["worker"], last_day=LAST_DAY, reason="1")
    for allocation in leaver["allocations"]:
        allocation.refresh_from_db()
        assert allocation.end == NEXT_DAY
    finished.refresh_from_db()
    assert finished.end == dt.date(2024, 6, 1)  # long over: untouched


def test_each_ended_allocation_is_audited(leaver):
    establishment.record_leaver(worker=leaver["worker"], last_day=LAST_DAY, reason="1")
    for allocation in leaver["allocations"]:
        entry = LogEntry.objects.get_for_object(allocation).filter(action=LogEntry.Action.UPDATE)
        assert entry.count() == 1
        assert entry.get().changes_dict["end"][1] == NEXT_DAY.isoformat()


def test_the_cases_are_held_on_the_last_day_and_unallocated_from_the_next(leaver, authority):
    establishment.record_leaver(worker=leaver["worker"], last_day=LAST_DAY, reason="1")
    where = CaseloadFilter(authority_ids=(authority.pk,))
    assert measures.caseload_summary(where, LAST_DAY).cases_held == 2
    assert measures.caseload_summary(where, NEXT_DAY).cases_held == 0
    assert measures.unallocated_series(where, [LAST_DAY, NEXT_DAY]) == {NEXT_DAY: 2}
    waiting = selectors.unallocated_cases(where=where, on=NEXT_DAY, threshold_days=14)
    assert [(c.since, c.days) for c in waiting] == [(NEXT_DAY, 0), (NEXT_DAY, 0)]


def test_an_allocation_starting_after_the_last_day_refuses_the_whole_leaving(leaver):
    late = allocate(case_in(leaver["team"]), leaver["worker"], dt.date(2025, 9, 15))
    with pytest.raises(ValidationError) as refused:
        establishment.record_leaver(worker=leaver["worker"], last_day=LAST_DAY, reason="1")
    assert "last_day" in refused.value.message_dict
    assert "15 September 2025" in refused.value.message_dict["last_day"][0]
    # Nothing was saved: no leaving, the engagement and every allocation still open.
    assert not Leaving.objects.filter(worker=leaver["worker"]).exists()
    assert Engagement.objects.get(worker=leaver["worker"]).end is None
    assert Allocation.objects.filter(pk=late.pk, end__isnull=True).exists()
    first = leaver["allocations"][0]
    assert Allocation.objects.get(pk=first.pk).end is None


def test_a_leaver_who_stays_on_through_an_agency_keeps_their_cases(leaver, authority):
    post = PostFactory(authority=authority, team=leaver["team"], start=dt.date(2020, 1, 1))
    Engagement.objects.create(
        authority=authority,
        worker=leaver["worker"],
        post=post,
        fte=1,
        kind=EngagementKind.AGENCY,
        agency_name="Agency Ltd",
        covers="vacancy",
        start=NEXT_DAY,
    )
    establishment.record_leaver(worker=leaver["worker"], last_day=LAST_DAY, reason="1")
    assert [a.end for a in Allocation.objects.filter(worker=leaver["worker"])] == [
        None,
        dt.date(2025, 12, 1),
    ]


def test_establishment_does_not_import_caseloads():
    assert "caseloads" not in inspect.getsource(establishment)
