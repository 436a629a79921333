"""The metrics app's report sections: headline figures, trends, and the team breakdown.

Every figure is the dashboard's: `selectors.headline` (with the same targets and RAG),
`selectors.measures_on` at the comparison date, `charts.dashboard_charts` over the dashboard's
monthly series, and `selectors.breakdown` by team. The sections only lay them out, and in board
mode withhold the small counts and what is built on them (`measures.count_behind`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from workforce.core import numbers
from workforce.core.dates import day_text
from workforce.core.suppression import SMALL_NUMBER, small, suppression_note
from workforce.core.tables import SUPPRESSED, SUPPRESSED_CELL, Column, Kind, Table
from workforce.metrics import charts, selectors, tables
from workforce.metrics.forms import DEFAULT_YEARS
from workforce.metrics.measures import (
    REGISTRY,
    Measure,
    count_behind,
    display_value,
    format_value,
    headline_keys,
)
from workforce.metrics.models import Target
from workforce.reports.document import (
    Block,
    ChartBlock,
    Note,
    Paragraph,
    SectionContent,
    TableBlock,
)
from workforce.reports.figures import table_figures
from workforce.reports.sections import ReportContext

HEADLINE_DEFINITIONS = (
    "Definitions (DfE children's social work workforce census, over census-counted roles): "
    "in post FTE is authority-employed staff (not agency) at the date; agency rate is agency "
    "FTE ÷ (agency FTE + in post FTE); vacancy rate is vacancy FTE ÷ (vacancy FTE + in post "
    "FTE), where vacancy FTE is budgeted FTE not filled by authority-employed staff, role by "
    "role; turnover rate is leavers FTE in the year ÷ in post FTE; sickness absence rate is "
    "working days lost to sickness in the year ÷ (in post FTE × 253); starters and leavers "
    "joined or left the authority's employment in the 12 months to the date (team moves are "
    "neither); average caseload is cases held ÷ FTE of the workers holding them."
)


def _withheld(values: Mapping[str, Any], keys: list[str]) -> set[str]:
    """The measures to withhold in board mode: those built on a count of 1 to 4 people."""
    out = set()
    for key in keys:
        count = count_behind(key)
        if count is not None and small(values.get(count), SMALL_NUMBER):
            out.add(key)
    return out


def _counts_for(keys: list[str]) -> list[str]:
    return sorted({c for k in keys if (c := count_behind(k)) is not None and c in REGISTRY})


def target_text(target: Target | None, measure: Measure) -> str:
    """ "At most 20% by 31 March 2026", as the dashboard's tile says it."""
    if target is None:
        return "No target"
    value = numbers.number_text(target.value, 2).rstrip("0").rstrip(".")
    unit = "%" if measure.is_rate else ""
    return f"{target.get_comparison_display()} {value}{unit} by {day_text(target.by_date)}"


def _figure(measure: Measure, value: Any) -> Any:
    """A figure as a report keeps it: as shown (rounded once, rates as percentages)."""
    return display_value(measure, value)


