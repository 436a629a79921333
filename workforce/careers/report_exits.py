"""The report section "Why people leave": the themes leavers gave in exit interviews in the year
to the report date, the figures of the "Why people leave" page (`selectors_exits.
why_people_leave`). In board mode every count from 1 to 4 is withheld, and whatever would let
a total give it away (`core.suppression`)."""

from __future__ import annotations

from typing import Any

from workforce.careers import selectors_exits as selectors
from workforce.core.dates import day_text
from workforce.core.suppression import withheld
from workforce.core.tables import SUPPRESSED
from workforce.reports.document import ChartBlock, Note, Paragraph, SectionContent
from workforce.reports.figures import slug
from workforce.reports.sections import ReportContext

KEY = "careers.exits"
TITLE = "Why people leave"
DEFINITIONS = (
    "Definitions: a leaver is someone whose employment with the authority ended, counted by "
    "their last day; themes come from exit interviews with the outcome 'left'. A leaver who "
    "gave several themes is counted under each, so the themes add up to more than the leavers "
    "interviewed."
)


def _kept(value: Any) -> Any:
    return SUPPRESSED if withheld(value) else value


def build(context: ReportContext) -> SectionContent:
    on = context.report_date
    year = selectors.why_people_leave(context.scope, on=on, board=context.board_mode)
    if year.leavers == 0:
        return SectionContent(
            empty=f"No one left between {day_text(year.start)} and {day_text(on)}."
        )
    figures: dict[str, Any] = {
        "exits.leavers": _kept(year.leavers),
        "exits.interviewed": _kept(year.interviewed),
    }
    for label, count in year.table.rows:
        figures[f"exits.{slug(label)}"] = _kept(count)
    blocks: list[Any] = [Paragraph(selectors.year_sentence(year))]
    ranked = sorted(
        ((count, label) for label, count in year.table.rows if not withheld(count) and count),
        key=lambda t: (-t[0], t[1]),
    )
    if ranked:
        top = ", ".join(f"{label.lower()} ({count:,})" for count, label in ranked[:3])
        blocks.append(Paragraph(f"The themes leavers gave most often were {top}."))
    blocks.append(ChartBlock(spec=_chart(year.table), alt=_alt(year), table=year.table))
    blocks.append(Note(DEFINITIONS))
    return SectionContent(blocks=blocks, figures=figures)


def _alt(year: selectors.YearOfLeavers) -> str:
    left_out = any(withheld(count) for _, count in year.table.rows)
    return (
        f"Bar chart of the number of leavers giving each theme between {day_text(year.start)} "
        f"and {day_text(year.on)}." + (" Counts from 1 to 4 are left out." if left_out else "")
    )


def _chart(table: Any) -> dict[str, Any]:
    import altair as alt

    values = [
        {"theme": label, "count": count} for label, count in table.rows if not withheld(count)
    ]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("theme:N", title="Theme", sort=[v["theme"] for v in values]),
            x=alt.X("count:Q", title="Leavers giving the theme", axis=alt.Axis(format=",.0f")),
        )
        .properties(width=420, height=24 * max(len(values), 1), title=table.title)
    )
    return chart.to_dict()
