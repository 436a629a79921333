"""The report as one HTML page, for the preview, for print and for the PDF.

Every piece of text goes through `escape`: narrative is plain text and is never interpreted.
The page has no style attributes and no script: its look is the stylesheet
`reports/report.css` (a static file of this app), charts are SVG images in `data:` URLs.
"""

from __future__ import annotations

import base64
from html import escape
from typing import Any

from workforce.core.tables import Table
from workforce.reports.document import Document
from workforce.reports.render import charts, layout

STYLESHEET = "reports/report.css"  # the static path of the stylesheet


def stylesheet_href() -> str:
    """The stylesheet's URL as the application serves it."""
    try:
        from django.templatetags.static import static

        return static(STYLESHEET)
    except Exception:  # outside a configured Django (e.g. a script): the default static URL
        return f"/static/{STYLESHEET}"


def _e(text: Any) -> str:
    return escape(str(text), quote=True)


def _lines(text: str) -> str:
    """Escaped text with its single line breaks kept."""
    return "<br>".join(_e(line) for line in text.split("\n"))


def render(document: Document) -> str:
    out: list[str] = []
    w = out.append
    marking = layout.plain(document.protective_marking)
    title = layout.plain(document.title)
    w("<!DOCTYPE html>\n")
    w('<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n')
    w(f"<title>{_e(title)}</title>\n")
    w(f'<meta name="author" content="{_e(layout.plain(document.author))}">\n')
    w(f'<meta name="description" content="{_e(document.audience.label)}: {_e(title)}">\n')
    w(f'<meta name="dcterms.created" content="{_e(document.generated_at.date().isoformat())}">\n')
    w(f'<link rel="stylesheet" href="{_e(stylesheet_href())}">\n')
    w("</head>\n<body>\n")
    w('<header class="report-front">\n')
    w(f'<p class="report-classification">{_e(marking)}</p>\n')
    w(f'<p class="report-authority">{_e(layout.plain(document.authority))}</p>\n')
    w(f"<h1>{_e(title)}</h1>\n")
    w('<table class="report-details">\n<tbody>\n')
    for detail in layout.title_details(document):
        w(f'<tr><th scope="row">{_e(detail.label)}</th><td>{_e(detail.value)}</td></tr>\n')
    w("</tbody>\n</table>\n")
    w(f'<p class="report-as-at">{_e(layout.figures_as_at(document))}</p>\n')
    w("</header>\n<main>\n")
    open_section = False
    in_definitions = False
    items = layout.lay_out(document)
    specs = [
        charts.for_print(i.spec, keep_title=False) for i in items if isinstance(i, layout.ChartItem)
    ]
    images = iter(charts.each(charts.chart_svg, specs))
    for item in items:
        if isinstance(item, layout.SectionStart):
            if in_definitions:
                w("</dl>\n")
            if open_section:
                w("</section>\n")
            open_section = True
            in_definitions = item.key == layout.DEFINITIONS_KEY
            heading_id = f"section-{item.number}"
            w(f'<section class="report-section" aria-labelledby="{heading_id}">\n')
            w(
                f'<h2 id="{heading_id}"><span class="report-number">{item.number}. </span>'
                f"{_e(item.title)}</h2>\n"
            )
            if in_definitions:
                w('<dl class="report-definitions">\n')
        elif isinstance(item, layout.Para):
            if item.number is None:
                w(f'<p class="report-paragraph">{_lines(item.text)}</p>\n')
            else:
                w(
                    f'<p class="report-paragraph report-numbered">'
                    f'<span class="report-number">{item.number} </span>{_lines(item.text)}</p>\n'
                )
        elif isinstance(item, layout.SubHeading):
            level = min(item.level, 6)
            w(f'<h{level} class="report-subheading">{_e(item.text)}</h{level}>\n')
        elif isinstance(item, layout.BulletList):
            w('<ul class="report-bullets">\n')
            for text in item.items:
                w(f"<li>{_lines(text)}</li>\n")
            w("</ul>\n")
        elif isinstance(item, layout.TableItem):
            _table(w, item)
        elif isinstance(item, layout.ChartItem):
            svg = next(images)
            w('<figure class="report-chart">\n')
            w(f"<figcaption>{_e(item.caption)}</figcaption>\n")
            if svg is None:
                w(f'<p class="report-note">{_e(charts.NOT_DRAWN)}</p>\n')
            else:
                data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
                w(f'<img src="data:image/svg+xml;base64,{data}" alt="{_e(item.alt)}">\n')
            w("</figure>\n")
            _table(w, item.table)
        elif isinstance(item, layout.Small):
            w(f'<p class="report-note">{_lines(item.text)}</p>\n')
        elif isinstance(item, layout.Definition):
            w(
                f'<div class="report-definition"><dt><span class="report-number">{item.number} '
                f"</span>{_e(item.term)}</dt><dd>{_lines(item.text)}</dd></div>\n"
            )
    if in_definitions:
        w("</dl>\n")
    if open_section:
        w("</section>\n")
    w("</main>\n")
    w(f'<footer class="report-end"><p>{_e(marking)}</p></footer>\n')
    w("</body>\n</html>\n")
    return "".join(out)


def _table(w: Any, item: layout.TableItem) -> None:
    table: Table = item.table
    columns = table.page_columns
    wide = len(columns) >= layout.WIDE
    w(f'<div class="report-table{" report-table-wide" if wide else ""}">\n')
    if not table.rows or not table.page_columns:
        w(f'<p class="report-table-caption">{_e(item.caption)}</p>\n')
        w(f'<p class="report-paragraph">{_e(layout.plain(table.empty))}</p>\n')
    else:
        if wide:
            # Many columns: the printer measures them, so that no figure breaks across lines.
            w(f'<table class="report-wide">\n<caption>{_e(item.caption)}</caption>\n')
        else:
            w(f"<table>\n<caption>{_e(item.caption)}</caption>\n<colgroup>")
            for share in layout.column_widths(table):
                w(f'<col class="report-width-{width_class(share)}">')
            w("</colgroup>\n")
        w("<thead>\n<tr>")
        for column in columns:
            css = ' class="report-numeric"' if column.numeric else ""
            w(f'<th scope="col"{css}>{_e(layout.plain(column.heading))}</th>')
        w("</tr>\n</thead>\n<tbody>\n")
        for row in table.page_rows:
            _row(w, row, "")
        totals = table.page_totals
        if totals is not None:
            _row(w, totals, ' class="report-total"')
        w("</tbody>\n</table>\n")
    for note in table.all_notes:
        w(f'<p class="report-note">{_e(layout.plain(note))}</p>\n')
    w("</div>\n")


def width_class(share: float) -> int:
    """A column's share of its table in steps of 5%, the stylesheet's classes `report-width-N`."""
    return max(5, min(100, 5 * round(share * 20)))


def _row(w: Any, cells: list[Any], attributes: str) -> None:
    w(f"<tr{attributes}>")
    for i, cell in enumerate(cells):
        text = _e(layout.plain(cell.text))
        css = ' class="report-numeric"' if cell.numeric else ""
        if i == 0:
            w(f'<th scope="row"{css}>{text}</th>')
        else:
            w(f"<td{css}>{text}</td>")
    w("</tr>\n")
