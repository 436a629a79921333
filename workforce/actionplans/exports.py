"""A plan as the formal response a council sends its board: a committee paper (Word) whose
appendix is the action plan table, one row per action (Recommendation | Action taken/proposed |
Responsibility | Timescale), each recommendation's cell merged over its actions; and the same
rows as one `core.tables.Table` for the CSV and XLSX downloads.

Every status is as at a day: the one the action's last progress update on or before the day
gave it (`Action.status_on`), so a response printed later for an earlier date reads as it did then.
The Word file is written with the report renderer's helpers (`reports/render/wordfile.py`): the
same page, styles, header and footer, repeated header row and rows that do not split. Owners'
and authors' names are never in these files: the plan names who is responsible by role.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import docx as python_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK

from workforce.actionplans.models import (
    Action,
    Recommendation,
    Source,
    SourceKind,
    Status,
    Update,
    rag,
)
from workforce.core.dates import day_text
from workforce.core.tables import Column, Kind, Table
from workforce.reports.render import layout, wordfile

HEADINGS = ("Recommendation", "Action taken/proposed", "Responsibility", "Timescale")
WIDTHS = (0.24, 0.35, 0.17, 0.24)  # shares of the text's width, as the Leeds plan has them
NO_ACTION = "No action recorded yet."
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# The rows --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseRow:
    recommendation: Recommendation
    action: Action | None  # None: a recommendation with no action yet
    first: bool  # the first row of its recommendation
    status: Status | None
    overdue: bool
    latest: Update | None

    @property
    def recommendation_text(self) -> str:
        return recommendation_text(self.recommendation)


def recommendation_text(recommendation: Recommendation) -> str:
    """ "Recommendation 1. That the Chief Social Services Officer considers..." """
    return f"Recommendation {recommendation.number}. {recommendation.text.strip()}"


def response_rows(recommendations: Sequence[Recommendation], on: dt.date) -> list[ResponseRow]:
    """One row per action, in the plan's order; a recommendation with none has one empty row.
    `recommendations` as `selectors.plan` gives them (actions and updates prefetched)."""
    rows = []
    for recommendation in recommendations:
        actions = list(recommendation.actions.all())
        if not actions:
            rows.append(ResponseRow(recommendation, None, True, None, False, None))
        for i, action in enumerate(actions):
            rows.append(
                ResponseRow(
                    recommendation,
                    action,
                    i == 0,
                    action.status_on(on),
                    action.is_overdue_on(on),
                    action.latest_on(on),
                )
            )
    return rows


def timescale_text(row: ResponseRow, *, progress: bool) -> str:
    """The Timescale cell: the timescale in words and the due date, the status at the day
    (and overdue when it is), and on a progress version the latest update."""
    action = row.action
    if action is None or row.status is None:
        return ""
    lines = []
    if action.timescale:
        lines.append(action.timescale)
    if action.due is not None:
        lines.append(f"Due by {day_text(action.due)}")
    status = row.status.label
    lines.append(f"Status: {status}, overdue" if row.overdue else f"Status: {status}")
    if progress:
        if row.latest is not None:
            lines.append(f"Latest update, {day_text(row.latest.on)}: {row.latest.text.strip()}")
        else:
            lines.append("No progress recorded yet.")
    return "\n".join(lines)


# The table: CSV and XLSX -----------------------------------------------------------------------


def response_table(source: Source, rows: Sequence[ResponseRow], on: dt.date) -> Table:
    """The action plan as one table: the formal response's columns, then the timescale's parts
    and the progress as columns of their own (for sorting and filtering in a spreadsheet)."""
    columns = [
        Column("number", "Recommendation number"),
        Column("recommendation", "Recommendation"),
        Column("action", "Action taken/proposed"),
        Column("responsibility", "Responsibility"),
        Column("timescale", "Timescale"),
        Column("due", "Due by", Kind.DATE),
        Column("status", "Status"),
        Column("rag", "RAG"),
        Column("overdue", "Overdue"),
        Column("latest_on", "Latest update on", Kind.DATE),
        Column("latest", "Latest update"),
    ]
    records = []
    for row in rows:
        action = row.action
        records.append(
            [
                row.recommendation.number,
                row.recommendation.text.strip(),
                action.text.strip() if action else NO_ACTION,
                action.responsibility if action else "",
                action.timescale if action else "",
                action.due if action else None,
                row.status.label if row.status else "",
                rag(row.status, action.due, on).label if action and row.status else "",
                row.overdue if action else "",
                row.latest.on if row.latest else None,
                row.latest.text.strip() if row.latest else "",
            ]
        )
    return Table(
        f"{source.title}: action plan",
        columns,
        records,
        notes=[
            f"Status at {day_text(on)}: the status the last progress update on or before that "
            "day gave each action. An open action past its due date is red whatever its status.",
        ],
        key="response",
        empty="The plan has no recommendations yet.",
    )


# The formal response: Word ---------------------------------------------------------------------

_WHAT_IT_WAS = {
    SourceKind.SCRUTINY: "{body} carried out an inquiry into {title}, and issued its final "
    "report on {date}.",
    SourceKind.OFSTED: "{body} inspected the authority ({title}) and issued its report on {date}.",
    SourceKind.IMPROVEMENT_NOTICE: "{body} issued an improvement notice ({title}) on {date}.",
    SourceKind.PEER_REVIEW: "{body} carried out a peer review of {title}, and issued its report "
    "on {date}.",
    SourceKind.INTERNAL_REVIEW: "{body} carried out an internal review of {title}, and issued "
    "its report on {date}.",
}


def introduction(
    source: Source, recommendations: Sequence[Recommendation], on: dt.date, *, progress: bool
) -> list[str]:
    """The paper's introduction: what the source was, and that this is the formal response."""
    template = _WHAT_IT_WAS.get(SourceKind(source.kind), _WHAT_IT_WAS[SourceKind.INTERNAL_REVIEW])
    said = template.format(body=source.body, title=source.title, date=day_text(source.issued_on))
    count = len(recommendations)
    made = f"{count} recommendation{'' if count == 1 else 's'}"
    paragraphs = [said[0].upper() + said[1:] + f" The report made {made}."]
    if source.summary.strip():
        paragraphs.append(f"In brief, the report found: {source.summary.strip()}")
    paragraphs.append(
        "This is the formal response to the recommendations. The action plan below sets out, "
        "for each recommendation, the action taken or proposed, who is responsible and the "
        f"timescale, with the status of each action at {day_text(on)}"
        + (" and the latest progress recorded on it." if progress else ".")
    )
    return paragraphs


