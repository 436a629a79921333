"""The renderers: one hand-built document with every kind of block, rendered once per format,
then read back (python-docx, pdftotext, LibreOffice) and checked against its own tables.

LibreOffice and poppler are Debian programs (`libreoffice-writer-nogui`, `poppler-utils`): the
tests that need them are skipped where they are missing, and fail instead under CI.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import zlib
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx as python_docx
import pytest
from docx.oxml.ns import qn

from workforce.core.tables import SUPPRESSED_CELL, Column, Kind, Table
from workforce.reports import render
from workforce.reports.document import (
    Audience,
    Bullets,
    ChartBlock,
    Document,
    DocumentSection,
    Heading,
    Note,
    Paragraph,
    SectionContent,
    TableBlock,
)

NARRATIVE = (
    "The purpose of this report is to update members on <script>alert('x')</script> "
    "recruitment & retention.\n\nAgency use has fallen since March."
)
ALT = "Line chart: the vacancy rate rose each month from 11.0% in January to 16.0% in June."


def establishment() -> Table:
    return Table(
        title="Establishment by role",
        columns=[
            Column("role", "Role"),
            Column("establishment", "Establishment", Kind.FTE),
            Column("permanent", "Permanent", Kind.FTE),
            Column("agency", "Agency workers", Kind.COUNT, suppressible=True),
            Column("vacancy_rate", "Vacancy rate", Kind.PERCENT),
            Column("cost", "Agency cost", Kind.MONEY),
        ],
        rows=[
            ["Service manager", Decimal("6"), Decimal("4"), 7, Decimal("0.125"), Decimal("1234.5")],
            ["Team manager", Decimal("9"), Decimal("4"), 6, Decimal("0.2222"), None],
            ["Social worker", Decimal("56.05"), Decimal("54.66"), 14, None, Decimal("98765")],
            [
                "Advanced practitioner",
                Decimal("8"),
                Decimal("4"),
                SUPPRESSED_CELL,
                Decimal("0.5"),
                Decimal("0"),
            ],
        ],
        totals=[
            "Total",
            Decimal("79.05"),
            Decimal("66.66"),
            27,
            Decimal("0.0961"),
            Decimal("99999.5"),
        ],
        notes=["Establishment: funded posts, in full-time equivalents."],
        suppress_below=5,
    )


def vacancy_by_month() -> Table:
    return Table(
        title="Vacancy rate by month",
        columns=[Column("month", "Month", Kind.DATE), Column("rate", "Vacancy rate", Kind.PERCENT)],
        rows=[[dt.date(2025, m, 1), Decimal(10 + m) / 100] for m in range(1, 7)],
    )


SPEC: dict[str, Any] = {
    "title": "Vacancy rate by month",
    "width": "container",
    "height": 180,
    "data": {"values": [{"month": f"2025-0{m}-01", "rate": (10 + m) / 100} for m in range(1, 7)]},
    "mark": {"type": "line", "point": True},
    "encoding": {
        "x": {"field": "month", "type": "temporal", "title": "Month"},
        "y": {
            "field": "rate",
            "type": "quantitative",
            "title": "Vacancy rate",
            "axis": {"format": ".0%"},
        },
    },
}


def sample() -> Document:
    return Document(
        title="Children's social care workforce report",
        authority="Exampleshire County Council",
        audience=Audience.SCRUTINY_BOARD,
        report_date=dt.date(2025, 9, 30),
        comparison_date=dt.date(2024, 9, 30),
        author="Head of Workforce",
        data_date=dt.date(2025, 9, 30),
        generated_at=dt.datetime(2025, 10, 1, 9, 30),
        protective_marking="OFFICIAL",
        sections=[
            DocumentSection(
                "metrics.headline",
                "Purpose",
                NARRATIVE,
                SectionContent(
                    blocks=[
                        Paragraph("11 recruited against a target of 15."),
                        Bullets(("4 started", "7 in pre-employment checks")),
                        Note("Source: the council's HR system."),
                    ]
                ),
            ),
            DocumentSection(
                "establishment.table",
                "Current workforce",
                "",
                SectionContent(
                    blocks=[
                        Heading("Establishment"),
                        TableBlock(establishment()),
                        Paragraph("Figures exclude students.", numbered=False),
                    ]
                ),
            ),
            DocumentSection(
                "metrics.trends",
                "Trends",
                "",
                SectionContent(blocks=[ChartBlock(SPEC, ALT, vacancy_by_month())]),
            ),
            DocumentSection(
                "demand.funnel",
                "Demand",
                "",
                SectionContent(empty="There are no referrals recorded for this date."),
            ),
        ],
        definitions=[
            ("Vacancy rate", "Vacant FTE as a share of establishment FTE."),
            ("FTE", "Full-time equivalent."),
        ],
    )


def tables() -> list[Table]:
    return [establishment(), vacancy_by_month()]


def shown_values(table: Table) -> list[str]:
    """Every cell the page shows, as `Column.text` formats it, totals included."""
    rows = [*table.page_rows, *([table.page_totals] if table.page_totals else [])]
    return [cell.text for row in rows for cell in row]


def program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        message = f"{name} is missing: apt-get install libreoffice-writer-nogui poppler-utils"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def document() -> Document:
    return sample()


@pytest.fixture(scope="module")
def html(document: Document) -> str:
    return render.html(document)


@pytest.fixture(scope="module")
def docx_bytes(document: Document) -> bytes:
    return render.docx(document)


@pytest.fixture(scope="module")
def word(docx_bytes: bytes) -> Any:
    return python_docx.Document(io.BytesIO(docx_bytes))


@pytest.fixture(scope="module")
def pdf_bytes(document: Document) -> bytes:
    return render.pdf(document)


def pdftotext(path: Path, *options: str) -> str:
    return subprocess.run(
        [program("pdftotext"), *options, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def words(text: str) -> str:
    """The text with every run of white space one space (a table cell may wrap)."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def pdf_path(pdf_bytes: bytes, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(pdf_bytes)
    return path


