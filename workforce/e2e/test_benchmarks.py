"""Benchmarking in a real browser: a board member opens Slough's agency worker rate against its
statistical neighbours, chooses another measure, downloads a table, and every page passes
axe-core."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from workforce.conftest import Personas
from workforce.core.services import load_reference_data
from workforce.e2e.conftest import axe_violations, describe, sign_in

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("BENCHMARK_SCREENSHOTS")  # a folder to save screenshots of pages in


def check(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations, where)
    # Nothing in the page's own markup that a strict CSP would refuse (the chart's drawing sets
    # its styles through the DOM, which the CSP allows).
    expect(page.locator("body [style]:not(.app-chart *):not(.app-chart)")).to_have_count(0)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/bench-{where.replace(' ', '-')}.png", full_page=True)


@pytest.fixture
def published(db: None) -> None:
    load_reference_data(published_statistics=True)


def test_a_board_member_compares_slough_s_agency_rate(
    page: Any, personas: Personas, published: None
) -> None:
    sign_in(page, personas.board.username, personas.password)
    page.get_by_role("link", name="Benchmarking").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_label("Authority").select_option("871")
    page.get_by_label("Measure").select_option("agency")
    page.get_by_role("button", name="Show comparison").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Slough: agency worker rate")
    expect(page.get_by_text("local authorities with a value (1 is the lowest)")).to_be_visible()
    trend = page.get_by_role("region", name="The figures behind the chart")
    expect(trend.get_by_role("row", name="2017")).to_be_visible()
    expect(trend.get_by_role("row", name="2025")).to_be_visible()
    expect(page.locator("#benchmark-trend-chart svg.marks")).to_be_visible()
    check(page, "slough agency")

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^CSV .*each year")).click()
    assert download.value.suggested_filename == "benchmark-agency-871-trend.csv"

    page.get_by_label("Measure").select_option("three_plus_social_workers")
    page.get_by_role("button", name="Show comparison").click()
    check(page, "slough three plus")

    page.get_by_role("link", name="Comparator groups").click()
    expect(page.get_by_role("heading", name="Comparator groups")).to_be_visible()
    expect(page.get_by_role("link", name="Create a comparator group")).to_have_count(0)
    check(page, "groups")
