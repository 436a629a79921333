"""The table type: each column type on the page, in CSV and in XLSX; totals, notes, suppression."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from openpyxl import load_workbook

from workforce.core.tables import SUPPRESSED_CELL, Column, Kind, Table, rounded


def sample(**kwargs: object) -> Table:
    return Table(
        "Posts by team",
        [
            Column("team", "Team"),
            Column("posts", "Posts", Kind.COUNT, suppressible=True),
            Column("days", "Median days", Kind.DECIMAL, places=1, unit="days"),
            Column("rate", "Turnover", Kind.PERCENT),
            Column("fte", "Establishment", Kind.FTE),
            Column("cost", "Cost", Kind.MONEY),
            Column("since", "Since", Kind.DATE),
        ],
        [
            [
                "North",
                12,
                Decimal("4.25"),
                Decimal("0.22655"),
                Decimal("10.5"),
                1234,
                dt.date(2025, 3, 1),
            ],
            ["=SUM(A1)", 2, None, Decimal("0.125"), Decimal("0.125"), Decimal("0.005"), None],
        ],
        **kwargs,  # type: ignore[arg-type]
    )


def read_csv(table: Table) -> list[list[str]]:
    return list(csv.reader(io.StringIO(table.csv())))


def read_xlsx(table: Table) -> tuple[list[list[object]], object]:
    book = load_workbook(io.BytesIO(table.xlsx()))
    sheet = book.worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows()], book


def test_rounding_is_half_up_never_to_even() -> None:
    assert rounded(Decimal("0.125"), 2) == Decimal("0.13")
    assert rounded(2.5, 0) == 3
    assert rounded(1.25, 1) == Decimal("1.3")
    assert rounded(Decimal("-0.04"), 1) == 0
    assert str(rounded(Decimal("-0.04"), 1)) == "0.0"
    assert rounded(None, 1) is None


def test_each_column_type_reads_on_the_page() -> None:
    rows = [[c.text for c in row] for row in sample().page_rows]
    assert rows[0] == ["North", "12", "4.3", "22.7%", "10.50", "£1,234.00", "1 March 2025"]
    assert rows[1] == ["=SUM(A1)", "2", "–", "12.5%", "0.13", "£0.01", "–"]
    assert [c.numeric for c in sample().page_rows[0]] == [i in (1, 2, 3, 4, 5) for i in range(7)]


def test_headings_carry_the_unit() -> None:
    assert [c.heading for c in sample().columns] == [
        "Team",
        "Posts",
        "Median days (days)",
        "Turnover (%)",
        "Establishment (FTE)",
        "Cost (£)",
        "Since",
    ]


def test_html_uses_govuk_classes_caption_numeric_cells_and_notes() -> None:
    table = sample(notes=["Team rows do not add up to the authority."], key="posts")
    html = render_to_string("core/_table.html", {"table": table, "download_url": "/x/"})
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--m">Posts by team</caption>'
        in html
    )
    assert '<th scope="row" class="govuk-table__header">North</th>' in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">22.7%</td>' in html
    assert (
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Cost (£)</th>'
        in html
    )
    assert '<td class="govuk-table__cell">1 March 2025</td>' in html
    assert "Team rows do not add up to the authority." in html
    assert 'href="/x/?format=csv"' in html and 'href="/x/?format=xlsx"' in html
    assert "<script" not in html and "style=" not in html


def test_html_without_rows_says_so_and_hides_columns_left_off_the_page() -> None:
    table = Table("Nothing", [Column("a", "A"), Column("b", "B", on_page=False)], [])
    html = render_to_string("core/_table.html", {"table": table, "no_downloads": True})
    assert 'colspan="1">Nothing to show yet.' in html
    assert ">B<" not in html and "Download" not in html


def test_csv_has_numbers_as_numbers_and_iso_dates() -> None:
    rows = read_csv(sample())
    assert rows[0][3] == "Turnover (%)"
    assert rows[1] == ["North", "12", "4.3", "22.7", "10.50", "1234.00", "2025-03-01"]
    assert rows[2] == ["'=SUM(A1)", "2", "", "12.5", "0.13", "0.01", ""]


def test_xlsx_holds_numbers_as_numbers_dates_as_dates_with_formats() -> None:
    rows, book = read_xlsx(sample())
    sheet = book.worksheets[0]  # type: ignore[attr-defined]
    assert rows[0][0] == "Team"
    assert all(sheet.cell(row=1, column=i).font.b for i in range(1, 8))
    north = rows[1]
    assert north[0] == "North"
    assert north[1] == 12 and isinstance(north[1], int)
    assert north[2] == pytest.approx(4.3)
    assert north[3] == pytest.approx(0.227)  # a real percentage
    assert north[4] == pytest.approx(10.5)
    assert north[5] == pytest.approx(1234)
    assert isinstance(north[6], dt.datetime) and north[6].date() == dt.date(2025, 3, 1)
    assert sheet["B2"].number_format == "#,##0"
    assert sheet["C2"].number_format == "#,##0.0"
    assert sheet["D2"].number_format == "0.0%"
    assert sheet["F2"].number_format == "#,##0.00"
    assert sheet["G2"].number_format == "yyyy-mm-dd"
    assert rows[2][0] == "'=SUM(A1)"
    assert sheet.column_dimensions["A"].width >= 10
    assert sheet.column_dimensions["F"].width >= len("Cost (£)") + 2


def test_totals_come_last_in_every_rendering() -> None:
    table = Table(
        "Offers",
        [Column("role", "Role"), Column("n", "Offered", Kind.COUNT)],
        [["Social worker", 3], ["Manager", 1]],
        totals=["Total", 4],
    )
    assert [c.text for c in table.page_totals or []] == ["Total", "4"]
    html = render_to_string("core/_table.html", {"table": table})
    assert 'class="govuk-table__row app-table-total"' in html
    assert read_csv(table)[-1] == ["Total", "4"]
    rows, book = read_xlsx(table)
    assert rows[-1] == ["Total", 4]
    assert book.worksheets[0]["A4"].font.b  # type: ignore[attr-defined]
    assert table.to_dict()["totals"] == {"role": "Total", "n": 4}
    assert len(table.to_dict()["rows"]) == 2


def test_a_row_of_the_wrong_width_is_refused() -> None:
    with pytest.raises(ValueError, match="2 cells for 1 columns"):
        Table("Bad", [Column("a", "A")], [["x", 1]])


def test_small_numbers_are_suppressed_everywhere_with_a_note() -> None:
    table = sample(suppress_below=5, totals=["Total", 14, None, None, None, None, None])
    rows = [[c.text for c in row] for row in table.page_rows]
    assert rows[0][1] == "12" and rows[1][1] == "[c]"
    assert rows[1][4] == "0.13"  # only suppressible columns
    assert read_csv(table)[2][1] == "[c]"
    assert read_xlsx(table)[0][2][1] == "[c]"
    assert table.to_dict()["rows"][1]["posts"] == "[c]"
    assert any("fewer than 5" in note for note in table.all_notes)
    _, book = read_xlsx(table)
    assert book.sheetnames == ["Posts by team", "Notes"]  # type: ignore[attr-defined]


def test_a_cell_can_be_withheld_by_the_selector() -> None:
    table = Table("T", [Column("n", "N", Kind.COUNT)], [[SUPPRESSED_CELL]])
    assert table.page_rows[0][0].text == "[c]"
    assert read_csv(table)[1] == ["[c]"]


def test_zero_is_never_suppressed() -> None:
    table = sample(suppress_below=5)
    table.rows[1][1] = 0
    assert table.page_rows[1][1].text == "0"


def test_to_dict_is_plain_json() -> None:
    import json

    data = sample(notes=["A note."]).to_dict()
    json.dumps(data)
    assert data["title"] == "Posts by team"
    assert data["columns"][3] == {
        "key": "rate",
        "label": "Turnover",
        "heading": "Turnover (%)",
        "type": "percent",
        "places": 1,
        "suppressible": False,
    }
    assert data["rows"][0] == {
        "team": "North",
        "posts": 12,
        "days": "4.3",
        "rate": "22.7",
        "fte": "10.50",
        "cost": "1234.00",
        "since": "2025-03-01",
    }
    assert data["notes"] == ["A note."]


def test_hiding_keeps_the_downloads_whole_and_columns_read_by_key() -> None:
    table = sample().hiding("cost", "since")
    assert [c.key for c in table.page_columns] == ["team", "posts", "days", "rate", "fte"]
    assert len(read_csv(table)[0]) == 7
    assert table.column("posts") == [12, 2]
    with pytest.raises(KeyError):
        table.column("nope")


def test_response_names_the_file() -> None:
    table = sample()
    csv_response = table.response("csv", "posts 2025-03-01")
    assert csv_response["Content-Disposition"] == 'attachment; filename="posts-2025-03-01.csv"'
    xlsx_response = table.response("xlsx", "posts")
    assert "spreadsheetml" in xlsx_response["Content-Type"]
    assert xlsx_response["Content-Disposition"].endswith('.xlsx"')


def test_a_moment_is_a_date_and_time_in_every_rendering() -> None:
    when = dt.datetime(2025, 3, 1, 9, 30)
    table = Table("Log", [Column("when", "When", Kind.DATETIME)], [[when]])
    assert table.page_rows[0][0].text == "1 March 2025 09:30"
    assert read_csv(table)[1] == ["2025-03-01T09:30:00"]
    rows, book = read_xlsx(table)
    assert rows[1] == [when]
    assert book.worksheets[0]["A2"].number_format == "yyyy-mm-dd hh:mm:ss"  # type: ignore[attr-defined]


def test_a_whole_percentage_is_a_real_percentage_in_xlsx() -> None:
    table = Table("Shares", [Column("s", "Share", Kind.PERCENT, places=0)], [[Decimal("0.505")]])
    assert table.page_rows[0][0].text == "51%"
    assert read_csv(table)[1] == ["51"]
    rows, book = read_xlsx(table)
    assert rows[1] == [pytest.approx(0.51)]
    assert book.worksheets[0]["A2"].number_format == "0%"  # type: ignore[attr-defined]
