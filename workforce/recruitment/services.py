"""The events of recruitment, each a typed function that validates and explains refusals.

Every function runs in one transaction and raises ValidationError naming the field at fault.
An application moves one stage at a time (`STAGE_ORDER`); each move is a StageTransition with the
day it happened and who recorded it. Service levels become Tasks with due dates in working days.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from workforce.core.models import Authority, User
from workforce.core.templatetags.govuk import govuk_date
from workforce.core.validation import KEEP, kept, refuse, same_authority
from workforce.establishment import services as establishment
from workforce.establishment.models import (
    EMPLOYED_KINDS,
    AgencyCover,
    Engagement,
    EngagementKind,
    Post,
    Role,
    Team,
    Worker,
)
from workforce.recruitment.checks import required_for
from workforce.recruitment.models import (
    EXIT_STAGES,
    STAGE_ORDER,
    Application,
    Campaign,
    Candidate,
    Check,
    CheckKind,
    CheckOutcome,
    ExitReason,
    Offer,
    OfferKind,
    OfferResponse,
    Stage,
    StageTransition,
    Strand,
    StrandKind,
    StrandTarget,
    Task,
    TaskKind,
    Vacancy,
)
from workforce.recruitment.workdays import add_working_days

DAY = dt.timedelta(days=1)
TRAINING_PACK_WORKING_DAYS = 5  # Leeds: a training pack within 5 working days of recommendation
SALARY_ASSESSMENT_WORKING_DAYS = 10  # assessed while the checks run, well before they clear

# Stages reached through `advance_application`; later ones have their own action and conditions.
SIMPLE_STAGES = (Stage.SHORTLISTED, Stage.INTERVIEWED, Stage.RECOMMENDED, Stage.CHECKS)
LABELS = dict(Stage.choices)
# A UK phone number as people write it: digits and spaces, a leading +44, brackets (as in
# "+44 (0)113"), hyphens only between digits; at least 10 digits and no more than 15.
PHONE_CHARACTERS = re.compile(r"(\+44)?[\d ()-]+")
LOOSE_HYPHEN = re.compile(r"(?<!\d)-|-(?!\d)")


def check_phone(phone: str | None, field: str = "phone") -> str:
    """A UK phone number, its spaces tidied; empty when none is given; otherwise refused."""
    number = " ".join((phone or "").split())
    if not number:
        return ""
    digits = sum(c.isdigit() for c in number)
    if (
        not PHONE_CHARACTERS.fullmatch(number)
        or LOOSE_HYPHEN.search(number)
        or not 10 <= digits <= 15
    ):
        raise refuse(
            field,
            "Enter a UK phone number of at least 10 digits, like 0113 496 0000 or "
            "+44 113 496 0000.",
        )
    return number


def _check_money(value: Decimal | None, field: str) -> Decimal:
    value = Decimal(0) if value is None else Decimal(value)
    if value < 0:
        raise refuse(field, "The cost must be £0 or more.")
    return value


def _check_period(start: dt.date | None, end: dt.date | None) -> None:
    if start is None:
        raise refuse("start", "Enter the start date.")
    if end is not None and end < start:
        raise refuse("end", "The end date must be on or after the start date.")


# Campaigns, strands, targets, vacancies ------------------------------------------------------


@transaction.atomic
def create_campaign(
    *,
    authority: Authority,
    name: str,
    start: dt.date,
    end: dt.date | None = None,
    cost: Decimal | None = None,
    description: str = "",
) -> Campaign:
    name = (name or "").strip()
    if not name:
        raise refuse("name", "Enter the campaign name.")
    _check_period(start, end)
    if Campaign.objects.filter(authority=authority, name__iexact=name).exists():
        raise refuse("name", f"A campaign called “{name}” already exists.")
    return Campaign.objects.create(
        authority=authority,
        name=name,
        start=start,
        end=end,
        cost=_check_money(cost, "cost"),
        description=description,
    )


@transaction.atomic
def create_strand(
    *,
    campaign: Campaign,
    kind: str,
    start: dt.date,
    end: dt.date | None = None,
    name: str = "",
    partner: str = "",
    cost: Decimal | None = None,
    agency_staff: bool = False,
) -> Strand:
    """A strand of a campaign. `agency_staff`: its recruits start as agency workers."""
    if kind not in StrandKind.values:
        raise refuse("kind", "Choose the kind of strand, for example open recruitment.")
    _check_period(start, end)
    if start < campaign.start:
        raise refuse(
            "start", f"The campaign starts on {govuk_date(campaign.start)}; start on or after."
        )
    if kind == StrandKind.PARTNER and not partner.strip():
        raise refuse("partner", "Enter the name of the recruitment partner.")
    return Strand.objects.create(
        authority_id=campaign.authority_id,
        campaign=campaign,
        kind=kind,
        name=name.strip(),
        partner=partner.strip(),
        start=start,
        end=end,
        cost=_check_money(cost, "cost"),
        agency_staff=bool(agency_staff),
    )


@transaction.atomic
def create_target(
    *,
    strand: Strand,
    role: Role,
    target: int,
    deadline: dt.date | None = None,
    today: dt.date | None = None,
) -> StrandTarget:
    """A strand's target for a role, with the date it is due by if one is set (Sandwell's
    agency strand stated "a target of 15" and no date). A deadline is still to come, but a
    strand that has already ended takes its targets with their past deadlines (recording a past
    campaign)."""
    same_authority(role, authority=strand.authority_id)
    today = today or dt.date.today()
    if target is None or int(target) <= 0:
        raise refuse("target", "The target must be a whole number more than 0, for example 15.")
    if deadline is not None and deadline < strand.start:
        raise refuse(
            "deadline", f"The strand starts on {govuk_date(strand.start)}; the deadline is after."
        )
    ended = strand.end is not None and strand.end < today
    if deadline is not None and deadline < today and not ended:
        raise refuse(
            "deadline",
            f"The deadline {govuk_date(deadline)} has already passed: set a deadline from today "
            "on. (Only a strand that has ended takes targets with past deadlines.)",
        )
    if StrandTarget.objects.filter(strand=strand, role=role).exists():
        raise refuse("role", f"This strand already has a target for {role}.")
    return StrandTarget.objects.create(
        authority_id=strand.authority_id,
        strand=strand,
        role=role,
        target=int(target),
        deadline=deadline,
    )


@transaction.atomic
def open_vacancy(
    *,
    authority: Authority,
    reference: str,
    title: str,
    role: Role,
    opened_on: dt.date,
    strand: Strand | None = None,
    posts: Iterable[Post] = (),
) -> Vacancy:
    """Advertise one or more posts of a role; several posts make a block recruitment."""
    reference, title = (reference or "").strip(), (title or "").strip()
    if not reference:
        raise refuse("reference", "Enter the vacancy reference.")
    if not title:
        raise refuse("title", "Enter the job title as advertised.")
    if opened_on is None:
        raise refuse("opened_on", "Enter the date the vacancy opened.")
    posts = list(posts)
    same_authority(role, strand, *posts, authority=authority.pk)
    if Vacancy.objects.filter(authority=authority, reference=reference).exists():
        raise refuse("reference", f"A vacancy with reference {reference} already exists.")
    for post in posts:
        if post.role_id != role.pk:
            raise refuse("posts", f"Post {post} is for a different role from {role}.")
        if post.end is not None and post.end <= opened_on:
            raise refuse("posts", f"Post {post} closed on {govuk_date(post.end)}.")
    vacancy = Vacancy.objects.create(
        authority=authority,
        reference=reference,
        title=title,
        role=role,
        strand=strand,
        opened_on=opened_on,
    )
    vacancy.posts.set(posts)
    return vacancy


@transaction.atomic
def close_vacancy(*, vacancy: Vacancy, closed_on: dt.date) -> Vacancy:
    if closed_on is None or closed_on < vacancy.opened_on:
        raise refuse("closed_on", f"Close on or after {govuk_date(vacancy.opened_on)}.")
    vacancy.closed_on = closed_on
    vacancy.save(update_fields=["closed_on", "updated_at"])
    return vacancy


# Applications ---------------------------------------------------------------------------------


def _record(
    application: Application, to_stage: str, on: dt.date, by: User | None, reason: str = ""
) -> StageTransition:
    if on is None:
        raise refuse("on", "Enter the date.")
    if on < application.stage_on:
        raise refuse(
            "on",
            f"The application reached “{LABELS[application.stage]}” on "
            f"{govuk_date(application.stage_on)}; the date cannot be before that.",
        )
    transition = StageTransition.objects.create(
        application=application,
        from_stage=application.stage,
        to_stage=to_stage,
        on=on,
        by=by,
        reason=reason,
    )
    application.stage = to_stage
    application.stage_on = on
    return transition


@transaction.atomic
def apply(
    *,
    vacancy: Vacancy,
    applied_on: dt.date,
    by: User | None = None,
    candidate: Candidate | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    today: dt.date | None = None,
) -> Application:
    """Record an application; a new email registers a new candidate, a known one reuses theirs.

    A candidate may apply to several vacancies but only once to each.
    """
    if applied_on is None:
        raise refuse("applied_on", "Enter the date of the application.")
    if applied_on > (today or dt.date.today()):
        raise refuse("applied_on", "The date of the application cannot be in the future.")
    if applied_on < vacancy.opened_on:
        raise refuse(
            "applied_on",
            f"The vacancy opened on {govuk_date(vacancy.opened_on)}; applied before it.",
        )
    if vacancy.closed_on is not None and applied_on > vacancy.closed_on:
        raise refuse("applied_on", f"The vacancy closed on {govuk_date(vacancy.closed_on)}.")
    if candidate is None:
        candidate = _find_or_register(
            authority_id=vacancy.authority_id,
            first_name=first_name,
            last_name=last_name,
            email=email,
            phone=phone,
        )
    same_authority(candidate, authority=vacancy.authority_id)
    if Application.objects.filter(candidate=candidate, vacancy=vacancy).exists():
        raise refuse(
            "email",
            f"{candidate} has already applied for {vacancy}. A candidate applies once to each "
            "vacancy; open their existing application instead.",
        )
    application = Application.objects.create(
        authority_id=vacancy.authority_id,
        candidate=candidate,
        vacancy=vacancy,
        stage=Stage.APPLIED,
        applied_on=applied_on,
        stage_on=applied_on,
    )
    StageTransition.objects.create(
        application=application, from_stage="", to_stage=Stage.APPLIED, on=applied_on, by=by
    )
    return application


def _find_or_register(
    *, authority_id: int, first_name: str, last_name: str, email: str, phone: str
) -> Candidate:
    email = (email or "").strip().lower()
    phone = check_phone(phone)
    if not email:
        raise refuse("email", "Enter the candidate's email address.")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise refuse("email", "Enter an email address like name@example.com.") from exc
    existing = Candidate.objects.filter(authority_id=authority_id, email__iexact=email).first()
    if existing is not None:
        return existing
    if not (first_name or "").strip():
        raise refuse("first_name", "Enter the candidate's first name.")
    if not (last_name or "").strip():
        raise refuse("last_name", "Enter the candidate's last name.")
    return Candidate.objects.create(
        authority_id=authority_id,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        phone=phone,
    )


def _lock(application: Application) -> None:
    """Lock the row for this transaction and bring the caller's instance up to date."""
    list(Application.objects.select_for_update().filter(pk=application.pk).values_list("pk"))
    application.refresh_from_db()


