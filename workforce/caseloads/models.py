"""Cases, allocations, weighted workload, supervision and demand.

A **case** is one child (siblings are separate cases), known only by a pseudonymous reference:
never a name. Imported references are a keyed hash (HMAC-SHA256) of the source system's id with
the deployment's `CHILD_REF_KEY`, so the same child always gets the same reference here while
the source id cannot be recovered from it. A case is open over `[start, end)`: `start` is the
day it opened, `end` the day it closed (it is not held on that day).

A case's team and category change over time, so both are intervals (`CaseTeam`,
`CaseCategory`); a transfer between teams (Leeds: between area offices) ends one `CaseTeam`
and opens the next. An **allocation** gives a case to a worker over `[start, end)` with the
reason the allocation was made (first allocation, worker left, moved team, case transferred,
absence cover, reallocation). At most one allocation of a case is open at any date.

**ASYE.** A worker is in their Assessed and Supported Year in Employment on a date when an
`AsyePeriod` of theirs is active then. It is an explicit record (usually a year from the start
of the ASYE) rather than a guess from the qualification date, because people qualify long before
their first social work post and some do their ASYE elsewhere. The ASYE period reduces
capacity (`WorkloadScheme.asye_capacity_percent`, default 90%) and sets the supervision
schedule (`SupervisionPolicy`).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from workforce.core.dates import day_text
from workforce.core.models import Authority, AuthorityOwned, Interval, IntervalQuerySet
from workforce.establishment.models import ServiceArea, Team, Worker


def pseudonymise(source_id: str) -> str:
    """The child reference for a source-system id: a keyed hash, never reversible to the id."""
    digest = hmac.digest(
        settings.CHILD_REF_KEY.encode(), str(source_id).strip().encode(), hashlib.sha256
    )
    return digest.hex()[:20].upper()


class Category(models.TextChoices):
    CHILD_IN_NEED = "cin", "Child in need"
    CHILD_PROTECTION = "cpp", "Child protection plan"
    LOOKED_AFTER = "cla", "Child looked after"
    CARE_LEAVER = "care_leaver", "Care leaver"
    IN_PROCEEDINGS = "proceedings", "In proceedings"


class AllocationReason(models.TextChoices):
    INITIAL = "initial", "Initial allocation"
    WORKER_LEFT = "worker_left", "Worker left"
    MOVED_TEAM = "moved_team", "Worker moved team"
    TRANSFERRED = "transferred", "Case transferred"
    ABSENCE = "absence", "Worker absent"
    REALLOCATION = "reallocation", "Reallocation"


class ReferralOutcome(models.TextChoices):
    """How a referral ended, or how far it has gone, in the categories councils report. The
    children in need census counts referrals that ended in no further action and children
    assessed and found not in need; front doors also end many referrals with information,
    advice or signposting to other services, or by referring the family to early help."""

    NO_FURTHER_ACTION = "nfa", "No further action"
    ADVICE = "advice", "Information, advice or signposting"
    EARLY_HELP = "early_help", "Referred to early help"
    ASSESSMENT = "assessment", "Assessment"
    NOT_IN_NEED = "not_in_need", "Assessed, not in need"
    CP_ENQUIRY = "cp_enquiry", "Child protection enquiry"
    PLAN = "plan", "Plan"


# Decisions made on the referral itself, without an assessment (the census's "no further
# action" and the front door's signposting and early help): no assessment or plan follows them.
WITHOUT_ASSESSMENT = frozenset(
    {ReferralOutcome.NO_FURTHER_ACTION, ReferralOutcome.ADVICE, ReferralOutcome.EARLY_HELP}
)
# Outcomes that only an assessment reaches: they need its start date.
AFTER_ASSESSMENT = frozenset({ReferralOutcome.ASSESSMENT, ReferralOutcome.NOT_IN_NEED})


def _authority() -> models.ForeignKey:
    """The owning authority, without a single-column index: the large tables here lead their
    composite indexes with it (or are always reached through a case), and every index costs
    on the bulk loads of a large authority."""
    return models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+", db_index=False)


def _end_after_start(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gt=F("start")), name=name)


class Case(Interval):
    """One child's case, open over [start, end)."""

    authority = _authority()
    child_ref = models.CharField(
        "child reference", max_length=64, help_text="Pseudonymous reference; never a name."
    )

    objects: ClassVar[Any] = IntervalQuerySet.as_manager()

    class Meta:
        ordering = ["child_ref"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "child_ref"], name="case_ref_unique"),
            _end_after_start("case_end_after_start"),
        ]
        indexes = [models.Index(fields=["authority", "start", "end"])]

    def __str__(self) -> str:
        return self.child_ref


class CaseTeam(Interval):
    """Which team a case sits with over [start, end)."""

    authority = _authority()
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="teams", db_index=False)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="case_spells", db_index=False
    )

    class Meta:
        ordering = ["case", "start"]
        constraints = [_end_after_start("caseteam_end_after_start")]
        indexes = [models.Index(fields=["case", "start"])]


class CaseCategory(Interval):
    """A case's category (and whether it is complex) over [start, end)."""

    authority = _authority()
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="categories", db_index=False
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    complex = models.BooleanField(default=False)

    class Meta:
        ordering = ["case", "start"]
        verbose_name_plural = "case categories"
        constraints = [_end_after_start("casecategory_end_after_start")]
        indexes = [
            models.Index(fields=["case", "start"]),
            models.Index(fields=["authority", "category", "start"]),
        ]