# HTML -------------------------------------------------------------------------------------------


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


def test_html_is_a_whole_page_with_its_stylesheet(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>")
    tags = parsed(html)
    assert ("html", {"lang": "en-GB"}) in tags.tags
    links = [a for t, a in tags.tags if t == "link"]
    assert links == [{"rel": "stylesheet", "href": "/static/reports/report.css"}]
    assert "<title>Children&#x27;s social care workforce report</title>" in html


def test_html_has_no_inline_style_or_script(html: str) -> None:
    tags = parsed(html)
    assert not [t for t, _ in tags.tags if t in ("script", "style")]
    assert not [a for _, a in tags.tags for name in a if name == "style" or name.startswith("on")]
    images = [a for t, a in tags.tags if t == "img"]
    assert [a["alt"] for a in images] == [ALT]
    assert all(a["src"].startswith("data:image/svg+xml;base64,") for a in images)
    widths = [a["class"] for t, a in tags.tags if t == "col"]
    assert widths[:6] == [f"report-width-{n}" for n in (30, 20, 15, 10, 10, 15)]


def test_html_narrative_is_text(html: str) -> None:
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "recruitment &amp; retention" in html
    assert "<script>alert" not in html


def test_html_numbers_sections_and_paragraphs(html: str) -> None:
    text = " ".join("".join(parsed(html).text).split())
    for expected in (
        "1. Purpose",
        "1.1 The purpose of this report",
        "1.2 Agency use has fallen",
        "1.3 11 recruited against a target of 15.",
        "2. Current workforce",
        "Table 1: Establishment by role",
        "3. Trends",
        "Figure 1: Vacancy rate by month",
        "Table 2: Vacancy rate by month",
        "4. Demand",
        "4.1 There are no referrals recorded for this date.",
        "5. Definitions",
        "5.1 Vacancy rate",
        "Figures as at 30 September 2025",
    ):
        assert expected in text


def test_html_shows_every_table_value(html: str) -> None:
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", html)
    for table in tables():
        for value in shown_values(table):
            assert value in cells
    assert "[c]" in cells  # the withheld cell
    assert "£99,999.50" in cells and "22.2%" in cells and "–" in cells


# Word -------------------------------------------------------------------------------------------


def styled(word: Any, style: str) -> list[str]:
    return [p.text for p in word.paragraphs if p.style.name == style]


def test_docx_headings_have_heading_styles(word: Any) -> None:
    assert styled(word, "Title") == ["Children's social care workforce report"]
    assert styled(word, "Heading 1") == [
        "1.\tPurpose",
        "2.\tCurrent workforce",
        "3.\tTrends",
        "4.\tDemand",
        "5.\tDefinitions",
    ]
    assert styled(word, "Heading 2") == ["Establishment"]


def test_docx_numbered_paragraphs(word: Any) -> None:
    numbered = styled(word, "Numbered Paragraph")
    numbers = [t.split("\t")[0] for t in numbered if "\t" in t and t[0].isdigit()]
    assert numbers == ["1.1", "1.2", "1.3", "4.1", "5.1", "5.2"]
    assert numbered[0] == (
        "1.1\tThe purpose of this report is to update members on "
        "<script>alert('x')</script> recruitment & retention."
    )
    assert styled(word, "Unnumbered Paragraph") == ["Figures exclude students."]
    assert "5.1\tVacancy rate: Vacant FTE as a share of establishment FTE." in numbered


def test_docx_tables_have_header_rows_and_every_value(word: Any) -> None:
    details, *figures = word.tables
    assert [row.cells[0].text for row in details.rows][:2] == ["MEETING", "REPORT DATE"]
    assert len(figures) == 2
    for grid, table in zip(figures, tables(), strict=True):
        header = grid.rows[0]
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in grid.rows[1:])
        assert [c.text for c in header.cells] == [c.heading for c in table.page_columns]
        assert grid.style.name == "Table Grid"
        cells = [c.text for row in grid.rows[1:] for c in row.cells]
        assert cells == shown_values(table)
    totals = figures[0].rows[-1]
    assert totals.cells[0].text == "Total"
    assert all(run.bold for c in totals.cells for run in c.paragraphs[0].runs)


