"""Saved reports: the details, the chosen sections with the officer's narrative, and, once
issued, the document exactly as it was issued with its figures and the data version."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from workforce.core.models import AuthorityOwned
from workforce.reports.document import AUDIENCE_LABELS, Audience

NARRATIVE_LIMIT = 20_000  # characters of narrative a section may have


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ISSUED = "issued", "Issued"


class Marking(models.TextChoices):
    OFFICIAL = "OFFICIAL", "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"


AUDIENCE_CHOICES = [(str(a), AUDIENCE_LABELS[a]) for a in Audience]


class Report(AuthorityOwned):
    """A board or committee report. A draft is built from the figures whenever it is shown; an
    issued report keeps the document it was issued as and never changes."""

    title = models.CharField(max_length=200)
    audience = models.CharField(max_length=30, choices=AUDIENCE_CHOICES)
    report_date = models.DateField(help_text="The date the figures are at.")
    comparison_date = models.DateField(help_text="The date figures are compared with.")
    author = models.CharField(max_length=200, blank=True)
    protective_marking = models.CharField(max_length=30, choices=Marking.choices)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports_created"
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports_issued",
    )
    data_version = models.CharField(
        max_length=100,
        blank=True,
        help_text="The last audited change of the authority's records when issued, and when.",
    )
    document = models.JSONField(null=True, blank=True)  # the issued Document
    figures = models.JSONField(default=dict, blank=True)  # the issued figures by section

    class Meta:
        ordering = ["-report_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(issued_at__isnull=False, document__isnull=False),
                name="report_issued_has_document",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audience_enum(self) -> Audience:
        return Audience(self.audience)

    @property
    def board_mode(self) -> bool:
        return self.audience_enum.board_mode

    @property
    def is_issued(self) -> bool:
        return self.status == ReportStatus.ISSUED


class ReportSectionChoice(AuthorityOwned):
    """A section chosen for a report, its place in the report and the officer's narrative."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=100)
    position = models.PositiveIntegerField()
    narrative = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="report_section_once"),
        ]

    def __str__(self) -> str:
        return f"{self.report}: {self.key}"
