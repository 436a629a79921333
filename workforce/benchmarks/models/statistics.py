"""DfE's published statistics, as published: each value belongs to the release it came in.

A release is one file of one publication, loaded once (its SHA-256 checksum says which file).
When DfE revises a year, the next release carries the revised value and the earlier release
keeps what was published before: nothing is overwritten. The value in force for a year is the
one in the latest release that gives it (`selectors.current_values`).

A value DfE did not publish (suppressed, not applicable, not collected) is kept with its reason
and no number: never as zero.
"""

from __future__ import annotations

from django.db import models

from workforce.core.models import Authority


class Publication(models.TextChoices):
    CSWW = "csww", "Children's social work workforce: indicators"
    CIN_B1 = "cin_b1", "Children in need: episodes (table B1)"
    CIN_C1 = "cin_c1", "Children in need: referrals and re-referrals (table C1)"
    CLA_SWCOUNT = "cla_swcount", "Children looked after: social workers during the year"
    NEIGHBOURS = "neighbours", "Children's services statistical neighbours"


class Release(models.Model):
    publication = models.CharField(max_length=20, choices=Publication.choices)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256 checksum", max_length=64, unique=True)
    first_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The earliest time period it gives."
    )
    last_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The latest time period it gives (the neighbours' year from the file's name).",
    )
    loaded_at = models.DateTimeField()
    rows = models.PositiveIntegerField(help_text="Rows of data in the file.")

    class Meta:
        ordering = ["publication", "loaded_at", "pk"]

    def __str__(self) -> str:
        years = (
            f" {self.first_year}"
            if self.first_year == self.last_year
            else f" {self.first_year} to {self.last_year}"
        )
        return self.get_publication_display() + (years if self.last_year else "")


class AreaLevel(models.TextChoices):
    NATIONAL = "national", "National"
    REGIONAL = "regional", "Regional"
    LOCAL_AUTHORITY = "local_authority", "Local authority"


# How DfE's files name each level in their geographic_level column.
LEVEL_NAMES = {
    "National": AreaLevel.NATIONAL,
    "Regional": AreaLevel.REGIONAL,
    "Local authority": AreaLevel.LOCAL_AUTHORITY,
}


class Area(models.Model):
    """England, a region, or a local authority as DfE publishes it.

    `code` is the key: the country code for England (E92000001), the region code for a region
    (E12000001; Inner and Outer London are E13000001 and E13000002), and the DfE LA code for a
    local authority (333). Some authorities report together (Kingston upon Thames and Richmond
    upon Thames as "314 / 318"): that area is `combined`, and its parts are in `AreaChange`.
    `ons_code` is the latest ONS code published for it (ONS codes change with boundaries).
    """

    level = models.CharField(max_length=20, choices=AreaLevel.choices)
    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=160)
    ons_code = models.CharField("ONS code", max_length=30, blank=True)
    region = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="areas",
        limit_choices_to={"level": AreaLevel.REGIONAL},
    )
    combined = models.BooleanField(
        default=False, help_text="Two or more authorities reporting as one."
    )
    authority = models.ForeignKey(
        Authority,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The authority in this system with the same DfE LA code, if any.",
    )

    class Meta:
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return (
            self.name if self.level != AreaLevel.LOCAL_AUTHORITY else f"{self.name} ({self.code})"
        )


class AreaChange(models.Model):
    """An authority that ended, split, merged or reports together with another, or changed its
    ONS code: from the committed list `reference/area_changes.csv`, with its source."""

    class Kind(models.TextChoices):
        SPLIT = "split", "Split into new authorities"
        MERGED = "merged", "Merged into a new authority"
        REPORTS_COMBINED = "reports_combined", "Reports together with another authority"
        CODE_CHANGED = "code_changed", "ONS code changed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    effective = models.DateField(help_text="The day the change took effect.")
    from_code = models.CharField(max_length=30, help_text="DfE LA code before (or the part).")
    from_name = models.CharField(max_length=160)
    to_code = models.CharField(max_length=30, help_text="DfE LA code after (or the whole).")
    to_name = models.CharField(max_length=160)
    from_ons_code = models.CharField(max_length=30, blank=True)
    to_ons_code = models.CharField(max_length=30, blank=True)
    source = models.CharField(max_length=300)

    class Meta:
        ordering = ["effective", "from_code", "to_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "from_code", "to_code", "effective"], name="one_area_change"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_name} → {self.to_name} ({self.get_kind_display()}, {self.effective})"


class NotAvailable(models.TextChoices):
    """DfE's symbols for a value not published (GSS guidance on symbols in statistics)."""

    NOT_AVAILABLE = "x", "Not available"
    NOT_APPLICABLE = "z", "Not applicable"
    CONFIDENTIAL = "c", "Suppressed to protect confidentiality"
    LOW_RELIABILITY = "u", "Low reliability"
    LOW = "low", "Rounds to zero but is not zero"


class PublishedValue(models.Model):
    """One number of one release: a measure (a column of the file) for an area and year.
    Either `value` or `not_available` is set, never both."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="values")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="values")
    year = models.PositiveSmallIntegerField(help_text="DfE's time period.")
    measure = models.CharField(max_length=60, help_text="A key of benchmarks.measures.SOURCES.")
    value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    not_available = models.CharField(
        max_length=3, choices=NotAvailable.choices, blank=True, help_text="Why there is no value."
    )

    class Meta:
        ordering = ["release", "measure", "area", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "area", "year", "measure"], name="one_value_per_release"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(value__isnull=False, not_available="")
                    | models.Q(value__isnull=True) & ~models.Q(not_available="")
                ),
                name="value_or_reason",
            ),
        ]
        indexes = [models.Index(fields=["measure", "year", "area"])]

    def __str__(self) -> str:
        shown = self.value if self.value is not None else self.get_not_available_display()
        return f"{self.measure} {self.year} {self.area.code}: {shown}"


class StatisticalNeighbour(models.Model):
    """One of an authority's ten statistical neighbours, in DfE's order (1 is the closest)."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="neighbours")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="neighbours")
    rank = models.PositiveSmallIntegerField()
    neighbour = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    closeness = models.CharField(max_length=30, help_text="DfE's words: Very close, Close...")

    class Meta:
        ordering = ["release", "area", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["release", "area", "rank"], name="one_neighbour_rank"),
            models.UniqueConstraint(
                fields=["release", "area", "neighbour"], name="one_neighbour_each"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area.code} #{self.rank}: {self.neighbour.code}"