def _check_open(application: Application) -> None:
    if application.stage in EXIT_STAGES:
        raise refuse(
            "stage", f"This application was {LABELS[application.stage].lower()}; it is closed."
        )
    if application.stage == Stage.STARTED:
        raise refuse("stage", "This candidate has already started.")


def _check_next(application: Application, to_stage: str) -> None:
    _check_open(application)
    expected = application.next_stage
    if to_stage != expected:
        raise refuse(
            "to_stage",
            f"An application at “{LABELS[application.stage]}” moves next to "
            f"“{LABELS[expected or '']}”; it cannot go to “{LABELS.get(to_stage, to_stage)}” "
            "without the stages between.",
        )


def _task(
    application: Application, kind: str, *, due_on: dt.date | None, owner: User | None
) -> Task:
    task, _ = Task.objects.get_or_create(
        application=application,
        kind=kind,
        defaults={"authority_id": application.authority_id, "due_on": due_on, "owner": owner},
    )
    return task


@transaction.atomic
def advance_application(
    *,
    application: Application,
    to_stage: str,
    on: dt.date,
    by: User | None = None,
    hr_officer: User | None = None,
    area_manager: User | None = None,
    salary_point: str = "",
) -> Application:
    """Move an application to its next stage, up to pre-employment checks.

    Recommending makes the conditional offer and sets the training pack task (5 working days);
    starting the checks lists the checks the authority's rules require (`checks.required_for`)
    and sets the salary and offer letter tasks.
    """
    _lock(application)
    _check_next(application, to_stage)
    if to_stage not in SIMPLE_STAGES:
        action: str = {
            str(
                Stage.UNCONDITIONAL_OFFER
            ): "Make the unconditional offer once every check is cleared",
            str(Stage.ACCEPTED): "Record the candidate's acceptance of the offer",
            str(Stage.STARTED): "Record the start",
        }[to_stage]
        raise refuse("to_stage", f"{action}: that step has its own form.")
    same_authority(hr_officer, area_manager, authority=application.authority_id)
    _record(application, to_stage, on, by)
    if hr_officer is not None:
        application.hr_officer = hr_officer
    if area_manager is not None:
        application.area_manager = area_manager
    application.save()
    owner = application.hr_officer or by
    if to_stage == Stage.RECOMMENDED:
        Offer.objects.create(
            authority_id=application.authority_id,
            application=application,
            kind=OfferKind.CONDITIONAL,
            made_on=on,
            salary_point=salary_point.strip(),
        )
        _task(
            application,
            TaskKind.TRAINING_PACK,
            due_on=add_working_days(on, TRAINING_PACK_WORKING_DAYS),
            owner=owner,
        )
    elif to_stage == Stage.CHECKS:
        # The checks the authority's rules require for the role on the day of the application.
        existing = set(application.checks.values_list("kind", flat=True))
        Check.objects.bulk_create(
            Check(
                authority_id=application.authority_id,
                application=application,
                kind=kind,
                owner=owner,
            )
            for kind in required_for(application)
            if kind not in existing
        )
        _task(
            application,
            TaskKind.SALARY,
            due_on=add_working_days(on, SALARY_ASSESSMENT_WORKING_DAYS),
            owner=owner,
        )
        _task(application, TaskKind.OFFER_LETTER, due_on=_all_cleared_on(application), owner=owner)
    return application


