"""One number: every figure a report section keeps is the dashboard's value for the same question.

For the demo authority (team scale), each section's `figures` are compared, key by key, with
the figures the dashboard and the pages get from their own selectors for the same authority,
scope and date; and the establishment section's totals with the establishment table page's own
download.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from workforce.actionplans.models import Source
from workforce.caseloads.measures import CaseloadFilter, caseload_overview
from workforce.conftest import build_demo, built_once
from workforce.core import numbers
from workforce.core.access import Scope, scope_for
from workforce.core.models import Authority, UserRole
from workforce.core.tables import SUPPRESSED
from workforce.core.tests.downloads import csv_rows
from workforce.core.tests.factories import UserFactory
from workforce.establishment.selectors import EstablishmentFilter, establishment_table
from workforce.metrics import charts, selectors, tables
from workforce.metrics.measures import REGISTRY, display_value
from workforce.recruitment import selectors as recruitment
from workforce.reports.document import Audience
from workforce.reports.figures import slug
from workforce.reports.sections import ReportContext, report_sections

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 9, 30)
LAST_YEAR = dt.date(2024, 9, 30)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[tuple[Authority, Any]]:
    with built_once(django_db_blocker):
        authority = build_demo(seed=7, today=TODAY)
        lead = UserFactory(
            username="lead-one-number", role=UserRole.WORKFORCE_LEAD, authority=authority
        )
        yield authority, lead


def expected(scope: Scope, on: dt.date, since: dt.date) -> dict[str, Any]:
    """Every figure a report could keep, from the dashboard's and the pages' selectors."""
    out: dict[str, Any] = {}
    where = selectors.filter_for_scope(scope)
    head = selectors.headline(where=where, on=on, targets=list(selectors.targets_for(scope)))
    for tile in head.tiles:
        key = tile.measure.key
        out[f"headline.{key}"] = display_value(tile.measure, tile.value)
        out[f"headline.{key}.comparison"] = display_value(tile.measure, tile.last_year)
        out[f"headline.{key}.change"] = tile.change
        out[f"headline.{key}.status"] = tile.status.key
    series = selectors.monthly_series(
        where=where, last=selectors.series_end(on), months=36, keys=charts.SERIES_KEYS
    )
    for chart_id, _title, keys in charts.CHARTS:
        for i, day in enumerate(series.dates):
            for key in keys:
                value = tables.measure_column(key).value(series.values[key][i])
                out[f"trends.{chart_id}.{slug(day.isoformat())}.{key}"] = value
    found = establishment_table(where=EstablishmentFilter.for_scope(scope), on=on)
    for row in found.rows:
        for column, value in row.__dict__.items():
            if isinstance(value, Decimal):
                out[f"establishment.{slug(row.role)}.{column}"] = value
    for column, value in found.totals.items():
        out[f"establishment.total.{column}"] = value
    report = recruitment.ReportFilter.for_scope(scope, on=on)
    rows = [r for r in recruitment.strand_progress(report) if r.running_on(on)]
    names = [f"recruitment.{slug(r.campaign)}.{slug(r.strand)}.{slug(r.role)}" for r in rows]
    assert len(set(names)) == len(names)  # one key for each row
    for r, name in zip(rows, names, strict=True):
        for key in (
            "target",
            "offered",
            "recommended",
            "in_checks",
            "unconditional",
            "accepted",
            "started",
            "conditional_accepted",
        ):
            out[f"{name}.{key}"] = getattr(r, key)
        out[f"{name}.recruited"] = r.recruited
        out[f"{name}.still_to_find"] = r.still_to_find
    offers = recruitment.offers_by_role(report)
    for role, offered, accepted in offers:
        out[f"recruitment.offers.{slug(role)}.offered"] = offered
        out[f"recruitment.offers.{slug(role)}.accepted"] = accepted
    if offers:
        out["recruitment.offers.total.offered"] = sum(o for _, o, _ in offers)
        out["recruitment.offers.total.accepted"] = sum(a for _, _, a in offers)
    out["recruitment.newly_qualified.expected"] = recruitment.newly_qualified(report).total
    # The year's events by role, as the reports page gives them from the day after `since`.
    year = recruitment.ReportFilter.for_scope(scope, on=on, start=since + dt.timedelta(days=1))
    events = [c.key for c in recruitment.PERIOD_COLUMNS[1:]]
    period = recruitment.period_rows(year)
    for happened in period:
        for key in events:
            out[f"recruitment.period.{slug(happened.role)}.{key}"] = getattr(happened.events, key)
    for key in events:
        if period:
            out[f"recruitment.period.total.{key}"] = sum(getattr(r.events, key) for r in period)
    page = caseload_overview(CaseloadFilter.for_scope(scope), on)
    average = selectors.measures_on(where=where, on=on, keys=["average_caseload"]).at(0)
    out |= {
        "caseloads.cases_held": page.summary.cases_held,
        "caseloads.case_holders": page.summary.case_holders,
        "caseloads.case_holder_fte": page.summary.case_holder_fte,
        "caseloads.average_caseload": display_value(
            REGISTRY["average_caseload"], average["average_caseload"]
        ),
        "caseloads.unallocated": page.unallocated,
        "caseloads.unallocated_escalated": page.escalated,
        "caseloads.children_in_care": page.changes.children_in_care,
        "caseloads.three_or_more": page.changes.three_or_more,
        "caseloads.three_or_more_rate": _percent(page.changes.share_three_or_more),
        "caseloads.supervision_within_policy": page.compliance.within_policy,
        "caseloads.supervision_compliance": _percent(page.compliance.rate),
    }
    for label, number, share in page.funnel.rows():
        out[f"demand.{slug(label)}"] = number
        out[f"demand.{slug(label)}.share"] = None if share is None else _percent(share, 0)
    out |= _action_plans(scope, on, since)
    out |= _exits(scope, on)
    whole = selectors.measures_on(where=where, on=on, keys=selectors.BREAKDOWN).at(0)
    team_rows = selectors.breakdown(where=where, on=on, by="team")
    for name, values in [*((slug(r.label), r.values) for r in team_rows), ("total", whole)]:
        for key in selectors.BREAKDOWN:
            out[f"teams.{name}.{key}"] = tables.measure_column(key).value(values[key])
    out |= _retention(where, on)
    out |= _pay(scope, on)
    return out


def _pay(scope: Scope, on: dt.date) -> dict[str, Any]:
    """The pay comparison page's summary table for the date."""
    from workforce.benchmarks import selectors_pay
    from workforce.reports.figures import table_figures

    found = selectors_pay.pay_comparison(scope, on=on)
    return table_figures(selectors_pay.summary_table(found, on=on), "pay", "role")


