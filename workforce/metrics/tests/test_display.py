"""One figure reads the same on the dashboard, in its CSV, its XLSX and its chart's JSON."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from workforce.core.tests.downloads import csv_rows, xlsx_rows
from workforce.metrics.measures import REGISTRY, display_value, format_value

pytestmark = pytest.mark.django_db

QUERY = {"on": "2025-09-30", "years": "1"}


def test_a_rate_is_rounded_the_same_on_the_page_and_in_every_download(client, personas, world):
    client.login(username=personas.lead.username, password=personas.password)
    # Agency rate 1.6 / (1.6 + 3.0) = 34.78...%, kept exact and rounded once to 34.8%.
    measure = REGISTRY["agency_rate_fte"]
    html = client.get(reverse("metrics:dashboard"), QUERY).content.decode()
    assert "34.8%" in html

    url = reverse("metrics:download", args=["series"])
    csv = csv_rows(client.get(url, {**QUERY, "format": "csv"}))
    assert csv[-1][csv[0].index("Agency rate (%)")] == "34.8"
    xlsx = xlsx_rows(client.get(url, {**QUERY, "format": "xlsx"}))
    # XLSX holds the rounded rate as a fraction with a "0.0%" format: Excel shows 34.8%.
    assert xlsx[-1][xlsx[0].index("Agency rate (%)")] == 0.348

    start = html.index('id="rates-spec"')
    spec = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    points = [
        v
        for v in spec["data"]["values"]
        if v["measure"] == measure.label and v["month"] == "2025-09-30"
    ]
    assert [p["value"] for p in points] == [34.8]


def test_display_value_and_format_value_agree_on_halves():
    rate = REGISTRY["agency_rate_fte"]
    assert display_value(rate, Decimal("0.22655")) == Decimal("22.7")
    assert format_value(rate, Decimal("0.22655")) == "22.7%"
    years = REGISTRY["service_years"]
    assert display_value(years, Decimal("1.25")) == Decimal("1.3")
    assert format_value(years, Decimal("1.25")) == "1.3 years"
    fte = REGISTRY["in_post_fte"]
    assert format_value(fte, Decimal("1234.125")) == "1,234.13"
    headcount = REGISTRY["in_post_headcount"]
    assert format_value(headcount, 12345) == "12,345"


def test_charts_say_which_window_each_point_covers(client, personas, world):
    client.login(username=personas.lead.username, password=personas.password)
    html = client.get(reverse("metrics:dashboard"), QUERY).content.decode()
    assert "Month ends from October 2024 to September 2025." in html
    # The rates chart mixes figures on a day with a year's turnover, and says so.
    assert (
        "Turnover rate: each point is the 12 months to that month end, the same window as the "
        "headline figure" in html
    )
    assert "an agency worker covering a vacancy counts in both" in html