@transaction.atomic
def leave_application(
    *,
    application: Application,
    outcome: str,
    reason: str,
    on: dt.date,
    by: User | None = None,
    note: str = "",
) -> Application:
    """The application leaves the process (withdrawn, rejected, declined or pulled out) at its
    stage.

    A candidate who had accepted an offer (the unconditional one, or the conditional one while
    the checks run) and then withdraws or declines is recorded as pulled out after accepting.
    """
    _lock(application)
    _check_open(application)
    if outcome not in EXIT_STAGES:
        raise refuse(
            "outcome", "Choose withdrawn, rejected, declined or pulled out after accepting."
        )
    if reason not in ExitReason.values:
        raise refuse("reason", "Choose the reason.")
    accepted = had_accepted(application)
    if outcome in (Stage.WITHDRAWN, Stage.DECLINED) and accepted:
        outcome = Stage.PULLED_OUT
    if outcome == Stage.PULLED_OUT and not accepted:
        raise refuse(
            "outcome",
            "Pulled out after accepting is for a candidate who had accepted an offer; this "
            "candidate has not. Choose withdrawn or declined.",
        )
    if outcome == Stage.DECLINED and application.stage not in (
        Stage.RECOMMENDED,
        Stage.CHECKS,
        Stage.UNCONDITIONAL_OFFER,
    ):
        raise refuse(
            "outcome",
            "Only an offer can be declined; this application has no offer waiting for a reply.",
        )
    if reason == ExitReason.OTHER and not note.strip():
        raise refuse("note", "Say what the reason was.")
    exit_stage = application.stage
    _record(application, outcome, on, by, reason=reason)
    application.exit_stage = exit_stage
    application.exit_reason = reason
    application.exit_note = note.strip()
    application.save()
    response = OfferResponse.DECLINED if outcome == Stage.DECLINED else OfferResponse.WITHDRAWN
    application.offers.filter(response=OfferResponse.PENDING).update(
        response=response, response_on=on
    )
    application.tasks.filter(done_on__isnull=True).delete()
    return application


