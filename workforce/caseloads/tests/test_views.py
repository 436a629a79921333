"""Caseload pages per persona: who sees what, allocating, supervision, downloads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from workforce.caseloads.measures import year_before
from workforce.caseloads.models import (
    Allocation,
    AllocationReason,
    Case,
    Category,
    Referral,
    ReferralOutcome,
    Supervision,
)
from workforce.caseloads.tests.factories import (
    allocate,
    case_in,
    referral,
    social_worker_role,
    worker_in_post,
)
from workforce.core.templatetags.govuk import govuk_date
from workforce.core.tests.downloads import csv_rows, xlsx_rows
from workforce.establishment.tests.factories import TeamFactory

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


# Referrals ------------------------------------------------------------------------------------


@pytest.fixture
def front_doors(personas):
    """The manager's front door team, and another one they do not manage."""
    authority = personas.own_team.authority
    mine = TeamFactory(authority=authority, name="Front Door North", service_area="front_door")
    mine.managers.add(personas.manager)
    theirs = TeamFactory(authority=authority, name="Front Door South", service_area="front_door")
    return {"mine": mine, "theirs": theirs}


def test_manager_records_a_referral_for_a_known_child(client, personas, world, front_doors):
    client.force_login(personas.manager)
    url = reverse("caseloads:record_referral")
    html = client.get(url).content.decode()
    assert "Front Door North" in html and "Front Door South" not in html
    day = TODAY - dt.timedelta(days=2)
    response = client.post(
        url, {"received": day.isoformat(), "team": front_doors["mine"].pk, "child_ref": "wait-100"}
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.received, referral.team, referral.case) == (
        day,
        front_doors["mine"],
        world["waiting"],
    )
    assert referral.outcome == ""


