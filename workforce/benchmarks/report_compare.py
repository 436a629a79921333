"""The report section "Benchmarking": the authority against its statistical neighbours (or,
for an authority DfE does not publish, its first comparator group) and England for the key
measures, in the latest year DfE has published, from the comparison page's selectors.

Published statistics are public and are not withheld in board mode; an authority DfE does not
publish is shown by its live figures at the same day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from workforce.benchmarks import selectors_compare as selectors
from workforce.core.dates import day_text
from workforce.core.tables import Column, Kind, Table
from workforce.reports.document import ChartBlock, Note, Paragraph, SectionContent
from workforce.reports.figures import table_figures
from workforce.reports.sections import ReportContext

KEY = "benchmarks.comparison"
TITLE = "Benchmarking"
RATES = ("turnover", "agency", "vacancy", "absence", "rereferrals", "three_plus_social_workers")
CASELOAD = ("caseload",)


def _table(
    context: ReportContext, found: list[selectors.Comparison], title: str, kind: Kind, key: str
) -> Table:
    on = context.report_date
    group = found[0].group_name if found else "Statistical neighbours"
    name = found[0].name if found else context.authority.name
    rows: list[list[Any]] = []
    for c in found:
        latest = _latest_published(c, on)
        if latest is None:
            continue
        m = c.measure
        rows.append(
            [
                selectors.HEADLINE_LABELS[c.headline],
                selectors.period_text(m, latest.year),
                selectors.cell(m, latest.own.value),
                selectors.cell(m, latest.group.median),
                selectors.cell(m, latest.england.value),
                f"{latest.rank} of {latest.ranked}" if latest.rank is not None else "",
            ]
        )
    return Table(
        title=title,
        columns=[
            Column("measure", "Measure"),
            Column("period", "Date or year"),
            Column("own", name, kind, places=1),
            Column("median", f"{group}: median", kind, places=1),
            Column("england", "England", kind, places=1),
            Column("rank", "Rank among local authorities (1 is best)"),
        ],
        rows=rows,
        key=key,
        empty="DfE has published none of these measures.",
    )


def _latest_published(c: selectors.Comparison, on: dt.date) -> selectors.YearRow | None:
    """The latest year with an England value at or before the report date: the latest DfE has
    published for it."""
    rows = [
        r for r in c.rows if r.england.known and selectors.reference_day(c.measure, r.year) <= on
    ]
    return rows[-1] if rows else None


def build(context: ReportContext) -> SectionContent:
    scope = context.scope
    area = selectors.own_area(scope)
    groups = selectors.groups(scope)
    group = None if area is not None else (groups[0] if groups else None)
    on = context.report_date
    if area is None and group is None:
        return SectionContent(
            empty=(
                f"DfE does not publish figures for {context.authority.name}, and it has no "
                f"comparator group to compare its live figures with at {day_text(on)}."
            )
        )
    found = [
        selectors.comparison(scope, headline=h, area=area, group=group) for h in RATES + CASELOAD
    ]
    if not any(_latest_published(c, on) for c in found):
        return SectionContent(
            empty=f"DfE had published none of these statistics for a date by {day_text(on)}."
        )
    rates = context.table(
        _table(context, [c for c in found if c.headline in RATES], "Rates", Kind.PERCENT, "rates")
    )
    caseload = context.table(
        _table(
            context,
            [c for c in found if c.headline in CASELOAD],
            "Average caseload (cases per case-holding FTE)",
            Kind.DECIMAL,
            "caseload",
        )
    )
    name = found[0].name
    group_name = found[0].group_phrase
    blocks: list[Any] = [
        Paragraph(
            f"{name} against {group_name} and England in the latest year DfE had published by "
            f"{day_text(on)}."
            + (
                " DfE does not publish this authority's figures: they are live figures from "
                "this system's records, worked out with DfE's definitions, at the same day."
                if area is None
                else ""
            )
        ),
        ChartBlock(spec=_chart(rates), alt=_alt(rates, name, group_name), table=rates),
        Paragraph(_caseload_sentence(caseload, name, group_name)),
        Note(
            "Source: DfE, Children's social work workforce; Children in need; Children looked "
            "after (Open Government Licence v3). The workforce figures are at 30 September; "
            "children in need and children looked after figures are for the year to 31 March. "
            "Rank 1 is the best value among every local authority with a value."
        ),
    ]
    figures = table_figures(rates, "benchmarks.rates", "measure")
    figures.update(table_figures(caseload, "benchmarks.caseload", "measure"))
    return SectionContent(blocks=blocks, figures=figures)


def _caseload_sentence(table: Table, name: str, group_name: str) -> str:
    if not table.rows:
        return "DfE has not published an average caseload to compare."
    measure, period, own, median, england, ranked = table.rows[0]
    column = table.columns[2]
    own_text = column.text(own)
    return (
        f"Average caseload at {period}: {name} {own_text} cases per case-holding FTE, "
        f"{group_name}' median {column.text(median)}, England {column.text(england)}"
        + (f" (rank {ranked})." if ranked else ".")
    )


def _alt(table: Table, name: str, group_name: str) -> str:
    return (
        f"Bar chart of {name}'s rates beside {group_name}' median and England's, in the latest "
        "year published; the figures are in the table."
    )


def _chart(table: Table) -> dict[str, Any]:
    import altair as alt

    series = [c.label for c in table.columns[2:5]]
    values = []
    for row in table.rows:
        for label, value in zip(series, row[2:5], strict=True):
            if value is not None:
                percent = Decimal(value) * 100
                values.append({"measure": row[0], "series": label, "value": float(percent)})
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("measure:N", title=None, sort=[r[0] for r in table.rows]),
            yOffset=alt.YOffset("series:N", sort=series),
            x=alt.X("value:Q", title="Rate (%)", axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "series:N", title=None, sort=series, legend=alt.Legend(orient="bottom")
            ),
        )
        .properties(width=420, height=60 * max(len(table.rows), 1), title=table.title)
    )
    return chart.to_dict()