def _retention(where: Any, on: dt.date) -> dict[str, Any]:
    """The retention page's tables, and the stability index and turnover as the dashboard's
    measures give them."""
    from workforce.careers import retention
    from workforce.reports.figures import table_figures

    found = retention.page(where, on, board=False)
    out: dict[str, Any] = {}
    for chart in found.charts:
        prefix = f"retention.{chart.id.removeprefix('km-')}"
        out |= table_figures(chart.summary_table, prefix, "group")
    for key, table in found.turnover_tables.items():
        out |= table_figures(table, f"retention.turnover.{key}", "group")
    whole = selectors.measures_on(
        where=where, on=on, keys=["stability_index", "turnover_rate_fte"]
    ).at(0)
    out["retention.stability_index"] = display_value(
        REGISTRY["stability_index"], whole["stability_index"]
    )
    for key in ("tenure", "route", "team"):
        rate = tables.measure_column("turnover_rate_fte").value(whole["turnover_rate_fte"])
        assert out[f"retention.turnover.{key}.total.turnover_rate_fte"] == rate
    return out


def _action_plans(scope: Scope, on: dt.date, since: dt.date) -> dict[str, Any]:
    """The action plans' figures as the plan pages count them (`rag_counts`, `needing_attention`,
    `impacts`), for records whose statuses were last moved on or before `on`. With no report
    issued before, changes are counted from the comparison date."""
    from django.db.models import F

    from workforce.actionplans import selectors as plans
    from workforce.actionplans.models import OPEN_STATUSES, Rag, Update

    out: dict[str, Any] = {}
    found = {
        source: list(plans.actions(scope).filter(recommendation__source=source, start__lte=on))
        for source in plans.sources(scope).filter(issued_on__lte=on)
    }
    if not found:
        return out
    totals = dict.fromkeys(Rag, 0)
    counted = 0
    for source, actions in found.items():
        counts = plans.rag_counts(actions, on)
        if not any(a.is_open for a in actions):
            continue
        counted += 1
        for colour, n in counts.items():
            out[f"actionplans.plan.{slug(source.title)}.{colour}"] = n
            totals[colour] += n
        out[f"actionplans.plan.{slug(source.title)}.total"] = len(actions)
        for action in actions:
            for impact in plans.impacts(scope, action, on):
                name = f"actionplans.measure.{impact.link.pk}"
                out[f"{name}.baseline"] = impact.baseline.shown if impact.baseline else None
                out[f"{name}.latest"] = impact.latest.shown if impact.latest else None
                out["actionplans.targets_met"] = out.get("actionplans.targets_met", 0) + (
                    impact.met is True
                )
                out["actionplans.targets_not_met"] = out.get("actionplans.targets_not_met", 0) + (
                    impact.met is False
                )
    out.setdefault("actionplans.targets_met", 0)
    out.setdefault("actionplans.targets_not_met", 0)
    for colour in Rag:
        out[f"actionplans.rag.{colour}"] = totals[colour]
    out["actionplans.total"] = sum(totals.values())
    out["actionplans.plans"] = counted
    out["actionplans.overdue"] = len(
        [
            a
            for a in plans.needing_attention(scope, on)
            if a.status in OPEN_STATUSES and a.due is not None and a.due < on and a.start <= on
        ]
    )
    updates = Update.objects.filter(
        action__in=[a for actions in found.values() for a in actions], on__gt=since, on__lte=on
    )
    out["actionplans.changes"] = updates.count()
    out["actionplans.status_changes"] = updates.exclude(status=F("status_before")).count()
    return out


