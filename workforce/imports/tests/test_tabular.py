"""Reading CSV and XLSX extracts: what a file is comes from its contents; text in UTF-8, UTF-8
with BOM or Windows-1252; the header found and columns placed by heading or mapping; blank rows
skipped; formulas never worked out; dates as Excel and UK systems write them; decimal commas
refused."""

from __future__ import annotations

import datetime as dt
import io
import time
from decimal import Decimal

import pytest
from openpyxl import Workbook

from workforce.imports.base import Outcome, Refused
from workforce.imports.tabular import (
    BadValue,
    Code,
    Column,
    Formula,
    Reading,
    as_date,
    as_decimal,
    open_table,
)

COLUMNS = (
    Column("staff_number", "Staff number", aliases=("Employee No",)),
    Column("name", "Name"),
    Column("fte", "FTE", required=False),
)


def rows(data: bytes, mapping: dict[str, str] | None = None) -> list[tuple[int, dict]]:
    table = open_table(data, COLUMNS, mapping=mapping)
    return [(row.line, row.values) for row in table.rows()]


def xlsx(*lines: list, title_rows: int = 0) -> bytes:
    book = Workbook()
    sheet = book.active
    for _ in range(title_rows):
        sheet.append(["Staff extract, run by HR"])
    for line in lines:
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def refusal(data: bytes) -> Refused:
    with pytest.raises(Refused) as caught:
        open_table(data, COLUMNS)
    return caught.value


def test_csv_in_utf8_is_read_with_its_lines():
    data = "Staff number,Name,FTE\n001,Zoë Ng,1\n002,Tom Best,0.5\n".encode()

    assert rows(data) == [
        (2, {"staff_number": "001", "name": "Zoë Ng", "fte": "1"}),
        (3, {"staff_number": "002", "name": "Tom Best", "fte": "0.5"}),
    ]


def test_utf8_with_a_byte_order_mark_finds_the_first_heading():
    data = b"\xef\xbb\xbfStaff number,Name\n001,Zo\xc3\xab Ng\n"

    assert rows(data) == [(2, {"staff_number": "001", "name": "Zoë Ng"})]


def test_windows_1252_is_read_when_the_file_is_not_utf8():
    data = "Staff number,Name\n001,Zoë O’Neill\n".encode("cp1252")

    assert rows(data)[0][1]["name"] == "Zoë O’Neill"
    assert open_table(data, COLUMNS).encoding == "cp1252"


def test_the_header_is_found_below_title_lines_and_columns_by_other_headings():
    data = b"Staff extract\nRun 01/03/2025\n\nEmployee No,Name\n7,Ann Lee\n"

    assert rows(data) == [(5, {"staff_number": "7", "name": "Ann Lee"})]


def test_a_mapping_says_which_column_holds_a_field():
    data = b"Emp Ref,Full name\n7,Ann Lee\n"

    assert rows(data, {"staff_number": "Emp Ref", "name": "Full name"}) == [
        (2, {"staff_number": "7", "name": "Ann Lee"})
    ]


def test_missing_columns_are_named():
    problem = refusal(b"Staff number,Surname\n1,Lee\n").problems[0]

    assert problem.code == Code.MISSING_COLUMN
    assert "no column “Name”" in problem.message
    assert "Staff number, Surname" in problem.message  # the headings it has


def test_a_column_given_twice_is_refused():
    problem = refusal(b"Staff number,Name,Name\n1,a,b\n").problems[0]

    assert (problem.code, problem.column) == (Code.REPEATED_COLUMN, "Name")


@pytest.mark.parametrize("data", [b"", b"   \r\n", b"\xef\xbb\xbf", b"\n\n,,,\n"])
def test_an_empty_file_is_refused(data):
    assert refusal(data).problems[0].code == Code.EMPTY


def test_a_renamed_program_is_refused_by_its_contents():
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)

    problem = refusal(exe).problems[0]

    assert problem.code == Code.NOT_A_TABLE
    assert "Windows program" in problem.message


def test_binary_that_is_not_text_is_refused():
    assert refusal(b"Staff number\x00\x01\x02").problems[0].code == Code.NOT_A_TABLE
    assert "not text" in refusal(b"Name,\x81\x8d\x8f\n").problems[0].message


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")

    assert "not an XLSX workbook" in refusal(out.getvalue()).problems[0].message


