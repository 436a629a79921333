"""Reads for the comparison page: one authority's published values for a measure beside its
comparators (DfE's statistical neighbours or a group of its own), its region and England, its
rank among every local authority, and, for the user's own authority, the live figure from this
system's records (the figures registry, `workforce.metrics`) with the same definition.

Set-based: the area, its comparators, every published value of the measure since 2017 (all
areas at once: the ranks need every authority) and, for the own authority, one live series.

Quartiles are the inclusive kind (Excel's QUARTILE.INC, Python's `statistics.quantiles(...,
method="inclusive")`): with values sorted x[0] ≤ … ≤ x[n-1], the quartile p is read at position
(n − 1) × p, between the two values either side in proportion. The median is the quartile 0.5.
A rank is 1 for the best value in the measure's direction; equal values share a rank and the
next rank skips (1, 2, 2, 4).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Min

from workforce.benchmarks.measures import HEADLINES, Measure, Unit, measure
from workforce.benchmarks.models import (
    Area,
    AreaLevel,
    ComparatorGroup,
    NotAvailable,
    Publication,
    PublishedValue,
    Release,
    StatisticalNeighbour,
)
from workforce.core.access import Scope
from workforce.core.tables import Column, Kind, Table

FIRST_YEAR = 2017  # the workforce indicators begin in 2017; the comparison shows no earlier year
NEIGHBOURS = "neighbours"  # the comparator choice "DfE's statistical neighbours"
OWN = "own"  # the authority choice "the user's own authority", when DfE does not publish it
ENGLAND = "E92000001"
NOT_PUBLISHED = "Not published for this year"
NEIGHBOURS_NAME = "Statistical neighbours"

# What a reader asks for → its words on the page.
HEADLINE_LABELS: dict[str, str] = {
    "turnover": "Turnover rate",
    "agency": "Agency worker rate",
    "vacancy": "Vacancy rate",
    "caseload": "Average caseload",
    "absence": "Sickness absence rate",
    "starters": "Starters",
    "leavers": "Leavers",
    "referrals": "Referrals",
    "rereferrals": "Re-referral rate",
    "three_plus_social_workers": "Children in care with 3 or more social workers",
}

# The figures registry's measure with DfE's definition of each published measure, where this
# system keeps the records it is counted from.
LIVE_KEYS: dict[str, str] = {
    "csww.turnover_rate_fte": "turnover_rate_fte",
    "csww.agency_rate_fte": "agency_rate_fte",
    "csww.vacancy_rate_fte": "vacancy_rate_fte",
    "csww.caseload_fte": "average_caseload",
    "csww.absence_rate_fte": "absence_rate_fte",
    "csww.starters_fte": "starters_fte",
    "csww.leavers_fte": "leavers_fte",
    "cla_swcount.three_plus_sw_rate": "three_or_more_rate",
}


# --- Arithmetic --------------------------------------------------------------------------------


def quantile(ordered: Sequence[Decimal], p: Decimal) -> Decimal:
    """The inclusive quantile p (0 to 1) of values already sorted ascending."""
    if not ordered:
        raise ValueError("No values.")
    position = (len(ordered) - 1) * p
    low = int(position)
    if low + 1 >= len(ordered):
        return ordered[-1]
    return ordered[low] + (ordered[low + 1] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Spread:
    """The lower quartile, median and upper quartile of a group's values, and how many there
    were (those with no value left out)."""

    lower: Decimal | None
    median: Decimal | None
    upper: Decimal | None
    count: int
    of: int  # the group's members, with a value or not


def spread(values: Sequence[Decimal | None]) -> Spread:
    known = sorted(v for v in values if v is not None)
    if not known:
        return Spread(None, None, None, 0, len(values))
    return Spread(
        quantile(known, Decimal("0.25")),
        quantile(known, Decimal("0.5")),
        quantile(known, Decimal("0.75")),
        len(known),
        len(values),
    )


def rank(value: Decimal | None, among: Sequence[Decimal], higher_is_better: bool | None) -> int:
    """The value's rank among `among` (which need not contain it): 1 + how many are better."""
    if value is None or higher_is_better is None:
        raise ValueError("Only a value of a measure with a direction has a rank.")
    if higher_is_better:
        return 1 + sum(1 for v in among if v > value)
    return 1 + sum(1 for v in among if v < value)


