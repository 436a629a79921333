"""Reading rows from CSV and XLSX extracts (HR and payroll systems' exports), one row at a time.

What a file is comes from its contents, not its name: an XLSX workbook is a zip holding a
workbook's parts; anything else must be text, decoded as UTF-8 with a byte order mark, UTF-8 or
Windows-1252 (tried in that order). A program, a PDF, an old binary `.xls` or a zip that is not a
workbook is refused, saying what it is.

Rows are read as they come (the `csv` module on a text stream; openpyxl in read-only mode), so
reading does not hold the file's rows in memory. Blank rows are skipped and only counted. The
header is the first row, among the first few that are not blank, that names the columns sought;
a column can be found under its own heading, one of its usual other headings, or the heading a
saved mapping gives it. A missing column is named.

Formulas are never worked out: the workbook is opened without the values a spreadsheet program
may have stored for them, and a cell holding a formula (in CSV, a value starting with "=") is an
error naming the cell. Dates are read as Excel serial numbers, ISO dates (2025-03-31) and the UK
forms 31/03/2025, 31-Mar-2025 and 31 March 2025; numbers with a decimal comma are refused.

Every problem carries a stable code (`Code`), the line, the column as the file heads it and the
value found.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, ClassVar

from django.core.exceptions import ValidationError

from workforce.core import progress
from workforce.core.models import Authority
from workforce.imports.base import MEGABYTE, Importer, Outcome, Problem, Refused, Severity


class Code(StrEnum):
    """Stable codes of the problems a file of rows can have. Never renumber: people look them up."""

    NOT_A_TABLE = "HR-001"  # not CSV or XLSX by its contents
    EMPTY = "HR-002"  # no bytes, or no row that is not blank
    NO_ROWS = "HR-003"  # a header and nothing under it
    MISSING_COLUMN = "HR-004"
    REPEATED_COLUMN = "HR-005"
    NOT_READ = "HR-006"  # a column of the file that nothing reads (warning)
    FORMULA = "HR-101"
    DATE = "HR-102"
    NUMBER = "HR-103"
    DECIMAL_COMMA = "HR-104"
    REQUIRED = "HR-105"
    UNKNOWN_CODE = "HR-106"
    TOO_LONG = "HR-107"
    CONTRADICTS = "HR-201"  # the same record twice, saying different things
    REPEATED = "HR-202"  # the same record twice, the same (warning)
    REFUSED = "HR-203"  # the rules refuse the change
    NOT_LISTED = "HR-204"  # no longer in a monthly extract: its end is proposed (warning)
    CONFLICT = "HR-205"  # the file says something the system holds differently and cannot change
    KEPT = "HR-206"  # the system holds something else; the system's is kept (warning)
    UNKNOWN_RECORD = "HR-207"  # a reference to a record the system does not have


HEADER_SEARCH = 10  # rows, not blank, in which the header is looked for
CHUNK = 1 << 20
BOM = codecs.BOM_UTF8
ENCODINGS = ("utf-8-sig", "utf-8", "cp1252")
ENCODING_NAMES = {"utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8", "cp1252": "Windows-1252"}
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1 January 1900 (Excel's leap-year quirk)
SERIALS = (20000, 80000)  # serial numbers taken as dates: 1954 to 2119
MAGIC = (
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) or Word file: save it as XLSX or CSV"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
)


def _refuse(message: str, code: Code, *, line: int | None = None, column: str = "") -> Refused:
    return Refused(
        [Problem(Severity.ERROR, message, field="file", code=code, line=line, column=column)]
    )


def normal(text: str) -> str:
    """A heading or a local code as compared: case, spaces and punctuation aside."""
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula, as written: never worked out."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Column:
    """A column an importer reads: `field` is its name in the system, `heading` the heading
    expected, `aliases` other headings the usual extracts give it."""

    field: str
    heading: str
    required: bool = True
    aliases: tuple[str, ...] = ()
    hint: str = ""  # what to put in it, for the mapping page

    def headings(self) -> set[str]:
        return {normal(h) for h in (self.heading, self.field, *self.aliases)}


# Reading bytes ---------------------------------------------------------------------------------


def file_type(data: bytes) -> str:
    """ "xlsx" or "csv", from the contents; refused when it is neither."""
    # A chunk at a time: stripping the whole file would copy it.
    if not any(data[i : i + CHUNK].strip(b" \t\r\n" + BOM) for i in range(0, len(data), CHUNK)):
        raise _refuse("The file is empty.", Code.EMPTY)
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    for magic, what in MAGIC:
        if data.startswith(magic):
            raise _refuse(f"The file is {what}, not a CSV or XLSX spreadsheet.", Code.NOT_A_TABLE)
    if b"\x00" in data[:CHUNK]:
        raise _refuse(
            "The file is not a CSV or XLSX spreadsheet: it is not text.", Code.NOT_A_TABLE
        )
    return "csv"


def encoding_of(data: bytes) -> str:
    """UTF-8 with BOM, UTF-8 or Windows-1252: the first the whole file decodes in, checked a
    chunk at a time."""
    candidates = ("utf-8-sig",) if data.startswith(BOM) else ("utf-8", "cp1252")
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for start in range(0, len(data), CHUNK):
                decoder.decode(data[start : start + CHUNK])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise _refuse(
        "The file is not text in UTF-8 or Windows-1252, so it is not a CSV file. Save it from "
        "the spreadsheet as CSV UTF-8, or as XLSX.",
        Code.NOT_A_TABLE,
    )


def _csv_rows(data: bytes, encoding: str) -> Iterator[tuple[int, list[Any]]]:
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    reader = csv.reader(text)
    line = 1
    try:
        for values in reader:
            yield line, [Formula(v) if v.startswith("=") else v for v in values]
            line = reader.line_num + 1
    except csv.Error as exc:
        raise _refuse(
            f"Line {reader.line_num} cannot be read as CSV: {exc}.",
            Code.NOT_A_TABLE,
            line=reader.line_num,
        ) from exc


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise _refuse("The file is a damaged zip, not an XLSX workbook.", Code.NOT_A_TABLE) from exc
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise _refuse(
            "The file is a zip but not an XLSX workbook (it has no workbook inside).",
            Code.NOT_A_TABLE,
        )
    try:
        # data_only=False: a formula is given as its text and never worked out, and the value a
        # spreadsheet program may have stored for it is not read either.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise _refuse(
            "The workbook cannot be read: it may be damaged or protected with a password.",
            Code.NOT_A_TABLE,
        ) from exc
    try:
        if not book.worksheets:
            raise _refuse("The workbook has no sheets.", Code.EMPTY)
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # the stored size can be wrong: read what is there
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            values = []
            for cell in cells:
                value = cell.value
                if getattr(cell, "data_type", None) == "f" or (
                    isinstance(value, str) and value.startswith("=")
                ):
                    value = Formula(str(value))
                values.append(value)
            yield number, values
    except Refused:
        raise
    except Exception as exc:
        raise _refuse(
            "The workbook cannot be read to the end: it may be damaged.", Code.NOT_A_TABLE
        ) from exc
    finally:
        book.close()


def _blank(values: Sequence[Any]) -> bool:
    for value in values:
        if value is None:
            continue
        if isinstance(value, str) and not value.strip():
            continue
        return False
    return True


# The table -------------------------------------------------------------------------------------


class BadHeader(Refused):
    """Columns missing or given twice: the headings found are kept for the mapping page."""

    def __init__(self, problems: Sequence[Problem], *, headings: list[str]) -> None:
        super().__init__(problems)
        self.headings = headings


@dataclass
class Row:
    """One row that is not blank: its line in the file and its values by field."""

    line: int
    values: dict[str, Any]


@dataclass
class Table:
    """A file of rows: its kind, encoding, header and where each field's column is."""

    kind: str
    encoding: str
    header_line: int
    headings: list[str]
    positions: dict[str, int]  # field -> index in the row
    columns: dict[str, Column]
    blank_rows: int = 0
    rows_read: int = 0
    _rows: Iterator[tuple[int, list[Any]]] = field(default=iter(()), repr=False)

    def heading(self, name: str) -> str:
        """The column's heading as the file gives it."""
        index = self.positions.get(name)
        return self.headings[index] if index is not None else self.columns[name].heading

    def rows(self) -> Iterator[Row]:
        for line, values in self._rows:
            if _blank(values):
                self.blank_rows += 1
                continue
            self.rows_read += 1
            progress.advance()
            yield Row(
                line,
                {
                    name: values[index] if index < len(values) else None
                    for name, index in self.positions.items()
                },
            )

    def cells(self, names: Sequence[str]) -> Iterator[tuple[int, list[Any]]]:
        """The rows as `rows` gives them, but each as its line and the values of `names` in
        that order (None for a column the file lacks): for importers of a great many rows, no
        dict is made for a row and progress is told a thousand rows at a time."""
        where = [self.positions.get(name) for name in names]
        step = 0
        for line, values in self._rows:
            if _blank(values):
                self.blank_rows += 1
                continue
            self.rows_read += 1
            step += 1
            if step == 1000:
                progress.advance(step)
                step = 0
            width = len(values)
            yield line, [None if i is None or i >= width else values[i] for i in where]
        if step:
            progress.advance(step)


