"""Reads for benchmarks: the values in force (each from the latest release that gives it), an
authority's statistical neighbours, and the history of a revised value."""

from __future__ import annotations

from collections.abc import Iterable

from workforce.benchmarks.models import Area, PublishedValue, Release, StatisticalNeighbour


def current_values(
    measure: str, *, years: Iterable[int] | None = None, areas: Iterable[Area] | None = None
) -> dict[tuple[int, int], PublishedValue]:
    """`{(area id, year): value}` for one measure, each from the latest release that gives it
    (a revised year's revised value; the earlier release keeps what it published)."""
    values = PublishedValue.objects.filter(measure=measure).select_related("release")
    if years is not None:
        values = values.filter(year__in=list(years))
    if areas is not None:
        values = values.filter(area__in=list(areas))
    found: dict[tuple[int, int], PublishedValue] = {}
    for value in values.order_by("area_id", "year", "-release__loaded_at", "-release_id"):
        found.setdefault((value.area_id, value.year), value)
    return found


def published_history(area: Area, year: int, measure: str) -> list[PublishedValue]:
    """Every value published for the area, year and measure, the first release first."""
    return list(
        PublishedValue.objects.filter(area=area, year=year, measure=measure)
        .select_related("release")
        .order_by("release__loaded_at", "release_id")
    )


def neighbours(area: Area) -> list[Area]:
    """The area's ten statistical neighbours, closest first, from the latest release."""
    release = Release.objects.filter(neighbours__area=area).order_by("-loaded_at", "-pk").first()
    if release is None:
        return []
    return [
        n.neighbour
        for n in StatisticalNeighbour.objects.filter(release=release, area=area)
        .select_related("neighbour")
        .order_by("rank")
    ]
