"""Writes for early-career programmes, cohorts, reviews and trainees.

Each function runs in one transaction and either applies completely or raises
`ValidationError({field: message})` naming the field at fault.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
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
def change_programme(
    *, programme: Programme, name: str, length_months: int, description: str = ""
) -> Programme:
    """Correct a programme's name, length or description. The length sets each member's planned
    end, so it changes only while no one has joined the programme, and never below the end of a
    stage or the month of a review."""
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    name = _name(name, "name", "programme's name")
    if length_months < 1:
        raise refuse("length_months", "The programme must last at least one month.")
    same_name = Programme.objects.filter(authority_id=programme.authority_id, name__iexact=name)
    if same_name.exclude(pk=programme.pk).exists():
        raise refuse("name", f"There is already a programme called {name}.")
    if length_months != programme.length_months:
        if CohortMember.objects.filter(cohort__programme=programme).exists():
            raise refuse(
                "length_months",
                "The length cannot change once people have joined the programme: their planned "
                "end dates come from it. Set up a new programme for later cohorts.",
            )
        last_stage = programme.stages.order_by("-to_month").first()
        if last_stage is not None and last_stage.to_month > length_months:
            raise refuse(
                "length_months",
                f"The stage {last_stage.name} ends at month {last_stage.to_month}: change or "
                "delete it first.",
            )
        last_point = programme.review_points.order_by("-month").first()
        if last_point is not None and last_point.month > length_months:
            raise refuse(
                "length_months",
                f"The {last_point.name} is at month {last_point.month}: change or delete it first.",
            )
    programme.name = name
    programme.length_months = length_months
    programme.description = (description or "").strip()
    programme.save()
    return programme


def _stage_months(
    programme: Programme, *, from_month: int, to_month: int, protected_percent: int
) -> None:
    if from_month < 0:
        raise refuse("from_month", "The stage cannot start before month 0, the member's start.")
    if to_month <= from_month:
        raise refuse("to_month", "The stage must end after the month it starts.")
    if to_month > programme.length_months:
        raise refuse(
            "to_month",
            f"The stage must end by month {programme.length_months}, the programme's length.",
        )
    if not 0 < protected_percent <= 100:
        raise refuse("protected_percent", "The protected caseload must be between 1% and 100%.")


def _lived_months(programme: Programme, today: dt.date) -> list[int]:
    """For each member of the programme who has started by `today`, the last month of the
    programme they have lived through (0 in their first month), up to today or their end."""
    from workforce.careers.selectors_programmes import months_in

    lived = []
    members = CohortMember.objects.filter(cohort__programme=programme, start__lte=today)
    for member in members:
        last = today if member.end is None else min(today, member.end - DAY)
        if last >= member.start:
            lived.append(months_in(member.start, last))
    return lived


def _percent(stages: list[ProgrammeStage], month: int) -> int:
    """The protected caseload in a month of the programme (100: a full caseload)."""
    from workforce.careers.selectors_programmes import stage_at

    stage = stage_at(stages, month)
    return 100 if stage is None else stage.protected_percent


def _refuse_rewriting_the_past(
    programme: Programme,
    after: list[ProgrammeStage],
    *,
    field: str,
    today: dt.date | None = None,
    leaving: ProgrammeStage | None = None,
) -> None:
    """Refuse a change of stages that would alter a capacity members already had: the stages of
    the months a member has lived through are fixed (see `change_stage`). `leaving` is a stage
    being deleted, refused as soon as any member has been in it."""
    from workforce.careers.selectors_programmes import stage_at

    before = list(programme.stages.all())
    today = today or timezone.localdate()
    altered = 0
    reached = 0
    for last in _lived_months(programme, today):
        months = range(last + 1)
        if leaving is not None and any(stage_at(before, k) == leaving for k in months):
            reached += 1
        elif any(_percent(before, k) != _percent(after, k) for k in months):
            altered += 1
    if reached:
        raise refuse(
            field,
            f"{_people(reached)} reached this stage already: it is part of their record and "
            "cannot be deleted.",
        )
    if altered:
        raise refuse(
            field,
            f"{_people(altered)} already lived through the months this changes: their protected "
            "caseload on past dates would change. Only months no member has reached yet can "
            "change; set up a new programme for later cohorts.",
        )


def _people(count: int) -> str:
    return "1 member has" if count == 1 else f"{count} members have"


@transaction.atomic
def add_stage(
    *,
    programme: Programme,
    name: str,
    from_month: int,
    to_month: int,
    protected_percent: int,
    today: dt.date | None = None,
) -> ProgrammeStage:
    """A stage of months `[from_month, to_month)`; stages may not overlap, nor cover months a
    member has already lived through with a different protected caseload."""
    name = _name(name, "name", "stage's name")
    _stage_months(
        programme, from_month=from_month, to_month=to_month, protected_percent=protected_percent
    )
    clash = programme.stages.filter(from_month__lt=to_month, to_month__gt=from_month).first()
    if clash is not None:
        raise refuse("from_month", f"The stage overlaps {clash}.")
    stage = ProgrammeStage(
        authority_id=programme.authority_id,
        programme=programme,
        name=name,
        from_month=from_month,
        to_month=to_month,
        protected_percent=protected_percent,
    )
    after = sorted([*programme.stages.all(), stage], key=lambda s: s.from_month)
    _refuse_rewriting_the_past(programme, after, field="from_month", today=today)
    stage.save()
    return stage


@transaction.atomic
def change_stage(
    *,
    stage: ProgrammeStage,
    name: str,
    from_month: int,
    to_month: int,
    protected_percent: int,
    today: dt.date | None = None,
) -> ProgrammeStage:
    """Correct a stage. The past is not rewritten: stages are not versioned, so a change to a
    stage's months or protected caseload is refused when a member has already lived through a
    month whose protected caseload it would alter (their capacity on past dates, on the
    caseload pages and in the overloaded list, would silently change). The name can always
    change; a programme whose stages must change for members already in it is set up anew."""
    stage = ProgrammeStage.objects.select_for_update().get(pk=stage.pk)
    programme = stage.programme
    name = _name(name, "name", "stage's name")
    _stage_months(
        programme, from_month=from_month, to_month=to_month, protected_percent=protected_percent
    )
    clash = (
        programme.stages.exclude(pk=stage.pk)
        .filter(from_month__lt=to_month, to_month__gt=from_month)
        .first()
    )
    if clash is not None:
        raise refuse("from_month", f"The stage overlaps {clash}.")
    changed = ProgrammeStage(
        pk=stage.pk,
        authority_id=stage.authority_id,
        programme=programme,
        name=name,
        from_month=from_month,
        to_month=to_month,
        protected_percent=protected_percent,
    )
    after = sorted(
        [changed if s.pk == stage.pk else s for s in programme.stages.all()],
        key=lambda s: s.from_month,
    )
    if from_month != stage.from_month:
        field = "from_month"
    elif to_month != stage.to_month:
        field = "to_month"
    else:
        field = "protected_percent"
    _refuse_rewriting_the_past(programme, after, field=field, today=today)
    stage.name = name
    stage.from_month = from_month
    stage.to_month = to_month
    stage.protected_percent = protected_percent
    stage.save()
    return stage


def stage_deletion_refusal(stage: ProgrammeStage, *, today: dt.date | None = None) -> str:
    """Why the stage cannot be deleted ("" when it can): the confirmation page says so."""
    try:
        _check_stage_deletion(stage, today=today)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def _check_stage_deletion(stage: ProgrammeStage, *, today: dt.date | None) -> None:
    programme = stage.programme
    after = [s for s in programme.stages.all() if s.pk != stage.pk]
    _refuse_rewriting_the_past(programme, after, field="stage", today=today, leaving=stage)


@transaction.atomic
def delete_stage(*, stage: ProgrammeStage, today: dt.date | None = None) -> ProgrammeStage:
    """Delete a stage no member has reached (nor whose removal alters a past capacity)."""
    stage = ProgrammeStage.objects.select_for_update().get(pk=stage.pk)
    _check_stage_deletion(stage, today=today)
    stage.delete()
    return stage


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


@transaction.atomic
def change_review_point(
    *, point: ReviewPoint, name: str, month: int, final: bool = False
) -> ReviewPoint:
    """Correct a review point. Once reviews are recorded against it only its name can change:
    its month and whether it decides the outcome are part of the reviews already held."""
    point = ReviewPoint.objects.select_for_update().get(pk=point.pk)
    programme = point.programme
    name = _name(name, "name", "review's name")
    if point.reviews.exists():
        if month != point.month:
            raise refuse(
                "month",
                f"Reviews are recorded against the {point}: its month cannot change, "
                "only its name.",
            )
        if final != point.final:
            raise refuse(
                "final",
                f"Reviews are recorded against the {point}: whether it is the final review "
                "cannot change, only its name.",
            )
    if not 0 < month <= programme.length_months:
        raise refuse(
            "month", f"The review must fall in the programme's {programme.length_months} months."
        )
    others = programme.review_points.exclude(pk=point.pk)
    if others.filter(month=month).exists():
        raise refuse("month", f"There is already a review at month {month}.")
    if final:
        if others.filter(final=True).exists():
            raise refuse("final", "The programme already has a final review.")
        if others.filter(month__gt=month).exists():
            raise refuse("month", "The final review must come after every other review.")
    elif others.filter(final=True, month__lt=month).exists():
        raise refuse("month", "A review cannot come after the final review.")
    point.name = name
    point.month = month
    point.final = final
    point.save()
    return point


def review_point_deletion_refusal(point: ReviewPoint) -> str:
    """Why the review point cannot be deleted ("" when it can)."""
    count = point.reviews.count()
    if not count:
        return ""
    held = "1 review is" if count == 1 else f"{count} reviews are"
    return f"{held} recorded against the {point}: it is part of members' records."


@transaction.atomic
def delete_review_point(*, point: ReviewPoint) -> ReviewPoint:
    point = ReviewPoint.objects.select_for_update().get(pk=point.pk)
    refusal = review_point_deletion_refusal(point)
    if refusal:
        raise refuse("point", refusal)
    point.delete()
    return point


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


REASON_LIMIT = 500


@transaction.atomic
def withdraw_member(
    *, member: CohortMember, on: dt.date, reason: str, today: dt.date | None = None
) -> CohortMember:
    """The member leaves the programme from `on` (their first day out of it): from that date
    they have no stage, no protected caseload and no census CFKSSstatus from it, and no review
    is due. Reviews already recorded stay."""
    member = CohortMember.objects.select_for_update().select_related("worker").get(pk=member.pk)
    today = today or timezone.localdate()
    if member.status != MemberStatus.IN_PROGRESS:
        raise refuse(
            "on", f"{member.worker}'s programme has already ended ({member.get_status_display()})."
        )
    if on > today:
        raise refuse("on", "The date of the withdrawal cannot be in the future.")
    if on <= member.start:
        raise refuse(
            "on",
            f"The date of the withdrawal must be after {member.worker} joined "
            f"({day_text(member.start)}).",
        )
    if member.end is not None and on >= member.end:
        raise refuse(
            "on",
            f"The date of the withdrawal must be before the programme's planned end "
            f"({day_text(member.end)}).",
        )
    last = member.reviews.order_by("-held_on").first()
    if last is not None and last.held_on >= on:
        raise refuse(
            "on",
            f"A review was held on {day_text(last.held_on)}: the withdrawal must come after it.",
        )
    reason = " ".join((reason or "").split())
    if not reason:
        raise refuse("reason", "Enter the reason for the withdrawal.")
    if len(reason) > REASON_LIMIT:
        raise refuse("reason", f"The reason must be {REASON_LIMIT} characters or fewer.")
    member.status = MemberStatus.WITHDRAWN
    member.end = on
    member.withdrawal_reason = reason
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
