"""Benchmarks: DfE's published statistics for every area of England, the statistical neighbours
DfE publishes, and comparator groups an authority defines for itself."""

from workforce.benchmarks.models.groups import ComparatorGroup, ComparatorGroupMember
from workforce.benchmarks.models.statistics import (
    Area,
    AreaChange,
    AreaLevel,
    NotAvailable,
    Publication,
    PublishedValue,
    Release,
    StatisticalNeighbour,
)

__all__ = [
    "Area",
    "AreaChange",
    "AreaLevel",
    "ComparatorGroup",
    "ComparatorGroupMember",
    "NotAvailable",
    "Publication",
    "PublishedValue",
    "Release",
    "StatisticalNeighbour",
]
