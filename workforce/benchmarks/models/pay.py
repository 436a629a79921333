"""Pay and incentives compared: the authority's own pay grades by role, and what comparator
authorities pay for the same roles, each entry with the date it applies to and its source (as
Leeds's scrutiny board set its salaries beside West Yorkshire's and the core cities', and Slough
ran a regional benchmarking exercise before agreeing its incentives)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from workforce.core.models import Authority, AuthorityOwned
from workforce.establishment.models import Role


class PayIncentiveKind(models.TextChoices):
    MARKET_SUPPLEMENT = "market_supplement", "Market supplement"
    GOLDEN_HELLO = "golden_hello", "Golden hello"
    RETENTION = "retention", "Retention payment"
    RELOCATION = "relocation", "Relocation"
    OTHER = "other", "Other incentive"


class PayGrade(AuthorityOwned):
    """One of the authority's grades for a role, with its salary range from a date. A pay award
    is a new record of the same grade from the date it takes effect; the old one stays for the
    past."""

    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField("grade", max_length=40)
    minimum = models.DecimalField("salary minimum (£)", max_digits=9, decimal_places=2)
    maximum = models.DecimalField("salary maximum (£)", max_digits=9, decimal_places=2)
    spinal_point_minimum = models.PositiveSmallIntegerField(
        "lowest spinal point", null=True, blank=True
    )
    spinal_point_maximum = models.PositiveSmallIntegerField(
        "highest spinal point", null=True, blank=True
    )
    effective_from = models.DateField("effective from")

    class Meta:
        ordering = ["role__order", "role__title", "grade", "-effective_from"]
        constraints = [
            models.CheckConstraint(condition=Q(minimum__gt=0), name="pay_grade_minimum_positive"),
            models.CheckConstraint(
                condition=Q(maximum__gte=F("minimum")), name="pay_grade_maximum_not_below_minimum"
            ),
            models.UniqueConstraint(
                fields=["authority", "role", "grade", "effective_from"],
                name="pay_grade_once_per_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.grade}"


class ComparatorPay(AuthorityOwned):
    """What another authority pays for one of our roles, as the authority found it: the range,
    any market supplement or other incentive, the date the information applies to and where it
    came from ("Regional benchmarking exercise, May 2015", or the address of a published pay
    scale)."""

    comparator = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", verbose_name="comparator authority"
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField("their grade", max_length=40, blank=True)
    minimum = models.DecimalField("salary minimum (£)", max_digits=9, decimal_places=2)
    maximum = models.DecimalField("salary maximum (£)", max_digits=9, decimal_places=2)
    spinal_point_minimum = models.PositiveSmallIntegerField(
        "lowest spinal point", null=True, blank=True
    )
    spinal_point_maximum = models.PositiveSmallIntegerField(
        "highest spinal point", null=True, blank=True
    )
    incentive_kind = models.CharField(
        "incentive", max_length=20, choices=PayIncentiveKind.choices, blank=True
    )
    incentive_amount = models.DecimalField(
        "incentive amount (£ a year or once)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    applies_on = models.DateField("date the information applies to")
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["role__order", "role__title", "comparator__name", "-applies_on"]
        verbose_name = "comparator pay"
        verbose_name_plural = "comparator pay"
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum__gt=0), name="comparator_pay_minimum_positive"
            ),
            models.CheckConstraint(
                condition=Q(maximum__gte=F("minimum")),
                name="comparator_pay_maximum_not_below_minimum",
            ),
            models.CheckConstraint(
                condition=(Q(incentive_kind="") & Q(incentive_amount__isnull=True))
                | (~Q(incentive_kind="") & Q(incentive_amount__gt=0)),
                name="comparator_pay_incentive_with_amount",
            ),
            models.CheckConstraint(
                condition=~Q(comparator=F("authority")), name="comparator_pay_not_own_authority"
            ),
        ]
        indexes = [models.Index(fields=["authority", "role", "applies_on"])]

    def __str__(self) -> str:
        return f"{self.comparator.name}: {self.role}"
