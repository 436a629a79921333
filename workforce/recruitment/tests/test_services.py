import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from workforce.establishment.models import Engagement, EngagementKind, Worker
from workforce.establishment.selectors import EstablishmentFilter, establishment_table
from workforce.recruitment import services
from workforce.recruitment.models import (
    Application,
    CheckKind,
    CheckOutcome,
    ExitReason,
    OfferKind,
    Stage,
    StageTransition,
    TaskKind,
)
from workforce.recruitment.tests.factories import CandidateFactory

D = dt.date
JUNE_5 = D(2017, 6, 5)
JULY_10 = D(2017, 7, 10)


def _apply(world, email="jo@example.com", on=JUNE_5, by=None):
    return services.apply(
        vacancy=world.vacancy,
        applied_on=on,
        by=by,
        first_name="Jo",
        last_name="Bloggs",
        email=email,
    )


def _to_checks(world, personas, application):
    services.advance_application(
        application=application, to_stage=Stage.SHORTLISTED, on=D(2017, 6, 9), by=personas.hr
    )
    services.advance_application(
        application=application, to_stage=Stage.INTERVIEWED, on=D(2017, 6, 16), by=personas.hr
    )
    services.advance_application(
        application=application,
        to_stage=Stage.RECOMMENDED,
        on=D(2017, 6, 16),
        by=personas.hr,
        hr_officer=personas.hr,
        area_manager=personas.manager,
        salary_point="SCP 33",
    )
    services.advance_application(
        application=application, to_stage=Stage.CHECKS, on=D(2017, 6, 19), by=personas.hr
    )
    application.refresh_from_db()
    return application


def _clear_all(application, on=JULY_10):
    for check in application.checks.all():
        services.request_check(
            application=application, kind=check.kind, requested_on=D(2017, 6, 19)
        )
        check.refresh_from_db()
        services.record_check_result(check=check, outcome=CheckOutcome.CLEARED, outcome_on=on)