def _text_heading(value: Any) -> str:
    return "" if value is None else str(value).strip()


def open_table(
    data: bytes,
    columns: Sequence[Column],
    *,
    mapping: dict[str, str] | None = None,
) -> Table:
    """The table in `data`, its header found and each column placed. Refused when the file is
    not a spreadsheet, is empty, or lacks a column that must be there (each one named).

    `mapping` gives, for a field, the heading the file uses for it (a saved column mapping).
    """
    mapping = {k: v for k, v in (mapping or {}).items() if v}
    kind = file_type(data)
    encoding = ""
    if kind == "xlsx":
        raw = _xlsx_rows(data)
    else:
        encoding = encoding_of(data)
        raw = _csv_rows(data, encoding)
    wanted = {c.field: c for c in columns}
    looked: list[tuple[int, list[Any]]] = []
    blank = 0
    best: tuple[int, int, list[Any], int] | None = None  # (found, line, values, blank before)
    for line, values in raw:
        if _blank(values):
            blank += 1
            continue
        looked.append((line, values))
        found = len(_place([_text_heading(v) for v in values], wanted, mapping)[0])
        if found and (best is None or found > best[0]):
            best = (found, line, values, blank)
        if (best is not None and found == len(wanted)) or len(looked) >= HEADER_SEARCH:
            break
    if not looked:
        raise _refuse("The file is empty: it has no rows, only blank lines.", Code.EMPTY)
    if best is None:
        best = (0, looked[0][0], looked[0][1], 0)
    _found, header_line, header, blank_before = best
    headings = [_text_heading(v) for v in header]
    positions, repeated = _place(headings, wanted, mapping)
    problems = []
    for _name, heading in repeated:
        problems.append(
            Problem(
                Severity.ERROR,
                f"The column {heading} appears more than once, so it is not clear which to read.",
                field="file",
                code=Code.REPEATED_COLUMN,
                line=header_line,
                column=heading,
            )
        )
    missing = [c for c in columns if c.required and c.field not in positions]
    if missing:
        names = ", ".join(_sought(c, mapping) for c in missing)
        seen = ", ".join(h for h in headings if h) or "none"
        problems.append(
            Problem(
                Severity.ERROR,
                f"The file has no column {names}. The headings found on line {header_line} are: "
                f"{seen}. Rename the column{'s' if len(missing) > 1 else ''} in the file, or "
                "choose a saved mapping that says which column holds "
                f"{'each' if len(missing) > 1 else 'it'}.",
                field="file",
                code=Code.MISSING_COLUMN,
                line=header_line,
            )
        )
    if problems:
        raise BadHeader(problems, headings=[h for h in headings if h])
    # Rows already read while the header was looked for (those under it) come first.
    after = [(line, values) for line, values in looked if line > header_line]
    table = Table(
        kind=kind,
        encoding=encoding,
        header_line=header_line,
        headings=headings,
        positions=positions,
        columns=wanted,
        blank_rows=blank - blank_before,  # those under the header met while looking for it
    )
    table._rows = _chain(after, raw)
    return table


