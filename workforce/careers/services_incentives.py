"""Writes for progression, incentives and clawback, and learning and development.

Each function runs in one transaction and either applies completely or raises
`ValidationError({field: message})` naming the field at fault.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction

from workforce.careers.models.incentives import (
    Clawback,
    Incentive,
    IncentiveKind,
    Progression,
    ProgressionKind,
)
from workforce.careers.models.learning import (
    Attendance,
    Enrolment,
    LearningKind,
    LearningProgramme,
    LearningSession,
)
from workforce.core.dates import day_text
from workforce.core.models import Authority
from workforce.core.validation import refuse, same_authority
from workforce.establishment.models import Engagement, Leaving, Role, Worker


def _text(value: str | None, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise refuse(field, message)
    return text


def _money(value: Decimal | int | str | None, field: str = "amount") -> Decimal:
    """An amount in pounds: present, a number, not negative, to the penny."""
    if value is None or value == "":
        raise refuse(field, "Enter the amount in pounds.")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise refuse(field, "Amount must be a number of pounds, like 1500 or 1500.00.") from exc
    if not amount.is_finite():
        raise refuse(field, "Amount must be a number of pounds, like 1500 or 1500.00.")
    if amount < 0:
        raise refuse(field, "Amount must not be negative.")
    if amount != amount.quantize(Decimal("0.01")):
        raise refuse(field, "Amount must be in pounds and pence, with at most 2 decimal places.")
    if amount >= Decimal("100000000"):
        raise refuse(field, "Amount must be less than £100,000,000.")
    return amount


def engagement_on(worker: Worker, day: dt.date) -> Engagement | None:
    """The worker's main engagement on a day: the one with the most hours, then the latest."""
    return (
        Engagement.objects.filter(worker=worker)
        .active_on(day)
        .select_related("post__team", "post__role")
        .order_by("-fte", "-start", "-pk")
        .first()
    )


def latest_leaving(worker: Worker) -> Leaving | None:
    return Leaving.objects.filter(worker=worker).order_by("-last_day", "-pk").first()


# Progression -----------------------------------------------------------------------------------


@transaction.atomic
def record_progression(
    *,
    worker: Worker,
    date: dt.date,
    kind: str,
    from_grade: str,
    to_grade: str,
    to_role: Role | None = None,
    notes: str = "",
) -> Progression:
    """Record a worker's step up on `date`: the band or grade before and after, and the role
    when it changes (the role before is the one they held that day)."""
    if kind not in ProgressionKind.values:
        raise refuse("kind", "Choose what kind of progression this is.")
    from_grade = _text(from_grade, "from_grade", "Enter the band or grade before.")
    to_grade = _text(to_grade, "to_grade", "Enter the band or grade after.")
    same_authority(worker, to_role)
    if date is None:
        raise refuse("date", "Enter the date of the progression.")
    engagement = engagement_on(worker, date)
    if engagement is None:
        raise refuse("date", f"{worker} was not in post on {day_text(date)}.")
    from_role = engagement.post.role
    if to_role is not None and to_role.pk == from_role.pk:
        to_role = None
    if to_role is None and from_grade.casefold() == to_grade.casefold():
        raise refuse("to_grade", "The band or grade after must differ from the one before.")
    return Progression.objects.create(
        authority_id=worker.authority_id,
        worker=worker,
        date=date,
        kind=kind,
        from_grade=from_grade,
        to_grade=to_grade,
        from_role=from_role if to_role is not None else None,
        to_role=to_role,
        team=engagement.post.team,
        notes=(notes or "").strip(),
    )


# Incentives and clawback ------------------------------------------------------------------------


@transaction.atomic
def record_incentive(
    *,
    worker: Worker,
    kind: str,
    amount: Decimal | int | str | None,
    paid_on: dt.date,
    conditions: str = "",
    clawback_months: int | None = 0,
) -> Incentive:
    """Record a payment to a worker. With a clawback period, leaving within it pays back the
    months not served, pro rata (`Incentive.recovery_on`)."""
    if kind not in IncentiveKind.values:
        raise refuse("kind", "Choose the kind of payment.")
    value = _money(amount)
    if value == 0:
        raise refuse("amount", "Amount must be more than £0.")
    if paid_on is None:
        raise refuse("paid_on", "Enter the date paid.")
    months = 0 if clawback_months is None else clawback_months
    if months < 0:
        raise refuse("clawback_months", "Clawback period must not be negative.")
    if months > 120:
        raise refuse("clawback_months", "Clawback period must be 120 months or fewer.")
    leaving = latest_leaving(worker)
    if leaving is not None and leaving.last_day < paid_on:
        raise refuse("paid_on", f"{worker} left on {day_text(leaving.last_day)}, before this date.")
    return Incentive.objects.create(
        authority_id=worker.authority_id,
        worker=worker,
        kind=kind,
        amount=value,
        paid_on=paid_on,
        conditions=(conditions or "").strip(),
        clawback_months=months,
    )


