"""The careers overview and the areas at the top of every careers page: which areas each role
sees and which is current, and the overview's figures counted by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from workforce.careers import selectors_overview
from workforce.careers import services_programmes as programmes
from workforce.careers.areas import areas_for
from workforce.caseloads.models import Category
from workforce.caseloads.tests.factories import allocate, case_in, worker_in_post
from workforce.conftest import Personas
from workforce.core.access import scope_for
from workforce.core.tables import SUPPRESSED
from workforce.establishment import services as establishment
from workforce.establishment.tests.factories import RoleFactory

TODAY = dt.date.today()


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def labels(links: list) -> list[str]:
    return [link.area.label for link in links]


def current(links: list) -> dict[str, str]:
    return {link.area.label: link.current for link in links if link.current}


def test_each_role_sees_the_areas_it_may_open(personas: Personas) -> None:
    everything = [
        "Overview",
        "Early careers",
        "Why people leave",
        "Retention",
        "Progression",
        "Incentives",
        "Learning",
    ]
    for user in (personas.lead, personas.hr, personas.manager, personas.admin):
        assert labels(areas_for(scope_for(user), "/careers/")) == everything
    without_people = [a for a in everything if a != "Progression"]
    for user in (personas.board, personas.analyst):
        assert labels(areas_for(scope_for(user), "/careers/")) == without_people


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/careers/", {"Overview": "page"}),
        ("/careers/programmes/", {"Early careers": "page"}),
        ("/careers/cohorts/12/", {"Early careers": "true"}),
        ("/careers/protected-caseloads/", {"Early careers": "true"}),
        ("/careers/exits/interviews/3/", {"Why people leave": "true"}),
        ("/careers/retention/", {"Retention": "page"}),
        ("/careers/people/7/progression/record/", {"Progression": "true"}),
        ("/careers/people/7/incentives/", {"Incentives": "true"}),
        ("/careers/incentives/clawback/", {"Incentives": "true"}),
        ("/careers/learning/completion/", {"Learning": "true"}),
        ("/metrics/", {}),
    ],
)
def test_the_area_holding_the_page_is_current(
    personas: Personas, path: str, expected: dict[str, str]
) -> None:
    assert current(areas_for(scope_for(personas.lead), path)) == expected


@pytest.fixture
def early_careers(personas: Personas) -> None:
    """In the manager's team, two members of a 12-month programme that started 60 days ago and
    protects 80% of capacity: one at 0.8 FTE with 17 child in need cases (68 points against
    0.8 × 100 × 80% = 64), one full time with 10 (40 of 80). A third member passed already."""
    team = personas.own_team
    start = TODAY - dt.timedelta(days=60)
    programme = programmes.create_programme(authority=team.authority, name="ASYE", length_months=12)
    programmes.add_stage(
        programme=programme, name="Induction", from_month=0, to_month=12, protected_percent=80
    )
    programmes.add_review_point(programme=programme, name="Final review", month=12, final=True)
    cohort = programmes.create_cohort(programme=programme, name="Spring", start=start)
    role = RoleFactory(authority=team.authority, capacity_points=100)
    for fte, cases in (("0.80", 17), ("1.00", 10)):
        worker = worker_in_post(team, role, fte=fte, start=start)
        programmes.add_member(cohort=cohort, worker=worker)
        for _ in range(cases):
            allocate(case_in(team, category=Category.CHILD_IN_NEED), worker, start)
    passed = worker_in_post(team, role, start=start)
    member = programmes.add_member(cohort=cohort, worker=passed)
    member.status = "passed"
    member.save()


def shown(overview: selectors_overview.Overview) -> dict[str, str]:
    return {f.key: f.shown for f in overview.figures}


def test_the_overview_counts_as_the_pages_do(personas: Personas, early_careers: None) -> None:
    figures = shown(selectors_overview.overview(scope_for(personas.lead)))
    assert figures["members"] == "2"  # the passed member is no longer in the programme
    assert figures["protected"] == "1"
    assert figures["clawback"] == "0"
    # Three people in post in census-counted roles, none with a year's service: 0%.
    assert figures["stability_index"] == "0.0%"
    assert figures["early_leavers_headcount"] == "0"


def test_a_board_member_sees_no_people_counts_and_small_numbers_withheld(
    personas: Personas, early_careers: None, reference_data: None
) -> None:
    team = personas.own_team
    role = RoleFactory(authority=team.authority)
    leaver = worker_in_post(team, role, start=TODAY - dt.timedelta(days=100))
    establishment.record_leaver(worker=leaver, last_day=TODAY - dt.timedelta(days=10), reason="1")
    lead = shown(selectors_overview.overview(scope_for(personas.lead)))
    board = selectors_overview.overview(scope_for(personas.board))
    assert lead["early_leavers_headcount"] == "1"
    assert set(shown(board)) == {"stability_index", "early_leavers_headcount"}
    assert shown(board)["early_leavers_headcount"] == SUPPRESSED
    # Three people in post, none stable: withheld with them.
    assert shown(board)["stability_index"] == SUPPRESSED
    assert board.withheld


def test_the_overview_page_links_each_figure_to_its_page(
    personas: Personas, early_careers: None
) -> None:
    page = client_for(personas.manager).get(reverse("careers:overview"))
    text = page.content.decode()
    assert page.status_code == 200
    for name in ("cohorts", "protected_caseloads", "clawback", "retention"):
        assert f'href="{reverse("careers:" + name)}"' in text
    assert 'aria-current="page"' in text and "style=" not in text
    board = client_for(personas.board).get(reverse("careers:overview")).content.decode()
    assert reverse("careers:protected_caseloads") not in board
    assert reverse("careers:progression") not in board
