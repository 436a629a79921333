"""Writes for early-career programmes, cohorts, reviews and trainees.

Each function runs in one transaction and either applies completely or raises
`ValidationError({field: message})` naming the field at fault.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from workforce.careers.models.programmes import (
    FINAL_OUTCOMES,
    INTERIM_OUTCOMES,
    WORKER_ROUTE,
    CfkssStatus,
    Cohort,
    CohortMember,
    MemberStatus,
    Programme,
    ProgrammeStage,
    Review,
    ReviewOutcome,
    ReviewPoint,
    Trainee,
    TraineeRoute,
    TraineeStatus,
    WithdrawalReason,
)
from workforce.caseloads.measures import add_months
from workforce.core.dates import day_text
from workforce.core.models import Authority
from workforce.core.validation import refuse, same_authority
from workforce.establishment import services as establishment
from workforce.establishment.models import Team, Worker

DAY = dt.timedelta(days=1)
MAX_EXTENSION_MONTHS = 12


def _name(value: str, field: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise refuse(field, f"Enter the {what}.")
    return value


# Programmes ----------------------------------------------------------------------------------


@transaction.atomic
def create_programme(
    *,
    authority: Authority,
    name: str,
    length_months: int,
    cfkss_status: str = "",
    description: str = "",
) -> Programme:
    name = _name(name, "name", "programme's name")
    if length_months < 1:
        raise refuse("length_months", "The programme must last at least one month.")
    if cfkss_status and cfkss_status not in CfkssStatus.values:
        raise refuse("cfkss_status", "Choose a census CFKSSstatus from the list.")
    if Programme.objects.filter(authority=authority, name__iexact=name).exists():
        raise refuse("name", f"There is already a programme called {name}.")
    return Programme.objects.create(
        authority=authority,
        name=name,
        length_months=length_months,
        cfkss_status=cfkss_status,
        description=description.strip(),
    )


@transaction.atomic
def add_stage(
    *, programme: Programme, name: str, from_month: int, to_month: int, protected_percent: int
) -> ProgrammeStage:
    """A stage of months `[from_month, to_month)`; stages may not overlap."""
    name = _name(name, "name", "stage's name")
    if to_month <= from_month:
        raise refuse("to_month", "The stage must end after the month it starts.")
    if to_month > programme.length_months:
        raise refuse(
            "to_month",
            f"The stage must end by month {programme.length_months}, the programme's length.",
        )
    if not 0 < protected_percent <= 100:
        raise refuse("protected_percent", "The protected caseload must be between 1% and 100%.")
    clash = programme.stages.filter(from_month__lt=to_month, to_month__gt=from_month).first()
    if clash is not None:
        raise refuse("from_month", f"The stage overlaps {clash}.")
    return ProgrammeStage.objects.create(
        authority_id=programme.authority_id,
        programme=programme,
        name=name,
        from_month=from_month,
        to_month=to_month,
        protected_percent=protected_percent,
    )


@transaction.atomic
def add_review_point(
    *, programme: Programme, name: str, month: int, final: bool = False
) -> ReviewPoint:
    """A review due `month` months after a member's start. The final review comes last."""
    name = _name(name, "name", "review's name")
    if not 0 < month <= programme.length_months:
        raise refuse(
            "month", f"The review must fall in the programme's {programme.length_months} months."
        )
    points = programme.review_points.all()
    if points.filter(month=month).exists():
        raise refuse("month", f"There is already a review at month {month}.")
    if final:
        if points.filter(final=True).exists():
            raise refuse("final", "The programme already has a final review.")
        if points.filter(month__gt=month).exists():
            raise refuse("month", "The final review must come after every other review.")
    elif points.filter(final=True, month__lt=month).exists():
        raise refuse("month", "A review cannot come after the final review.")
    return ReviewPoint.objects.create(
        authority_id=programme.authority_id,
        programme=programme,
        name=name,
        month=month,
        final=final,
    )


# Cohorts and members -------------------------------------------------------------------------


@transaction.atomic
def create_cohort(*, programme: Programme, name: str, start: dt.date) -> Cohort:
    name = _name(name, "name", "cohort's name")
    if Cohort.objects.filter(authority_id=programme.authority_id, name__iexact=name).exists():
        raise refuse("name", f"There is already a cohort called {name}.")
    return Cohort.objects.create(
        authority_id=programme.authority_id, programme=programme, name=name, start=start
    )


