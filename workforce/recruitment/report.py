"""The recruitment app's report section: progress by strand and role, offers by role, what
happened in the year to the report date by role (from the day after the comparison date, as the
recruitment reports page shows that period: `recruitment.period.<role or total>.<event>`), and
the newly qualified social workers expected from the authority's own routes by the next
30 September (`recruitment.newly_qualified.expected`, the recruitment reports page's panel).

The counts are the recruitment figures as at the report date (`selectors.strand_progress` and
`selectors.offers_by_role`, both `figures.progress` over the applications' stage history), so
September's paper reproduces after a December withdrawal. The sentence is the one councils use:
"11 recruited at 30 September 2017 against a target of 15: 4 started, 7 in pre-employment
checks". In board mode counts from 1 to 4 are withheld, and so is whatever would give them away
(a row's recruited total, the still to find, the offers' totals).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from workforce.core.dates import day_text
from workforce.core.suppression import withheld
from workforce.core.tables import SUPPRESSED, Column, Kind, Table
from workforce.recruitment import expected, selectors
from workforce.reports.document import Note, Paragraph, SectionContent, TableBlock
from workforce.reports.figures import slug
from workforce.reports.sections import ReportContext

STAGES = ("recommended", "in_checks", "unconditional", "accepted", "started")
PEOPLE = ("offered", *STAGES, "conditional_accepted", "recruited")
DEFINITIONS = (
    "Definitions, as at the report date: recruited means recommended for appointment and "
    "still in the process (recommended with checks not yet started, in pre-employment checks, "
    "holding an unconditional offer, accepted and waiting to start) or started; a candidate "
    "recommended with no check requested yet is not counted as in pre-employment checks; "
    "offered means reached a conditional offer, including those who later withdrew; still to "
    "find is the target less those recruited, never below nought. Accepted and waiting to "
    "start does not count those who pulled out after accepting. Offers by role count "
    "conditional and unconditional offers made and accepted by the date; their accepted "
    "counts include people who later pulled out, shown in their own column."
)


def _board_columns(table: Table, *, drop: tuple[str, ...] = ()) -> Table:
    """The table for a board: counts of people withheld from 1 to 4, the recruited total the
    sum of its stages, still to find built on it, and the `drop` columns left out."""
    keep = [i for i, c in enumerate(table.columns) if c.key not in drop]

    def board(column: Column) -> Column:
        if column.key == "recruited":
            return dataclasses.replace(column, suppressible=True, sum_of=STAGES)
        if column.key == "still_to_find":
            return dataclasses.replace(column, built_on=("recruited",))
        if column.kind == Kind.COUNT and column.key != "target":
            return dataclasses.replace(column, suppressible=True)
        return column

    return Table(
        table.title,
        [board(table.columns[i]) for i in keep],
        [[row[i] for i in keep] for row in table.rows],
        totals=None if table.totals is None else [table.totals[i] for i in keep],
        notes=list(table.notes),
        key=table.key,
        empty=table.empty,
    )


def _value(row: dict[str, Any], key: str) -> Any:
    return SUPPRESSED if withheld(row[key]) else row[key]


def build(context: ReportContext) -> SectionContent:
    on = context.report_date
    where = selectors.ReportFilter.for_scope(
        context.scope, on=on, start=min(context.comparison_date + dt.timedelta(days=1), on)
    )
    rows = [r for r in selectors.strand_progress(where) if r.running_on(on)]
    offers = selectors.offers_by_role(where)
    newly_qualified = selectors.newly_qualified(where)
    period = selectors.period_rows(where)
    if not rows and not offers and not newly_qualified.total and not period:
        return SectionContent(
            empty=f"No recruitment campaign was running at {day_text(on)}, no one had "
            "been offered a post by then, and no trainee is expected to qualify by "
            f"{day_text(newly_qualified.last_day)}."
        )
    progress = selectors.progress_table(rows, on=on)
    progress.key = "progress"
    offers_table = selectors.report_table("offers_by_role", where)
    if context.board_mode:
        progress = context.table(_board_columns(progress, drop=("summary",)))
        offers_table = context.table(_board_columns(offers_table))
    else:
        progress = progress.hiding("summary")
    figures: dict[str, Any] = {}
    blocks: list[Any] = [
        Paragraph(
            f"Recruitment at {day_text(on)} in the campaigns running then, against each "
            "strand's target for each role:"
            if rows
            else f"No recruitment campaign was running at {day_text(on)}."
        )
    ]
    keys = [c.key for c in progress.columns]
    for source, cells in zip(rows, progress.rows, strict=True):
        row = dict(zip(keys, cells, strict=True))
        name = f"recruitment.{slug(source.campaign)}.{slug(source.strand)}.{slug(source.role)}"
        for key in ("target", *PEOPLE, "still_to_find"):
            figures[f"{name}.{key}"] = _value(row, key)
        sentence = selectors.progress_sentence(
            recruited=_value(row, "recruited"),
            target=source.target,
            started=_value(row, "started"),
            in_checks=_value(row, "in_checks"),
            unconditional=_value(row, "unconditional"),
            accepted=_value(row, "accepted"),
            recommended=_value(row, "recommended"),
            on=on,
        )
        blocks.append(Paragraph(f"{source.campaign}, {source.strand}, {source.role}: {sentence}."))
    if rows:
        blocks.append(TableBlock(progress))
    if offers:
        okeys = [c.key for c in offers_table.columns]
        for cells in [*offers_table.rows, offers_table.totals or []]:
            if not cells:
                continue
            row = dict(zip(okeys, cells, strict=True))
            name = "total" if cells is offers_table.totals else slug(row["role"])
            figures[f"recruitment.offers.{name}.offered"] = _value(row, "offered")
            figures[f"recruitment.offers.{name}.accepted"] = _value(row, "accepted")
        total = dict(zip(okeys, offers_table.totals or [], strict=True))
        if total and not withheld(total["offered"]) and not withheld(total["accepted"]):
            blocks.append(
                Paragraph(
                    f"By {day_text(on)}, {total['offered']} candidates had been offered a post "
                    f"and {total['accepted']} had accepted."
                )
            )
        blocks.append(TableBlock(offers_table))
    blocks += _period(context, where, period, figures)
    blocks += _newly_qualified(context, newly_qualified, figures)
    blocks.append(Note(DEFINITIONS))
    return SectionContent(blocks=blocks, figures=figures)


def _period(
    context: ReportContext,
    where: selectors.ReportFilter,
    rows: list[selectors.PeriodRow],
    figures: dict[str, Any],
) -> list[Any]:
    """What happened from the day after the comparison date to the report date, by role, as
    the recruitment reports page shows it for that period: figures
    `recruitment.period.<role or total>.<event>`. In board mode counts from 1 to 4 are
    withheld."""
    if not rows:
        return [Paragraph(f"No recruitment activity from {where.period_text}.")]
    table = selectors.period_table(rows, where)
    table.key = "period"
    if context.board_mode:
        table = context.table(
            dataclasses.replace(
                table,
                columns=[
                    dataclasses.replace(c, suppressible=c.kind == Kind.COUNT) for c in table.columns
                ],
            )
        )
    keys = [c.key for c in table.columns]
    for cells in [*table.rows, table.totals or []]:
        if not cells:
            continue
        row = dict(zip(keys, cells, strict=True))
        name = "total" if cells is table.totals else slug(row["role"])
        for key in keys[1:]:
            figures[f"recruitment.period.{name}.{key}"] = _value(row, key)
    blocks: list[Any] = []
    if not context.board_mode:
        blocks.append(Paragraph(selectors.offered_and_accepted(where)))
    blocks.append(TableBlock(table))
    return blocks


def _newly_qualified(
    context: ReportContext, panel: expected.Panel, figures: dict[str, Any]
) -> list[Any]:
    """The trainees expected to qualify by the next 30 September, as the recruitment reports
    page shows them: the councils' sentence and the table by route and month. In board mode
    the total is withheld from 1 to 4, and so is the sentence that would give it."""
    table = panel.table()
    table.key = "newly_qualified"
    if context.board_mode:
        table = context.table(table)
    total = table.totals[-1] if table.totals is not None else 0
    figures[expected.FIGURE] = SUPPRESSED if withheld(total) else total
    blocks: list[Any] = []
    if not withheld(total):
        blocks.append(Paragraph(panel.sentence))
    if panel.expected.rows:
        blocks.append(TableBlock(table))
    return blocks
