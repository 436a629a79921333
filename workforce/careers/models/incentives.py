"""Progression and incentives: a worker's steps up (band, role) and the money paid to recruit
and keep them, with the months within which leaving means paying some of it back."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Q

from workforce.core.models import AuthorityOwned
from workforce.establishment.models import Leaving, Role, Team, Worker

PENNY = Decimal("0.01")


class ProgressionKind(models.TextChoices):
    BAND = "band", "Band or grade"
    SENIOR_PRACTITIONER = "senior_practitioner", "To senior practitioner"
    ADVANCED_PRACTITIONER = "advanced_practitioner", "To advanced practitioner"
    TEAM_MANAGER = "team_manager", "To team manager"
    OTHER = "other", "Other"


class Progression(AuthorityOwned):
    """A worker's step up on a date: from one band or grade to another, and the role when it
    changes. `team` is the team the worker was in on the date."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="progressions")
    date = models.DateField()
    kind = models.CharField(max_length=30, choices=ProgressionKind.choices)
    from_grade = models.CharField("from band or grade", max_length=30)
    to_grade = models.CharField("to band or grade", max_length=30)
    from_role = models.ForeignKey(
        Role, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_role = models.ForeignKey(
        Role, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-date", "worker"]
        indexes = [models.Index(fields=["authority", "date"])]

    def __str__(self) -> str:
        return f"{self.worker}: {self.from_grade} to {self.to_grade}"


class IncentiveKind(models.TextChoices):
    GOLDEN_HELLO = "golden_hello", "Golden hello"
    RETENTION = "retention", "Retention payment"
    MARKET_SUPPLEMENT = "market_supplement", "Market supplement"
    MERIT_INCREMENT = "merit_increment", "Merit increment"
    RELOCATION = "relocation", "Relocation"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when that month is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def whole_months(start: dt.date, day: dt.date) -> int:
    """Complete months from `start` to `day` (0 when `day` is before a month has passed)."""
    months = (day.year - start.year) * 12 + day.month - start.month
    if months > 0 and add_months(start, months) > day:
        months -= 1
    return max(months, 0)


class Incentive(AuthorityOwned):
    """A payment to recruit or keep a worker. Leaving within `clawback_months` of the day it was
    paid means paying back the months not served, pro rata (see `recovery_on`)."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="incentives")
    kind = models.CharField(max_length=20, choices=IncentiveKind.choices)
    amount = models.DecimalField("amount (£)", max_digits=10, decimal_places=2)
    paid_on = models.DateField("date paid")
    conditions = models.TextField(blank=True)
    clawback_months = models.PositiveSmallIntegerField(
        "clawback period (months)", default=0, help_text="0: nothing is paid back on leaving."
    )

    class Meta:
        ordering = ["-paid_on", "worker"]
        indexes = [models.Index(fields=["authority", "paid_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="incentive_amount_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of £{self.amount:,} to {self.worker}"

    @property
    def clawback_end(self) -> dt.date:
        """The first day leaving no longer pays anything back."""
        return add_months(self.paid_on, self.clawback_months)

    def in_clawback_on(self, day: dt.date) -> bool:
        return self.paid_on <= day < self.clawback_end

    def recovery_on(self, last_day: dt.date) -> Decimal:
        """What leaving with `last_day` pays back: the amount times the months of the period not
        served over the months of the period, counting only complete months served (pro rata),
        to the penny rounded half up; nothing once the period is over."""
        if not self.clawback_months or not self.in_clawback_on(last_day):
            return Decimal("0.00")
        remaining = self.clawback_months - whole_months(self.paid_on, last_day)
        share = self.amount * remaining / self.clawback_months
        return share.quantize(PENNY, rounding=ROUND_HALF_UP)


class Clawback(AuthorityOwned):
    """Money recovered from a leaver under an incentive's clawback."""

    incentive = models.ForeignKey(Incentive, on_delete=models.PROTECT, related_name="clawbacks")
    leaving = models.ForeignKey(Leaving, on_delete=models.PROTECT, related_name="clawbacks")
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="clawbacks")
    amount = models.DecimalField("amount recovered (£)", max_digits=10, decimal_places=2)
    recorded_on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_on"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="clawback_amount_not_negative"),
            models.UniqueConstraint(fields=["incentive"], name="clawback_once_per_incentive"),
        ]

    def __str__(self) -> str:
        return f"£{self.amount:,} recovered from {self.worker}"
