"""The report sections, against figures worked out by hand (`world.py`) and against the
dashboard's and the pages' own selectors for the same authority and date."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from workforce.caseloads import measures as caseload_measures
from workforce.caseloads.measures import CaseloadFilter
from workforce.core.access import scope_for
from workforce.core.tables import SUPPRESSED, Table
from workforce.establishment.models import Worker
from workforce.metrics import charts
from workforce.metrics import selectors as metrics
from workforce.recruitment.models import Candidate
from workforce.reports.document import (
    ChartBlock,
    Note,
    Paragraph,
    SectionContent,
    TableBlock,
)
from workforce.reports.sections import ReportContext, report_sections, section_for
from workforce.reports.tests import world
from workforce.reports.tests.world import BEFORE, ON

pytestmark = pytest.mark.django_db

KEYS = (
    "metrics.headline",
    "metrics.trends",
    "establishment.table",
    "recruitment.progress",
    "careers.retention",
    "caseloads.caseloads",
    "caseloads.demand",
    "careers.exits",
    "benchmarks.pay",
    "actionplans.progress",
    "benchmarks.comparison",
    "metrics.teams",
)


@pytest.fixture
def built(personas: Any, authority: Any, reference_data: None) -> dict[str, Any]:
    return {**world.build(authority), "scope": scope_for(personas.lead)}


def context(built: dict[str, Any], *, board: bool = False, on: dt.date = ON,
            since: dt.date = BEFORE) -> ReportContext:  # fmt: skip
    from workforce.reports.document import Audience

    audience = Audience.SCRUTINY_BOARD if board else Audience.INTERNAL
    scope = built["scope"]
    return ReportContext(
        authority=scope.authority, scope=scope, report_date=on, comparison_date=since,
        audience=audience,
    )  # fmt: skip


def section(key: str, built: dict[str, Any], **kw: Any) -> SectionContent:
    found = section_for(key)
    assert found is not None
    return found.build(context(built, **kw))


def tables_of(content: SectionContent) -> list[Table]:
    return [b.table for b in content.blocks if isinstance(b, TableBlock | ChartBlock)]


def texts(content: SectionContent) -> str:
    """Everything a reader of the section could see, as one text."""
    out = [content.empty]
    for block in content.blocks:
        if isinstance(block, Paragraph | Note):
            out.append(block.text)
        if isinstance(block, ChartBlock):
            out += [block.alt, json.dumps(block.spec)]
    for table in tables_of(content):
        out.append(json.dumps(table.to_dict(), default=str))
        out += [cell.text for row in table.page_rows for cell in row]
    return "\n".join(out)


def test_every_app_offers_its_sections_and_boards_never_get_the_team_breakdown() -> None:
    assert [s.key for s in report_sections()] == list(KEYS)
    from workforce.reports.document import Audience

    board = [s.key for s in report_sections(Audience.SCRUTINY_BOARD)]
    assert "metrics.teams" not in board and len(board) == len(KEYS) - 1


# Headline figures ------------------------------------------------------------------------------


def test_headline_figures_by_hand_and_as_the_dashboard_shows_them(built: dict[str, Any]) -> None:
    content = section("metrics.headline", built)
    f = content.figures
    assert f["headline.in_post_fte"] == Decimal("2.80")
    assert f["headline.in_post_fte.comparison"] == Decimal("3.00")
    assert f["headline.in_post_fte.change"] == Decimal("-0.20")
    assert f["headline.agency_rate_fte"] == Decimal("26.3")  # 1.0 ÷ 3.8
    assert f["headline.vacancy_rate_fte"] == Decimal("44.0")  # 2.2 ÷ 5.0
    assert f["headline.agency_rate_fte.status"] == "red"  # against at most 20%
    scope = built["scope"]
    head = metrics.headline(
        where=metrics.filter_for_scope(scope), on=ON, targets=list(metrics.targets_for(scope))
    )
    for tile in head.tiles:
        key = tile.measure.key
        assert f[f"headline.{key}"] == metrics.display_value(tile.measure, tile.value)
        assert f[f"headline.{key}.change"] == tile.change
        assert f[f"headline.{key}.status"] == tile.status.key
    paragraphs = [b.text for b in content.blocks if isinstance(b, Paragraph)]
    assert (
        "Agency rate: 26.3% (target at most 20% by 31 March 2026, off target; up 26.3 "
        "percentage points since 30 September 2024)." in paragraphs
    )
    table = tables_of(content)[0]
    assert table.page_rows[0][1].text == "2.80"
    assert any(isinstance(b, Note) and "DfE" in b.text for b in content.blocks)


def test_the_change_is_since_the_comparison_date_the_report_asks_for(built: dict[str, Any]) -> None:
    content = section("metrics.headline", built, since=dt.date(2025, 3, 31))
    # 31 March 2025: perm 1.0, part 1.0 (0.6 + 0.4); the leaver left on 28 February.
    assert content.figures["headline.in_post_fte.comparison"] == Decimal("2.00")
    assert content.figures["headline.in_post_fte.change"] == Decimal("0.80")


def test_a_board_paper_withholds_figures_built_on_one_to_four_people(built: dict[str, Any]) -> None:
    content = section("metrics.headline", built, board=True)
    f = content.figures
    assert f["headline.in_post_fte"] == SUPPRESSED  # 3 people in post
    assert f["headline.agency_rate_fte"] == SUPPRESSED  # 1 agency worker
    assert f["headline.leavers_headcount"] == SUPPRESSED
    assert f["headline.vacancy_rate_fte"] == Decimal("44.0")  # budget, not people
    assert "2.80" not in texts(content)


def test_headline_for_a_date_with_no_data_is_empty(built: dict[str, Any]) -> None:
    content = section("metrics.headline", built, on=dt.date(2010, 3, 31))
    assert content.empty and not content.blocks


# Trends ----------------------------------------------------------------------------------------


def test_trends_are_the_dashboards_charts_with_their_numbers(built: dict[str, Any]) -> None:
    content = section("metrics.trends", built)
    blocks = [b for b in content.blocks if isinstance(b, ChartBlock)]
    series = metrics.monthly_series(
        where=metrics.filter_for_scope(built["scope"]), last=ON, months=36,
        keys=charts.SERIES_KEYS,
    )  # fmt: skip
    dashboard = charts.dashboard_charts(series)
    assert [b.table.title for b in blocks] == [c.title for c in dashboard]
    for block, chart in zip(blocks, dashboard, strict=True):
        assert block.spec["data"]["values"] == chart.spec["data"]["values"]
        assert block.alt == f"{chart.title}. {chart.summary}"
        assert len(block.table.rows) == 36
        assert [[c.text for c in r[1:]] for r in block.table.page_rows] == chart.rows
    assert content.figures["trends.staffing.2025_09_30.in_post_fte"] == Decimal("2.80")


def test_board_trends_leave_small_counts_out_of_the_chart_and_its_table(
    built: dict[str, Any],
) -> None:
    content = section("metrics.trends", built, board=True)
    flows = next(b for b in content.blocks if isinstance(b, ChartBlock) and "Starters" in b.alt)
    assert all(v["value"] in (0, 0.0) for v in flows.spec["data"]["values"])
    assert "some months are not shown" in flows.alt
    assert content.figures["trends.flows.2025_09_30.leavers_headcount"] == SUPPRESSED


# Establishment ---------------------------------------------------------------------------------


def test_establishment_table_by_role_reconciles(built: dict[str, Any]) -> None:
    content = section("establishment.table", built)
    table = tables_of(content)[0]
    assert [[c.text for c in r] for r in table.page_rows] == [
        ["Family support", "1.00", "0.50", "0.00", "0.50", "0.50"],
        ["Senior practitioner", "1.00", "0.40", "0.00", "0.60", "0.60"],
        ["Social worker", "4.00", "2.40", "1.00", "1.60", "0.60"],
    ]
    assert [c.text for c in table.page_totals or []] == [
        "Total", "6.00", "3.30", "1.00", "2.70", "1.70",
    ]  # fmt: skip
    assert any("The table reconciles" in n for n in table.all_notes)
    f = content.figures
    assert f["establishment.total.over_under"] == Decimal("1.70")
    assert f["establishment.social_worker.vacant"] == Decimal("1.60")
    paragraph = next(b.text for b in content.blocks if isinstance(b, Paragraph))
    assert paragraph.startswith("At 30 September 2025 the establishment was 6.00 FTE")


def test_over_establishment_reads_in_brackets(built: dict[str, Any]) -> None:
    from workforce.establishment.models import Post
    from workforce.establishment.tests.factories import EngagementFactory, WorkerFactory

    post = Post.objects.filter(role__title="Family support").get()
    EngagementFactory(
        authority=post.authority, post=post, worker=WorkerFactory(authority=post.authority),
        start=dt.date(2025, 1, 1), fte=Decimal("1.00"),
    )  # fmt: skip
    table = tables_of(section("establishment.table", built))[0]
    assert table.page_rows[0][5].text == "(0.50)"  # 1.00 budget, 1.50 permanent


def test_board_establishment_withholds_roles_of_one_to_four_people(built: dict[str, Any]) -> None:
    content = section("establishment.table", built, board=True)
    table = tables_of(content)[0]
    assert [c.key for c in table.columns] == [
        "role", "establishment", "permanent", "agency", "vacant", "over_under",
    ]  # fmt: skip
    assert table.page_rows[2][2].text == SUPPRESSED  # 3 social workers in post
    assert table.page_rows[2][1].text == "4.00"  # the budget is no one's
    assert content.figures["establishment.total.permanent"] == SUPPRESSED


# Recruitment -----------------------------------------------------------------------------------


def test_recruitment_progress_in_the_sentence_councils_use(built: dict[str, Any]) -> None:
    content = section("recruitment.progress", built)
    paragraphs = [b.text for b in content.blocks if isinstance(b, Paragraph)]
    assert (
        "Social workers 2025, Recruitment partner, Social worker: 11 recruited at 30 September "
        "2025 against a target of 15: 4 started, 7 in pre-employment checks." in paragraphs
    )
    f = content.figures
    key = "recruitment.social_workers_2025.recruitment_partner.social_worker"
    assert (f[f"{key}.recruited"], f[f"{key}.started"], f[f"{key}.in_checks"]) == (11, 4, 7)
    assert f[f"{key}.still_to_find"] == 4
    assert (f["recruitment.offers.total.offered"], f["recruitment.offers.total.accepted"]) == (
        11,
        4,
    )


def test_the_september_figures_stand_after_a_december_withdrawal(built: dict[str, Any]) -> None:
    later = section("recruitment.progress", built, on=dt.date(2025, 12, 31))
    key = "recruitment.social_workers_2025.recruitment_partner.social_worker"
    assert later.figures[f"{key}.recruited"] == 10
    assert section("recruitment.progress", built).figures[f"{key}.recruited"] == 11


def test_board_recruitment_withholds_small_counts_and_what_gives_them_away(
    built: dict[str, Any],
) -> None:
    content = section("recruitment.progress", built, board=True)
    key = "recruitment.social_workers_2025.recruitment_partner.social_worker"
    f = content.figures
    assert f[f"{key}.started"] == SUPPRESSED
    assert f[f"{key}.in_checks"] == SUPPRESSED  # else 11 − 7 gives the 4 who started
    assert f[f"{key}.recruited"] == 11
    assert f["recruitment.offers.total.accepted"] == SUPPRESSED
    paragraphs = [b.text for b in content.blocks if isinstance(b, Paragraph)]
    assert any("11 recruited" in p and f"{SUPPRESSED} started" in p for p in paragraphs)
    assert all(t.columns[-1].key != "summary" for t in tables_of(content))


def test_a_campaign_that_has_ended_is_left_out_but_its_offers_count(
    built: dict[str, Any],
) -> None:
    from workforce.recruitment.models import Campaign

    Campaign.objects.update(end=dt.date(2025, 9, 20))
    content = section("recruitment.progress", built)
    assert content.blocks[0].text == "No recruitment campaign was running at 30 September 2025."  # type: ignore[union-attr]
    assert not any(k.startswith("recruitment.social_workers") for k in content.figures)
    assert content.figures["recruitment.offers.total.offered"] == 11


def test_recruitment_before_any_campaign_is_a_plain_empty_section(built: dict[str, Any]) -> None:
    content = section("recruitment.progress", built, on=dt.date(2025, 5, 1))
    assert content.empty.startswith("No recruitment campaign was running")


# Caseloads and demand --------------------------------------------------------------------------


def test_caseloads_by_hand_and_as_the_caseloads_page(built: dict[str, Any]) -> None:
    content = section("caseloads.caseloads", built)
    f = content.figures
    assert (f["caseloads.cases_held"], f["caseloads.case_holders"]) == (4, 3)
    assert f["caseloads.case_holder_fte"] == Decimal("2.80")
    assert f["caseloads.average_caseload"] == Decimal("1.4")
    assert (f["caseloads.unallocated"], f["caseloads.unallocated_escalated"]) == (1, 1)
    assert (f["caseloads.children_in_care"], f["caseloads.three_or_more"]) == (2, 1)
    assert f["caseloads.three_or_more_rate"] == Decimal("50.0")
    assert f["caseloads.supervision_compliance"] == Decimal("66.7")
    head = metrics.measures_on(
        where=metrics.filter_for_scope(built["scope"]), on=ON, keys=["average_caseload"]
    ).at(0)
    assert f["caseloads.average_caseload"] == metrics.display_value(
        metrics.REGISTRY["average_caseload"], head["average_caseload"]
    )
    text = texts(content)
    assert "the average caseload was 1.4: 4 cases held by 3 case holders (2.80 FTE)" in text


def test_demand_funnel_as_leeds_tabulates_it(built: dict[str, Any]) -> None:
    content = section("caseloads.demand", built)
    f = content.figures
    assert [f[f"demand.{k}"] for k in (
        "referrals", "initial_assessments", "going_on_to_core_assessment",
        "going_on_to_a_care_plan", "no_further_action",
    )] == [10, 6, 3, 2, 2]  # fmt: skip
    assert f["demand.initial_assessments.share"] == 60
    assert [f[f"demand.{k}"] for k in (
        "information_advice_or_signposting", "referred_to_early_help", "assessed_not_in_need",
        "open_no_outcome_yet",
    )] == [0, 0, 0, 6]  # fmt: skip
    assert f["demand.open_no_outcome_yet.share"] == 60
    page = caseload_measures.caseload_overview(CaseloadFilter.for_scope(built["scope"]), ON)
    assert f["demand.referrals"] == page.funnel.referrals
    assert content.blocks[0].text.startswith(  # type: ignore[union-attr]
        "In the 12 months to 30 September 2025, 10 referrals were received: 6 (60%) had an "
        "initial assessment, 3 (30%) went on to a core assessment"
    )


def test_board_demand_withholds_stages_of_one_to_four_children(built: dict[str, Any]) -> None:
    f = section("caseloads.demand", built, board=True).figures
    assert f["demand.referrals"] == 10 and f["demand.initial_assessments"] == 6
    assert f["demand.going_on_to_core_assessment"] == SUPPRESSED
    assert f["demand.going_on_to_core_assessment.share"] == SUPPRESSED


def test_demand_with_no_referrals_is_a_plain_empty_section(built: dict[str, Any]) -> None:
    content = section("caseloads.demand", built, on=dt.date(2023, 6, 30))
    assert content.empty == "No referrals were received in the 12 months to 30 June 2023."


# Teams and personal data -----------------------------------------------------------------------


def test_team_breakdown_is_the_dashboards(built: dict[str, Any]) -> None:
    content = section("metrics.teams", built)
    rows = metrics.breakdown(where=metrics.filter_for_scope(built["scope"]), on=ON, by="team")
    for row in rows:
        name = row.label.lower().replace(" ", "_")
        assert content.figures[f"teams.{name}.in_post_fte"] == row.values["in_post_fte"]
        assert content.figures[f"teams.{name}.cases_held"] == row.values["cases_held"]
    assert section("metrics.teams", built, board=True).empty


def test_no_board_section_shows_a_name_or_a_team(built: dict[str, Any]) -> None:
    from workforce.reports.document import Audience

    people = [w.full_name for w in Worker.objects.all()] + [
        f"{c.first_name} {c.last_name}" for c in Candidate.objects.all()
    ]
    staff = [w.staff_number for w in Worker.objects.all()]
    for found in report_sections(Audience.SCRUTINY_BOARD):
        text = texts(found.build(context(built, board=True)))
        for name in [*people, *staff, "Census A", "Census B"]:
            assert name not in text, (found.key, name)


def test_every_section_at_a_date_with_no_data_says_so_plainly(built: dict[str, Any]) -> None:
    early = dt.date(1990, 3, 31)
    for found in report_sections():
        content = found.build(context(built, on=early, since=dt.date(1989, 3, 31)))
        assert content.empty, found.key
        assert "1990" in content.empty, (found.key, content.empty)
        assert not content.figures, found.key
