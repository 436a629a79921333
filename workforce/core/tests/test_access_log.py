"""Reads of personal records: every opening of a person's page and every download of a list of
people is noted, and administrators (only) see their own authority's reads."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from workforce.core.models import AccessAction, PersonalDataAccess, User
from workforce.core.tests.downloads import csv_rows
from workforce.establishment.tests.world import (
    ON,
    World,
    world_fixture,  # noqa: F401  (the `world` fixture)
)
from workforce.recruitment.tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

READS = reverse("access_log")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def worker_url(world: World, name: str) -> str:
    return reverse("establishment:worker", kwargs={"worker_id": world.workers[name].pk})


def test_opening_a_persons_record_is_noted(world: World) -> None:
    lead = world.personas.lead
    ann = world.workers["ann"]
    assert client_for(lead).get(worker_url(world, "ann")).status_code == 200
    read = PersonalDataAccess.objects.get()
    assert (read.user, read.action, read.record_type, read.record_id) == (
        lead,
        AccessAction.VIEWED,
        "establishment.worker",
        ann.pk,
    )
    assert read.authority == ann.authority
    assert ann.full_name in read.description
    assert read.path == worker_url(world, "ann")


def test_a_record_out_of_reach_is_not_noted_as_read(world: World) -> None:
    # Dan works in the other team: the team manager gets "not found", and nothing is noted.
    response = client_for(world.personas.manager).get(worker_url(world, "dan"))
    assert response.status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_downloads_of_people_and_of_a_workers_cases_are_noted(world: World) -> None:
    client = client_for(world.personas.hr)
    people = client.get(reverse("establishment:workers"), {"on": ON.isoformat(), "format": "csv"})
    assert people.status_code == 200
    workload = reverse("caseloads:worker", kwargs={"worker_id": world.workers["ann"].pk})
    assert client.get(workload, {"format": "csv"}).status_code == 200
    reads = list(PersonalDataAccess.objects.order_by("id"))
    assert [r.action for r in reads] == [AccessAction.DOWNLOADED, AccessAction.DOWNLOADED]
    assert reads[0].description.startswith("People list at 1 January 2025 (")
    assert reads[0].record_id is None
    assert reads[1].record_id == world.workers["ann"].pk


def test_a_candidates_record_is_noted(world: World) -> None:
    candidate = CandidateFactory(authority=world.personas.hr.authority)
    url = reverse("recruitment:candidate", kwargs={"candidate_id": candidate.pk})
    assert client_for(world.personas.hr).get(url).status_code == 200
    read = PersonalDataAccess.objects.get()
    assert (read.record_type, read.record_id) == ("recruitment.candidate", candidate.pk)


def test_administrators_see_their_authoritys_reads_and_can_narrow_them(
    world: World, other_authority
) -> None:
    client_for(world.personas.lead).get(worker_url(world, "ann"))
    client_for(world.personas.hr).get(worker_url(world, "ben"))
    outsider = world.personas.outsider
    PersonalDataAccess.objects.create(
        authority=outsider.authority,
        user=outsider,
        action=AccessAction.VIEWED,
        description="Worker: someone elsewhere",
        path="/elsewhere/",
    )
    admin = client_for(world.personas.admin)
    page = admin.get(READS)
    assert page.status_code == 200
    shown = [entry.description for entry in page.context["page"].object_list]
    assert len(shown) == 2 and "someone elsewhere" not in page.content.decode()
    only_hr = admin.get(READS, {"user": world.personas.hr.username})
    assert [e.user for e in only_hr.context["page"].object_list] == [world.personas.hr]
    ann = world.workers["ann"]
    about_ann = admin.get(READS, {"record_type": "establishment.worker", "record_id": ann.pk})
    assert [e.record_id for e in about_ann.context["page"].object_list] == [ann.pk]
    rows = csv_rows(admin.get(READS, {"format": "csv"}))
    assert rows[0] == ["When", "Who", "Username", "Action", "Record", "Address"]
    assert len(rows) == 3


def test_a_bad_filter_is_explained_not_an_error(world: World) -> None:
    response = client_for(world.personas.admin).get(READS, {"record_id": "ann"})
    assert response.status_code == 200
    assert response.context["page"] is None
    body = response.content.decode()
    assert "Record number must be a whole number" in body
    response = client_for(world.personas.admin).get(READS, {"record_type": "payroll"})
    assert "Choose the kind of record from the list." in response.content.decode()


@pytest.mark.parametrize("persona", ["lead", "hr", "manager", "board", "analyst"])
def test_only_administrators_see_the_reads(world: World, persona: str) -> None:
    user = getattr(world.personas, persona)
    assert client_for(user).get(READS).status_code == 403


def test_a_persons_page_links_administrators_to_its_reads(world: World) -> None:
    link = "Who has read this record"
    assert link in client_for(world.personas.admin).get(worker_url(world, "ann")).content.decode()
    assert link not in client_for(world.personas.hr).get(worker_url(world, "ann")).content.decode()


@pytest.mark.parametrize("url,field", [(READS, "user"), (reverse("audit"), "actor")])
def test_a_filter_with_a_null_character_is_explained(world: World, url: str, field: str) -> None:
    response = client_for(world.personas.admin).get(url, {field: "ada\x00"})
    assert response.status_code == 200
    assert response.context["page"] is None
    assert "must not contain null characters" in response.content.decode()
