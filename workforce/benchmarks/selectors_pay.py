"""Reads for pay compared: the authority's salary range for each role beside comparator
authorities', the comparators' median, and where the authority sits. The page, its downloads
and the board report section all take their figures from `pay_comparison`.

On a date D:

- a grade's range is its record with the latest "effective from" on or before D;
- the authority's range for a role runs from the lowest minimum to the highest maximum of the
  role's grades on D;
- a comparator's range for a role comes from its entries with the latest "applies to" date on
  or before D (when it gave several grades on that date, the lowest minimum to the highest
  maximum); older entries are history and are not compared;
- the comparators' median minimum (maximum) is the median of their minimums (maximums): the
  middle value, or the mean of the two middle values when there is an even number, to the
  penny rounded half up.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet

from workforce.benchmarks.models.pay import ComparatorPay, PayGrade
from workforce.core.access import AUTHORITY_WIDE, Scope
from workforce.core.dates import day_text
from workforce.core.models import Authority
from workforce.core.tables import Column, Kind, Table
from workforce.establishment.models import Role

PENNY = Decimal("0.01")
OWN_SOURCE = "Our pay grades"
DEFINITIONS = (
    "Each comparator's range is from its latest entry for the role on or before the date; "
    "the median is the middle of the comparators' values (the mean of the two middle values "
    "when there is an even number). Our range runs from the lowest minimum to the highest "
    "maximum of the role's grades in effect on the date."
)


def pay_grades(scope: Scope) -> QuerySet[PayGrade]:
    """Every pay grade record of the authority, current and past (grades belong to the
    authority, not a team: everyone who may see its figures may see them)."""
    return scope.records(PayGrade.objects.select_related("role"), team=AUTHORITY_WIDE)


def comparator_entries(scope: Scope) -> QuerySet[ComparatorPay]:
    return scope.records(
        ComparatorPay.objects.select_related("role", "comparator"), team=AUTHORITY_WIDE
    )


def roles(scope: Scope) -> QuerySet[Role]:
    """The authority's roles, for choosing one on a form."""
    return Role.objects.filter(authority=scope.authority).order_by("order", "title")


def comparator_authorities(scope: Scope) -> QuerySet[Authority]:
    """Every authority but the user's own, for choosing a comparator."""
    return Authority.objects.exclude(pk=scope.authority.pk).order_by("name")


def median(values: list[Decimal]) -> Decimal | None:
    """The middle value (the mean of the two middle ones), to the penny rounded half up."""
    if not values:
        return None
    return Decimal(statistics.median(values)).quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ComparatorRange:
    """One comparator's range for a role on the date, from its latest entries."""

    authority: Authority
    entries: tuple[ComparatorPay, ...]

    @property
    def minimum(self) -> Decimal:
        return min(e.minimum for e in self.entries)

    @property
    def maximum(self) -> Decimal:
        return max(e.maximum for e in self.entries)


@dataclass
class RoleComparison:
    role: Role
    grades: list[PayGrade] = field(default_factory=list)  # ours in effect on the date
    comparators: list[ComparatorRange] = field(default_factory=list)

    @property
    def own_minimum(self) -> Decimal | None:
        return min((g.minimum for g in self.grades), default=None)

    @property
    def own_maximum(self) -> Decimal | None:
        return max((g.maximum for g in self.grades), default=None)

    @property
    def grade_names(self) -> str:
        return ", ".join(g.grade for g in self.grades)

    @property
    def median_minimum(self) -> Decimal | None:
        return median([c.minimum for c in self.comparators])

    @property
    def median_maximum(self) -> Decimal | None:
        return median([c.maximum for c in self.comparators])

    @property
    def minimum_gap(self) -> Decimal | None:
        """Our minimum less the comparators' median minimum (negative: below)."""
        if self.own_minimum is None or self.median_minimum is None:
            return None
        return self.own_minimum - self.median_minimum

    @property
    def maximum_gap(self) -> Decimal | None:
        if self.own_maximum is None or self.median_maximum is None:
            return None
        return self.own_maximum - self.median_maximum

    @property
    def position(self) -> str:
        """Where the authority sits against the comparators' median, in words."""
        if not self.grades:
            return "No grade of ours in effect"
        if not self.comparators:
            return "No comparators"
        low, high = _side(self.minimum_gap), _side(self.maximum_gap)
        if low == high:
            return f"{low.capitalize()} the median"
        return f"Minimum {low}, maximum {high} the median"

    @property
    def slug(self) -> str:
        return f"role-{self.role.pk}"


