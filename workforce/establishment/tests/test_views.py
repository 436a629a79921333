"""Establishment pages: who may open them, what they show, and the downloads.

The world, as at 1 January 2025 (hand-computed figures below):

  Assessment North (the manager's team)       Children in Care South
  AN-1 social worker 1.00: Ann, permanent 1.00  CC-1 social worker 1.00: Dan, permanent 1.00
  AN-2 social worker 1.00: Ben, agency 1.00     CC-1 also: Eve, agency 0.50 (extra capacity)
  AN-3 social worker 0.50: Cat, permanent 0.50
  AN-4 family support 1.00: nobody

  Social worker:  establishment 3.50, permanent 2.50, agency 1.50, vacant 1.00, over/under (0.50)
  Family support: establishment 1.00, permanent 0.00, agency 0.00, vacant 1.00, over/under 1.00
  Total:          establishment 4.50, permanent 2.50, agency 1.50, vacant 2.00, over/under 0.50
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from workforce.core.tests.downloads import xlsx_rows
from workforce.establishment import services
from workforce.establishment.models import Role
from workforce.establishment.tests.factories import PostFactory, RoleFactory, TeamFactory
from workforce.establishment.tests.world import (
    HALF,
    ON,
    ONE,
    START,
    World,
    client_for,
    make_post,
    text,
    world_fixture,  # noqa: F401  (the `world` fixture)
)

ALL_NAMES = ["Quillfeather", "Marlowe", "Ellsworth", "Okonkwo", "Prothero"]
OTHER_TEAM_NAMES = ["Okonkwo", "Prothero"]


# The establishment table ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["admin", "lead", "hr", "manager", "board", "analyst"])
def test_the_table_opens_for_every_role(world: World, persona: str) -> None:
    response = client_for(getattr(world.personas, persona)).get(reverse("establishment:table"))
    assert response.status_code == 200


def test_the_table_shows_each_role_and_a_total_that_adds_up(world: World) -> None:
    response = client_for(world.personas.lead).get(
        reverse("establishment:table"), {"on": ON.isoformat()}
    )
    assert response.status_code == 200
    rows = {r["role"]: [c["text"] for c in r["cells"]] for r in response.context["rows"]}
    assert rows["Social worker"] == ["3.50", "2.50", "1.50", "1.00", "(0.50)"]
    assert rows["Family support worker"] == ["1.00", "0.00", "0.00", "1.00", "1.00"]
    assert rows["Total"] == ["4.50", "2.50", "1.50", "2.00", "0.50"]
    assert "Establishment at 1 January 2025" in text(response)
    assert "app-table-total" in text(response)


def test_without_a_date_the_table_is_for_today_and_says_so(world: World) -> None:
    today = dt.date.today()
    response = client_for(world.personas.lead).get(reverse("establishment:table"))
    assert response.context["on"] == today
    body = text(response)
    for part, value in (("day", today.day), ("month", today.month), ("year", today.year)):
        assert f'name="on_{part}" value="{value}"' in body
    assert f"on={today.isoformat()}" in response.context["rows"][0]["cells"][0]["url"]


def test_zero_figures_are_not_links_and_others_open_the_drill_down(world: World) -> None:
    response = client_for(world.personas.lead).get(
        reverse("establishment:table"), {"on": ON.isoformat()}
    )
    family = next(r for r in response.context["rows"] if r["role"] == "Family support worker")
    urls = [c["url"] for c in family["cells"]]
    assert urls[1] == "" and urls[2] == ""  # permanent and agency are zero
    assert urls[0].startswith(reverse("establishment:cell") + "?")
    assert f"role={world.family_support.pk}" in urls[0]
    assert "column=establishment" in urls[0] and "on=2025-01-01" in urls[0]


def test_census_only_leaves_out_roles_the_census_does_not_count(world: World) -> None:
    response = client_for(world.personas.lead).get(
        reverse("establishment:table"), {"on": ON.isoformat(), "census_only": "on"}
    )
    roles = [r["role"] for r in response.context["rows"]]
    assert roles == ["Social worker", "Total"]


def test_a_team_filter_shows_only_that_team(world: World) -> None:
    response = client_for(world.personas.lead).get(
        reverse("establishment:table"),
        {"on": ON.isoformat(), "team": world.personas.other_team.pk},
    )
    rows = {r["role"]: [c["text"] for c in r["cells"]] for r in response.context["rows"]}
    assert rows == {
        "Social worker": ["1.00", "1.00", "0.50", "0.00", "(0.50)"],
        "Total": ["1.00", "1.00", "0.50", "0.00", "(0.50)"],
    }


def test_a_team_manager_sees_only_their_own_team(world: World) -> None:
    response = client_for(world.personas.manager).get(
        reverse("establishment:table"), {"on": ON.isoformat()}
    )
    rows = {r["role"]: [c["text"] for c in r["cells"]] for r in response.context["rows"]}
    assert rows["Social worker"] == ["2.50", "1.50", "1.00", "1.00", "0.00"]
    assert rows["Total"] == ["3.50", "1.50", "1.00", "2.00", "1.00"]


def test_a_team_manager_cannot_choose_another_team(world: World) -> None:
    response = client_for(world.personas.manager).get(
        reverse("establishment:table"), {"team": world.personas.other_team.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["team"] == ["Choose the team from the list."]
    assert response.context["table"] is None


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"on": "2025-02-30"}, "on", "The “as at” date must be a real date"),
        ({"on": "yesterday"}, "on", "The “as at” date must be a real date"),
        ({"team": "999999"}, "team", "Choose the team from the list."),
        ({"team": "abc"}, "team", "Choose the team from the list."),
        ({"service_area": "nowhere"}, "service_area", "Choose the service area from the list."),
    ],
)
def test_bad_filters_show_a_message_naming_the_field(
    world: World, params: dict[str, str], field: str, message: str
) -> None:
    response = client_for(world.personas.lead).get(reverse("establishment:table"), params)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    body = text(response)
    assert "govuk-error-summary" in body
    assert f'id="id_{field}-error"' in body
    assert "<title>Error:" in body


def test_a_team_of_another_authority_is_refused(world: World, other_authority: Any) -> None:
    elsewhere = TeamFactory(authority=other_authority, name="Elsewhere Team")
    response = client_for(world.personas.lead).get(
        reverse("establishment:table"), {"team": elsewhere.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["team"] == ["Choose the team from the list."]


def test_the_table_downloads_as_csv_with_a_total_row(world: World) -> None:
    response = client_for(world.personas.board).get(
        reverse("establishment:table"), {"on": ON.isoformat(), "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "establishment-2025-01-01.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "Role",
        "Establishment",
        "Permanent",
        "Agency",
        "Vacant",
        "(Over)/under establishment",
    ]
    assert rows[1] == ["Social worker", "3.50", "2.50", "1.50", "1.00", "-0.50"]
    assert rows[-1] == ["Total", "4.50", "2.50", "1.50", "2.00", "0.50"]


def test_the_table_downloads_as_xlsx_with_a_total_row(world: World) -> None:
    response = client_for(world.personas.analyst).get(
        reverse("establishment:table"), {"on": ON.isoformat(), "format": "xlsx"}
    )
    assert response.status_code == 200
    values = xlsx_rows(response)
    assert values[0][0] == "Role"
    assert values[-1] == ["Total", 4.5, 2.5, 1.5, 2.0, 0.5]
    assert sum(row[1] for row in values[1:-1]) == values[-1][1]


def test_a_download_with_bad_filters_shows_the_page_with_the_message(world: World) -> None:
    response = client_for(world.personas.lead).get(
        reverse("establishment:table"), {"on": "31/31/2025", "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "on" in response.context["form"].errors


# The drill-down ------------------------------------------------------------------------------


def cell_params(world: World, column: str, role: Role | None = None, **more: Any) -> dict:
    return {"on": ON.isoformat(), "column": column, "role": role.pk if role else "", **more}


def test_the_drill_down_lists_the_posts_and_people_behind_a_figure(world: World) -> None:
    response = client_for(world.personas.lead).get(
        reverse("establishment:cell"), cell_params(world, "agency", world.social_worker)
    )
    assert response.status_code == 200
    refs = [item["line"].post.reference for item in response.context["items"]]
    assert refs == ["AN-2", "CC-1"]
    body = text(response)
    assert "Benedict Marlowe" in body and "Evangeline Prothero" in body
    assert response.context["totals"][2] == "1.50"
    assert response.context["cell_text"] == "1.50"
    assert response.context["reconciles"]


def test_the_drill_down_of_a_total_covers_every_role(world: World) -> None:
    response = client_for(world.personas.lead).get(
        reverse("establishment:cell"), cell_params(world, "vacant")
    )
    refs = [item["line"].post.reference for item in response.context["items"]]
    assert refs == ["AN-2", "AN-4"]
    assert response.context["cell_text"] == "2.00"


def test_a_long_drill_down_is_shown_a_page_at_a_time_with_the_total_of_all(
    world: World,
) -> None:
    team = TeamFactory(authority=world.personas.own_team.authority, name="Zebra Hub")
    for _ in range(120):
        PostFactory(team=team, role=world.social_worker, start=dt.date(2020, 1, 1))
    client = client_for(world.personas.lead)
    url = reverse("establishment:cell")
    first = client.get(url, cell_params(world, "vacant", world.social_worker))
    everything = first.context["lines"]
    assert len(everything) > 120 and len(first.context["items"]) == 100
    assert first.context["cell_text"] == first.context["totals"][3]  # the total covers all pages
    last = client.get(url, cell_params(world, "vacant", world.social_worker, page=2))
    shown = [item["line"] for item in first.context["items"] + last.context["items"]]
    assert shown == everything
    body = text(first)
    assert "Page 1 of 2" in body and "Showing 1 to 100" in body
    csv_rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    url, cell_params(world, "vacant", world.social_worker, format="csv")
                ).content.decode()
            )
        )
    )
    assert len(csv_rows) == len(everything) + 2  # header, every post, total


@pytest.mark.parametrize("persona", ["board", "analyst"])
def test_the_drill_down_shows_no_names_to_board_members_and_analysts(
    world: World, persona: str
) -> None:
    user = getattr(world.personas, persona)
    response = client_for(user).get(
        reverse("establishment:cell"), cell_params(world, "establishment")
    )
    assert response.status_code == 200
    body = text(response)
    assert "AN-1" in body and "Filled" in body
    for name in ALL_NAMES + ["Annabel", "Benedict"]:
        assert name not in body
    download = client_for(user).get(
        reverse("establishment:cell"), cell_params(world, "establishment", format="csv")
    )
    assert not any(name in download.content.decode() for name in ALL_NAMES)
    assert "Filled (Permanent, 1.00 FTE)" in download.content.decode()


def test_a_team_manager_drill_down_stays_in_their_team(world: World) -> None:
    response = client_for(world.personas.manager).get(
        reverse("establishment:cell"), cell_params(world, "agency", world.social_worker)
    )
    refs = [item["line"].post.reference for item in response.context["items"]]
    assert refs == ["AN-2"]
    assert not any(name in text(response) for name in OTHER_TEAM_NAMES)


def test_the_drill_down_downloads_with_a_total_row(world: World) -> None:
    response = client_for(world.personas.lead).get(
        reverse("establishment:cell"),
        cell_params(world, "establishment", world.social_worker, format="xlsx"),
    )
    values = xlsx_rows(response)
    assert values[0][:4] == ["Post", "Team", "Role", "Establishment"]
    assert [v[0] for v in values[1:-1]] == ["AN-1", "AN-2", "AN-3", "CC-1"]
    assert values[-1][:4] == ["Total", None, None, 3.5]
    assert values[1][-1] == "Annabel Quillfeather (Permanent, 1.00 FTE)"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"column": "salary"}, "column"),
        ({"column": "vacant", "role": "abc"}, "role"),
        ({"column": "vacant", "on": "2025-13-01"}, "on"),
        ({}, "column"),
    ],
)
def test_a_bad_drill_down_address_shows_a_message(
    world: World, params: dict[str, str], field: str
) -> None:
    response = client_for(world.personas.lead).get(reverse("establishment:cell"), params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "govuk-error-summary" in text(response)


def test_a_role_of_another_authority_is_refused_in_the_drill_down(
    world: World, other_authority: Any
) -> None:
    role = RoleFactory(authority=other_authority, title="Social worker")
    response = client_for(world.personas.lead).get(
        reverse("establishment:cell"), {"column": "vacant", "role": role.pk}
    )
    assert response.context["form"].errors["role"] == ["Choose the role from the list."]


# Teams ---------------------------------------------------------------------------------------


def test_the_teams_list_shows_budget_staffing_and_vacancy_per_team(world: World) -> None:
    response = client_for(world.personas.lead).get(
        reverse("establishment:teams"), {"on": ON.isoformat()}
    )
    assert response.status_code == 200
    figures = {
        s.team.name: (s.establishment, s.in_post, s.agency, s.vacancy)
        for s in response.context["summaries"]
    }
    assert figures == {
        "Assessment North": (Decimal("3.50"), Decimal("1.50"), Decimal("1.00"), Decimal("2.00")),
        "Children in Care South": (ONE, ONE, HALF, Decimal("0.00")),
    }
    assert response.context["together"].vacancy == Decimal("2.00")


def test_the_teams_list_takes_the_same_number_of_queries_however_many_teams(
    world: World,
) -> None:
    client = client_for(world.personas.lead)
    url = reverse("establishment:teams")
    client.get(url, {"on": ON.isoformat()})  # the session settles: sign-in checks, idle timer
    with CaptureQueriesContext(connection) as before:
        client.get(url, {"on": ON.isoformat()})
    for n in range(5):
        team = TeamFactory(authority=world.personas.own_team.authority, name=f"Extra {n}")
        make_post(world.personas, f"EX-{n}", team, world.social_worker, ONE)
    with CaptureQueriesContext(connection) as after:
        response = client.get(url, {"on": ON.isoformat()})
    assert len(response.context["summaries"]) == 7
    assert len(after) == len(before)


def test_the_teams_list_downloads(world: World) -> None:
    response = client_for(world.personas.board).get(
        reverse("establishment:teams"), {"on": ON.isoformat(), "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert "Manager" not in rows[0]
    assert rows[1] == [
        "Assessment North",
        "Child protection and children in need",
        "",
        "3.50",
        "1.50",
        "1.00",
        "2.00",
    ]


def test_a_team_manager_sees_only_their_team_in_the_list(world: World) -> None:
    response = client_for(world.personas.manager).get(reverse("establishment:teams"))
    assert [s.team.name for s in response.context["summaries"]] == ["Assessment North"]


def test_the_team_page_shows_its_table_posts_and_people(world: World) -> None:
    team = world.personas.own_team
    response = client_for(world.personas.manager).get(
        reverse("establishment:team", kwargs={"team_id": team.pk}), {"on": ON.isoformat()}
    )
    assert response.status_code == 200
    rows = {r["role"]: [c["text"] for c in r["cells"]] for r in response.context["rows"]}
    assert rows["Total"] == ["3.50", "1.50", "1.00", "2.00", "1.00"]
    assert f"team={team.pk}" in response.context["rows"][0]["cells"][0]["url"]
    body = text(response)
    assert "AN-4" in body
    assert "Annabel Quillfeather" in body and "Benedict Marlowe" in body


def test_the_team_page_shows_no_names_to_a_board_member(world: World) -> None:
    team = world.personas.own_team
    response = client_for(world.personas.board).get(
        reverse("establishment:team", kwargs={"team_id": team.pk}), {"on": ON.isoformat()}
    )
    assert response.status_code == 200
    assert not any(name in text(response) for name in ALL_NAMES)


def test_a_team_manager_cannot_open_another_team(world: World) -> None:
    other = world.personas.other_team
    response = client_for(world.personas.manager).get(
        reverse("establishment:team", kwargs={"team_id": other.pk})
    )
    assert response.status_code == 404


def test_a_team_of_another_authority_is_not_found(world: World) -> None:
    response = client_for(world.personas.outsider).get(
        reverse("establishment:team", kwargs={"team_id": world.personas.own_team.pk})
    )
    assert response.status_code == 404


# Posts ---------------------------------------------------------------------------------------


def test_the_post_page_shows_funding_and_every_engagement(world: World) -> None:
    post = world.posts["AN-3"]
    services.change_post_fte(post=post, fte=ONE, from_date=dt.date(2024, 7, 1))
    response = client_for(world.personas.lead).get(
        reverse("establishment:post", kwargs={"post_id": post.pk})
    )
    assert response.status_code == 200
    assert [f.fte for f in response.context["funding"]] == [HALF, ONE]
    body = text(response)
    assert "30 June 2024" in body  # the last day of the 0.50 funding
    assert "Catriona Ellsworth" in body
    assert "Change FTE" in body and "Close post" in body


def test_the_post_page_hides_names_and_actions_from_a_board_member(world: World) -> None:
    response = client_for(world.personas.board).get(
        reverse("establishment:post", kwargs={"post_id": world.posts["AN-1"].pk})
    )
    body = text(response)
    assert response.status_code == 200
    assert "Quillfeather" not in body and "Filled today (1.00 FTE)" in body
    assert "Change FTE" not in body
    # Not even an anonymous history: dates and reasons would identify a one-off post's holder.
    assert response.context["engagements"] == []
    assert "Still in post" not in body and "Why it ended" not in body


def test_a_team_manager_cannot_open_a_post_of_another_team(world: World) -> None:
    response = client_for(world.personas.manager).get(
        reverse("establishment:post", kwargs={"post_id": world.posts["CC-1"].pk})
    )
    assert response.status_code == 404


# People --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [("board", 403), ("analyst", 403), ("hr", 200)])
def test_the_people_list_needs_access_to_names(world: World, persona: str, status: int) -> None:
    response = client_for(getattr(world.personas, persona)).get(reverse("establishment:workers"))
    assert response.status_code == status


def names_in(response: Any) -> list[str]:
    return [w.last_name for w in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Ellsworth", "Marlowe", "Okonkwo", "Prothero", "Quillfeather"]),
        ({"q": "quill"}, ["Quillfeather"]),
        ({"q": "S004"}, ["Okonkwo"]),
        ({"q": "catriona ellsworth"}, ["Ellsworth"]),
        ({"status": "in_post"}, ["Ellsworth", "Okonkwo", "Quillfeather"]),
        ({"status": "agency"}, ["Marlowe", "Prothero"]),
        ({"status": "left"}, []),
    ],
)
def test_the_people_list_searches_and_filters(
    world: World, params: dict[str, str], expected: list[str]
) -> None:
    response = client_for(world.personas.hr).get(
        reverse("establishment:workers"), {"on": ON.isoformat(), **params}
    )
    assert response.status_code == 200
    assert names_in(response) == expected


def test_the_people_list_filters_by_team_and_finds_leavers(world: World) -> None:
    services.record_leaver(worker=world.workers["dan"], last_day=dt.date(2024, 6, 30), reason="1")
    client = client_for(world.personas.hr)
    url = reverse("establishment:workers")
    other = world.personas.other_team.pk
    assert names_in(client.get(url, {"on": ON.isoformat(), "team": other})) == ["Prothero"]
    left = client.get(url, {"on": ON.isoformat(), "status": "left", "team": other})
    assert names_in(left) == ["Okonkwo"]
    before = client.get(url, {"on": "2024-06-30", "status": "left"})
    assert names_in(before) == []


def test_a_team_manager_lists_only_people_of_their_team(world: World) -> None:
    response = client_for(world.personas.manager).get(reverse("establishment:workers"))
    assert names_in(response) == ["Ellsworth", "Marlowe", "Quillfeather"]


def test_the_people_list_answers_a_bad_date_with_a_message(world: World) -> None:
    response = client_for(world.personas.hr).get(
        reverse("establishment:workers"), {"on": "not a date"}
    )
    assert response.status_code == 200
    assert "on" in response.context["form"].errors


def test_the_people_list_is_paginated_and_keeps_the_search(world: World) -> None:
    authority = world.personas.own_team.authority
    for n in range(55):
        services.create_worker(
            authority=authority, staff_number=f"P{n:03d}", first_name="Page", last_name=f"T{n:03d}"
        )
    client = client_for(world.personas.hr)
    first = client.get(reverse("establishment:workers"), {"q": "page"})
    assert first.context["page"].paginator.count == 55
    assert len(first.context["page"].object_list) == 50
    assert "q=page&amp;page=2" in text(first)
    second = client.get(reverse("establishment:workers"), {"q": "page", "page": "2"})
    assert names_in(second) == ["T050", "T051", "T052", "T053", "T054"]
    beyond = client.get(reverse("establishment:workers"), {"q": "page", "page": "abc"})
    assert beyond.status_code == 200


def test_a_search_that_is_too_long_is_answered_with_a_message(world: World) -> None:
    response = client_for(world.personas.hr).get(reverse("establishment:workers"), {"q": "x" * 101})
    assert response.status_code == 200
    assert response.context["form"].errors["q"] == [
        "Name or staff number must be 100 characters or fewer."
    ]


def people_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_people_list_downloads_everyone_found_as_csv(world: World) -> None:
    response = client_for(world.personas.hr).get(
        reverse("establishment:workers"), {"on": ON.isoformat(), "format": "csv"}
    )
    assert "people-2025-01-01.csv" in response["Content-Disposition"]
    assert people_rows(response) == [
        ["Name", "Staff number", "Post", "Team", "Kind", "FTE"],
        ["Catriona Ellsworth", "S003", "AN-3", "Assessment North", "Permanent", "0.50"],
        ["Benedict Marlowe", "S002", "AN-2", "Assessment North", "Agency", "1.00"],
        ["Daniel Okonkwo", "S004", "CC-1", "Children in Care South", "Permanent", "1.00"],
        ["Evangeline Prothero", "S005", "CC-1", "Children in Care South", "Agency", "0.50"],
        ["Annabel Quillfeather", "S001", "AN-1", "Assessment North", "Permanent", "1.00"],
    ]


def test_the_people_download_keeps_the_search_and_shows_leavers_not_in_post(
    world: World,
) -> None:
    services.record_leaver(worker=world.workers["dan"], last_day=dt.date(2024, 6, 30), reason="1")
    client = client_for(world.personas.hr)
    url = reverse("establishment:workers")
    left = client.get(url, {"on": ON.isoformat(), "status": "left", "format": "csv"})
    assert people_rows(left)[1:] == [["Daniel Okonkwo", "S004", "Not in post", "", "", ""]]
    found = client.get(url, {"on": ON.isoformat(), "q": "quill", "format": "csv"})
    assert [row[0] for row in people_rows(found)[1:]] == ["Annabel Quillfeather"]
    agency = client.get(url, {"on": ON.isoformat(), "status": "agency", "format": "csv"})
    assert [row[0] for row in people_rows(agency)[1:]] == [
        "Benedict Marlowe",
        "Evangeline Prothero",
    ]


def test_a_person_in_two_posts_is_one_row_with_both_and_their_total_fte(world: World) -> None:
    services.appoint_worker(
        worker=world.workers["cat"], post=world.posts["AN-4"], start=START, fte=HALF
    )
    response = client_for(world.personas.lead).get(
        reverse("establishment:workers"), {"on": ON.isoformat(), "q": "S003", "format": "csv"}
    )
    assert people_rows(response)[1:] == [
        [
            "Catriona Ellsworth",
            "S003",
            "AN-3; AN-4",
            "Assessment North; Assessment North",
            "Permanent; Permanent",
            "1.00",
        ]
    ]


def test_the_people_download_covers_every_page_not_only_the_first(world: World) -> None:
    authority = world.personas.own_team.authority
    for n in range(55):
        services.create_worker(
            authority=authority, staff_number=f"P{n:03d}", first_name="Page", last_name=f"T{n:03d}"
        )
    response = client_for(world.personas.hr).get(
        reverse("establishment:workers"), {"q": "page", "page": "2", "format": "csv"}
    )
    assert len(people_rows(response)) == 56


def test_a_team_manager_downloads_only_people_of_their_team_as_xlsx(world: World) -> None:
    response = client_for(world.personas.manager).get(
        reverse("establishment:workers"), {"on": ON.isoformat(), "format": "xlsx"}
    )
    assert response.status_code == 200
    assert "people-2025-01-01.xlsx" in response["Content-Disposition"]
    values = xlsx_rows(response)
    assert values[0] == ["Name", "Staff number", "Post", "Team", "Kind", "FTE"]
    assert [row[0] for row in values[1:]] == [
        "Catriona Ellsworth",
        "Benedict Marlowe",
        "Annabel Quillfeather",
    ]
    assert values[1][5] == 0.5


@pytest.mark.parametrize("persona", ["board", "analyst"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_board_members_and_analysts_cannot_download_the_people_list(
    world: World, persona: str, fmt: str
) -> None:
    response = client_for(getattr(world.personas, persona)).get(
        reverse("establishment:workers"), {"format": fmt}
    )
    assert response.status_code == 403
    assert not any(name in text(response) for name in ALL_NAMES)


def test_the_people_list_offers_downloads_with_its_search(world: World) -> None:
    response = client_for(world.personas.hr).get(
        reverse("establishment:workers"), {"on": ON.isoformat(), "q": "quill", "page": "1"}
    )
    html = text(response)
    assert "?on=2025-01-01&amp;q=quill&amp;format=csv" in html
    assert "?on=2025-01-01&amp;q=quill&amp;format=xlsx" in html
    assert "page=1&amp;format" not in html


def test_an_unknown_download_format_shows_the_people_list(world: World) -> None:
    response = client_for(world.personas.hr).get(
        reverse("establishment:workers"), {"on": ON.isoformat(), "format": "pdf"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert names_in(response)[0] == "Ellsworth"


def test_the_worker_page_shows_history_leaving_and_absences(world: World) -> None:
    worker = world.workers["cat"]
    services.record_absence(
        worker=worker,
        start=dt.date(2024, 3, 4),
        end=dt.date(2024, 3, 9),
        reason="SIC",
        working_days_lost=Decimal("5"),
    )
    services.record_leaver(
        worker=worker, last_day=dt.date(2024, 12, 31), reason="1", destination="3"
    )
    response = client_for(world.personas.hr).get(
        reverse("establishment:worker", kwargs={"worker_id": worker.pk})
    )
    assert response.status_code == 200
    body = text(response)
    assert "Catriona Ellsworth" in body
    assert "Sick leave" in body and "8 March 2024" in body
    assert "Resignation" in body and "Agency or consultancy in social work" in body
    assert "31 December 2024" in body and "Left the authority" in body


def test_a_team_manager_opens_only_workers_of_their_team(world: World) -> None:
    client = client_for(world.personas.manager)
    own = client.get(reverse("establishment:worker", kwargs={"worker_id": world.workers["ann"].pk}))
    other = client.get(
        reverse("establishment:worker", kwargs={"worker_id": world.workers["dan"].pk})
    )
    assert own.status_code == 200 and other.status_code == 404
    assert "Record an absence" in text(own) and "Record a leaver" not in text(own)


def test_a_worker_of_another_authority_is_not_found(world: World) -> None:
    response = client_for(world.personas.outsider).get(
        reverse("establishment:worker", kwargs={"worker_id": world.workers["ann"].pk})
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "establishment:post_create",
        "establishment:worker_create",
    ],
)
@pytest.mark.parametrize("persona", ["manager", "board", "analyst"])
def test_forms_refuse_roles_that_may_not_use_them(world: World, name: str, persona: str) -> None:
    client = client_for(getattr(world.personas, persona))
    assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse(name), {}).status_code == 403