def _exits(scope: Scope, on: dt.date) -> dict[str, Any]:
    """The "Why people leave" page's counts for the year to the date."""
    from workforce.careers import selectors_exits

    year = selectors_exits.why_people_leave(scope, on=on, board=False)
    out = {"exits.leavers": year.leavers, "exits.interviewed": year.interviewed}
    for label, count in year.table.rows:
        out[f"exits.{slug(label)}"] = count
    return out


def _percent(value: Any, places: int = 1) -> Any:
    from workforce.core import numbers

    return numbers.percentage(value, places)


def _context(authority: Authority, scope: Scope, audience: Audience) -> ReportContext:
    return ReportContext(
        authority=authority, scope=scope, report_date=TODAY, comparison_date=LAST_YEAR,
        audience=audience,
    )  # fmt: skip


def test_every_figure_in_every_section_is_the_dashboards(demo: tuple[Authority, Any]) -> None:
    authority, lead = demo
    scope = scope_for(lead)
    want = expected(scope, TODAY, LAST_YEAR)
    seen = 0
    shown: set[str] = set()
    for section in report_sections(Audience.INTERNAL):
        content = section.build(_context(authority, scope, Audience.INTERNAL))
        assert content.figures or content.empty, section.key
        for key, value in content.figures.items():
            assert key in want, (section.key, key)
            assert value == want[key], (section.key, key, value, want[key])
            shown.add(key.split(".")[0])
            seen += 1
    # Every section showed something: the demo has figures, recruitment, cases and referrals,
    # and action plans when it records them.
    plans = {"actionplans"} if Source.objects.filter(authority=authority).exists() else set()
    assert shown == {
        "headline", "trends", "establishment", "recruitment", "caseloads", "demand", "teams",
        "exits",
        "retention", "pay",
    } | plans  # fmt: skip
    assert seen > 500


def test_board_figures_are_the_dashboards_or_withheld(demo: tuple[Authority, Any]) -> None:
    authority, lead = demo
    scope = scope_for(lead)
    want = expected(scope, TODAY, LAST_YEAR)
    withheld = 0
    for section in report_sections(Audience.SCRUTINY_BOARD):
        content = section.build(_context(authority, scope, Audience.SCRUTINY_BOARD))
        for key, value in content.figures.items():
            if value == SUPPRESSED:
                withheld += 1
                continue
            assert value == want[key], (section.key, key, value, want[key])
    assert withheld > 0


