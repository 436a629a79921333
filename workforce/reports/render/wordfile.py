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

The page, the styles, the properties, the header and footer, the front and the table rows are
public helpers, so that other Word files (the action plans' formal response) look the same.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
from collections.abc import Sequence
from typing import Any

import docx as python_docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from lxml import etree

from workforce.core.tables import Table
from workforce.reports.document import Document
from workforce.reports.render import charts, layout

FONT = "Arial"
BLACK = RGBColor(0x0B, 0x0C, 0x0C)
GREY = RGBColor(0x50, 0x5A, 0x5F)
HANG = Cm(1.5)  # the indent of numbered paragraphs: their number sits in it
TEXT_WIDTH = Mm(210 - 20 - 18)  # A4 less the margins
NUMBERED = "Numbered Paragraph"
UNNUMBERED = "Unnumbered Paragraph"  # in line with the numbered paragraphs' text
NOTE = "Small Print"
TABLE_TEXT = "Table Text"
TABLE_TEXT_SMALL = "Table Text Small"  # the cells of tables of many columns
CAPTION = "Caption"
HEADER_FILL = "F3F2F1"


def render(document: Document) -> bytes:
    word = python_docx.Document()
    page(word)
    styles(word)
    _properties(word, document)
    _header_footer(word, document)
    _front(word, document)
    writer = _Writer(word)
    items = layout.lay_out(document)
    specs = [
        charts.for_print(i.spec, keep_title=False) for i in items if isinstance(i, layout.ChartItem)
    ]
    images = iter(charts.each(charts.chart_png, specs))
    for item in items:
        if isinstance(item, layout.SectionStart):
            writer.paragraph("Heading 1", f"{item.number}.\t{item.title}")
        elif isinstance(item, layout.Para):
            if item.number is None:
                writer.paragraph(UNNUMBERED, item.text)
            else:
                writer.paragraph(NUMBERED, f"{item.number}\t{item.text}")
        elif isinstance(item, layout.SubHeading):
            writer.paragraph("Heading 2" if item.level <= 3 else "Heading 3", item.text)
        elif isinstance(item, layout.BulletList):
            for text in item.items:
                writer.paragraph("List Bullet", text)
        elif isinstance(item, layout.TableItem):
            writer.table(item)
        elif isinstance(item, layout.ChartItem):
            writer.chart(item, next(images))
        elif isinstance(item, layout.Small):
            writer.paragraph(NOTE, item.text)
        elif isinstance(item, layout.Definition):
            paragraph = writer.paragraph(NUMBERED, f"{item.number}\t")
            paragraph.add_run(item.term).bold = True
            add_text(paragraph, ": " + item.text)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# The page, styles and properties --------------------------------------------------------------


def page(word: Any) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(22), Mm(22)
    section.left_margin, section.right_margin = Mm(20), Mm(18)
    section.header_distance = section.footer_distance = Mm(10)


def styles(word: Any) -> None:
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

    unnumbered = styles.add_style(UNNUMBERED, WD_STYLE_TYPE.PARAGRAPH)
    unnumbered.base_style = normal
    unnumbered.paragraph_format.left_indent = HANG
    unnumbered.paragraph_format.widow_control = True

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

    small = styles.add_style(TABLE_TEXT_SMALL, WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = cell
    _font(small, 7.5)

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
    set_properties(
        word,
        title=document.title,
        author=document.author,
        subject=f"{document.audience.label}: {layout.plain(document.authority)}",
        category=document.protective_marking,
        comments=layout.figures_as_at(document),
        keywords="workforce report",
        when=document.generated_at,
    )


def set_properties(
    word: Any,
    *,
    title: str,
    author: str,
    subject: str,
    category: str,
    comments: str,
    keywords: str,
    when: dt.datetime,
) -> None:
    """The core properties: plain text, language en-GB, created and modified `when`."""
    properties = word.core_properties
    properties.title = layout.plain(title)[:255]
    properties.author = layout.plain(author)[:255]
    properties.last_modified_by = layout.plain(author)[:255]
    properties.subject = layout.plain(subject)[:255]
    properties.category = layout.plain(category)[:255]
    properties.comments = layout.plain(comments)
    properties.keywords = keywords
    properties.language = "en-GB"
    properties.created = when
    properties.modified = when
    properties.revision = 1


def _header_footer(word: Any, document: Document) -> None:
    header_footer(word, marking=document.protective_marking, left=layout.figures_as_at(document))


def header_footer(word: Any, *, marking: str, left: str) -> None:
    """The protective marking at the top of every page; at the foot `left` (the data date),
    the marking and "Page n of m"."""
    marking = layout.plain(marking)
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
    _small(footer.add_run(layout.plain(left)))
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
    details = [(d.label, d.value) for d in layout.title_details(document)]
    front(
        word,
        marking=document.protective_marking,
        authority=document.authority,
        title=document.title,
        details=details,
        closing=layout.figures_as_at(document),
    )


def front(
    word: Any,
    *,
    marking: str,
    authority: str,
    title: str,
    details: Sequence[tuple[str, str]],
    closing: str,
) -> None:
    """The front of a committee paper: the marking, the authority, the title, a table of
    details (label, value) and a closing line ruled off."""
    marked = word.add_paragraph()
    marked.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    marked.add_run(layout.plain(marking)).bold = True
    name = word.add_paragraph()
    run = name.add_run(layout.plain(authority))
    run.bold = True
    run.font.size = Pt(13)
    word.add_paragraph(layout.plain(title), style="Title")
    table = word.add_table(rows=len(details), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    whole = int(TEXT_WIDTH / 635)  # in twentieths of a point
    label_width = int(Cm(5) / 635)
    table_width(table, whole, [label_width, whole - label_width])
    for row, (label_text, value_text) in zip(table.rows, details, strict=True):
        label, value = row.cells
        label.width, value.width = Cm(5), TEXT_WIDTH - Cm(5)
        label_run = label.paragraphs[0].add_run(layout.plain(label_text).upper())
        label_run.bold = True
        label_run.font.size = Pt(9.5)
        add_text(value.paragraphs[0], layout.plain(value_text))
    as_at = word.add_paragraph()
    as_at.paragraph_format.space_before = Pt(8)
    as_at.add_run(layout.plain(closing)).bold = True
    rule(as_at)


def rule(paragraph: Any) -> None:
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


def add_text(paragraph: Any, text: str) -> Any:
    """Plain text added to `paragraph`, its line breaks kept."""
    for i, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        if i:
            run._r.insert(0, OxmlElement("w:br"))
    return paragraph


class _Writer:
    """Adds paragraphs and tables to the body quickly: styles are set by their ids (python-docx
    looks a style up by name on every use), and table rows are built as XML directly."""

    def __init__(self, word: Any) -> None:
        self.word = word
        self.ids: dict[str, str] = {}
        self.table_style = word.styles["Table Grid"]

    def style_id(self, name: str) -> str:
        if name not in self.ids:
            self.ids[name] = self.word.styles[name].style_id
        return self.ids[name]

    def paragraph(self, style: str, text: str = "") -> Any:
        paragraph = self.word.add_paragraph()
        paragraph._p.get_or_add_pPr().style = self.style_id(style)
        return add_text(paragraph, text) if text else paragraph

    def table(self, item: layout.TableItem) -> None:
        table: Table = item.table
        self.paragraph(CAPTION, item.caption)
        if not table.rows or not table.page_columns:
            self.paragraph(UNNUMBERED, layout.plain(table.empty))
        else:
            columns = table.page_columns
            numeric = [c.numeric for c in columns]
            grid = self.word.add_table(rows=0, cols=len(columns))
            grid.style = self.table_style
            grid.alignment = WD_TABLE_ALIGNMENT.RIGHT
            # Many columns: the whole width of the text, in a smaller type (as the PDF).
            wide = len(columns) >= layout.WIDE
            room = TEXT_WIDTH if wide else TEXT_WIDTH - HANG
            whole = int(room / 635)  # in twentieths of a point
            widths = [int(whole * share) for share in layout.column_widths(table)]
            table_width(grid, whole, widths)
            if wide:
                _narrow_margins(grid)
            cell_style = self.style_id(TABLE_TEXT_SMALL if wide else TABLE_TEXT)
            tbl = grid._tbl
            headings = [c.heading for c in columns]
            tbl.append(table_row(headings, numeric, widths, cell_style, heading=True))
            for row in table.page_rows:
                tbl.append(table_row([c.text for c in row], numeric, widths, cell_style))
            totals = table.page_totals
            if totals is not None:
                texts = [c.text for c in totals]
                tbl.append(table_row(texts, numeric, widths, cell_style, bold=True))
        for i, note in enumerate(table.all_notes):
            paragraph = self.paragraph(NOTE, layout.plain(note))
            if i == 0:
                paragraph.paragraph_format.space_before = Pt(4)
        self.word.add_paragraph().paragraph_format.space_after = Pt(0)

    def chart(self, item: layout.ChartItem, png: bytes | None) -> None:
        self.paragraph(CAPTION, item.caption)
        if png is None:
            self.paragraph(NOTE, charts.NOT_DRAWN)
            self.table(item.table)
            return
        paragraph = self.word.add_paragraph()
        paragraph.paragraph_format.left_indent = HANG
        paragraph.paragraph_format.keep_with_next = True
        pixels = struct.unpack(">I", png[16:20])[0]  # the PNG's width, from its IHDR chunk
        natural = Cm(pixels / charts.PNG_SCALE / 96 * 2.54)
        shape = paragraph.add_run().add_picture(
            io.BytesIO(png), width=min(natural, TEXT_WIDTH - HANG)
        )
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", item.alt)
        doc_pr.set("title", item.caption)
        self.table(item.table)


def _el(parent: Any, tag: str, **attributes: str) -> Any:
    element = etree.SubElement(parent, qn(tag))
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), value)
    return element


def table_row(
    texts: list[str],
    numeric: list[bool],
    widths: list[int],
    style_id: str,
    *,
    heading: bool = False,
    bold: bool = False,
    merge: Sequence[str | None] | None = None,
) -> Any:
    """One table row: never split across pages; the heading row repeated on each (tblHeader),
    shaded and bold; numbers right-aligned; line breaks in a cell's text kept. `merge` gives,
    cell by cell, "restart" for a cell that begins a vertical merge, "continue" for one under
    it (its text is not shown) or None."""
    tr = OxmlElement("w:tr")
    tr_pr = _el(tr, "w:trPr")
    _el(tr_pr, "w:cantSplit")
    if heading:
        _el(tr_pr, "w:tblHeader")
    merges = list(merge) if merge is not None else [None] * len(texts)
    for text, number, width, merged in zip(texts, numeric, widths, merges, strict=True):
        tc = _el(tr, "w:tc")
        tc_pr = _el(tc, "w:tcPr")
        _el(tc_pr, "w:tcW", w=str(width), type="dxa")
        if merged == "restart":
            _el(tc_pr, "w:vMerge", val="restart")
        elif merged == "continue":
            _el(tc_pr, "w:vMerge")
            text = ""
        if heading:
            _el(tc_pr, "w:shd", val="clear", color="auto", fill=HEADER_FILL)
        p = _el(tc, "w:p")
        p_pr = _el(p, "w:pPr")
        _el(p_pr, "w:pStyle", val=style_id)
        if number:
            _el(p_pr, "w:jc", val="right")
        for i, line in enumerate(layout.plain(text).split("\n")):
            r = _el(p, "w:r")
            if heading or bold:
                _el(_el(r, "w:rPr"), "w:b")
            if i:
                _el(r, "w:br")
            t = _el(r, "w:t")
            t.text = line
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return tr


def table_width(grid: Any, whole: int, widths: list[int]) -> None:
    """The table as wide as the text beside the paragraph numbers, its columns `widths`."""
    grid.autofit = False  # w:tblLayout fixed: the widths below, not the cells', decide
    tbl_pr = grid._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:  # python-docx gives every table one; placed as the schema orders it
        width = OxmlElement("w:tblW")
        tbl_pr.insert(1, width)
    width.set(qn("w:w"), str(whole))
    width.set(qn("w:type"), "dxa")
    for column, share in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(share))


def _narrow_margins(grid: Any) -> None:
    """Cells of a table of many columns keep 0.1 cm either side of their text, not 0.19 cm."""
    tbl_pr = grid._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        _el(margins, f"w:{side}", w="57", type="dxa")
    # The schema orders tblCellMar after tblW, tblJc and the borders, before tblLook.
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)
