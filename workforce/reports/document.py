"""A report as a document: a title page's details and sections of blocks, one model that the HTML
preview, the Word file and the PDF are all rendered from, and that a saved report keeps as JSON.

Blocks are plain data. A section builds them from the figures layer; the renderers never
compute a figure. Every number is in a `TableBlock` (a `core.tables.Table`, with its suppression
already applied in board mode) or in a `Paragraph`'s text written from the same values, and every
chart has its numbers in a table beside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from workforce.core.tables import Table


class Audience(StrEnum):
    SCRUTINY_BOARD = "scrutiny_board"
    IMPROVEMENT_BOARD = "improvement_board"
    EMPLOYMENT_COMMITTEE = "employment_committee"
    INTERNAL = "internal"

    @property
    def label(self) -> str:
        return AUDIENCE_LABELS[self]

    @property
    def board_mode(self) -> bool:
        """Boards and committees: no personal data, small numbers suppressed, no teams."""
        return self != Audience.INTERNAL


AUDIENCE_LABELS = {
    Audience.SCRUTINY_BOARD: "Scrutiny board",
    Audience.IMPROVEMENT_BOARD: "Improvement board",
    Audience.EMPLOYMENT_COMMITTEE: "Employment committee",
    Audience.INTERNAL: "Internal management",
}


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 3  # 1 the report title, 2 a section, 3 and below within a section


@dataclass(frozen=True)
class Paragraph:
    """Plain text (never HTML). `numbered` paragraphs carry the committee paper's paragraph
    numbers (2.1, 2.2...), given by the renderers from the section's position."""

    text: str
    numbered: bool = True


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class TableBlock:
    table: Table


@dataclass(frozen=True)
class ChartBlock:
    """A chart: a Vega-Lite spec (with its data inline), a text alternative, and the table of
    its numbers, which is always shown beside it."""

    spec: dict[str, Any]
    alt: str
    table: Table


@dataclass(frozen=True)
class Note:
    """A small-print note (a definition, a source, why something is empty)."""

    text: str


Block = Heading | Paragraph | Bullets | TableBlock | ChartBlock | Note


@dataclass
class SectionContent:
    """What a section gives: its blocks, and the figures it shows keyed by a stable name
    (`"in_post_fte"`, `"establishment.social_worker.vacancy_fte"`...), kept with a saved report
    so that regenerating it can say which figures were restated."""

    blocks: list[Block] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    empty: str = ""  # set when there is nothing to show: the plain sentence shown instead


@dataclass
class DocumentSection:
    key: str
    title: str
    narrative: str  # the officer's text, plain, paragraphs separated by blank lines
    content: SectionContent


@dataclass
class Document:
    title: str
    authority: str
    audience: Audience
    report_date: dt.date
    comparison_date: dt.date
    author: str
    data_date: dt.date  # the date the figures are at (the report date)
    generated_at: dt.datetime
    protective_marking: str  # "OFFICIAL" for board papers, "OFFICIAL-SENSITIVE" internal
    sections: list[DocumentSection] = field(default_factory=list)
    definitions: list[tuple[str, str]] = field(default_factory=list)  # (term, definition)
