"""A person's data: the subject access export, and the retention policy for old leavers."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from workforce.conftest import Personas
from workforce.core.access import scope_for
from workforce.core.models import Authority, PersonalDataAccess
from workforce.establishment import privacy, services
from workforce.establishment.models import Leaving, Worker
from workforce.establishment.tests.factories import PostFactory, RoleFactory
from workforce.metrics import selectors as metrics

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

TODAY = dt.date(2026, 12, 3)  # six years before: 3 December 2020


def _people(authority: Authority, personas: Personas) -> tuple[Worker, Worker]:
    role = RoleFactory(authority=authority)
    team = personas.own_team
    gone = services.create_worker(
        authority=authority,
        staff_number="S100",
        first_name="Ottoline",
        last_name="Quillfeather",
        swe_number="SW12345",
        date_of_birth=dt.date(1980, 5, 6),
        gender="2",
        qual_institution="University of Example",
    )
    stays = services.create_worker(
        authority=authority, staff_number="S200", first_name="Bartholomew", last_name="Stays"
    )
    for worker, reference in ((gone, "P1"), (stays, "P2")):
        post = PostFactory(
            authority=authority,
            team=team,
            role=role,
            reference=reference,
            start=dt.date(2015, 1, 1),
        )
        services.appoint_worker(
            worker=worker, post=post, start=dt.date(2015, 4, 1), fte=Decimal("1")
        )
    services.record_leaver(
        worker=gone,
        last_day=dt.date(2020, 11, 30),
        reason="1",
        exit_notes="Ottoline said her manager Quillfeather-Smith never supervised her.",
    )
    return gone, stays


def _figures(personas: Personas) -> dict:
    where = metrics.filter_for_scope(scope_for(personas.lead))
    return metrics.monthly_series(where=where, last=dt.date(2021, 3, 31), months=72).values


def test_the_retention_policy_removes_identifying_details_and_keeps_every_figure(
    authority: Authority, personas: Personas
) -> None:
    gone, stays = _people(authority, personas)
    Client().force_login(personas.admin)
    figures = _figures(personas)

    due = privacy.pseudonymise(authority, today=TODAY)

    assert [(d.worker_id, d.last_day) for d in due] == [(gone.pk, dt.date(2020, 11, 30))]
    gone.refresh_from_db()
    assert (gone.first_name, gone.last_name, gone.staff_number) == (
        "Former",
        f"worker {gone.pk}",
        f"P{gone.pk}",
    )
    assert (gone.swe_number, gone.date_of_birth, gone.qual_institution) == ("", None, "")
    assert gone.gender == "2" and gone.pseudonymised_on == TODAY  # codes the figures count stay
    assert Leaving.objects.get(worker=gone).exit_notes == ""
    trail = json.dumps(
        list(LogEntry.objects.values_list("object_repr", "changes", "serialized_data"))
    )
    assert "Quillfeather" not in trail and "Ottoline" not in trail and "SW12345" not in trail
    assert "Bartholomew" in trail  # someone still employed keeps their history
    assert _figures(personas) == figures
    stays.refresh_from_db()
    assert stays.first_name == "Bartholomew"


def test_the_retention_policy_waits_the_whole_period_and_runs_once(
    authority: Authority, personas: Personas
) -> None:
    _people(authority, personas)

    assert privacy.pseudonymise(authority, today=dt.date(2026, 11, 30)) == []
    assert len(privacy.pseudonymise(authority, today=TODAY)) == 1
    assert privacy.pseudonymise(authority, today=TODAY) == []


def test_a_dry_run_lists_who_is_due_and_changes_nothing(
    authority: Authority, personas: Personas
) -> None:
    gone, _ = _people(authority, personas)
    out = StringIO()

    call_command(
        "apply_retention_policy",
        authority=authority.code,
        dry_run=True,
        today="2026-12-03",
        stdout=out,
    )

    assert (
        "1 person who left more than 6 years before 3 December 2026 would be pseudonymised"
        in out.getvalue()
    )
    assert Worker.objects.get(pk=gone.pk).last_name == "Quillfeather"


def test_the_command_names_what_it_could_not_read(authority: Authority) -> None:
    with pytest.raises(CommandError, match="--authority"):
        call_command("apply_retention_policy", authority="000", stdout=StringIO())
    with pytest.raises(CommandError, match="--today"):
        call_command(
            "apply_retention_policy", authority=authority.code, today="3/12/2026", stdout=StringIO()
        )


def test_the_subject_access_export_holds_every_record_about_the_person_and_is_recorded(
    authority: Authority, personas: Personas
) -> None:
    gone, _ = _people(authority, personas)
    client = Client()
    client.force_login(personas.admin)
    client.get(reverse("establishment:worker", kwargs={"worker_id": gone.pk}))

    response = client.get(reverse("establishment:subject_access", kwargs={"worker_id": gone.pk}))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="subject-access-S100.xlsx"'
    book = load_workbook(BytesIO(response.content))
    assert {"Person", "Engagements", "Leavings", "Changes recorded", "Who read this record"} <= set(
        book.sheetnames
    )
    person = list(book["Person"].values)
    assert "Quillfeather" in person[1] and "SW12345" in person[1]
    assert any("never supervised" in str(c) for row in book["Leavings"].values for c in row)
    reads = list(book["Who read this record"].values)
    assert [r[2] for r in reads[1:]] == ["Downloaded", "Viewed"]  # this export, the page before
    downloaded = PersonalDataAccess.objects.filter(record_id=gone.pk, action="downloaded").get()
    assert downloaded.description == "Subject access export: Ottoline Quillfeather"


@pytest.mark.parametrize("who", ["lead", "hr", "manager", "board", "analyst"])
def test_only_an_administrator_may_download_a_subject_access_export(
    authority: Authority, personas: Personas, who: str
) -> None:
    gone, _ = _people(authority, personas)
    client = Client()
    client.force_login(getattr(personas, who))

    response = client.get(reverse("establishment:subject_access", kwargs={"worker_id": gone.pk}))

    assert response.status_code == 403


def test_the_retention_policy_runs_on_29_february(authority: Authority, personas: Personas) -> None:
    _people(authority, personas)

    assert [d.last_day for d in privacy.pseudonymise(authority, today=dt.date(2028, 2, 29))] == [
        dt.date(2020, 11, 30)
    ]
