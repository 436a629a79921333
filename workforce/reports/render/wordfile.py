"""The report as a Word document (python-docx), laid out as a committee paper.

The report title is in the Title style; sections are Heading 1 ("2. Establishment"), headings
within a section Heading 2 and 3, so a word processor's navigation lists them. Numbered
paragraphs ("2.3") are in the style "Numbered Paragraph": the number, a tab, then the text, with
a hanging indent, so the numbers are the same as in the HTML and the PDF. Tables have the Table
Grid style (borders), a header row repeated on every page (`w:tblHeader`), numbers right-aligned
and the totals row bold. Charts are PNG images with their alternative text (`descr`) and their
numbers in a table after them. The header and footer carry the protective marking, the footer
the data date and "Page n of m" (PAGE and NUMPAGES fields). Text is only ever added as runs of
plain text.
"""

from __future__ import annotations

import io
import struct
from typing import Any

import docx as python_docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from workforce.core.tables import Table
from workforce.reports.document import Document
from workforce.reports.render import charts, layout

FONT = "Arial"
BLACK = RGBColor(0x0B, 0x0C, 0x0C)
GREY = RGBColor(0x50, 0x5A, 0x5F)
HANG = Cm(1.5)  # the indent of numbered paragraphs: their number sits in it
TEXT_WIDTH = Mm(210 - 20 - 18)  # A4 less the margins
NUMBERED = "Numbered Paragraph"
NOTE = "Small Print"
TABLE_TEXT = "Table Text"
CAPTION = "Caption"
HEADER_FILL = "F3F2F1"


def render(document: Document) -> bytes:
    word = python_docx.Document()
    _page(word)
    _styles(word)
    _properties(word, document)
    _header_footer(word, document)
    _front(word, document)
    for item in layout.lay_out(document):
        if isinstance(item, layout.SectionStart):
            word.add_paragraph(f"{item.number}.\t{item.title}", style="Heading 1")
        elif isinstance(item, layout.Para):
            if item.number is None:
                _text(word.add_paragraph(style=NUMBERED), item.text)
            else:
                _text(word.add_paragraph(f"{item.number}\t", style=NUMBERED), item.text)
        elif isinstance(item, layout.SubHeading):
            word.add_paragraph(item.text, style="Heading 2" if item.level <= 3 else "Heading 3")
        elif isinstance(item, layout.BulletList):
            for text in item.items:
                _text(word.add_paragraph(style="List Bullet"), text)
        elif isinstance(item, layout.TableItem):
            _table(word, item)
        elif isinstance(item, layout.ChartItem):
            _chart(word, item)
        elif isinstance(item, layout.Small):
            _text(word.add_paragraph(style=NOTE), item.text)
        elif isinstance(item, layout.Definition):
            paragraph = word.add_paragraph(f"{item.number}\t", style=NUMBERED)
            paragraph.add_run(item.term).bold = True
            _text(paragraph, ": " + item.text)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# The page, styles and properties --------------------------------------------------------------


def _page(word: Any) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(22), Mm(22)
    section.left_margin, section.right_margin = Mm(20), Mm(18)
    section.header_distance = section.footer_distance = Mm(10)


