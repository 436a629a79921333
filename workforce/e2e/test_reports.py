"""A workforce lead builds a scrutiny board report in a real browser: starts it, writes the
narrative, moves a section, previews it and issues it. Every page passes axe-core."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from workforce.e2e.conftest import Seeded, axe_violations, describe, fill_date, sign_in
from workforce.reports.tests.conftest import SECTIONS, only_sections

SCREENSHOTS = os.environ.get("REPORT_SCREENSHOTS")  # a folder to save the pages in, if set


def check(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations, where)
    if SCREENSHOTS:
        name = where.replace(" ", "-")
        page.screenshot(path=os.path.join(SCREENSHOTS, f"report-{name}.png"), full_page=True)


def test_building_previewing_and_issuing_a_report(
    page: Any, seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_sections(monkeypatch, SECTIONS)
    sign_in(page, seeded.personas.lead.username, seeded.personas.password)

    page.goto("/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    check(page, "list")
    page.get_by_role("link", name="Start a report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a report")
    check(page, "start")

    page.get_by_label("Title").fill("Children's social care workforce")
    page.get_by_label("Audience").select_option(label="Scrutiny board")
    fill_date(page, "Report date", "2022-03-31")
    page.get_by_role("button", name="Start the report").click()
    expect(page.get_by_text("choose a report date on or after it").first).to_be_visible()
    check(page, "start with a mistake")

    fill_date(page, "Report date", "2025-03-31")
    page.get_by_role("button", name="Start the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children's social care workforce")
    check(page, "builder")

    page.get_by_label("Narrative for “Posts”").fill(
        "The establishment grew this year.\n\nRecruitment continues."
    )
    page.get_by_label("Narrative for “Action plan”").fill("The plan is <b>late</b>.")
    page.get_by_role("button", name="Save sections and narrative").click()
    expect(page.get_by_text("must be plain text").first).to_be_visible()
    check(page, "builder with a mistake")

    page.get_by_label("Narrative for “Action plan”").fill("The plan was agreed in May.")
    page.get_by_label("Trends").check()
    page.get_by_role("button", name="Move down the section “Posts”").click()
    expect(page.get_by_text("the section moved")).to_be_visible()
    titles = page.locator(".govuk-summary-card__title").all_inner_texts()
    assert titles[1:] == ["1. Action plan", "2. Posts", "3. Early careers", "4. Trends"], titles

    page.get_by_role("link", name="Preview the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children's social care workforce")
    expect(page.get_by_text("2.1 The establishment grew this year.")).to_be_visible()
    expect(page.get_by_text("No action plan has been agreed yet.")).to_be_visible()
    expect(page.get_by_role("img", name="Posts rose from 3 to 4.")).to_be_visible()
    check(page, "preview")

    page.get_by_role("link", name="Issue the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Issue the report")
    check(page, "issue")
    page.get_by_role("button", name="Issue the report").click()
    expect(page.get_by_text("has been issued")).to_be_visible()
    expect(page.get_by_text("shown exactly as it was issued")).to_be_visible()
    check(page, "issued")

    # A post found later, open at the report date: regenerating restates the figure.
    from workforce.establishment import services
    from workforce.establishment.models import Post

    existing = Post.objects.filter(team=seeded.personas.own_team).first()
    assert existing is not None
    services.create_post(
        authority=existing.authority,
        team=existing.team,
        role=existing.role,
        reference="LATE-1",
        fte=Decimal("1.00"),
        start=dt.date(2024, 6, 1),
    )
    page.get_by_role("link", name="Regenerate it to see what has changed since").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What has changed since the report was issued"
    )
    expect(page.get_by_text("Restated figures (1)")).to_be_visible()
    check(page, "regenerate")