def planned_end(start: dt.date, programme: Programme, extension_months: int) -> dt.date:
    """The first day after the programme, with any extension."""
    return add_months(start, programme.length_months + extension_months)


@transaction.atomic
def add_member(
    *,
    cohort: Cohort,
    worker: Worker,
    start: dt.date | None = None,
    assessor: Worker | None = None,
) -> CohortMember:
    same_authority(cohort, worker, assessor)
    start = start or cohort.start
    if start < cohort.start:
        raise refuse(
            "start", f"A member cannot start before the cohort starts ({day_text(cohort.start)})."
        )
    if assessor is not None and assessor.pk == worker.pk:
        raise refuse("assessor", "A worker cannot assess themselves.")
    if cohort.members.filter(worker=worker).exists():
        raise refuse("worker", f"{worker} is already in {cohort}.")
    programme = cohort.programme
    end = planned_end(start, programme, 0)
    busy = (
        CohortMember.objects.filter(worker=worker, cohort__programme=programme)
        .overlapping(start, end)
        .exists()
    )
    if busy:
        raise refuse("worker", f"{worker} is already in {programme} over those dates.")
    return CohortMember.objects.create(
        authority_id=cohort.authority_id,
        cohort=cohort,
        worker=worker,
        assessor=assessor,
        start=start,
        end=end,
    )


def _check_order(member: CohortMember, point: ReviewPoint, held_on: dt.date) -> None:
    """Reviews are recorded in the order of the programme's review points, on or after the
    member's start and the previous review, and never in the future."""
    if held_on > timezone.localdate():
        raise refuse("held_on", "The date of the review cannot be in the future.")
    if held_on < member.start:
        raise refuse(
            "held_on",
            f"The review cannot be before {member.worker} started ({day_text(member.start)}).",
        )
    done = list(member.reviews.select_related("point"))
    reviewed = {r.point_id for r in done}
    if point.pk in reviewed:
        last_final = [r for r in done if r.point_id == point.pk]
        if not (point.final and last_final[-1].outcome == ReviewOutcome.EXTENSION):
            raise refuse("point", f"The {point} has already been recorded.")
    missing = [
        p
        for p in member.cohort.programme.review_points.filter(month__lt=point.month)
        if p.pk not in reviewed
    ]
    if missing:
        raise refuse(
            "point",
            f"Record the {missing[0]} first: reviews are recorded in order.",
        )
    if done and held_on < done[-1].held_on:
        raise refuse(
            "held_on",
            f"The review cannot be before the previous one ({day_text(done[-1].held_on)}).",
        )


@transaction.atomic
def record_review(
    *,
    member: CohortMember,
    point: ReviewPoint,
    held_on: dt.date,
    outcome: str,
    assessor: Worker | None = None,
    extension_months: int = 0,
) -> Review:
    """A review at one of the programme's points. Only the final review passes, extends or
    fails; a pass or a fail ends the member's programme the day after, an extension moves its
    planned end."""
    member = (
        CohortMember.objects.select_for_update()
        .select_related("cohort__programme")
        .get(pk=member.pk)
    )
    same_authority(member, point, assessor)
    programme = member.cohort.programme
    if point.programme_id != programme.pk:
        raise refuse("point", f"Choose a review of {programme}.")
    if member.status != MemberStatus.IN_PROGRESS:
        raise refuse(
            "point", f"{member.worker}'s programme has ended ({member.get_status_display()})."
        )
    if outcome not in ReviewOutcome.values:
        raise refuse("outcome", "Choose the outcome of the review.")
    if point.final and outcome not in FINAL_OUTCOMES:
        raise refuse("outcome", "The final review's outcome is a pass, an extension or not passed.")
    if not point.final and outcome not in INTERIM_OUTCOMES:
        raise refuse(
            "outcome",
            "A pass, an extension or a fail is decided only at the final review: "
            "choose on track or concerns.",
        )
    if outcome == ReviewOutcome.EXTENSION:
        if not 0 < extension_months <= MAX_EXTENSION_MONTHS:
            raise refuse(
                "extension_months",
                f"Give the extension's length: 1 to {MAX_EXTENSION_MONTHS} months.",
            )
    elif extension_months:
        raise refuse("extension_months", "Only an extension has a length in months.")
    _check_order(member, point, held_on)
    if assessor is not None and assessor.pk == member.worker_id:
        raise refuse("assessor", "A worker cannot assess themselves.")

    review = Review.objects.create(
        authority_id=member.authority_id,
        member=member,
        point=point,
        held_on=held_on,
        outcome=outcome,
        assessor=assessor or member.assessor,
        extension_months=extension_months,
    )
    if outcome == ReviewOutcome.EXTENSION:
        member.extension_months += extension_months
        member.end = planned_end(member.start, programme, member.extension_months)
        member.save()
    elif outcome in (ReviewOutcome.PASS, ReviewOutcome.FAIL):
        member.status = (
            MemberStatus.PASSED if outcome == ReviewOutcome.PASS else MemberStatus.FAILED
        )
        member.end = held_on + DAY
        member.save()
    return review


