"""Progression, incentive and learning pages: who may open them, a team manager limited to their
team, reads of personal records noted, refusals shown against the field, and the downloads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from workforce.careers import services_incentives as services
from workforce.careers.models.incentives import Incentive
from workforce.careers.models.learning import LearningProgramme
from workforce.careers.tests.test_incentives import appoint
from workforce.conftest import Personas
from workforce.core.models import PersonalDataAccess, User
from workforce.core.tests.downloads import csv_rows, xlsx_rows
from workforce.establishment.models import Worker
from workforce.establishment.tests.factories import RoleFactory

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(personas: Personas, reference_data: None) -> tuple[Worker, Worker]:
    """Ashdown in the manager's team, Blythe in the other, each with a payment and training."""
    role = RoleFactory(authority=personas.own_team.authority, title="Social worker")
    own = appoint(personas.own_team, role, "W1", "Ashdown", dt.date(2023, 9, 1))
    other = appoint(personas.other_team, role, "W2", "Blythe", dt.date(2023, 9, 1))
    for person in (own, other):
        services.record_incentive(
            worker=person,
            kind="golden_hello",
            amount="2000",
            paid_on=dt.date.today() - dt.timedelta(days=10),
            clawback_months=24,
        )
        services.record_progression(
            worker=person, date=dt.date(2024, 9, 1), kind="band", from_grade="F", to_grade="G"
        )
    core = services.create_programme(authority=role.authority, title="Core", kind="core")
    day = services.add_session(programme=core, title="Day 1", date=dt.date(2024, 10, 1))
    for person in (own, other):
        services.record_attendance(session=day, worker=person)
    return own, other


def page(worker: Worker) -> str:
    return reverse("careers:worker_incentives", kwargs={"worker_id": worker.pk})


def test_a_team_manager_opens_their_teams_people_only(
    personas: Personas, people: tuple[Worker, Worker]
) -> None:
    own, other = people
    manager = client_for(personas.manager)
    assert manager.get(page(own)).status_code == 200
    assert manager.get(page(other)).status_code == 404
    other_payment = Incentive.objects.get(worker=other)
    assert (
        manager.get(
            reverse("careers:record_clawback", kwargs={"incentive_id": other_payment.pk})
        ).status_code
        == 403  # no team manager records payments or clawback
    )
    programme = LearningProgramme.objects.get()
    listings = [
        reverse("careers:progression"),
        reverse("careers:clawback"),
        reverse("careers:learning_programme", kwargs={"learning_programme_id": programme.pk}),
    ]
    for listing in listings:
        body = manager.get(listing).content.decode()
        assert "Ashdown" in body and "Blythe" not in body
    everyone = client_for(personas.hr).get(listings[-1]).content.decode()
    assert "Ashdown" in everyone and "Blythe" in everyone


def test_board_members_see_figures_but_no_people(
    personas: Personas, people: tuple[Worker, Worker]
) -> None:
    own, _ = people
    board = client_for(personas.board)
    for name in ("careers:incentive_costs", "careers:completion", "careers:learning"):
        response = board.get(reverse(name))
        assert response.status_code == 200
        assert "Ashdown" not in response.content.decode()
    assert board.get(page(own)).status_code == 403
    assert board.get(reverse("careers:progression")).status_code == 403
    assert board.get(reverse("careers:clawback")).status_code == 403


def test_opening_a_persons_page_is_noted(personas: Personas, people: tuple[Worker, Worker]) -> None:
    own, _ = people
    client_for(personas.hr).get(page(own))
    read = PersonalDataAccess.objects.get()
    assert (read.user, read.record_id, read.action) == (personas.hr, own.pk, "viewed")


def test_a_negative_payment_is_shown_against_the_amount(
    personas: Personas, people: tuple[Worker, Worker]
) -> None:
    own, _ = people
    url = reverse("careers:record_incentive", kwargs={"worker_id": own.pk})
    response = client_for(personas.hr).post(
        url,
        {
            "kind": "retention",
            "amount": "-100",
            "paid_on": "2025-01-10",
            "clawback_months": "12",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"amount": ["Amount must not be negative."]}
    assert Incentive.objects.filter(worker=own).count() == 1


def test_a_payment_is_recorded_through_the_form(
    personas: Personas, people: tuple[Worker, Worker]
) -> None:
    own, _ = people
    url = reverse("careers:record_incentive", kwargs={"worker_id": own.pk})
    response = client_for(personas.hr).post(
        url,
        {
            "kind": "market_supplement",
            "amount": "1200.50",
            "paid_on": "2025-01-10",
            "clawback_months": "0",
            "conditions": "Paid while in a hard-to-fill team.",
        },
    )
    assert response.status_code == 302
    payment = Incentive.objects.get(worker=own, kind="market_supplement")
    assert payment.amount == Decimal("1200.50")


def test_a_clawback_on_someone_still_employed_is_refused_on_the_page(
    personas: Personas, people: tuple[Worker, Worker]
) -> None:
    own, _ = people
    payment = Incentive.objects.get(worker=own)
    url = reverse("careers:record_clawback", kwargs={"incentive_id": payment.pk})
    response = client_for(personas.hr).post(url, {"recorded_on": dt.date.today().isoformat()})
    assert response.status_code == 200
    assert "has not left: a clawback is recorded only on a leaver" in response.content.decode()
    assert not payment.clawbacks.exists()


def test_the_cost_table_downloads(personas: Personas, people: tuple[Worker, Worker]) -> None:
    client = client_for(personas.analyst)
    rows = csv_rows(client.get(reverse("careers:incentive_costs"), {"format": "csv"}))
    assert rows[0][:2] == ["Financial year", "Golden hello (£)"]
    assert rows[-1][0] == "All years" and rows[-1][1] == "4000.00"
    sheet = xlsx_rows(client.get(reverse("careers:incentive_costs"), {"format": "xlsx"}))
    assert sheet[-1][1] == 4000


def test_the_completion_table_downloads_and_the_list_of_people_is_noted(
    personas: Personas, people: tuple[Worker, Worker]
) -> None:
    rows = csv_rows(
        client_for(personas.board).get(reverse("careers:completion"), {"format": "csv"})
    )
    assert rows[1][:4] == ["Social worker", "Assessment North", "1", "0"]
    assert rows[-1][:4] == ["All", "", "2", "0"]
    client_for(personas.lead).get(reverse("careers:clawback"), {"format": "csv"})
    assert PersonalDataAccess.objects.get().action == "downloaded"


def test_completion_narrows_to_one_programme(
    personas: Personas, people: tuple[Worker, Worker]
) -> None:
    own, _ = people
    ilm = services.create_programme(authority=own.authority, title="ILM level 5", kind="leadership")
    module = services.add_session(programme=ilm, title="Module 1", date=dt.date(2024, 10, 1))
    services.record_attendance(session=module, worker=own)
    services.record_completion(programme=ilm, worker=own, completed_on=dt.date(2024, 11, 1))
    client = client_for(personas.analyst)
    everything = csv_rows(client.get(reverse("careers:completion"), {"format": "csv"}))
    assert everything[-1][:4] == ["All", "", "3", "1"]
    one = csv_rows(
        client.get(reverse("careers:completion"), {"format": "csv", "programme": str(ilm.pk)})
    )
    assert one[1:] == [
        ["Social worker", "Assessment North", "1", "1", "100.0"],
        ["All", "", "1", "1", "100.0"],
    ]
