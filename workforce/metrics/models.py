"""Targets a workforce lead sets for the measures, each by a date."""

from __future__ import annotations

from django.db import models

from workforce.core.models import AuthorityOwned


class Comparison(models.TextChoices):
    AT_MOST = "le", "At most"
    AT_LEAST = "ge", "At least"


class Target(AuthorityOwned):
    """For example: agency rate at most 20% by 1 October 2026, for the whole authority."""

    measure = models.CharField(max_length=40)
    comparison = models.CharField(max_length=2, choices=Comparison.choices)
    value = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        help_text="In the measure's units as shown: a percentage for rates, FTE, people or years.",
    )
    by_date = models.DateField("by")
    team = models.ForeignKey(
        "establishment.Team",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        help_text="Leave empty for a target for the whole authority.",
    )
    notes = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["measure", "by_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "measure", "team", "by_date"],
                name="target_unique_per_date",
            ),
        ]
        indexes = [models.Index(fields=["authority", "measure", "by_date"])]

    def __str__(self) -> str:
        return (
            f"{self.measure} {self.get_comparison_display().lower()} {self.value} by {self.by_date}"
        )

    def is_met_by(self, shown: object) -> bool:
        """Whether a value in display units meets this target."""
        from decimal import Decimal

        if shown is None:
            return False
        value = Decimal(str(shown))
        return value <= self.value if self.comparison == Comparison.AT_MOST else value >= self.value


class DataVersion(models.Model):
    """How often an authority's workforce records have changed.

    Database triggers (migration 0002) add one on every insert, update and delete of the records
    the stored figures are computed from, whatever makes the change: a service, a bulk load, the
    admin or SQL typed by hand. Not a foreign key, so a table's rows may be removed in any order.
    """

    authority_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"authority {self.authority_id}: version {self.version}"


class StoredFigures(models.Model):
    """An authority's census workforce components at consecutive month ends (see `stored`).

    `figures` maps each component to its values from `first_month` on, as integers (FTE and
    days in hundredths where `scaled` names them). Valid while `version` is the authority's
    current `DataVersion`.
    """

    authority_id = models.BigIntegerField(primary_key=True)
    version = models.BigIntegerField()
    first_month = models.DateField()
    months = models.PositiveIntegerField()
    figures = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"authority {self.authority_id}: {self.months} months from {self.first_month}"
