"""Recording an application already under way: a council starting mid-campaign.

`record_under_way` takes the stage an application has reached and the day of each stage on the
way, and writes it as if each step had been recorded on its day: the stage history, the
conditional offer (and its acceptance), the pre-employment checks the authority's rules require
(cleared on the day given, or waiting while they run), the unconditional offer, its acceptance
and the start. Progress and funnel reports count it by those days. No service-level task is
set for what is already past; an application still in checks gets the offer letter task, due
when the checks clear.

Refused, naming the field, when a date is missing for a stage reached, given for a stage not
reached, before the stage before it, or in the future. The same rules read the recruitment
import (`UnderWayImporter`), one row for each application, which names the row and column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from workforce.core.dates import day_text
from workforce.core.models import Authority, User
from workforce.core.templatetags.govuk import govuk_date
from workforce.core.validation import refuse, same_authority
from workforce.establishment.models import Engagement, Post, Worker
from workforce.imports.base import Action, Outcome
from workforce.imports.tabular import (
    Code,
    Column,
    Reading,
    Row,
    Table,
    TabularImporter,
    refused,
    twice,
)
from workforce.recruitment import services
from workforce.recruitment.checks import required_for
from workforce.recruitment.models import (
    STAGE_ORDER,
    Application,
    Check,
    CheckOutcome,
    Offer,
    OfferKind,
    OfferResponse,
    Stage,
    StageTransition,
    Task,
    TaskKind,
    Vacancy,
)

LABELS = dict(Stage.choices)


@dataclass(frozen=True)
class DateField:
    name: str  # the service's and the form's field
    label: str
    stage: str  # needed once the application has reached this stage


# The days of the process in the order they happen; each is on or after the one before.
CHAIN: tuple[DateField, ...] = (
    DateField("applied_on", "Applied on", Stage.APPLIED),
    DateField("shortlisted_on", "Shortlisted on", Stage.SHORTLISTED),
    DateField("interviewed_on", "Interviewed on", Stage.INTERVIEWED),
    DateField("recommended_on", "Recommended on", Stage.RECOMMENDED),
    DateField("checks_on", "Pre-employment checks started on", Stage.CHECKS),
    DateField("checks_cleared_on", "Checks cleared on", Stage.UNCONDITIONAL_OFFER),
    DateField("unconditional_offer_on", "Unconditional offer made on", Stage.UNCONDITIONAL_OFFER),
    DateField("accepted_on", "Unconditional offer accepted on", Stage.ACCEPTED),
    DateField("started_on", "Started on", Stage.STARTED),
)
CONDITIONAL_OFFER = DateField(
    "conditional_offer_on", "Conditional offer made on", Stage.RECOMMENDED
)
CONDITIONAL_ACCEPTED = DateField(
    "conditional_accepted_on", "Conditional offer accepted on", Stage.RECOMMENDED
)
STAGE_OF = {Stage.SHORTLISTED: "shortlisted_on", Stage.INTERVIEWED: "interviewed_on"}
DATE_NAMES = (*(d.name for d in CHAIN), CONDITIONAL_OFFER.name, CONDITIONAL_ACCEPTED.name)


def _index(stage: str) -> int:
    return STAGE_ORDER.index(stage)


def check_dates(stage: str, dates: dict[str, dt.date | None], *, today: dt.date) -> None:
    """Refuse dates missing, not wanted, out of order or in the future: every fault at once,
    each against its field."""
    if stage not in STAGE_ORDER:
        raise refuse("stage", "Choose the stage the application has reached.")
    reached = _index(stage)
    errors: dict[str, str] = {}
    every = (*CHAIN, CONDITIONAL_OFFER, CONDITIONAL_ACCEPTED)
    for field in every:
        day = dates.get(field.name)
        needed = _index(field.stage) <= reached
        if field.name == "checks_cleared_on" and stage == Stage.CHECKS:
            needed = day is not None  # optional while the checks run: cleared, offer to come
        optional = field in (CONDITIONAL_OFFER, CONDITIONAL_ACCEPTED)
        if day is None and needed and not optional:
            errors[field.name] = (
                f"Enter the date: the application has reached “{LABELS[stage]}”, which comes "
                f"after “{field.label.lower()}”."
            )
        elif day is not None and not needed:
            errors[field.name] = (
                f"Leave {field.label.lower()} empty: the application has only reached "
                f"“{LABELS[stage]}”."
            )
        elif day is not None and day > today:
            errors[field.name] = (
                f"{field.label} cannot be in the future: {govuk_date(day)} is after today."
            )
    if not errors:
        errors |= _out_of_order(dates)
    if errors:
        raise ValidationError(errors)


def _out_of_order(dates: dict[str, dt.date | None]) -> dict[str, str]:
    errors: dict[str, str] = {}
    before: DateField | None = None
    for field in CHAIN:
        day = dates.get(field.name)
        if day is None:
            continue
        if before is not None and day < (earlier := dates[before.name] or day):
            errors[field.name] = (
                f"{field.label} ({govuk_date(day)}) cannot be before "
                f"{before.label.lower()} ({govuk_date(earlier)})."
            )
        before = field
    recommended = dates.get("recommended_on")
    offered = dates.get(CONDITIONAL_OFFER.name) or recommended
    if dates.get(CONDITIONAL_OFFER.name) and recommended and offered and offered < recommended:
        errors[CONDITIONAL_OFFER.name] = (
            f"The conditional offer cannot be made before the recommendation "
            f"({govuk_date(recommended)})."
        )
    accepted = dates.get(CONDITIONAL_ACCEPTED.name)
    unconditional = dates.get("unconditional_offer_on")
    if accepted and offered and accepted < offered:
        errors[CONDITIONAL_ACCEPTED.name] = (
            f"The conditional offer was made on {govuk_date(offered)}; accepted on or after it."
        )
    elif accepted and unconditional and accepted > unconditional:
        errors[CONDITIONAL_ACCEPTED.name] = (
            "The conditional offer is accepted before the unconditional offer replaces it, on "
            f"{govuk_date(unconditional)}."
        )
    return errors


@transaction.atomic
def record_under_way(
    *,
    vacancy: Vacancy,
    stage: str,
    dates: dict[str, dt.date | None],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    staff_number: str = "",
    post: Post | None = None,
    over_establishment_reason: str = "",
    by: User | None = None,
) -> Application:
    """Record an application at the stage it has reached, with the day of every stage on the
    way (`dates`, by the names in `CHAIN` and the conditional offer's two)."""
    dates = {name: dates.get(name) for name in DATE_NAMES}
    check_dates(stage, dates, today=timezone.localdate())
    reached = _index(stage)
    if stage == Stage.STARTED and not (staff_number or "").strip():
        raise refuse("staff_number", "Enter the staff number of the recruit who started.")
    same_authority(post, authority=vacancy.authority_id)
    application = services.apply(
        vacancy=vacancy,
        applied_on=dates["applied_on"],  # type: ignore[arg-type]
        by=by,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
    )
    steps = [d for d in CHAIN[1:] if d.name != "checks_cleared_on"]
    for field in steps:
        if _index(field.stage) > reached or field.stage == Stage.STARTED:
            break
        _step(application, field.stage, dates[field.name], by)  # type: ignore[arg-type]
        if field.stage == Stage.RECOMMENDED:
            _conditional_offer(application, dates)
        elif field.stage == Stage.CHECKS:
            _checks(application, dates)
        elif field.stage == Stage.UNCONDITIONAL_OFFER:
            _unconditional_offer(application, dates)
        elif field.stage == Stage.ACCEPTED:
            application.accepted_on = dates["accepted_on"]
            application.offers.filter(kind=OfferKind.UNCONDITIONAL).update(
                response=OfferResponse.ACCEPTED, response_on=dates["accepted_on"]
            )
    application.save()
    if stage == Stage.STARTED:
        _start(
            application,
            _day(dates, "started_on"),
            staff_number.strip(),
            post,
            by,
            over_establishment_reason,
        )  # type: ignore[arg-type]
    return application


def _day(dates: dict[str, dt.date | None], name: str) -> dt.date:
    """A day `check_dates` has made sure of."""
    day = dates[name]
    assert day is not None, name
    return day


def _step(application: Application, to_stage: str, on: dt.date, by: User | None) -> None:
    StageTransition.objects.create(
        application=application, from_stage=application.stage, to_stage=to_stage, on=on, by=by
    )
    application.stage = to_stage
    application.stage_on = on


def _conditional_offer(application: Application, dates: dict[str, dt.date | None]) -> None:
    made_on = dates[CONDITIONAL_OFFER.name] or _day(dates, "recommended_on")
    accepted = dates[CONDITIONAL_ACCEPTED.name] or dates["unconditional_offer_on"]
    Offer.objects.create(
        authority_id=application.authority_id,
        application=application,
        kind=OfferKind.CONDITIONAL,
        made_on=made_on,
        response=OfferResponse.ACCEPTED if accepted else OfferResponse.PENDING,
        response_on=accepted,
    )


def _checks(application: Application, dates: dict[str, dt.date | None]) -> None:
    """The checks the rules require, requested when the checks started; cleared on the day
    given, or waiting."""
    cleared = dates["checks_cleared_on"]
    # One at a time, not in bulk: an import records each record it creates, to be undone.
    for kind in required_for(application):
        Check.objects.create(
            authority_id=application.authority_id,
            application=application,
            kind=kind,
            requested_on=dates["checks_on"],
            received_on=cleared,
            outcome=CheckOutcome.CLEARED if cleared else CheckOutcome.PENDING,
            outcome_on=cleared,
            note="Recorded as cleared when the application was recorded under way."
            if cleared
            else "",
        )
    if dates["unconditional_offer_on"] is None:
        Task.objects.create(
            authority_id=application.authority_id,
            application=application,
            kind=TaskKind.OFFER_LETTER,
            due_on=cleared,
        )


def _unconditional_offer(application: Application, dates: dict[str, dt.date | None]) -> None:
    Offer.objects.create(
        authority_id=application.authority_id,
        application=application,
        kind=OfferKind.UNCONDITIONAL,
        made_on=_day(dates, "unconditional_offer_on"),
    )


def _start(
    application: Application,
    start: dt.date,
    staff_number: str,
    post: Post | None,
    by: User | None,
    over_establishment_reason: str,
) -> None:
    """A recruit who started: the person the staff records already hold, in the employment
    that began that day; else a new worker and employment through the start service."""
    worker = Worker.objects.filter(
        authority_id=application.authority_id, staff_number=staff_number
    ).first()
    if worker is None:
        try:
            services.start_application(
                application=application,
                start=start,
                staff_number=staff_number,
                post=post,
                by=by,
                over_establishment_reason=over_establishment_reason,
            )
        except ValidationError as refusal:
            raise _renamed(refusal, {"start": "started_on"}) from refusal
        return
    engagement = (
        Engagement.objects.filter(worker=worker, start=start)
        .filter(post__role_id=application.vacancy.role_id)
        .select_related("post")
        .first()
    )
    if engagement is None:
        raise refuse(
            "staff_number",
            f"Staff number {staff_number} is {worker}, who has no {application.vacancy.role} "
            f"post starting on {day_text(start)}. Give the staff number of the recruit, or "
            "correct the start date.",
        )
    if post is not None and engagement.post_id != post.pk:
        raise refuse("post", f"{worker} started in post {engagement.post.reference}, not {post}.")
    _step(application, Stage.STARTED, start, by)
    application.start_date = start
    application.post = engagement.post
    application.worker = worker
    application.engagement = engagement
    application.save()


def _renamed(error: ValidationError, names: dict[str, str]) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(k, k): v for k, v in error.error_dict.items()})