def had_accepted(application: Application) -> bool:
    """Whether the candidate has accepted an offer and is still on course to start: at
    "Accepted", or holding a conditional offer they accepted while the checks run."""
    if application.stage == Stage.ACCEPTED:
        return True
    return (
        application.stage in (Stage.RECOMMENDED, Stage.CHECKS)
        and application.offers.filter(
            kind=OfferKind.CONDITIONAL, response=OfferResponse.ACCEPTED
        ).exists()
    )


def withdraw_application(**kwargs: object) -> Application:
    return leave_application(outcome=Stage.WITHDRAWN, **kwargs)  # type: ignore[arg-type]


def reject_application(**kwargs: object) -> Application:
    return leave_application(outcome=Stage.REJECTED, **kwargs)  # type: ignore[arg-type]


def decline_offer(**kwargs: object) -> Application:
    return leave_application(outcome=Stage.DECLINED, **kwargs)  # type: ignore[arg-type]


@transaction.atomic
def assign_contacts(
    *,
    application: Application,
    hr_officer: User | None = KEEP,
    area_manager: User | None = KEEP,
    preferred_team: Team | None = KEEP,
) -> Application:
    """Name the candidate's HR officer and area manager (their contacts), and their team choice.
    What is not given is kept (None clears it)."""
    hr_officer = kept(application, "hr_officer", hr_officer)
    area_manager = kept(application, "area_manager", area_manager)
    preferred_team = kept(application, "preferred_team", preferred_team)
    same_authority(hr_officer, area_manager, preferred_team, authority=application.authority_id)
    application.hr_officer = hr_officer
    application.area_manager = area_manager
    application.preferred_team = preferred_team
    application.save(update_fields=["hr_officer", "area_manager", "preferred_team", "updated_at"])
    if hr_officer is not None:
        application.tasks.filter(done_on__isnull=True).update(owner=hr_officer)
    return application