def test_docx_chart_image_has_alt_text(word: Any) -> None:
    described = [
        (element.get("descr"), element.get("title"))
        for element in word.element.body.iter(qn("wp:docPr"))
    ]
    assert described == [(ALT, "Figure 1: Vacancy rate by month")]
    assert len(word.inline_shapes) == 1


def test_docx_header_footer_and_properties(word: Any) -> None:
    section = word.sections[0]
    assert section.header.paragraphs[0].text == "OFFICIAL"
    footer = section.footer.paragraphs[0]
    fields = [t.text.strip() for t in footer._p.iter(qn("w:instrText"))]
    assert fields == ["PAGE", "NUMPAGES"]
    assert "Figures as at 30 September 2025" in footer.text
    assert "OFFICIAL" in footer.text
    properties = word.core_properties
    assert properties.title == "Children's social care workforce report"
    assert properties.author == "Head of Workforce"
    assert properties.language == "en-GB"
    assert round(section.page_width.mm) == 210


def test_docx_opens_in_libreoffice(docx_bytes: bytes, tmp_path: Path) -> None:
    office = program("libreoffice")
    source = tmp_path / "report.docx"
    source.write_bytes(docx_bytes)
    subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    converted = tmp_path / "report.pdf"
    pages = pdftotext(converted, "-layout").count("\f")
    assert pages >= 2
    text = words(pdftotext(converted))
    assert f"Page 1 of {pages}" in text
    for table in tables():
        for value in shown_values(table):
            assert value in text


