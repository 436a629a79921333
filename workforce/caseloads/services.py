"""The events of casework, each a typed function that validates and explains refusals.

Every function runs in one transaction and either applies completely or raises ValidationError
naming the field at fault. History is kept: a transfer, a new category or a reallocation ends
the current interval and opens the next one; nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction

from workforce.caseloads import measures, selectors
from workforce.caseloads.models import (
    AFTER_ASSESSMENT,
    REFERRAL_AREAS,
    WITHOUT_ASSESSMENT,
    Allocation,
    AllocationReason,
    AsyePeriod,
    Case,
    CaseCategory,
    CaseTeam,
    Category,
    Referral,
    ReferralOutcome,
    Supervision,
    pseudonymise,
)
from workforce.core.models import Authority
from workforce.core.templatetags.govuk import govuk_date
from workforce.core.validation import KEEP, kept, refuse, same_authority
from workforce.establishment.models import Engagement, Team, Worker

DAY = dt.timedelta(days=1)
# A child reference is letters, digits and dashes: a name ("Jo Bloggs") is refused.
CHILD_REF = re.compile(r"^(?=.*\d)[A-Za-z0-9-]{4,64}$")


def _check_open(case: Case, on: dt.date, field: str) -> None:
    if on < case.start:
        raise refuse(
            field, f"Case {case} opened on {govuk_date(case.start)}; choose a date from then."
        )
    if case.end is not None and on >= case.end:
        raise refuse("case", f"Case {case} closed on {govuk_date(case.end)}; it cannot be changed.")


# Cases ---------------------------------------------------------------------------------------


@transaction.atomic
def open_case(
    *,
    authority: Authority,
    team: Team,
    category: str,
    opened: dt.date,
    child_ref: str = "",
    source_id: str = "",
    complex: bool = False,
) -> Case:
    """Open a case for one child. Pass the case system's id as `source_id` to store its keyed
    hash, or an already pseudonymous `child_ref`."""
    if team.authority_id != authority.pk:
        raise refuse("team", "Choose a team of this authority.")
    if opened is None:
        raise refuse("opened", "Enter the date the case opened.")
    if category not in Category.values:
        raise refuse("category", "Choose the case's category.")
    if source_id and child_ref:
        raise refuse("child_ref", "Give either the case-system id or a child reference, not both.")
    ref = pseudonymise(source_id) if source_id else (child_ref or "").strip().upper()
    if not ref:
        raise refuse("child_ref", "Enter the child reference.")
    if not CHILD_REF.match(ref):
        raise refuse(
            "child_ref",
            "A child reference is 4 to 64 letters, digits or dashes including a digit; "
            "never a name.",
        )
    if Case.objects.filter(authority=authority, child_ref=ref).exists():
        raise refuse("child_ref", f"A case with reference {ref} already exists.")
    case = Case.objects.create(authority=authority, child_ref=ref, start=opened)
    CaseTeam.objects.create(authority=authority, case=case, team=team, start=opened)
    CaseCategory.objects.create(
        authority=authority, case=case, category=category, complex=complex, start=opened
    )
    return case


@transaction.atomic
def change_case_category(
    *, case: Case, category: str, on: dt.date, complex: bool = False
) -> CaseCategory:
    """From `on`, the case is in a new category (or its complexity changes)."""
    if category not in Category.values:
        raise refuse("category", "Choose the case's category.")
    _check_open(case, on, "on")
    current = case.categories.active_on(on).select_for_update().first()
    if case.categories.filter(start__gt=on).exists():
        raise refuse("on", "A later change of category is recorded; choose a date after it.")
    if current is not None:
        if current.category == category and current.complex == complex:
            raise refuse("category", "The case is already in that category on that date.")
        if current.start == on:
            raise refuse("on", "The category already changed on that date; choose a later one.")
        current.end = on
        current.save(update_fields=["end", "updated_at"])
    return CaseCategory.objects.create(
        authority=case.authority,
        case=case,
        category=category,
        complex=complex,
        start=on,
        end=case.end,
    )


@transaction.atomic
def transfer_case(*, case: Case, to_team: Team, on: dt.date) -> CaseTeam:
    """Move a case to another team from `on` (Leeds: between area offices).

    The current allocation ends on `on`; the receiving team allocates it afresh (reason: case
    transferred) and until then it shows as unallocated in that team.
    """
    same_authority(case, to_team)
    if on is None:
        raise refuse("on", "Enter the date of the transfer.")
    _check_open(case, on, "on")
    current = case.teams.active_on(on).select_for_update().first()
    if current is None:
        raise refuse("on", f"Case {case} has no team on {govuk_date(on)}.")
    if current.team_id == to_team.pk:
        raise refuse("to_team", f"Case {case} is already with {to_team} on that date.")
    if current.start == on:
        raise refuse("on", "The case already moved team on that date; choose a later date.")
    if case.teams.filter(start__gt=on).exists():
        raise refuse("on", "A later transfer is recorded; choose a date after it.")
    current.end = on
    current.save(update_fields=["end", "updated_at"])
    for allocation in case.allocations.active_on(on).select_for_update():
        allocation.end = on
        allocation.save(update_fields=["end", "updated_at"])
    return CaseTeam.objects.create(
        authority=case.authority, case=case, team=to_team, start=on, end=case.end
    )


@transaction.atomic
def close_case(*, case: Case, closed: dt.date) -> Case:
    """Close a case on `closed` (the first day it is no longer open); its team, category and
    allocation intervals end then too."""
    if closed is None:
        raise refuse("closed", "Enter the date the case closed.")
    # Lock the case and read its end afresh, so two closings cannot both pass the check.
    case.end = Case.objects.select_for_update().values_list("end", flat=True).get(pk=case.pk)
    if case.end is not None:
        raise refuse("case", f"Case {case} already closed on {govuk_date(case.end)}.")
    if closed <= case.start:
        raise refuse(
            "closed", f"Case {case} opened on {govuk_date(case.start)}; close it after that."
        )
    allocation = (
        case.allocations.filter(start__gte=closed)
        .select_related("worker")
        .order_by("start")
        .first()
    )
    if allocation is not None:
        raise refuse(
            "closed",
            f"The allocation to {allocation.worker} starts on {govuk_date(allocation.start)}; "
            "close the case after that.",
        )
    spell = case.teams.filter(start__gte=closed).select_related("team").order_by("start").first()
    if spell is not None:
        raise refuse(
            "closed",
            f"The case moved to {spell.team} on {govuk_date(spell.start)}; close it after that.",
        )
    category = case.categories.filter(start__gte=closed).order_by("start").first()
    if category is not None:
        raise refuse(
            "closed",
            f"The case changed category on {govuk_date(category.start)}; close it after that.",
        )
    # Saved one by one (a case has a few), so that the audit trail records each.
    for related in (case.teams, case.categories, case.allocations):
        for spell in related.overlapping(closed, None):
            spell.end = closed
            spell.save(update_fields=["end", "updated_at"])
    case.end = closed
    case.save(update_fields=["end", "updated_at"])
    return case


# Allocation ----------------------------------------------------------------------------------


@transaction.atomic
def allocate_case(
    *,
    case: Case,
    worker: Worker,
    start: dt.date,
    reason: str = AllocationReason.INITIAL,
    over_capacity_reason: str = "",
) -> Allocation:
    """Allocate a case to a worker from `start`, ending any current allocation then.

    Refused for a closed case, a worker not in post on `start` or past their leaving date, and
    beyond the worker's capacity unless a reason is given (it is recorded).
    """
    same_authority(case, worker)
    if start is None:
        raise refuse("start", "Enter the date the allocation starts.")
    if case.end is not None and start >= case.end:
        raise refuse(
            "case",
            f"Case {case} closed on {govuk_date(case.end)}; a closed case cannot be allocated.",
        )
    if start < case.start:
        raise refuse(
            "start", f"Case {case} opened on {govuk_date(case.start)}; allocate from then."
        )
    left = worker.leavings.filter(last_day__lt=start).order_by("-last_day").first()
    if left is not None and not Engagement.objects.filter(worker=worker).active_on(start).exists():
        raise refuse(
            "start",
            f"{worker} left on {govuk_date(left.last_day)}, before this allocation would start. "
            "Choose someone in post.",
        )
    if not Engagement.objects.filter(worker=worker).active_on(start).exists():
        raise refuse("worker", f"{worker} is not in post on {govuk_date(start)}.")
    if reason not in AllocationReason.values:
        raise refuse("reason", "Choose why the case is being allocated.")
    earlier = case.allocations.select_for_update()
    if earlier.filter(start__gte=start).exists():
        raise refuse("start", "A later allocation is recorded; choose a date after it.")
    current = earlier.active_on(start).first()
    if reason == AllocationReason.INITIAL and earlier.exists():
        raise refuse("reason", "This case has been allocated before: say why it is moving.")
    if current is not None and current.worker_id == worker.pk:
        raise refuse("worker", f"{worker} already holds this case.")
    over_capacity_reason = (over_capacity_reason or "").strip()
    scheme = measures.scheme_settings(case.authority_id)
    loads = selectors.worker_loads(
        authority_ids=[case.authority_id], on=start, scheme=scheme, worker_ids=[worker.pk]
    )
    load = loads[0] if loads else None
    category = case.categories.active_on(start).first()
    extra = scheme.points(category.category, category.complex) if category else 0
    if load is not None and load.capacity is not None and load.points + extra > load.capacity:
        if not over_capacity_reason:
            raise refuse(
                "over_capacity_reason",
                f"{worker} would be at {load.points + extra} points against a capacity of "
                f"{load.capacity}. Give the reason to allocate beyond capacity, or choose "
                "someone with headroom.",
            )
    else:
        over_capacity_reason = ""
    if current is not None:
        current.end = start
        current.save(update_fields=["end", "updated_at"])
    return Allocation.objects.create(
        authority=case.authority,
        case=case,
        worker=worker,
        start=start,
        end=case.end,
        reason=reason,
        over_capacity_reason=over_capacity_reason,
    )


@transaction.atomic
def end_allocation(*, allocation: Allocation, end: dt.date) -> Allocation:
    """End an allocation on `end` (the first day the worker no longer holds the case)."""
    if end is None:
        raise refuse("end", "Enter the date the allocation ends.")
    if end <= allocation.start:
        raise refuse(
            "end", f"The allocation started on {govuk_date(allocation.start)}; end it later."
        )
    if allocation.end is not None and end >= allocation.end:
        raise refuse("end", f"The allocation already ends on {govuk_date(allocation.end)}.")
    allocation.end = end
    allocation.save(update_fields=["end", "updated_at"])
    return allocation


@transaction.atomic
def end_allocations_of_leaver(*, worker: Worker, last_day: dt.date) -> list[Allocation]:
    """A leaver's cases: every allocation of theirs still open after `last_day` ends on the day
    after it, so each case is unallocated from then (and waits for reallocation, reason "worker
    left"). Registered with `core.hooks.on_leaver_recorded`, so it runs inside
    `record_leaver`'s transaction; each change is saved (and audited) one by one.

    Nothing ends while the worker is still in post on the next day (an agency engagement that
    goes on); an allocation starting after the last day is refused, naming the case.
    """
    gone = last_day + DAY
    if Engagement.objects.filter(worker=worker).active_on(gone).exists():
        return []
    allocations = Allocation.objects.filter(worker=worker).select_for_update()
    later = allocations.filter(start__gt=last_day).select_related("case").order_by("start").first()
    if later is not None:
        raise refuse(
            "last_day",
            f"{worker} holds case {later.case} from {govuk_date(later.start)}, after this last "
            "day. End or move that allocation first.",
        )
    ended = []
    for allocation in allocations.overlapping(gone, None).order_by("start", "pk"):
        allocation.end = gone
        allocation.save(update_fields=["end", "updated_at"])
        ended.append(allocation)
    return ended


# ASYE and supervision ------------------------------------------------------------------------


@transaction.atomic
def register_asye(*, worker: Worker, start: dt.date, end: dt.date | None = None) -> AsyePeriod:
    """Record a worker's ASYE year (a year from `start` unless an end is given)."""
    if start is None:
        raise refuse("start", "Enter the date the ASYE started.")
    end = end or measures.add_months(start, 12)
    if end <= start:
        raise refuse("end", "The ASYE must end after it starts.")
    if AsyePeriod.objects.filter(worker=worker).overlapping(start, end).exists():
        raise refuse("start", f"{worker} already has an ASYE year over these dates.")
    return AsyePeriod.objects.create(
        authority=worker.authority, worker=worker, start=start, end=end
    )


@transaction.atomic
def record_supervision(
    *, worker: Worker, date: dt.date, supervisor: Worker | None = None, today: dt.date | None = None
) -> Supervision:
    """Record a supervision session held on `date` (no notes: they belong in the case system)."""
    same_authority(worker, supervisor)
    today = today or dt.date.today()
    if date is None:
        raise refuse("date", "Enter the date of the supervision.")
    if date > today:
        raise refuse("date", "The supervision date cannot be in the future.")
    if supervisor is not None and supervisor.pk == worker.pk:
        raise refuse("supervisor", "Someone cannot supervise themselves.")
    if not Engagement.objects.filter(worker=worker).active_on(date).exists():
        raise refuse("date", f"{worker} was not in post on {govuk_date(date)}.")
    if Supervision.objects.filter(worker=worker, date=date).exists():
        raise refuse(
            "date", f"A supervision of {worker} on {govuk_date(date)} is already recorded."
        )
    return Supervision.objects.create(
        authority=worker.authority, worker=worker, supervisor=supervisor, date=date
    )


# Demand --------------------------------------------------------------------------------------


@transaction.atomic
def record_referral(
    *,
    authority: Authority,
    team: Team,
    received: dt.date,
    case: Case | None = None,
    child_ref: str = "",
    source_ref: str = "",
    today: dt.date | None = None,
) -> Referral:
    """Record a referral received by a front door or assessment team. The child is named only
    by the reference of their case (`case`, or its `child_ref`), or not at all while they have
    no case. `source_ref` is the case system's id of the referral, for an imported one."""
    same_authority(team, case)
    today = today or dt.date.today()
    if team is None or team.authority_id != authority.pk:
        raise refuse("team", "Choose a team of this authority.")
    if team.service_area not in REFERRAL_AREAS:
        raise refuse("team", f"{team} is not a front door or assessment team; choose one that is.")
    if received is None:
        raise refuse("received", "Enter the date the referral was received.")
    if received > today:
        raise refuse("received", "The date received cannot be in the future.")
    ref = (child_ref or "").strip().upper()
    if ref and case is not None:
        raise refuse("child_ref", "Give either the case or its child reference, not both.")
    if ref:
        if not CHILD_REF.match(ref):
            raise refuse(
                "child_ref",
                "A child reference is 4 to 64 letters, digits or dashes including a digit; "
                "never a name.",
            )
        case = Case.objects.filter(authority=authority, child_ref=ref).first()
        if case is None:
            raise refuse(
                "child_ref",
                f"There is no case with reference {ref}. Leave it empty if the child has no "
                "case yet.",
            )
    source_ref = (source_ref or "").strip()
    if len(source_ref) > 50:
        raise refuse("source_ref", "The referral id must be 50 characters or fewer.")
    if source_ref and Referral.objects.filter(authority=authority, source_ref=source_ref).exists():
        raise refuse("source_ref", f"Referral {source_ref} is already recorded.")
    return Referral.objects.create(
        authority=authority,
        team=team,
        received=received,
        case=case,
        source_ref=source_ref or None,
    )


@transaction.atomic
def link_referral_to_case(*, referral: Referral, case: Case) -> Referral:
    """The child of a referral recorded without a case now has one: the referral names it."""
    same_authority(referral, case)
    if referral.case_id is not None and referral.case_id != case.pk:
        raise refuse("case", f"The referral is recorded for case {referral.case}.")
    referral.case = case
    referral.save(update_fields=["case", "updated_at"])
    return referral


@transaction.atomic
def record_referral_outcome(
    *,
    referral: Referral,
    outcome: str,
    outcome_date: dt.date | None = KEEP,
    initial_assessment_start: dt.date | None = KEEP,
    initial_assessment_completed: dt.date | None = KEEP,
    core_assessment_start: dt.date | None = KEEP,
    core_assessment_completed: dt.date | None = KEEP,
    plan_date: dt.date | None = KEEP,
    today: dt.date | None = None,
) -> Referral:
    """Record how far a referral went (again as it goes further). Dates must follow one another
    from the referral on and none may be in the future; the outcome may not contradict them:
    a referral closed without an assessment (no further action, signposting, early help) has
    no assessment or plan dates, an assessment or "not in need" needs the date the assessment
    started, and a plan its date. A core assessment starts on or after the initial assessment,
    and a plan follows the assessment. A date not given keeps the one recorded (None clears it):
    recording the plan's date alone keeps the assessment dates."""
    today = today or dt.date.today()
    outcome_date = kept(referral, "outcome_date", outcome_date)
    initial_assessment_start = kept(referral, "initial_assessment_start", initial_assessment_start)
    initial_assessment_completed = kept(
        referral, "initial_assessment_completed", initial_assessment_completed
    )
    core_assessment_start = kept(referral, "core_assessment_start", core_assessment_start)
    core_assessment_completed = kept(
        referral, "core_assessment_completed", core_assessment_completed
    )
    plan_date = kept(referral, "plan_date", plan_date)
    if outcome not in ReferralOutcome.values:
        raise refuse("outcome", "Choose the outcome of the referral.")
    label = ReferralOutcome(outcome).label.lower()
    steps = [
        ("outcome_date", outcome_date, referral.received, "the referral was received"),
        ("initial_assessment_start", initial_assessment_start, referral.received, "received"),
        (
            "initial_assessment_completed",
            initial_assessment_completed,
            initial_assessment_start,
            "the initial assessment started",
        ),
        (
            "core_assessment_start",
            core_assessment_start,
            initial_assessment_start or referral.received,
            "the initial assessment started" if initial_assessment_start else "received",
        ),
        (
            "core_assessment_completed",
            core_assessment_completed,
            core_assessment_start,
            "the core assessment started",
        ),
        ("plan_date", plan_date, referral.received, "received"),
    ]
    for field, value, earliest, what in steps:
        if value is None:
            continue
        if earliest is None:
            raise refuse(field, f"Enter the date {what} first.")
        if value < earliest:
            raise refuse(field, f"This date is before the date {what} ({govuk_date(earliest)}).")
        if value > today:
            raise refuse(field, "This date cannot be in the future.")
    dates = {
        "initial_assessment_start": initial_assessment_start,
        "initial_assessment_completed": initial_assessment_completed,
        "core_assessment_start": core_assessment_start,
        "core_assessment_completed": core_assessment_completed,
        "plan_date": plan_date,
    }
    if outcome in WITHOUT_ASSESSMENT:
        for field, value in dates.items():
            if value is not None:
                what = "a plan" if field == "plan_date" else "an assessment"
                raise refuse(
                    field,
                    f"A referral that ended with {label} had no assessment or plan, but this "
                    f"gives {what} a date: remove the date, or choose the outcome it reached.",
                )
    if (
        outcome in AFTER_ASSESSMENT
        and initial_assessment_start is None
        and core_assessment_start is None
    ):
        raise refuse(
            "initial_assessment_start",
            f"Enter the date the assessment started: the outcome is {label}.",
        )
    started = initial_assessment_start or core_assessment_start
    if outcome in AFTER_ASSESSMENT and outcome_date and started and outcome_date < started:
        raise refuse(
            "outcome_date",
            f"The outcome {label} follows the assessment: this date is before it started "
            f"({govuk_date(started)}).",
        )
    if outcome in AFTER_ASSESSMENT and plan_date is not None:
        raise refuse(
            "plan_date",
            f"A referral that reached a plan did not end with {label}: choose the outcome plan, "
            "or remove the date of the plan.",
        )
    if outcome == ReferralOutcome.PLAN and plan_date is None:
        raise refuse("plan_date", "Enter the date of the plan.")
    if plan_date is not None and started is not None and plan_date < started:
        raise refuse(
            "plan_date",
            f"The plan follows the assessment: this date is before it started "
            f"({govuk_date(started)}).",
        )
    referral.outcome = outcome
    referral.outcome_date = outcome_date
    for field, value in dates.items():
        setattr(referral, field, value)
    referral.save(update_fields=["outcome", "outcome_date", *dates, "updated_at"])
    return referral