def _holders_text(holders: list[Engagement]) -> str:
    return "; ".join(
        f"{e.worker} ({e.get_kind_display().lower()}, {e.fte} FTE, since {govuk_date(e.start)})"
        for e in holders
    )


def post_holders(post: Post, on: dt.date) -> list[Engagement]:
    """The employees holding `post` on `on`. Agency cover is not counted: cover of a vacancy
    ends when a recruit starts, and cover of an absence stands in for the employee counted."""
    return list(
        Engagement.objects.active_on(on)
        .filter(post=post, kind__in=EMPLOYED_KINDS)
        .select_related("worker")
        .order_by("start", "pk")
    )


def _check_free(post: Post, on: dt.date, reason: str, *, what: str) -> str:
    """Refuse a post someone holds on `on` unless a reason for over-establishment is given;
    the reason to keep (none for a post nobody holds)."""
    reason = (reason or "").strip()
    holders = post_holders(post, on)
    if holders and not reason:
        raise ValidationError(
            {
                "post": f"Post {post.reference} is already held on {govuk_date(on)} by "
                f"{_holders_text(holders)}. Choose a vacant post.",
                "over_establishment_reason": f"Or, if {what} in a post already held is "
                "deliberate, give the reason for going over the establishment.",
            }
        )
    return reason if holders else ""


@transaction.atomic
def allocate_post(
    *, application: Application, post: Post, over_establishment_reason: str = ""
) -> Application:
    """Allocate a recommended candidate to one of the vacancy's posts (block recruitment).

    A post someone holds (on the agreed start date, else today) is refused unless the reason
    for deliberate over-establishment is given; the reason is recorded on the application.
    """
    _check_open(application)
    same_authority(post, authority=application.authority_id)
    if application.stage not in STAGE_ORDER[STAGE_ORDER.index(Stage.RECOMMENDED) :]:
        raise refuse("post", "Allocate a post once the candidate is recommended.")
    vacancy_posts = application.vacancy.posts.all()
    if vacancy_posts.exists() and not vacancy_posts.filter(pk=post.pk).exists():
        raise refuse("post", f"Post {post} is not one of the posts this vacancy fills.")
    if post.role_id != application.vacancy.role_id:
        raise refuse("post", f"Post {post} is for a different role.")
    taken = (
        Application.objects.filter(post=post)
        .exclude(pk=application.pk)
        .exclude(stage__in=(*EXIT_STAGES, Stage.STARTED))
        .first()
    )
    if taken is not None:
        raise refuse("post", f"Post {post} is already allocated to another candidate.")
    if len(over_establishment_reason or "") > 300:
        raise refuse("over_establishment_reason", "The reason must be 300 characters or fewer.")
    on = application.start_date or dt.date.today()
    application.over_establishment_reason = _check_free(
        post, on, over_establishment_reason, what="allocating this candidate"
    )
    application.post = post
    application.save(update_fields=["post", "over_establishment_reason", "updated_at"])
    return application


