"""The history of imports: each file read, who read it, when, its checksum and what it did."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from workforce.core.models import AuthorityOwned


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "Checked, not imported"
    APPLIED = "applied", "Imported"
    REFUSED = "refused", "Refused"
    DISCARDED = "discarded", "Not imported"


class ImportRun(AuthorityOwned):
    """One file put through an importer: first checked (a dry run), then imported or not.

    While a checked file waits for the decision its bytes are kept in `data`, so the import
    reads exactly the file that was checked; they are cleared once it is imported, refused or
    discarded. The SHA-256 checksum says which file it was ever after.
    """

    kind = models.CharField(max_length=30, help_text="Which importer read the file.")
    filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(help_text="The file's size in bytes.")
    sha256 = models.CharField("SHA-256 checksum", max_length=64)
    status = models.CharField(max_length=20, choices=ImportStatus.choices)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imports_checked",
        help_text="Empty when the file was read on the command line.",
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imports_applied",
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, help_text="Records created, changed and matched.")
    problems = models.JSONField(default=list)
    entries = models.JSONField(default=list)
    summary = models.JSONField(default=dict, help_text="What the importer says about the file.")
    data = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def can_apply(self) -> bool:
        return self.status == ImportStatus.PREVIEWED and self.data is not None
