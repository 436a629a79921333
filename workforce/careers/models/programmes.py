"""Early-career programmes, their cohorts and members' reviews, and trainees on their routes.

A **programme** (the ASYE today, the two-year induction programme that is to replace it) is data,
not code: its length in months, the stages a member passes through (each with the share of a
full caseload they carry, the *protected caseload*) and its review points (months from the
member's start, the last one the final review). Its `cfkss_status` is the census CFKSSstatus
code its members are returned with while in it.

A **cohort** is a group starting a programme together; each **member** is in the programme over
`[start, end)`: `end` is the planned end (the programme's length plus any extension) until the
final review ends it earlier (pass or fail) or the member withdraws. Reviews are recorded
against the programme's review points, in order.

A **trainee** is someone on a route into social work the authority sponsors or hosts, with the
date they are expected to qualify: the newly qualified starters recruitment can expect. The
record is open while they train and closes when they qualify (the date they qualified) or
withdraw (the date and the reason).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, Q

from workforce.core.dates import day_text
from workforce.core.models import AuthorityOwned, Interval
from workforce.establishment.models import Route, Team, Worker

__all__ = [
    "FINAL_OUTCOMES",
    "INTERIM_OUTCOMES",
    "WORKER_ROUTE",
    "CfkssStatus",
    "Cohort",
    "CohortMember",
    "MemberStatus",
    "Programme",
    "ProgrammeStage",
    "Review",
    "ReviewOutcome",
    "ReviewPoint",
    "Trainee",
    "TraineeRoute",
    "TraineeStatus",
    "WithdrawalReason",
]


class CfkssStatus(models.TextChoices):
    """The census CFKSSstatus codes (CSWW schema `cfksstype`)."""

    ASYE = "1", "Assessed and Supported Year in Employment"
    FRONTLINE_PRACTITIONER = "2", "Frontline practitioner"
    PRACTICE_SUPERVISOR = "3", "Practice supervisor"
    PRACTICE_LEADER = "4", "Practice leader"


class Programme(AuthorityOwned):
    """An early-career programme: its length, stages and review points."""

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    length_months = models.PositiveSmallIntegerField(
        "length (months)", help_text="How long the programme lasts without an extension."
    )
    cfkss_status = models.CharField(
        "census CFKSSstatus",
        max_length=1,
        choices=CfkssStatus.choices,
        blank=True,
        help_text="The status members are returned with in the census while in the programme.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="programme_name_unique"),
            models.CheckConstraint(
                condition=Q(length_months__gt=0), name="programme_length_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeStage(AuthorityOwned):
    """Months `[from_month, to_month)` of a programme, counted from a member's start, and the
    share of a full caseload (capacity) a member carries then."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=120)
    from_month = models.PositiveSmallIntegerField()
    to_month = models.PositiveSmallIntegerField()
    protected_percent = models.PositiveSmallIntegerField(
        "protected caseload (% of capacity)",
        help_text="Share of the role's capacity a member carries in this stage.",
    )

    class Meta:
        ordering = ["programme", "from_month"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "from_month"], name="programme_stage_start_unique"
            ),
            models.CheckConstraint(
                condition=Q(to_month__gt=F("from_month")), name="programme_stage_months_order"
            ),
            models.CheckConstraint(
                condition=Q(protected_percent__lte=100), name="programme_stage_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (months {self.from_month} to {self.to_month})"


class ReviewPoint(AuthorityOwned):
    """A review due a number of months after a member's start; the final one decides."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="review_points")
    name = models.CharField(max_length=120)
    month = models.PositiveSmallIntegerField(help_text="Months after the member's start.")
    final = models.BooleanField(default=False)

    class Meta:
        ordering = ["programme", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "month"], name="review_point_month_unique"
            ),
            models.UniqueConstraint(
                fields=["programme"], condition=Q(final=True), name="review_point_one_final"
            ),
            models.CheckConstraint(condition=Q(month__gt=0), name="review_point_month_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Cohort(AuthorityOwned):
    """People starting a programme together."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=120)
    start = models.DateField("start date")

    class Meta:
        ordering = ["-start", "name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="cohort_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class MemberStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Not passed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class CohortMember(Interval):
    """A worker in a cohort's programme over [start, end)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="programmes")
    assessor = models.ForeignKey(
        Worker, on_delete=models.SET_NULL, null=True, blank=True, related_name="assessing"
    )
    extension_months = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=20, choices=MemberStatus.choices, default=MemberStatus.IN_PROGRESS
    )
    withdrawal_reason = models.TextField(
        blank=True, help_text="Why the member left the programme, when withdrawn."
    )

    class Meta:
        ordering = ["cohort", "worker"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "worker"], name="cohort_member_once"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="cohort_member_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["authority", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.worker} in {self.cohort}"


class ReviewOutcome(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    CONCERNS = "concerns", "Concerns: support plan agreed"
    PASS = "pass", "Pass"
    EXTENSION = "extension", "Extension"
    FAIL = "fail", "Not passed"


INTERIM_OUTCOMES = (ReviewOutcome.ON_TRACK, ReviewOutcome.CONCERNS)
FINAL_OUTCOMES = (ReviewOutcome.PASS, ReviewOutcome.EXTENSION, ReviewOutcome.FAIL)


class Review(AuthorityOwned):
    """A member's review at one of the programme's review points. The final review is held
    again after an extension; every other point once."""

    member = models.ForeignKey(CohortMember, on_delete=models.CASCADE, related_name="reviews")
    point = models.ForeignKey(ReviewPoint, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField("date held")
    assessor = models.ForeignKey(
        Worker, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices)
    extension_months = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["member", "held_on", "pk"]
        indexes = [models.Index(fields=["member", "held_on"])]

    def __str__(self) -> str:
        return f"{self.point} on {day_text(self.held_on)}"


class TraineeRoute(models.TextChoices):
    STEP_UP = "step_up", "Step Up to Social Work"
    FRONTLINE = "frontline", "Frontline"
    APPRENTICESHIP = "apprenticeship", "Social work degree apprenticeship"
    BURSARY = "bursary", "Bursary or scholarship"
    PLACEMENT = "placement", "University placement"
    SPONSORED_ASSISTANT = "sponsored_assistant", "Sponsored social work assistant"


# The worker's route into social work (census StepUpGrad, FrontlineGrad) once qualified.
WORKER_ROUTE: dict[str, str] = {
    TraineeRoute.STEP_UP: Route.STEP_UP,
    TraineeRoute.FRONTLINE: Route.FRONTLINE,
    TraineeRoute.APPRENTICESHIP: Route.APPRENTICESHIP,
    TraineeRoute.BURSARY: Route.UNIVERSITY,
    TraineeRoute.PLACEMENT: Route.UNIVERSITY,
    TraineeRoute.SPONSORED_ASSISTANT: Route.APPRENTICESHIP,
}


class TraineeStatus(models.TextChoices):
    TRAINING = "training", "Training"
    QUALIFIED = "qualified", "Qualified"
    WITHDRAWN = "withdrawn", "Withdrawn"


class WithdrawalReason(models.TextChoices):
    DID_NOT_PASS = "did_not_pass", "Did not pass the course"
    PERSONAL = "personal", "Personal or family reasons"
    HEALTH = "health", "Health"
    OTHER_EMPLOYER = "other_employer", "Went to another employer"
    CAREER_CHANGE = "career_change", "Decided social work was not for them"
    OTHER = "other", "Another reason"


class Trainee(AuthorityOwned):
    """Someone on a route into social work, placed with a team, expected to qualify on a date.
    Open while training; closed by qualifying (`qualified_on`) or withdrawing (`withdrawn_on`,
    with the reason)."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="traineeships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="trainees")
    route = models.CharField(max_length=30, choices=TraineeRoute.choices)
    start = models.DateField("start date")
    expected_qualification = models.DateField("expected qualification date")
    status = models.CharField(
        max_length=20, choices=TraineeStatus.choices, default=TraineeStatus.TRAINING
    )
    qualified_on = models.DateField("date qualified", null=True, blank=True)
    withdrawn_on = models.DateField("date withdrawn", null=True, blank=True)
    withdrawal_reason = models.CharField(
        "reason for withdrawing", max_length=30, choices=WithdrawalReason.choices, blank=True
    )
    withdrawal_detail = models.CharField("more about the reason", max_length=200, blank=True)

    class Meta:
        ordering = ["expected_qualification", "worker"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_qualification__gt=F("start")),
                name="trainee_qualifies_after_start",
            ),
            # The outcome and its date go together: training has neither, a qualified trainee
            # the date they qualified, a withdrawn one the date and the reason.
            models.CheckConstraint(
                condition=(
                    Q(
                        status="training",
                        qualified_on__isnull=True,
                        withdrawn_on__isnull=True,
                        withdrawal_reason="",
                    )
                    | Q(
                        status="qualified",
                        qualified_on__gt=F("start"),
                        withdrawn_on__isnull=True,
                        withdrawal_reason="",
                    )
                    | Q(
                        status="withdrawn",
                        qualified_on__isnull=True,
                        withdrawn_on__gte=F("start"),
                    )
                    & ~Q(withdrawal_reason="")
                ),
                name="trainee_outcome_dated",
            ),
        ]
        indexes = [
            models.Index(
                fields=["authority", "status", "expected_qualification"], name="trainee_by_outcome"
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} ({self.get_route_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == TraineeStatus.TRAINING

    @property
    def closed_on(self) -> dt.date | None:
        return self.qualified_on or self.withdrawn_on