def _styles(word: Any) -> None:
    styles = word.styles
    # Every run in British English, in Arial, unless a style says otherwise.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-GB")
    normal = styles["Normal"]
    _font(normal, 11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11)):
        style = styles[name]
        _font(style, size, bold=True)
        style.font.italic = False
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_before = Pt(0 if name == "Title" else 12)
        style.paragraph_format.space_after = Pt(6)
    title = styles["Title"]
    # The template underlines the title with a border; a committee paper has none.
    title_ppr = title.element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):
        title_ppr.remove(border)
    heading1 = styles["Heading 1"]
    heading1.paragraph_format.tab_stops.add_tab_stop(HANG)
    for name in ("Heading 2", "Heading 3"):
        styles[name].paragraph_format.left_indent = HANG

    numbered = styles.add_style(NUMBERED, WD_STYLE_TYPE.PARAGRAPH)
    numbered.base_style = normal
    numbered.paragraph_format.left_indent = HANG
    numbered.paragraph_format.first_line_indent = -HANG
    numbered.paragraph_format.tab_stops.add_tab_stop(HANG)
    numbered.paragraph_format.widow_control = True

    bullet = styles["List Bullet"]
    _font(bullet, 11)
    bullet.paragraph_format.left_indent = HANG + Cm(0.6)
    bullet.paragraph_format.first_line_indent = -Cm(0.6)

    note = styles.add_style(NOTE, WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    _font(note, 8.5, color=GREY)
    note.paragraph_format.left_indent = HANG
    note.paragraph_format.space_after = Pt(4)

    cell = styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    _font(cell, 9.5)
    cell.paragraph_format.space_before = Pt(2)
    cell.paragraph_format.space_after = Pt(2)
    cell.paragraph_format.line_spacing = 1.0

    caption = styles[CAPTION]
    _font(caption, 10, bold=True)
    caption.font.italic = False
    caption.paragraph_format.left_indent = HANG
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(3)


def _font(style: Any, size: float, *, bold: bool | None = None, color: Any = BLACK) -> None:
    style.font.name = FONT
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attribute), FONT)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        rfonts.attrib.pop(qn(attribute), None)
    style.font.size = Pt(size)
    style.font.color.rgb = color
    if bold is not None:
        style.font.bold = bold


def _properties(word: Any, document: Document) -> None:
    properties = word.core_properties
    properties.title = layout.plain(document.title)[:255]
    properties.author = layout.plain(document.author)[:255]
    properties.last_modified_by = layout.plain(document.author)[:255]
    properties.subject = f"{document.audience.label}: {layout.plain(document.authority)}"[:255]
    properties.category = layout.plain(document.protective_marking)[:255]
    properties.comments = layout.figures_as_at(document)
    properties.keywords = "workforce report"
    properties.language = "en-GB"
    properties.created = document.generated_at
    properties.modified = document.generated_at
    properties.revision = 1


