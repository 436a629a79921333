"""The establishment app's report section: the establishment table by role (Herefordshire 8.15).

The figures are `selectors.establishment_table` for the whole authority and all roles, as the
establishment table page shows by default; its totals are the sums of its rows, so it always
reconciles, and the section says so. In board mode a role's permanent or agency FTE is withheld
when it is one to four people (the people in post come from the same figures layer, by role),
and so is whatever is worked out from it in that row, and whatever else would let a total give
it away.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from workforce.core.dates import day_text
from workforce.core.suppression import withheld
from workforce.core.tables import SUPPRESSED, Kind, Table
from workforce.core.tables import Column as TableColumn
from workforce.establishment.selectors import (
    COLUMN_LABELS,
    Column,
    EstablishmentFilter,
    establishment_table,
    metrics_filter,
)
from workforce.metrics import selectors as metrics
from workforce.reports.document import Note, Paragraph, SectionContent, TableBlock
from workforce.reports.figures import slug
from workforce.reports.sections import ReportContext

TOTAL = "Total"
BUILT_ON = {
    Column.PERMANENT: ("in_post_people",),
    Column.AGENCY: ("agency_people",),
    Column.VACANT: (Column.PERMANENT.value,),
    Column.OVER_UNDER: (Column.PERMANENT.value, Column.AGENCY.value),
}
DEFINITIONS = (
    "Definitions: establishment is the budgeted FTE of posts at the date; permanent is the FTE "
    "of authority-employed staff (permanent, fixed-term and secondment) in them; agency is the "
    "FTE of agency staff; vacant is establishment less permanent where that is more than nought "
    "(DfE vacancy: budgeted FTE not filled by authority-employed staff, whether agency staff "
    "cover it or not), worked out role by role; (over)/under is establishment less permanent "
    "less agency, in brackets when there are more staff than budget. All roles are counted."
)


def _fte(value: Decimal) -> str:
    return f"{value:,.2f}"


def build(context: ReportContext) -> SectionContent:
    on = context.report_date
    where = EstablishmentFilter.for_scope(context.scope)
    found = establishment_table(where=where, on=on)
    if not found.rows:
        return SectionContent(empty=f"There were no funded posts at {day_text(on)}.")
    columns = [TableColumn("role", "Role")]
    columns += [
        TableColumn(
            c.value,
            COLUMN_LABELS[c],
            Kind.FTE,
            built_on=BUILT_ON.get(c, ()) if context.board_mode else (),
            brackets=c == Column.OVER_UNDER,
        )
        for c in Column
    ]
    rows: list[list[Any]] = [[r.role, *(r.value(c) for c in Column)] for r in found.rows]
    totals: list[Any] = [TOTAL, *(found.total(c) for c in Column)]
    if context.board_mode:
        # The people behind each role's FTE, to withhold one to four; never shown.
        people = {
            r.key: r.values
            for r in metrics.breakdown(
                where=metrics_filter(where),
                on=on,
                by="role",
                keys=("in_post_headcount", "agency_headcount"),
            )
        }
        columns += [
            TableColumn("in_post_people", "In post (people)", Kind.COUNT, suppressible=True,
                        on_page=False),
            TableColumn("agency_people", "Agency (people)", Kind.COUNT, suppressible=True,
                        on_page=False),
        ]  # fmt: skip
        for row, source in zip(rows, found.rows, strict=True):
            values = people.get(source.role_id, {}) if source.role_id is not None else {}
            row += [values.get("in_post_headcount") or 0, values.get("agency_headcount") or 0]
        whole = metrics.measures_on(
            where=metrics_filter(where), on=on, keys=("in_post_headcount", "agency_headcount")
        ).at(0)
        totals += [whole["in_post_headcount"] or 0, whole["agency_headcount"] or 0]
    reconciles = all(
        r.establishment - r.permanent - r.agency == r.over_under for r in found.rows
    ) and sum((r.over_under for r in found.rows), Decimal(0)) == found.total(Column.OVER_UNDER)
    notes = [
        "The table reconciles: each total is the sum of the rows above it, and in every row, "
        "and in the total, establishment less permanent less agency is the (over)/under figure."
        if reconciles
        else "The rows do not reconcile: establishment less permanent less agency differs from "
        "the (over)/under figure in at least one row."
    ]
    table = context.table(
        Table(
            f"Establishment by role at {day_text(on)} (FTE)",
            columns,
            rows,
            totals=totals,
            notes=notes,
            key="establishment",
        )
    )
    if context.board_mode:  # the people columns were only there to decide what to withhold
        keep = [
            i
            for i, c in enumerate(table.columns)
            if c.key not in ("in_post_people", "agency_people")
        ]
        table = Table(
            table.title,
            [table.columns[i] for i in keep],
            [[row[i] for i in keep] for row in table.rows],
            totals=None if table.totals is None else [table.totals[i] for i in keep],
            notes=table.notes,
            key=table.key,
        )
    figures: dict[str, Any] = {}
    assert table.totals is not None
    for row in [*table.rows, table.totals]:
        name = "total" if row is table.totals else slug(row[0])
        for column, value in zip(table.columns[1:], row[1:], strict=True):
            figures[f"establishment.{name}.{column.key}"] = SUPPRESSED if withheld(value) else value
    total = dict(zip((c.key for c in table.columns), table.totals or [], strict=True))
    parts = [f"At {day_text(on)} the establishment was {_fte(total['establishment'])} FTE"]
    if not withheld(total["permanent"]) and not withheld(total["agency"]):
        parts.append(
            f": {_fte(total['permanent'])} FTE filled by permanent staff and "
            f"{_fte(total['agency'])} FTE by agency staff"
        )
    sentence = "".join(parts) + "."
    if not withheld(total["vacant"]):
        sentence += f" {_fte(total['vacant'])} FTE was vacant."
    over_under = total["over_under"]
    if not withheld(over_under):
        if over_under < 0:
            sentence += f" Staff exceeded the budget by {_fte(-over_under)} FTE."
        elif over_under > 0:
            sentence += f" {_fte(over_under)} FTE of the budget was not filled by anyone."
        else:
            sentence += " Staff exactly matched the budget."
    return SectionContent(
        blocks=[Paragraph(sentence), TableBlock(table), Note(DEFINITIONS)], figures=figures
    )
