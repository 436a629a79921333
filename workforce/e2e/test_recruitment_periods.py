"""HR sets an agency strand's target with no deadline, then reads the recruitment reports for a
period: a "From" after "To" shown against its field, then the period's table, accessible."""

from __future__ import annotations

import datetime as dt
from typing import Any

from workforce.e2e.conftest import Seeded, axe_violations, describe, fill_date, sign_in


def test_hr_sets_a_target_with_no_date_and_reads_a_period(page: Any, seeded: Seeded) -> None:
    from workforce.establishment.models import Role
    from workforce.recruitment import services
    from workforce.recruitment.models import Stage, StrandKind

    personas = seeded.personas
    authority = personas.own_team.authority
    role = Role.objects.get(authority=authority, title="Social worker")
    campaign = services.create_campaign(
        authority=authority, name="Social workers 2024-25", start=dt.date(2024, 10, 1)
    )
    strand = services.create_strand(
        campaign=campaign,
        kind=StrandKind.AGENCY_VOLUME,
        name="Agency social workers",
        start=dt.date(2024, 10, 1),
        agency_staff=True,
    )
    vacancy = services.open_vacancy(
        authority=authority,
        reference="AG1",
        title="Social worker (agency)",
        role=role,
        opened_on=dt.date(2024, 10, 1),
        strand=strand,
    )
    for n, applied in enumerate((dt.date(2024, 12, 30), dt.date(2025, 1, 6))):
        application = services.apply(
            vacancy=vacancy,
            applied_on=applied,
            first_name="Cand",
            last_name=f"N{n}",
            email=f"n{n}@example.com",
        )
        services.advance_application(
            application=application, to_stage=Stage.SHORTLISTED, on=dt.date(2025, 1, 13)
        )

    sign_in(page, personas.hr.username, personas.password)
    page.goto(f"/recruitment/strands/{strand.pk}/targets/new/")
    page.get_by_label("Role").select_option(label="Social worker")
    page.get_by_label("Target").fill("15")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    assert "15 Social worker, no date set" in page.locator("main").inner_text()

    page.goto("/recruitment/reports/")
    fill_date(page, "From", "2025-02-01")
    fill_date(page, "To", "2025-01-31")
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    assert "“From” must be on or before “To”." in page.locator(".govuk-error-summary").inner_text()
    problems = axe_violations(page)
    assert not problems, describe(problems, page.url)

    fill_date(page, "From", "2025-01-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    text = page.locator("main").inner_text()
    assert "Recruitment from 1 January 2025 to 31 January 2025, by role" in text
    assert "(no date set)" in text
    problems = axe_violations(page)
    assert not problems, describe(problems, page.url)