def _side(gap: Decimal | None) -> str:
    if gap is None or gap == 0:
        return "at"
    return "above" if gap > 0 else "below"


def pay_comparison(scope: Scope, *, on: dt.date) -> list[RoleComparison]:
    """For each role with a grade of ours or a comparator's entry on `on`: our grades in effect
    and each comparator's latest range, in the roles' order."""
    by_role: dict[int, RoleComparison] = {}

    def for_role(role: Role) -> RoleComparison:
        return by_role.setdefault(role.pk, RoleComparison(role=role))

    latest_grade: dict[tuple[int, str], PayGrade] = {}
    for grade in pay_grades(scope).filter(effective_from__lte=on).order_by("effective_from", "pk"):
        latest_grade[(grade.role_id, grade.grade.casefold())] = grade
    for grade in latest_grade.values():
        for_role(grade.role).grades.append(grade)

    latest: dict[tuple[int, int], list[ComparatorPay]] = defaultdict(list)
    for entry in comparator_entries(scope).filter(applies_on__lte=on):
        key = (entry.role_id, entry.comparator_id)
        found = latest[key]
        if found and found[0].applies_on > entry.applies_on:
            continue
        if found and found[0].applies_on < entry.applies_on:
            found.clear()
        found.append(entry)
    for entries in latest.values():
        ordered = tuple(sorted(entries, key=lambda e: (e.minimum, e.maximum, e.pk)))
        for_role(entries[0].role).comparators.append(
            ComparatorRange(entries[0].comparator, ordered)
        )

    comparisons = sorted(by_role.values(), key=lambda c: (c.role.order, c.role.title, c.role.pk))
    for comparison in comparisons:
        comparison.grades.sort(key=lambda g: (g.minimum, g.grade))
        comparison.comparators.sort(key=lambda c: (c.authority.name, c.authority.pk))
    return comparisons


# Tables ----------------------------------------------------------------------------------------

SUMMARY_COLUMNS = [
    Column("role", "Role"),
    Column("grades", "Our grades"),
    Column("own_minimum", "Our minimum", Kind.MONEY, places=0),
    Column("own_maximum", "Our maximum", Kind.MONEY, places=0),
    Column("comparators", "Comparators", Kind.COUNT),
    Column("median_minimum", "Median minimum", Kind.MONEY, places=0),
    Column("median_maximum", "Median maximum", Kind.MONEY, places=0),
    Column("minimum_gap", "Our minimum against the median", Kind.MONEY, places=0, brackets=True),
    Column("maximum_gap", "Our maximum against the median", Kind.MONEY, places=0, brackets=True),
    Column("position", "Where we sit"),
]


def summary_table(comparisons: list[RoleComparison], *, on: dt.date) -> Table:
    """One row per role: our range, the comparators' median range, and where we sit."""
    rows = [
        [
            c.role.title,
            c.grade_names or None,
            c.own_minimum,
            c.own_maximum,
            len(c.comparators),
            c.median_minimum,
            c.median_maximum,
            c.minimum_gap,
            c.maximum_gap,
            c.position,
        ]
        for c in comparisons
    ]
    return Table(
        title=f"Salary ranges against comparator authorities on {day_text(on)}",
        columns=SUMMARY_COLUMNS,
        rows=rows,
        notes=[
            "Figures against the median in brackets are below it.",
            DEFINITIONS,
        ],
        key="summary",
        empty="No pay grades or comparator pay are recorded for this date.",
    )


ROLE_COLUMNS = [
    Column("authority", "Authority"),
    Column("grade", "Grade"),
    Column("minimum", "Minimum", Kind.MONEY, places=0),
    Column("maximum", "Maximum", Kind.MONEY, places=0),
    Column("spinal_points", "Spinal points"),
    Column("incentive", "Incentive"),
    Column("incentive_amount", "Incentive amount", Kind.MONEY, places=0),
    Column("applies_on", "Applies from", Kind.DATE),
    Column("source", "Source"),
]


def _points(record: PayGrade | ComparatorPay) -> str | None:
    if record.spinal_point_minimum is None:
        return None
    return f"{record.spinal_point_minimum} to {record.spinal_point_maximum}"