def build_headline(context: ReportContext) -> SectionContent:
    scope, on, since = context.scope, context.report_date, context.comparison_date
    where = selectors.filter_for_scope(scope)
    keys = headline_keys()
    head = selectors.headline(
        where=where, on=on, targets=list(selectors.targets_for(scope)), keys=keys
    )
    if since == head.last_year_on:
        before = {tile.measure.key: tile.last_year for tile in head.tiles}
    else:
        before = selectors.measures_on(where=where, on=since, keys=keys).at(0)
    if all(tile.value in (None, 0) for tile in head.tiles):
        return SectionContent(empty=f"There are no workforce figures at {day_text(on)}.")
    hidden_now: set[str] = set()
    hidden_before: set[str] = set()
    if context.board_mode:
        counts = _counts_for(keys)
        hidden_now = _withheld(selectors.measures_on(where=where, on=on, keys=counts).at(0), keys)
        hidden_before = _withheld(
            selectors.measures_on(where=where, on=since, keys=counts).at(0), keys
        )
    since_words = day_text(since)
    rows: list[list[Any]] = []
    figures: dict[str, Any] = {}
    sentences: list[str] = []
    for tile in head.tiles:
        measure, key = tile.measure, tile.measure.key
        now_hidden, before_hidden = key in hidden_now, key in hidden_before
        was = before.get(key)
        change = selectors.change(measure, tile.value, was)
        target = tile.status.target
        rows.append(
            [
                measure.label,
                SUPPRESSED_CELL if now_hidden else format_value(measure, tile.value),
                target_text(target, measure),
                tile.status.label if target is not None else "–",
                SUPPRESSED_CELL if before_hidden else format_value(measure, was),
                SUPPRESSED_CELL
                if now_hidden or before_hidden
                else selectors.change_text(measure, change, None),
            ]
        )
        figures[f"headline.{key}"] = SUPPRESSED if now_hidden else _figure(measure, tile.value)
        figures[f"headline.{key}.comparison"] = (
            SUPPRESSED if before_hidden else _figure(measure, was)
        )
        figures[f"headline.{key}.change"] = SUPPRESSED if now_hidden or before_hidden else change
        figures[f"headline.{key}.status"] = tile.status.key
        if not now_hidden and tile.value is not None:
            sentence = f"{measure.label}: {format_value(measure, tile.value)}"
            extra = []
            if target is not None:
                aim = target_text(target, measure)
                extra.append(f"target {aim[:1].lower()}{aim[1:]}, {tile.status.label.lower()}")
            if not before_hidden and change is not None:
                said = selectors.change_text(measure, change, since_words)
                extra.append(f"{said[:1].lower()}{said[1:]}")
            if extra:
                sentence += f" ({'; '.join(extra)})"
            sentences.append(sentence + ".")
    notes = [
        "Status: green when the figure meets its target; amber when it is close (within 5 "
        "percentage points of a rate target, 10% of any other) or, with the target date still "
        "ahead, has moved the right way since the same date last year; red otherwise."
    ]
    if hidden_now or hidden_before:
        notes.append(suppression_note(SMALL_NUMBER))
    table = Table(
        f"Headline figures at {day_text(on)}, compared with {since_words}",
        [
            Column("measure", "Measure"),
            Column("value", "At report date", unit=""),
            Column("target", "Target"),
            Column("status", "Status"),
            Column("comparison", "At comparison date", unit=""),
            Column("change", "Change since comparison date"),
        ],
        rows,
        notes=notes,
        key="headline",
    )
    blocks: list[Block] = [
        Paragraph(
            f"The headline workforce figures at {day_text(on)}, against their targets and "
            f"compared with {since_words}, are below."
        ),
        *[Paragraph(s) for s in sentences],
        TableBlock(table),
        Note(HEADLINE_DEFINITIONS),
    ]
    return SectionContent(blocks=blocks, figures=figures)


# Trends ----------------------------------------------------------------------------------------


def chart_table(
    chart: charts.Chart, series: selectors.Series, hidden: dict[str, set[int]]
) -> Table:
    """The chart's numbers: each month end and each line's exact value (withheld ones marked)."""
    columns = [Column("month_end", "Month end", Kind.DATE)]
    columns += [tables.measure_column(k) for k in chart.keys]
    rows = [
        [
            day,
            *[
                SUPPRESSED_CELL if i in hidden.get(k, set()) else series.values[k][i]
                for k in chart.keys
            ],
        ]
        for i, day in enumerate(chart.dates)
    ]
    notes = [chart.window]
    if any(hidden.values()):
        notes.append(suppression_note(SMALL_NUMBER))
    return Table(chart.title, columns, rows, notes=notes, key=chart.id)


def _hide_in_spec(
    spec: dict[str, Any], labels: dict[str, str], hidden: dict[str, set[int]], dates: list[dt.date]
) -> dict[str, Any]:
    """The chart's spec with withheld points left out of its data."""
    gone = {(labels[k], dates[i].isoformat()) for k, idx in hidden.items() for i in idx}
    values = [
        point for point in spec["data"]["values"] if (point["measure"], point["month"]) not in gone
    ]
    return {**spec, "data": {"values": values}}


