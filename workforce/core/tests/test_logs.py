"""Log lines: JSON, and never personal data or child identifiers."""

from __future__ import annotations

import json
import logging

from workforce.core.logs import WITHHELD, JsonFormatter


def _line(msg: str, *args: object, exc: BaseException | None = None) -> dict:
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, msg, args, None)
    if exc is not None:
        try:
            raise exc
        except type(exc):
            import sys

            record.exc_info = sys.exc_info()
    record.status_code = 404
    return json.loads(JsonFormatter().format(record))


def test_a_path_is_kept_without_its_query_string() -> None:
    line = _line("Not Found: %s", "/establishment/people/12/?q=Amira+Khan")

    assert line["message"] == "Not Found: /establishment/people/12/"
    assert line["level"] == "WARNING"
    assert line["logger"] == "django.request"
    assert line["status"] == 404


def test_names_and_child_references_in_arguments_are_withheld() -> None:
    line = _line("Could not read %s for child %s, row %d", "Amira Khan", "CHILD-0042", 7)

    assert line["message"] == f"Could not read {WITHHELD} for child {WITHHELD}, row 7"
    assert "Amira" not in json.dumps(line)
    assert "CHILD-0042" not in json.dumps(line)


def test_an_exception_is_logged_as_its_type_and_places_never_its_message() -> None:
    line = _line("Import run %s failed", 3, exc=ValueError("date of birth 01/02/1980 for Amira"))

    assert line["message"] == "Import run 3 failed"
    assert line["exception"] == "ValueError"
    assert line["stack"] and line["stack"][0].endswith("in _line")
    assert "Amira" not in json.dumps(line)
    assert "1980" not in json.dumps(line)


def test_a_message_whose_arguments_do_not_fit_is_logged_as_its_template() -> None:
    assert _line("%s and %s", "/a/")["message"] == "%s and %s"