def _chain(
    first: list[tuple[int, list[Any]]], rest: Iterator[tuple[int, list[Any]]]
) -> Iterator[tuple[int, list[Any]]]:
    yield from first
    yield from rest


def _sought(column: Column, mapping: dict[str, str]) -> str:
    if column.field in mapping:
        return f"“{mapping[column.field]}” (for {column.heading.lower()}, as the mapping says)"
    return f"“{column.heading}”"


def _place(
    headings: list[str], wanted: dict[str, Column], mapping: dict[str, str]
) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Where each wanted field's column is, and the fields whose heading appears twice."""
    index: dict[str, list[int]] = {}
    for i, heading in enumerate(headings):
        if heading:
            index.setdefault(normal(heading), []).append(i)
    positions: dict[str, int] = {}
    repeated: list[tuple[str, str]] = []
    for name, column in wanted.items():
        names = [normal(mapping[name])] if name in mapping else column.headings()
        for candidate in names:
            hits = index.get(candidate)
            if hits:
                positions[name] = hits[0]
                if len(hits) > 1:
                    repeated.append((name, headings[hits[0]]))
                break
    return positions, repeated


# Reading values --------------------------------------------------------------------------------


class BadValue(ValueError):
    def __init__(self, code: Code, message: str) -> None:
        self.code = code
        super().__init__(message)


