"""The action plans' report section: the Leeds 2006 plan as at dates worked out by hand, in a
built report and in its Word file and PDF, with no user named in a board paper."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx as python_docx
import pytest
from django.utils import timezone

from workforce.actionplans import selectors, services
from workforce.actionplans.models import Direction, Rag, Source, SourceKind, Status
from workforce.actionplans.tests.test_exports import ACTIONS, build_leeds
from workforce.core.access import scope_for
from workforce.core.tables import SUPPRESSED, Table
from workforce.reports import render
from workforce.reports import services as reports
from workforce.reports.document import (
    Audience,
    Heading,
    Note,
    Paragraph,
    SectionContent,
    TableBlock,
)
from workforce.reports.models import Report, ReportStatus
from workforce.reports.sections import ReportContext, report_sections, section_for

pytestmark = pytest.mark.django_db

KEY = "actionplans.progress"
ON = dt.date(2007, 3, 31)
SINCE = dt.date(2006, 9, 30)


@pytest.fixture
def leeds(authority: Any, personas: Any) -> Source:
    return build_leeds(authority, personas)


def build(
    personas: Any,
    *,
    on: dt.date = ON,
    since: dt.date = SINCE,
    audience: Audience = Audience.INTERNAL,
) -> SectionContent:
    section = section_for(KEY)
    assert section is not None
    scope = scope_for(personas.lead)
    return section.build(
        ReportContext(
            authority=scope.authority,
            scope=scope,
            report_date=on,
            comparison_date=since,
            audience=audience,
        )
    )


def tables(content: SectionContent) -> dict[str, Table]:
    return {b.table.key: b.table for b in content.blocks if isinstance(b, TableBlock)}


def texts(content: SectionContent) -> str:
    out = [content.empty]
    for block in content.blocks:
        if isinstance(block, Paragraph | Note | Heading):
            out.append(block.text)
        if isinstance(block, TableBlock):
            out.append(json.dumps(block.table.to_dict(), default=str))
    return "\n".join(out)


def test_the_section_is_offered_by_default_to_every_audience() -> None:
    section = section_for(KEY)
    assert section is not None and section.title == "Action plans"
    assert section.default and not section.internal_only
    for audience in Audience:
        assert KEY in [s.key for s in report_sections(audience)]


def test_rag_by_plan_at_the_report_date(leeds: Source, personas: Any) -> None:
    content = build(personas)
    f = content.figures
    # 1.2 at risk and 1.3 not started are past due (red), 3.2 off track; 2.1 on track, due on
    # the day itself; 1.1 complete; 3.1 closed.
    assert {k: f[f"actionplans.rag.{k}"] for k in Rag.values} == {
        "red": 3, "amber": 0, "green": 1, "not_started": 0, "complete": 1, "closed": 1,
    }  # fmt: skip
    assert f["actionplans.total"] == 6 and f["actionplans.plans"] == 1
    assert f["actionplans.overdue"] == 3
    rag = tables(content)["rag"]
    assert [c.heading for c in rag.columns] == [
        "Plan", "Red", "Amber", "Green", "Not started", "Complete", "Closed", "Total",
    ]  # fmt: skip
    assert rag.rows == [[leeds.title, 3, 0, 1, 0, 1, 1, 6]]
    paragraphs = [b.text for b in content.blocks if isinstance(b, Paragraph)]
    assert paragraphs[0] == (
        "At 31 March 2007 there were 4 open actions in 1 plan: 3 red, 0 amber, 1 green and 0 "
        "not started. In the same plans 1 action was complete and 1 closed without action."
    )
    # One number: the colours are those the plan's pages count (selectors.rag_counts).
    scope = scope_for(personas.lead)
    counts = selectors.rag_counts(list(selectors.actions(scope)), ON)
    for colour, n in counts.items():
        assert f[f"actionplans.rag.{colour}"] == n
    assert f["actionplans.overdue"] == len(
        [a for a in selectors.needing_attention(scope, ON) if a.due and a.due < ON]
    )


def test_statuses_are_as_at_the_report_date_not_as_now(leeds: Source, personas: Any) -> None:
    content = build(personas, on=SINCE, since=dt.date(2005, 9, 30))
    f = content.figures
    # At 30 September 2006: 1.1 on track (complete only on 2 October), 1.2 at risk, the rest
    # not started; 1.1 is due that day, so not yet overdue.
    assert {k: f[f"actionplans.rag.{k}"] for k in Rag.values} == {
        "red": 0, "amber": 1, "green": 1, "not_started": 4, "complete": 0, "closed": 0,
    }  # fmt: skip
    assert f["actionplans.overdue"] == 0
    assert f["actionplans.changes"] == 2
    assert "No action was overdue at 30 September 2006." in texts(content)


def test_changes_since_the_comparison_date(leeds: Source, personas: Any) -> None:
    content = build(personas)
    assert content.figures["actionplans.changes"] == 4
    assert content.figures["actionplans.status_changes"] == 4
    changes = tables(content)["changes"]
    rows = [[cell.text for cell in row] for row in changes.page_rows]
    # One plan: no Plan column.
    assert [c.key for c in changes.columns] == ["action", "change", "on", "text", "by"]
    assert [r[1:3] for r in rows] == [
        ["On track → Complete", "2 October 2006"],
        ["Not started → On track", "1 November 2006"],
        ["Not started → Closed without action", "1 December 2006"],
        ["Not started → Off track", "1 February 2007"],
    ]
    assert rows[3][3] == "The study event was postponed by the court."
    headings = [b.text for b in content.blocks if isinstance(b, Heading)]
    assert "Progress since 30 September 2006" in headings
    assert (
        "Between 30 September 2006 and 31 March 2007, 4 progress updates were recorded, 4 of "
        "them changing an action's status."
        in [b.text for b in content.blocks if isinstance(b, Paragraph)]
    )


def test_changes_since_the_last_report_to_the_same_audience(
    leeds: Source, personas: Any, authority: Any
) -> None:
    def issued(audience: Audience, on: dt.date) -> None:
        Report.objects.create(
            authority=authority,
            title="Earlier report",
            audience=str(audience),
            report_date=on,
            comparison_date=on - dt.timedelta(days=365),
            protective_marking="OFFICIAL",
            status=ReportStatus.ISSUED,
            created_by=personas.lead,
            issued_at=timezone.now(),
            document={},
        )

    issued(Audience.SCRUTINY_BOARD, dt.date(2006, 12, 31))
    issued(Audience.IMPROVEMENT_BOARD, dt.date(2007, 1, 31))  # another audience: not counted
    issued(Audience.SCRUTINY_BOARD, dt.date(2007, 6, 30))  # after the date: not counted
    content = build(personas, audience=Audience.SCRUTINY_BOARD)
    assert content.figures["actionplans.changes"] == 1
    headings = [b.text for b in content.blocks if isinstance(b, Heading)]
    assert (
        "Progress since the last report to the scrutiny board (figures as at 31 December 2006)"
        in headings
    )
    # With no earlier report to its audience, an internal paper counts from its comparison date.
    assert build(personas).figures["actionplans.changes"] == 4


def test_overdue_actions_with_their_reasons_and_days(leeds: Source, personas: Any) -> None:
    overdue = tables(build(personas))["overdue"]
    rows = [dict(zip([c.key for c in overdue.columns], r, strict=True)) for r in overdue.rows]
    assert [(r["due"], r["days"], r["reason"]) for r in rows] == [
        (dt.date(2006, 10, 31), 151, "No progress recorded."),
        (dt.date(2006, 12, 31), 90, "Salary assessment waits on the pay review."),
        (dt.date(2007, 1, 31), 59, "The study event was postponed by the court."),
    ]
    assert [r["responsibility"] for r in rows] == [ACTIONS[2][2], ACTIONS[1][2], ACTIONS[5][2]]
    assert rows[0]["owner"] == "Harriet Persona"


def test_a_board_paper_names_no_user(leeds: Source, personas: Any) -> None:
    internal = texts(build(personas))
    assert "Harriet Persona" in internal  # the owner of overdue actions, who recorded them
    content = build(personas, audience=Audience.SCRUTINY_BOARD)
    board = texts(content)
    for user in (personas.hr, personas.lead, personas.board):
        assert user.get_full_name() not in board
        assert user.username not in board
    assert "owner" not in [c.key for c in tables(content)["overdue"].columns]
    assert "Head of Human Resources" in board  # the responsibility, by role


def test_an_authority_with_no_plans_gets_a_sentence(authority: Any, personas: Any) -> None:
    content = build(personas)
    assert content.empty == "The authority had no action plans at 31 March 2007."
    assert not content.figures and not content.blocks


def test_measures_toward_their_targets_and_withheld_for_a_board(
    authority: Any, personas: Any, reference_data: None
) -> None:
    from workforce.reports.tests import world

    world.build(authority)
    source = services.create_source(
        authority=authority,
        kind=SourceKind.IMPROVEMENT_NOTICE,
        title="Improvement notice",
        body="Department for Education",
        issued_on=dt.date(2024, 9, 1),
        today=world.ON,
    )
    recommendation = services.add_recommendation(
        source=source, number="1", text="Reduce the use of agency social workers."
    )
    action = services.add_action(
        recommendation=recommendation,
        text="Convert agency posts to permanent posts.",
        responsibility="Head of Service",
        start=world.BEFORE,
        due=dt.date(2026, 3, 31),
    )
    services.record_update(
        action=action, author=personas.hr, on=dt.date(2025, 1, 10), text="Under way.",
        status=Status.ON_TRACK, today=world.ON,
    )  # fmt: skip
    link = services.link_measure(
        action=action, measure="agency_rate_fte", direction=Direction.AT_MOST,
        value=Decimal("20"), by=dt.date(2026, 3, 31),
    )  # fmt: skip
    content = build(personas, on=world.ON, since=world.BEFORE)
    impact = selectors.impacts(scope_for(personas.lead), selectors.get_action(
        scope_for(personas.lead), action.pk), world.ON)[0]  # fmt: skip
    latest = content.figures[f"actionplans.measure.{link.pk}.latest"]
    assert latest == impact.latest.shown == Decimal("26.3")  # 1.0 ÷ 3.8, as the dashboard
    assert content.figures["actionplans.targets_not_met"] == 1
    measures = tables(content)["measures"]
    row = [cell.text for cell in measures.page_rows[0]]
    assert row[1] == "Agency rate at most 20% by 31 March 2026"
    assert row[3] == "26.3% (30 September 2025)" and row[5] == "Target not met"
    # One agency worker: a board paper withholds the agency rate built on them.
    board = build(personas, on=world.ON, since=world.BEFORE, audience=Audience.SCRUTINY_BOARD)
    assert board.figures[f"actionplans.measure.{link.pk}.latest"] == SUPPRESSED
    assert board.figures["actionplans.targets_not_met"] == SUPPRESSED  # it would give it away
    assert [c.text for c in tables(board)["measures"].page_rows[0]][3] == SUPPRESSED


def _report(authority: Any, personas: Any, audience: Audience) -> Report:
    report = Report.objects.create(
        authority=authority,
        title="Children's social work workforce",
        audience=str(audience),
        report_date=ON,
        comparison_date=SINCE,
        author="Head of Service",
        protective_marking="OFFICIAL",
        created_by=personas.lead,
    )
    report.sections.create(authority=authority, key=KEY, position=1)
    return report


def _word_text(data: bytes) -> str:
    word = python_docx.Document(io.BytesIO(data))
    text = [p.text for p in word.paragraphs]
    text += [c.text for table in word.tables for row in table.rows for c in row.cells]
    return " ".join(" ".join(text).split())


def test_the_section_in_a_built_board_report_and_its_files(
    leeds: Source, personas: Any, authority: Any, tmp_path: Path
) -> None:
    from workforce.reports.tests.test_render import program

    report = _report(authority, personas, Audience.SCRUTINY_BOARD)
    document = reports.build_document(report, scope_for(personas.lead))
    assert [s.key for s in document.sections] == [KEY]
    section = document.sections[0]
    assert section.title == "Action plans" and not section.content.empty
    assert section.content.figures["actionplans.rag.red"] == 3
    word = _word_text(render.docx(document))
    assert "1. Action plans" in word
    assert "At 31 March 2007 there were 4 open actions in 1 plan" in word
    assert "Salary assessment waits on the pay review." in word
    assert "Red Amber Green Not started Complete Closed Total" in word
    path = tmp_path / "report.pdf"
    path.write_bytes(render.pdf(document))
    pdf = subprocess.run(
        [program("pdftotext"), str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pdf = " ".join(pdf.split())
    assert "Action plans" in pdf and "Actions overdue at 31 March 2007" in pdf
    assert "The study event was postponed by the court." in pdf
    for text in (word, pdf):
        for user in (personas.hr, personas.lead):
            assert user.get_full_name() not in text


def test_a_new_report_and_the_monthly_pack_have_the_section(
    leeds: Source, personas: Any, authority: Any, reference_data: None
) -> None:
    from workforce.establishment import services as establishment
    from workforce.establishment.tests.factories import RoleFactory

    establishment.create_post(
        authority=authority,
        team=personas.own_team,
        role=RoleFactory(authority=authority, title="Social worker"),
        reference="SW-1",
        fte=Decimal("1.00"),
        start=dt.date(2005, 1, 1),
    )
    pack = reports.monthly_pack(authority, personas.lead, dt.date(2007, 4, 15))
    assert pack.report_date == ON
    assert KEY in [c.key for c in pack.sections.all()]
    document = reports.build_document(pack, scope_for(personas.lead))
    content = next(s.content for s in document.sections if s.key == KEY)
    assert content.figures["actionplans.overdue"] == 3


def test_every_figure_is_the_one_the_plan_pages_count(leeds: Source, personas: Any) -> None:
    """The one-number test's expectation for action plans (empty for a demo without plans),
    checked here against a plan: every figure the section keeps, key by key."""
    from workforce.reports.tests.test_one_number import _action_plans

    want = _action_plans(scope_for(personas.lead), ON, SINCE)
    figures = build(personas).figures
    assert figures == want
    assert want["actionplans.rag.red"] == 3 and want["actionplans.changes"] == 4