def _header_footer(word: Any, document: Document) -> None:
    marking = layout.plain(document.protective_marking)
    section = word.sections[0]
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = header.add_run(marking)
    run.bold = True
    run.font.size = Pt(9)

    footer = section.footer.paragraphs[0]
    width = section.page_width - section.left_margin - section.right_margin
    stops = footer.paragraph_format.tab_stops
    stops.add_tab_stop(width // 2, WD_TAB_ALIGNMENT.CENTER)
    stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    _small(footer.add_run(layout.figures_as_at(document)))
    footer.add_run("\t")
    marked = footer.add_run(marking)
    marked.bold = True
    marked.font.size = Pt(9)
    footer.add_run("\t")
    _small(footer.add_run("Page "))
    _field(footer, "PAGE", "1")
    _small(footer.add_run(" of "))
    _field(footer, "NUMPAGES", "1")


def _small(run: Any) -> Any:
    run.font.size = Pt(8)
    run.font.color.rgb = GREY
    return run


def _field(paragraph: Any, instruction: str, shown: str) -> None:
    """A field Word and LibreOffice update when they lay out the page (PAGE, NUMPAGES)."""

    def run_with(element: Any) -> None:
        run = _small(paragraph.add_run())
        run._r.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run_with(text)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    _small(paragraph.add_run(shown))
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


# The front and the body -----------------------------------------------------------------------


def _front(word: Any, document: Document) -> None:
    marking = word.add_paragraph()
    marking.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    marking.add_run(layout.plain(document.protective_marking)).bold = True
    authority = word.add_paragraph()
    run = authority.add_run(layout.plain(document.authority))
    run.bold = True
    run.font.size = Pt(13)
    word.add_paragraph(layout.plain(document.title), style="Title")
    details = layout.title_details(document)
    table = word.add_table(rows=len(details), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for row, detail in zip(table.rows, details, strict=True):
        label, value = row.cells
        label.width, value.width = Cm(5), TEXT_WIDTH - Cm(5)
        label_run = label.paragraphs[0].add_run(detail.label.upper())
        label_run.bold = True
        label_run.font.size = Pt(9.5)
        _text(value.paragraphs[0], detail.value)
    as_at = word.add_paragraph()
    as_at.paragraph_format.space_before = Pt(8)
    as_at.add_run(layout.figures_as_at(document)).bold = True
    _rule(as_at)


def _rule(paragraph: Any) -> None:
    """A line under a paragraph (the end of the front)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", "12"),
        ("w:space", "4"),
        ("w:color", "0B0C0C"),
    ):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _text(paragraph: Any, text: str) -> Any:
    """Plain text added to `paragraph`, its line breaks kept."""
    for i, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        if i:
            run._r.insert(0, OxmlElement("w:br"))
    return paragraph


def _table(word: Any, item: layout.TableItem) -> None:
    table: Table = item.table
    word.add_paragraph(item.caption, style=CAPTION)
    if not table.rows:
        _text(word.add_paragraph(style=NUMBERED), "\t" + layout.plain(table.empty))
    else:
        columns = table.page_columns
        rows = [
            [(layout.plain(c.heading), c.numeric) for c in columns],
            *[[(layout.plain(c.text), c.numeric) for c in row] for row in table.page_rows],
        ]
        totals = table.page_totals
        if totals is not None:
            rows.append([(layout.plain(c.text), c.numeric) for c in totals])
        grid = word.add_table(rows=len(rows), cols=len(columns))
        grid.style = word.styles["Table Grid"]
        grid.alignment = WD_TABLE_ALIGNMENT.RIGHT
        last = len(rows) - 1
        for number, (row, values) in enumerate(zip(grid.rows, rows, strict=True)):
            heading = number == 0
            bold = heading or (totals is not None and number == last)
            tr_pr = row._tr.get_or_add_trPr()
            tr_pr.append(OxmlElement("w:cantSplit"))
            if heading:
                tr_pr.append(OxmlElement("w:tblHeader"))
            for cell, (text, numeric) in zip(row.cells, values, strict=True):
                paragraph = cell.paragraphs[0]
                paragraph.style = word.styles[TABLE_TEXT]
                if numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                run = paragraph.add_run(text)
                if bold:
                    run.bold = True
                if heading:
                    _shade(cell)
        _fit(grid)
    for i, note in enumerate(table.all_notes):
        paragraph = _text(word.add_paragraph(style=NOTE), layout.plain(note))
        if i == 0:
            paragraph.paragraph_format.space_before = Pt(4)
    word.add_paragraph().paragraph_format.space_after = Pt(0)


def _fit(grid: Any) -> None:
    """The table as wide as the text beside the paragraph numbers."""
    tbl_pr = grid._tbl.tblPr
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int((TEXT_WIDTH - HANG) / 635)))  # twentieths of a point
    width.set(qn("w:type"), "dxa")
    existing = tbl_pr.find(qn("w:tblW"))
    if existing is not None:
        tbl_pr.remove(existing)
    tbl_pr.append(width)


def _shade(cell: Any) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), HEADER_FILL)
    cell._tc.get_or_add_tcPr().append(shading)


def _chart(word: Any, item: layout.ChartItem) -> None:
    png = charts.chart_png(charts.for_print(item.spec, keep_title=False))
    word.add_paragraph(item.caption, style=CAPTION)
    paragraph = word.add_paragraph()
    paragraph.paragraph_format.left_indent = HANG
    paragraph.paragraph_format.keep_with_next = True
    pixels = struct.unpack(">I", png[16:20])[0]  # the PNG's width, from its IHDR chunk
    natural = Cm(pixels / charts.PNG_SCALE / 96 * 2.54)
    shape = paragraph.add_run().add_picture(io.BytesIO(png), width=min(natural, TEXT_WIDTH - HANG))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", item.alt)
    doc_pr.set("title", item.caption)
    _table(word, item.table)