def shown(value: Any) -> str:
    """A value as a problem quotes it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_text(value: Any) -> str:
    if isinstance(value, Formula):
        raise BadValue(
            Code.FORMULA,
            f"The cell holds the formula {value.text}: formulas are never worked out. Put the "
            "value itself in the file.",
        )
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    return str(value).strip()


MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        dt.date(2000, number, 1).strftime("%b").lower(),
        dt.date(2000, number, 1).strftime("%B").lower(),
    )
}
MONTHS["sept"] = 9
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
UK_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
UK_WORDS = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3,9})[ -](\d{4})$")
DATE_FORMS = "like 31/03/2025, 31-Mar-2025, 31 March 2025 or 2025-03-31"


def as_date(value: Any) -> dt.date | None:
    """A date from a cell: a date or an Excel serial number in a workbook; ISO, UK or a serial
    number in text. None when the cell is empty."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise BadValue(Code.DATE, f"Enter a date {DATE_FORMS}.")
    if isinstance(value, int | float):
        return _serial(value)
    text = as_text(value)
    if not text:
        return None
    try:
        if found := ISO.match(text):
            year, month, day = (int(g) for g in found.groups())
        elif found := UK_NUMERIC.match(text):
            day, month, year = (int(g) for g in found.groups())
        elif found := UK_WORDS.match(text):
            day, year = int(found[1]), int(found[3])
            if found[2].lower() not in MONTHS:
                raise BadValue(
                    Code.DATE, f"“{found[2]}” is not a month. Enter a date {DATE_FORMS}."
                )
            month = MONTHS[found[2].lower()]
        elif re.fullmatch(r"\d{5}(\.0+)?", text):
            return _serial(float(text))
        else:
            raise BadValue(Code.DATE, f"Enter a date {DATE_FORMS}.")
        return dt.date(year, month, day)
    except ValueError as exc:
        if isinstance(exc, BadValue):
            raise
        raise BadValue(Code.DATE, f"This is not a real date. Enter a date {DATE_FORMS}.") from exc


def _serial(number: float) -> dt.date:
    if not (SERIALS[0] <= number < SERIALS[1]) or not float(number).is_integer():
        raise BadValue(
            Code.DATE,
            f"The number {shown(number)} is not a date. Enter a date {DATE_FORMS}.",
        )
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def as_decimal(value: Any) -> Decimal | None:
    """A number from a cell; a decimal comma is refused, not guessed at."""
    if isinstance(value, bool):
        raise BadValue(Code.NUMBER, "Enter a number, for example 0.5.")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = as_text(value)
    if not text:
        return None
    if "," in text:
        raise BadValue(
            Code.DECIMAL_COMMA,
            "Write numbers with a decimal point and no commas, for example 0.5, not 0,5.",
        )
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise BadValue(Code.NUMBER, "Enter a number, for example 0.5.") from exc
    if not number.is_finite():
        raise BadValue(Code.NUMBER, "Enter a number, for example 0.5.")
    return number


