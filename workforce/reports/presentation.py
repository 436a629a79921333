"""A document laid out for the on-page preview: sections numbered as in a committee paper
(section 2, paragraphs 2.1, 2.2...), the officer's narrative split into paragraphs, and the
figures restated since issue marked against their sections."""

from __future__ import annotations

import logging
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

log = logging.getLogger(__name__)


@dataclass
class Item:
    kind: str  # paragraph, heading, bullets, table, chart, note
    text: str = ""
    number: str = ""
    level: int = 3
    items: tuple[str, ...] = ()
    table: Any = None
    alt: str = ""
    svg: str = ""  # a chart drawn for the page; empty when it could not be drawn
    label: str = ""  # a table's name for its scrolling region, unique on the page


@dataclass
class PageSection:
    number: int
    key: str
    title: str
    items: list[Item]
    empty: str
    restated: list[str] = field(default_factory=list)  # "figure: 10 as issued, 11 now"


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
    seen: dict[str, int] = {}
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
                items.append(
                    Item(kind="chart", alt=block.alt, table=block.table, svg=chart_svg(block.spec))
                )
            elif isinstance(block, Note):
                items.append(Item(kind="note", text=block.text))
        for item in items:
            if item.table is not None:
                seen[item.table.title] = seen.get(item.table.title, 0) + 1
                count = seen[item.table.title]
                item.label = item.table.title if count == 1 else f"{item.table.title} ({count})"
        sections.append(
            PageSection(
                number=number,
                key=section.key,
                title=section.title,
                items=items,
                empty=section.content.empty,
                restated=[
                    f"{r.figure}: {figure_text(r.old)} as issued, {figure_text(r.new)} now"
                    for r in (restated or [])
                    if r.section_key == section.key
                ],
            )
        )
    return sections


def chart_svg(spec: dict[str, Any]) -> str:
    """A chart's Vega-Lite specification drawn as SVG for the page, as the Word and PDF files
    draw it (no script in the browser), or "" when it cannot be drawn: its table is shown
    either way."""
    from workforce.reports import render

    try:
        drawn = render.chart_svg(spec)
    except Exception:  # noqa: BLE001  (a chart that cannot be drawn leaves its table)
        log.warning("A report chart could not be drawn", exc_info=True)
        return ""
    return drawn if drawn.lstrip().startswith("<svg") else ""


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
