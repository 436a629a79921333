"""The report section `careers.retention`: the retention page's figures laid out for a paper.

It reads `retention.page`, the function the retention page shows, for the builder's scope at
the report date: whether grown-our-own routes stay longer, the stability index, retention by
route group and by year of starting (charts with their tables), and turnover by length of
service and by route (and by team, in internal reports only). In board mode a group of 1 to 4
people shows no figure, and the turnover tables are suppressed (`context.table`).
"""

from __future__ import annotations

from typing import Any

from workforce.careers import retention
from workforce.core import numbers
from workforce.core.dates import day_text
from workforce.core.tables import SUPPRESSED
from workforce.metrics.selectors import filter_for_scope
from workforce.reports.document import ChartBlock, Note, Paragraph, SectionContent, TableBlock
from workforce.reports.figures import table_figures
from workforce.reports.sections import ReportContext

DEFINITIONS = (
    "Definitions: a spell of employment runs from the start of a person's continuous "
    "employment with the authority in census-counted roles to their recorded leaving; people "
    "still employed at the report date, and those whose employment ended with no leaving "
    "recorded, count up to the last day they were seen (Kaplan–Meier estimate, 95% limits by "
    "Greenwood's variance on the log-log scale). Grown our own: Step Up, Frontline and the "
    "degree apprenticeship. Turnover rate: leavers FTE in the 12 months to the date ÷ in post "
    "FTE at the date (DfE). Stability index: people in post with over a year's continuous "
    "service ÷ people in post."
)


def build(context: ReportContext) -> SectionContent:
    on = context.report_date
    page = retention.page(filter_for_scope(context.scope), on, board=context.board_mode)
    if not page.spells:
        return SectionContent(
            empty=f"No one had been employed in census-counted roles by {day_text(on)}."
        )
    figures: dict[str, Any] = {}
    blocks: list[Any] = [Paragraph(page.answer)]
    if page.stability_withheld:
        blocks.append(
            Paragraph("The stability index is not shown: it is built on fewer than 5 people.")
        )
        figures["retention.stability_index"] = SUPPRESSED
    else:
        blocks.append(
            Paragraph(
                f"The stability index was {numbers.percent_text(page.stability, 1)} at "
                f"{day_text(on)}: {numbers.count_text(page.stable)} of the "
                f"{numbers.count_text(page.in_post)} people in post had over a year's "
                "continuous service."
            )
        )
        figures["retention.stability_index"] = (
            None if page.stability is None else numbers.percentage(page.stability, 1)
        )
    for chart in page.charts:
        if chart.id not in ("km-grown", "km-cohort"):
            continue
        table = context.table(chart.summary_table)
        blocks.append(ChartBlock(spec=chart.spec, alt=chart.summary, table=table))
        figures.update(table_figures(table, f"retention.{chart.id.removeprefix('km-')}", "group"))
    keys = ("tenure", "route") if context.board_mode else ("tenure", "route", "team")
    for key in keys:
        table = context.table(page.turnover_tables[key])
        blocks.append(TableBlock(table))
        figures.update(table_figures(table, f"retention.turnover.{key}", "group"))
    blocks.append(Note(DEFINITIONS))
    return SectionContent(blocks=blocks, figures=figures)
