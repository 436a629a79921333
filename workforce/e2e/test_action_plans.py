"""The action-plan pages in a real browser: every page passes axe-core, an owner records progress
with a file of evidence (a mistake first, shown on the form), and a board member reads the plan
without the edit links."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from workforce.actionplans import services
from workforce.actionplans.models import Action, Direction, SourceKind, Status
from workforce.e2e.conftest import Seeded, axe_violations, describe, fill_date, sign_in

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("ACTION_PLAN_SCREENSHOTS")  # a folder to save screenshots of pages in
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def check(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations, where)
    expect(page.locator("style, [style]")).to_have_count(0)  # nothing a strict CSP would refuse
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/ap-{where.replace(' ', '-')}.png", full_page=True)


def build_plan(seeded: Seeded) -> Action:
    personas = seeded.personas
    today = timezone.localdate()
    source = services.create_source(
        authority=personas.own_team.authority,
        kind=SourceKind.SCRUTINY,
        title="Recruitment, retention and workload of children's social workers",
        body="Scrutiny Board (Children's Services)",
        issued_on=today - dt.timedelta(days=200),
        link="https://example.org/inquiry.pdf",
        summary="Too many agency social workers; caseloads above the national average.",
    )
    seven = services.add_recommendation(
        source=source,
        number="7",
        text="That the Director reduces reliance on agency social workers.",
    )
    convert = services.add_action(
        recommendation=seven,
        text="Convert agency-covered posts to permanent posts through rolling recruitment.",
        responsibility="Head of Human Resources",
        owner=personas.hr,
        start=today - dt.timedelta(days=150),
        due=today - dt.timedelta(days=20),
        timescale="Before April",
    )
    services.record_update(
        action=convert,
        author=personas.hr,
        on=today - dt.timedelta(days=60),
        text="Twelve posts advertised; eight interviews booked.",
        status=Status.AT_RISK,
        uploads=[services.Upload("advert.pdf", PDF)],
        links=[services.Link("Board minutes", "https://example.org/minutes")],
    )
    services.link_measure(
        action=convert, measure="agency_rate_fte", direction=Direction.AT_MOST, value=Decimal(20)
    )
    services.add_action(
        recommendation=seven,
        text="Offer a retention payment after two years' service.",
        responsibility="Director of Children's Services",
        start=today - dt.timedelta(days=100),
        due=today + dt.timedelta(days=200),
    )
    services.add_recommendation(
        source=source, number="8.10", text="That the Council adopts the employer standards."
    )
    convert.refresh_from_db()
    return convert


def test_the_action_plan_pages_pass_axe_and_an_owner_records_progress(
    page: Any, seeded: Seeded, tmp_path: Path
) -> None:
    action = build_plan(seeded)
    source_id = action.recommendation.source_id
    personas = seeded.personas
    sign_in(page, personas.lead.username, personas.password)

    pages = {
        "Action plans": reverse("actionplans:plans"),
        "Add a plan": reverse("actionplans:source_new"),
        "Recruitment, retention": reverse("actionplans:plan", args=[source_id]),
        "Action 7.1": reverse("actionplans:action", args=[action.pk]),
        "Link a measure": reverse("actionplans:measure_new", args=[action.pk]),
        "Add an action": reverse("actionplans:action_new", args=[action.recommendation_id]),
        "Add the report": reverse("actionplans:document_new", args=[source_id]),
        "Delete this action?": reverse("actionplans:action_delete", args=[action.pk]),
        "Actions needing attention": reverse("actionplans:attention"),
        "My actions": reverse("actionplans:my_actions"),
    }
    for heading, url in pages.items():
        page.goto(url)
        assert page.get_by_role("heading", level=1).inner_text().startswith(heading), url
        check(page, heading.lower().rstrip("?"))

    # The owner records progress: a mistake first, then with a file.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, personas.hr.username, personas.password)
    page.goto(reverse("actionplans:action", args=[action.pk]))
    page.get_by_role("link", name="Record progress").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record progress")
    check(page, "record progress")
    page.get_by_label("Complete", exact=True).check()
    page.get_by_role("button", name="Record progress").click()
    expect(page.get_by_text("Enter what was done to complete the action.").first).to_be_visible()
    check(page, "record progress with a mistake")

    evidence = tmp_path / "offers.pdf"
    evidence.write_bytes(PDF)
    today = timezone.localdate().isoformat()
    fill_date(page, "Date of the update", today)
    page.get_by_label("On track", exact=True).check()
    page.get_by_label("Progress", exact=True).fill("Six offers made and accepted.")
    page.locator("input[type=file][name=files]").set_input_files(str(evidence))
    page.get_by_role("button", name="Record progress").click()
    expect(page.get_by_text("Progress recorded: on track.")).to_be_visible()
    expect(page.get_by_role("link", name="offers.pdf")).to_be_visible()
    check(page, "action after progress")

    # A board member reads the plan and the action, with no edit links.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, personas.board.username, personas.password)
    page.goto(reverse("actionplans:plan", args=[source_id]))
    expect(page.get_by_text("Twelve posts advertised; eight interviews booked.")).to_have_count(0)
    expect(page.get_by_text("Six offers made and accepted.")).to_be_visible()
    expect(page.get_by_role("link", name="Add a recommendation")).to_have_count(0)
    check(page, "plan as a board member")
    page.get_by_role("link", name="Action 7.1").click()
    expect(page.get_by_role("link", name="Record progress")).to_have_count(0)
    check(page, "action as a board member")
