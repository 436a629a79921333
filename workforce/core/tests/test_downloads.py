"""The audit trail and the users list as CSV and XLSX downloads: administrators only, same filters
and the same authority as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from workforce.conftest import Personas
from workforce.core.models import Authority, User
from workforce.core.tests.downloads import csv_rows, xlsx_rows
from workforce.establishment import services
from workforce.establishment.models import Worker

pytestmark = pytest.mark.django_db

UTC = dt.UTC
AUDIT_HEADER = ["When", "Who", "Action", "Record", "Changes (before → after)"]


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _stamp(worker: Worker, when: dt.datetime, action: int) -> None:
    LogEntry.objects.get_for_object(worker).filter(action=action).update(timestamp=when)


@pytest.fixture
def trail(personas: Personas, other_authority: Authority) -> dict[str, Worker]:
    """Three changes in Exampleshire and one elsewhere, at fixed times (in UTC):

    1 March 2025 09:30  Leila adds Rosalind Fairweather       (09:30 in London, GMT)
    2 March 2025 10:00  Leila renames her Rosa                (10:00 in London)
    1 April 2025 12:00  Harriet adds Hugo Hartley             (13:00 in London, BST)
    5 April 2025 08:00  Otto (another authority) adds Ottilie Farthing
    """
    authority = personas.own_team.authority
    LogEntry.objects.all().delete()  # the personas' teams: not part of this trail
    with set_actor(personas.lead):
        rosa = services.create_worker(
            authority=authority, staff_number="A001", first_name="Rosalind", last_name="Fairweather"
        )
        _stamp(rosa, dt.datetime(2025, 3, 1, 9, 30, tzinfo=UTC), LogEntry.Action.CREATE)
        rosa.first_name = "Rosa"
        rosa.save()
        _stamp(rosa, dt.datetime(2025, 3, 2, 10, 0, tzinfo=UTC), LogEntry.Action.UPDATE)
    with set_actor(personas.hr):
        hugo = services.create_worker(
            authority=authority, staff_number="A002", first_name="Hugo", last_name="Hartley"
        )
        _stamp(hugo, dt.datetime(2025, 4, 1, 12, 0, tzinfo=UTC), LogEntry.Action.CREATE)
    with set_actor(personas.outsider):
        far = services.create_worker(
            authority=other_authority,
            staff_number="B001",
            first_name="Ottilie",
            last_name="Farthing",
        )
        _stamp(far, dt.datetime(2025, 4, 5, 8, 0, tzinfo=UTC), LogEntry.Action.CREATE)
    return {"rosa": rosa, "hugo": hugo, "far": far}


# The audit trail ------------------------------------------------------------------------------


def test_the_audit_trail_downloads_as_csv_newest_first_in_local_time(
    personas: Personas, trail: dict[str, Worker]
) -> None:
    response = client_for(personas.admin).get(reverse("audit"), {"format": "csv"})
    rows = csv_rows(response)
    assert "audit-trail-" in response["Content-Disposition"]
    assert rows[0] == AUDIT_HEADER
    # The newest entry is the administrator's own sign-in, to download it.
    assert rows[1][1:4] == ["Ada Persona", "Signed in", "User: Ada Persona"]
    assert [row[:4] for row in rows[2:]] == [
        ["2025-04-01T13:00:00", "Harriet Persona", "create", "Worker: Hugo Hartley"],
        ["2025-03-02T10:00:00", "Leila Persona", "update", "Worker: Rosa Fairweather"],
        ["2025-03-01T09:30:00", "Leila Persona", "create", "Worker: Rosalind Fairweather"],
    ]
    assert "first_name: Rosalind → Rosa" in rows[3][4]
    assert "last_name: None → Hartley" in rows[2][4]
    assert "Farthing" not in response.content.decode()
    assert "Ottilie" not in response.content.decode()


@pytest.mark.parametrize(
    ("filters", "records"),
    [
        ({"actor": "harriet"}, ["Worker: Hugo Hartley"]),
        (
            {"actor": "leila", "model": "Worker"},
            ["Worker: Rosa Fairweather", "Worker: Rosalind Fairweather"],
        ),
        ({"model": "post"}, []),
        ({"actor": "otto"}, []),
    ],
)
def test_the_audit_download_keeps_the_pages_filters(
    personas: Personas, trail: dict[str, Worker], filters: dict[str, str], records: list[str]
) -> None:
    response = client_for(personas.admin).get(reverse("audit"), {**filters, "format": "csv"})
    rows = csv_rows(response)
    assert rows[0] == AUDIT_HEADER
    assert [row[3] for row in rows[1:]] == records


def test_the_audit_trail_downloads_as_xlsx_with_real_dates(
    personas: Personas, trail: dict[str, Worker]
) -> None:
    response = client_for(personas.admin).get(reverse("audit"), {"format": "xlsx"})
    rows = xlsx_rows(response)
    assert rows[0] == AUDIT_HEADER
    assert rows[1][1:4] == ["Ada Persona", "Signed in", "User: Ada Persona"]
    assert rows[2][0] == dt.datetime(2025, 4, 1, 13, 0)
    assert rows[2][1:4] == ["Harriet Persona", "create", "Worker: Hugo Hartley"]
    assert len(rows) == 5


@pytest.mark.parametrize("persona", ["lead", "hr", "manager", "board", "analyst", "outsider"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_only_administrators_download_the_audit_trail(
    personas: Personas, trail: dict[str, Worker], persona: str, fmt: str
) -> None:
    response = client_for(getattr(personas, persona)).get(reverse("audit"), {"format": fmt})
    assert response.status_code == 403
    assert "Fairweather" not in response.content.decode()


def test_the_audit_page_offers_downloads_with_its_filters(
    personas: Personas, trail: dict[str, Worker]
) -> None:
    response = client_for(personas.admin).get(
        reverse("audit"), {"model": "worker", "actor": "leila", "page": "1"}
    )
    html = response.content.decode()
    assert "?model=worker&amp;actor=leila&amp;format=csv" in html
    assert "?model=worker&amp;actor=leila&amp;format=xlsx" in html


def test_an_unknown_format_shows_the_audit_page(
    personas: Personas, trail: dict[str, Worker]
) -> None:
    response = client_for(personas.admin).get(reverse("audit"), {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Audit trail" in response.content.decode()


# The users list -------------------------------------------------------------------------------

USERS_HEADER = ["Name", "Username", "Role", "Teams managed", "Status"]


def test_the_users_list_downloads_as_csv_for_this_authority_only(personas: Personas) -> None:
    personas.analyst.is_active = False
    personas.analyst.save()
    personas.manager.managed_teams.add(personas.other_team)
    response = client_for(personas.admin).get(reverse("users"), {"format": "csv"})
    assert "users-" in response["Content-Disposition"]
    assert csv_rows(response) == [
        USERS_HEADER,
        ["Ada Persona", "ada", "System administrator", "", "Active"],
        ["Ana Persona", "ana", "Regional analyst", "", "Cannot sign in"],
        ["Bola Persona", "bola", "Board member", "", "Active"],
        ["Harriet Persona", "harriet", "HR officer", "", "Active"],
        ["Leila Persona", "leila", "Workforce lead", "", "Active"],
        [
            "Tariq Persona",
            "tariq",
            "Team manager",
            "Assessment North, Children in Care South",
            "Active",
        ],
    ]


def test_the_users_list_downloads_as_xlsx(personas: Personas) -> None:
    rows = xlsx_rows(client_for(personas.admin).get(reverse("users"), {"format": "xlsx"}))
    assert rows[0] == USERS_HEADER
    assert [row[1] for row in rows[1:]] == ["ada", "ana", "bola", "harriet", "leila", "tariq"]


@pytest.mark.parametrize("persona", ["lead", "hr", "manager", "board", "analyst", "outsider"])
def test_only_administrators_download_the_users_list(personas: Personas, persona: str) -> None:
    response = client_for(getattr(personas, persona)).get(reverse("users"), {"format": "csv"})
    assert response.status_code == 403


def test_the_users_page_offers_downloads_and_ignores_an_unknown_format(
    personas: Personas,
) -> None:
    client = client_for(personas.admin)
    html = client.get(reverse("users")).content.decode()
    assert 'href="?format=csv"' in html and 'href="?format=xlsx"' in html
    response = client.get(reverse("users"), {"format": "docx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