# --- Values --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A value or the reason there is none: never a zero standing in for a gap."""

    value: Decimal | None  # in the measure's published unit (per cent for a rate)
    reason: str = ""

    @property
    def known(self) -> bool:
        return self.value is not None


MISSING = Figure(None, NOT_PUBLISHED)


def _figure(value: Decimal | None, not_available: str) -> Figure:
    if value is not None:
        return Figure(value)
    return Figure(None, str(NotAvailable(not_available).label))


@dataclass
class Values:
    """Every value in force of one measure from `FIRST_YEAR`: `(area id, year) → Figure`, and
    which areas are local authorities."""

    figures: dict[tuple[int, int], Figure]
    authorities: frozenset[int]
    years: list[int]

    def get(self, area_id: int | None, year: int) -> Figure:
        if area_id is None:
            return MISSING
        return self.figures.get((area_id, year), MISSING)

    def ranked(self, year: int) -> list[Decimal]:
        """Every local authority's value in the year (those with one)."""
        return [
            f.value
            for (area_id, y), f in self.figures.items()
            if y == year and area_id in self.authorities and f.value is not None
        ]


def published(measure_key: str) -> Values:
    """Every area's value in force, each from the latest release giving it: one query."""
    rows = (
        PublishedValue.objects.filter(measure=measure_key, year__gte=FIRST_YEAR)
        .order_by("area_id", "year", "-release__loaded_at", "-release_id")
        .values_list("area_id", "area__level", "year", "value", "not_available")
    )
    figures: dict[tuple[int, int], Figure] = {}
    authorities: set[int] = set()
    for area_id, level, year, value, not_available in rows:
        if (area_id, year) in figures:
            continue  # an earlier release's value of a revised year
        figures[(area_id, year)] = _figure(value, not_available)
        if level == AreaLevel.LOCAL_AUTHORITY:
            authorities.add(area_id)
    years = sorted({year for _, year in figures})
    return Values(figures, frozenset(authorities), years)


# --- Comparators -------------------------------------------------------------------------------


def local_authorities() -> list[Area]:
    return list(Area.objects.filter(level=AreaLevel.LOCAL_AUTHORITY).order_by("name"))


def own_area(scope: Scope) -> Area | None:
    """The published area of the user's authority, if DfE publishes it."""
    return Area.objects.filter(authority=scope.authority).select_related("region").first()


def groups(scope: Scope) -> list[ComparatorGroup]:
    return list(scope.records(ComparatorGroup.objects.all(), team=None))


def neighbours(area: Area) -> list[Area]:
    """The area's statistical neighbours from the latest release naming them, closest first:
    one query."""
    latest = (
        Release.objects.filter(neighbours__area=area).order_by("-loaded_at", "-pk").values("pk")[:1]
    )
    return [
        n.neighbour
        for n in StatisticalNeighbour.objects.filter(release__in=latest, area=area)
        .select_related("neighbour")
        .order_by("rank")
    ]


def members(group: ComparatorGroup) -> list[Area]:
    return [m.area for m in group.members.select_related("area").order_by("area__name")]


# --- The comparison ----------------------------------------------------------------------------


def reference_day(measure: Measure, year: int) -> dt.date:
    """The day a year's value is at: the census at 30 September for the workforce, the year
    to 31 March for children in need and children looked after."""
    if measure.publication == Publication.CSWW:
        return dt.date(year, 9, 30)
    return dt.date(year, 3, 31)


