"""Leavers and exit interviews: the authority's list of exit themes and the interviews held with
people who gave notice or left.

An interview is held with someone who has given notice (`notice_given_on`) or has already left.
Its outcome is "left" (tied to their `Leaving`) or "retained" (they stayed: no leaving after
it). The free-text exit fields on `establishment.Leaving` stay as they were (notes kept with the
leaving); the structured themes counted over time are these interviews'.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from workforce.core.models import AuthorityOwned
from workforce.establishment.models import Leaving, Worker

# The themes each authority starts with (it may add its own and retire any).
DEFAULT_THEMES: tuple[str, ...] = (
    "Caseload",
    "Hours",
    "Supervision and support",
    "Management",
    "Office and equipment",
    "Pay",
    "Progression",
    "Travel",
    "Personal",
    "Retirement",
)


class ExitTheme(AuthorityOwned):
    """One reason for leaving an authority counts interviews under."""

    label = models.CharField(max_length=60)
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in lists.")
    is_active = models.BooleanField(default=True, help_text="Offered for new interviews.")

    class Meta:
        ordering = ("order", "label")
        constraints = [
            models.UniqueConstraint(fields=("authority", "label"), name="exit_theme_label_unique")
        ]

    def __str__(self) -> str:
        return self.label


class ExitOutcome(models.TextChoices):
    LEFT = "left", "Left"
    RETAINED = "retained", "Retained"


class ExitInterview(AuthorityOwned):
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="exit_interviews")
    held_on = models.DateField("date of the interview")
    notice_given_on = models.DateField("notice given on", null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=ExitOutcome.choices)
    leaving = models.OneToOneField(
        Leaving,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exit_interview",
        help_text="The leaving an interview with the outcome 'left' is about.",
    )
    themes = models.ManyToManyField(ExitTheme, blank=True, related_name="interviews")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ("-held_on", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(notice_given_on__isnull=True)
                | Q(notice_given_on__lte=models.F("held_on")),
                name="exit_interview_after_notice",
            ),
            models.CheckConstraint(
                condition=Q(outcome="left", leaving__isnull=False)
                | Q(outcome="retained", leaving__isnull=True, notice_given_on__isnull=False),
                name="exit_interview_outcome_matches_leaving",
            ),
        ]

    def __str__(self) -> str:
        return f"Exit interview with {self.worker} on {self.held_on:%-d %B %Y}"
