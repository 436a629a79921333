"""Log lines as JSON, one object a line, that never carry personal data or child identifiers.

A message is logged as its template ("Not Found: %s") with only the arguments that cannot hold
personal data: numbers, and URL paths with their query strings removed (paths here hold record
numbers, never names or child references; a query string can hold a search). An exception is
logged as its type and the places it passed through, never its message or values, which can
quote what someone typed. Everything else about a record (its level, logger, time, process)
is kept.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import traceback
from typing import Any

PATH = re.compile(r"^/[A-Za-z0-9/_\-.]*(\?.*)?$")
WITHHELD = "[withheld]"


def safe_argument(value: Any) -> Any:
    """The argument itself when it cannot carry personal data, otherwise a placeholder."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return value
    if isinstance(value, str) and PATH.match(value):
        return value.split("?", 1)[0]
    return WITHHELD


def safe_message(record: logging.LogRecord) -> str:
    template = str(record.msg)
    args = record.args
    if not args:
        return template
    try:
        if isinstance(args, dict):
            return template % {k: safe_argument(v) for k, v in args.items()}
        return template % tuple(safe_argument(a) for a in args)
    except (TypeError, ValueError, KeyError):
        return template


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": safe_message(record),
            "process": record.process,
        }
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            line["status"] = status
        if record.exc_info and record.exc_info[0] is not None:
            kind, _value, tb = record.exc_info
            line["exception"] = kind.__qualname__
            line["stack"] = [
                f"{frame.filename}:{frame.lineno} in {frame.name}"
                for frame in traceback.extract_tb(tb)
            ]
        return json.dumps(line, ensure_ascii=False)