# PDF --------------------------------------------------------------------------------------------


def test_pdf_has_every_figure_page_numbers_and_marking(pdf_path: Path) -> None:
    text = words(pdftotext(pdf_path))
    for table in tables():
        for value in shown_values(table):
            assert value in text
    assert "<script>alert('x')</script> recruitment & retention." in text
    pages = pdftotext(pdf_path, "-layout").split("\f")[:-1]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.strip().splitlines() if line.strip()]
        assert lines[0] == "OFFICIAL"  # the marking at the top ...
        assert lines[-1].split() == [  # ... and at the bottom, with the data date
            "Figures",
            "as",
            "at",
            "30",
            "September",
            "2025",
            "OFFICIAL",
            "Page",
            str(number),
            "of",
            str(len(pages)),
        ]


def test_pdf_is_tagged_titled_and_british(pdf_bytes: bytes) -> None:
    assert pdf_bytes.startswith(b"%PDF-")
    streams = [pdf_bytes]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf_bytes, re.S):
        try:
            streams.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    catalog = b"".join(streams)
    assert b"/Lang (en-GB)" in catalog
    assert b"/StructTreeRoot" in catalog
    assert b"/MarkInfo <</Marked true>>" in catalog
    assert b'pdfuaid:part="1"' in catalog
    assert b"Children's social care workforce report" in catalog


# Charts and bad input ---------------------------------------------------------------------------


def test_charts_render_offline_and_never_fetch() -> None:
    assert render.chart_png(SPEC).startswith(b"\x89PNG\r\n\x1a\n")
    svg = render.chart_svg(SPEC)
    assert svg.lstrip().startswith("<svg") and "Vacancy rate by month" in svg
    remote = {**SPEC, "data": {"url": "https://example.com/figures.csv"}}
    with pytest.raises(ValueError, match="not allowed"):
        render.chart_svg(remote)


def test_a_chart_that_cannot_be_drawn_or_a_table_with_no_rows_still_makes_files() -> None:
    document = sample()
    remote = {**SPEC, "data": {"url": "https://example.com/figures.csv"}}
    empty = Table(
        title="Offers by role",
        columns=[Column("role", "Role")],
        rows=[],
        empty="No offers were made in the period.",
    )
    document.sections[2].content.blocks = [
        ChartBlock(remote, ALT, vacancy_by_month()),
        TableBlock(empty),
    ]
    word = python_docx.Document(io.BytesIO(render.docx(document)))
    assert "The chart could not be drawn; its numbers are in the table below." in styled(
        word, "Small Print"
    )
    assert "No offers were made in the period." in styled(word, "Unnumbered Paragraph")
    assert len(word.tables) == 3  # the details, the establishment, the chart's numbers
    html = render.html(document)
    assert "The chart could not be drawn" in html and "<img" not in html
    assert "Table 3: Offers by role" in html and "No offers were made in the period." in html


def test_a_document_with_no_sections_renders() -> None:
    document = sample()
    document.sections, document.definitions = [], []
    assert render.pdf(document).startswith(b"%PDF-")
    word = python_docx.Document(io.BytesIO(render.docx(document)))
    assert styled(word, "Heading 1") == []
    assert "<h2" not in render.html(document)


def test_huge_or_hostile_narrative_still_makes_files() -> None:
    document = sample()
    hostile = "<b>bold</b> & \x00\x0b\x1f " + "word " * 20_000  # 100,000 characters and more
    document.sections[0].narrative = hostile
    document.title = "Report \x07 & <i>title</i>"
    word = python_docx.Document(io.BytesIO(render.docx(document)))
    assert word.core_properties.title == "Report  & <i>title</i>"
    first = styled(word, "Numbered Paragraph")[0]
    assert first.startswith("1.1\t<b>bold</b> &  word word") and len(first) > 100_000
    html = render.html(document)
    assert "&lt;b&gt;bold&lt;/b&gt; &amp;  word" in html and "\x00" not in html