def last_reference_day(measure: Measure, today: dt.date) -> dt.date:
    """The latest reference day of the measure on or before today."""
    day = reference_day(measure, today.year)
    return day if day <= today else reference_day(measure, today.year - 1)


def period_text(measure: Measure, year: int) -> str:
    day = reference_day(measure, year)
    if measure.publication == Publication.CSWW:
        return f"30 September {year}"
    return f"the year to 31 March {day.year}"


@dataclass
class YearRow:
    year: int
    own: Figure  # published (or, for an authority DfE does not publish, live)
    live: Figure | None  # the own authority's live figure at the year's reference day
    group: Spread
    region: Figure
    england: Figure
    rank: int | None
    ranked: int  # local authorities with a value that year


@dataclass
class MemberRow:
    area: Area
    figure: Figure
    rank: int | None


@dataclass
class LiveComparison:
    """The own authority's live figure at the last reference day beside its last published one."""

    last_day: dt.date
    live_last: Figure
    published_year: int | None
    published: Figure
    live_then: Figure  # live, at the published figure's day
    explanation: str


@dataclass
class Comparison:
    measure: Measure
    headline: str
    area: Area | None  # None: the own authority, which DfE does not publish
    name: str  # the authority's name
    group_name: str
    group_members: list[Area]
    region: Area | None
    rows: list[YearRow]
    latest_members: list[MemberRow] = field(default_factory=list)
    members_year: int | None = None  # the latest year published, of `latest_members`
    live: LiveComparison | None = None
    live_note: str = ""  # why there is no live figure, when there is none

    @property
    def latest(self) -> YearRow | None:
        """The latest year DfE has published (a live year after it has nothing to compare)."""
        published = [r for r in self.rows if r.england.known or r.group.count]
        return published[-1] if published else (self.rows[-1] if self.rows else None)

    @property
    def group_phrase(self) -> str:
        """The comparators in a sentence: "statistical neighbours", or the group's own name."""
        return self.group_name.lower() if self.group_name == NEIGHBOURS_NAME else self.group_name

    @property
    def ranked_measure(self) -> bool:
        return self.measure.higher_is_better is not None

    @property
    def own_label(self) -> str:
        return f"{self.name} (live figure)" if self.area is None else self.name


def _live_series(
    scope: Scope, metric: str, measure: Measure, years: list[int]
) -> dict[int, Figure]:
    """The own authority's live figure at each year's reference day, from the figures
    registry (one series, a few queries), in the published unit; years before its records begin
    are left out."""
    from workforce.establishment.models import Engagement
    from workforce.metrics.engine import Timeline
    from workforce.metrics.measures import REGISTRY
    from workforce.metrics.selectors import filter_for_scope, series

    first = Engagement.objects.filter(authority=scope.authority).aggregate(first=Min("start"))
    if first["first"] is None or not years:
        return {}
    kept = [y for y in years if reference_day(measure, y) >= first["first"]]
    if not kept:
        return {}
    last = reference_day(measure, kept[-1])
    timeline = Timeline.yearly(last, kept[-1] - kept[0] + 1)
    found = series(where=filter_for_scope(scope), timeline=timeline, keys=[metric])
    rate = REGISTRY[metric].is_rate
    out: dict[int, Figure] = {}
    for day, value in zip(found.dates, found.values[metric], strict=True):
        if value is None:
            out[day.year] = Figure(None, "No figure: nobody counted on that day")
        else:
            number = Decimal(value) * 100 if rate else Decimal(value)
            out[day.year] = Figure(number)
    return out