YES = {"y", "yes", "true", "1"}
NO = {"n", "no", "false", "0"}


def as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = normal(as_text(value))
    if not text:
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    raise BadValue(Code.NUMBER, "Enter Yes or No.")


class Reading:
    """One row's values, read and checked: each problem goes to the outcome with the line, the
    column as the file heads it and the value, and `ok` says whether the row has no error."""

    def __init__(self, table: Table, row: Row, outcome: Outcome, record: str = "") -> None:
        self.table = table
        self.row = row
        self.outcome = outcome
        self.record = record or f"Line {row.line}"
        self.ok = True

    def error(self, name: str, message: str, code: Code, value: Any = None) -> None:
        self.ok = False
        self.outcome.error(
            message,
            record=self.record,
            field=name,
            code=code,
            line=self.row.line,
            column=self.table.heading(name) if name in self.table.columns else name,
            value=shown(self.row.values.get(name) if value is None else value),
        )

    def warn(self, name: str, message: str, code: Code, value: Any = None) -> None:
        self.outcome.warn(
            message,
            record=self.record,
            field=name,
            code=code,
            line=self.row.line,
            column=self.table.heading(name) if name in self.table.columns else name,
            value=shown(self.row.values.get(name) if value is None else value),
        )

    def _read(self, name: str, reader: Any, required: bool) -> Any:
        raw = self.row.values.get(name)
        try:
            value = reader(raw)
        except BadValue as bad:
            self.error(name, str(bad), bad.code)
            return None
        if value in (None, "") and required:
            self.error(
                name, f"Enter the {self.table.columns[name].heading.lower()}.", Code.REQUIRED
            )
        return value

    def staff_number(self, name: str = "staff_number") -> str:
        """The row's staff number (required), which then names the row's record."""
        number = self.text(name, required=True, longest=20)
        if number:
            self.record = f"Staff number {number}"
        return number

    def text(self, name: str, *, required: bool = False, longest: int | None = None) -> str:
        value = self._read(name, as_text, required) or ""
        if longest is not None and len(value) > longest:
            self.error(name, f"This is longer than {longest} characters.", Code.TOO_LONG)
            return ""
        return value

    def date(self, name: str, *, required: bool = False) -> dt.date | None:
        return self._read(name, as_date, required)

    def decimal(self, name: str, *, required: bool = False) -> Decimal | None:
        return self._read(name, as_decimal, required)

    def boolean(self, name: str) -> bool | None:
        return self._read(name, as_bool, False)

    def code(
        self,
        name: str,
        choices: dict[str, str],
        *,
        what: str,
        local: dict[str, str] | None = None,
        required: bool = False,
    ) -> str:
        """A code from `choices` (code -> label): the code itself, its label, or a local value
        that a saved code mapping turns into one (`local`: normalised local value -> code)."""
        value = self.text(name, required=required)
        if not value:
            return ""
        if value in choices:
            return value
        key = normal(value)
        for code, label in choices.items():
            if normal(code) == key or normal(label) == key:
                return code
        if local and key in local and local[key] in choices:
            return local[key]
        self.error(
            name,
            f"“{value}” is not one of the codes for {what}, and no saved code mapping turns it "
            f"into one. Add it under Code mappings, or correct the file.",
            Code.UNKNOWN_CODE,
        )
        return ""


# Rows against rows and against the services ----------------------------------------------------


def refused(reading: Reading, refusal: ValidationError, fields: dict[str, str]) -> None:
    """A service's refusal, as an error against the column it names (`fields`: the service's
    name of a field -> the importer's column), or else against the first of `fields`."""
    named = refusal.message_dict if hasattr(refusal, "error_dict") else {"": refusal.messages}
    for name, messages in named.items():
        column = fields.get(name, name)
        if column not in reading.table.columns:
            column = next(iter(fields.values()))
        for message in messages:
            reading.error(column, message, Code.REFUSED)


