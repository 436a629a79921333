"""A document laid out as a committee paper, once, for every renderer.

The sections are numbered 1, 2, 3... and the closing "Definitions" follows them. Within a
section, the officer's narrative paragraphs come first, then the section's blocks; narrative
paragraphs and numbered `Paragraph`s carry the numbers 1.1, 1.2..., tables are captioned
"Table 1", "Table 2"... and charts "Figure 1"... through the whole paper. The HTML, the Word file
and the PDF walk the same `Laid` items, so a paragraph has the same number in each.

Text stays plain: every renderer escapes it. Characters that XML cannot hold (control
characters other than tab and newline) are dropped here, so no narrative can break a file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from workforce.core.tables import Table
from workforce.reports.document import (
    Bullets,
    ChartBlock,
    Document,
    Heading,
    Note,
    Paragraph,
    TableBlock,
)

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def plain(text: str) -> str:
    """`text` with the characters no XML document may hold removed, line ends as `\\n`."""
    return _NOT_XML.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


def paragraphs(narrative: str) -> list[str]:
    """The officer's narrative split at blank lines; single line breaks stay in a paragraph."""
    parts = (p.strip() for p in _BLANK_LINE.split(plain(narrative)))
    return [p for p in parts if p]


def long_date(value: dt.date) -> str:
    """A date as a council paper writes it: "11 July 2013"."""
    return f"{value.day} {value:%B %Y}"


def figures_as_at(document: Document) -> str:
    return f"Figures as at {long_date(document.data_date)}"


@dataclass(frozen=True)
class Detail:
    label: str
    value: str


def title_details(document: Document) -> list[Detail]:
    """The rows of the title block, as on the front of a committee paper."""
    generated = document.generated_at
    return [
        Detail("Meeting", document.audience.label),
        Detail("Report date", long_date(document.report_date)),
        Detail("Title of report", plain(document.title)),
        Detail("Report by", plain(document.author)),
        Detail("Classification", plain(document.protective_marking)),
        Detail("Figures as at", long_date(document.data_date)),
        Detail("Compared with", long_date(document.comparison_date)),
        Detail("Produced", f"{generated.day} {generated:%B %Y %H:%M}"),
    ]


# Laid items ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionStart:
    number: int
    title: str
    key: str


@dataclass(frozen=True)
class Para:
    number: str | None  # "2.3", or None for an unnumbered paragraph
    text: str


@dataclass(frozen=True)
class SubHeading:
    level: int  # 3 and below: a heading within a section
    text: str


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True)
class TableItem:
    caption: str  # "Table 3: Establishment by role"
    table: Table


@dataclass(frozen=True)
class ChartItem:
    caption: str  # "Figure 1: Vacancy rate by month"
    alt: str
    spec: dict[str, Any]
    table: TableItem  # its numbers, always shown after it


@dataclass(frozen=True)
class Small:
    text: str


@dataclass(frozen=True)
class Definition:
    number: str
    term: str
    text: str


Item = SectionStart | Para | SubHeading | BulletList | TableItem | ChartItem | Small | Definition

DEFINITIONS_TITLE = "Definitions"
DEFINITIONS_KEY = "report.definitions"


@dataclass
class _Counter:
    tables: int = 0
    figures: int = 0

    def table(self, table: Table) -> TableItem:
        self.tables += 1
        return TableItem(f"Table {self.tables}: {plain(table.title)}", table)


def lay_out(document: Document) -> list[Item]:
    """Every item of the paper in reading order, numbered."""
    items: list[Item] = []
    count = _Counter()
    number = 0
    for number, section in enumerate(document.sections, start=1):
        items.append(SectionStart(number, plain(section.title), section.key))
        paragraph = 0

        def numbered(text: str) -> Para:
            nonlocal paragraph
            paragraph += 1
            return Para(f"{number}.{paragraph}", plain(text))  # noqa: B023

        for text in paragraphs(section.narrative):
            items.append(numbered(text))
        content = section.content
        if content.empty:
            items.append(numbered(content.empty))
            continue
        for block in content.blocks:
            if isinstance(block, Paragraph):
                items.append(
                    numbered(block.text) if block.numbered else Para(None, plain(block.text))
                )
            elif isinstance(block, Heading):
                items.append(SubHeading(max(block.level, 3), plain(block.text)))
            elif isinstance(block, Bullets):
                items.append(BulletList(tuple(plain(i) for i in block.items)))
            elif isinstance(block, TableBlock):
                items.append(count.table(block.table))
            elif isinstance(block, ChartBlock):
                count.figures += 1
                title = _chart_title(block.spec) or block.table.title
                items.append(
                    ChartItem(
                        f"Figure {count.figures}: {plain(title)}",
                        plain(block.alt),
                        block.spec,
                        count.table(block.table),
                    )
                )
            elif isinstance(block, Note):
                items.append(Small(plain(block.text)))
    if document.definitions:
        number += 1
        items.append(SectionStart(number, DEFINITIONS_TITLE, DEFINITIONS_KEY))
        for i, (term, text) in enumerate(document.definitions, start=1):
            items.append(Definition(f"{number}.{i}", plain(term), plain(text)))
    return items


WIDE = 8  # columns from which a table takes the whole width of the text, in a smaller type
WRAP_WIDE = 16  # the same in a table of many columns
WRAP_AT = 28  # characters: a text column wider than this wraps rather than widen further
SAMPLE_ROWS = 200  # rows read to size the columns


def column_widths(table: Table) -> list[float]:
    """Each page column's share of the table's width, from its longest heading word and its
    longest cell, so that "Establishment (FTE)" is not broken mid-word and names have room."""
    rows = table.page_rows[:SAMPLE_ROWS]
    totals = table.page_totals
    if totals is not None:
        rows.append(totals)
    weights = []
    for i, column in enumerate(table.page_columns):
        # Headings and the totals are bold: their characters are wider.
        heading = max((len(word) for word in column.heading.split()), default=1) * 1.3
        longest = max((len(row[i].text) for row in rows), default=1) * 1.15
        if not column.numeric:
            longest = min(longest, WRAP_AT if len(table.page_columns) < WIDE else WRAP_WIDE)
        weights.append(max(heading, longest, 4) + 2)  # 2: the cell's padding
    whole = sum(weights)
    return [w / whole for w in weights]


def _chart_title(spec: dict[str, Any]) -> str:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(str(t) for t in title)
    return str(title) if title else ""