# Checks ---------------------------------------------------------------------------------------


def _all_cleared_on(application: Application) -> dt.date | None:
    """The day the last required check cleared, or None while any is outstanding."""
    required = list(application.checks.filter(required=True).values_list("outcome", "outcome_on"))
    if not required or any(outcome != CheckOutcome.CLEARED for outcome, _ in required):
        return None
    return max(day for _, day in required if day is not None)


@transaction.atomic
def request_check(
    *,
    application: Application,
    kind: str,
    requested_on: dt.date,
    owner: User | None = None,
    required: bool = True,
) -> Check:
    """Ask for a check. Allowed from interview on (the DBS form is handed over at interview)."""
    _check_open(application)
    if kind not in CheckKind.values:
        raise refuse("kind", "Choose the kind of check.")
    if application.stage in (Stage.APPLIED, Stage.SHORTLISTED):
        raise refuse("kind", "Checks start at interview; this candidate has not been interviewed.")
    if requested_on is None:
        raise refuse("requested_on", "Enter the date the check was requested.")
    if requested_on < application.applied_on:
        raise refuse("requested_on", "The check cannot be requested before the application.")
    same_authority(owner, authority=application.authority_id)
    check, created = Check.objects.get_or_create(
        application=application,
        kind=kind,
        defaults={"authority_id": application.authority_id},
    )
    if not created and check.outcome != CheckOutcome.PENDING:
        raise refuse("kind", f"The {check} check already has a result.")
    check.requested_on = requested_on
    check.required = required
    check.owner = owner or check.owner or application.hr_officer
    check.save()
    return check


@transaction.atomic
def record_check_result(
    *,
    check: Check,
    outcome: str,
    outcome_on: dt.date,
    received_on: dt.date | None = None,
    note: str = "",
) -> Check:
    """Record a check cleared or failed. When the last one clears, the offer letter is due."""
    application = check.application
    _check_open(application)
    if outcome not in (CheckOutcome.CLEARED, CheckOutcome.FAILED):
        raise refuse("outcome", "Choose cleared or failed.")
    if check.requested_on is None:
        raise refuse("outcome", "Record when the check was requested first.")
    if outcome_on is None:
        raise refuse("outcome_on", "Enter the date of the result.")
    received_on = received_on or outcome_on
    if received_on < check.requested_on:
        raise refuse(
            "received_on",
            f"The check was requested on {govuk_date(check.requested_on)}; received after.",
        )
    if outcome_on < received_on:
        raise refuse("outcome_on", "The result cannot come before the check was received.")
    if outcome == CheckOutcome.FAILED and not note.strip():
        raise refuse("note", "Say why the check failed.")
    check.outcome = outcome
    check.outcome_on = outcome_on
    check.received_on = received_on
    check.note = note.strip()
    check.save()
    cleared_on = _all_cleared_on(application)
    if cleared_on is not None:
        application.tasks.filter(kind=TaskKind.OFFER_LETTER, done_on__isnull=True).update(
            due_on=cleared_on
        )
    return check


# Offers and starting --------------------------------------------------------------------------


