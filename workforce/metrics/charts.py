"""Trend charts: Vega-Lite specs built with Altair, each with its numbers and a summary."""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from typing import Any

import altair as alt

from workforce.core.dates import month_text
from workforce.metrics.measures import REGISTRY, display_value, format_value
from workforce.metrics.selectors import Series

# GOV.UK colours that stay distinguishable for common colour-vision differences.
PALETTE = ["#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#f47738"]


@dataclass
class Chart:
    id: str
    title: str
    keys: list[str]
    spec: dict[str, Any]
    summary: str
    dates: list[dt.date]
    rows: list[list[str]]  # formatted values per date, one column per key

    @property
    def spec_id(self) -> str:
        return f"{self.id}-spec"

    @property
    def window(self) -> str:
        """Which period each point covers, so the chart reads against the headline figures."""
        if not self.dates:
            return ""
        span = f"Month ends from {month_text(self.dates[0])} to {month_text(self.dates[-1])}."
        yearly = [REGISTRY[k].label for k in self.keys if k in YEAR_KEYS]
        if not yearly:
            return f"{span} Each point is the figure on that day."
        return (
            f"{span} {_and(yearly)}: each point is the 12 months to that month end, the same "
            "window as the headline figure; other lines are the figure on that day."
            if len(yearly) < len(self.keys)
            else f"{span} Each point is the 12 months to that month end, the same window as "
            "the headline figure."
        )

    @property
    def table(self) -> list[tuple[dt.date, list[str]]]:
        return list(zip(self.dates, self.rows, strict=True))

    @property
    def headers(self) -> list[str]:
        return [REGISTRY[k].label for k in self.keys]


CHARTS = [
    ("staffing", "Staffing (FTE)", ["in_post_fte", "agency_fte", "vacancy_fte"]),
    (
        "rates",
        "Agency, vacancy and turnover rates",
        ["agency_rate_fte", "vacancy_rate_fte", "turnover_rate_fte"],
    ),
    (
        "flows",
        "Starters and leavers in the year to each month",
        ["starters_headcount", "leavers_headcount"],
    ),
    ("absence", "Sickness absence rate", ["absence_rate_fte"]),
]
# Measures over the year to a date (the rest are as at the date).
YEAR_KEYS = {
    "turnover_rate_fte",
    "turnover_rate_headcount",
    "starters_headcount",
    "starters_fte",
    "leavers_headcount",
    "leavers_fte",
    "absence_rate_fte",
    "sickness_days",
    "early_leavers_headcount",
    "early_leavers_fte",
}


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


SERIES_KEYS = sorted({k for _, _, keys in CHARTS for k in keys})


def _number(key: str, value: Any) -> float | None:
    """The figure as pages and downloads show it (rates as percentages), rounded once."""
    shown = display_value(REGISTRY[key], value)
    return None if shown is None else float(shown)


def summarise(series: Series, keys: list[str]) -> str:
    """One sentence per measure: where it started, where it ended."""
    if not series.dates:
        return "There are no figures for this period."
    # Start from the first month with any figure, not from months before the records begin.
    begin = next(
        (
            i
            for i in range(len(series.dates))
            if any(series.values[k][i] not in (None, 0) for k in keys)
        ),
        len(series.dates) - 1,
    )
    first, last = series.dates[begin], series.dates[-1]
    parts = []
    for key in keys:
        measure = REGISTRY[key]
        values = series.values[key]
        start, end = values[begin], values[-1]
        if start is None and end is None:
            parts.append(f"{measure.label}: no figures.")
            continue
        if start is None or end is None or start == end:
            verb = "was" if start == end else "ended at"
            parts.append(f"{measure.label} {verb} {format_value(measure, end)} in {last:%B %Y}.")
            continue
        verb = "rose" if end > start else "fell"
        parts.append(
            f"{measure.label} {verb} from {format_value(measure, start)} in {first:%B %Y} "
            f"to {format_value(measure, end)} in {last:%B %Y}."
        )
    return " ".join(parts)


@functools.lru_cache(maxsize=64)
def _template(keys: tuple[str, ...], points: bool) -> str:
    """The chart's Vega-Lite spec without its data, built once with Altair (building is slow;
    filling in the data is not)."""
    is_rate = all(REGISTRY[k].is_rate for k in keys)
    labels = [REGISTRY[k].label for k in keys]
    y = alt.Y(
        "value:Q",
        title="Rate (%)" if is_rate else ("FTE" if keys[0].endswith("_fte") else "People"),
        axis=alt.Axis(format=",.0f"),
    )
    chart = (
        alt.Chart(alt.NamedData("series"))
        .mark_line(point=points)
        .encode(
            x=alt.X("month:T", title="Month end", axis=alt.Axis(format="%b %Y")),
            y=y,
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(domain=labels, range=PALETTE[: len(labels)]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("month:T", title="Month end", format="%-d %B %Y"),
                alt.Tooltip("measure:N", title="Measure"),
                alt.Tooltip("value:Q", title="Value", format=".1f" if is_rate else ",.2f"),
            ],
        )
        .properties(width="container", height=240)
    )
    return json.dumps(chart.to_dict())


def trend_chart(chart_id: str, title: str, series: Series, keys: list[str]) -> Chart:
    values = [
        {
            "month": day.isoformat(),
            "measure": REGISTRY[key].label,
            "value": _number(key, series.values[key][i]),
        }
        for key in keys
        for i, day in enumerate(series.dates)
    ]
    summary = summarise(series, keys)
    spec = json.loads(_template(tuple(keys), len(series.dates) <= 36))
    spec["data"] = {"values": values}
    spec["description"] = f"{title}. {summary}"
    rows = [
        [format_value(REGISTRY[k], series.values[k][i]) for k in keys]
        for i in range(len(series.dates))
    ]
    return Chart(chart_id, title, keys, spec, summary, list(series.dates), rows)


def dashboard_charts(series: Series) -> list[Chart]:
    return [trend_chart(chart_id, title, series, keys) for chart_id, title, keys in CHARTS]
