"""Reports rendered from one `Document`: an HTML page, a Word file and a PDF, and the charts in
them as images. Every renderer lays the document out the same way (`layout`): sections numbered
1, 2, 3..., paragraphs 1.1, 1.2..., tables and figures captioned in order, "Definitions" last.
"""

from __future__ import annotations

from typing import Any

from workforce.reports.document import Document
from workforce.reports.render import charts, htmlpage, pdffile, wordfile

__all__ = ["chart_png", "chart_svg", "docx", "html", "pdf"]


def html(document: Document) -> str:
    """The report as a complete HTML page, styled by the static stylesheet `reports/report.css`."""
    return htmlpage.render(document)


def docx(document: Document) -> bytes:
    """The report as a Word document."""
    return wordfile.render(document)


def pdf(document: Document) -> bytes:
    """The report as a tagged PDF (PDF/UA-1), printed from `html(document)`."""
    return pdffile.render(document)


def chart_png(spec: dict[str, Any]) -> bytes:
    """A Vega-Lite chart as a PNG image, rendered offline."""
    return charts.chart_png(spec)


def chart_svg(spec: dict[str, Any]) -> str:
    """A Vega-Lite chart as SVG, rendered offline."""
    return charts.chart_svg(spec)
