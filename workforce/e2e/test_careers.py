"""Careers and retention in a real browser: the principal social worker (with the team manager's
role here, reaching the early-career workers of their team) opens the overview, a cohort's
progress and who is above their protected caseload; the workforce lead opens why people leave
and retention, with their charts drawn, and downloads a table; a board member reads the same
pages. Every page passes axe-core and carries nothing a strict CSP would refuse."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from workforce.careers import services_exits as exits
from workforce.careers import services_programmes as programmes
from workforce.careers.models import Programme
from workforce.careers.models.exits import ExitOutcome, ExitTheme
from workforce.caseloads.models import Category
from workforce.caseloads.tests.factories import allocate, case_in, worker_in_post
from workforce.e2e.conftest import Seeded, axe_violations, describe, sign_in
from workforce.establishment import services as establishment
from workforce.establishment.models import Role

pytestmark = pytest.mark.browser

BUSY = ("Nia", "Adeyemi")  # 68 points of work against 64 protected
LIGHT = ("Owen", "Tremayne")


def check(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations, where)
    # Nothing a strict CSP would refuse in the page as served (the chart library styles its
    # drawing through the DOM, which such a policy allows).
    served = page.request.get(page.url).text()
    assert not re.search(r"<style|\sstyle=", served), f"{where}: inline style"


def areas(page: Any) -> Any:
    return page.get_by_role("navigation", name="Careers and retention")


def asye(seeded: Seeded) -> Programme:
    programme = programmes.create_programme(
        authority=seeded.personas.own_team.authority, name="ASYE", length_months=12
    )
    programmes.add_stage(
        programme=programme, name="Induction", from_month=0, to_month=6, protected_percent=80
    )
    programmes.add_stage(
        programme=programme, name="Consolidation", from_month=6, to_month=12, protected_percent=90
    )
    programmes.add_review_point(programme=programme, name="3-month review", month=3)
    programmes.add_review_point(programme=programme, name="Final review", month=12, final=True)
    return programme


@pytest.fixture
def cohort(seeded: Seeded) -> int:
    """A cohort of two in the manager's team, started two months ago: one at 0.8 FTE holding
    17 child in need cases (68 points, above the 80% of 80 points their first stage protects),
    one with 10 cases (40 points of 80)."""
    team = seeded.personas.own_team
    today = timezone.localdate()
    start = today - dt.timedelta(days=60)
    role = Role.objects.create(
        authority=team.authority,
        title="Newly qualified social worker",
        org_role="5",
        case_holding=True,
        capacity_points=100,
        order=6,
    )
    cohort = programmes.create_cohort(programme=asye(seeded), name="Spring intake", start=start)
    for (first, last), fte, cases in ((BUSY, "0.80", 17), (LIGHT, "1.00", 10)):
        worker = worker_in_post(team, role, fte=fte, start=start, first_name=first, last_name=last)
        programmes.add_member(cohort=cohort, worker=worker)
        for _ in range(cases):
            allocate(case_in(team, category=Category.CHILD_IN_NEED), worker, start)
    return cohort.pk


@pytest.fixture
def leavers(seeded: Seeded) -> None:
    """Six leavers in the last year, each interviewed: caseload given by four, pay by four."""
    team = seeded.personas.own_team
    authority = team.authority
    themes = {t.label: t for t in ExitTheme.objects.filter(authority=authority)}
    today = timezone.localdate()
    role = Role.objects.get(authority=authority, title="Social worker")
    given = (
        ("Caseload", "Pay"),
        ("Caseload",),
        ("Caseload", "Pay"),
        ("Pay",),
        ("Caseload",),
        ("Pay",),
    )
    for i, labels in enumerate(given):
        post = establishment.create_post(
            authority=authority,
            team=team,
            role=role,
            reference=f"L-{i:02d}",
            fte=Decimal("1.00"),
            start=dt.date(2022, 1, 1),
        )
        worker = establishment.create_worker(
            authority=authority, staff_number=f"L{i:03d}", first_name="Leaver", last_name=f"L{i}"
        )
        establishment.appoint_worker(
            worker=worker, post=post, start=dt.date(2022, 1, 1), fte=Decimal("1.00")
        )
        last_day = today - dt.timedelta(days=40 + 30 * i)
        establishment.record_leaver(worker=worker, last_day=last_day, reason="1")
        exits.record_exit_interview(
            worker=worker,
            held_on=last_day + dt.timedelta(days=3),
            outcome=ExitOutcome.LEFT,
            themes=[themes[label] for label in labels],
            today=today,
        )


def test_the_principal_social_worker_follows_the_early_careers(
    page: Any, seeded: Seeded, cohort: int
) -> None:
    personas = seeded.personas
    sign_in(page, personas.manager.username, personas.password)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Careers and retention"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Careers and retention")
    expect(areas(page).get_by_role("link", name="Overview")).to_have_attribute(
        "aria-current", "page"
    )
    figure = page.locator(".app-figure", has_text="Above their protected caseload")
    expect(figure.locator(".app-figure__value")).to_have_text("1")
    figure = page.locator(".app-figure", has_text="Still in their early-career programme")
    expect(figure.locator(".app-figure__value")).to_have_text("2")
    check(page, "the careers overview")

    figure.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cohorts")
    expect(areas(page).get_by_role("link", name="Early careers")).to_have_attribute(
        "aria-current", "true"
    )
    page.get_by_role("link", name="Spring intake").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring intake")
    expect(page.get_by_text(" ".join(BUSY)).first).to_be_visible()
    expect(page.get_by_text(" ".join(LIGHT)).first).to_be_visible()
    check(page, "a cohort's progress")

    areas(page).get_by_role("link", name="Early careers").click()
    page.get_by_role("navigation", name="Early careers").get_by_role(
        "link", name="Above their protected caseload"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Early-career workers above their protected caseload"
    )
    expect(page.get_by_text(" ".join(BUSY)).first).to_be_visible()
    expect(page.get_by_text(" ".join(LIGHT))).to_have_count(0)
    check(page, "the protected caseloads")


def test_the_workforce_lead_reads_why_people_leave_and_retention(
    page: Any, seeded: Seeded, leavers: None
) -> None:
    personas = seeded.personas
    sign_in(page, personas.lead.username, personas.password)
    page.goto("/careers/")
    check(page, "the careers overview, as the lead")

    areas(page).get_by_role("link", name="Why people leave").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Why people leave")
    expect(page.locator("#exit-themes-chart svg")).to_be_attached()
    check(page, "why people leave")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV (the themes in the year)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "Caseload" in text and "Pay" in text

    areas(page).get_by_role("link", name="Retention").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Retention at")
    expect(page.locator(".app-chart svg").first).to_be_attached()
    check(page, "retention")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_a_board_member_reads_the_figures_without_names(
    page: Any, seeded: Seeded, cohort: int, leavers: None
) -> None:
    personas = seeded.personas
    sign_in(page, personas.board.username, personas.password)
    page.goto("/careers/")
    expect(page.locator(".app-figure", has_text="Above their protected caseload")).to_have_count(0)
    expect(areas(page).get_by_role("link", name="Progression")).to_have_count(0)
    check(page, "the careers overview, as a board member")

    areas(page).get_by_role("link", name="Why people leave").click()
    expect(page.locator("#exit-themes-chart svg")).to_be_attached()
    check(page, "why people leave, as a board member")

    areas(page).get_by_role("link", name="Retention").click()
    expect(page.locator(".app-chart svg").first).to_be_attached()
    check(page, "retention, as a board member")
    assert " ".join(BUSY) not in page.content()