@transaction.atomic
def make_unconditional_offer(
    *,
    application: Application,
    on: dt.date,
    by: User | None = None,
    salary_point: str = "",
    annual_salary: Decimal | None = None,
) -> Offer:
    """Offer the job unconditionally: only once every required check has cleared."""
    _lock(application)
    _check_next(application, Stage.UNCONDITIONAL_OFFER)
    outstanding = [
        str(c) for c in application.checks.filter(required=True).exclude(outcome="cleared")
    ]
    if outstanding or not application.checks.filter(required=True).exists():
        missing = ", ".join(outstanding) or "no checks are recorded"
        raise refuse(
            "on",
            f"Every pre-employment check must be cleared before the unconditional offer; "
            f"not yet cleared: {missing}.",
        )
    cleared_on = _all_cleared_on(application)
    if on is not None and cleared_on is not None and on < cleared_on:
        raise refuse(
            "on", f"The last check cleared on {govuk_date(cleared_on)}; offer on or after it."
        )
    if annual_salary is not None and Decimal(annual_salary) <= 0:
        raise refuse("annual_salary", "The salary must be more than £0.")
    _record(application, Stage.UNCONDITIONAL_OFFER, on, by)
    application.save()
    conditional = application.offers.filter(kind=OfferKind.CONDITIONAL).first()
    offer = Offer.objects.create(
        authority_id=application.authority_id,
        application=application,
        kind=OfferKind.UNCONDITIONAL,
        made_on=on,
        salary_point=salary_point.strip() or (conditional.salary_point if conditional else ""),
        annual_salary=annual_salary,
    )
    application.offers.filter(kind=OfferKind.CONDITIONAL, response=OfferResponse.PENDING).update(
        response=OfferResponse.ACCEPTED, response_on=on
    )
    application.tasks.filter(kind=TaskKind.OFFER_LETTER, done_on__isnull=True).update(done_on=on)
    return offer


@transaction.atomic
def accept_conditional_offer(
    *, application: Application, on: dt.date, by: User | None = None
) -> Offer:
    """The candidate accepts the conditional offer while the pre-employment checks run."""
    _lock(application)
    _check_open(application)
    offer = application.offers.filter(kind=OfferKind.CONDITIONAL).first()
    if offer is None or application.stage not in (Stage.RECOMMENDED, Stage.CHECKS):
        raise refuse(
            "offer",
            "There is no conditional offer to accept: the candidate is at "
            f"“{LABELS[application.stage]}”. The conditional offer is made when the candidate "
            "is recommended after interview.",
        )
    if offer.response == OfferResponse.ACCEPTED:
        raise refuse(
            "offer",
            f"The conditional offer was already accepted on {govuk_date(offer.response_on)}.",
        )
    if on is None:
        raise refuse("on", "Enter the date the candidate accepted.")
    if on < offer.made_on:
        raise refuse(
            "on",
            f"The conditional offer was made on {govuk_date(offer.made_on)}; "
            "accepted on or after it.",
        )
    if on > dt.date.today():
        raise refuse("on", "The acceptance cannot be in the future.")
    offer.response = OfferResponse.ACCEPTED
    offer.response_on = on
    offer.save(update_fields=["response", "response_on", "updated_at"])
    return offer


@transaction.atomic
def accept_offer(
    *,
    application: Application,
    on: dt.date,
    by: User | None = None,
    start_date: dt.date | None = None,
) -> Application:
    """The candidate accepts the unconditional offer; the start-date letter is due that day."""
    _lock(application)
    _check_next(application, Stage.ACCEPTED)
    if start_date is not None and on is not None and start_date < on:
        raise refuse("start_date", "The start date cannot be before the acceptance.")
    _record(application, Stage.ACCEPTED, on, by)
    application.accepted_on = on
    application.start_date = start_date
    application.save()
    application.offers.filter(kind=OfferKind.UNCONDITIONAL).update(
        response=OfferResponse.ACCEPTED, response_on=on
    )
    _task(application, TaskKind.START_LETTER, due_on=on, owner=application.hr_officer or by)
    return application


def _vacancy_post(application: Application) -> Post | None:
    posts = list(application.vacancy.posts.all()[:2])
    return posts[0] if len(posts) == 1 else None


