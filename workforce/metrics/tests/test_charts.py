"""Chart summaries and specs, without a database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from workforce.metrics.charts import summarise, trend_chart
from workforce.metrics.selectors import Series

D = dt.date


def series(values: dict[str, list]) -> Series:
    dates = [D(2025, 1, 31), D(2025, 2, 28), D(2025, 3, 31)]
    return Series(dates=dates, values=values, parts={})


def test_summary_starts_where_the_records_start():
    s = series(
        {
            "in_post_fte": [Decimal(0), Decimal("10.00"), Decimal("12.50")],
            "agency_rate_fte": [None, Decimal("0.2"), Decimal("0.1")],
        }
    )
    text = summarise(s, ["in_post_fte", "agency_rate_fte"])
    assert text == (
        "In post FTE rose from 10.00 in February 2025 to 12.50 in March 2025. "
        "Agency rate fell from 20.0% in February 2025 to 10.0% in March 2025."
    )


def test_summary_of_empty_figures():
    s = series({"agency_rate_fte": [None, None, None]})
    assert summarise(s, ["agency_rate_fte"]) == "Agency rate: no figures."


def test_trend_chart_carries_its_data_and_a_description():
    s = series({"in_post_fte": [Decimal(1), Decimal(2), Decimal(3)]})
    chart = trend_chart("staffing", "Staffing", s, ["in_post_fte"])
    assert chart.spec["data"]["values"][2] == {
        "month": "2025-03-31",
        "measure": "In post FTE",
        "value": 3.0,
    }
    assert chart.spec["description"].startswith("Staffing. In post FTE rose")
    assert chart.spec["mark"]["type"] == "line"
    assert chart.table[0] == (D(2025, 1, 31), ["1.00"])
