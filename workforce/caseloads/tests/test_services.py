"""Casework services: what they record, and the bad input they refuse (naming the field)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from workforce.caseloads import services
from workforce.caseloads.models import (
    Allocation,
    AllocationReason,
    AsyePeriod,
    Case,
    Category,
    Referral,
    ReferralOutcome,
    pseudonymise,
)
from workforce.caseloads.tests.factories import social_worker_role, worker_in_post
from workforce.establishment.models import Leaving, ServiceArea
from workforce.establishment.tests.factories import TeamFactory

D = dt.date(2025, 3, 3)


def refused(field: str, call, **kwargs) -> str:
    with pytest.raises(ValidationError) as info:
        call(**kwargs)
    assert field in info.value.message_dict, info.value.message_dict
    return info.value.message_dict[field][0]


@pytest.fixture
def team(authority):
    return TeamFactory(authority=authority, name="Locality East")


@pytest.fixture
def role(authority):
    return social_worker_role(authority, capacity_points=16)


@pytest.fixture
def case(authority, team):
    return services.open_case(
        authority=authority,
        team=team,
        category=Category.CHILD_IN_NEED,
        opened=D,
        child_ref="K-1001",
    )


def test_open_case_records_team_and_category_from_the_opening_date(case, team):
    assert case.start == D and case.end is None
    assert case.teams.get().team == team
    assert case.categories.get().category == Category.CHILD_IN_NEED


def test_imported_case_reference_is_a_keyed_hash_of_the_source_id(authority, team):
    case = services.open_case(
        authority=authority, team=team, category="cla", opened=D, source_id="SRC-778812"
    )
    assert case.child_ref == pseudonymise("SRC-778812")
    assert "778812" not in case.child_ref
    assert len(case.child_ref) == 20


def test_siblings_are_separate_cases(authority, team):
    for ref in ("SIB-0001", "SIB-0002"):
        services.open_case(authority=authority, team=team, category="cpp", opened=D, child_ref=ref)
    assert Case.objects.filter(authority=authority).count() == 2


def test_open_case_refuses_a_name_as_reference_and_duplicates(authority, team, case):
    kwargs = {"authority": authority, "team": team, "category": "cin", "opened": D}
    assert "never a name" in refused(
        "child_ref", services.open_case, child_ref="Jo Bloggs", **kwargs
    )
    refused("child_ref", services.open_case, child_ref="K-1001", **kwargs)
    refused("category", services.open_case, **{**kwargs, "category": "x"}, child_ref="K-2")


def test_allocate_case_records_the_allocation(case, team, role):
    worker = worker_in_post(team, role)
    allocation = services.allocate_case(case=case, worker=worker, start=D)
    assert allocation.reason == AllocationReason.INITIAL
    assert allocation.end is None


def test_allocating_a_closed_case_is_refused(case, team, role):
    worker = worker_in_post(team, role)
    services.close_case(case=case, closed=dt.date(2025, 4, 1))
    message = refused(
        "case", services.allocate_case, case=case, worker=worker, start=dt.date(2025, 5, 1)
    )
    assert "closed" in message


def test_allocating_to_a_worker_not_in_post_is_refused(case, team, role):
    later = worker_in_post(team, role, start=dt.date(2025, 6, 1))
    message = refused("worker", services.allocate_case, case=case, worker=later, start=D)
    assert "not in post" in message


def test_allocating_past_the_workers_leaving_date_is_refused(case, team, role, authority):
    leaver = worker_in_post(team, role, end=dt.date(2025, 3, 1))
    Leaving.objects.create(
        authority=authority, worker=leaver, last_day=dt.date(2025, 2, 28), reason="1", fte=1
    )
    message = refused("start", services.allocate_case, case=case, worker=leaver, start=D)
    assert "left on 28 February 2025" in message


def test_over_capacity_needs_a_reason_which_is_recorded(authority, team, role):
    worker = worker_in_post(team, role)  # capacity 16; child in need = 4 points
    cases = [
        services.open_case(
            authority=authority, team=team, category="cin", opened=D, child_ref=f"K-{n}000"
        )
        for n in range(5)
    ]
    for c in cases[:4]:
        services.allocate_case(case=c, worker=worker, start=D)
    message = refused(
        "over_capacity_reason", services.allocate_case, case=cases[4], worker=worker, start=D
    )
    assert "20 points against a capacity of 16" in message
    allocation = services.allocate_case(
        case=cases[4], worker=worker, start=D, over_capacity_reason="Sibling group kept together"
    )
    assert allocation.over_capacity_reason == "Sibling group kept together"


def test_asye_reduces_capacity_for_the_over_capacity_check(authority, team, role):
    worker = worker_in_post(team, role)
    services.register_asye(worker=worker, start=dt.date(2025, 1, 1))  # 90% of 16 = 14.4
    cases = [
        services.open_case(
            authority=authority, team=team, category="cin", opened=D, child_ref=f"K-{n}000"
        )
        for n in range(4)
    ]
    for c in cases[:3]:
        services.allocate_case(case=c, worker=worker, start=D)
    refused("over_capacity_reason", services.allocate_case, case=cases[3], worker=worker, start=D)


def test_reallocation_ends_the_current_allocation_and_needs_a_reason(case, team, role):
    first, second = worker_in_post(team, role), worker_in_post(team, role)
    services.allocate_case(case=case, worker=first, start=D)
    later = dt.date(2025, 4, 1)
    refused("reason", services.allocate_case, case=case, worker=second, start=later)
    services.allocate_case(
        case=case, worker=second, start=later, reason=AllocationReason.WORKER_LEFT
    )
    allocations = list(Allocation.objects.filter(case=case).order_by("start"))
    assert [(a.worker, a.start, a.end) for a in allocations] == [
        (first, D, later),
        (second, later, None),
    ]
    refused(
        "worker",
        services.allocate_case,
        case=case,
        worker=second,
        start=dt.date(2025, 5, 1),
        reason=AllocationReason.REALLOCATION,
    )
    refused(
        "start",
        services.allocate_case,
        case=case,
        worker=first,
        start=D,
        reason=AllocationReason.REALLOCATION,
    )


def test_transfer_moves_the_case_and_ends_the_allocation(authority, case, team, role):
    worker = worker_in_post(team, role)
    services.allocate_case(case=case, worker=worker, start=D)
    west = TeamFactory(authority=authority, name="Locality West")
    on = dt.date(2025, 5, 1)
    services.transfer_case(case=case, to_team=west, on=on)
    spells = list(case.teams.order_by("start").values_list("team__name", "start", "end"))
    assert spells == [("Locality East", D, on), ("Locality West", on, None)]
    assert Allocation.objects.get(case=case).end == on
    refused("to_team", services.transfer_case, case=case, to_team=west, on=dt.date(2025, 6, 1))


def test_close_case_ends_everything_and_refuses_twice(case, team, role):
    worker = worker_in_post(team, role)
    services.allocate_case(case=case, worker=worker, start=D)
    closed = dt.date(2025, 6, 1)
    services.close_case(case=case, closed=closed)
    assert case.teams.get().end == closed
    assert case.categories.get().end == closed
    assert case.allocations.get().end == closed
    refused("case", services.close_case, case=case, closed=dt.date(2025, 7, 1))


def test_close_case_before_it_opened_is_refused(case):
    refused("closed", services.close_case, case=case, closed=D)


def test_change_category_keeps_history(case):
    services.change_case_category(case=case, category="cpp", on=dt.date(2025, 4, 1), complex=True)
    history = list(case.categories.order_by("start").values_list("category", "complex", "end"))
    assert history == [("cin", False, dt.date(2025, 4, 1)), ("cpp", True, None)]
    refused(
        "category",
        services.change_case_category,
        case=case,
        category="cpp",
        on=dt.date(2025, 5, 1),
        complex=True,
    )


def test_end_allocation_refuses_an_end_before_the_start(case, team, role):
    worker = worker_in_post(team, role)
    allocation = services.allocate_case(case=case, worker=worker, start=D)
    refused("end", services.end_allocation, allocation=allocation, end=D)
    services.end_allocation(allocation=allocation, end=dt.date(2025, 4, 1))
    assert allocation.end == dt.date(2025, 4, 1)


def test_record_supervision_refuses_bad_input(team, role):
    worker = worker_in_post(team, role, start=dt.date(2025, 1, 1))
    today = dt.date(2025, 3, 10)
    services.record_supervision(worker=worker, date=D, today=today)
    refused("date", services.record_supervision, worker=worker, date=D, today=today)  # twice
    refused(
        "date", services.record_supervision, worker=worker, date=dt.date(2025, 4, 1), today=today
    )  # future
    refused(
        "date", services.record_supervision, worker=worker, date=dt.date(2024, 6, 1), today=today
    )  # before in post
    refused(
        "supervisor",
        services.record_supervision,
        worker=worker,
        date=dt.date(2025, 3, 4),
        supervisor=worker,
        today=today,
    )


def test_register_asye_defaults_to_a_year_and_refuses_overlap(team, role):
    worker = worker_in_post(team, role)
    period = services.register_asye(worker=worker, start=dt.date(2025, 1, 6))
    assert period.end == dt.date(2026, 1, 6)
    refused("start", services.register_asye, worker=worker, start=dt.date(2025, 6, 1))
    assert AsyePeriod.objects.count() == 1


@pytest.fixture
def front_door(authority):
    return TeamFactory(authority=authority, name="Front Door", service_area=ServiceArea.FRONT_DOOR)


def test_referral_outcome_dates_must_follow_each_other(authority, front_door):
    referral = services.record_referral(authority=authority, team=front_door, received=D)
    refused(
        "initial_assessment_start",
        services.record_referral_outcome,
        referral=referral,
        outcome="assessment",
        initial_assessment_start=dt.date(2025, 3, 1),
    )
    refused(
        "initial_assessment_completed",
        services.record_referral_outcome,
        referral=referral,
        outcome="assessment",
        initial_assessment_completed=dt.date(2025, 3, 5),
    )
    refused("plan_date", services.record_referral_outcome, referral=referral, outcome="plan")
    refused("outcome", services.record_referral_outcome, referral=referral, outcome="maybe")
    services.record_referral_outcome(
        referral=referral,
        outcome=ReferralOutcome.NOT_IN_NEED,
        initial_assessment_start=D,
        initial_assessment_completed=dt.date(2025, 3, 7),
    )
    referral.refresh_from_db()
    assert referral.outcome == ReferralOutcome.NOT_IN_NEED


def test_referral_team_must_belong_to_the_authority(authority, other_authority):
    elsewhere = TeamFactory(authority=other_authority)
    with pytest.raises(ValidationError):
        services.record_referral(authority=authority, team=elsewhere, received=D)


def test_record_referral_links_the_case_by_its_reference(authority, front_door, case):
    referral = services.record_referral(
        authority=authority, team=front_door, received=D, child_ref=" k-1001 "
    )
    assert referral.case == case
    assert referral.outcome == ""
    without = services.record_referral(authority=authority, team=front_door, received=D)
    assert without.case is None


def test_record_referral_refuses_bad_input_naming_the_field(authority, front_door, team):
    kwargs = {"authority": authority, "team": front_door, "today": D}
    assert "front door" in refused(
        "team", services.record_referral, received=D, **{**kwargs, "team": team}
    )
    assert "future" in refused(
        "received", services.record_referral, received=D + dt.timedelta(days=1), **kwargs
    )
    refused("received", services.record_referral, received=None, **kwargs)
    assert "never a name" in refused(
        "child_ref", services.record_referral, received=D, child_ref="Jo Bloggs", **kwargs
    )
    assert "no case with reference K-9999" in refused(
        "child_ref", services.record_referral, received=D, child_ref="K-9999", **kwargs
    )
    assert Referral.objects.count() == 0


def test_referral_outcome_refuses_the_future_and_an_assessment_without_a_start(
    authority, front_door
):
    referral = services.record_referral(authority=authority, team=front_door, received=D, today=D)
    today = dt.date(2025, 3, 10)
    call = services.record_referral_outcome
    assert "future" in refused(
        "core_assessment_start",
        call,
        referral=referral,
        outcome="assessment",
        core_assessment_start=dt.date(2025, 3, 11),
        today=today,
    )
    assert "assessment started" in refused(
        "initial_assessment_start", call, referral=referral, outcome="assessment", today=today
    )
    referral.refresh_from_db()
    assert referral.outcome == "" and referral.core_assessment_start is None


@pytest.mark.parametrize(
    "outcome",
    [ReferralOutcome.NO_FURTHER_ACTION, ReferralOutcome.ADVICE, ReferralOutcome.EARLY_HELP],
)
@pytest.mark.parametrize(
    "field",
    [
        "initial_assessment_start",
        "core_assessment_start",
        "plan_date",
    ],
)
def test_an_outcome_without_assessment_refuses_assessment_and_plan_dates(
    authority, front_door, outcome, field
):
    referral = services.record_referral(authority=authority, team=front_door, received=D, today=D)
    message = refused(
        field,
        services.record_referral_outcome,
        referral=referral,
        outcome=outcome,
        **{field: dt.date(2025, 3, 5)},
    )
    assert f"ended with {outcome.label.lower()} had no assessment or plan" in message
    referral.refresh_from_db()
    assert referral.outcome == "" and getattr(referral, field) is None


def test_an_outcome_before_the_referral_was_received_is_refused(authority, front_door):
    referral = services.record_referral(authority=authority, team=front_door, received=D, today=D)
    message = refused(
        "outcome_date",
        services.record_referral_outcome,
        referral=referral,
        outcome=ReferralOutcome.ADVICE,
        outcome_date=dt.date(2025, 3, 2),
    )
    assert message == ("This date is before the date the referral was received (3 March 2025).")
    assert "future" in refused(
        "outcome_date",
        services.record_referral_outcome,
        referral=referral,
        outcome=ReferralOutcome.EARLY_HELP,
        outcome_date=dt.date(2025, 3, 11),
        today=dt.date(2025, 3, 10),
    )


def test_not_in_need_needs_an_assessment_and_no_plan(authority, front_door):
    referral = services.record_referral(authority=authority, team=front_door, received=D, today=D)
    call = services.record_referral_outcome
    assert "assessment started: the outcome is assessed, not in need" in refused(
        "initial_assessment_start", call, referral=referral, outcome=ReferralOutcome.NOT_IN_NEED
    )
    assert "choose the outcome plan" in refused(
        "plan_date",
        call,
        referral=referral,
        outcome=ReferralOutcome.NOT_IN_NEED,
        initial_assessment_start=D,
        plan_date=dt.date(2025, 3, 20),
    )
    assert "before it started (5 March 2025)" in refused(
        "outcome_date",
        call,
        referral=referral,
        outcome=ReferralOutcome.NOT_IN_NEED,
        core_assessment_start=dt.date(2025, 3, 5),
        outcome_date=dt.date(2025, 3, 4),
    )


def test_signposting_and_early_help_are_recorded_with_their_date(authority, front_door):
    referral = services.record_referral(authority=authority, team=front_door, received=D, today=D)
    services.record_referral_outcome(
        referral=referral, outcome=ReferralOutcome.ADVICE, outcome_date=D
    )
    referral.refresh_from_db()
    assert (referral.outcome, referral.outcome_date) == ("advice", D)
    assert referral.get_outcome_display() == "Information, advice or signposting"
    services.record_referral_outcome(
        referral=referral, outcome=ReferralOutcome.EARLY_HELP, outcome_date=dt.date(2025, 3, 4)
    )
    referral.refresh_from_db()
    assert (referral.outcome, referral.outcome_date) == ("early_help", dt.date(2025, 3, 4))


def test_referral_outcome_can_be_recorded_again_as_the_referral_goes_further(authority, front_door):
    referral = services.record_referral(authority=authority, team=front_door, received=D)
    services.record_referral_outcome(
        referral=referral, outcome=ReferralOutcome.CP_ENQUIRY, initial_assessment_start=D
    )
    services.record_referral_outcome(
        referral=referral,
        outcome=ReferralOutcome.PLAN,
        initial_assessment_start=D,
        initial_assessment_completed=dt.date(2025, 3, 6),
        plan_date=dt.date(2025, 3, 20),
    )
    referral.refresh_from_db()
    assert referral.outcome == ReferralOutcome.PLAN
    assert referral.plan_date == dt.date(2025, 3, 20)
    assert referral.initial_assessment_completed == dt.date(2025, 3, 6)


def test_recording_one_date_keeps_the_others(authority, front_door):
    referral = services.record_referral(authority=authority, team=front_door, received=D, today=D)
    services.record_referral_outcome(
        referral=referral,
        outcome=ReferralOutcome.CP_ENQUIRY,
        outcome_date=D,
        initial_assessment_start=D,
        initial_assessment_completed=dt.date(2025, 3, 6),
        core_assessment_start=dt.date(2025, 3, 7),
        today=dt.date(2025, 4, 1),
    )
    services.record_referral_outcome(
        referral=referral,
        outcome=ReferralOutcome.PLAN,
        plan_date=dt.date(2025, 3, 20),
        today=dt.date(2025, 4, 1),
    )
    referral.refresh_from_db()
    assert (referral.outcome, referral.plan_date) == ("plan", dt.date(2025, 3, 20))
    assert (
        referral.outcome_date,
        referral.initial_assessment_start,
        referral.initial_assessment_completed,
        referral.core_assessment_start,
        referral.core_assessment_completed,
    ) == (D, D, dt.date(2025, 3, 6), dt.date(2025, 3, 7), None)
    # None, given, clears; the kept dates are checked with the new outcome.
    services.record_referral_outcome(
        referral=referral, outcome=ReferralOutcome.PLAN, core_assessment_start=None
    )
    referral.refresh_from_db()
    assert referral.core_assessment_start is None and referral.plan_date is not None
    assert "no further action had no assessment or plan" in refused(
        "initial_assessment_start",
        services.record_referral_outcome,
        referral=referral,
        outcome=ReferralOutcome.NO_FURTHER_ACTION,
    )


def test_a_core_assessment_or_plan_before_the_initial_assessment_is_refused(authority, front_door):
    referral = services.record_referral(authority=authority, team=front_door, received=D, today=D)
    today = dt.date(2025, 4, 1)
    message = refused(
        "core_assessment_start",
        services.record_referral_outcome,
        referral=referral,
        outcome=ReferralOutcome.ASSESSMENT,
        initial_assessment_start=dt.date(2025, 3, 10),
        core_assessment_start=dt.date(2025, 3, 5),
        today=today,
    )
    assert message == (
        "This date is before the date the initial assessment started (10 March 2025)."
    )
    message = refused(
        "plan_date",
        services.record_referral_outcome,
        referral=referral,
        outcome=ReferralOutcome.PLAN,
        core_assessment_start=dt.date(2025, 3, 10),
        plan_date=dt.date(2025, 3, 5),
        today=today,
    )
    assert "The plan follows the assessment" in message and "10 March 2025" in message
    referral.refresh_from_db()
    assert referral.outcome == "" and referral.core_assessment_start is None


def test_close_case_before_an_allocation_starts_is_refused_and_nothing_changes(case, team, role):
    worker = worker_in_post(team, role, first_name="Ada", last_name="Start")
    services.allocate_case(case=case, worker=worker, start=dt.date(2025, 5, 1))
    message = refused("closed", services.close_case, case=case, closed=dt.date(2025, 4, 1))
    assert "Ada Start starts on 1 May 2025" in message
    case.refresh_from_db()
    assert case.end is None
    assert case.teams.get().end is None
    assert case.allocations.get().end is None


def test_close_case_on_the_day_it_opened_is_refused(case):
    assert "opened on 3 March 2025" in refused(
        "closed", services.close_case, case=case, closed=dt.date(2025, 3, 3)
    )
