"""The dashboard, its downloads and the targets pages, for each persona."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from workforce.metrics import services
from workforce.metrics.models import Comparison, Target
from workforce.metrics.tests.conftest import D

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("metrics:dashboard")
CENSUS_QUERY = {"on": "2025-09-30"}


def signed_in(client, user, password):
    client.login(username=user.username, password=password)
    return client


@pytest.mark.parametrize("who", ["admin", "lead", "hr", "manager", "board", "analyst"])
def test_every_persona_can_open_the_dashboard(client, personas, world, who):
    signed_in(client, getattr(personas, who), personas.password)
    response = client.get(DASHBOARD, CENSUS_QUERY)
    assert response.status_code == 200
    assert "Workforce at 30 September 2025" in response.content.decode()


def test_dashboard_shows_the_headline_figures_and_no_names(client, personas, world):
    signed_in(client, personas.board, personas.password)
    html = client.get(DASHBOARD, CENSUS_QUERY).content.decode()
    assert "34.8%" in html  # agency rate
    assert "40.0%" in html  # vacancy rate
    assert "43.3%" in html  # turnover rate
    for name in ("Wen", "Kim", "Mo "):
        assert name not in html
    assert not re.search(r"Example\d", html)  # workers' surnames
    assert 'id="staffing-spec"' in html
    assert "vega-embed.min.js" in html
    # Each rate says what it is worked out from, in words: agency 1.60 of 4.60 FTE.
    assert "From 1.60 agency FTE ÷ 4.60 FTE in post and agency" in html


def test_charts_are_vega_lite_specs_with_tables_and_summaries(client, personas, world):
    signed_in(client, personas.lead, personas.password)
    response = client.get(DASHBOARD, {**CENSUS_QUERY, "years": "1"})
    charts = response.context["charts"]
    staffing = charts[0]
    assert staffing.spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v")
    assert len(staffing.dates) == 12 and staffing.dates[-1] == D(2025, 9, 30)
    assert staffing.rows[-1] == ["3.00", "1.60", "2.00"]
    assert "In post FTE" in staffing.summary and "September 2025" in staffing.summary
    html = response.content.decode()
    assert "The figures behind this chart" in html


def test_team_manager_sees_only_their_own_teams(client, personas, world):
    signed_in(client, personas.manager, personas.password)
    response = client.get(DASHBOARD, CENSUS_QUERY)
    headline = response.context["headline"]
    assert headline.values["in_post_fte"] == Decimal("1.00")  # team A only
    labels = response.context["by_team"].column("team")
    assert labels == ["Assessment North"]
    html = response.content.decode()
    assert "Children in Care South" not in html


def test_team_manager_cannot_ask_for_another_team(client, personas, world):
    signed_in(client, personas.manager, personas.password)
    response = client.get(DASHBOARD, {**CENSUS_QUERY, "team": world.team_b.pk})
    assert response.status_code == 200
    assert "Choose the team from the list." in response.content.decode()
    assert response.context["headline"].values["in_post_fte"] == Decimal("1.00")


def test_filters_are_kept_in_the_address(client, personas, world):
    signed_in(client, personas.lead, personas.password)
    response = client.get(
        DASHBOARD, {**CENSUS_QUERY, "team": world.team_b.pk, "roles": "all", "years": "2"}
    )
    assert response.context["headline"].values["in_post_fte"] == Decimal("2.00")
    query = response.context["query"]
    assert f"team={world.team_b.pk}" in query and "roles=all" in query and "years=2" in query
    assert len(response.context["charts"][0].dates) == 24


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"on": "31/02/2025"}, "must be a real date"),
        ({"on": "0202-09-30"}, "must be between 1 January 1900 and 31 December 2099."),
        ({"team": "abc"}, "Choose the team from the list."),
        ({"role": "99999"}, "Choose the role from the list."),
        ({"years": "50"}, "Choose the length of the trend from the list."),
        ({"org_role": "9"}, "Choose the census OrgRole from the list."),
        ({"service_area": "moon"}, "Choose the service area from the list."),
    ],
)
def test_bad_filter_values_give_messages_not_errors(client, personas, world, params, message):
    signed_in(client, personas.lead, personas.password)
    response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_series_download_as_csv_matches_the_figures(client, personas, world):
    signed_in(client, personas.analyst, personas.password)
    url = reverse("metrics:download", args=["series"])
    response = client.get(url, {**CENSUS_QUERY, "years": "1", "format": "csv"})
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, last = rows[0], rows[-1]
    assert len(rows) == 13
    assert last[0] == "2025-09-30"
    assert last[header.index("In post FTE")] == "3.00"
    assert last[header.index("Agency rate (%)")] == "34.8"


def test_breakdown_download_as_xlsx(client, personas, world):
    signed_in(client, personas.lead, personas.password)
    url = reverse("metrics:download", args=["teams"])
    response = client.get(url, {**CENSUS_QUERY, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Team"
    by_team = {r[0]: r for r in rows[1:]}
    assert by_team["Children in Care South"][rows[0].index("In post FTE")] == 2.0


def test_unknown_download_is_explained(client, personas, world):
    signed_in(client, personas.lead, personas.password)
    response = client.get(reverse("metrics:download", args=["pets"]), follow=True)
    assert "Choose a download from the dashboard" in response.content.decode()


def test_dashboard_needs_sign_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302


# Targets --------------------------------------------------------------------------------------


def test_lead_adds_a_target_and_the_tile_shows_its_status(client, personas, world):
    signed_in(client, personas.lead, personas.password)
    response = client.post(
        reverse("metrics:target_create"),
        {"measure": "agency_rate_fte", "comparison": "le", "value": "20", "by_date": "2026-10-01"},
    )
    assert response.status_code == 302
    target = Target.objects.get()
    assert target.value == Decimal("20") and target.team is None
    tiles = {
        t.measure.key: t for t in client.get(DASHBOARD, CENSUS_QUERY).context["headline"].tiles
    }
    # 34.8% against at most 20%: more than 5 points off. A year ago there was no agency cover
    # of absence and fewer people: the rate then was 1.0 / (1.0 + 4.0) = 20%, so it worsened.
    assert tiles["agency_rate_fte"].status.key == "red"
    assert tiles["vacancy_rate_fte"].status.key == "none"


def test_rag_green_amber_red(world, personas):
    def status(measure, comparison, value, by=None):
        Target.objects.all().delete()
        services.set_target(
            authority=world.authority,
            measure=measure,
            comparison=comparison,
            value=Decimal(value),
            by_date=by or D(2026, 10, 1),
        )
        from workforce.metrics.selectors import headline

        tiles = {
            t.measure.key: t
            for t in headline(
                where=world.where(), on=D(2025, 9, 30), targets=Target.objects.all()
            ).tiles
        }
        return tiles[measure].status.key

    assert status("vacancy_rate_fte", Comparison.AT_MOST, "40") == "green"  # 40.0%
    assert status("vacancy_rate_fte", Comparison.AT_MOST, "36") == "amber"  # 4 points off
    # Far off, but down from 50% a year ago while the date is still ahead: improving.
    assert status("vacancy_rate_fte", Comparison.AT_MOST, "10") == "amber"
    assert status("vacancy_rate_fte", Comparison.AT_MOST, "10", by=D(2025, 6, 30)) == "red"
    assert status("turnover_rate_fte", Comparison.AT_MOST, "15") == "red"  # 43.3%, was 0%
    assert status("in_post_fte", Comparison.AT_LEAST, "3") == "green"


def test_bad_target_input_is_explained(client, personas, world):
    signed_in(client, personas.lead, personas.password)
    url = reverse("metrics:target_create")
    cases = [
        (
            {"measure": "", "comparison": "le", "value": "20", "by_date": "2026-10-01"},
            "Choose a measure.",
        ),
        (
            {
                "measure": "agency_rate_fte",
                "comparison": "le",
                "value": "abc",
                "by_date": "2026-10-01",
            },
            "must be a number",
        ),
        (
            {
                "measure": "agency_rate_fte",
                "comparison": "le",
                "value": "120",
                "by_date": "2026-10-01",
            },
            "percentage from 0 to 100",
        ),
        (
            {
                "measure": "agency_rate_fte",
                "comparison": "le",
                "value": "20",
                "by_date": "2026-13-01",
            },
            "must be a real date",
        ),
        (
            {
                "measure": "agency_rate_fte",
                "comparison": "le",
                "value": "20",
                "by_date": "2026-10-01",
                "team": "99999",
            },
            "Choose the team from the list.",
        ),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert message in response.content.decode(), data
    assert not Target.objects.exists()


def test_duplicate_target_is_refused(client, personas, world):
    signed_in(client, personas.lead, personas.password)
    data = {
        "measure": "agency_rate_fte",
        "comparison": "le",
        "value": "20",
        "by_date": "2026-10-01",
    }
    client.post(reverse("metrics:target_create"), data)
    response = client.post(reverse("metrics:target_create"), data)
    assert "already a target" in response.content.decode()
    assert Target.objects.count() == 1


def test_lead_changes_and_removes_a_target(client, personas, world):
    target = services.set_target(
        authority=world.authority,
        measure="turnover_rate_fte",
        comparison="le",
        value=Decimal("15"),
        by_date=D(2026, 9, 30),
        team=world.team_a,
    )
    signed_in(client, personas.lead, personas.password)
    html = client.get(reverse("metrics:targets")).content.decode()
    assert "Turnover rate" in html and "Assessment North" in html
    client.post(
        reverse("metrics:target_edit", args=[target.pk]),
        {
            "measure": "turnover_rate_fte",
            "comparison": "le",
            "value": "12",
            "by_date": "2026-09-30",
            "team": world.team_a.pk,
        },
    )
    target.refresh_from_db()
    assert target.value == Decimal("12")
    assert client.get(reverse("metrics:target_delete", args=[target.pk])).status_code == 200
    client.post(reverse("metrics:target_delete", args=[target.pk]))
    assert not Target.objects.exists()


@pytest.mark.parametrize("who", ["hr", "manager", "board", "analyst"])
def test_only_leads_and_admins_set_targets(client, personas, world, who):
    signed_in(client, getattr(personas, who), personas.password)
    assert client.get(reverse("metrics:targets")).status_code == 200
    assert client.get(reverse("metrics:target_create")).status_code == 403


def test_another_authoritys_target_is_not_found(client, personas, world, other_authority):
    target = services.set_target(
        authority=other_authority,
        measure="agency_rate_fte",
        comparison="le",
        value=Decimal("20"),
        by_date=D(2026, 10, 1),
    )
    signed_in(client, personas.lead, personas.password)
    assert client.get(reverse("metrics:target_edit", args=[target.pk])).status_code == 404
    assert "Elsewhere" not in client.get(reverse("metrics:targets")).content.decode()


def test_chart_spec_is_valid_json_in_the_page(client, personas, world):
    signed_in(client, personas.lead, personas.password)
    html = client.get(DASHBOARD, CENSUS_QUERY).content.decode()
    start = html.index('id="rates-spec"')
    body = html[html.index(">", start) + 1 : html.index("</script>", start)]
    spec = json.loads(body)
    # Rates are in the data as the percentages the page shows, rounded once.
    assert spec["encoding"]["y"]["axis"]["format"] == ",.0f"
    assert spec["encoding"]["y"]["title"] == "Rate (%)"


def test_breakdown_on_the_page_and_in_the_download_is_one_table(client, personas, world):
    signed_in(client, personas.lead, personas.password)
    html = client.get(DASHBOARD, CENSUS_QUERY).content.decode()
    assert '<caption class="govuk-table__caption govuk-table__caption--m">By team</caption>' in html
    assert 'class="govuk-table__row app-table-total"' in html
    assert "do not add up" in html
    url = reverse("metrics:download", args=["teams"])
    rows = list(
        csv.reader(io.StringIO(client.get(url, {**CENSUS_QUERY, "format": "csv"}).content.decode()))
    )
    header = rows[0]
    assert header[0] == "Team" and "Agency rate (%)" in header
    assert rows[-1][0] == "All"  # the whole authority, not the sum of the rows
    fte = header.index("In post FTE")
    assert Decimal(rows[-1][fte]) == sum(Decimal(r[fte]) for r in rows[1:-1])


def test_opening_the_dashboard_and_its_downloads_stores_no_figures(client, personas, world):
    """Figures out of date (never stored here) are computed for the page, not written."""
    from workforce.metrics.models import StoredFigures

    signed_in(client, personas.lead, personas.password)
    assert client.get(DASHBOARD, CENSUS_QUERY).status_code == 200
    url = reverse("metrics:download", args=["series"])
    assert client.get(url, {**CENSUS_QUERY, "years": "1", "format": "csv"}).status_code == 200
    assert not StoredFigures.objects.exists()