def _explain(measure: Measure, last_day: dt.date, published_year: int | None, name: str) -> str:
    if published_year is None:
        return (
            f"DfE publishes no figure for {name}. The live figure is worked out from this "
            "system's records with DfE's definition."
        )
    published_day = reference_day(measure, published_year)
    said = (
        f"The published figure is for {period_text(measure, published_year)}, as returned to "
        "DfE at the time; the live figure is worked out from this system's records as they "
        "stand today, so it counts records entered or corrected since."
    )
    if published_day < last_day:
        said += (
            f" DfE has not yet published {last_day.year}: the live figure for "
            f"{period_text(measure, published_year)} is shown as well, to compare like with like."
        )
    if measure.key == "csww.absence_rate_fte":
        said += (
            " DfE's absence rate counts 253 or 254 working days in a year; the live rate counts "
            "the authority's own working days, so small differences are expected."
        )
    return said


def comparison(
    scope: Scope,
    *,
    headline: str,
    area: Area | None,
    group: ComparatorGroup | None,
    values: Values | None = None,
) -> Comparison:
    """The comparison of `area` (None: the user's own authority, not published by DfE) for a
    headline measure with its statistical neighbours (`group` None) or a comparator group."""
    m = measure(HEADLINES[headline])
    values = values if values is not None else published(m.key)
    if group is not None:
        comparators, group_name = members(group), group.name
    elif area is not None:
        comparators, group_name = neighbours(area), NEIGHBOURS_NAME
    else:
        comparators, group_name = [], NEIGHBOURS_NAME
    region: Area | None = None
    if area is not None:
        region = area.region
    else:
        region = Area.objects.filter(level=AreaLevel.REGIONAL, name=scope.authority.region).first()
    england = Area.objects.filter(code=ENGLAND).values_list("pk", flat=True).first()

    own_authority = area is None or area.authority_id == scope.authority.pk
    metric = LIVE_KEYS.get(m.key)
    live: dict[int, Figure] = {}
    live_note = ""
    today = scope.today
    last_day = last_reference_day(m, today)
    if not own_authority:
        live_note = ""
    elif metric is None:
        live_note = (
            "There is no live figure of this measure: DfE counts it from the children in need "
            "census, which this system does not hold."
        )
    elif scope.is_team_limited:
        live_note = "Live figures are for the whole authority: your role sees your teams only."
    else:
        years = sorted({*values.years, last_day.year})
        live = _live_series(scope, metric, m, [y for y in years if y <= last_day.year])

    years = sorted({*values.years, *live})
    rows: list[YearRow] = []
    for year in years:
        own = values.get(area.pk, year) if area is not None else live.get(year, MISSING)
        among = values.ranked(year)
        position = None
        if own.value is not None and m.higher_is_better is not None and among:
            position = rank(own.value, among, m.higher_is_better)
        rows.append(
            YearRow(
                year=year,
                own=own,
                live=live.get(year) if live else None,
                group=spread([values.get(a.pk, year).value for a in comparators]),
                region=values.get(region.pk if region else None, year),
                england=values.get(england, year),
                rank=position,
                ranked=len(among),
            )
        )
    # Leave off years with nothing at all to show (a live year before any publication).
    rows = [r for r in rows if r.own.known or r.group.count or r.england.known]
    result = Comparison(
        measure=m,
        headline=headline,
        area=area,
        name=area.name if area is not None else scope.authority.name,
        group_name=group_name,
        group_members=comparators,
        region=region,
        rows=rows,
        live_note=live_note,
    )
    published_years = [r.year for r in rows if r.year in values.years]
    if published_years:
        year = published_years[-1]
        result.members_year = year
        among = values.ranked(year)
        ordered = []
        for a in comparators:
            f = values.get(a.pk, year)
            position = None
            if f.value is not None and m.higher_is_better is not None and among:
                position = rank(f.value, among, m.higher_is_better)
            ordered.append(MemberRow(a, f, position))
        result.latest_members = sorted(
            ordered,
            key=lambda r: (
                r.figure.value is None,
                (r.figure.value or 0) * (-1 if m.higher_is_better else 1),
                r.area.name,
            ),
        )
    if live:
        known_years = [y for y in values.years if area is not None and values.get(area.pk, y).known]
        published_year = known_years[-1] if known_years else None
        published_figure = values.get(area.pk if area else None, published_year or 0)
        result.live = LiveComparison(
            last_day=last_day,
            live_last=live.get(last_day.year, MISSING),
            published_year=published_year,
            published=published_figure if published_year else Figure(None, "Not published"),
            live_then=live.get(published_year, MISSING) if published_year else MISSING,
            explanation=_explain(m, last_day, published_year, result.name),
        )
    return result