def role_table(comparison: RoleComparison, *, authority: Authority, on: dt.date) -> Table:
    """Our grades for the role, then each comparator's latest entries, and the median."""
    rows: list[list[Any]] = [
        [
            f"{authority.name} (us)",
            g.grade,
            g.minimum,
            g.maximum,
            _points(g),
            None,
            None,
            g.effective_from,
            OWN_SOURCE,
        ]
        for g in comparison.grades
    ]
    for found in comparison.comparators:
        for e in found.entries:
            rows.append(
                [
                    found.authority.name,
                    e.grade or None,
                    e.minimum,
                    e.maximum,
                    _points(e),
                    e.get_incentive_kind_display() or None,
                    e.incentive_amount,
                    e.applies_on,
                    e.source,
                ]
            )
    totals: list[Any] | None = None
    if comparison.comparators:
        count = len(comparison.comparators)
        totals = [
            f"Median of {count} comparator{'s' if count != 1 else ''}",
            None,
            comparison.median_minimum,
            comparison.median_maximum,
            None,
            None,
            None,
            None,
            None,
        ]
    return Table(
        title=f"{comparison.role.title}: salary ranges on {day_text(on)}",
        columns=ROLE_COLUMNS,
        rows=rows,
        totals=totals,
        notes=[f"Where we sit: {comparison.position.lower()}."],
        key=comparison.slug,
    )


def range_chart(comparison: RoleComparison, *, authority: Authority) -> dict[str, Any]:
    """A bar from minimum to maximum for us and each comparator, with the comparators' median
    minimum and maximum as dashed lines (Vega-Lite, data inline; the numbers are in the role's
    table beside it)."""
    import altair as alt

    from workforce.metrics.charts import PALETTE

    us = f"{authority.name} (us)"
    values: list[dict[str, Any]] = []
    if comparison.own_minimum is not None and comparison.own_maximum is not None:
        values.append(
            {
                "authority": us,
                "who": "Us",
                "minimum": float(comparison.own_minimum),
                "maximum": float(comparison.own_maximum),
            }
        )
    values += [
        {
            "authority": c.authority.name,
            "who": "Comparator",
            "minimum": float(c.minimum),
            "maximum": float(c.maximum),
        }
        for c in comparison.comparators
    ]
    order = [v["authority"] for v in values]
    money = alt.Axis(format=",.0f", title="Salary (£ a year)")
    bars = (
        alt.Chart(alt.Data(values=values))
        .mark_bar(height=14)
        .encode(
            y=alt.Y("authority:N", title=None, sort=order),
            x=alt.X("minimum:Q", axis=money, scale=alt.Scale(zero=False)),
            x2="maximum:Q",
            color=alt.Color(
                "who:N",
                title=None,
                scale=alt.Scale(domain=["Us", "Comparator"], range=[PALETTE[0], "#b1b4b6"]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("authority:N", title="Authority"),
                alt.Tooltip("minimum:Q", title="Minimum (£)", format=",.0f"),
                alt.Tooltip("maximum:Q", title="Maximum (£)", format=",.0f"),
            ],
        )
    )
    layers: list[Any] = [bars]
    medians = [
        {"median": label, "value": float(value)}
        for label, value in (
            ("Median minimum", comparison.median_minimum),
            ("Median maximum", comparison.median_maximum),
        )
        if value is not None
    ]
    if medians:
        layers.append(
            alt.Chart(alt.Data(values=medians))
            .mark_rule(strokeDash=[4, 3], color=PALETTE[1], strokeWidth=2)
            .encode(
                x=alt.X("value:Q"),
                tooltip=[
                    alt.Tooltip("median:N", title="Line"),
                    alt.Tooltip("value:Q", title="£", format=",.0f"),
                ],
            )
        )
    chart = alt.layer(*layers).properties(
        width="container",
        height=28 * max(len(values), 1),
        title=f"{comparison.role.title}: salary ranges",
    )
    spec: dict[str, Any] = chart.to_dict()
    spec["description"] = chart_summary(comparison, authority=authority)
    return spec


def chart_summary(comparison: RoleComparison, *, authority: Authority) -> str:
    """The chart in a sentence."""
    count = len(comparison.comparators)
    if not comparison.grades:
        return (
            f"The ranges of {count} comparator{'s' if count != 1 else ''} are recorded for the "
            "role; we have no grade for it in effect."
        )
    ours = f"£{comparison.own_minimum:,.0f} to £{comparison.own_maximum:,.0f}"
    if not count:
        return f"Our range is {ours}; no comparator's pay is recorded for the role."
    median_range = f"£{comparison.median_minimum:,.0f} to £{comparison.median_maximum:,.0f}"
    return (
        f"Our range is {ours}; the median of {count} comparator{'s' if count != 1 else ''} "
        f"is {median_range}. {comparison.position}."
    )
