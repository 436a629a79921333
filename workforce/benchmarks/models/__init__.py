"""Benchmarks: DfE's published statistics for every area of England, the statistical neighbours
DfE publishes, comparator groups an authority defines for itself, and its pay beside comparator
authorities'."""

from workforce.benchmarks.models.groups import ComparatorGroup, ComparatorGroupMember
from workforce.benchmarks.models.pay import ComparatorPay, PayGrade, PayIncentiveKind
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
    "ComparatorPay",
    "NotAvailable",
    "PayGrade",
    "PayIncentiveKind",
    "Publication",
    "PublishedValue",
    "Release",
    "StatisticalNeighbour",
]