@transaction.atomic
def start_application(
    *,
    application: Application,
    start: dt.date,
    staff_number: str,
    by: User | None = None,
    post: Post | None = None,
    fte: Decimal = Decimal("1.00"),
    kind: str = EngagementKind.PERMANENT,
    end: dt.date | None = None,
    start_origin: str = "",
    end_agency_cover: bool = True,
    over_establishment_reason: str = "",
    agency_name: str = "",
    charge_rate: Decimal | None = None,
    covers: str = AgencyCover.VACANCY,
    covering_for: Worker | None = None,
) -> Application:
    """The candidate starts: the worker and their engagement in the post are created.

    As an employee (`kind` permanent, fixed-term or secondment) through
    `establishment.appoint_worker`; for a strand recruiting agency workers, `kind` agency starts
    an agency assignment (agency, hourly charge rate, what it covers) through
    `establishment.start_agency_assignment`. A post an employee already holds on the start day
    is refused unless the reason for deliberate over-establishment is given (or was given when
    the post was allocated). An agency assignment covering the post as a vacancy ends the day
    before (when asked).
    """
    _lock(application)
    _check_next(application, Stage.STARTED)
    if start is None:
        raise refuse("start", "Enter the start date.")
    accepted_on = application.accepted_on or application.stage_on
    if start < accepted_on:
        raise refuse(
            "start",
            f"The offer was accepted on {govuk_date(accepted_on)}; "
            "the start date cannot be before it.",
        )
    if start > dt.date.today():
        # "Started" counts in the progress reports, so it is recorded on or after the day.
        raise refuse(
            "start",
            f"{govuk_date(start)} is still to come: record the start on or after the first day. "
            "The agreed start date stays on the accepted offer until then.",
        )
    post = post or application.post or _vacancy_post(application)
    if post is None:
        raise refuse("post", "Choose the post the candidate starts in.")
    same_authority(post, authority=application.authority_id)
    if post.role_id != application.vacancy.role_id:
        raise refuse("post", f"Post {post} is for a different role from the vacancy.")
    strand = application.vacancy.strand
    agency = kind == EngagementKind.AGENCY
    if agency and not (strand is not None and strand.agency_staff):
        raise refuse(
            "kind",
            "Only a strand recruiting agency workers starts its recruits as agency workers; "
            "this vacancy's strand recruits employees.",
        )
    if agency and not (agency_name or "").strip():
        raise refuse("agency_name", "Enter the name of the agency supplying the worker.")
    if len(over_establishment_reason or "") > 300:
        raise refuse("over_establishment_reason", "The reason must be 300 characters or fewer.")
    reason = ""
    if not agency or covers == AgencyCover.VACANCY:
        # Absence cover stands in for the absent holder; extra capacity is over by intent.
        recorded = application.over_establishment_reason if application.post_id == post.pk else ""
        reason = _check_free(
            post, start, over_establishment_reason or recorded, what="starting this recruit"
        )
    candidate = application.candidate
    worker = establishment.create_worker(
        authority=application.authority,
        staff_number=staff_number,
        first_name=candidate.first_name,
        last_name=candidate.last_name,
    )
    if agency:
        engagement = establishment.start_agency_assignment(
            worker=worker,
            post=post,
            start=start,
            fte=fte,
            agency_name=agency_name,
            charge_rate=charge_rate,
            covers=covers,
            covering_for=covering_for,
            end=end,
        )
    else:
        engagement = establishment.appoint_worker(
            worker=worker,
            post=post,
            start=start,
            fte=fte,
            kind=kind,
            end=end,
            start_origin=start_origin,
        )
    if end_agency_cover:
        cover = (
            Engagement.objects.active_on(start)
            .filter(kind=EngagementKind.AGENCY)
            .filter(post=post, covers=AgencyCover.VACANCY, start__lt=start)
            .exclude(pk=engagement.pk)
            .order_by("start")
            .first()
        )
        if cover is not None:
            establishment.end_agency_assignment(engagement=cover, last_day=start - DAY)
    _record(application, Stage.STARTED, start, by)
    application.start_date = start
    application.post = post
    application.worker = worker
    application.engagement = engagement
    application.over_establishment_reason = reason
    application.save()
    return application


@transaction.atomic
def complete_task(*, task: Task, done_on: dt.date) -> Task:
    if done_on is None:
        raise refuse("done_on", "Enter the date it was done.")
    if task.done_on is not None:
        raise refuse("done_on", f"This was already done on {govuk_date(task.done_on)}.")
    task.done_on = done_on
    task.save(update_fields=["done_on", "updated_at"])
    return task
