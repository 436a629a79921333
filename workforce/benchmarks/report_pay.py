"""The report section "Pay compared with other authorities": for the report date, the
authority's salary range by role beside the comparators' median (`selectors_pay.pay_comparison`,
as on the page), then each role's table with the date and source of every entry. Pay scales
are about grades, not people: nothing in it is personal or small-number data, so board mode
shows it as it is."""

from __future__ import annotations

from typing import Any

from workforce.benchmarks import selectors_pay as selectors
from workforce.core.dates import day_text
from workforce.reports.document import Note, Paragraph, SectionContent, TableBlock
from workforce.reports.figures import table_figures
from workforce.reports.sections import ReportContext

KEY = "benchmarks.pay"
TITLE = "Pay compared with other authorities"


def build(context: ReportContext) -> SectionContent:
    on = context.report_date
    comparisons = selectors.pay_comparison(context.scope, on=on)
    if not comparisons:
        return SectionContent(
            empty=f"No pay grades or comparator authorities' pay were recorded for {day_text(on)}."
        )
    summary = context.table(selectors.summary_table(comparisons, on=on))
    figures: dict[str, Any] = table_figures(summary, "pay", "role")
    blocks: list[Any] = [Paragraph(_sentence(comparisons, on=on)), TableBlock(summary)]
    for comparison in comparisons:
        if comparison.comparators:
            table = selectors.role_table(comparison, authority=context.authority, on=on)
            blocks.append(TableBlock(context.table(table)))
    sources = sorted(
        {(e.source, e.applies_on) for c in comparisons for r in c.comparators for e in r.entries},
        key=lambda s: (s[1], s[0]),
    )
    if sources:
        listed = "; ".join(f"{source} ({day_text(day)})" for source, day in sources)
        blocks.append(Note(f"Sources: {listed}."))
    blocks.append(Note(selectors.DEFINITIONS))
    return SectionContent(blocks=blocks, figures=figures)


def _sentence(comparisons: list[selectors.RoleComparison], *, on: Any) -> str:
    compared = [c for c in comparisons if c.grades and c.comparators]
    if not compared:
        return (
            f"On {day_text(on)} no role has both a grade of ours and a comparator's pay "
            "recorded, so there is nothing to set side by side yet."
        )
    parts = [f"{c.role.title}: {c.position.lower()}" for c in compared]
    return (
        f"On {day_text(on)}, against the median of the comparator authorities recorded: "
        + "; ".join(parts)
        + "."
    )
