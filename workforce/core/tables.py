"""The table type: a table built once by a selector, shown on a page and downloaded.

A `Table` has a title, typed columns, rows of exact values, an optional totals row, notes, and
the columns whose small numbers are suppressed. It renders as HTML (`core/_table.html`), CSV and
XLSX (`response`), and as a plain dict for JSON and reports (`to_dict`). Values stay exact in
the table; every column type is formatted in one place (`Column.text` for reading,
`Column.value` for downloads), rounding half up.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from workforce.core import numbers
from workforce.core.exports import XLSX_TYPE, defuse, safe_filename

DASH = "–"  # an empty figure
SUPPRESSED = "[c]"  # a figure withheld because it is small enough to identify someone


class Kind(StrEnum):
    TEXT = "text"
    COUNT = "count"
    DECIMAL = "decimal"
    PERCENT = "percent"  # values are fractions: 0.227 is shown as 22.7%
    FTE = "fte"
    MONEY = "money"
    DATE = "date"
    DATETIME = "datetime"  # a moment in local time, without its zone


NUMERIC = {Kind.COUNT, Kind.DECIMAL, Kind.PERCENT, Kind.FTE, Kind.MONEY}
DEFAULT_PLACES = {Kind.COUNT: 0, Kind.DECIMAL: 1, Kind.PERCENT: 1, Kind.FTE: 2, Kind.MONEY: 2}
DEFAULT_UNITS = {Kind.PERCENT: "%", Kind.MONEY: "£", Kind.FTE: "FTE"}


def rounded(value: Any, places: int) -> Decimal | None:
    """`value` rounded half up to `places` decimal places: the one rounding of figures for
    display (`core.numbers`), which every table uses."""
    return numbers.rounded(value, places)


class Suppressed:
    """A cell withheld on purpose (the selector decided); shown as `SUPPRESSED`."""

    def __repr__(self) -> str:
        return "SUPPRESSED_CELL"


SUPPRESSED_CELL = Suppressed()


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = Kind.TEXT
    places: int | None = None  # decimal places shown (defaults by kind)
    unit: str | None = None  # shown in the heading; defaults by kind ("" for none)
    suppressible: bool = False  # small numbers in this column are withheld
    on_page: bool = True  # False: in the downloads only
    # Board-mode suppression (`core/suppression.py`): the columns this value is worked out from
    # in the same row (a rate or an FTE from a count), withheld whenever one of them is.
    built_on: tuple[str, ...] = ()
    # The columns this one is the sum of in each row ("Recruited" of its stages), so that a
    # withheld part cannot be worked out from the row's total.
    sum_of: tuple[str, ...] = ()
    brackets: bool = False  # negative figures read in brackets: (3.00), as in accounts

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC

    @property
    def decimals(self) -> int:
        return DEFAULT_PLACES.get(self.kind, 0) if self.places is None else self.places

    @property
    def heading(self) -> str:
        """The label with its unit, as every rendering heads the column: "Cost (£)"."""
        unit = DEFAULT_UNITS.get(self.kind, "") if self.unit is None else self.unit
        return f"{self.label} ({unit})" if unit else self.label

    def value(self, value: Any) -> Any:
        """The cell for a download: numbers rounded half up as shown, dates as dates."""
        if value is None or isinstance(value, Suppressed):
            return None if value is None else SUPPRESSED
        if self.kind == Kind.TEXT:
            return _text(value)
        if self.kind in (Kind.DATE, Kind.DATETIME):
            return value
        if self.kind == Kind.COUNT and isinstance(value, int):
            return value
        # One rounding, half up, from the exact value (a fraction for a percentage).
        if self.kind == Kind.PERCENT:
            number = numbers.percentage(value, self.decimals)
        else:
            number = rounded(value, self.decimals)
        if number is None:
            return _text(value)
        return int(number) if self.decimals == 0 else number

    def text(self, value: Any) -> str:
        """The cell as a person reads it on a page."""
        if value is None:
            return DASH
        if isinstance(value, Suppressed):
            return SUPPRESSED
        if self.kind == Kind.TEXT:
            return _text(value)
        if self.kind == Kind.DATETIME and isinstance(value, dt.datetime):
            return f"{value.day} {value:%B %Y %H:%M}"
        if self.kind in (Kind.DATE, Kind.DATETIME):
            return f"{value.day} {value:%B %Y}" if isinstance(value, dt.date) else str(value)
        shown = self.value(value)
        if not isinstance(shown, int | Decimal):
            return str(shown)
        number = f"{shown:,.{self.decimals}f}"
        if self.brackets and number.startswith("-"):
            return f"({number[1:]})"
        if self.kind == Kind.PERCENT:
            return f"{number}%"
        if self.kind == Kind.MONEY:
            return f"-£{number[1:]}" if number.startswith("-") else f"£{number}"
        return number

    @property
    def number_format(self) -> str:
        """The XLSX number format for the column."""
        if self.kind == Kind.DATE:
            return "yyyy-mm-dd"
        if self.kind == Kind.DATETIME:
            return "yyyy-mm-dd hh:mm:ss"
        if not self.numeric:
            return "General"
        places = "." + "0" * self.decimals if self.decimals else ""
        if self.kind == Kind.PERCENT:
            return f"0{places}%"
        return f"#,##0{places}"


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@dataclass
class Cell:
    """One cell ready for the page."""

    text: str
    numeric: bool


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[list[Any]]  # one value per column, exact
    totals: list[Any] | None = None  # one value per column; text columns may hold a label
    notes: list[str] = field(default_factory=list)
    suppress_below: int | None = None  # in suppressible columns, 0 < n < this is withheld
    key: str = ""  # a name for the table in its page's download links
    empty: str = "Nothing to show yet."

    def __post_init__(self) -> None:
        width = len(self.columns)
        for row in [*self.rows, *([self.totals] if self.totals is not None else [])]:
            if len(row) != width:
                raise ValueError(f"{self.title}: a row has {len(row)} cells for {width} columns")

    # Reading ----------------------------------------------------------------------------------

    def index(self, key: str) -> int:
        for i, column in enumerate(self.columns):
            if column.key == key:
                return i
        raise KeyError(key)

    def column(self, key: str) -> list[Any]:
        """Every row's exact value in one column."""
        i = self.index(key)
        return [row[i] for row in self.rows]

    def hiding(self, *keys: str) -> Table:
        """The same table with `keys` left off the page (the downloads keep every column)."""
        columns = [
            dataclasses.replace(c, on_page=False) if c.key in keys else c for c in self.columns
        ]
        return dataclasses.replace(self, columns=columns)

    def _cell(self, column: Column, value: Any) -> Any:
        if (
            self.suppress_below is not None
            and column.suppressible
            and isinstance(value, int | float | Decimal)
            and not isinstance(value, bool)
            and 0 < value < self.suppress_below
        ):
            return SUPPRESSED_CELL
        return value

    def _visible(self, row: Sequence[Any]) -> list[Any]:
        return [self._cell(c, v) for c, v in zip(self.columns, row, strict=True)]

    @property
    def all_notes(self) -> list[str]:
        notes = list(self.notes)
        if self.suppress_below is not None and any(c.suppressible for c in self.columns):
            notes.append(
                f"{SUPPRESSED}: fewer than {self.suppress_below}, not shown so that no one "
                "can be identified."
            )
        return notes

    # The page --------------------------------------------------------------------------------

    @property
    def page_columns(self) -> list[Column]:
        return [c for c in self.columns if c.on_page]

    def _page_row(self, row: Sequence[Any]) -> list[Cell]:
        return [
            Cell(c.text(v), c.numeric)
            for c, v in zip(self.columns, self._visible(row), strict=True)
            if c.on_page
        ]

    @property
    def page_rows(self) -> list[list[Cell]]:
        return [self._page_row(row) for row in self.rows]

    @property
    def page_totals(self) -> list[Cell] | None:
        return None if self.totals is None else self._page_row(self.totals)

    # Downloads -------------------------------------------------------------------------------

    def records(self) -> list[list[Any]]:
        """Every row, then the totals, with download values (numbers, dates, text)."""
        rows = [*self.rows, *([self.totals] if self.totals is not None else [])]
        return [
            [c.value(v) for c, v in zip(self.columns, self._visible(row), strict=True)]
            for row in rows
        ]

    def csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([c.heading for c in self.columns])
        for record in self.records():
            writer.writerow(
                [v.isoformat() if isinstance(v, dt.date) else defuse(v) for v in record]
            )
        return buffer.getvalue()

    def xlsx(self) -> bytes:
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = _sheet_title(self.title)
        sheet.append([c.heading for c in self.columns])
        bold = Font(bold=True)
        for cell in sheet[1]:
            cell.font = bold
        records = self.records()
        for number, record in enumerate(records, start=2):
            for i, (column, value) in enumerate(zip(self.columns, record, strict=True), 1):
                if column.kind == Kind.PERCENT and isinstance(value, int | Decimal):
                    value = Decimal(value) / 100  # a real percentage: 22.7 is stored as 0.227
                cell = sheet.cell(row=number, column=i, value=_xlsx_value(value))
                cell.number_format = column.number_format
                if column.numeric:
                    cell.alignment = Alignment(horizontal="right")
                if self.totals is not None and number == len(records) + 1:
                    cell.font = bold
        for i, column in enumerate(self.columns, 1):
            texts = [column.heading] + [column.text(r[i - 1]) for r in self.rows]
            width = max(len(t) for t in texts)
            sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = min(
                max(width + 2, 10), 60
            )
        if self.all_notes:
            notes = workbook.create_sheet("Notes")
            notes.append(["Notes"])
            notes["A1"].font = bold
            for note in self.all_notes:
                notes.append([defuse(note)])
            notes.column_dimensions["A"].width = 100
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def response(self, fmt: str, filename: str) -> HttpResponse:
        """The table downloaded as `fmt` (`csv` or `xlsx`) named `filename` plus extension."""
        if fmt == "xlsx":
            response = HttpResponse(self.xlsx(), content_type=XLSX_TYPE)
        else:
            fmt = "csv"
            response = HttpResponse(self.csv(), content_type="text/csv; charset=utf-8")
        name = f"{safe_filename(filename)}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def to_dict(self) -> dict[str, Any]:
        """The table for JSON or a report: columns with their types, values as downloaded."""
        return {
            "title": self.title,
            "columns": [
                {
                    "key": c.key,
                    "label": c.label,
                    "heading": c.heading,
                    "type": str(c.kind),
                    "places": c.decimals if c.numeric else None,
                    "suppressible": c.suppressible,
                }
                for c in self.columns
            ],
            "rows": [_plain_row(self.columns, r) for r in self.records()[: len(self.rows)]],
            "totals": None if self.totals is None else _plain_row(self.columns, self.records()[-1]),
            "notes": self.all_notes,
        }


def _plain_row(columns: Sequence[Column], record: Sequence[Any]) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    return {c.key: plain(v) for c, v in zip(columns, record, strict=True)}


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return defuse(value)


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return cleaned[:31] or "Data"