def test_a_referral_without_a_child_reference_is_recorded(client, personas, world, front_doors):
    client.force_login(personas.lead)
    response = client.post(
        reverse("caseloads:record_referral"),
        {"received": TODAY.isoformat(), "team": front_doors["theirs"].pk, "child_ref": ""},
    )
    assert response.status_code == 302
    assert Referral.objects.get().case is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"team": "theirs"}, "team", "Choose the team receiving the referral from the list."),
        ({"received": "2025-02-30"}, "received", "must be a real date"),
        ({"received": "future"}, "received", "cannot be in the future"),
        ({"child_ref": "Jo Bloggs"}, "child_ref", "never a name"),
        ({"child_ref": "NOPE-999"}, "child_ref", "no case with reference NOPE-999"),
    ],
)
def test_referral_form_refuses_bad_input_naming_the_field(
    client, personas, world, front_doors, change, field, message
):
    data = {"received": TODAY.isoformat(), "team": front_doors["mine"].pk, "child_ref": ""}
    data.update(change)
    if data["team"] == "theirs":
        data["team"] = front_doors["theirs"].pk
    if data["received"] == "future":
        data["received"] = (TODAY + dt.timedelta(days=1)).isoformat()
    client.force_login(personas.manager)
    response = client.post(reverse("caseloads:record_referral"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Referral.objects.exists()


def test_managers_without_a_front_door_team_are_told_why_they_cannot_record(
    client, personas, world
):
    client.force_login(personas.manager)
    html = client.get(reverse("caseloads:record_referral")).content.decode()
    assert "None of your teams is a front door or assessment team" in html


@pytest.mark.parametrize("persona", ["hr", "board", "analyst"])
def test_only_case_managers_record_referrals_and_outcomes(
    client, personas, world, front_doors, persona
):
    received = referral(front_doors["mine"], TODAY)
    user = getattr(personas, persona)
    assert get(client, user, "caseloads:record_referral").status_code == 403
    response = get(client, user, "caseloads:referral_outcome", referral_id=received.pk)
    assert response.status_code == 403


def test_manager_records_an_assessment_outcome(client, personas, world, front_doors):
    received = referral(front_doors["mine"], dt.date(2025, 3, 3))
    client.force_login(personas.manager)
    url = reverse("caseloads:referral_outcome", kwargs={"referral_id": received.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "outcome": ReferralOutcome.ASSESSMENT,
            "initial_assessment_start": "2025-03-04",
            "initial_assessment_completed": "2025-03-10",
        },
    )
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.outcome == ReferralOutcome.ASSESSMENT
    assert received.initial_assessment_start == dt.date(2025, 3, 4)
    assert received.initial_assessment_completed == dt.date(2025, 3, 10)
    assert received.core_assessment_start is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"outcome": "assessment", "initial_assessment_start": "2025-03-01"},
            "initial_assessment_start",
            "before the date received",
        ),
        (
            {
                "outcome": "assessment",
                "core_assessment_start": "2025-03-10",
                "core_assessment_completed": "2025-03-09",
            },
            "core_assessment_completed",
            "before the date the core assessment started",
        ),
        ({"outcome": "maybe"}, "outcome", "Choose the outcome from the list."),
        ({"outcome": ""}, "outcome", "Choose the outcome of the referral."),
        ({"outcome": "plan"}, "plan_date", "Enter the date of the plan."),
        ({"outcome": "assessment"}, "initial_assessment_start", "Enter the date the assessment"),
        (
            {"outcome": "nfa", "initial_assessment_start": "2025-03-04"},
            "initial_assessment_start",
            "ended with no further action had no assessment or plan",
        ),
        (
            {"outcome": "early_help", "plan_date": "2025-03-04"},
            "plan_date",
            "ended with referred to early help had no assessment or plan",
        ),
        (
            {"outcome": "advice", "outcome_date": "2025-03-02"},
            "outcome_date",
            "before the date the referral was received (3 March 2025)",
        ),
        ({"outcome": "not_in_need"}, "initial_assessment_start", "Enter the date the assessment"),
        (
            {"outcome": "nfa", "plan_date": "2025-03-04"},
            "plan_date",
            "ended with no further action had no assessment or plan",
        ),
        (
            {
                "outcome": "assessment",
                "initial_assessment_start": "2025-03-05",
                "core_assessment_start": "2025-03-04",
            },
            "core_assessment_start",
            "before the date the initial assessment started (5 March 2025)",
        ),
    ],
)
def test_referral_outcome_form_refuses_bad_input_naming_the_field(
    client, personas, world, front_doors, data, field, message
):
    received = referral(front_doors["mine"], dt.date(2025, 3, 3))
    client.force_login(personas.manager)
    url = reverse("caseloads:referral_outcome", kwargs={"referral_id": received.pk})
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    received.refresh_from_db()
    assert received.outcome == ""
    assert received.initial_assessment_start is None and received.core_assessment_start is None


def test_recording_the_plan_date_alone_keeps_the_assessment_dates(
    client, personas, world, front_doors
):
    received = referral(front_doors["mine"], dt.date(2025, 3, 3))
    client.force_login(personas.manager)
    url = reverse("caseloads:referral_outcome", kwargs={"referral_id": received.pk})
    client.post(
        url,
        {
            "outcome": "cp_enquiry",
            "initial_assessment_start": "2025-03-04",
            "initial_assessment_completed": "2025-03-10",
        },
    )
    # A page (or client) sending only the outcome and the plan's date.
    response = client.post(url, {"outcome": "plan", "plan_date": "2025-03-20"})
    assert response.status_code == 302
    received.refresh_from_db()
    assert (received.outcome, received.plan_date) == ("plan", dt.date(2025, 3, 20))
    assert received.initial_assessment_start == dt.date(2025, 3, 4)
    assert received.initial_assessment_completed == dt.date(2025, 3, 10)
    # A date sent empty is a date cleared.
    client.post(
        url, {"outcome": "plan", "plan_date": "2025-03-20", "initial_assessment_completed": ""}
    )
    received.refresh_from_db()
    assert received.initial_assessment_completed is None
    assert received.initial_assessment_start == dt.date(2025, 3, 4)


def test_manager_cannot_reach_a_referral_of_a_team_they_do_not_manage(
    client, personas, world, front_doors
):
    received = referral(front_doors["theirs"], TODAY)
    response = get(client, personas.manager, "caseloads:referral_outcome", referral_id=received.pk)
    assert response.status_code == 404