def signature(values: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """What a row says, to compare with another row."""
    return tuple(sorted((k, str(v)) for k, v in values.items()))


def twice(
    reading: Reading,
    seen: dict[str, tuple[int, tuple[Any, ...]]],
    key: str,
    name: str,
    values: dict[str, Any],
    *,
    what: str = "",
) -> bool:
    """True when the row repeats an earlier one for the same key: a warning when it says the
    same, an error when it says something else. `name` is the key's column; `what` says what
    the key is when it is more than that column ("staff number and date")."""
    said = signature(values)
    earlier = seen.get(key)
    if earlier is None:
        seen[key] = (reading.row.line, said)
        return False
    line, before = earlier
    if before == said:
        reading.warn(
            name,
            f"The same row as line {line}: it is read once.",
            Code.REPEATED,
        )
    else:
        differ = sorted({k for k, _v in set(said) ^ set(before)})
        heads = ", ".join(reading.table.heading(k) for k in differ if k in reading.table.columns)
        reading.error(
            name,
            f"Line {line} has the same {what or reading.table.heading(name).lower()} with "
            f"different data ({heads}). Keep one row for each.",
            Code.CONTRADICTS,
        )
    return True


# Importers of rows -----------------------------------------------------------------------------


class TabularImporter(Importer):
    """An importer of a CSV or XLSX extract. Subclasses give their `columns` and `read_rows`.

    The person may choose a saved column mapping with the file (`outcome.options["mapping"]`,
    its name); the authority's code mappings turn local values into census codes.
    """

    extensions: ClassVar[tuple[str, ...]] = (".csv", ".xlsx")
    max_bytes: ClassVar[int] = 50 * MEGABYTE
    columns: ClassVar[tuple[Column, ...]] = ()

    def load(self, data: bytes, authority: Authority, outcome: Outcome) -> None:
        from workforce.imports.models import ColumnMapping

        mapping: dict[str, str] = {}
        name = str(outcome.options.get("mapping") or "")
        if name:
            saved = ColumnMapping.objects.filter(
                authority=authority, kind=self.kind, name=name
            ).first()
            if saved is None:
                raise Refused(
                    [
                        Problem(
                            Severity.ERROR,
                            f"There is no saved mapping called “{name}” for this kind of file.",
                            field="mapping",
                        )
                    ]
                )
            mapping = {k: str(v) for k, v in (saved.columns or {}).items() if v}
        try:
            table = open_table(data, self.columns, mapping=mapping)
        except BadHeader as refusal:
            outcome.summary["columns"] = refusal.headings[:200]
            raise
        outcome.summary.update(
            {
                "file_type": table.kind.upper(),
                "encoding": ENCODING_NAMES.get(table.encoding, ""),
                "header_line": table.header_line,
                "columns": [h for h in table.headings if h][:200],
                "mapping": name,
            }
        )
        placed = set(table.positions.values())
        unread = [h for i, h in enumerate(table.headings) if h and i not in placed]
        if unread:
            outcome.warn(
                f"{'This column is' if len(unread) == 1 else 'These columns are'} not read: "
                f"{', '.join(unread)}. If one holds something the import needs, save a column "
                "mapping that says so.",
                field="file",
                code=Code.NOT_READ,
                line=table.header_line,
            )
        self.read_rows(table, authority, outcome)
        outcome.summary["rows"] = table.rows_read
        outcome.summary["blank_rows"] = table.blank_rows
        if not table.rows_read:
            outcome.error(
                f"The file has a header on line {table.header_line} but no rows under it.",
                field="file",
                code=Code.NO_ROWS,
                line=table.header_line,
            )

    def read_rows(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        raise NotImplementedError


def local_codes(authority: Authority, list_name: str) -> dict[str, str]:
    """The authority's code mappings of one list: normalised local value -> code."""
    from workforce.imports.models import CodeMapping

    return dict(
        CodeMapping.objects.filter(authority=authority, list=list_name).values_list("key", "code")
    )