class Allocation(Interval):
    """A case allocated to a worker over [start, end), and why this allocation was made."""

    authority = _authority()
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="allocations", db_index=False
    )
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="allocations", db_index=False
    )
    reason = models.CharField(max_length=20, choices=AllocationReason.choices)
    over_capacity_reason = models.TextField(
        blank=True, help_text="Why the case was allocated beyond the worker's capacity."
    )

    class Meta:
        ordering = ["case", "start"]
        constraints = [_end_after_start("allocation_end_after_start")]
        indexes = [
            models.Index(fields=["authority", "start", "end"]),
            models.Index(fields=["case", "start"]),
            models.Index(fields=["worker", "start"]),
        ]

    def __str__(self) -> str:
        return f"{self.case} to {self.worker} from {day_text(self.start)}"


class AsyePeriod(Interval):
    """A worker's Assessed and Supported Year in Employment, normally a year long."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="asye_periods")

    class Meta:
        ordering = ["worker", "start"]
        constraints = [_end_after_start("asye_end_after_start")]
        indexes = [models.Index(fields=["worker", "start"])]


class WorkloadScheme(AuthorityOwned):
    """An authority's workload settings. Without one, the defaults below apply."""

    asye_capacity_percent = models.PositiveSmallIntegerField(
        "ASYE capacity (%)",
        default=90,
        help_text="Share of the role's capacity a worker in their ASYE year carries.",
    )
    default_capacity_points = models.PositiveIntegerField(
        default=100, help_text="Capacity of a full-time case holder whose role sets none."
    )
    unallocated_threshold_days = models.PositiveSmallIntegerField(
        default=14, help_text="Unallocated cases are escalated after this many days."
    )
    initial_assessment_days = models.PositiveSmallIntegerField(
        default=7, help_text="An initial assessment is timely if completed within this many days."
    )
    core_assessment_days = models.PositiveSmallIntegerField(
        default=35, help_text="A core assessment is timely if completed within this many days."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority"], name="workload_scheme_one_per_la"),
        ]


class WorkloadWeight(AuthorityOwned):
    """Points a case of one category counts for, and more when it is complex."""

    scheme = models.ForeignKey(WorkloadScheme, on_delete=models.CASCADE, related_name="weights")
    category = models.CharField(max_length=20, choices=Category.choices)
    points = models.PositiveSmallIntegerField()
    complex_points = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["scheme", "category"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "category"], name="weight_one_per_category"),
        ]


DEFAULT_WEIGHTS: dict[str, tuple[int, int]] = {
    # A full-time social worker's 100 points hold about 20 plain child in need cases.
    Category.CHILD_IN_NEED: (4, 6),
    Category.CHILD_PROTECTION: (6, 9),
    Category.LOOKED_AFTER: (5, 8),
    Category.CARE_LEAVER: (3, 5),
    Category.IN_PROCEEDINGS: (8, 11),
}


class SupervisionPolicy(AuthorityOwned):
    """How often workers should be supervised. Without one, the defaults below apply."""

    asye_weekly_weeks = models.PositiveSmallIntegerField(
        default=6, help_text="ASYE workers: weekly for this many weeks from the ASYE start."
    )
    asye_fortnightly_months = models.PositiveSmallIntegerField(
        default=6, help_text="ASYE workers: then fortnightly until this many months in."
    )
    asye_later_days = models.PositiveSmallIntegerField(
        default=31, help_text="ASYE workers after that: at most this many days apart."
    )
    standard_days = models.PositiveSmallIntegerField(
        default=31, help_text="Everyone else: at most this many days apart (monthly)."
    )

    class Meta:
        verbose_name_plural = "supervision policies"
        constraints = [
            models.UniqueConstraint(fields=["authority"], name="supervision_policy_one_per_la"),
        ]


class Supervision(AuthorityOwned):
    """A supervision session held. Notes are kept in the case system, not here."""

    authority = _authority()
    worker = models.ForeignKey(
        Worker, on_delete=models.CASCADE, related_name="supervisions", db_index=False
    )
    supervisor = models.ForeignKey(
        Worker, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date = models.DateField()

    class Meta:
        ordering = ["-date"]
        indexes = [models.Index(fields=["worker", "date"])]


# Referrals are received by the front door (MASH) or an assessment team.
REFERRAL_AREAS = (ServiceArea.FRONT_DOOR, ServiceArea.ASSESSMENT)


class Referral(AuthorityOwned):
    """A referral to children's social care and how far it went (Leeds' funnel). `source_ref`
    is the case system's own id of an imported referral (never the child's), by which the next
    file finds it: unique in the authority, empty for referrals entered here."""

    authority = _authority()
    source_ref = models.CharField("case system's referral id", max_length=50, null=True, blank=True)
    received = models.DateField()
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="referrals")
    outcome = models.CharField(
        max_length=20, choices=ReferralOutcome.choices, blank=True, help_text="Empty while open."
    )
    # The day the outcome was decided; empty for outcomes recorded before it was asked for.
    outcome_date = models.DateField("date of the outcome", null=True, blank=True)
    initial_assessment_start = models.DateField(null=True, blank=True)
    initial_assessment_completed = models.DateField(null=True, blank=True)
    core_assessment_start = models.DateField(null=True, blank=True)
    core_assessment_completed = models.DateField(null=True, blank=True)
    plan_date = models.DateField(null=True, blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )

    class Meta:
        ordering = ["-received"]
        indexes = [models.Index(fields=["authority", "received"])]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "source_ref"],
                condition=Q(source_ref__isnull=False) & ~Q(source_ref=""),
                name="referral_source_ref_unique",
            ),
            models.CheckConstraint(
                condition=Q(outcome_date__isnull=True) | Q(outcome_date__gte=F("received")),
                name="referral_outcome_not_before_received",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral received {day_text(self.received)}"
