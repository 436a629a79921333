"""Downloads: which format a request asks for, the filters for its links, safe file names and
cells. The files themselves are written by the table type (`workforce/core/tables.py`)."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def requested_format(request: HttpRequest) -> str | None:
    """`csv` or `xlsx` when a download is asked for; anything else shows the page."""
    fmt = request.GET.get("format", "")
    return fmt if fmt in FORMATS else None


def filters_query(request: HttpRequest, **changes: Any) -> str:
    """The page's filters for its links, some changed (None drops one): never the download
    format or the page number."""
    params = request.GET.copy()
    for key in ("format", "page"):
        params.pop(key, None)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return params.urlencode()


def safe_filename(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "download"


def defuse(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made plain text; anything else as is."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and not _is_number(value):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
