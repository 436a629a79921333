"""The report as a PDF: WeasyPrint prints the HTML page with its stylesheet.

The stylesheet's `@page` rules put the protective marking at the top and bottom of every page,
the data date and "Page 3 of 10" in the foot. The PDF is tagged to PDF/UA-1, in en-GB (the
page's `lang`), titled from the page's `<title>`. Nothing is fetched: the only resource the page
names is its own stylesheet, read from this package; charts are `data:` URLs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workforce.reports.document import Document
from workforce.reports.render import htmlpage

CSS_FILE = Path(__file__).resolve().parent.parent / "static" / htmlpage.STYLESHEET
VARIANT = "pdf/ua-1"


class BlockedResource(Exception):
    """The page asked for something other than its stylesheet or a `data:` URL."""


def _fetcher(href: str) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if href and url.endswith(href):
                css = CSS_FILE.read_bytes()
                return URLFetcherResponse(url, css, {"Content-Type": "text/css; charset=utf-8"})
            raise BlockedResource(url)

    return Fetcher()


def render(document: Document) -> bytes:
    import weasyprint

    href = htmlpage.stylesheet_href()
    page = weasyprint.HTML(
        string=htmlpage.render(document), base_url="file:///", url_fetcher=_fetcher(href)
    )
    return bytes(page.write_pdf(pdf_variant=VARIANT, pdf_tags=True))


def render_html(markup: str) -> bytes:
    """Any HTML printed the same way (the benchmark's floor: a bare table)."""
    import weasyprint

    page = weasyprint.HTML(string=markup, base_url="file:///", url_fetcher=_fetcher(""))
    return bytes(page.write_pdf(pdf_variant=VARIANT, pdf_tags=True))
