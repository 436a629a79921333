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


class CensusSnapshot(AuthorityOwned):
    """A year's census figures as an imported return gave them, for what the records alone
    cannot give back: the LA-level figures as returned, and each worker's census items that are
    not kept as records (cases at 30 September, working days lost, absence at 30 September,
    contract weeks, knowledge and skills status)."""

    year = models.PositiveSmallIntegerField(help_text="Census year ending 30 September.")
    vacancies_fte = models.DecimalField(max_digits=8, decimal_places=2)
    agency_fte = models.DecimalField(max_digits=8, decimal_places=2)
    agency_headcount = models.PositiveIntegerField()
    sha256 = models.CharField("SHA-256 checksum of the file", max_length=64)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "year"], name="census_snapshot_year")
        ]

    def __str__(self) -> str:
        return f"CSWW {self.year} return as imported"


class CensusSnapshotWorker(AuthorityOwned):
    """One worker record's items of an imported return that are not kept as records."""

    snapshot = models.ForeignKey(CensusSnapshot, on_delete=models.CASCADE, related_name="workers")
    worker = models.ForeignKey(
        "establishment.Worker", on_delete=models.PROTECT, related_name="census_snapshots"
    )
    agency = models.BooleanField(default=False)
    role_start = models.DateField(
        null=True, blank=True, help_text="The record's RoleStartDate (employed records only)."
    )
    cases30 = models.PositiveIntegerField(null=True, blank=True)
    working_days_lost = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    contract_weeks = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    absent_at_30 = models.BooleanField(null=True, blank=True)
    reason_absence = models.CharField(max_length=3, blank=True)
    cfkss_status = models.CharField(max_length=2, blank=True)

    class Meta:
        ordering = ["snapshot", "worker", "agency", "role_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "worker", "agency", "role_start"],
                name="census_snapshot_worker_record",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker} in the CSWW {self.snapshot.year} return"
