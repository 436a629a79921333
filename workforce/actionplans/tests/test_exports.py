"""The formal response: the Leeds 2006 plan built through the services, written as a Word
paper and as a table, and read back (python-docx, openpyxl, LibreOffice and poppler)."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path
from typing import Any

import docx as python_docx
import pytest
from django.test import Client
from django.urls import reverse
from docx.oxml.ns import qn
from openpyxl import load_workbook

from workforce.actionplans import exports, selectors, services
from workforce.actionplans.models import Source, SourceKind, Status
from workforce.core.access import scope_for
from workforce.core.tests.downloads import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db

ISSUED = dt.date(2006, 4, 28)
ON = dt.date(2007, 3, 31)  # the date the plan is read at
TODAY = dt.date(2026, 6, 30)
TITLE = "Recruitment, Retention and Workload of Children's Social Workers"
BOARD = "Scrutiny Board (Children's Services)"
HR = "Head of Human Resources"
TRANSFORMATION = "Head of Children's Service Transformation"
COURTS = "Head of Children's Service Transformation; Head of Service Delivery"
RECOMMENDATIONS = (
    (
        "1",
        "That the Chief Social Services Officer considers adopting similar practices to those "
        "introduced by The Youth Service to carry out induction programmes whilst awaiting CRB "
        "clearance.",
    ),
    (
        "2",
        "That the Chief Social Services Officer considers the potential for developing job "
        "rotation and secondment opportunities.",
    ),
    (
        "3",
        "That the Director of Children's Services, in conjunction with the Director of Legal "
        "Services, considers how to appropriately challenge the unnecessary prolonging of care "
        "orders.",
    ),
)
# (recommendation, text, responsibility, owner, start, due, timescale)
ACTIONS = (
    (
        "1",
        "Improved communication between HR, service area managers and recommended candidates "
        "on the progress of the various parts of the vetting process.",
        HR,
        "hr",
        dt.date(2006, 7, 1),
        dt.date(2006, 9, 30),
        "For all recommended candidates from 1 July 2006",
    ),
    (
        "1",
        "HR to assess starting salaries in parallel to the other stages in the recruitment "
        "process, to minimise disputes after the formal offer of employment.",
        HR,
        "hr",
        dt.date(2006, 7, 1),
        dt.date(2006, 12, 31),
        "",
    ),
    (
        "1",
        "Within 5 working days of receipt of recommended candidates HR to send each a "
        "training pack highlighting the training and development programme for the first "
        "year.",
        HR,
        "hr",
        dt.date(2006, 7, 1),
        dt.date(2006, 10, 31),
        "Within 5 working days",
    ),
    (
        "2",
        "Include job rotation and secondment in the workforce reform portfolio of the "
        "Children's Services Transformation programme.",
        TRANSFORMATION,
        "lead",
        dt.date(2006, 7, 13),
        dt.date(2007, 3, 31),
        "Project to run over the next year, though specific proposals about rotations and "
        "secondment will be implemented before April 2007.",
    ),
    (
        "3",
        "Review the protocol with Cafcass at the next liaison meeting.",
        COURTS,
        "lead",
        dt.date(2006, 7, 13),
        dt.date(2006, 11, 30),
        "Officers will prepare a report to Members in the next six months.",
    ),
    (
        "3",
        "Hold a study event involving all of the Family Court stakeholders.",
        COURTS,
        None,
        dt.date(2006, 7, 13),
        dt.date(2007, 1, 31),
        "Later in the year",
    ),
)
# (action index, date, status, text)
UPDATES = (
    (0, dt.date(2006, 8, 15), Status.ON_TRACK, "Weekly calls with candidates have begun."),
    (1, dt.date(2006, 9, 10), Status.AT_RISK, "Salary assessment waits on the pay review."),
    (0, dt.date(2006, 10, 2), Status.COMPLETE, "A named HR officer for every candidate."),
    (3, dt.date(2006, 11, 1), Status.ON_TRACK, "Rotation proposals drafted."),
    (4, dt.date(2006, 12, 1), Status.CLOSED, "Superseded by the new court protocol."),
    (5, dt.date(2007, 2, 1), Status.OFF_TRACK, "The study event was postponed by the court."),
)


def build_leeds(authority: Any, personas: Any) -> Source:
    """The Leeds 2006 formal response, with its progress up to March 2007."""
    source = services.create_source(
        authority=authority,
        kind=SourceKind.SCRUTINY,
        title=TITLE,
        body=BOARD,
        issued_on=ISSUED,
        response_due=dt.date(2006, 7, 13),
        today=TODAY,
    )
    recommendations = {
        number: services.add_recommendation(source=source, number=number, text=text)
        for number, text in RECOMMENDATIONS
    }
    actions = [
        services.add_action(
            recommendation=recommendations[number],
            text=text,
            responsibility=responsibility,
            owner=getattr(personas, owner) if owner else None,
            start=start,
            due=due,
            timescale=timescale,
        )
        for number, text, responsibility, owner, start, due, timescale in ACTIONS
    ]
    for index, on, status, text in UPDATES:
        services.record_update(
            action=actions[index],
            author=personas.hr,
            on=on,
            text=text,
            status=status,
            closed_reason="Superseded." if status == Status.CLOSED else "",
            today=TODAY,
        )
    return source


@pytest.fixture
def leeds(authority: Any, personas: Any) -> Source:
    return build_leeds(authority, personas)


def render(source: Source, personas: Any, *, progress: bool = False, on: dt.date = ON) -> bytes:
    scope = scope_for(personas.lead)
    return exports.response_docx(
        source,
        selectors.plan(scope, source),
        on=on,
        authority="Exampleshire",
        originator="Kate Arscott",
        now=dt.datetime(2007, 3, 31, 9, 0, tzinfo=dt.UTC),
        progress=progress,
    )


def plan_table(data: bytes) -> Any:
    word = python_docx.Document(io.BytesIO(data))
    return word, word.tables[-1]


def test_the_word_paper_has_the_front_the_introduction_and_the_plan(
    leeds: Source, personas: Any
) -> None:
    word, table = plan_table(render(leeds, personas))
    front = {row.cells[0].text: row.cells[1].text for row in word.tables[0].rows}
    assert front == {
        "ORIGINATOR": "Kate Arscott",
        "REPORT TO": BOARD,
        "DATE": "31 March 2007",
        "SUBJECT": f"Formal response - {TITLE}",
        "CLASSIFICATION": "OFFICIAL",
    }
    paragraphs = [(p.style.name, p.text) for p in word.paragraphs if p.text]
    assert ("Title", f"Formal response - {TITLE}") in paragraphs
    assert ("Heading 1", "1.\tIntroduction") in paragraphs
    intro = [t for s, t in paragraphs if s == "Numbered Paragraph" and t.startswith("1.1\t")]
    assert intro == [
        f"1.1\t{BOARD} carried out an inquiry into {TITLE}, and issued its final report on "
        "28 April 2006. The report made 3 recommendations."
    ]
    assert any(t.startswith("1.2\tThis is the formal response") for _, t in paragraphs)
    # The appendix: the source's title, then "Proposed Action Plan", then the table.
    titles = [t for s, t in paragraphs if s in ("Title", "Heading 1")]
    assert titles[-2:] == [TITLE, "Proposed Action Plan"]
    assert [c.text for c in table.rows[0].cells] == list(exports.HEADINGS)
    assert len(table.rows) == 1 + len(ACTIONS)
    properties = word.core_properties
    assert properties.language == "en-GB" and properties.category == "OFFICIAL"
    section = word.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert "OFFICIAL" in section.header.paragraphs[0].text
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_each_recommendation_is_merged_down_over_its_actions(leeds: Source, personas: Any) -> None:
    _word, table = plan_table(render(leeds, personas))
    merges = []
    for row in table.rows[1:]:
        tc_pr = row._tr.tc_lst[0].tcPr
        merge = tc_pr.find(qn("w:vMerge"))
        merges.append(None if merge is None else merge.get(qn("w:val"), "continue"))
    # Recommendation 1 over three actions, 2 alone, 3 over two.
    assert merges == ["restart", "continue", "continue", None, "restart", "continue"]
    first_cells = [row.cells[0].text for row in table.rows[1:]]
    texts = {number: f"Recommendation {number}. {text}" for number, text in RECOMMENDATIONS}
    assert first_cells == [texts["1"]] * 3 + [texts["2"]] + [texts["3"]] * 2
    # The header row repeats on every page; no row splits across pages.
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)


def test_each_action_has_its_text_responsibility_and_timescale(
    leeds: Source, personas: Any
) -> None:
    _word, table = plan_table(render(leeds, personas))
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    for (_number, text, responsibility, _o, _s, _d, _t), row in zip(ACTIONS, rows, strict=True):
        assert row[1] == text
        assert row[2] == responsibility
    assert rows[0][3] == (
        "For all recommended candidates from 1 July 2006\nDue by 30 September 2006\n"
        "Status: Complete"
    )
    assert rows[1][3] == "Due by 31 December 2006\nStatus: At risk, overdue"
    assert (
        rows[2][3] == "Within 5 working days\nDue by 31 October 2006\nStatus: Not started, overdue"
    )
    assert rows[3][3].endswith("Due by 31 March 2007\nStatus: On track")
    assert rows[4][3].endswith("Status: Closed without action")
    # The plain response gives no progress; the progress version the latest update by then.
    assert "Latest update" not in "".join(r[3] for r in rows)
    _word, progress = plan_table(render(leeds, personas, progress=True))
    texts = [row.cells[3].text for row in progress.rows[1:]]
    assert texts[1].endswith("Latest update, 10 September 2006: Salary assessment waits on the "
                             "pay review.")  # fmt: skip
    assert texts[2].endswith("No progress recorded yet.")


def test_the_statuses_are_as_at_the_date_asked(leeds: Source, personas: Any) -> None:
    _word, table = plan_table(render(leeds, personas, progress=True, on=dt.date(2006, 9, 30)))
    texts = [row.cells[3].text for row in table.rows[1:]]
    assert "Status: On track\n" in texts[0]  # completed only on 2 October
    assert "Latest update, 15 August 2006" in texts[0]
    assert "Status: Not started" in texts[5]


def test_text_stays_plain_and_control_characters_are_dropped(authority: Any, personas: Any) -> None:
    source = services.create_source(
        authority=authority,
        kind=SourceKind.OFSTED,
        title="Inspection <b>of</b> services\x07",
        body="Ofsted",
        issued_on=dt.date(2025, 1, 10),
        today=TODAY,
    )
    recommendation = services.add_recommendation(source=source, number="1", text="<script>&")
    services.add_action(
        recommendation=recommendation,
        text="Fix\x0bit & <i>now</i>",
        responsibility="Director",
        start=dt.date(2025, 2, 1),
    )
    services.add_recommendation(source=source, number="2", text="Nothing done yet.")
    _word, table = plan_table(render(source, personas, on=dt.date(2025, 3, 1)))
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert rows[0][:3] == ["Recommendation 1. <script>&", "Fixit & <i>now</i>", "Director"]
    assert rows[1][:2] == ["Recommendation 2. Nothing done yet.", exports.NO_ACTION]


def test_the_table_downloads_as_xlsx_and_csv(leeds: Source, personas: Any) -> None:
    client = Client()
    client.force_login(personas.board)
    url = reverse("actionplans:response_table", kwargs={"source_id": leeds.pk})
    rows = xlsx_rows(client.get(url, {"format": "xlsx"}))
    assert rows[0] == [
        "Recommendation number", "Recommendation", "Action taken/proposed", "Responsibility",
        "Timescale", "Due by", "Status", "RAG", "Overdue", "Latest update on", "Latest update",
    ]  # fmt: skip
    assert len(rows) == 1 + len(ACTIONS)
    first = rows[1]
    assert first[:5] == ["1", RECOMMENDATIONS[0][1], ACTIONS[0][1], HR, ACTIONS[0][6]]
    assert first[5].date() == dt.date(2006, 9, 30)
    assert first[6:9] == ["Complete", "Complete", "No"]
    assert first[9].date() == dt.date(2006, 10, 2)
    assert rows[3][6:9] == ["Not started", "Red", "Yes"]  # today, long past its due date
    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    assert "Notes" in book.sheetnames
    csv = csv_rows(client.get(url, {"format": "csv"}))
    assert csv[0] == rows[0] and csv[1][:5] == first[:5] and csv[1][5] == "2006-09-30"
    # Nobody's name: the plan names who is responsible by role.
    text = "".join(str(c) for row in rows for c in row)
    assert "Persona" not in text


def test_the_word_file_downloads_as_an_attachment(leeds: Source, personas: Any) -> None:
    client = Client()
    client.force_login(personas.board)
    url = reverse("actionplans:response_docx", kwargs={"source_id": leeds.pk})
    response = client.get(url, {"progress": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == exports.DOCX_TYPE
    assert response["Content-Disposition"].startswith('attachment; filename="action-plan-')
    word = python_docx.Document(io.BytesIO(response.content))
    assert [c.text for c in word.tables[-1].rows[0].cells] == list(exports.HEADINGS)
    assert "Latest update, 10 September 2006" in word.tables[-1].rows[2].cells[3].text


def test_another_authoritys_plan_is_not_found(leeds: Source, personas: Any) -> None:
    client = Client()
    client.force_login(personas.outsider)
    for name in ("actionplans:response_docx", "actionplans:response_table"):
        response = client.get(reverse(name, kwargs={"source_id": leeds.pk}))
        assert response.status_code == 404, name
    client.force_login(personas.lead)
    assert client.get(reverse("actionplans:response_docx", args=[leeds.pk])).status_code == 200


def program(name: str) -> str:
    from workforce.reports.tests.test_render import program as find

    return find(name)


def test_the_word_file_lays_out_in_libreoffice_like_the_leeds_paper(
    leeds: Source, personas: Any, tmp_path: Path
) -> None:
    office = program("libreoffice")
    pdftotext = program("pdftotext")
    path = tmp_path / "response.docx"
    path.write_bytes(render(leeds, personas, progress=True))
    subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "response.pdf"
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = text.split("\f")
    assert "Formal response - Recruitment" in pages[0]
    assert "Introduction" in pages[0]
    # The plan starts on a page of its own, its header row repeated on each of its pages.
    plan_pages = [p for p in pages if "Proposed Action Plan" in p or "Recommendation 3." in p]
    assert plan_pages and "Proposed Action Plan" not in pages[0]
    for page in pages[1:]:
        if page.strip():
            assert "Action taken/proposed" in page
            assert "OFFICIAL" in page
    reading = subprocess.run(
        [pdftotext, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    joined = " ".join(reading.split())
    assert re.search(r"Page 1 of [2-9]", joined)
    for _number, action, *_rest in ACTIONS:
        assert " ".join(action.split()[:4]) in joined