def test_establishment_totals_are_the_establishment_pages(demo: tuple[Authority, Any]) -> None:
    authority, lead = demo
    scope = scope_for(lead)
    section = next(s for s in report_sections() if s.key == "establishment.table")
    figures = section.build(_context(authority, scope, Audience.INTERNAL)).figures
    client = Client()
    client.force_login(lead)
    response = client.get(
        reverse("establishment:table"), {"on": TODAY.isoformat(), "format": "csv"}
    )
    rows = csv_rows(response)
    totals = next(r for r in rows if r[0] == "Total")
    keys = ["establishment", "permanent", "agency", "vacant", "over_under"]
    assert [figures[f"establishment.total.{k}"] for k in keys] == [Decimal(v) for v in totals[1:]]


def _word_text(data: bytes) -> tuple[str, list[list[str]]]:
    """All the Word file's text (paragraphs, then table cells), and its figure tables' rows."""
    import io

    import docx as python_docx

    word = python_docx.Document(io.BytesIO(data))
    grids = [[c.text for c in row.cells] for table in word.tables[1:] for row in table.rows]
    text = [p.text for p in word.paragraphs]
    text += [c.text for table in word.tables for row in table.rows for c in row.cells]
    return " ".join(" ".join(text).split()), grids


def _pdf_text(data: bytes, tmp_path: Any) -> str:
    import subprocess

    from workforce.reports.tests.test_render import program

    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        [program("pdftotext"), str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(out.split())


def _shown(value: Any) -> str:
    """A figure as the report prints it: thousands separated, as rounded."""
    if isinstance(value, str):
        return value
    return f"{value:,}"


def test_the_word_file_and_the_pdf_show_the_dashboards_figures(
    demo: tuple[Authority, Any], tmp_path: Any
) -> None:
    """Every figure of every section, as the dashboard gives it, is in the Word file and in the
    PDF's text; and each table in the Word file is the section's table, cell by cell."""
    from django.utils import timezone

    from workforce.reports import render
    from workforce.reports.document import ChartBlock, Document, DocumentSection, TableBlock

    authority, lead = demo
    scope = scope_for(lead)
    want = expected(scope, TODAY, LAST_YEAR)
    context = _context(authority, scope, Audience.INTERNAL)
    sections = [
        DocumentSection(s.key, s.title, "", s.build(context))
        for s in report_sections(Audience.INTERNAL)
    ]
    document = Document(
        title="Workforce report",
        authority=authority.name,
        audience=Audience.INTERNAL,
        report_date=TODAY,
        comparison_date=LAST_YEAR,
        author="Head of service",
        data_date=TODAY,
        generated_at=timezone.now(),
        protective_marking="OFFICIAL-SENSITIVE",
        sections=sections,
    )
    word, grids = _word_text(render.docx(document))
    pdf = _pdf_text(render.pdf(document), tmp_path)
    # The tables, cell by cell, in order: header row then the rows and totals as shown.
    tables = [
        block.table
        for section in sections
        for block in section.content.blocks
        if isinstance(block, TableBlock | ChartBlock)
    ]
    rows: list[list[str]] = []
    for table in tables:
        rows.append([c.heading for c in table.page_columns])
        rows += [[cell.text for cell in row] for row in table.page_rows]
        if table.page_totals is not None:
            rows.append([cell.text for cell in table.page_totals])
    assert grids == rows
    # Every figure, the dashboard's, in both files.
    checked = 0
    for section in sections:
        for key in section.content.figures:
            value = want[key]
            if not isinstance(value, int | Decimal) or isinstance(value, bool):
                continue  # a status or a sentence: the numbers are what is checked
            # A change is printed as "Up 4.60 FTE" or "Down 8.8 percentage points", the
            # permanent share as "63:37".
            text = _shown(abs(value) if key.endswith(".change") else value)
            if "over_under" in key and value < 0:  # more staff than budget: in brackets
                text = f"({-value:,})"
            if "permanent_share" in key and not key.endswith(".change"):
                employed = int(numbers.rounded(value, 0) or 0)
                text = f"{employed}:{100 - employed}"
            assert text in word, (key, text)
            assert text in pdf, (key, text)
            checked += 1
    assert checked > 500
