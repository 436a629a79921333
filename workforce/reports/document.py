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


# Saving: a Document as plain JSON and back ---------------------------------------------------
#
# A saved report keeps its Document as JSON so that opening it later shows it exactly as it was
# issued. Values keep their types: decimals, dates and moments are tagged so that they come
# back as they went in, and a suppressed cell stays suppressed.


def _encode(value: Any) -> Any:
    from decimal import Decimal

    from workforce.core.tables import Suppressed

    if isinstance(value, Suppressed):
        return {"$": "suppressed"}
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        return {"$": "decimal", "v": str(Decimal(str(value)))}
    if isinstance(value, Decimal):
        return {"$": "decimal", "v": str(value)}
    if isinstance(value, dt.datetime):
        return {"$": "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$": "date", "v": value.isoformat()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"$": "dict", "v": [[str(k), _encode(v)] for k, v in value.items()]}
    return str(value)


def _decode(value: Any) -> Any:
    from decimal import Decimal

    from workforce.core.tables import SUPPRESSED_CELL

    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    tag = value.get("$")
    if tag == "suppressed":
        return SUPPRESSED_CELL
    if tag == "decimal":
        return Decimal(value["v"])
    if tag == "datetime":
        return dt.datetime.fromisoformat(value["v"])
    if tag == "date":
        return dt.date.fromisoformat(value["v"])
    if tag == "dict":
        return {k: _decode(v) for k, v in value["v"]}
    return value


def encode_value(value: Any) -> Any:
    """A figure's value as JSON (decimals, dates and suppressed cells tagged)."""
    return _encode(value)


def decode_value(value: Any) -> Any:
    return _decode(value)


def _table_to_json(table: Table) -> dict[str, Any]:
    from dataclasses import asdict

    return {
        "title": table.title,
        "columns": [
            {
                **{k: list(v) if isinstance(v, tuple) else v for k, v in asdict(c).items()},
                "kind": str(c.kind),
            }
            for c in table.columns
        ],
        "rows": _encode(table.rows),
        "totals": _encode(table.totals),
        "notes": list(table.notes),
        "suppress_below": table.suppress_below,
        "key": table.key,
        "empty": table.empty,
    }


def _table_from_json(data: dict[str, Any]) -> Table:
    from workforce.core.tables import Column, Kind

    # Lists in JSON are the column's tuples (`built_on`, `sum_of`).
    def column(stored: dict[str, Any]) -> Column:
        fields: dict[str, Any] = {
            k: tuple(v) if isinstance(v, list) else v for k, v in stored.items()
        }
        fields["kind"] = Kind(stored["kind"])
        return Column(**fields)

    columns = [column(c) for c in data["columns"]]
    return Table(
        title=data["title"],
        columns=columns,
        rows=_decode(data["rows"]),
        totals=_decode(data["totals"]),
        notes=list(data["notes"]),
        suppress_below=data["suppress_below"],
        key=data["key"],
        empty=data["empty"],
    )


def _block_to_json(block: Block) -> dict[str, Any]:
    if isinstance(block, Heading):
        return {"type": "heading", "text": block.text, "level": block.level}
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": block.text, "numbered": block.numbered}
    if isinstance(block, Bullets):
        return {"type": "bullets", "items": list(block.items)}
    if isinstance(block, TableBlock):
        return {"type": "table", "table": _table_to_json(block.table)}
    if isinstance(block, ChartBlock):
        return {
            "type": "chart",
            "spec": block.spec,
            "alt": block.alt,
            "table": _table_to_json(block.table),
        }
    if isinstance(block, Note):
        return {"type": "note", "text": block.text}
    raise TypeError(f"Not a block: {block!r}")


def _block_from_json(data: dict[str, Any]) -> Block:
    kind = data["type"]
    if kind == "heading":
        return Heading(text=data["text"], level=data["level"])
    if kind == "paragraph":
        return Paragraph(text=data["text"], numbered=data["numbered"])
    if kind == "bullets":
        return Bullets(items=tuple(data["items"]))
    if kind == "table":
        return TableBlock(table=_table_from_json(data["table"]))
    if kind == "chart":
        return ChartBlock(spec=data["spec"], alt=data["alt"], table=_table_from_json(data["table"]))
    if kind == "note":
        return Note(text=data["text"])
    raise ValueError(f"Unknown block type {kind!r}")


def document_to_json(document: Document) -> dict[str, Any]:
    """The whole document as plain JSON (see `document_from_json`)."""
    return {
        "title": document.title,
        "authority": document.authority,
        "audience": str(document.audience),
        "report_date": document.report_date.isoformat(),
        "comparison_date": document.comparison_date.isoformat(),
        "author": document.author,
        "data_date": document.data_date.isoformat(),
        "generated_at": document.generated_at.isoformat(),
        "protective_marking": document.protective_marking,
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "narrative": s.narrative,
                "blocks": [_block_to_json(b) for b in s.content.blocks],
                "figures": _encode(s.content.figures),
                "empty": s.content.empty,
            }
            for s in document.sections
        ],
        "definitions": [[term, meaning] for term, meaning in document.definitions],
    }


def document_from_json(data: dict[str, Any]) -> Document:
    return Document(
        title=data["title"],
        authority=data["authority"],
        audience=Audience(data["audience"]),
        report_date=dt.date.fromisoformat(data["report_date"]),
        comparison_date=dt.date.fromisoformat(data["comparison_date"]),
        author=data["author"],
        data_date=dt.date.fromisoformat(data["data_date"]),
        generated_at=dt.datetime.fromisoformat(data["generated_at"]),
        protective_marking=data["protective_marking"],
        sections=[
            DocumentSection(
                key=s["key"],
                title=s["title"],
                narrative=s["narrative"],
                content=SectionContent(
                    blocks=[_block_from_json(b) for b in s["blocks"]],
                    figures=_decode(s["figures"]),
                    empty=s["empty"],
                ),
            )
            for s in data["sections"]
        ],
        definitions=[(term, meaning) for term, meaning in data["definitions"]],
    )