def test_whole_journey_creates_worker_and_engagement_and_fills_the_post(world, personas):
    application = _apply(world, by=personas.hr)
    application = _to_checks(world, personas, application)
    _clear_all(application)
    services.make_unconditional_offer(application=application, on=D(2017, 7, 10), by=personas.hr)
    services.accept_offer(
        application=application, on=D(2017, 7, 12), start_date=D(2017, 8, 1), by=personas.hr
    )
    before = establishment_table(
        where=EstablishmentFilter(authority_ids=(world.role.authority_id,)), on=D(2017, 8, 1)
    ).rows[0]
    assert (before.permanent, before.agency) == (Decimal("0.00"), Decimal("1.00"))

    started = services.start_application(
        application=application, start=D(2017, 8, 1), staff_number="S900", by=personas.hr
    )

    worker = Worker.objects.get(staff_number="S900")
    assert (worker.first_name, worker.last_name) == ("Jo", "Bloggs")
    engagement = Engagement.objects.get(worker=worker)
    assert (engagement.post, engagement.start, engagement.kind) == (
        world.post,
        D(2017, 8, 1),
        EngagementKind.PERMANENT,
    )
    assert started.stage == Stage.STARTED and started.engagement == engagement
    world.agency.refresh_from_db()
    assert world.agency.end == D(2017, 8, 1)  # last day 31 July
    where = EstablishmentFilter(authority_ids=(world.role.authority_id,))
    on_day_before = establishment_table(where=where, on=D(2017, 7, 31)).rows[0]
    on_start = establishment_table(where=where, on=D(2017, 8, 1)).rows[0]
    assert (on_day_before.permanent, on_day_before.agency) == (Decimal("0.00"), Decimal("1.00"))
    assert (on_start.permanent, on_start.agency, on_start.vacant) == (
        Decimal("1.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    stages = list(
        StageTransition.objects.filter(application=application).values_list("to_stage", flat=True)
    )
    assert stages == [
        Stage.APPLIED,
        Stage.SHORTLISTED,
        Stage.INTERVIEWED,
        Stage.RECOMMENDED,
        Stage.CHECKS,
        Stage.UNCONDITIONAL_OFFER,
        Stage.ACCEPTED,
        Stage.STARTED,
    ]
    assert LogEntry.objects.get_for_object(application).exists()


def test_skipping_a_stage_is_refused(world, personas):
    application = _apply(world)
    with pytest.raises(ValidationError) as exc:
        services.advance_application(
            application=application, to_stage=Stage.INTERVIEWED, on=D(2017, 6, 9)
        )
    assert "to_stage" in exc.value.error_dict
    assert "moves next to “Shortlisted”" in exc.value.messages[0]
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED


def test_a_stage_dated_before_the_previous_one_is_refused(world):
    application = _apply(world, on=D(2017, 6, 5))
    with pytest.raises(ValidationError) as exc:
        services.advance_application(
            application=application, to_stage=Stage.SHORTLISTED, on=D(2017, 6, 1)
        )
    assert "on" in exc.value.error_dict


def test_unconditional_offer_without_cleared_checks_is_refused(world, personas):
    application = _to_checks(world, personas, _apply(world))
    for check in application.checks.exclude(kind=CheckKind.DBS):
        services.request_check(
            application=application, kind=check.kind, requested_on=D(2017, 6, 19)
        )
        check.refresh_from_db()
        services.record_check_result(
            check=check, outcome=CheckOutcome.CLEARED, outcome_on=D(2017, 7, 1)
        )
    with pytest.raises(ValidationError) as exc:
        services.make_unconditional_offer(application=application, on=D(2017, 7, 3))
    assert "not yet cleared: Enhanced DBS" in exc.value.messages[0]
    application.refresh_from_db()
    assert application.stage == Stage.CHECKS


def test_unconditional_offer_is_refused_when_a_check_failed(world, personas):
    application = _to_checks(world, personas, _apply(world))
    _clear_all(application)
    dbs = application.checks.get(kind=CheckKind.DBS)
    dbs.outcome = CheckOutcome.FAILED
    dbs.save()
    with pytest.raises(ValidationError):
        services.make_unconditional_offer(application=application, on=D(2017, 7, 12))


def test_advance_cannot_jump_to_the_unconditional_offer(world, personas):
    application = _to_checks(world, personas, _apply(world))
    with pytest.raises(ValidationError) as exc:
        services.advance_application(
            application=application, to_stage=Stage.UNCONDITIONAL_OFFER, on=D(2017, 7, 1)
        )
    assert "own form" in exc.value.messages[0]


def test_start_date_before_acceptance_is_refused_and_nothing_is_created(world, personas):
    application = _to_checks(world, personas, _apply(world))
    _clear_all(application)
    services.make_unconditional_offer(application=application, on=D(2017, 7, 10))
    services.accept_offer(application=application, on=D(2017, 7, 12))
    with pytest.raises(ValidationError) as exc:
        services.start_application(
            application=application, start=D(2017, 7, 11), staff_number="S901"
        )
    assert "accepted on 12 July 2017" in exc.value.error_dict["start"][0].messages[0]
    assert not Worker.objects.filter(staff_number="S901").exists()


def test_a_start_still_to_come_is_refused_and_nothing_is_created(world, personas):
    application = _to_checks(world, personas, _apply(world))
    _clear_all(application)
    services.make_unconditional_offer(application=application, on=D(2017, 7, 10))
    services.accept_offer(application=application, on=D(2017, 7, 12))
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.start_application(application=application, start=tomorrow, staff_number="S903")
    assert "still to come" in exc.value.error_dict["start"][0].messages[0]
    assert not Worker.objects.filter(staff_number="S903").exists()


def test_duplicate_application_is_refused_but_another_vacancy_is_fine(world, authority):
    first = _apply(world, email="Jo@Example.com")
    with pytest.raises(ValidationError) as exc:
        _apply(world, email="jo@example.com", on=D(2017, 6, 6))
    assert "already applied" in exc.value.messages[0]
    other = services.open_vacancy(
        authority=authority,
        reference="V2",
        title="Senior practitioner",
        role=world.role,
        opened_on=D(2017, 6, 1),
    )
    second = services.apply(vacancy=other, applied_on=D(2017, 6, 7), candidate=first.candidate)
    assert second.candidate == first.candidate
    assert Application.objects.count() == 2


def test_recommendation_sets_training_pack_due_in_five_working_days(world, personas):
    application = _apply(world)
    services.advance_application(
        application=application, to_stage=Stage.SHORTLISTED, on=D(2017, 6, 9)
    )
    services.advance_application(
        application=application, to_stage=Stage.INTERVIEWED, on=D(2017, 8, 24)
    )
    # Thursday 24 August 2017; Monday 28 August is the summer bank holiday.
    services.advance_application(
        application=application,
        to_stage=Stage.RECOMMENDED,
        on=D(2017, 8, 24),
        hr_officer=personas.hr,
    )
    task = application.tasks.get(kind=TaskKind.TRAINING_PACK)
    assert task.due_on == D(2017, 9, 1) and task.owner == personas.hr
    assert application.offers.get().kind == OfferKind.CONDITIONAL


def test_offer_letter_is_due_the_day_the_last_check_clears(world, personas):
    application = _to_checks(world, personas, _apply(world))
    letter = application.tasks.get(kind=TaskKind.OFFER_LETTER)
    assert letter.due_on is None
    assert application.tasks.get(kind=TaskKind.SALARY).due_on == D(2017, 7, 3)
    _clear_all(application, on=D(2017, 7, 10))
    letter.refresh_from_db()
    assert letter.due_on == D(2017, 7, 10)
    services.make_unconditional_offer(application=application, on=D(2017, 7, 10))
    letter.refresh_from_db()
    assert letter.done_on == D(2017, 7, 10)


def test_acceptance_sets_the_start_date_letter_due_that_day(world, personas):
    application = _to_checks(world, personas, _apply(world))
    _clear_all(application)
    services.make_unconditional_offer(application=application, on=D(2017, 7, 10))
    services.accept_offer(application=application, on=D(2017, 7, 12))
    assert application.tasks.get(kind=TaskKind.START_LETTER).due_on == D(2017, 7, 12)


def test_withdrawal_records_the_stage_and_reason(world, personas):
    application = _to_checks(world, personas, _apply(world))
    services.leave_application(
        application=application,
        outcome=Stage.WITHDRAWN,
        reason=ExitReason.ANOTHER_OFFER,
        on=D(2017, 7, 1),
    )
    application.refresh_from_db()
    assert (application.stage, application.exit_stage, application.exit_reason) == (
        Stage.WITHDRAWN,
        Stage.CHECKS,
        ExitReason.ANOTHER_OFFER,
    )
    assert not application.tasks.filter(done_on__isnull=True).exists()
    with pytest.raises(ValidationError):
        services.advance_application(
            application=application, to_stage=Stage.UNCONDITIONAL_OFFER, on=D(2017, 7, 2)
        )


def test_declining_needs_an_offer(world):
    application = _apply(world)
    with pytest.raises(ValidationError) as exc:
        services.leave_application(
            application=application,
            outcome=Stage.DECLINED,
            reason=ExitReason.SALARY,
            on=D(2017, 6, 6),
        )
    assert "outcome" in exc.value.error_dict


def test_dbs_can_be_requested_at_interview_but_not_before(world):
    application = _apply(world)
    with pytest.raises(ValidationError):
        services.request_check(
            application=application, kind=CheckKind.DBS, requested_on=D(2017, 6, 6)
        )
    services.advance_application(
        application=application, to_stage=Stage.SHORTLISTED, on=D(2017, 6, 9)
    )
    services.advance_application(
        application=application, to_stage=Stage.INTERVIEWED, on=D(2017, 6, 16)
    )
    check = services.request_check(
        application=application, kind=CheckKind.DBS, requested_on=D(2017, 6, 16)
    )
    assert check.requested_on == D(2017, 6, 16)


def test_check_result_before_request_is_refused(world, personas):
    application = _to_checks(world, personas, _apply(world))
    check = services.request_check(
        application=application, kind=CheckKind.DBS, requested_on=D(2017, 6, 19)
    )
    with pytest.raises(ValidationError) as exc:
        services.record_check_result(
            check=check, outcome=CheckOutcome.CLEARED, outcome_on=D(2017, 6, 18)
        )
    assert "received_on" in exc.value.error_dict


def test_block_recruitment_allocates_each_post_once(world, personas, authority):
    from workforce.establishment.tests.factories import PostFactory

    second = PostFactory(team=personas.other_team, role=world.role, start=D(2017, 1, 1))
    world.vacancy.posts.add(second)
    a = _to_checks(world, personas, _apply(world, email="a@example.com"))
    b = _to_checks(world, personas, _apply(world, email="b@example.com"))
    services.allocate_post(application=a, post=second)
    with pytest.raises(ValidationError) as exc:
        services.allocate_post(application=b, post=second)
    assert "already allocated" in exc.value.messages[0]
    services.allocate_post(application=b, post=world.post)


def test_fixed_term_start_needs_an_end_date(world, personas):
    application = _to_checks(world, personas, _apply(world))
    _clear_all(application)
    services.make_unconditional_offer(application=application, on=D(2017, 7, 10))
    services.accept_offer(application=application, on=D(2017, 7, 12))
    with pytest.raises(ValidationError) as exc:
        services.start_application(
            application=application,
            start=D(2017, 8, 1),
            staff_number="S902",
            kind=EngagementKind.FIXED_TERM,
        )
    assert "end" in exc.value.error_dict
    assert not Worker.objects.filter(staff_number="S902").exists()


def test_candidate_of_another_authority_cannot_apply(world, other_authority):
    stranger = CandidateFactory(authority=other_authority)
    with pytest.raises(ValidationError):
        services.apply(vacancy=world.vacancy, applied_on=D(2017, 6, 5), candidate=stranger)


def test_an_application_dated_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.apply(
            vacancy=world.vacancy,
            applied_on=D(2017, 6, 6),
            first_name="Jo",
            last_name="Bloggs",
            email="jo@example.com",
            today=JUNE_5,
        )
    assert exc.value.message_dict["applied_on"] == [
        "The date of the application cannot be in the future."
    ]
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("0113 496 0000", "0113 496 0000"),
        ("+44 113 496 0000", "+44 113 496 0000"),
        ("+44 (0)113  496-0000", "+44 (0)113 496-0000"),
        ("(0113) 496 0000", "(0113) 496 0000"),
        ("07700900123", "07700900123"),
        ("", ""),
    ],
)
def test_a_uk_phone_number_is_kept_as_written(world, typed, kept):
    application = services.apply(
        vacancy=world.vacancy,
        applied_on=JUNE_5,
        first_name="Jo",
        last_name="Bloggs",
        email="jo@example.com",
        phone=typed,
    )
    assert application.candidate.phone == kept


