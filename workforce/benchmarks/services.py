"""Writes for benchmarks: the reference data (area changes, DfE's published statistics) and
comparator groups."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from workforce.benchmarks import importers
from workforce.benchmarks.models import Area, AreaChange, ComparatorGroup, ComparatorGroupMember
from workforce.core.models import Authority

REFERENCE = Path(__file__).resolve().parent / "reference"
AREA_CHANGES = REFERENCE / "area_changes.csv"
# DfE's files as published, loaded in this order (the neighbours name the authorities the
# statistics files have already brought in).
STATISTICS_FILES = (
    "csww_indicators_2017_to_2025.csv",
    "b1_children_in_need_2013_to_2025.csv",
    "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv",
    "la_cla_swcount.csv",
    "statistical_neighbours_2025.csv",
)


def register_reference_data() -> None:
    from workforce.core.services import register_reference_loader

    register_reference_loader("benchmarks", load_reference_data)


def load_reference_data(*, published_statistics: bool = False) -> dict[str, int]:
    """The area changes always (a few rows); DfE's statistics files when
    `published_statistics`, each loaded once (a file loaded already changes nothing)."""
    counts = {"area changes": load_area_changes()}
    if published_statistics:
        releases = 0
        for name in STATISTICS_FILES:
            path = REFERENCE / name
            outcome = importers.read(path.read_bytes(), apply=True, filename=name)
            if outcome.error_count:
                first = outcome.errors[0]
                raise ValidationError(
                    f"{name}, line {first.line}, column {first.column}: {first.message}"
                )
            releases += outcome.counts.get("Release", {}).get("create", 0)
        counts["statistics releases loaded"] = releases
    return counts


def load_area_changes() -> int:
    with AREA_CHANGES.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        AreaChange.objects.update_or_create(
            kind=row["kind"],
            from_code=row["from_code"],
            to_code=row["to_code"],
            effective=dt.date.fromisoformat(row["effective"]),
            defaults={
                "from_name": row["from_name"],
                "to_name": row["to_name"],
                "from_ons_code": row["from_ons_code"],
                "to_ons_code": row["to_ons_code"],
                "source": row["source"],
            },
        )
    return len(rows)


@transaction.atomic
def create_group(
    *, authority: Authority, name: str, areas: list[Area], description: str = ""
) -> ComparatorGroup:
    """A comparator group of the authority's own, of local authorities."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the group, for example Core cities."})
    if ComparatorGroup.objects.filter(authority=authority, name=name).exists():
        raise ValidationError({"name": f"There is already a group called {name}."})
    if not areas:
        raise ValidationError({"areas": "Choose at least one authority for the group."})
    if any(area.level != "local_authority" for area in areas):
        raise ValidationError({"areas": "A comparator group is of local authorities only."})
    group = ComparatorGroup.objects.create(
        authority=authority, name=name, description=(description or "").strip()
    )
    for area in {a.pk: a for a in areas}.values():
        ComparatorGroupMember.objects.create(group=group, area=area)
    return group