# --- Tables --------------------------------------------------------------------------------------


def _kind(m: Measure) -> tuple[Kind, int]:
    if m.unit == Unit.PERCENT:
        return Kind.PERCENT, 1
    if m.unit == Unit.COUNT:
        return Kind.COUNT, 0
    if m.unit == Unit.FTE:
        return Kind.DECIMAL, 1
    return Kind.DECIMAL, 1


def _unit(m: Measure) -> str | None:
    return {Unit.FTE: "FTE", Unit.RATIO: "cases", Unit.DAYS: "days"}.get(m.unit)


def cell(m: Measure, value: Decimal | None) -> Any:
    """A published number as the table type holds it: a rate as a fraction (15.2% as 0.152),
    a count as a whole number."""
    if value is None:
        return None
    if m.unit == Unit.PERCENT:
        return value / 100
    if m.unit == Unit.COUNT and value == value.to_integral_value():
        return int(value)
    return value


def _value_column(m: Measure, key: str, label: str) -> Column:
    kind, places = _kind(m)
    return Column(key, label, kind, places=places, unit=_unit(m))


def _rank_text(row: YearRow | MemberRow, ranked: int) -> str:
    return f"{row.rank} of {ranked}" if row.rank is not None else ""


def summary_table(c: Comparison) -> Table:
    """The latest year: the authority, its comparators' quartiles, region and England."""
    m = c.measure
    latest = c.latest
    year_text = period_text(m, latest.year) if latest else ""
    rows: list[list[Any]] = []
    if latest is not None:
        g = latest.group
        group = f"{c.group_name} ({g.count} of {g.of} with a value)"
        group_reason = "" if g.count else "No member has a value"
        rows = [
            [c.own_label, cell(m, latest.own.value), latest.own.reason],
            [f"{group}: lower quartile", cell(m, g.lower), group_reason],
            [f"{group}: median", cell(m, g.median), group_reason],
            [f"{group}: upper quartile", cell(m, g.upper), group_reason],
        ]
        if c.region is not None:
            rows.append([c.region.name, cell(m, latest.region.value), latest.region.reason])
        rows.append(["England", cell(m, latest.england.value), latest.england.reason])
    return Table(
        title=f"{HEADLINE_LABELS[c.headline]}: {year_text}",
        columns=[
            Column("area", "Area or group"),
            _value_column(m, "value", m.label),
            Column("reason", "Why there is no value"),
        ],
        rows=rows,
        notes=_notes(c),
        key="summary",
        empty="DfE has published no value of this measure.",
    )


def _notes(c: Comparison) -> list[str]:
    m = c.measure
    notes = [f"Source: DfE, {m.publication.label} (Open Government Licence v3)."]
    if m.note:
        notes.append(m.note)
    if c.ranked_measure:
        better = "highest" if m.higher_is_better else "lowest"
        notes.append(
            f"Rank 1 is the {better} value among every local authority with a value that year; "
            "equal values share a rank."
        )
    notes.append(
        "Quartiles and median of the comparators with a value, inclusive method (as Excel's "
        "QUARTILE.INC)."
    )
    return notes


