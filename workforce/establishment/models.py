"""Teams, roles, posts and the people who fill them, each over time as [start, end) intervals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from workforce.core.dates import day_text
from workforce.core.models import AuthorityOwned, Interval, IntervalQuerySet

FTE_MAX_DIGITS = 5
FTE_PLACES = 2


def fte_field(**kwargs: Any) -> models.DecimalField:
    return models.DecimalField(max_digits=FTE_MAX_DIGITS, decimal_places=FTE_PLACES, **kwargs)


class ServiceArea(models.TextChoices):
    FRONT_DOOR = "front_door", "Front door / MASH"
    ASSESSMENT = "assessment", "Assessment"
    CHILD_PROTECTION = "child_protection", "Child protection and children in need"
    CHILDREN_IN_CARE = "children_in_care", "Children in care"
    CARE_LEAVERS = "care_leavers", "Care leavers"
    DISABLED_CHILDREN = "disabled_children", "Disabled children"
    FOSTERING_ADOPTION = "fostering_adoption", "Fostering and adoption"
    QUALITY_ASSURANCE = "quality_assurance", "Quality assurance and safeguarding"
    MANAGEMENT = "management", "Management"
    OTHER = "other", "Other"


class OrgRole(models.TextChoices):
    """DfE census OrgRole. Roles without one are not counted in the census."""

    SENIOR_MANAGER = "1", "Senior manager"
    MIDDLE_MANAGER = "2", "Middle manager"
    FIRST_LINE_MANAGER = "3", "First line manager"
    SENIOR_PRACTITIONER = "4", "Senior practitioner"
    CASE_HOLDER = "5", "Case holder"
    QUALIFIED_WITHOUT_CASES = "6", "Qualified without cases"


class Team(AuthorityOwned):
    name = models.CharField(max_length=120)
    service_area = models.CharField(max_length=30, choices=ServiceArea.choices)
    locality = models.CharField(max_length=80, blank=True)
    manager = models.ForeignKey(
        "Worker", on_delete=models.SET_NULL, null=True, blank=True, related_name="managed_teams"
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="managed_teams",
        help_text="Users who manage this team and may see its people.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="team_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Role(AuthorityOwned):
    """A job in the authority's structure, mapped to a census OrgRole where the census counts it."""

    title = models.CharField(max_length=120)
    grade = models.CharField(max_length=20, blank=True)
    org_role = models.CharField(
        "census OrgRole",
        max_length=1,
        choices=OrgRole.choices,
        blank=True,
        help_text="Leave empty for roles the census does not count (for example family support).",
    )
    case_holding = models.BooleanField(default=False)
    capacity_points = models.PositiveIntegerField(
        default=0, help_text="Workload capacity in points for one full-time worker."
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in tables.")

    class Meta:
        ordering = ["order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "title"], name="role_title_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def census_counted(self) -> bool:
        return bool(self.org_role)


class Post(Interval):
    """An establishment line: a budgeted post in a team, open over [start, end)."""

    reference = models.CharField(max_length=30, help_text="Establishment line reference.")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="posts")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="posts")
    grade = models.CharField(max_length=20, blank=True)
    cost_centre = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "reference"], name="post_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")), name="post_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["authority", "start", "end"])]

    def __str__(self) -> str:
        return self.reference