def test_outsider_cannot_reach_a_referral_of_another_authority(
    client, personas, world, front_doors
):
    received = referral(front_doors["mine"], TODAY)
    response = get(client, personas.outsider, "caseloads:referral_outcome", referral_id=received.pk)
    assert response.status_code == 404


def test_demand_page_lists_referrals_with_references_for_managers_only(
    client, personas, world, front_doors
):
    mine = referral(front_doors["mine"], TODAY, case=world["waiting"])
    referral(front_doors["theirs"], TODAY, case=world["elsewhere"])
    outcome_url = reverse("caseloads:referral_outcome", kwargs={"referral_id": mine.pk})

    html = get(client, personas.manager, "caseloads:demand").content.decode()
    assert "WAIT-100" in html and outcome_url in html
    assert "ELSE-100" not in html
    assert reverse("caseloads:record_referral") in html

    html = get(client, personas.hr, "caseloads:demand").content.decode()
    assert "WAIT-100" in html and "ELSE-100" in html
    assert outcome_url not in html  # HR officers see the list but do not record outcomes

    for persona in ("board", "analyst"):
        html = get(client, getattr(personas, persona), "caseloads:demand").content.decode()
        assert "WAIT-100" not in html and "ELSE-100" not in html
        assert 'id="referrals"' not in html
        assert "Record outcome" not in html


def test_manager_records_signposting_with_its_date(client, personas, world, front_doors):
    received = referral(front_doors["mine"], dt.date(2025, 3, 3))
    client.force_login(personas.manager)
    url = reverse("caseloads:referral_outcome", kwargs={"referral_id": received.pk})
    html = client.get(url).content.decode()
    assert "Information, advice or signposting" in html and "Referred to early help" in html
    response = client.post(url, {"outcome": "advice", "outcome_date": "2025-03-04"}, follow=True)
    assert "recorded: information, advice or signposting." in response.content.decode()
    received.refresh_from_db()
    assert (received.outcome, received.outcome_date) == ("advice", dt.date(2025, 3, 4))


def test_demand_referral_list_is_paginated(client, personas, world, front_doors):
    for n in range(30):
        referral(front_doors["mine"], TODAY - dt.timedelta(days=n))
    client.force_login(personas.lead)
    first = client.get(reverse("caseloads:demand")).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(reverse("caseloads:demand") + "?page=2").content.decode()
    assert "Page 2 of 2" in second
    assert second.count("Record outcome<") == 5
    odd = client.get(reverse("caseloads:demand") + "?page=abc")
    assert odd.status_code == 200


# Closing a case -------------------------------------------------------------------------------


def test_manager_closes_a_case_and_its_allocation_and_team_spell_end(client, personas, world):
    case = Case.objects.get(child_ref="OWN-000")
    client.force_login(personas.manager)
    url = reverse("caseloads:close_case", kwargs={"case_id": case.pk})
    assert "Bea Busy" in client.get(url).content.decode()
    response = client.post(url, {"closed": TODAY.isoformat()})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.end == TODAY
    assert case.allocations.get().end == TODAY
    assert case.teams.get().end == TODAY