def trend_table(c: Comparison) -> Table:
    m = c.measure
    with_live = c.area is not None and any(r.live is not None for r in c.rows)
    columns = [
        Column("year", "Year"),  # text: the row's heading
        _value_column(m, "own", c.own_label),
        Column("own_reason", f"{c.name}: why there is no value"),
    ]
    if with_live:
        columns.append(_value_column(m, "live", f"{c.name} (live figure)"))
    columns += [
        _value_column(m, "lower", f"{c.group_name}: lower quartile"),
        _value_column(m, "median", f"{c.group_name}: median"),
        _value_column(m, "upper", f"{c.group_name}: upper quartile"),
        Column("count", f"{c.group_name} with a value", Kind.COUNT),
    ]
    if c.region is not None:
        columns.append(_value_column(m, "region", c.region.name))
    columns += [_value_column(m, "england", "England")]
    if c.ranked_measure:
        columns.append(Column("rank", "Rank among local authorities"))
    rows = []
    for r in c.rows:
        row: list[Any] = [str(r.year), cell(m, r.own.value), r.own.reason]
        if with_live:
            row.append(cell(m, r.live.value) if r.live else None)
        row += [cell(m, r.group.lower), cell(m, r.group.median), cell(m, r.group.upper)]
        row.append(r.group.count)
        if c.region is not None:
            row.append(cell(m, r.region.value))
        row.append(cell(m, r.england.value))
        if c.ranked_measure:
            row.append(_rank_text(r, r.ranked))
        rows.append(row)
    return Table(
        title=f"{HEADLINE_LABELS[c.headline]}: {c.name} and {c.group_name} each year",
        columns=columns,
        rows=rows,
        notes=_notes(c),
        key="trend",
        empty="DfE has published no value of this measure.",
    )


def members_table(c: Comparison) -> Table:
    m = c.measure
    ranked = next((r.ranked for r in c.rows if r.year == c.members_year), 0)
    columns = [
        Column("area", "Authority"),
        Column("code", "DfE code"),
        _value_column(m, "value", m.label),
        Column("reason", "Why there is no value"),
    ]
    if c.ranked_measure:
        columns.append(Column("rank", "Rank among local authorities"))
    rows = []
    for r in c.latest_members:
        row = [r.area.name, r.area.code, cell(m, r.figure.value), r.figure.reason]
        if c.ranked_measure:
            row.append(_rank_text(r, ranked))
        rows.append(row)
    year = period_text(m, c.members_year) if c.members_year else "the latest year"
    return Table(
        title=f"{c.group_name}: each authority, {year}",
        columns=columns,
        rows=rows,
        notes=[f"Source: DfE, {m.publication.label} (Open Government Licence v3)."],
        key="members",
        empty="The group has no members.",
    )


def live_table(c: Comparison) -> Table | None:
    live = c.live
    if live is None:
        return None
    m = c.measure
    rows: list[list[Any]] = [
        [
            f"Live, from this system's records: {period_text(m, live.last_day.year)}",
            cell(m, live.live_last.value),
            live.live_last.reason,
        ]
    ]
    if live.published_year is not None:
        if live.published_year != live.last_day.year:
            rows.append(
                [
                    f"Live, from this system's records: {period_text(m, live.published_year)}",
                    cell(m, live.live_then.value),
                    live.live_then.reason,
                ]
            )
        rows.append(
            [
                f"Published by DfE: {period_text(m, live.published_year)}",
                cell(m, live.published.value),
                live.published.reason,
            ]
        )
        if live.live_then.value is not None and live.published.value is not None:
            rows.append(
                [
                    f"Difference, live less published, {period_text(m, live.published_year)}",
                    cell(m, live.live_then.value - live.published.value),
                    "",
                ]
            )
    return Table(
        title=f"{HEADLINE_LABELS[c.headline]}: live and published figures for {c.name}",
        columns=[
            Column("figure", "Figure"),
            _value_column(m, "value", m.label),
            Column("reason", "Why there is no value"),
        ],
        rows=rows,
        notes=[live.explanation],
        key="live",
    )