class PostFunding(Interval):
    """The budgeted FTE of a post over an interval: changing it from a date keeps the past."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="funding")
    fte = fte_field()

    class Meta:
        ordering = ["post", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="funding_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(fte__gt=0) & Q(fte__lte=Decimal("1.00")), name="funding_fte_range"
            ),
        ]
        indexes = [models.Index(fields=["authority", "start", "end"])]


class Route(models.TextChoices):
    UNIVERSITY = "university", "University degree"
    STEP_UP = "step_up", "Step Up to Social Work"
    FRONTLINE = "frontline", "Frontline"
    APPRENTICESHIP = "apprenticeship", "Degree apprenticeship"
    THINK_AHEAD = "think_ahead", "Think Ahead"
    INTERNATIONAL = "international", "Qualified outside the UK"
    OTHER = "other", "Other"


class Worker(AuthorityOwned):
    """A person who works or worked in a post. Personal data: scoped and audited."""

    staff_number = models.CharField(max_length=20)
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60)
    swe_number = models.CharField("Social Work England number", max_length=20, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=1, blank=True, help_text="Census GenderCurrent code.")
    ethnicity = models.CharField(max_length=4, blank=True, help_text="Census Ethnicity code.")
    qual_level = models.CharField(
        "qualification level", max_length=1, blank=True, help_text="Census QualLevel code."
    )
    qual_institution = models.CharField("qualifying institution", max_length=120, blank=True)
    qual_date = models.DateField("date qualified", null=True, blank=True)
    route = models.CharField(max_length=20, choices=Route.choices, blank=True)
    # Set when the retention policy removed what identifies a long-gone leaver
    # (establishment/privacy.py); their codes and dates still count in the figures.
    pseudonymised_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "staff_number"], name="worker_staff_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return str(self)


class EngagementKind(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    FIXED_TERM = "fixed_term", "Fixed-term"
    SECONDMENT = "secondment", "Secondment"
    AGENCY = "agency", "Agency"


EMPLOYED_KINDS = (EngagementKind.PERMANENT, EngagementKind.FIXED_TERM, EngagementKind.SECONDMENT)


class AgencyCover(models.TextChoices):
    VACANCY = "vacancy", "A vacancy"
    ABSENCE = "absence", "An absence"
    EXTRA = "extra", "Extra capacity"


class EngagementEnd(models.TextChoices):
    MOVED = "moved", "Moved to another post"
    LEFT = "left", "Left the authority"
    ASSIGNMENT_ENDED = "assignment_ended", "Agency assignment ended"
    CONVERTED = "converted", "Became authority-employed"
    POST_CLOSED = "post_closed", "Post closed"
    CORRECTED = "corrected", "Correction"
    HOURS_CHANGED = "hours_changed", "Hours changed"
    CONTRACT_ENDED = "contract_ended", "Fixed-term contract or secondment ended"
    POST_GIVEN_UP = "post_given_up", "Gave up this post, kept another"


# Reasons a person may choose when ending one engagement by hand. The others are recorded by the
# services that make those changes (a move, a leaver, a conversion, a change of hours).
CHOSEN_END_REASONS = (
    EngagementEnd.CONTRACT_ENDED,
    EngagementEnd.ASSIGNMENT_ENDED,
    EngagementEnd.POST_GIVEN_UP,
    EngagementEnd.POST_CLOSED,
    EngagementEnd.CORRECTED,
)


class EngagementQuerySet(IntervalQuerySet):
    def employed(self) -> EngagementQuerySet:
        return self.filter(kind__in=EMPLOYED_KINDS)

    def agency(self) -> EngagementQuerySet:
        return self.filter(kind=EngagementKind.AGENCY)

    def census_counted(self) -> EngagementQuerySet:
        return self.exclude(post__role__org_role="")


class Engagement(Interval):
    """A worker in a post over [start, end): kind, FTE and, for agency, on what terms."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="engagements")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="engagements")
    fte = fte_field()
    kind = models.CharField(max_length=20, choices=EngagementKind.choices)
    start_origin = models.CharField(
        max_length=2,
        blank=True,
        help_text="Census StartOrigin code, for someone joining the authority.",
    )
    agency_name = models.CharField(max_length=120, blank=True)
    charge_rate = models.DecimalField(
        "hourly charge rate (£)", max_digits=7, decimal_places=2, null=True, blank=True
    )
    covers = models.CharField(max_length=10, choices=AgencyCover.choices, blank=True)
    covering_for = models.ForeignKey(
        Worker,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="covered_by",
        help_text="For absence cover: whose absence.",
    )
    end_reason = models.CharField(max_length=20, choices=EngagementEnd.choices, blank=True)

    objects: ClassVar[Any] = EngagementQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="engagement_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(fte__gt=0) & Q(fte__lte=Decimal("1.00")), name="engagement_fte_range"
            ),
            models.CheckConstraint(
                condition=Q(kind=EngagementKind.AGENCY) | Q(covers=""),
                name="engagement_cover_only_agency",
            ),
        ]
        indexes = [
            models.Index(fields=["authority", "start", "end"]),
            models.Index(fields=["worker", "start"]),
            models.Index(fields=["post", "start"]),
        ]

    def __str__(self) -> str:
        return f"{self.worker} in {self.post} ({self.get_kind_display()}, {self.fte} FTE)"

    @property
    def is_agency(self) -> bool:
        return self.kind == EngagementKind.AGENCY


class Leaving(AuthorityOwned):
    """The end of a worker's employment with the authority (a team move is not a leaving)."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="leavings")
    last_day = models.DateField(help_text="The last day of employment.")
    reason = models.CharField(max_length=2, help_text="Census ReasonLeave code.")
    destination = models.CharField(
        max_length=2, blank=True, help_text="Census LeaverDestination code."
    )
    fte = fte_field(help_text="FTE held on the last day (census leavers FTE).")
    org_role = models.CharField(max_length=1, blank=True, help_text="OrgRole held on the last day.")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, related_name="leavings")
    exit_interview_done = models.BooleanField(default=False)
    exit_themes = models.CharField(max_length=200, blank=True)
    exit_notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-last_day"]
        indexes = [models.Index(fields=["authority", "last_day"])]

    def __str__(self) -> str:
        return f"{self.worker} left {day_text(self.last_day)}"

    @property
    def end(self) -> dt.date:
        return self.last_day + dt.timedelta(days=1)


class Absence(Interval):
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="absences")
    reason = models.CharField(max_length=3, help_text="Census ReasonAbsence code.")
    working_days_lost = models.DecimalField(max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="absence_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(working_days_lost__gte=0), name="absence_days_positive"
            ),
        ]
        indexes = [models.Index(fields=["authority", "start"])]
