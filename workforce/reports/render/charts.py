"""Vega-Lite charts as static images, with vl-convert: no browser, no Node.js, no network.

`allowed_base_urls=[]` forbids the chart from loading anything: a report's charts carry their
data inline, so a spec that points at a URL fails rather than reaching out. Numbers and dates
are formatted for en-GB.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import vl_convert

T = TypeVar("T")
logger = logging.getLogger(__name__)
NOT_DRAWN = "The chart could not be drawn; its numbers are in the table below."
LOCALE = "en-GB"
WORKERS = 2  # charts are drawn two at a time: vl-convert leaves Python's lock while it draws
WIDTH = 560  # pixels, for a spec whose width follows its container on a page
PNG_SCALE = 2  # twice the pixels, so the image stays sharp in print


def for_print(spec: dict[str, Any], *, keep_title: bool = True) -> dict[str, Any]:
    """The spec made fit for a static image: a fixed width instead of the container's, and
    (unless `keep_title`) without its title, which the document shows as the caption."""
    fixed = copy.deepcopy(spec)
    if fixed.get("width") == "container":
        fixed["width"] = WIDTH
    if fixed.get("height") == "container":
        fixed["height"] = WIDTH // 2
    if not keep_title:
        fixed.pop("title", None)
    return fixed


FONT = "Arial, Liberation Sans, Helvetica, sans-serif"  # the documents' own


def _options() -> dict[str, Any]:
    return {
        "allowed_base_urls": [],
        "format_locale": LOCALE,
        "time_format_locale": LOCALE,
        "config": {"font": FONT},
    }


def chart_svg(spec: dict[str, Any]) -> str:
    """The chart as an SVG document."""
    return str(vl_convert.vegalite_to_svg(for_print(spec), **_options()))


def chart_png(spec: dict[str, Any], scale: float = PNG_SCALE) -> bytes:
    """The chart as a PNG image, at `scale` times its size in pixels (drawn from its SVG, which
    is quicker than vl-convert's own PNG and looks the same)."""
    return bytes(vl_convert.svg_to_png(chart_svg(spec), scale=scale))


def each(draw: Callable[[dict[str, Any]], T], specs: Sequence[dict[str, Any]]) -> list[T | None]:
    """`draw` applied to every spec, a few at a time, in order; None for a chart that cannot
    be drawn (a broken spec, or one that asks for data from a URL), which a document shows
    as a sentence above its numbers rather than failing."""

    def safely(spec: dict[str, Any]) -> T | None:
        try:
            return draw(spec)
        except Exception:
            logger.warning("A report chart could not be drawn", exc_info=True)
            return None

    if len(specs) < 2:
        return [safely(spec) for spec in specs]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(safely, specs))