def tables(c: Comparison) -> dict[str, Table]:
    found = {"summary": summary_table(c), "trend": trend_table(c), "members": members_table(c)}
    live = live_table(c)
    if live is not None:
        found["live"] = live
    return found


def rank_sentence(c: Comparison) -> str:
    latest = c.latest
    if latest is None:
        return ""
    m = c.measure
    when = period_text(m, latest.year)
    if not c.ranked_measure:
        return (
            f"{HEADLINE_LABELS[c.headline]} is not ranked: it is a count, where neither higher "
            "nor lower is better."
        )
    if latest.rank is None:
        return f"{c.name} has no value to rank for {when}."
    better = "highest" if m.higher_is_better else "lowest"
    whose = "live figure" if c.area is None else "value"
    return (
        f"{c.name}'s {whose} for {when} ranks {latest.rank} of {latest.ranked} local "
        f"authorities with a value (1 is the {better})."
    )


@functools.lru_cache(maxsize=64)
def _chart_template(names: tuple[str, ...], title: str) -> str:
    """The chart's Vega-Lite spec without its data, built once with Altair (building is slow;
    filling in the data is not)."""
    import altair as alt

    from workforce.metrics.charts import PALETTE

    x = alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0))
    area = (
        alt.Chart(alt.NamedData("band"))
        .mark_area(opacity=0.2, color=PALETTE[1])
        .encode(x=x, y=alt.Y("low:Q", title=title), y2="high:Q")
    )
    line = (
        alt.Chart(alt.NamedData("lines"))
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=title),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=list(names), range=PALETTE[: len(names)]),
                legend=alt.Legend(orient="bottom", columns=2),
            ),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("series:N", title="Series"),
                alt.Tooltip("value:Q", title="Value", format=",.1f"),
            ],
        )
    )
    return json.dumps((area + line).properties(width=640, height=280).to_dict())


def chart_spec(c: Comparison) -> dict[str, Any]:
    """The trend as lines (the authority, the comparators' median, the region, England) over the
    comparators' interquartile range, as Vega-Lite built with Altair."""
    m = c.measure
    lines: list[dict[str, Any]] = []
    band: list[dict[str, Any]] = []
    names = [c.own_label, f"{c.group_name}: median"]
    if c.region is not None:
        names.append(c.region.name)
    names.append("England")
    for r in c.rows:
        shown = [r.own.value, r.group.median]
        if c.region is not None:
            shown.append(r.region.value)
        shown.append(r.england.value)
        for name, value in zip(names, shown, strict=True):
            if value is not None:
                lines.append({"year": str(r.year), "series": name, "value": float(value)})
        if r.group.lower is not None and r.group.upper is not None:
            band.append(
                {"year": str(r.year), "low": float(r.group.lower), "high": float(r.group.upper)}
            )
    title = f"{m.label} ({'%' if m.unit == Unit.PERCENT else _unit(m) or 'number'})"
    spec: dict[str, Any] = json.loads(_chart_template(tuple(names), title))
    spec["datasets"] = {"lines": lines, "band": band}
    spec["description"] = chart_summary(c)
    return spec


def chart_summary(c: Comparison) -> str:
    m = c.measure
    known = [r for r in c.rows if r.own.value is not None]
    label = HEADLINE_LABELS[c.headline].lower()
    if not known:
        return f"{c.name} has no {label} to chart. The shaded band is the comparators' middle half."
    first, last = known[0], known[-1]
    text = (
        f"{c.own_label}: {label} {_plain(m, first.own.value)} in {first.year}, "
        f"{_plain(m, last.own.value)} in {last.year}"
    )
    if last.group.median is not None:
        text += f"; {c.group_name}' median {_plain(m, last.group.median)} in {last.year}"
    return text + ". The shaded band is the comparators' middle half (quartile to quartile)."


def _plain(m: Measure, value: Decimal | None) -> str:
    kind, places = _kind(m)
    return Column("v", "v", kind, places=places).text(cell(m, value))
