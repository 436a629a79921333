"""Establishment forms, posted through their pages: the happy path changes the records; bad input
is answered on the page (200) with a message against the field at fault, and saves nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from workforce.establishment.models import (
    Absence,
    Engagement,
    EngagementEnd,
    EngagementKind,
    Leaving,
    Post,
    PostFunding,
    Worker,
)
from workforce.establishment.tests.factories import RoleFactory, TeamFactory
from workforce.establishment.tests.world import (
    HALF,
    ONE,
    World,
    client_for,
    make_post,
    text,
    world_fixture,  # noqa: F401  (the `world` fixture)
)


def counts() -> tuple[int, ...]:
    """Everything a form could write, so a refusal can be shown to have saved nothing."""
    return (
        Post.objects.count(),
        PostFunding.objects.count(),
        Worker.objects.count(),
        Engagement.objects.count(),
        Engagement.objects.filter(end__isnull=False).count(),
        Leaving.objects.count(),
        Absence.objects.count(),
    )


def assert_refused(response: Any, field: str, message: str) -> None:
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, f"no error on {field}: {errors}"
    assert message in " ".join(errors[field]), errors[field]
    body = text(response)
    assert f'id="id_{field}-error"' in body
    assert "There is a problem" in body


def refused(world: World, user: Any, url: str, data: dict, field: str, message: str) -> None:
    before = counts()
    response = client_for(user).post(url, data)
    assert_refused(response, field, message)
    assert counts() == before


def success_message(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# Create a post -------------------------------------------------------------------------------


def post_data(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "reference": "AN-9",
        "team": world.personas.own_team.pk,
        "role": world.social_worker.pk,
        "fte": "0.8",
        "start": "2025-04-01",
        "end": "",
        "grade": "",
        "cost_centre": "CC100",
    }
    data.update(changes)
    return data


def test_creating_a_post_funds_it_from_its_start(world: World) -> None:
    response = client_for(world.personas.lead).post(
        reverse("establishment:post_create"), post_data(world), follow=True
    )
    post = Post.objects.get(reference="AN-9")
    assert response.redirect_chain[-1][0] == reverse(
        "establishment:post", kwargs={"post_id": post.pk}
    )
    assert "Post AN-9 created." in success_message(response)
    assert post.team == world.personas.own_team and post.cost_centre == "CC100"
    funding = post.funding.get()
    assert (funding.fte, funding.start, funding.end) == (
        Decimal("0.80"),
        dt.date(2025, 4, 1),
        None,
    )


def test_the_create_post_form_opens_with_the_teams_and_roles_of_the_authority(
    world: World, other_authority: Any
) -> None:
    TeamFactory(authority=other_authority, name="Far Away Team")
    response = client_for(world.personas.lead).get(reverse("establishment:post_create"))
    assert response.status_code == 200
    body = text(response)
    assert "Assessment North" in body and "Far Away Team" not in body


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"fte": "0"}, "fte", "FTE must be more than 0 and no more than 1"),
        ({"fte": "1.5"}, "fte", "FTE must be more than 0 and no more than 1"),
        ({"fte": "abc"}, "fte", "FTE must be a number"),
        ({"fte": ""}, "fte", "Enter the budgeted FTE"),
        ({"start": "2025-02-30"}, "start", "Start date must be a real date"),
        ({"end": "2025-03-01"}, "end", "The end date must be after the start date."),
        ({"reference": "AN-1"}, "reference", "A post with reference AN-1 already exists."),
        ({"team": "424242"}, "team", "Choose the team from the list."),
    ],
)
def test_creating_a_post_with_bad_input_names_the_field(
    world: World, changes: dict[str, str], field: str, message: str
) -> None:
    url = reverse("establishment:post_create")
    refused(world, world.personas.lead, url, post_data(world, **changes), field, message)


def test_a_post_cannot_be_created_in_a_team_of_another_authority(
    world: World, other_authority: Any
) -> None:
    elsewhere = TeamFactory(authority=other_authority, name="Elsewhere")
    url = reverse("establishment:post_create")
    data = post_data(world, team=elsewhere.pk)
    refused(world, world.personas.lead, url, data, "team", "Choose the team from the list.")


# Change a post's FTE, close a post -----------------------------------------------------------


def test_changing_a_posts_fte_keeps_the_old_value_for_the_past(world: World) -> None:
    post = world.posts["AN-3"]
    response = client_for(world.personas.lead).post(
        reverse("establishment:post_change_fte", kwargs={"post_id": post.pk}),
        {"fte": "1", "from_date": "2024-07-01"},
        follow=True,
    )
    assert "funded at 1.00 FTE from 1 July 2024" in success_message(response)
    funding = list(post.funding.order_by("start").values_list("fte", "start", "end"))
    assert funding == [
        (HALF, dt.date(2024, 1, 1), dt.date(2024, 7, 1)),
        (ONE, dt.date(2024, 7, 1), None),
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"fte": "1.5", "from_date": "2024-07-01"}, "fte", "no more than 1"),
        ({"fte": "0", "from_date": "2024-07-01"}, "fte", "more than 0"),
        ({"fte": "abc", "from_date": "2024-07-01"}, "fte", "FTE must be a number"),
        ({"fte": "0.5", "from_date": "2024-07-01"}, "fte", "already funded at 0.5 FTE"),
        ({"fte": "1", "from_date": "2023-07-01"}, "from_date", "is not open on 1 July 2023"),
        (
            {"fte": "1", "from_date": "soon"},
            "from_date",
            "The date the new FTE starts must be a real date",
        ),
    ],
)
def test_changing_a_posts_fte_with_bad_input_names_the_field(
    world: World, data: dict[str, str], field: str, message: str
) -> None:
    url = reverse("establishment:post_change_fte", kwargs={"post_id": world.posts["AN-3"].pk})
    refused(world, world.personas.lead, url, data, field, message)


def test_closing_an_empty_post_ends_it_and_its_funding(world: World) -> None:
    post = world.posts["AN-4"]
    response = client_for(world.personas.admin).post(
        reverse("establishment:post_close", kwargs={"post_id": post.pk}),
        {"end": "2025-04-01"},
        follow=True,
    )
    assert "closed from 1 April 2025" in success_message(response)
    post.refresh_from_db()
    assert post.end == dt.date(2025, 4, 1)
    assert post.funding.get().end == dt.date(2025, 4, 1)


def test_closing_a_filled_post_is_refused_against_the_date(world: World) -> None:
    post = world.posts["AN-1"]
    url = reverse("establishment:post_close", kwargs={"post_id": post.pk})
    refused(
        world,
        world.personas.lead,
        url,
        {"end": "2025-04-01"},
        "end",
        "Annabel Quillfeather is in this post on or after 1 April 2025",
    )


def test_closing_before_the_post_opened_is_refused(world: World) -> None:
    url = reverse("establishment:post_close", kwargs={"post_id": world.posts["AN-4"].pk})
    refused(
        world,
        world.personas.lead,
        url,
        {"end": "2023-01-01"},
        "end",
        "The end date must be after the start date.",
    )


@pytest.mark.parametrize("name", ["establishment:post_change_fte", "establishment:post_close"])
@pytest.mark.parametrize("persona", ["hr", "manager", "board"])
def test_post_forms_need_the_right_to_manage_posts(world: World, name: str, persona: str) -> None:
    url = reverse(name, kwargs={"post_id": world.posts["AN-4"].pk})
    response = client_for(getattr(world.personas, persona)).post(url, {"end": "2025-04-01"})
    assert response.status_code == 403


def test_a_post_of_another_authority_cannot_be_changed_by_its_id(
    world: World, other_authority: Any
) -> None:
    far = make_post(
        world.personas,
        "FAR-1",
        TeamFactory(authority=other_authority),
        RoleFactory(authority=other_authority),
        ONE,
    )
    response = client_for(world.personas.lead).post(
        reverse("establishment:post_close", kwargs={"post_id": far.pk}), {"end": "2025-04-01"}
    )
    assert response.status_code == 404
    far.refresh_from_db()
    assert far.end is None


# Add a person, appoint, move -----------------------------------------------------------------


def test_adding_a_person_records_their_details(world: World) -> None:
    response = client_for(world.personas.hr).post(
        reverse("establishment:worker_create"),
        {
            "staff_number": "S100",
            "first_name": "Rosalind",
            "last_name": "Achterberg",
            "swe_number": "SW123456",
            "date_of_birth": "1990-05-17",
            "gender": "2",
            "ethnicity": "WBRI",
            "qual_level": "2",
            "qual_institution": "University of Leeds",
            "qual_date": "2016-07-01",
            "route": "step_up",
        },
        follow=True,
    )
    worker = Worker.objects.get(staff_number="S100")
    assert response.redirect_chain[-1][0] == reverse(
        "establishment:worker", kwargs={"worker_id": worker.pk}
    )
    assert (worker.gender, worker.ethnicity, worker.route) == ("2", "WBRI", "step_up")
    assert worker.date_of_birth == dt.date(1990, 5, 17)
    assert "Rosalind Achterberg added" in success_message(response)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"staff_number": "S001"}, "staff_number", "Staff number S001 is already used."),
        ({"first_name": ""}, "first_name", "Enter the first name."),
        ({"gender": "7"}, "gender", "Choose the gender from the list."),
        ({"date_of_birth": "1990-02-31"}, "date_of_birth", "must be a real date"),
        (
            {"date_of_birth": "2090-01-01"},
            "date_of_birth",
            "The date of birth cannot be in the future.",
        ),
        (
            {"date_of_birth": "1990-05-17", "qual_date": "1989-07-01"},
            "qual_date",
            "The date qualified cannot be before the date of birth (17 May 1990).",
        ),
        ({"swe_number": "abc"}, "swe_number", "Enter the Social Work England number as SW"),
    ],
)
def test_adding_a_person_with_bad_input_names_the_field(
    world: World, changes: dict[str, str], field: str, message: str
) -> None:
    data = {"staff_number": "S100", "first_name": "Rosalind", "last_name": "Achterberg"}
    data.update(changes)
    url = reverse("establishment:worker_create")
    refused(world, world.personas.hr, url, data, field, message)


def appoint_data(world: World, post: str = "AN-4", **changes: Any) -> dict[str, Any]:
    data = {
        "post": world.posts[post].pk,
        "kind": "permanent",
        "start": "2025-02-01",
        "fte": "1",
        "last_day": "",
        "start_origin": "2",
    }
    data.update(changes)
    return data


def new_worker(world: World) -> Worker:
    from workforce.establishment import services

    return services.create_worker(
        authority=world.personas.own_team.authority,
        staff_number="S200",
        first_name="Ignatia",
        last_name="Fairbairn",
    )


def test_appointing_a_person_puts_them_in_the_post(world: World) -> None:
    worker = new_worker(world)
    response = client_for(world.personas.hr).post(
        reverse("establishment:appoint", kwargs={"worker_id": worker.pk}),
        appoint_data(world),
        follow=True,
    )
    engagement = worker.engagements.get()
    assert engagement.post == world.posts["AN-4"]
    assert (engagement.start, engagement.end, engagement.fte) == (dt.date(2025, 2, 1), None, ONE)
    assert engagement.start_origin == "2"
    assert "appointed to post AN-4 from 1 February 2025" in success_message(response)


def test_a_fixed_term_appointment_ends_the_day_after_its_last_day(world: World) -> None:
    worker = new_worker(world)
    client_for(world.personas.hr).post(
        reverse("establishment:appoint", kwargs={"worker_id": worker.pk}),
        appoint_data(world, kind="fixed_term", last_day="2025-07-31"),
    )
    engagement = worker.engagements.get()
    assert engagement.end == dt.date(2025, 8, 1)
    assert engagement.last_day == dt.date(2025, 7, 31)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"fte": "0"}, "fte", "more than 0"),
        ({"fte": "1.5"}, "fte", "no more than 1"),
        ({"fte": "abc"}, "fte", "FTE must be a number"),
        ({"kind": "agency"}, "kind", "Choose the kind of appointment from the list."),
        (
            {"kind": "fixed_term", "last_day": "2025-01-15"},
            "last_day",
            "The end date must be after the start date.",
        ),
        ({"kind": "fixed_term"}, "last_day", "A fixed-term appointment needs an end date."),
        ({"start": "2019-01-01"}, "start", "is not open on 1 January 2019"),
    ],
)
def test_appointing_with_bad_input_names_the_field(
    world: World, changes: dict[str, str], field: str, message: str
) -> None:
    worker = new_worker(world)
    url = reverse("establishment:appoint", kwargs={"worker_id": worker.pk})
    refused(world, world.personas.hr, url, appoint_data(world, **changes), field, message)


def test_a_person_cannot_be_appointed_beyond_one_full_time_equivalent(world: World) -> None:
    url = reverse("establishment:appoint", kwargs={"worker_id": world.workers["ann"].pk})
    refused(
        world,
        world.personas.hr,
        url,
        appoint_data(world, fte="0.5"),
        "fte",
        "would work 1.50 FTE at once; one person can hold at most 1.0 FTE",
    )


def test_a_post_of_another_authority_cannot_be_chosen_by_its_id(
    world: World, other_authority: Any
) -> None:
    far = make_post(
        world.personas,
        "FAR-1",
        TeamFactory(authority=other_authority),
        RoleFactory(authority=other_authority),
        ONE,
    )
    worker = new_worker(world)
    url = reverse("establishment:appoint", kwargs={"worker_id": worker.pk})
    data = appoint_data(world) | {"post": far.pk}
    refused(world, world.personas.hr, url, data, "post", "Choose the post from the list.")


def test_moving_a_person_ends_one_engagement_and_starts_the_next(world: World) -> None:
    engagement = world.engagements["cat"]
    response = client_for(world.personas.lead).post(
        reverse("establishment:move", kwargs={"engagement_id": engagement.pk}),
        {"to_post": world.posts["AN-4"].pk, "on": "2025-03-01", "fte": ""},
        follow=True,
    )
    assert "moves to post AN-4 from 1 March 2025" in success_message(response)
    engagement.refresh_from_db()
    assert (engagement.end, engagement.end_reason) == (dt.date(2025, 3, 1), EngagementEnd.MOVED)
    moved = Engagement.objects.get(worker=engagement.worker, post=world.posts["AN-4"])
    assert (moved.start, moved.fte, moved.kind) == (
        dt.date(2025, 3, 1),
        HALF,
        EngagementKind.PERMANENT,
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"to_post": "AN-3", "on": "2025-03-01"}, "to_post", "Choose a different post"),
        ({"to_post": "AN-4", "on": "2023-03-01"}, "on", "does not run across 1 March 2023"),
        ({"to_post": "AN-4", "on": "2025-03-01", "fte": "1.5"}, "fte", "no more than 1"),
        (
            {"to_post": "AN-4", "on": "2025-03-01", "fte": "abc"},
            "fte",
            "FTE in the new post must be a number",
        ),
        ({"to_post": "AN-4", "on": ""}, "on", "Enter the date of their first day in the new post."),
    ],
)
def test_moving_with_bad_input_names_the_field(
    world: World, data: dict[str, str], field: str, message: str
) -> None:
    url = reverse("establishment:move", kwargs={"engagement_id": world.engagements["cat"].pk})
    posted = data | {"to_post": world.posts[data["to_post"]].pk}
    refused(world, world.personas.lead, url, posted, field, message)


# Agency assignments --------------------------------------------------------------------------


def agency_data(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "post": world.posts["AN-4"].pk,
        "agency_name": "Northern Locums",
        "start": "2025-02-03",
        "fte": "1",
        "last_day": "2025-05-02",
        "charge_rate": "42.50",
        "covers": "vacancy",
        "covering_for": "",
    }
    data.update(changes)
    return data


def test_starting_an_agency_assignment_records_its_terms(world: World) -> None:
    worker = new_worker(world)
    response = client_for(world.personas.hr).post(
        reverse("establishment:agency_start", kwargs={"worker_id": worker.pk}),
        agency_data(world),
        follow=True,
    )
    assert "starts 3 February 2025" in success_message(response)
    e = worker.engagements.get()
    assert (e.kind, e.agency_name, e.charge_rate, e.covers) == (
        EngagementKind.AGENCY,
        "Northern Locums",
        Decimal("42.50"),
        "vacancy",
    )
    assert e.end == dt.date(2025, 5, 3)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"agency_name": ""}, "agency_name", "Enter the name of the agency."),
        ({"charge_rate": "-3"}, "charge_rate", "must be more than £0"),
        ({"charge_rate": "lots"}, "charge_rate", "must be a number of pounds"),
        ({"covers": ""}, "covers", "Choose what the assignment covers."),
        ({"covers": "absence"}, "covering_for", "Choose whose absence this covers."),
        ({"last_day": "2025-01-01"}, "last_day", "The end date must be after the start date."),
        ({"fte": "1.5"}, "fte", "no more than 1"),
    ],
)
def test_starting_an_agency_assignment_with_bad_input_names_the_field(
    world: World, changes: dict[str, str], field: str, message: str
) -> None:
    worker = new_worker(world)
    url = reverse("establishment:agency_start", kwargs={"worker_id": worker.pk})
    refused(world, world.personas.hr, url, agency_data(world, **changes), field, message)


def test_ending_an_agency_assignment_takes_the_last_day(world: World) -> None:
    engagement = world.engagements["ben"]
    response = client_for(world.personas.hr).post(
        reverse("establishment:agency_end", kwargs={"engagement_id": engagement.pk}),
        {"last_day": "2025-03-31"},
        follow=True,
    )
    assert "ends after 31 March 2025" in success_message(response)
    engagement.refresh_from_db()
    assert engagement.end == dt.date(2025, 4, 1)
    assert engagement.end_reason == EngagementEnd.ASSIGNMENT_ENDED


def test_ending_an_agency_assignment_before_it_started_is_refused(world: World) -> None:
    url = reverse("establishment:agency_end", kwargs={"engagement_id": world.engagements["ben"].pk})
    refused(
        world,
        world.personas.hr,
        url,
        {"last_day": "2023-12-31"},
        "last_day",
        "The last day cannot be before the engagement started.",
    )


def test_an_employee_engagement_cannot_be_ended_as_an_agency_assignment(world: World) -> None:
    url = reverse("establishment:agency_end", kwargs={"engagement_id": world.engagements["ann"].pk})
    before = counts()
    response = client_for(world.personas.hr).post(url, {"last_day": "2025-03-31"})
    assert response.status_code == 200
    assert "record a leaver instead" in " ".join(response.context["form"].non_field_errors())
    assert counts() == before


# Leavers and absences ------------------------------------------------------------------------


def test_recording_a_leaver_ends_their_posts_after_the_last_day(world: World) -> None:
    worker = world.workers["ann"]
    response = client_for(world.personas.hr).post(
        reverse("establishment:leaver", kwargs={"worker_id": worker.pk}),
        {
            "last_day": "2025-03-31",
            "reason": "1",
            "destination": "3",
            "exit_interview_done": "on",
            "exit_themes": "workload",
            "exit_notes": "",
        },
        follow=True,
    )
    assert "leaving after 31 March 2025" in success_message(response)
    leaving = worker.leavings.get()
    assert (leaving.reason, leaving.destination, leaving.fte) == ("1", "3", ONE)
    assert leaving.exit_interview_done and leaving.exit_themes == "workload"
    engagement = world.engagements["ann"]
    engagement.refresh_from_db()
    assert (engagement.end, engagement.end_reason) == (dt.date(2025, 4, 1), EngagementEnd.LEFT)


def test_the_leaver_form_offers_the_census_reasons(world: World) -> None:
    response = client_for(world.personas.hr).get(
        reverse("establishment:leaver", kwargs={"worker_id": world.workers["ann"].pk})
    )
    body = text(response)
    assert '<option value="1">Resignation</option>' in body
    assert "Agency or consultancy in social work (in England)" in body


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"last_day": "2025-03-31", "reason": ""}, "reason", "Choose the reason for leaving."),
        (
            {"last_day": "2025-03-31", "reason": "77"},
            "reason",
            "Choose the reason for leaving from the list",
        ),
        ({"last_day": "", "reason": "1"}, "last_day", "Enter the last day."),
        ({"last_day": "2023-06-30", "reason": "1"}, "last_day", "starting 1 January 2024"),
    ],
)
def test_recording_a_leaver_with_bad_input_names_the_field(
    world: World, data: dict[str, str], field: str, message: str
) -> None:
    url = reverse("establishment:leaver", kwargs={"worker_id": world.workers["ann"].pk})
    refused(world, world.personas.hr, url, data, field, message)


def test_a_leaver_with_an_engagement_after_the_last_day_is_refused(world: World) -> None:
    from workforce.establishment import services

    worker = world.workers["ann"]
    services.move_worker(
        engagement=world.engagements["ann"], to_post=world.posts["AN-4"], on=dt.date(2025, 6, 1)
    )
    url = reverse("establishment:leaver", kwargs={"worker_id": worker.pk})
    refused(
        world,
        world.personas.hr,
        url,
        {"last_day": "2025-03-31", "reason": "1"},
        "last_day",
        "has an engagement starting 1 June 2025, after this last day",
    )


def test_a_team_manager_records_an_absence_for_their_own_team(world: World) -> None:
    worker = world.workers["ann"]
    response = client_for(world.personas.manager).post(
        reverse("establishment:absence", kwargs={"worker_id": worker.pk}),
        {
            "start": "2025-02-03",
            "last_day": "2025-02-07",
            "reason": "SIC",
            "working_days_lost": "5",
        },
        follow=True,
    )
    assert "Absence from 3 February 2025 recorded" in success_message(response)
    absence = worker.absences.get()
    assert (absence.start, absence.end, absence.working_days_lost) == (
        dt.date(2025, 2, 3),
        dt.date(2025, 2, 8),
        Decimal("5"),
    )


def test_a_team_manager_cannot_record_an_absence_in_another_team(world: World) -> None:
    before = counts()
    response = client_for(world.personas.manager).post(
        reverse("establishment:absence", kwargs={"worker_id": world.workers["dan"].pk}),
        {
            "start": "2025-02-03",
            "last_day": "2025-02-07",
            "reason": "SIC",
            "working_days_lost": "5",
        },
    )
    assert response.status_code == 404
    assert counts() == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"last_day": "2025-01-31"}, "last_day", "The end date must be after the start date."),
        ({"reason": "XYZ"}, "reason", "Choose the reason from the list."),
        ({"working_days_lost": "-1"}, "working_days_lost", "must be 0 or more"),
        ({"working_days_lost": "many"}, "working_days_lost", "must be a number"),
        ({"working_days_lost": "9"}, "working_days_lost", "More working days lost than days"),
        ({"start": "2023-12-01"}, "start", "holds no post on 1 December 2023"),
    ],
)
def test_recording_an_absence_with_bad_input_names_the_field(
    world: World, changes: dict[str, str], field: str, message: str
) -> None:
    data = {"start": "2025-02-03", "last_day": "2025-02-07", "reason": "SIC"}
    data["working_days_lost"] = "5"
    data.update(changes)
    url = reverse("establishment:absence", kwargs={"worker_id": world.workers["ann"].pk})
    refused(world, world.personas.hr, url, data, field, message)


def test_an_absence_for_someone_holding_no_post_is_refused(world: World) -> None:
    worker = new_worker(world)
    url = reverse("establishment:absence", kwargs={"worker_id": worker.pk})
    data = {"start": "2025-02-03", "last_day": "2025-02-07", "reason": "SIC"}
    data["working_days_lost"] = "5"
    refused(world, world.personas.hr, url, data, "start", "holds no post on 3 February 2025")


@pytest.mark.parametrize(
    "name", ["establishment:appoint", "establishment:agency_start", "establishment:leaver"]
)
def test_a_team_manager_may_not_appoint_or_record_leavers(world: World, name: str) -> None:
    url = reverse(name, kwargs={"worker_id": world.workers["ann"].pk})
    assert client_for(world.personas.manager).get(url).status_code == 403


def test_the_form_pages_open_for_those_who_may_use_them(world: World) -> None:
    client = client_for(world.personas.lead)
    worker_id = world.workers["ann"].pk
    engagement_id = world.engagements["ben"].pk
    post_id = world.posts["AN-4"].pk
    for name, kwargs in [
        ("establishment:post_create", {}),
        ("establishment:post_change_fte", {"post_id": post_id}),
        ("establishment:post_close", {"post_id": post_id}),
        ("establishment:worker_create", {}),
        ("establishment:appoint", {"worker_id": worker_id}),
        ("establishment:agency_start", {"worker_id": worker_id}),
        ("establishment:leaver", {"worker_id": worker_id}),
        ("establishment:absence", {"worker_id": worker_id}),
        ("establishment:move", {"engagement_id": engagement_id}),
        ("establishment:agency_end", {"engagement_id": engagement_id}),
    ]:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name
        assert "govuk-error-summary" not in text(response), name


@pytest.mark.parametrize(
    ("name", "kwarg", "field", "message"),
    [
        ("establishment:post_create", None, "reference", "Enter the establishment line reference."),
        ("establishment:post_change_fte", "post_id", "from_date", "Enter the date the new FTE"),
        ("establishment:post_close", "post_id", "end", "Enter the date the post closes from."),
        ("establishment:worker_create", None, "staff_number", "Enter the staff number."),
        ("establishment:appoint", "worker_id", "post", "Choose the post."),
        ("establishment:agency_start", "worker_id", "agency_name", "Enter the name of the agency."),
        ("establishment:leaver", "worker_id", "last_day", "Enter the last day."),
        ("establishment:absence", "worker_id", "start", "Enter the first day of absence."),
        ("establishment:move", "engagement_id", "to_post", "Choose the new post."),
        ("establishment:agency_end", "engagement_id", "last_day", "Enter the last day."),
    ],
)
def test_sending_an_empty_form_says_what_is_missing(
    world: World, name: str, kwarg: str | None, field: str, message: str
) -> None:
    ids = {
        "post_id": world.posts["AN-4"].pk,
        "worker_id": world.workers["ann"].pk,
        "engagement_id": world.engagements["ben"].pk,
    }
    url = reverse(name, kwargs={kwarg: ids[kwarg]} if kwarg else {})
    refused(world, world.personas.lead, url, {}, field, message)
