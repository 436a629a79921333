"""Caseload pages per persona: who sees what, allocating, supervision, downloads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from workforce.caseloads.models import Allocation, AllocationReason, Supervision
from workforce.caseloads.tests.factories import (
    allocate,
    case_in,
    social_worker_role,
    worker_in_post,
)

TODAY = dt.date.today()


@pytest.fixture
def world(personas):
    role = social_worker_role(
        personas.own_team.authority, title="Social worker", capacity_points=16
    )
    busy = worker_in_post(personas.own_team, role, first_name="Bea", last_name="Busy")
    free = worker_in_post(personas.own_team, role, first_name="Fay", last_name="Free")
    other = worker_in_post(personas.other_team, role, first_name="Otis", last_name="Other")
    held = [case_in(personas.own_team, ref=f"OWN-{n}00") for n in range(3)]
    for case in held:
        allocate(case, busy, dt.date(2024, 1, 1))  # 3 × 4 points = 12 of 16
    waiting = case_in(personas.own_team, ref="WAIT-100", opened=dt.date(2024, 6, 1))
    elsewhere = case_in(personas.other_team, ref="ELSE-100", opened=dt.date(2024, 6, 1))
    allocate(case_in(personas.other_team, ref="OTH-100"), other, dt.date(2024, 1, 1))
    return {
        "busy": busy,
        "free": free,
        "other": other,
        "waiting": waiting,
        "elsewhere": elsewhere,
    }


def get(client, user, name, **kwargs):
    client.force_login(user)
    return client.get(reverse(name, kwargs=kwargs or None))


@pytest.mark.parametrize("persona", ["admin", "lead", "hr", "manager", "board", "analyst"])
def test_overview_heat_map_and_demand_open_for_every_role(client, personas, world, persona):
    user = getattr(personas, persona)
    for name in ("caseloads:overview", "caseloads:heat_map", "caseloads:demand"):
        response = get(client, user, name)
        assert response.status_code == 200, name


def test_board_member_sees_no_names_or_child_references(client, personas, world):
    for name in ("caseloads:overview", "caseloads:heat_map", "caseloads:demand"):
        html = get(client, personas.board, name).content.decode()
        assert "Busy" not in html and "Otis" not in html
        assert "OWN-" not in html and "WAIT-" not in html


def test_board_member_cannot_open_people_pages(client, personas, world):
    assert get(client, personas.board, "caseloads:unallocated").status_code == 403
    response = get(client, personas.board, "caseloads:team", team_id=personas.own_team.pk)
    assert response.status_code == 403
    assert get(client, personas.board, "caseloads:supervision").status_code == 403


def test_overview_shows_the_dfe_average_caseload(client, personas, world):
    html = get(client, personas.lead, "caseloads:overview").content.decode()
    # 4 cases held by 2 case holders of 1.0 FTE each.
    assert "2.0" in html
    assert "average caseload" in html


def test_team_manager_sees_own_team_workload_only(client, personas, world):
    response = get(client, personas.manager, "caseloads:team", team_id=personas.own_team.pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bea Busy" in html and "Fay Free" in html
    assert "Otis" not in html
    other = get(client, personas.manager, "caseloads:team", team_id=personas.other_team.pk)
    assert other.status_code == 404


def test_outsider_cannot_reach_another_authoritys_team(client, personas, world):
    response = get(client, personas.outsider, "caseloads:team", team_id=personas.own_team.pk)
    assert response.status_code == 404


def test_team_workload_flags_over_capacity(client, personas, world):
    for ref in ("MORE-100", "MORE-200"):  # 5 cases × 4 points = 20 of 16
        allocate(case_in(personas.own_team, ref=ref), world["busy"], dt.date(2024, 1, 1))
    html = get(
        client, personas.manager, "caseloads:team", team_id=personas.own_team.pk
    ).content.decode()
    assert "Over capacity" in html


def test_unallocated_list_is_limited_to_the_managers_teams(client, personas, world):
    html = get(client, personas.manager, "caseloads:unallocated").content.decode()
    assert "WAIT-100" in html
    assert "ELSE-100" not in html
    assert "Escalate" in html


def test_unallocated_list_downloads_as_csv(client, personas, world):
    client.force_login(personas.lead)
    response = client.get(reverse("caseloads:unallocated") + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "WAIT-100" in body and "ELSE-100" in body


def test_heat_map_and_overview_download_as_xlsx(client, personas, world):
    client.force_login(personas.board)
    for name in ("caseloads:heat_map", "caseloads:overview", "caseloads:demand"):
        response = client.get(reverse(name) + "?format=xlsx")
        assert response.status_code == 200
        assert "spreadsheetml" in response["Content-Type"]


def test_allocate_page_lists_who_can_take_the_case_by_headroom(client, personas, world):
    html = get(
        client, personas.manager, "caseloads:allocate", case_id=world["waiting"].pk
    ).content.decode()
    assert "Who can take this case" in html
    assert html.index("Fay Free") < html.index("Bea Busy")  # 16 headroom before 4


def test_manager_allocates_an_unallocated_case(client, personas, world):
    client.force_login(personas.manager)
    url = reverse("caseloads:allocate", kwargs={"case_id": world["waiting"].pk})
    response = client.post(
        url,
        {"worker": world["free"].pk, "start": TODAY.isoformat(), "reason": "initial"},
    )
    assert response.status_code == 302
    allocation = Allocation.objects.get(case=world["waiting"])
    assert allocation.worker == world["free"]
    assert allocation.reason == AllocationReason.INITIAL


def test_allocating_over_capacity_without_a_reason_is_refused_on_the_form(client, personas, world):
    client.force_login(personas.manager)
    allocate(case_in(personas.own_team, ref="MORE-100"), world["busy"], dt.date(2024, 1, 1))
    url = reverse("caseloads:allocate", kwargs={"case_id": world["waiting"].pk})
    data = {"worker": world["busy"].pk, "start": TODAY.isoformat(), "reason": "initial"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Give the reason to allocate beyond capacity" in response.content.decode()
    assert not Allocation.objects.filter(case=world["waiting"]).exists()
    response = client.post(url, {**data, "over_capacity_reason": "Sibling of a held case"})
    assert response.status_code == 302
    assert Allocation.objects.get(case=world["waiting"]).over_capacity_reason


def test_allocate_form_answers_bad_dates_without_an_error_page(client, personas, world):
    client.force_login(personas.manager)
    url = reverse("caseloads:allocate", kwargs={"case_id": world["waiting"].pk})
    response = client.post(url, {"worker": world["free"].pk, "start": "31/02", "reason": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html


def test_manager_cannot_allocate_a_case_of_another_team(client, personas, world):
    response = get(client, personas.manager, "caseloads:allocate", case_id=world["elsewhere"].pk)
    assert response.status_code == 404


def test_hr_officer_cannot_allocate(client, personas, world):
    response = get(client, personas.hr, "caseloads:allocate", case_id=world["waiting"].pk)
    assert response.status_code == 403


def test_worker_page_lists_cases_for_the_manager(client, personas, world):
    html = get(
        client, personas.manager, "caseloads:worker", worker_id=world["busy"].pk
    ).content.decode()
    assert "OWN-000" in html
    other = get(client, personas.manager, "caseloads:worker", worker_id=world["other"].pk)
    assert other.status_code == 404


def test_supervision_overdue_list_and_recording(client, personas, world):
    html = get(client, personas.manager, "caseloads:supervision").content.decode()
    assert "Bea Busy" in html
    assert "Otis" not in html
    url = reverse("caseloads:record_supervision", kwargs={"worker_id": world["busy"].pk})
    response = client.post(url, {"date": TODAY.isoformat()})
    assert response.status_code == 302
    assert Supervision.objects.filter(worker=world["busy"], date=TODAY).exists()
    html = get(client, personas.manager, "caseloads:supervision").content.decode()
    assert reverse("caseloads:worker", kwargs={"worker_id": world["busy"].pk}) not in html


def test_recording_supervision_in_the_future_is_refused(client, personas, world):
    client.force_login(personas.manager)
    url = reverse("caseloads:record_supervision", kwargs={"worker_id": world["busy"].pk})
    future = TODAY + dt.timedelta(days=3)
    response = client.post(url, {"date": future.isoformat()})
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()


def test_end_allocation_form(client, personas, world):
    allocation = Allocation.objects.filter(worker=world["busy"]).first()
    client.force_login(personas.manager)
    url = reverse("caseloads:end_allocation", kwargs={"allocation_id": allocation.pk})
    response = client.post(url, {"end": "2023-01-01"})
    assert response.status_code == 200
    assert "end it later" in response.content.decode()
    response = client.post(url, {"end": TODAY.isoformat()})
    assert response.status_code == 302
    allocation.refresh_from_db()
    assert allocation.end == TODAY


def test_demand_page_rejects_a_backwards_period(client, personas, world):
    client.force_login(personas.board)
    response = client.get(reverse("caseloads:demand") + "?start=2025-06-01&end=2025-01-01")
    assert response.status_code == 200
    assert "must be on or after" in response.content.decode()


def test_manager_transfers_a_case_to_another_team(client, personas, world):
    from workforce.caseloads.models import Case

    case = Case.objects.get(child_ref="OWN-000")
    client.force_login(personas.manager)
    url = reverse("caseloads:transfer", kwargs={"case_id": case.pk})
    response = client.post(url, {"to_team": personas.other_team.pk, "on": "2019-06-01"})
    assert response.status_code == 200
    assert "opened on" in response.content.decode()
    response = client.post(url, {"to_team": personas.other_team.pk, "on": TODAY.isoformat()})
    assert response.status_code == 302
    assert case.teams.get(end__isnull=True).team == personas.other_team
    assert case.allocations.get().end == TODAY
    # Now with the other team, it is out of the manager's reach.
    assert client.get(url).status_code == 404
