"""Authorities, users and roles, census reference data, and the base model every record extends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class Authority(models.Model):
    """A local authority. Every record in the system belongs to exactly one."""

    code = models.CharField(
        "DfE LA code", max_length=3, unique=True, help_text="Three digits, for example 333."
    )
    name = models.CharField(max_length=120)
    region = models.CharField(max_length=60)
    ons_code = models.CharField("ONS code", max_length=9, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "authorities"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_additional_data(self) -> dict[str, Any]:
        """Stored with each audit entry: an authority's changes are in its own audit trail."""
        return {"authority_id": self.pk}

    def clean(self) -> None:
        if not (self.code.isdigit() and len(self.code) == 3):
            raise ValidationError({"code": "The DfE LA code is three digits, for example 333."})


class UserRole(models.TextChoices):
    """What a user may do. Checked in one place: workforce.core.access."""

    ADMIN = "admin", "System administrator"
    WORKFORCE_LEAD = "workforce_lead", "Workforce lead"
    HR_OFFICER = "hr_officer", "HR officer"
    TEAM_MANAGER = "team_manager", "Team manager"
    BOARD_MEMBER = "board_member", "Board member"
    ANALYST = "analyst", "Regional analyst"


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=UserRole.choices, default=UserRole.BOARD_MEMBER)
    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="The authority whose records this user works with.",
    )
    extra_authorities = models.ManyToManyField(
        Authority,
        blank=True,
        related_name="+",
        help_text="Further authorities this user may see (regional analysts).",
    )

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class AuthorityOwnedQuerySet(models.QuerySet):
    def for_authority(self, authority: Authority | int) -> AuthorityOwnedQuerySet:
        return self.filter(authority=authority)


class IntervalQuerySet(AuthorityOwnedQuerySet):
    """Filters for records valid over [start, end); an empty end means still open."""

    def active_on(self, day: dt.date) -> IntervalQuerySet:
        return self.filter(Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=day)))

    def overlapping(self, start: dt.date, end: dt.date | None) -> IntervalQuerySet:
        qs = self.filter(Q(end__isnull=True) | Q(end__gt=start))
        if end is not None:
            qs = qs.filter(start__lt=end)
        return qs


class AuthorityOwned(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[Any] = AuthorityOwnedQuerySet.as_manager()

    class Meta:
        abstract = True

    def get_additional_data(self) -> dict[str, Any]:
        """Stored with each audit entry, so the audit trail can be limited to one authority."""
        return {"authority_id": self.authority_id}


class Interval(AuthorityOwned):
    """A record valid from `start` up to, not including, `end` (open while `end` is empty)."""

    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    objects: ClassVar[Any] = IntervalQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    @property
    def last_day(self) -> dt.date | None:
        return None if self.end is None else self.end - dt.timedelta(days=1)


class CensusCode(models.Model):
    """One value of a census code list (CSWW schema), loaded by `load_reference_data`."""

    class List(models.TextChoices):
        GENDER = "gender", "Gender"
        ETHNICITY = "ethnicity", "Ethnicity"
        ORG_ROLE = "org_role", "Organisational role (OrgRole)"
        QUAL_LEVEL = "qual_level", "Qualification level (QualLevel)"
        REASON_LEAVE = "reason_leave", "Reason for leaving (ReasonLeave)"
        START_ORIGIN = "start_origin", "Origin of starter (StartOrigin)"
        LEAVER_DESTINATION = "leaver_destination", "Leaver destination (LeaverDestination)"
        REASON_ABSENCE = "reason_absence", "Reason for absence (ReasonAbsence)"
        CFKSS_STATUS = "cfkss_status", "Knowledge and skills status (CFKSSstatus)"

    list = models.CharField(max_length=30, choices=List.choices)
    code = models.CharField(max_length=10)
    label = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["list", "order"]
        constraints = [models.UniqueConstraint(fields=["list", "code"], name="census_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} – {self.label}"


def census_choices(list_name: str) -> list[tuple[str, str]]:
    """Choices for a form field from one census code list."""
    return list(
        CensusCode.objects.filter(list=list_name).order_by("order").values_list("code", "label")
    )


def census_labels(lists: Iterable[str]) -> dict[tuple[str, str], str]:
    """Labels of several census code lists in one query, keyed by (list, code)."""
    rows = CensusCode.objects.filter(list__in=list(lists)).values_list("list", "code", "label")
    return {(list_name, code): label for list_name, code, label in rows}


class AccessAction(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    DOWNLOADED = "downloaded", "Downloaded"


class PersonalDataAccess(models.Model):
    """Someone opened a person's record, or downloaded a list of people: who, when, what.

    Changes are in the audit trail; this records reading, so an administrator can answer "who
    has looked at this person's record?" (a subject access request, a complaint, an
    investigation). Written by `core.services.record_access` from the pages that show one
    person, and from downloads that list people.
    """

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=12, choices=AccessAction.choices)
    record_type = models.CharField(max_length=60, help_text="app.model of the record, if one.")
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    description = models.CharField(max_length=200)
    path = models.CharField(max_length=400)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["authority", "-at"]),
            models.Index(fields=["authority", "record_type", "record_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.description} at {self.at:%Y-%m-%d %H:%M}"


class Progress(models.Model):
    """How far a long job running outside the request has got: `done` of `total` in a plain
    `stage` ("Checking rows"). Written by `core.progress.Reporter`, read by the pages that show
    a progress bar. `finished_at` is set when the job ends, whether it worked or not."""

    stage = models.CharField(max_length=100, default="Waiting to start")
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True, help_text="Empty: not known.")
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "progress"

    def __str__(self) -> str:
        return f"{self.stage}: {self.done} of {self.total if self.total is not None else '?'}"

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def percent(self) -> int:
        """Whole per cent done, 0 to 100 (0 while the total is not known)."""
        if not self.total:
            return 100 if self.finished else 0
        return max(0, min(100, self.done * 100 // self.total))