def test_closing_a_case_twice_is_refused(client, personas, world):
    case = Case.objects.get(child_ref="OWN-000")
    client.force_login(personas.manager)
    url = reverse("caseloads:close_case", kwargs={"case_id": case.pk})
    client.post(url, {"closed": TODAY.isoformat()})
    response = client.post(url, {"closed": (TODAY + dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 200
    assert f"Case OWN-000 already closed on {TODAY.day} {TODAY:%B %Y}" in (
        response.content.decode()
    )
    case.refresh_from_db()
    assert case.end == TODAY


@pytest.mark.parametrize(
    ("closed", "message"),
    [
        ("2023-12-01", "starts on 1 January 2024; close the case after that"),
        ("2019-12-31", "opened on 1 January 2020; close it after that"),
        ("", "Enter the closing date."),
        ("2025-13-01", "Closing date must be a real date"),
    ],
)
def test_close_case_form_refuses_bad_dates_naming_the_field(
    client, personas, world, closed, message
):
    case = Case.objects.get(child_ref="OWN-000")
    client.force_login(personas.manager)
    url = reverse("caseloads:close_case", kwargs={"case_id": case.pk})
    response = client.post(url, {"closed": closed})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["closed"])
    case.refresh_from_db()
    assert case.end is None and case.allocations.get().end is None


def test_manager_cannot_close_a_case_of_another_team(client, personas, world):
    response = get(client, personas.manager, "caseloads:close_case", case_id=world["elsewhere"].pk)
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["hr", "board", "analyst"])
def test_only_case_managers_close_cases(client, personas, world, persona):
    user = getattr(personas, persona)
    response = get(client, user, "caseloads:close_case", case_id=world["waiting"].pk)
    assert response.status_code == 403


def test_worker_and_unallocated_pages_link_to_closing_a_case(client, personas, world):
    close_held = reverse(
        "caseloads:close_case", kwargs={"case_id": Case.objects.get(child_ref="OWN-000").pk}
    )
    html = get(client, personas.manager, "caseloads:worker", worker_id=world["busy"].pk)
    assert close_held in html.content.decode()
    close_waiting = reverse("caseloads:close_case", kwargs={"case_id": world["waiting"].pk})
    assert close_waiting in get(client, personas.manager, "caseloads:unallocated").content.decode()


# Downloads of the referrals list and of a worker's cases ------------------------------------


REFERRALS_HEADER = ["Received", "Team", "Child reference", "Outcome", "Date of the outcome"]


@pytest.fixture
def referrals(world, front_doors):
    """Three referrals in the last year (newest first below) and one from long ago."""
    day = [TODAY - dt.timedelta(days=n) for n in range(4)]
    referral(
        front_doors["mine"],
        day[1],
        case=world["waiting"],
        outcome=ReferralOutcome.NO_FURTHER_ACTION,
    )
    referral(front_doors["theirs"], day[2], case=world["elsewhere"])
    referral(front_doors["mine"], day[3])
    referral(front_doors["mine"], TODAY - dt.timedelta(days=800))
    return day


def referrals_download(client, user, **params):
    client.force_login(user)
    return client.get(reverse("caseloads:demand"), {"table": "referrals", **params})


def test_referrals_download_as_csv_with_the_period_of_the_page(client, personas, referrals):
    response = referrals_download(client, personas.lead, format="csv")
    first = year_before(TODAY).isoformat()  # the page's default period: the year to today
    assert f"referrals-{first}-to-{TODAY.isoformat()}.csv" in response["Content-Disposition"]
    assert csv_rows(response) == [
        REFERRALS_HEADER,
        [referrals[1].isoformat(), "Front Door North", "WAIT-100", "No further action", ""],
        [referrals[2].isoformat(), "Front Door South", "ELSE-100", "Open", ""],
        [referrals[3].isoformat(), "Front Door North", "None given", "Open", ""],
    ]
    period = {"start": referrals[2].isoformat(), "end": referrals[2].isoformat()}
    one_day = csv_rows(referrals_download(client, personas.lead, format="csv", **period))
    assert [row[2] for row in one_day[1:]] == ["ELSE-100"]


def test_a_manager_downloads_only_referrals_of_their_teams_as_xlsx(client, personas, referrals):
    rows = xlsx_rows(referrals_download(client, personas.manager, format="xlsx"))
    assert rows[0] == REFERRALS_HEADER
    assert rows[1:] == [
        [
            dt.datetime.combine(referrals[1], dt.time()),
            "Front Door North",
            "WAIT-100",
            "No further action",
            None,
        ],
        [
            dt.datetime.combine(referrals[3], dt.time()),
            "Front Door North",
            "None given",
            "Open",
            None,
        ],
    ]


def test_the_referrals_download_has_every_page(client, personas, world, front_doors):
    for n in range(30):
        referral(front_doors["mine"], TODAY - dt.timedelta(days=n))
    rows = csv_rows(referrals_download(client, personas.lead, format="csv", page="2"))
    assert len(rows) == 31


@pytest.mark.parametrize("persona", ["board", "analyst"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_board_members_and_analysts_cannot_download_referrals(
    client, personas, referrals, persona, fmt
):
    user = getattr(personas, persona)
    response = referrals_download(client, user, format=fmt)
    assert response.status_code == 403
    assert b"WAIT-100" not in response.content
    funnel = client.get(reverse("caseloads:demand"), {"format": fmt})
    assert funnel.status_code == 200
    assert b"WAIT-100" not in funnel.content and b"ELSE-100" not in funnel.content


def test_the_demand_page_links_to_the_referrals_download_for_those_who_see_them(
    client, personas, referrals
):
    client.force_login(personas.lead)
    html = client.get(reverse("caseloads:demand"), {"start": "2020-01-01", "page": "1"})
    html = html.content.decode()
    assert "?start=2020-01-01&amp;table=referrals&amp;format=csv" in html
    assert "?start=2020-01-01&amp;table=referrals&amp;format=xlsx" in html
    assert "?start=2020-01-01&amp;format=csv" in html  # the funnel, as before
    client.force_login(personas.board)
    assert "table=referrals" not in client.get(reverse("caseloads:demand")).content.decode()


def test_an_unknown_format_shows_the_demand_page(client, personas, referrals):
    response = referrals_download(client, personas.lead, format="ods")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "WAIT-100" in response.content.decode()


HELD_HEADER = ["Child reference", "Category", "Team", "Allocated since", "Points"]


@pytest.fixture
def complex_case(personas, world):
    case = case_in(
        personas.own_team, category=Category.CHILD_PROTECTION, complex=True, ref="CPX-100"
    )
    allocate(case, world["busy"], dt.date(2024, 3, 1))
    return case


def worker_download(client, user, worker, **params):
    client.force_login(user)
    return client.get(reverse("caseloads:worker", kwargs={"worker_id": worker.pk}), params)


def test_a_workers_cases_download_as_csv_by_reference_only(client, personas, world, complex_case):
    busy = world["busy"]
    response = worker_download(client, personas.manager, busy, on="2024-06-30", format="csv")
    assert f"cases-held-{busy.staff_number}-2024-06-30.csv" in response["Content-Disposition"]
    assert csv_rows(response) == [
        HELD_HEADER,
        ["OWN-000", "Child in need", "Assessment North", "2024-01-01", "4"],
        ["OWN-100", "Child in need", "Assessment North", "2024-01-01", "4"],
        ["OWN-200", "Child in need", "Assessment North", "2024-01-01", "4"],
        ["CPX-100", "Child protection plan (complex)", "Assessment North", "2024-03-01", "9"],
    ]
    assert "Bea" not in response.content.decode()
    earlier = worker_download(client, personas.manager, busy, on="2024-02-01", format="csv")
    assert [row[0] for row in csv_rows(earlier)[1:]] == ["OWN-000", "OWN-100", "OWN-200"]


def test_a_workers_cases_download_as_xlsx_with_numbers(client, personas, world, complex_case):
    rows = xlsx_rows(
        worker_download(client, personas.lead, world["busy"], on="2024-06-30", format="xlsx")
    )
    assert rows[0] == HELD_HEADER
    assert rows[-1] == [
        "CPX-100",
        "Child protection plan (complex)",
        "Assessment North",
        dt.datetime(2024, 3, 1),
        9,
    ]
    assert sum(row[4] for row in rows[1:]) == 21


@pytest.mark.parametrize(
    ("persona", "whose", "status"),
    [
        ("board", "busy", 403),
        ("analyst", "busy", 403),
        ("manager", "other", 404),
        ("outsider", "busy", 404),
    ],
)
def test_a_workers_cases_download_is_refused_as_the_page_is(
    client, personas, world, persona, whose, status
):
    response = worker_download(client, getattr(personas, persona), world[whose], format="csv")
    assert response.status_code == status
    assert b"OWN-" not in response.content and b"OTH-" not in response.content


def test_the_worker_page_links_to_its_download_with_its_date(client, personas, world):
    response = worker_download(client, personas.manager, world["busy"], on="2024-06-30")
    html = response.content.decode()
    assert "?on=2024-06-30&amp;format=csv" in html
    assert "?on=2024-06-30&amp;format=xlsx" in html


def test_team_workload_downloads_numbers_as_numbers(client, personas, world):
    client.force_login(personas.lead)
    url = reverse("caseloads:team", kwargs={"team_id": personas.own_team.pk})
    rows = xlsx_rows(client.get(url, {"format": "xlsx"}))
    assert rows[0] == [
        "Worker",
        "Role",
        "FTE",
        "Agency",
        "ASYE",
        "Cases",
        "Points",
        "Capacity",
        "Headroom",
        "Over capacity",
    ]
    assert rows[1:]
    for row in rows[1:]:
        assert isinstance(row[2], float | int) and isinstance(row[5], int)
        assert row[3] in ("Yes", "No") and row[9] in ("Yes", "No")


def test_the_funnel_is_one_table_on_the_page_and_in_the_download(client, personas, world):
    client.force_login(personas.lead)
    html = client.get(reverse("caseloads:demand")).content.decode()
    assert f"how far they went, as at {govuk_date(TODAY)}</caption>" in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">' in html
    rows = csv_rows(client.get(reverse("caseloads:demand"), {"format": "csv"}))
    assert rows[0] == ["Stage or outcome", "Number", "Share of referrals (%)"]
    assert [row[0] for row in rows[1:]][0] == "Referrals"


def test_the_overview_month_by_month_is_the_download_less_case_holders(client, personas, world):
    client.force_login(personas.lead)
    html = client.get(reverse("caseloads:overview")).content.decode()
    table = html[html.index("during each month</caption>") :]
    table = table[: table.index("</table>")]
    assert '<th scope="col" class="govuk-table__header">Month ending</th>' in table
    assert ">Case-holder FTE<" in table and ">Case holders<" not in table
    rows = csv_rows(client.get(reverse("caseloads:overview"), {"format": "csv"}))
    assert rows[0][:3] == ["Month ending", "Cases held", "Case holders"]
    assert len(rows) == 13


def test_demand_page_counts_a_period_as_at_a_date(client, personas, world, front_doors):
    """Three referrals of January 2025: signposted on 10 January, to early help on 3 February,
    and still open. As at 31 January the early help one is open too."""
    team = front_doors["mine"]
    jan = dt.date(2025, 1, 6)
    referral(team, jan, outcome=ReferralOutcome.ADVICE, outcome_date=dt.date(2025, 1, 10))
    referral(team, jan, outcome=ReferralOutcome.EARLY_HELP, outcome_date=dt.date(2025, 2, 3))
    referral(team, jan)
    period = {"start": "2025-01-01", "end": "2025-01-31"}

    def rows(**query: str) -> dict[str, list[str]]:
        url = reverse("caseloads:demand")
        client.force_login(personas.board)
        response = client.get(url, {**period, **query, "format": "csv"})
        return {r[0]: r[1:] for r in csv_rows(response)}

    at_end = rows(as_at="2025-01-31")
    assert at_end["Information, advice or signposting"] == ["1", "33"]
    assert at_end["Referred to early help"] == ["0", "0"]
    assert at_end["Open: no outcome yet"] == ["2", "67"]
    later = rows()
    assert later["Referred to early help"] == ["1", "33"]
    assert later["Open: no outcome yet"] == ["1", "33"]
    response = client.get(reverse("caseloads:demand"), {**period, "as_at": "2025-01-31"})
    html = response.content.decode()
    assert "how far they went, as at 31 January 2025" in html
    assert "Information, advice or signposting" in html


def test_demand_page_refuses_an_as_at_date_before_the_period_ends(client, personas, world):
    client.force_login(personas.board)
    query = "?start=2025-01-01&end=2025-06-30&as_at=2025-03-01"
    response = client.get(reverse("caseloads:demand") + query)
    assert response.status_code == 200
    assert response.context["form"].errors["as_at"] == [
        "“As at” must be on or after “To”: a referral counts once received."
    ]
