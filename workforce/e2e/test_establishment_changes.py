"""The establishment's change pages in a real browser: each passes axe-core, and ending
someone's last post leads on to recording a leaver."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from workforce.e2e.conftest import Seeded, axe_violations, describe, fill_date, sign_in
from workforce.establishment.models import Engagement, EngagementKind

pytestmark = pytest.mark.browser


def check(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations, where)


def test_the_change_pages_pass_axe_and_ending_a_last_post_offers_the_leaver_form(
    page: Any, seeded: Seeded
) -> None:
    lead = seeded.personas.lead
    sign_in(page, lead.username, seeded.personas.password)
    employed = Engagement.objects.filter(
        post__team=seeded.personas.own_team, kind=EngagementKind.PERMANENT
    ).first()
    agency = Engagement.objects.filter(kind=EngagementKind.AGENCY).first()
    assert employed is not None and agency is not None
    pages = {
        "Teams": reverse("establishment:teams"),
        "Roles": reverse("establishment:roles"),
        "Create a team": reverse("establishment:team_create"),
        "Create a role": reverse("establishment:role_create"),
        "Change hours": reverse("establishment:change_hours", args=[employed.pk]),
        "Make permanent": reverse("establishment:convert", args=[agency.pk]),
    }
    for heading, url in pages.items():
        page.goto(url)
        assert page.get_by_role("heading", level=1).inner_text().startswith(heading)
        check(page, url)

    page.goto(reverse("establishment:end_engagement", args=[employed.pk]))
    fill_date(page, "Last day", "2025-03-31")
    page.get_by_role("button", name="End engagement").click()
    # `expect` waits for the answer to the POST; a bare `is_visible()` would not.
    expect(page.get_by_text("Choose why the engagement ends.").first).to_be_visible()
    check(page, "the end form with a mistake")

    page.get_by_label("Why it ends").select_option("post_closed")
    page.get_by_role("button", name="End engagement").click()
    expect(page.get_by_role("heading", name="Engagement ended")).to_be_visible()
    check(page, "the confirmation page")
    page.get_by_role("link", name="Record a leaver").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a leaver")