@transaction.atomic
def withdraw_member(*, member: CohortMember, last_day: dt.date) -> CohortMember:
    if member.status != MemberStatus.IN_PROGRESS:
        raise refuse("last_day", f"{member.worker}'s programme has already ended.")
    if last_day < member.start:
        raise refuse(
            "last_day", f"The last day cannot be before the start ({day_text(member.start)})."
        )
    member.status = MemberStatus.WITHDRAWN
    member.end = min(member.end or last_day + DAY, last_day + DAY)
    member.save()
    return member


# Trainees ------------------------------------------------------------------------------------


@transaction.atomic
def add_trainee(
    *,
    worker: Worker,
    team: Team,
    route: str,
    start: dt.date,
    expected_qualification: dt.date,
) -> Trainee:
    same_authority(worker, team)
    if route not in TraineeRoute.values:
        raise refuse("route", "Choose the trainee's route from the list.")
    if expected_qualification <= start:
        raise refuse(
            "expected_qualification",
            f"The expected qualification date must be after the start ({day_text(start)}).",
        )
    if Trainee.objects.filter(worker=worker, status=TraineeStatus.TRAINING).exists():
        raise refuse("worker", f"{worker} is already recorded as a trainee.")
    return Trainee.objects.create(
        authority_id=worker.authority_id,
        worker=worker,
        team=team,
        route=route,
        start=start,
        expected_qualification=expected_qualification,
    )


def _closing(trainee: Trainee, on: dt.date, what: str) -> Trainee:
    """The trainee, locked, if their record is still open and `on` can close it: not before
    they started, not in the future."""
    trainee = Trainee.objects.select_for_update().select_related("worker").get(pk=trainee.pk)
    if not trainee.is_open:
        closed = trainee.closed_on
        when = f" on {day_text(closed)}" if closed else ""
        raise refuse(
            "on",
            f"{trainee.worker}'s traineeship is already closed: "
            f"{trainee.get_status_display().lower()}{when}.",
        )
    if on > timezone.localdate():
        raise refuse("on", f"The date {what} cannot be in the future.")
    if on < trainee.start:
        raise refuse(
            "on",
            f"The date {what} cannot be before the trainee started ({day_text(trainee.start)}).",
        )
    return trainee


@transaction.atomic
def record_qualified(*, trainee: Trainee, on: dt.date) -> Trainee:
    """The trainee qualified on `on`: their record closes, and their route into social work is
    kept on the worker (the census StepUpGrad and FrontlineGrad come from it, and once the
    council appoints them the retention pages count them as grown our own)."""
    trainee = _closing(trainee, on, "they qualified")
    if on == trainee.start:
        raise refuse("on", "The date they qualified must be after the day they started.")
    trainee.status = TraineeStatus.QUALIFIED
    trainee.qualified_on = on
    trainee.save()
    establishment.update_worker(
        worker=trainee.worker, route=WORKER_ROUTE[trainee.route], qual_date=on
    )
    return trainee


@transaction.atomic
def record_withdrawn(*, trainee: Trainee, on: dt.date, reason: str, detail: str = "") -> Trainee:
    """The trainee left their route on `on` (their last day) for `reason`: the record closes
    and they are no longer expected to qualify."""
    if reason not in WithdrawalReason.values:
        raise refuse("reason", "Choose why the trainee withdrew from the list.")
    detail = (detail or "").strip()
    if reason == WithdrawalReason.OTHER and not detail:
        raise refuse("detail", "Say what the other reason was.")
    trainee = _closing(trainee, on, "they withdrew")
    trainee.status = TraineeStatus.WITHDRAWN
    trainee.withdrawn_on = on
    trainee.withdrawal_reason = reason
    trainee.withdrawal_detail = detail[:200]
    trainee.save()
    return trainee
