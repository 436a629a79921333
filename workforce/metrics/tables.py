"""The dashboard's tables and downloads, built once from the figures for the page and the files."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from workforce.core.tables import Column, Kind, Table
from workforce.metrics import selectors
from workforce.metrics.measures import REGISTRY, Unit
from workforce.metrics.models import Target

# How each unit of measure is shown: the column type, decimal places and the unit in headings.
UNIT_COLUMNS: dict[Unit, tuple[Kind, int, str]] = {
    Unit.FTE: (Kind.FTE, 2, ""),
    Unit.COUNT: (Kind.COUNT, 0, ""),
    Unit.RATE: (Kind.PERCENT, 1, "%"),
    Unit.YEARS: (Kind.DECIMAL, 1, "years"),
    Unit.DAYS: (Kind.DECIMAL, 1, ""),
}

NOT_ADDITIVE = (
    "Vacancy is worked out for each role within each team, as in the establishment table, so "
    "the rows' vacancies can add up to more than the whole when one team's vacancy is filled "
    "from another's surplus. Rates are of each row's own figures, so they do not add up."
)


def measure_column(key: str) -> Column:
    measure = REGISTRY[key]
    kind, places, unit = UNIT_COLUMNS[measure.unit]
    if measure.unit == Unit.COUNT and measure.denominator:
        kind, places = Kind.DECIMAL, 1  # a count per something (average caseload) has a fraction
    return Column(key, measure.label, kind, places=places, unit=unit)


def breakdown_table(
    rows: Sequence[selectors.BreakdownRow],
    *,
    by: str,
    whole: Mapping[str, Any] | None,
    keys: Sequence[str] = selectors.BREAKDOWN,
) -> Table:
    """The breakdown by team or by role, with the whole (not the sum of the rows) as totals."""
    first = "Team" if by == "team" else "Role"
    return Table(
        f"By {by}",
        [Column(by, first), *[measure_column(k) for k in keys]],
        [[row.label, *[row.values[k] for k in keys]] for row in rows],
        totals=None if whole is None else ["All", *[whole[k] for k in keys]],
        notes=[NOT_ADDITIVE],
        key=f"{by}s",
        empty="No posts or people match these filters on this date.",
    )


def series_table(series: selectors.Series, keys: Sequence[str]) -> Table:
    return Table(
        "Monthly series of every measure",
        [Column("month_end", "Month end", Kind.DATE), *[measure_column(k) for k in keys]],
        [[day, *[series.values[k][i] for k in keys]] for i, day in enumerate(series.dates)],
    )


TARGET_COLUMNS = [
    Column("measure", "Measure"),
    Column("comparison", "Comparison"),
    Column("target", "Target", Kind.DECIMAL, places=2),
    Column("unit", "Unit"),
    Column("by", "By", Kind.DATE),
    Column("for", "For"),
    Column("notes", "Notes"),
]


def targets_table(targets: Iterable[Target]) -> Table:
    """Targets as the list shows them, each value a number with its % in a column of its own."""
    rows: list[list[Any]] = []
    for target in targets:
        measure = REGISTRY.get(target.measure)
        rows.append(
            [
                measure.label if measure else target.measure,
                target.get_comparison_display(),
                target.value,
                "%" if measure and measure.is_rate else "",
                target.by_date,
                target.team.name if target.team else "Whole authority",
                target.notes,
            ]
        )
    return Table("Targets", TARGET_COLUMNS, rows)