@transaction.atomic
def record_clawback(
    *,
    incentive: Incentive,
    recorded_on: dt.date,
    amount: Decimal | int | str | None = None,
    notes: str = "",
) -> Clawback:
    """Record the money recovered from a leaver under an incentive's clawback: by default what
    the rule gives for their last day (pro rata by the months of the period not served)."""
    incentive = Incentive.objects.select_for_update().get(pk=incentive.pk)
    worker = incentive.worker
    leaving = latest_leaving(worker)
    if leaving is None:
        raise refuse("leaving", f"{worker} has not left: a clawback is recorded only on a leaver.")
    if not incentive.in_clawback_on(leaving.last_day):
        raise refuse(
            "leaving",
            f"{worker} left on {day_text(leaving.last_day)}, outside the clawback period "
            f"({day_text(incentive.paid_on)} up to {day_text(incentive.clawback_end)}).",
        )
    if incentive.clawbacks.exists():
        raise refuse("incentive", "A clawback is already recorded for this payment.")
    value = incentive.recovery_on(leaving.last_day) if amount in (None, "") else _money(amount)
    if value > incentive.amount:
        raise refuse("amount", f"Amount must not be more than the £{incentive.amount:,} paid.")
    if recorded_on is None:
        raise refuse("recorded_on", "Enter the date recorded.")
    return Clawback.objects.create(
        authority_id=incentive.authority_id,
        incentive=incentive,
        leaving=leaving,
        worker=worker,
        amount=value,
        recorded_on=recorded_on,
        notes=(notes or "").strip(),
    )


# Learning and development -----------------------------------------------------------------------


@transaction.atomic
def create_programme(
    *, authority: Authority, title: str, kind: str, provider: str = "", description: str = ""
) -> LearningProgramme:
    title = _text(title, "title", "Enter the programme's title.")
    if kind not in LearningKind.values:
        raise refuse("kind", "Choose the kind of programme.")
    if LearningProgramme.objects.filter(authority=authority, title__iexact=title).exists():
        raise refuse("title", f"There is already a programme called {title}.")
    return LearningProgramme.objects.create(
        authority=authority,
        title=title,
        kind=kind,
        provider=(provider or "").strip(),
        description=(description or "").strip(),
    )


@transaction.atomic
def add_session(
    *, programme: LearningProgramme, title: str, date: dt.date, venue: str = ""
) -> LearningSession:
    title = _text(title, "title", "Enter the session's title.")
    if date is None:
        raise refuse("date", "Enter the date of the session.")
    return LearningSession.objects.create(
        authority_id=programme.authority_id,
        programme=programme,
        title=title,
        date=date,
        venue=(venue or "").strip(),
    )


def _enrol(programme: LearningProgramme, worker: Worker, on: dt.date) -> Enrolment:
    enrolment, created = Enrolment.objects.get_or_create(
        programme=programme,
        worker=worker,
        defaults={"authority_id": worker.authority_id, "enrolled_on": on},
    )
    if (
        not created
        and on < enrolment.enrolled_on
        and (enrolment.completed_on is None or on <= enrolment.completed_on)
    ):
        enrolment.enrolled_on = on
        enrolment.save()
    return enrolment


@transaction.atomic
def record_attendance(
    *, session: LearningSession, worker: Worker | None, attended: bool = True
) -> Attendance:
    """Record whether a worker attended a session; the first one enrols them on the programme."""
    if worker is None:
        raise refuse("worker", "Choose who attended.")
    same_authority(session, worker)
    if engagement_on(worker, session.date) is None:
        raise refuse("worker", f"{worker} was not in post on {day_text(session.date)}.")
    _enrol(session.programme, worker, session.date)
    attendance, _ = Attendance.objects.update_or_create(
        session=session,
        worker=worker,
        defaults={"authority_id": worker.authority_id, "attended": attended},
    )
    return attendance


@transaction.atomic
def record_completion(
    *, programme: LearningProgramme, worker: Worker | None, completed_on: dt.date
) -> Enrolment:
    """Record that a worker on a programme completed it."""
    if worker is None:
        raise refuse("worker", "Choose who completed the programme.")
    same_authority(programme, worker)
    enrolment = Enrolment.objects.filter(programme=programme, worker=worker).first()
    if enrolment is None:
        raise refuse("worker", f"{worker} is not on {programme}: record their attendance first.")
    if completed_on is None:
        raise refuse("completed_on", "Enter the date completed.")
    if completed_on < enrolment.enrolled_on:
        raise refuse(
            "completed_on",
            f"Date completed must be on or after {day_text(enrolment.enrolled_on)}, when "
            f"{worker} started.",
        )
    enrolment.completed_on = completed_on
    enrolment.save()
    return enrolment


# Registration ---------------------------------------------------------------------------------


def register_incentives() -> None:
    """Team rules and audit for these records (called from the app's `ready()`): each follows
    the person it is about, through their engagements in a team's posts."""
    from auditlog.registry import auditlog

    from workforce.core.access import register_team_rule, through_intervals

    for about_a_person in (Progression, Incentive, Clawback, Enrolment, Attendance):
        register_team_rule(
            about_a_person,
            through_intervals(Engagement, link="worker", outer="worker_id", team="post__team_id"),
        )
    for model in (
        Progression,
        Incentive,
        Clawback,
        LearningProgramme,
        LearningSession,
        Enrolment,
        Attendance,
    ):
        if not auditlog.contains(model):
            auditlog.register(model)
