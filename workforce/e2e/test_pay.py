"""HR records a comparator's pay after a regional benchmarking exercise: a refusal shown against
its field, then the comparison with its chart drawn, accessible, and a board member reading it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from workforce.e2e.conftest import Seeded, axe_violations, describe, fill_date, sign_in

SOURCE = "Regional benchmarking exercise, May 2025"


def test_hr_records_a_comparators_pay_and_the_board_reads_the_comparison(
    page: Any, seeded: Seeded
) -> None:
    from workforce.benchmarks import services_pay
    from workforce.establishment.models import Role

    personas = seeded.personas
    role = Role.objects.get(authority=personas.hr.authority, title="Social worker")
    services_pay.add_pay_grade(
        authority=role.authority,
        role=role,
        grade="SW3",
        minimum=Decimal("37000"),
        maximum=Decimal("42500"),
        effective_from=dt.date(2025, 4, 1),
    )

    sign_in(page, personas.hr.username, personas.password)
    page.goto("/benchmarks/pay/comparators/add/")
    page.get_by_label("Comparator authority").select_option(label="Sandwell (333)")
    page.get_by_label("Role", exact=True).select_option(label="Social worker")
    page.get_by_label("Salary minimum").fill("36500")
    page.get_by_label("Salary maximum").fill("35000")
    fill_date(page, "Date the information applies to", "2025-05-01")
    page.get_by_label("Source").fill(SOURCE)
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    assert "The salary maximum must be at least the minimum (£36,500.00)." in summary.inner_text()
    problems = axe_violations(page)
    assert not problems, describe(problems, page.url)

    page.get_by_label("Salary maximum").fill("42000")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "Sandwell's pay for Social worker added." in page.content()

    sign_in(page, personas.board.username, personas.password)
    page.goto("/benchmarks/pay/")
    page.locator(".app-chart svg").first.wait_for()
    text = page.locator("main").inner_text()
    assert "Above the median" in text
    assert SOURCE in text
    problems = axe_violations(page)
    assert not problems, describe(problems, page.url)
