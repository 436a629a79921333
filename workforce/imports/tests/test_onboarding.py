"""A new authority onboards through the Imports pages: it uploads its HR extracts (the
establishment and the staff) and its case extract into an empty system, and its establishment,
figures and caseloads pages show them, by the definitions, as the files say (worked out here
from the files themselves, not by the importers). The same files again change nothing; a
broken file changes nothing and says what is wrong by row."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from workforce.caseloads.measures.base import CaseloadFilter
from workforce.caseloads.measures.caseload import caseload_summary
from workforce.core.models import Authority, User
from workforce.demo.generator import create_empty_demo
from workforce.establishment.models import Worker
from workforce.establishment.selectors import EstablishmentFilter, establishment_table
from workforce.imports.models import ImportRun, ImportStatus

SAMPLES = Path(__file__).resolve().parents[2] / "demo" / "samples"
TODAY = dt.date.today()


def uk_date(text: str) -> dt.date | None:
    """The sample files write dates as 31/03/2025, 31-Mar-2025, 2025-03-31 or 31 March 2025."""
    if not text:
        return None
    for layout in ("%d/%m/%Y", "%d-%b-%Y", "%Y-%m-%d", "%d %B %Y"):
        try:
            return dt.datetime.strptime(text.strip(), layout).date()
        except ValueError:
            continue
    raise ValueError(text)


def rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((SAMPLES / name).read_text(encoding="utf-8-sig"))))


def budgeted_fte_today() -> Decimal:
    """The establishment file's budgeted FTE of the posts open today."""
    total = Decimal(0)
    for row in rows("establishment.csv"):
        start, end = uk_date(row["Start date"]), uk_date(row["End date"])
        if start and start <= TODAY and (end is None or end > TODAY):
            total += Decimal(row["Budgeted FTE"])
    return total


def case_holders_today() -> set[str]:
    """Staff numbers of the staff file's people employed today in a case-holding post of the
    establishment file."""
    holding = {r["Post reference"] for r in rows("establishment.csv") if r["Case holding"] == "Yes"}
    sheet = openpyxl.load_workbook(SAMPLES / "staff-itrent.xlsx", read_only=True).active
    assert sheet is not None
    lines = list(sheet.iter_rows(values_only=True))
    heads = list(lines[3])
    holders = set()
    for line in lines[4:]:
        row = dict(zip(heads, line, strict=True))
        ends = [excel_date(row[k]) for k in ("Fixed Term End Date", "Leaving Date")]
        if any(end is not None and end < TODAY for end in ends):
            continue
        start = excel_date(row["Position Start Date"])
        if start is not None and start <= TODAY and row["Position Number"] in holding:
            holders.add(str(row["Employee Number"]))
    return holders


def excel_date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, int | float):
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    return uk_date(str(value))


def cases_held_today() -> int:
    """Children of the case file allocated today (the last day included) to a case holder."""
    holders = case_holders_today()
    children = set()
    for row in rows("cases-mosaic.csv"):
        if row["Worker staff number"] not in holders:
            continue
        start = uk_date(row["Allocation start date"])
        last = uk_date(row["Allocation end date"])
        case_last = uk_date(row["Case end date"])
        if not row["Worker staff number"] or start is None or start > TODAY:
            continue
        if (last is None or last >= TODAY) and (case_last is None or case_last >= TODAY):
            children.add(row["Person ID"])
    return len(children)


def upload(client: Client, kind: str, name: str, data: bytes | None = None) -> ImportRun:
    data = (SAMPLES / name).read_bytes() if data is None else data
    response = client.post(
        reverse("imports:upload", args=[kind]), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportRun.objects.latest("pk")


def imported(client: Client, kind: str, name: str) -> ImportRun:
    run = upload(client, kind, name)
    assert run.status == ImportStatus.PREVIEWED, run.problems
    client.post(reverse("imports:apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED, run.problems
    return run


@pytest.fixture
def newcomer(reference_data) -> tuple[Authority, Client]:
    authority = create_empty_demo()
    client = Client()
    client.force_login(User.objects.get(username="lead"))
    return authority, client


def map_codes(client: Client) -> None:
    for list_name, local, code in [
        ("contract", "Perm", "permanent"),
        ("contract", "Temp", "fixed_term"),
        ("reason_leave", "Resignation - Personal", "1"),
    ]:
        response = client.post(
            reverse("imports:codes"), {"list_name": list_name, "local": local, "code": code}
        )
        assert response.status_code == 302, response.content.decode()[:3000]


def test_a_new_authority_imports_its_hr_and_case_extracts_and_sees_them(newcomer):
    authority, client = newcomer
    assert not Worker.objects.filter(authority=authority).exists()
    map_codes(client)

    imported(client, "establishment", "establishment.csv")
    imported(client, "staff", "staff-itrent.xlsx")
    imported(client, "cases", "cases-mosaic.csv")

    table = establishment_table(where=EstablishmentFilter(authority_ids=(authority.pk,)), on=TODAY)
    assert table.totals["establishment"] == budgeted_fte_today()
    held = caseload_summary(CaseloadFilter(authority_ids=(authority.pk,)), TODAY).cases_held
    assert held == cases_held_today() > 0
    for page in ("establishment:table", "establishment:teams", "metrics:dashboard"):
        response = client.get(reverse(page))
        assert response.status_code == 200, page
        assert "Assessment North" in response.content.decode() or page == "metrics:dashboard"
    caseloads = client.get(reverse("caseloads:overview"))
    assert caseloads.status_code == 200

    # The same files again change nothing.
    for kind, name in (
        ("establishment", "establishment.csv"),
        ("staff", "staff-itrent.xlsx"),
        ("cases", "cases-mosaic.csv"),
    ):
        again = upload(client, kind, name)
        assert again.status == ImportStatus.PREVIEWED
        changed = {
            what: n
            for what, counts in again.counts.items()
            for a, n in counts.items()
            if a != "match"
        }
        assert not changed, (kind, again.counts)


def test_a_broken_case_file_changes_nothing_and_says_what_is_wrong_by_row(newcomer):
    authority, client = newcomer
    map_codes(client)
    imported(client, "establishment", "establishment.csv")
    imported(client, "staff", "staff-itrent.xlsx")
    good = (SAMPLES / "cases-mosaic.csv").read_text(encoding="utf-8-sig").splitlines()
    broken = [*good[:3], "P999,31/02/2025,,Nowhere Team,Child in need,No,100341,01/03/2025,,"]
    data = ("\n".join([*broken, *good[3:]]) + "\n").encode()

    run = upload(client, "cases", "cases.csv", data)

    assert run.status == ImportStatus.REFUSED
    lines = {(p["line"], p["column"]) for p in run.problems if p["severity"] == "error"}
    assert (4, "Case start date") in lines
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "Nothing was imported" in page and "31/02/2025" in page
    assert not ImportRun.objects.filter(
        authority=authority, kind="cases", status=ImportStatus.APPLIED
    ).exists()
    from workforce.caseloads.models import Case

    assert not Case.objects.filter(authority=authority).exists()
