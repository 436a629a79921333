"""No one drops out silently: people whose employment ended with no leaving recorded.

Hand-computed: Pat, a social worker on a fixed-term contract 1 April 2024 – 31 March 2025 (its
engagement ends 1 April 2025) with nothing after it and no leaving recorded.
- At 31 March 2025 Pat is in post; from 1 April 2025 not in post, and not a leaver: the year to
  30 September 2025 counts no leaver, so turnover misses Pat.
- On 1 May 2025 the list shows Pat, last day 31 March 2025, 31 days since.
- Once HR records the leaving (last day 31 March 2025) Pat leaves the list and is a leaver of
  1.0 FTE in the year to 30 September 2025.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from workforce.core.access import scope_for
from workforce.core.models import PersonalDataAccess
from workforce.establishment import services
from workforce.establishment.models import EngagementKind, OrgRole
from workforce.establishment.tests.factories import (
    EngagementFactory,
    PostFactory,
    RoleFactory,
    TeamFactory,
    WorkerFactory,
)
from workforce.metrics import selectors
from workforce.metrics.engine import MetricsFilter
from workforce.metrics.selectors import measures_on
from workforce.metrics.tests.conftest import CENSUS, D

pytestmark = pytest.mark.django_db

PAGE = reverse("metrics:ended_without_leaving")


@pytest.fixture
def pat(reference_data, personas):
    authority = personas.own_team.authority
    sw = RoleFactory(authority=authority, title="Social worker", org_role=OrgRole.CASE_HOLDER)
    post = PostFactory(team=personas.own_team, role=sw, start=D(2020, 1, 1))
    worker = WorkerFactory(authority=authority, first_name="Pat", last_name="Jones")
    services.appoint_worker(
        worker=worker,
        post=post,
        start=D(2024, 4, 1),
        fte=Decimal("1.00"),
        kind=EngagementKind.FIXED_TERM,
        end=D(2025, 4, 1),
    )
    # Others who must not be listed: someone still employed, someone who left properly, a
    # fixed-term contract made permanent on the day it ended, and an agency assignment that ended.
    EngagementFactory(post=post, worker=WorkerFactory(authority=authority), start=D(2021, 1, 1))
    left = WorkerFactory(authority=authority)
    EngagementFactory(post=post, worker=left, start=D(2021, 1, 1))
    services.record_leaver(worker=left, last_day=D(2025, 2, 28), reason="1")
    renewed = WorkerFactory(authority=authority)
    EngagementFactory(
        post=post,
        worker=renewed,
        start=D(2024, 1, 1),
        end=D(2025, 1, 1),
        kind=EngagementKind.FIXED_TERM,
    )
    EngagementFactory(post=post, worker=renewed, start=D(2025, 1, 1))  # made permanent
    EngagementFactory(
        post=post,
        worker=WorkerFactory(authority=authority),
        start=D(2024, 1, 1),
        end=D(2024, 6, 1),
        kind=EngagementKind.AGENCY,
        agency_name="Agency One",
    )
    return worker


def listed(personas, today):
    return selectors.ended_without_leaving(scope_for(personas.hr), today=today)


def test_an_expired_fixed_term_contract_is_listed_until_the_leaving_is_recorded(personas, pat):
    assert listed(personas, D(2025, 3, 31)) == []  # still employed that day
    rows = listed(personas, D(2025, 5, 1))
    assert [(r.name, r.last_day, r.days_since, r.kind) for r in rows] == [
        ("Pat Jones", D(2025, 3, 31), 31, "Fixed-term")
    ]
    assert rows[0].census_counted

    where = MetricsFilter(authority_ids=(pat.authority_id,))
    assert measures_on(where=where, on=D(2025, 3, 31)).at(0)["in_post_headcount"] == 3
    before = measures_on(where=where, on=CENSUS).at(0)
    assert before["in_post_headcount"] == 2
    assert (before["leavers_headcount"], before["leavers_fte"]) == (1, Decimal("1.00"))

    services.record_leaver(worker=pat, last_day=D(2025, 3, 31), reason="1")
    assert listed(personas, D(2025, 5, 1)) == []
    after = measures_on(where=where, on=CENSUS).at(0)
    assert (after["leavers_headcount"], after["leavers_fte"]) == (2, Decimal("2.00"))
    assert after["in_post_headcount"] == 2


def test_someone_from_another_authority_is_not_listed(personas, pat, other_authority):
    other = WorkerFactory(authority=other_authority)
    EngagementFactory(
        post=PostFactory(team=TeamFactory(authority=other_authority), start=D(2020, 1, 1)),
        worker=other,
        start=D(2024, 1, 1),
        end=D(2025, 1, 1),
    )
    assert [r.name for r in listed(personas, D(2025, 5, 1))] == ["Pat Jones"]


def signed_in(client, user, password):
    client.login(username=user.username, password=password)
    return client


def test_page_lists_them_with_a_link_to_record_the_leaving(client, personas, pat):
    signed_in(client, personas.hr, personas.password)
    html = client.get(PAGE).content.decode()
    assert "Pat Jones" in html
    assert reverse("establishment:leaver", args=[pat.pk]) in html
    assert "Record the leaving" in html
    dashboard = client.get(reverse("metrics:dashboard")).content.decode()
    assert PAGE in dashboard  # in the navigation


def test_page_says_so_when_there_is_no_one(client, personas, reference_data):
    signed_in(client, personas.lead, personas.password)
    html = client.get(PAGE).content.decode()
    assert "No leavings to record" in html
    assert "<table" not in html


def test_csv_download_lists_them_and_is_recorded(client, personas, pat):
    signed_in(client, personas.lead, personas.password)
    response = client.get(PAGE, {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "Staff number", "Team"]
    assert [row[0] for row in rows[1:]] == ["Pat Jones"]
    assert PersonalDataAccess.objects.filter(user=personas.lead, action="downloaded").exists()


@pytest.mark.parametrize("who", ["board", "analyst", "manager"])
def test_roles_that_do_not_manage_people_cannot_open_it(client, personas, who):
    signed_in(client, getattr(personas, who), personas.password)
    assert client.get(PAGE).status_code == 403


def test_home_page_tells_hr_how_many_leavings_to_record(client, personas, pat):
    signed_in(client, personas.hr, personas.password)
    html = client.get(reverse("home")).content.decode()
    assert "1 person's employment has ended with no leaving recorded" in html
    assert PAGE in html
    client.logout()
    signed_in(client, personas.board, personas.password)
    assert "no leaving recorded" not in client.get(reverse("home")).content.decode()
