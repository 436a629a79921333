"""Pages that create and change teams, roles, authorities and engagements (see world.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from workforce.core.models import Authority
from workforce.establishment.models import (
    Engagement,
    EngagementEnd,
    EngagementKind,
    OrgRole,
    ServiceArea,
    Team,
)
from workforce.establishment.tests.world import (
    START,
    World,
    client_for,
    text,
    world_fixture,  # noqa: F401  (the `world` fixture)
)

FROM = "2025-04-01"


def errors(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 200, response.status_code
    assert "govuk-error-summary" in text(response)
    return response.context["form"].errors


def engagement_url(name: str, world: World, who: str) -> str:
    return reverse(f"establishment:{name}", kwargs={"engagement_id": world.engagements[who].pk})


# Every form opens for those who may use it and is refused to others ------------------------------


def _urls(world: World) -> dict[str, str]:
    team = world.personas.own_team
    return {
        "team_create": reverse("establishment:team_create"),
        "team_edit": reverse("establishment:team_edit", kwargs={"team_id": team.pk}),
        "roles": reverse("establishment:roles"),
        "role_create": reverse("establishment:role_create"),
        "role_edit": reverse("establishment:role_edit", kwargs={"role_id": world.social_worker.pk}),
        "change_hours": engagement_url("change_hours", world, "ann"),
        "convert": engagement_url("convert", world, "ben"),
        "end_engagement": engagement_url("end_engagement", world, "cat"),
        "engagement_ended": engagement_url("engagement_ended", world, "cat"),
    }


POSTS = {"team_create", "team_edit", "roles", "role_create", "role_edit"}


@pytest.mark.parametrize(
    "name",
    [
        "team_create",
        "team_edit",
        "roles",
        "role_create",
        "role_edit",
        "change_hours",
        "convert",
        "end_engagement",
        "engagement_ended",
    ],
)
def test_each_page_opens_for_the_lead_and_is_refused_to_other_roles(
    world: World, name: str
) -> None:
    url = _urls(world)[name]
    assert client_for(world.personas.lead).get(url).status_code == 200
    assert client_for(world.personas.admin).get(url).status_code == 200
    refused = ["manager", "board", "analyst"] + (["hr"] if name in POSTS else [])
    for persona in refused:
        client = client_for(getattr(world.personas, persona))
        assert client.get(url).status_code == 403, persona
        assert client.post(url, {}).status_code == 403, persona
    if name not in POSTS:
        assert client_for(world.personas.hr).get(url).status_code == 200


def test_records_of_another_authority_are_not_found(world: World, other_authority: Any) -> None:
    from workforce.conftest import build_personas  # noqa: F401
    from workforce.core.tests.factories import UserFactory

    outsider = UserFactory(username="olga", role="workforce_lead", authority=other_authority)
    client = client_for(outsider)
    for name, url in _urls(world).items():
        if name in ("team_create", "roles", "role_create"):
            continue
        assert client.get(url).status_code == 404, name
        assert client.post(url, {}).status_code == 404, name


# Teams and roles -------------------------------------------------------------------------------


def test_a_team_is_created_and_changed(world: World) -> None:
    client = client_for(world.personas.lead)
    response = client.post(
        reverse("establishment:team_create"),
        {"name": "Front Door", "service_area": ServiceArea.FRONT_DOOR, "locality": "East"},
    )
    team = Team.objects.get(name="Front Door")
    assert response["Location"] == reverse("establishment:team", kwargs={"team_id": team.pk})
    response = client.post(
        reverse("establishment:team_edit", kwargs={"team_id": team.pk}),
        {"name": "MASH", "service_area": ServiceArea.FRONT_DOOR, "locality": "East"},
    )
    team.refresh_from_db()
    assert (team.name, team.is_active) == ("MASH", False)  # the box was left unticked
    assert LogEntry.objects.get_for_object(team).count() == 2


def test_team_mistakes_are_named(world: World) -> None:
    client = client_for(world.personas.lead)
    url = reverse("establishment:team_create")
    assert errors(client.post(url, {"name": "", "service_area": "zz"})) == {
        "name": ["Enter the team name."],
        "service_area": ["Choose the service area from the list."],
    }
    taken = {"name": "assessment north", "service_area": ServiceArea.ASSESSMENT}
    assert "already" in errors(client.post(url, taken))["name"][0]


def test_a_role_is_created_and_its_orgrole_kept_once_it_has_posts(world: World) -> None:
    client = client_for(world.personas.lead)
    response = client.post(
        reverse("establishment:role_create"),
        {
            "title": "Senior practitioner",
            "org_role": OrgRole.SENIOR_PRACTITIONER,
            "capacity_points": "90",
            "order": "3",
        },
    )
    assert response["Location"] == reverse("establishment:roles")
    assert "Senior practitioner" in text(client.get(reverse("establishment:roles")))
    edit = reverse("establishment:role_edit", kwargs={"role_id": world.social_worker.pk})
    changed = {
        "title": "Social worker",
        "org_role": OrgRole.SENIOR_PRACTITIONER,
        "case_holding": "on",
        "capacity_points": "100",
        "order": "1",
    }
    assert "past figures" in errors(client.post(edit, changed))["org_role"][0]
    assert errors(client.post(edit, {**changed, "capacity_points": "lots"}))["capacity_points"] == [
        "Workload capacity must be a whole number, for example 100."
    ]


# Hours, conversion and ending --------------------------------------------------------------------


def test_hours_change_from_a_date(world: World) -> None:
    client = client_for(world.personas.hr)
    url = engagement_url("change_hours", world, "ann")
    assert client.post(url, {"fte": "0.6", "from_date": FROM}).status_code == 302
    ann = world.workers["ann"]
    assert [(e.fte, e.end_reason) for e in Engagement.objects.filter(worker=ann)] == [
        (Decimal("1.00"), EngagementEnd.HOURS_CHANGED),
        (Decimal("0.60"), ""),
    ]


def test_hours_mistakes_are_named(world: World) -> None:
    client = client_for(world.personas.hr)
    url = engagement_url("change_hours", world, "ann")
    assert errors(client.post(url, {"fte": "1.5", "from_date": FROM}))["fte"]
    assert errors(client.post(url, {"fte": "0.5", "from_date": ""}))["from_date"] == [
        "Enter the date the new hours start."
    ]
    first_day = {"fte": "0.5", "from_date": START.isoformat()}
    assert "after its first day" in errors(client.post(url, first_day))["from_date"][0]


def test_an_agency_worker_is_made_permanent(world: World) -> None:
    client = client_for(world.personas.lead)
    url = engagement_url("convert", world, "ben")
    assert "a starter" in text(client.get(url))
    assert client.post(url, {"from_date": FROM, "start_origin": "4"}).status_code == 302
    kinds = [
        (e.kind, e.end_reason)
        for e in Engagement.objects.filter(worker=world.workers["ben"]).order_by("start")
    ]
    assert kinds == [
        (EngagementKind.AGENCY, EngagementEnd.CONVERTED),
        (EngagementKind.PERMANENT, ""),
    ]


def test_converting_someone_who_is_not_agency_is_refused_on_the_form(world: World) -> None:
    client = client_for(world.personas.lead)
    url = engagement_url("convert", world, "ann")
    assert "not an agency assignment" in text(client.get(url))
    assert "Only an agency" in errors(client.post(url, {"from_date": FROM}))["from_date"][0]


def test_ending_a_last_post_asks_for_a_leaving(world: World) -> None:
    client = client_for(world.personas.hr)
    url = engagement_url("end_engagement", world, "cat")
    kept_nothing = {"last_day": "2025-03-31", "reason": "post_given_up"}
    assert "no other post" in errors(client.post(url, kept_nothing))["reason"][0]
    response = client.post(url, {"last_day": "2025-03-31", "reason": "post_closed"})
    ended_url = engagement_url("engagement_ended", world, "cat")
    assert response["Location"] == ended_url
    page = text(client.get(ended_url))
    assert "Engagement ended" in page
    assert "record a leaver" in page
    leaver = reverse("establishment:leaver", kwargs={"worker_id": world.workers["cat"].pk})
    assert f'href="{leaver}"' in page


def test_ending_an_agency_assignment_needs_no_leaving(world: World) -> None:
    client = client_for(world.personas.hr)
    url = engagement_url("end_engagement", world, "ben")
    client.post(url, {"last_day": "2025-03-31", "reason": "assignment_ended"})
    page = text(client.get(engagement_url("engagement_ended", world, "ben")))
    assert "Engagement ended" in page
    assert "record a leaver" not in page


def test_ending_mistakes_are_named(world: World) -> None:
    client = client_for(world.personas.hr)
    url = engagement_url("end_engagement", world, "ann")
    assert errors(client.post(url, {"last_day": "2025-03-31"}))["reason"] == [
        "Choose why the engagement ends."
    ]
    agency_only = {"last_day": "2025-03-31", "reason": "assignment_ended"}
    assert "agency" in errors(client.post(url, agency_only))["reason"][0]
    too_early = {"last_day": "2020-01-01", "reason": "post_closed"}
    assert errors(client.post(url, too_early))["last_day"]
    assert Engagement.objects.get(pk=world.engagements["ann"].pk).end is None


# Authorities -------------------------------------------------------------------------------------


def test_an_administrator_adds_and_corrects_an_authority(world: World) -> None:
    client = client_for(world.personas.admin)
    assert client.get(reverse("authorities")).status_code == 200
    response = client.post(
        reverse("authority_create"), {"code": "990", "name": "Newshire", "region": "South West"}
    )
    assert response["Location"] == reverse("authorities")
    created = Authority.objects.get(code="990")
    edit = reverse("authority_edit", kwargs={"authority_id": created.pk})
    data = {"code": "990", "name": "New Shire", "region": "South West", "ons_code": "x"}
    assert "ONS code" in errors(client.post(edit, data))["ons_code"][0]
    client.post(edit, {**data, "ons_code": "E06000099"})
    created.refresh_from_db()
    assert (created.name, created.ons_code) == ("New Shire", "E06000099")
    assert LogEntry.objects.get_for_object(created).count() == 2


def test_authority_mistakes_are_named(world: World) -> None:
    client = client_for(world.personas.admin)
    response = client.post(reverse("authority_create"), {"code": "12", "name": "", "region": "X"})
    form_errors = response.context["form"].errors
    assert form_errors["code"] == ["The DfE LA code is three digits, for example 333."]
    assert form_errors["name"] == ["Enter the authority's name."]


def test_only_administrators_manage_authorities(world: World, other_authority: Any) -> None:
    for persona in ("lead", "hr", "manager", "board", "analyst"):
        client = client_for(getattr(world.personas, persona))
        assert client.get(reverse("authorities")).status_code == 403
        assert client.post(reverse("authority_create"), {}).status_code == 403
    elsewhere = reverse("authority_edit", kwargs={"authority_id": other_authority.pk})
    assert client_for(world.personas.admin).get(elsewhere).status_code == 404
