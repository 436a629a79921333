"""The workforce lead's Monday morning: open the dashboard, choose a date and a team, see the
same figures as the establishment table, and download the series behind the charts."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from workforce.e2e.conftest import Seeded, axe_violations, describe, fill_date, sign_in

ON = "2024-06-30"


def tile(page: Any, label: str) -> Any:
    return page.locator(".app-tile").filter(has=page.get_by_role("heading", name=label, exact=True))


def number(text: str) -> Decimal:
    return Decimal(re.sub(r"[^0-9.\-]", "", text))


def test_a_date_and_team_on_the_dashboard_match_the_table_and_download(
    page: Any, seeded: Seeded
) -> None:
    team = seeded.personas.own_team
    sign_in(page, seeded.personas.lead.username, seeded.personas.password)
    page.goto("/metrics/")
    fill_date(page, "As at", ON)
    page.get_by_label("Team", exact=True).select_option(label=team.name)
    with page.expect_navigation():
        page.get_by_role("button", name="Show figures").click()

    # The filters are in the address, so the view can be bookmarked and shared.
    assert "on_day=30&on_month=6&on_year=2024" in page.url and f"team={team.pk}" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Workforce at 30 June 2024"
    in_post = number(tile(page, "In post FTE").locator(".app-tile__value").inner_text())
    vacancy_from = tile(page, "Vacancy rate").get_by_text(re.compile(r"^From ")).inner_text()
    vacancy_fte = number(vacancy_from.split("÷")[0])
    problems = axe_violations(page)
    assert not problems, describe(problems, page.url)

    # Download the monthly series behind the charts: its last month is the date shown.
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV (every monthly series)").first.click()
    rows = list(csv.reader(Path(download.value.path()).read_text().splitlines()))
    header, last = rows[0], rows[-1]
    assert last[0] == ON
    assert number(last[header.index("In post FTE")]) == in_post
    assert number(last[header.index("Vacancy FTE")]) == vacancy_fte

    # The establishment table for the same date and team: the same in post and vacancy.
    page.goto(f"/establishment/?on={ON}&team={team.pk}")
    total = page.locator("tr.app-table-total").first
    cells = total.locator("td")
    assert total.locator("th").inner_text() == "Total"
    assert number(cells.nth(1).inner_text()) == in_post  # Permanent
    assert number(cells.nth(3).inner_text()) == vacancy_fte  # Vacant
    assert in_post > 0 and vacancy_fte > 0