# The recruitment import ----------------------------------------------------------------------


DATE_COLUMNS: tuple[Column, ...] = tuple(
    Column(field.name, field.label, required=field.name == "applied_on")
    for field in (*CHAIN[:4], CONDITIONAL_OFFER, CONDITIONAL_ACCEPTED, *CHAIN[4:])
)


class UnderWayImporter(TabularImporter):
    kind = "recruitment"
    title = "Recruitment: applications under way"
    description = (
        "Applications already under way when the authority starts to use the system, one row "
        "for each: the vacancy reference, the candidate's name and email, the stage reached and "
        "the date of each stage on the way (applied, shortlisted, interviewed, recommended, "
        "conditional offer made and accepted, checks started and cleared, unconditional offer, "
        "accepted, started), and for a recruit who started their staff number and post. The "
        "pre-employment checks the authority's rules require are recorded as cleared on the "
        "date given."
    )
    columns = (
        Column("vacancy", "Vacancy reference", aliases=("Vacancy", "Job reference")),
        Column("first_name", "First name", aliases=("Forename",)),
        Column("last_name", "Last name", aliases=("Surname",)),
        Column("email", "Email", aliases=("Email address",)),
        Column("phone", "Phone", required=False, aliases=("Telephone",)),
        Column(
            "stage",
            "Stage reached",
            aliases=("Stage", "Status"),
            hint="Applied, Shortlisted, Interviewed, Recommended, Pre-employment checks, "
            "Unconditional offer, Accepted or Started",
        ),
        *DATE_COLUMNS,
        Column("staff_number", "Staff number", required=False, hint="For a recruit who started"),
        Column("post", "Post reference", required=False, hint="For a recruit who started"),
    )

    def read_rows(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        _UnderWay(table, authority, outcome).run()


STAGE_CHOICES = {s: LABELS[s] for s in STAGE_ORDER} | {str(Stage.RECOMMENDED): "Recommended"}
SERVICE_FIELDS = {
    **{name: name for name in DATE_NAMES},
    "stage": "stage",
    "email": "email",
    "first_name": "first_name",
    "last_name": "last_name",
    "staff_number": "staff_number",
    "post": "post",
    "over_establishment_reason": "post",
    "to_stage": "stage",
    "on": "stage",
    "": "vacancy",
}


class _UnderWay:
    def __init__(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        self.table = table
        self.authority = authority
        self.outcome = outcome
        self.seen: dict[str, tuple[int, tuple[Any, ...]]] = {}
        self.vacancies: dict[str, Vacancy | None] = {}

    def run(self) -> None:
        for row in self.table.rows():
            self._row(row)

    def _row(self, row: Row) -> None:
        r = Reading(self.table, row, self.outcome)
        reference = r.text("vacancy", required=True, longest=30)
        email = r.text("email", required=True, longest=254).lower()
        values: dict[str, Any] = {
            "first_name": r.text("first_name", required=True, longest=60),
            "last_name": r.text("last_name", required=True, longest=60),
            "phone": r.text("phone", longest=30),
            "stage": r.code("stage", STAGE_CHOICES, what="the stage reached", required=True),
            "staff_number": r.text("staff_number", longest=20),
            "post": r.text("post", longest=30),
        }
        dates = {name: r.date(name) for name in DATE_NAMES}
        if email:
            r.record = f"{email} for {reference}"
        if not r.ok:
            return
        if twice(r, self.seen, f"{reference}|{email}", "email", {**values, **dates}):
            return
        vacancy = self._vacancy(reference)
        if vacancy is None:
            r.error(
                "vacancy",
                f"There is no vacancy {reference}. Open it in its campaign first, or correct the "
                "reference.",
                Code.UNKNOWN_RECORD,
            )
            return
        existing = Application.objects.filter(
            vacancy=vacancy, candidate__email__iexact=email
        ).first()
        if existing is not None:
            if existing.stage != values["stage"]:
                r.warn(
                    "stage",
                    f"The system holds this application at “{LABELS[existing.stage]}”; the "
                    "system's is kept. Record what happened since on the application's page.",
                    Code.KEPT,
                )
            self.outcome.add(Action.MATCH, "application", r.record, line=row.line)
            return
        post = None
        if values["post"]:
            post = Post.objects.filter(authority=self.authority, reference=values["post"]).first()
            if post is None:
                r.error("post", f"There is no post {values['post']}.", Code.UNKNOWN_RECORD)
                return
        try:
            application = record_under_way(
                vacancy=vacancy,
                stage=values["stage"],
                dates=dates,
                first_name=values["first_name"],
                last_name=values["last_name"],
                email=email,
                phone=values["phone"],
                staff_number=values["staff_number"],
                post=post,
            )
        except ValidationError as refusal:
            refused(r, refusal, SERVICE_FIELDS)
            return
        self.outcome.add(
            Action.CREATE,
            "application",
            r.record,
            f"at “{LABELS[application.stage]}” since {day_text(application.stage_on)}",
            line=row.line,
        )

    def _vacancy(self, reference: str) -> Vacancy | None:
        if reference not in self.vacancies:
            self.vacancies[reference] = Vacancy.objects.filter(
                authority=self.authority, reference=reference
            ).first()
        return self.vacancies[reference]


def register_importer() -> None:
    from workforce.imports.base import register_importer as register

    register(UnderWayImporter())