def test_a_million_blank_rows_are_skipped_quickly_and_not_listed(tmp_path):
    path = tmp_path / "blank.csv"
    with path.open("wb") as f:
        f.write(b"Staff number,Name\n1,Ann Lee\n")
        f.write(b",,\n" * 500_000)
        f.write(b"\n" * 500_000)
        f.write(b"2,Tom Best\n")
    started = time.monotonic()

    table = open_table(path.read_bytes(), COLUMNS)
    read = [row.line for row in table.rows()]

    assert time.monotonic() - started < 10
    assert read == [2, 1_000_003]
    assert table.blank_rows == 1_000_000


def test_xlsx_is_read_with_dates_and_numbers():
    data = xlsx(
        ["Staff number", "Name", "FTE"],
        [101, "Ann Lee", 0.5],
        [None, None, None],
        ["102", "Tom Best", 1],
        title_rows=1,
    )

    assert rows(data) == [
        (3, {"staff_number": 101, "name": "Ann Lee", "fte": 0.5}),
        (5, {"staff_number": "102", "name": "Tom Best", "fte": 1}),
    ]


def test_formulas_in_a_workbook_are_never_worked_out():
    data = xlsx(["Staff number", "Name", "FTE"], [1, "Ann Lee", "=0.5*2"])

    ((_line, values),) = rows(data)

    assert values["fte"] == Formula("=0.5*2")
    outcome = Outcome()
    table = open_table(data, COLUMNS)
    row = next(table.rows())
    reading = Reading(table, row, outcome)
    assert reading.decimal("fte") is None
    problem = outcome.errors[0]
    assert (problem.code, problem.line, problem.column, problem.value) == (
        Code.FORMULA,
        2,
        "FTE",
        "=0.5*2",
    )


def test_a_formula_in_csv_is_not_taken_as_a_value():
    ((_line, values),) = rows(b'Staff number,Name\n1,=HYPERLINK("x")\n')

    assert isinstance(values["name"], Formula)


@pytest.mark.parametrize(
    "value",
    [
        "31/03/2025",
        "31/3/2025",
        "31-03-2025",
        "31-Mar-2025",
        "31-MAR-2025",
        "31 March 2025",
        "31 Mar 2025",
        "2025-03-31",
        "2025-03-31 00:00:00",
        "45747",
        45747,
        45747.0,
        dt.datetime(2025, 3, 31),
        dt.date(2025, 3, 31),
    ],
)
def test_dates_as_excel_iso_and_uk_systems_write_them(value):
    assert as_date(value) == dt.date(2025, 3, 31)


@pytest.mark.parametrize(
    "value", ["31/02/2025", "03/31/2025", "next week", "2025", 12, "31 Foo 2025"]
)
def test_what_is_not_a_date_is_refused(value):
    with pytest.raises(BadValue) as caught:
        as_date(value)
    assert caught.value.code == Code.DATE


def test_numbers_with_a_point_are_read_and_a_decimal_comma_refused_plainly():
    assert as_decimal("0.5") == Decimal("0.5")
    assert as_decimal(0.8) == Decimal("0.8")
    with pytest.raises(BadValue) as caught:
        as_decimal("0,5")
    assert caught.value.code == Code.DECIMAL_COMMA
    assert "decimal point" in str(caught.value)


def test_a_reading_reports_line_column_value_and_code():
    data = b'Employee No,Name,FTE\n1,Ann,"0,5"\n'
    outcome = Outcome()
    table = open_table(data, COLUMNS)

    reading = Reading(table, next(table.rows()), outcome)
    reading.decimal("fte")

    (problem,) = outcome.errors
    assert (problem.line, problem.column, problem.value, problem.code) == (
        2,
        "FTE",
        "0,5",
        Code.DECIMAL_COMMA,
    )
    assert not reading.ok


def test_an_outcome_keeps_counts_whole_but_only_so_many_entries_and_problems():
    outcome = Outcome(keep=3)
    for n in range(10):
        outcome.add("create", "worker", f"Line {n}", line=n)
        outcome.error("Bad", record=f"Line {n}", code="HR-105", line=n)
        outcome.warn("Check", record=f"Line {n}")

    assert len(outcome.entries) == 3 and len(outcome.problems) == 6
    assert outcome.counts == {"worker": {"create": 10}}
    assert (outcome.error_count, outcome.warning_count) == (10, 10)
    assert outcome.omitted == {"entries": 7, "errors": 7, "warnings": 7}
    assert outcome.as_json()["summary"]["omitted"] == outcome.omitted