def build_trends(context: ReportContext) -> SectionContent:
    where = selectors.filter_for_scope(context.scope)
    last = selectors.series_end(context.report_date)
    keys = list(charts.SERIES_KEYS)
    if context.board_mode:
        keys = sorted({*keys, *_counts_for(keys)})
    series = selectors.monthly_series(where=where, last=last, months=DEFAULT_YEARS * 12, keys=keys)
    if not any(v not in (None, 0) for k in charts.SERIES_KEYS for v in series.values[k]):
        return SectionContent(
            empty=f"There are no workforce figures in the three years to {day_text(last)}."
        )
    blocks: list[Any] = [
        Paragraph(
            f"The charts show the figures at each month end over the three years to "
            f"{day_text(last)}, as on the dashboard."
        )
    ]
    figures: dict[str, Any] = {}
    for chart in charts.dashboard_charts(series):
        hidden: dict[str, set[int]] = {}
        if context.board_mode:
            for key in chart.keys:
                count = count_behind(key)
                if count is None:
                    continue
                idx = {i for i, v in enumerate(series.values[count]) if small(v, SMALL_NUMBER)}
                if idx:
                    hidden[key] = idx
        table = chart_table(chart, series, hidden)
        spec, alt = chart.spec, f"{chart.title}. {chart.summary}"
        if hidden:
            labels = {k: REGISTRY[k].label for k in chart.keys}
            spec = _hide_in_spec(spec, labels, hidden, chart.dates)
            shown_keys = [k for k in chart.keys if k not in hidden]
            said = charts.summarise(series, shown_keys) if shown_keys else ""
            withheld_labels = ", ".join(labels[k] for k in chart.keys if k in hidden)
            alt = (
                f"{chart.title}. {said} {withheld_labels}: some months are not shown because "
                "the numbers are small enough to identify someone."
            ).replace("  ", " ")
            spec["description"] = alt
        blocks.append(ChartBlock(spec=spec, alt=alt, table=table))
        figures.update(table_figures(_dated_keys(table), f"trends.{chart.id}", "month_end"))
    return SectionContent(blocks=blocks, figures=figures)


def _dated_keys(table: Table) -> Table:
    """The table with its month ends as ISO text, so each row's key is its date."""
    rows = [[row[0].isoformat(), *row[1:]] for row in table.rows]
    columns = [Column("month_end", "Month end"), *table.columns[1:]]
    return Table(table.title, columns, rows)


# Team breakdown (internal reports only) --------------------------------------------------------


def build_teams(context: ReportContext) -> SectionContent:
    if context.board_mode:  # never in a board paper, whatever is asked
        return SectionContent(empty="Figures by team are for internal reports only.")
    where = selectors.filter_for_scope(context.scope)
    on = context.report_date
    rows = selectors.breakdown(where=where, on=on, by="team")
    if not rows:
        return SectionContent(empty=f"There are no teams with posts or people at {day_text(on)}.")
    whole = selectors.measures_on(where=where, on=on, keys=selectors.BREAKDOWN).at(0)
    table = tables.breakdown_table(rows, by="team", whole=whole)
    table.title = f"Figures by team at {day_text(on)}"
    figures = table_figures(table, "teams", "team")
    highest = max(
        (r for r in rows if r.values.get("average_caseload") is not None),
        key=lambda r: r.values["average_caseload"],
        default=None,
    )
    blocks: list[Any] = [
        Paragraph(
            f"{len(rows)} teams had posts or people at {day_text(on)}. "
            + (
                f"The highest average caseload was in {highest.label}, at "
                f"{format_value(REGISTRY['average_caseload'], highest.values['average_caseload'])}."
                if highest is not None
                else ""
            )
        ),
        TableBlock(table),
    ]
    return SectionContent(blocks=blocks, figures=figures)