@pytest.mark.parametrize(
    "typed", ["-1", "12345", "0113-", "0113--4960000", "+1 212 555 0100", "0113 496 000x", "phone"]
)
def test_a_phone_number_that_is_not_one_is_refused(world, typed):
    with pytest.raises(ValidationError) as exc:
        services.apply(
            vacancy=world.vacancy,
            applied_on=JUNE_5,
            first_name="Jo",
            last_name="Bloggs",
            email="jo@example.com",
            phone=typed,
        )
    assert "Enter a UK phone number of at least 10 digits" in exc.value.message_dict["phone"][0]
    assert not Application.objects.exists()


def test_a_target_whose_deadline_has_passed_is_refused_unless_the_strand_has_ended(world):
    from workforce.recruitment.models import StrandKind, StrandTarget

    with pytest.raises(ValidationError) as exc:
        services.create_target(
            strand=world.strand,
            role=world.role,
            target=3,
            deadline=D(2017, 11, 30),
            today=D(2017, 12, 1),
        )
    assert (
        "The deadline 30 November 2017 has already passed"
        in (exc.value.message_dict["deadline"][0])
    )
    # Recording a strand that has ended, with its targets and their deadlines.
    ended = services.create_strand(
        campaign=world.campaign,
        kind=StrandKind.OPEN,
        start=D(2017, 6, 1),
        end=D(2017, 11, 30),
    )
    services.create_target(
        strand=ended, role=world.role, target=3, deadline=D(2017, 11, 30), today=D(2017, 12, 1)
    )
    assert StrandTarget.objects.filter(strand=ended).count() == 1
