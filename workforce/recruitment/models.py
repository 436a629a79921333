"""Recruitment: campaigns and strands with targets, vacancies, candidates and their applications.

An application moves through the stages in `STAGE_ORDER` one at a time, or leaves the process
(withdrawn, rejected, declined, or pulled out after accepting an offer) at the stage it had
reached. Every move is a `StageTransition`. Recruitment ends by creating the worker's engagement
in the post the application fills: as an employee, or for a strand recruiting agency workers as
an agency assignment.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from workforce.core.dates import day_text
from workforce.core.models import AuthorityOwned
from workforce.establishment.models import Engagement, Post, Role, Team, Worker


class StrandKind(models.TextChoices):
    OPEN = "open", "Open recruitment"
    PARTNER = "partner", "Recruitment partner"
    AGENCY_VOLUME = "agency_volume", "Agency volume campaign"
    NEWLY_QUALIFIED = "newly_qualified", "Newly qualified social workers"
    STEP_UP = "step_up", "Step Up / Frontline"
    INTERNATIONAL = "international", "International recruitment"
    INTERNAL = "internal", "Internal progression"


class Campaign(AuthorityOwned):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="Leave empty while it runs.")
    cost = models.DecimalField(
        "cost not tied to a strand (£)",
        max_digits=10,
        decimal_places=2,
        default=0,
        help_text="Advertising and materials for the whole campaign.",
    )

    class Meta:
        ordering = ["-start", "name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="campaign_name_unique"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="campaign_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Strand(AuthorityOwned):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="strands")
    kind = models.CharField(max_length=20, choices=StrandKind.choices)
    name = models.CharField(max_length=120, blank=True)
    partner = models.CharField(
        "recruitment partner or agency", max_length=120, blank=True, help_text="If any."
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    cost = models.DecimalField("cost (£)", max_digits=10, decimal_places=2, default=0)
    agency_staff = models.BooleanField(
        "recruits agency workers",
        default=False,
        help_text="Its recruits start as agency workers, supplied and paid through an agency.",
    )

    class Meta:
        ordering = ["campaign", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="strand_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()


class StrandTarget(AuthorityOwned):
    strand = models.ForeignKey(Strand, on_delete=models.CASCADE, related_name="targets")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    target = models.PositiveIntegerField(help_text="How many people to recruit.")
    deadline = models.DateField(
        null=True, blank=True, help_text="By when they should be recruited, if a date is set."
    )

    class Meta:
        ordering = ["strand", "role__order", "role__title"]
        constraints = [
            models.UniqueConstraint(fields=["strand", "role"], name="strand_target_role_unique"),
            models.CheckConstraint(condition=Q(target__gt=0), name="strand_target_positive"),
        ]

    def __str__(self) -> str:
        if self.deadline is None:
            return f"{self.target} {self.role}, no date set"
        return f"{self.target} {self.role} by {day_text(self.deadline)}"


class Vacancy(AuthorityOwned):
    """An advert for one or more posts of a role (several for block recruitment)."""

    reference = models.CharField(max_length=30)
    title = models.CharField(max_length=120)
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    strand = models.ForeignKey(
        Strand, on_delete=models.SET_NULL, null=True, blank=True, related_name="vacancies"
    )
    posts = models.ManyToManyField(Post, blank=True, related_name="vacancies")
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "reference"]
        verbose_name_plural = "vacancies"
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "reference"], name="vacancy_reference_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class Candidate(AuthorityOwned):
    """A person applying. Personal data: only HR and the managers named on an application see it."""

    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    email = models.EmailField()
    phone = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "email"], name="candidate_email_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Stage(models.TextChoices):
    APPLIED = "applied", "Applied"
    SHORTLISTED = "shortlisted", "Shortlisted"
    INTERVIEWED = "interviewed", "Interviewed"
    RECOMMENDED = "recommended", "Recommended (conditional offer)"
    CHECKS = "checks", "Pre-employment checks"
    UNCONDITIONAL_OFFER = "unconditional_offer", "Unconditional offer"
    ACCEPTED = "accepted", "Accepted"
    STARTED = "started", "Started"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REJECTED = "rejected", "Rejected"
    DECLINED = "declined", "Declined"
    PULLED_OUT = "pulled_out", "Pulled out after accepting"


STAGE_ORDER: tuple[str, ...] = (
    Stage.APPLIED,
    Stage.SHORTLISTED,
    Stage.INTERVIEWED,
    Stage.RECOMMENDED,
    Stage.CHECKS,
    Stage.UNCONDITIONAL_OFFER,
    Stage.ACCEPTED,
    Stage.STARTED,
)
EXIT_STAGES: tuple[str, ...] = (Stage.WITHDRAWN, Stage.REJECTED, Stage.DECLINED, Stage.PULLED_OUT)
OFFERED_STAGES = STAGE_ORDER[STAGE_ORDER.index(Stage.RECOMMENDED) :]


def stages_from(stage: str) -> tuple[str, ...]:
    """The stages at or after `stage` in the process."""
    return STAGE_ORDER[STAGE_ORDER.index(stage) :]


def reached(stage: str) -> Q:
    """Applications that reached `stage` at some point, whether still in the process or not."""
    later = stages_from(stage)
    return Q(stage__in=later) | Q(exit_stage__in=later)


class ExitReason(models.TextChoices):
    ANOTHER_OFFER = "another_offer", "Accepted another job"
    SALARY = "salary", "Salary or terms"
    LOCATION = "location", "Location or travel"
    PERSONAL = "personal", "Personal circumstances"
    TOO_SLOW = "too_slow", "The process took too long"
    NOT_SHORTLISTED = "not_shortlisted", "Did not meet the shortlisting criteria"
    INTERVIEW = "interview", "Not successful at interview"
    CHECKS_FAILED = "checks_failed", "Pre-employment checks not satisfactory"
    NO_RESPONSE = "no_response", "Stopped responding"
    OTHER = "other", "Other"


class Application(AuthorityOwned):
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="applications")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="applications")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.APPLIED)
    applied_on = models.DateField()
    stage_on = models.DateField(help_text="When the application reached its current stage.")
    exit_stage = models.CharField(
        "stage when it left the process", max_length=20, choices=Stage.choices, blank=True
    )
    exit_reason = models.CharField(max_length=20, choices=ExitReason.choices, blank=True)
    exit_note = models.CharField(max_length=300, blank=True)
    hr_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="named HR officer",
    )
    area_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="named area manager",
    )
    preferred_team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    post = models.ForeignKey(
        Post,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="allocated post",
    )
    over_establishment_reason = models.CharField(
        "reason for over-establishment",
        max_length=300,
        blank=True,
        help_text="Why the recruit takes a post someone already holds, when that is deliberate.",
    )
    accepted_on = models.DateField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-applied_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "vacancy"], name="application_once_per_vacancy"
            ),
        ]
        indexes = [models.Index(fields=["authority", "stage"])]

    def __str__(self) -> str:
        return f"Application {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.stage not in EXIT_STAGES and self.stage != Stage.STARTED

    @property
    def next_stage(self) -> str | None:
        if self.stage not in STAGE_ORDER or self.stage == Stage.STARTED:
            return None
        return STAGE_ORDER[STAGE_ORDER.index(self.stage) + 1]


class StageTransition(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions"
    )
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    on = models.DateField(help_text="The day it happened.")
    at = models.DateTimeField(auto_now_add=True, help_text="When it was recorded.")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=ExitReason.choices, blank=True)

    class Meta:
        ordering = ["application", "on", "pk"]
        indexes = [models.Index(fields=["application", "on"])]

    def __str__(self) -> str:
        return f"{self.from_stage or 'new'} → {self.to_stage} on {self.on}"


class CheckKind(models.TextChoices):
    DBS = "dbs", "Enhanced DBS"
    REFERENCE_1 = "reference_1", "First reference"
    REFERENCE_2 = "reference_2", "Second reference"
    RIGHT_TO_WORK = "right_to_work", "Right to work"
    SWE = "swe", "Social Work England registration"
    HCPC = "hcpc", "HCPC registration"
    GSCC = "gscc", "GSCC registration"
    QUALIFICATIONS = "qualifications", "Qualifications"
    OCCUPATIONAL_HEALTH = "occupational_health", "Occupational health"
    IDENTITY = "identity", "Identity"


class CheckOutcome(models.TextChoices):
    PENDING = "pending", "Waiting"
    CLEARED = "cleared", "Cleared"
    FAILED = "failed", "Failed"


class Check(AuthorityOwned):
    """One pre-employment check. Checks run in parallel; each has its own dates and owner."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(max_length=20, choices=CheckKind.choices)
    required = models.BooleanField(default=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_on = models.DateField(null=True, blank=True)
    received_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(
        max_length=10, choices=CheckOutcome.choices, default=CheckOutcome.PENDING
    )
    outcome_on = models.DateField("cleared or failed on", null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["application", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="check_once_per_kind"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class RuleRoles(models.TextChoices):
    ALL = "all", "Every role"
    REGISTERED = "registered", "Social work roles (the roles the census counts)"
    CHOSEN = "chosen", "The roles chosen"


class RequiredCheckRule(AuthorityOwned):
    """A pre-employment check the authority requires, for some roles, over `[start, end)`.

    An application needs the checks whose rules are in force on the day it was made, for its
    vacancy's role (see `workforce.recruitment.checks`). An empty start: since always.
    """

    kind = models.CharField("check", max_length=20, choices=CheckKind.choices)
    applies_to = models.CharField(max_length=20, choices=RuleRoles.choices, default=RuleRoles.ALL)
    roles = models.ManyToManyField(Role, blank=True, related_name="+")
    start = models.DateField("from", null=True, blank=True)
    end = models.DateField(null=True, blank=True, help_text="The day after the last day.")

    class Meta:
        ordering = ["kind", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gt=F("start")),
                name="required_check_rule_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.get_applies_to_display().lower()}"


class OfferKind(models.TextChoices):
    CONDITIONAL = "conditional", "Conditional"
    UNCONDITIONAL = "unconditional", "Unconditional"


class OfferResponse(models.TextChoices):
    PENDING = "pending", "Waiting for a reply"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Offer(AuthorityOwned):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="offers")
    kind = models.CharField(max_length=20, choices=OfferKind.choices)
    made_on = models.DateField()
    salary_point = models.CharField(max_length=20, blank=True, help_text="For example SCP 33.")
    annual_salary = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    response = models.CharField(
        max_length=10, choices=OfferResponse.choices, default=OfferResponse.PENDING
    )
    response_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["application", "made_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="offer_once_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} offer"


class TaskKind(models.TextChoices):
    TRAINING_PACK = "training_pack", "Send the first-year training pack"
    SALARY = "salary", "Assess the starting salary"
    OFFER_LETTER = "offer_letter", "Have the offer letter ready"
    START_LETTER = "start_letter", "Send the start-date letter"


class Task(AuthorityOwned):
    """A service level: something HR owes a candidate by a due date."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=20, choices=TaskKind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due_on = models.DateField(
        null=True, blank=True, help_text="Empty while it waits on something (checks clearing)."
    )
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind"], name="task_once_per_kind"),
        ]
        indexes = [models.Index(fields=["owner", "done_on", "due_on"])]

    def __str__(self) -> str:
        return self.get_kind_display()
