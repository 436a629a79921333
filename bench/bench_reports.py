"""Rendering a board report: the Word file and the PDF of a large report.

`gather(ctx)` gives the `Document` to render and is timed on its own line, apart from the
rendering: the demo authority's internal report with every section, its figures read from the
figures layer. Without the demo authority it builds a sample larger than the la demo's report
(eight sections of narrative and tables, six charts of two years by month, and a table of 40
teams), so that the renderers are measured whatever the data.

Floors: the Word file's is python-docx alone writing the same tables' cells into a bare
document (no styles, captions, images or header); the PDF's is WeasyPrint printing the same
cells as bare HTML tables with no stylesheet.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from html import escape
from typing import Any

DOCX_TARGET = 3.0
PDF_TARGET = 10.0
SECTIONS = 8
CHARTS = 6  # the first sections have one each
ROWS = 20  # rows of each section's table
MONTHS = 24  # points of each chart
TEAMS = 40


def gather(ctx: Any) -> Any:
    """The document to render: the demo authority's internal report with every section, its
    figures read from the figures layer at the bench's date (the sample, larger, when the demo
    authority or its lead is not in the database)."""
    from workforce.core.access import scope_for
    from workforce.core.models import User
    from workforce.demo import generator
    from workforce.reports.document import Audience
    from workforce.reports.sections import report_sections
    from workforce.reports.services import compose_document, year_earlier

    lead = User.objects.filter(
        username="lead", authority__code=generator.DEMO_CODE, authority_id__in=ctx.authority_ids
    ).first()
    if lead is None:
        return sample_document(ctx.today)
    sections = report_sections(Audience.INTERNAL)
    return compose_document(
        scope_for(lead),
        title="Children's social work workforce",
        audience=Audience.INTERNAL,
        report_date=ctx.today,
        comparison_date=year_earlier(ctx.today),
        author="Head of workforce",
        protective_marking="",
        chosen=[(s.key, "The officer's narrative.") for s in sections],
    )


def sample_document(on: dt.date) -> Any:
    from workforce.core.tables import SUPPRESSED_CELL, Column, Kind, Table
    from workforce.reports.document import (
        Audience,
        Bullets,
        ChartBlock,
        Document,
        DocumentSection,
        Note,
        Paragraph,
        SectionContent,
        TableBlock,
    )

    def figures(title: str, rows: int) -> Table:
        return Table(
            title=title,
            columns=[
                Column("name", "Role or team"),
                Column("establishment", "Establishment", Kind.FTE),
                Column("in_post", "In post", Kind.FTE),
                Column("agency", "Agency workers", Kind.COUNT, suppressible=True),
                Column("vacancy", "Vacancy rate", Kind.PERCENT),
                Column("cost", "Agency cost", Kind.MONEY),
            ],
            rows=[
                [
                    f"Row {i + 1}",
                    Decimal(10 + i % 7),
                    Decimal(8 + i % 5) + Decimal("0.5"),
                    SUPPRESSED_CELL if i % 9 == 0 else i % 13,
                    Decimal(i % 11) / 40,
                    Decimal(1000 * i) + Decimal("0.25"),
                ]
                for i in range(rows)
            ],
            totals=["Total", Decimal(rows * 10), Decimal(rows * 8), rows, Decimal("0.1"), None],
            notes=["Establishment: funded posts."],
            suppress_below=5,
        )

    def chart(title: str) -> ChartBlock:
        months = [
            dt.date(on.year - 2 + (on.month + m) // 12, (on.month + m) % 12 + 1, 1)
            for m in range(MONTHS)
        ]
        rates = [Decimal(100 + (m * 7) % 40) / 1000 for m in range(MONTHS)]
        spec = {
            "title": title,
            "width": "container",
            "height": 200,
            "data": {
                "values": [
                    {"month": d.isoformat(), "rate": float(r)}
                    for d, r in zip(months, rates, strict=True)
                ]
            },
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": {"field": "month", "type": "temporal", "title": "Month"},
                "y": {"field": "rate", "type": "quantitative", "title": title},
            },
        }
        table = Table(
            title=title,
            columns=[Column("month", "Month", Kind.DATE), Column("rate", title, Kind.PERCENT)],
            rows=[[d, r] for d, r in zip(months, rates, strict=True)],
        )
        return ChartBlock(spec, f"Line chart of {title.lower()} over {MONTHS} months.", table)

    narrative = "\n\n".join(
        "The service continues to recruit permanent social workers and to reduce its use "
        "of agency staff, as members asked at the last meeting. " * 3
        for _ in range(3)
    )
    sections = [
        DocumentSection(
            f"bench.{n}",
            f"Section {n}",
            narrative,
            SectionContent(
                blocks=[
                    Paragraph(f"{n * 3} recruited against a target of {n * 4}."),
                    Bullets(("4 started", "7 in pre-employment checks")),
                    TableBlock(figures(f"Figures for section {n}", ROWS)),
                    *([chart(f"Vacancy rate {n}")] if n <= CHARTS else []),
                    Note("Source: the council's HR system."),
                ]
            ),
        )
        for n in range(1, SECTIONS + 1)
    ]
    sections.append(
        DocumentSection(
            "bench.teams", "Teams", "", SectionContent([TableBlock(figures("Teams", TEAMS))])
        )
    )
    return Document(
        title="Monthly workforce pack",
        authority="Benchmark Borough Council",
        audience=Audience.INTERNAL,
        report_date=on,
        comparison_date=on.replace(year=on.year - 1),
        author="Head of Workforce",
        data_date=on,
        generated_at=dt.datetime.combine(on, dt.time(9)),
        protective_marking="OFFICIAL-SENSITIVE",
        sections=sections,
        definitions=[(f"Term {i}", "What it means, in a sentence.") for i in range(20)],
    )


def _tables(document: Any) -> list[Any]:
    from workforce.reports.document import ChartBlock, TableBlock

    found = []
    for section in document.sections:
        for block in section.content.blocks:
            if isinstance(block, TableBlock | ChartBlock):
                found.append(block.table)
    return found


def _bare_docx(tables: list[Any]) -> bytes:
    import docx

    word = docx.Document()
    for table in tables:
        rows = [[c.heading for c in table.page_columns]]
        rows += [[c.text for c in row] for row in table.page_rows]
        grid = word.add_table(rows=len(rows), cols=len(rows[0]))
        for row, values in zip(grid.rows, rows, strict=True):
            for cell, text in zip(row.cells, values, strict=True):
                cell.paragraphs[0].add_run(text)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _bare_html(tables: list[Any]) -> str:
    parts = ["<!DOCTYPE html><html lang='en-GB'><head><title>Tables</title></head><body>"]
    for table in tables:
        parts.append("<table><tr>")
        parts += [f"<th>{escape(c.heading)}</th>" for c in table.page_columns]
        parts.append("</tr>")
        for row in table.page_rows:
            parts.append("<tr>" + "".join(f"<td>{escape(c.text)}</td>" for c in row) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def run(ctx: Any) -> list[dict[str, object]]:
    import time

    from workforce.reports import render
    from workforce.reports.render import pdffile

    started = time.perf_counter()
    document = gather(ctx)
    gathered = time.perf_counter() - started
    tables = _tables(document)
    cells = sum(len(t.page_rows) * len(t.page_columns) for t in tables)
    repeat = min(ctx.repeat, 3)
    markup = _bare_html(tables)
    return [
        ctx.result(
            "report: gather the figures of every section (demo authority, internal)",
            seconds=gathered,
            floor_seconds=None,
            target_seconds=None,
            rows=None,
        ),
        ctx.result(
            f"report: render DOCX ({len(document.sections)} sections, {len(tables)} tables)",
            seconds=ctx.time(lambda: render.docx(document), repeat),
            floor_seconds=ctx.time(lambda: _bare_docx(tables), repeat),
            target_seconds=DOCX_TARGET,
            rows=cells,
        ),
        ctx.result(
            f"report: render PDF ({len(document.sections)} sections, {len(tables)} tables)",
            seconds=ctx.time(lambda: render.pdf(document), repeat),
            floor_seconds=ctx.time(lambda: pdffile.render_html(markup), repeat),
            target_seconds=PDF_TARGET,
            rows=cells,
        ),
    ]
