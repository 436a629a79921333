"""A document laid out for the on-page preview: sections numbered as in a committee paper
(section 2, paragraphs 2.1, 2.2...), the officer's narrative split into paragraphs, and the
figures restated since issue marked against their sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from workforce.core.tables import DASH, Suppressed
from workforce.reports.document import (
    Bullets,
    ChartBlock,
    Document,
    Heading,
    Note,
    Paragraph,
    TableBlock,
)


@dataclass
class Item:
    kind: str  # paragraph, heading, bullets, table, chart, note
    text: str = ""
    number: str = ""
    level: int = 3
    items: tuple[str, ...] = ()
    table: Any = None
    alt: str = ""


@dataclass
class PageSection:
    number: int
    key: str
    title: str
    items: list[Item]
    empty: str
    restated: list[Any] = field(default_factory=list)


def narrative_paragraphs(text: str) -> list[str]:
    """The officer's text as paragraphs: separated by blank lines, lines within one joined."""
    paragraphs = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        joined = " ".join(line.strip() for line in chunk.splitlines() if line.strip())
        if joined:
            paragraphs.append(joined)
    return paragraphs


def layout(document: Document, restated: list[Any] | None = None) -> list[PageSection]:
    sections = []
    for number, section in enumerate(document.sections, start=1):
        counter = iter(range(1, 10_000))
        items: list[Item] = []

        def numbered(number: int = number, counter: Any = counter) -> str:
            return f"{number}.{next(counter)}"

        for text in narrative_paragraphs(section.narrative):
            items.append(Item(kind="paragraph", text=text, number=numbered()))
        for block in section.content.blocks:
            if isinstance(block, Heading):
                items.append(Item(kind="heading", text=block.text, level=max(3, block.level)))
            elif isinstance(block, Paragraph):
                items.append(
                    Item(
                        kind="paragraph",
                        text=block.text,
                        number=numbered() if block.numbered else "",
                    )
                )
            elif isinstance(block, Bullets):
                items.append(Item(kind="bullets", items=block.items))
            elif isinstance(block, TableBlock):
                items.append(Item(kind="table", table=block.table))
            elif isinstance(block, ChartBlock):
                items.append(Item(kind="chart", alt=block.alt, table=block.table))
            elif isinstance(block, Note):
                items.append(Item(kind="note", text=block.text))
        sections.append(
            PageSection(
                number=number,
                key=section.key,
                title=section.title,
                items=items,
                empty=section.content.empty,
                restated=[r for r in (restated or []) if r.section_key == section.key],
            )
        )
    return sections


def figure_text(value: Any) -> str:
    """A stored figure as read on the compare page."""
    if value is None:
        return DASH
    if isinstance(value, Suppressed):
        return "c"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral() else str(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)
