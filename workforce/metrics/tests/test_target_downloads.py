"""The targets list as CSV and XLSX: the same targets as the page for each persona, values as
numbers and dates as dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from workforce.core.tests.downloads import xlsx_rows
from workforce.metrics import services

pytestmark = pytest.mark.django_db

D = dt.date


def signed_in(client, user):
    client.force_login(user)
    return client


TARGETS = reverse("metrics:targets")
TARGETS_HEADER = ["Measure", "Comparison", "Target", "Unit", "By", "For", "Notes"]


@pytest.fixture
def targets(personas, other_authority):
    """Three targets of Exampleshire (one for the whole authority, one per team) and one of
    another authority that must never be listed."""
    authority = personas.own_team.authority
    for owner, measure, comparison, value, by, team, notes in (
        (authority, "agency_rate_fte", "le", "20", D(2026, 10, 1), None, "80:20 by next year"),
        (authority, "turnover_rate_fte", "le", "12.5", D(2026, 9, 30), personas.own_team, ""),
        (authority, "in_post_fte", "ge", "42.75", D(2027, 3, 31), personas.other_team, ""),
        (other_authority, "agency_rate_fte", "le", "30", D(2026, 10, 1), None, "Elsewhere"),
    ):
        services.set_target(
            authority=owner,
            measure=measure,
            comparison=comparison,
            value=Decimal(value),
            by_date=by,
            team=team,
            notes=notes,
        )


def csv_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_targets_download_as_csv(client, personas, targets):
    signed_in(client, personas.board)
    response = client.get(TARGETS, {"format": "csv"})
    assert 'filename="targets.csv"' in response["Content-Disposition"]
    assert csv_of(response) == [
        TARGETS_HEADER,
        [
            "Agency rate",
            "At most",
            "20.00",
            "%",
            "2026-10-01",
            "Whole authority",
            "80:20 by next year",
        ],
        ["In post FTE", "At least", "42.75", "", "2027-03-31", "Children in Care South", ""],
        ["Turnover rate", "At most", "12.50", "%", "2026-09-30", "Assessment North", ""],
    ]


def test_the_targets_download_as_xlsx_with_numbers_and_dates(client, personas, targets):
    signed_in(client, personas.analyst)
    response = client.get(TARGETS, {"format": "xlsx"})
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert rows[0] == TARGETS_HEADER
    assert rows[2][:5] == ["In post FTE", "At least", 42.75, None, dt.datetime(2027, 3, 31)]
    assert len(rows) == 4


def test_a_team_manager_downloads_the_targets_the_page_shows_them(client, personas, targets):
    signed_in(client, personas.manager)
    shown = client.get(TARGETS).context["targets"]
    rows = csv_of(client.get(TARGETS, {"format": "csv"}))
    assert [row[0] for row in rows[1:]] == [item["measure"].label for item in shown]
    assert "Children in Care South" not in {row[5] for row in rows[1:]}


def test_another_authoritys_lead_downloads_none_of_these_targets(client, personas, targets):
    signed_in(client, personas.outsider)
    rows = csv_of(client.get(TARGETS, {"format": "csv"}))
    assert rows == [
        TARGETS_HEADER,
        ["Agency rate", "At most", "30.00", "%", "2026-10-01", "Whole authority", "Elsewhere"],
    ]


def test_the_targets_page_links_to_its_download_and_ignores_an_unknown_format(
    client, personas, targets
):
    signed_in(client, personas.lead)
    html = client.get(TARGETS).content.decode()
    assert 'href="?format=csv"' in html and 'href="?format=xlsx"' in html
    response = client.get(TARGETS, {"format": "docx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_signed_out_visitors_are_sent_to_sign_in_for_the_download(client, targets):
    response = client.get(TARGETS, {"format": "csv"})
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