def ask(source: Source) -> str:
    if source.kind == SourceKind.SCRUTINY:
        return (
            "Members are asked to consider the response provided and to decide whether further "
            "scrutiny involvement is required, and how often they wish to receive reports of "
            "progress against the recommendations."
        )
    return (
        "Members are asked to consider the response provided and the progress made against "
        "each recommendation."
    )


def subject(source: Source) -> str:
    return f"Formal response - {source.title}"


def response_docx(
    source: Source,
    recommendations: Sequence[Recommendation],
    *,
    on: dt.date,
    authority: str,
    originator: str,
    now: dt.datetime,
    progress: bool = False,
    marking: str = "OFFICIAL",
) -> bytes:
    """The formal response as a Word document, laid out as a council paper."""
    rows = response_rows(recommendations, on)
    word = python_docx.Document()
    wordfile.page(word)
    wordfile.styles(word)
    title = subject(source)
    as_at = f"Status as at {day_text(on)}"
    wordfile.set_properties(
        word,
        title=title,
        author=originator,
        subject=f"{source.body}: {authority}",
        category=marking,
        comments=as_at,
        keywords="formal response, action plan",
        when=now,
    )
    wordfile.header_footer(word, marking=marking, left=as_at)
    details = [
        ("Originator", originator),
        ("Report to", source.body),
        ("Date", day_text(on)),
        ("Subject", title),
        ("Classification", marking),
    ]
    wordfile.front(
        word, marking=marking, authority=authority, title=title, details=details, closing=as_at
    )

    def paragraph(style: str, text: str) -> None:
        wordfile.add_text(word.add_paragraph(style=style), layout.plain(text))

    paragraph("Heading 1", "1.\tIntroduction")
    for n, text in enumerate(introduction(source, recommendations, on, progress=progress), 1):
        paragraph(wordfile.NUMBERED, f"1.{n}\t{text}")
    paragraph("Heading 1", "2.\tRecommendation")
    paragraph(wordfile.NUMBERED, f"2.1\t{ask(source)}")

    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    paragraph("Title", source.title)
    paragraph("Heading 1", "Proposed Action Plan")
    if progress:
        paragraph(wordfile.UNNUMBERED, f"Progress recorded up to {day_text(on)}.")
    if not rows:
        paragraph(wordfile.UNNUMBERED, "The plan has no recommendations yet.")
    else:
        _plan_table(word, rows, progress=progress)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _plan_table(word: Any, rows: Sequence[ResponseRow], *, progress: bool) -> None:
    """The action plan: a header row repeated on each page, one row per action, each
    recommendation's cell merged down over its actions."""
    grid = word.add_table(rows=0, cols=len(HEADINGS))
    grid.style = word.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    whole = int(wordfile.TEXT_WIDTH / 635)  # in twentieths of a point
    widths = [int(whole * share) for share in WIDTHS]
    wordfile.table_width(grid, whole, widths)
    style_id = word.styles[wordfile.TABLE_TEXT].style_id
    numeric = [False] * len(HEADINGS)
    tbl = grid._tbl
    tbl.append(wordfile.table_row(list(HEADINGS), numeric, widths, style_id, heading=True))
    spans: dict[int, int] = {}
    for row in rows:
        spans[row.recommendation.pk] = spans.get(row.recommendation.pk, 0) + 1
    for row in rows:
        action = row.action
        alone = spans[row.recommendation.pk] == 1
        merge = None if alone else ("restart" if row.first else "continue")
        texts = [
            row.recommendation_text,
            action.text.strip() if action else NO_ACTION,
            action.responsibility if action else "",
            timescale_text(row, progress=progress),
        ]
        tbl.append(
            wordfile.table_row(texts, numeric, widths, style_id, merge=[merge, None, None, None])
        )
