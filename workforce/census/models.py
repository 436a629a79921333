"""The history of census returns exported: who, when, which year, the file's checksum."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from workforce.core.models import AuthorityOwned


class CensusExport(AuthorityOwned):
    """One download of the CSWW return. The file itself is not kept (it holds personal data):
    its SHA-256 checksum says which file was sent."""

    year = models.PositiveSmallIntegerField(help_text="Census year ending 30 September.")
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="census_exports"
    )
    sha256 = models.CharField("SHA-256 checksum", max_length=64)
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"CSWW {self.year} return exported {self.created_at:%d %B %Y %H:%M}"
