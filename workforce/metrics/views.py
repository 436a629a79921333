"""The metrics dashboard, its downloads, and targets: thin views over the selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from workforce.core.access import SELF, Capability, Scope, requires, scope_of
from workforce.core.exports import FORMATS, table_response
from workforce.core.pages import submit
from workforce.establishment.models import Team
from workforce.metrics import charts, selectors, services
from workforce.metrics.forms import DashboardFilterForm, TargetForm
from workforce.metrics.measures import REGISTRY, display_value, format_value
from workforce.metrics.models import Target

DOWNLOADS = {
    "series": "Monthly series of every measure",
    "teams": "Breakdown by team",
    "roles": "Breakdown by role",
}


def _filters(request: HttpRequest) -> DashboardFilterForm:
    form = DashboardFilterForm(request.GET or None, scope=scope_of(request))
    if form.is_bound:
        form.is_valid()  # errors are shown; the defaults stand in for bad values
    return form


@requires(Capability.VIEW_AGGREGATES)
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = _filters(request)
    where = form.metrics_filter()
    on = form.on_date
    targets = list(selectors.targets_for(scope))
    headline = selectors.headline(where=where, on=on, targets=targets)
    series = selectors.monthly_series(
        where=where, last=form.series_end, months=form.years_value * 12, keys=charts.SERIES_KEYS
    )
    columns = [REGISTRY[k] for k in selectors.BREAKDOWN]
    context: dict[str, Any] = {
        "form": form,
        "on": on,
        "headline": headline,
        "charts": charts.dashboard_charts(series),
        "columns": columns,
        "by_team": _rows(selectors.breakdown(where=where, on=on, by="team")),
        "by_role": _rows(selectors.breakdown(where=where, on=on, by="role")),
        "whole": [
            format_value(REGISTRY[k], REGISTRY[k].value(headline.parts))
            for k in selectors.BREAKDOWN
        ],
        "query": form.query(),
        "can_set_targets": scope.can(Capability.MANAGE_POSTS),
        "filters_in_use": where.team_ids is not None
        or bool(where.service_area or where.role_ids or where.org_roles),
    }
    return render(request, "metrics/dashboard.html", context)


def _rows(rows: list[selectors.BreakdownRow]) -> list[dict[str, Any]]:
    return [
        {
            "label": row.label,
            "cells": [format_value(REGISTRY[k], row.values[k]) for k in selectors.BREAKDOWN],
        }
        for row in rows
    ]


@requires(Capability.VIEW_AGGREGATES)
def download(request: HttpRequest, what: str) -> HttpResponse:
    form = _filters(request)
    fmt = request.GET.get("format", "csv")
    if what not in DOWNLOADS or fmt not in FORMATS:
        messages.error(request, "Choose a download from the dashboard: CSV or Excel (XLSX).")
        return redirect("metrics:dashboard")
    where, on = form.metrics_filter(), form.on_date
    if what == "series":
        keys = list(REGISTRY)
        series = selectors.monthly_series(
            where=where, last=form.series_end, months=form.years_value * 12, keys=keys
        )
        header = ["Month end", *[_heading(k) for k in keys]]
        rows: list[list[Any]] = [
            [day, *[display_value(REGISTRY[k], series.values[k][i]) for k in keys]]
            for i, day in enumerate(series.dates)
        ]
        name = f"workforce-series-to-{form.series_end.isoformat()}"
    else:
        by = "team" if what == "teams" else "role"
        keys = list(selectors.BREAKDOWN)
        header = ["Team" if by == "team" else "Role", *[_heading(k) for k in keys]]
        rows = [
            [row.label, *[display_value(REGISTRY[k], row.values[k]) for k in keys]]
            for row in selectors.breakdown(where=where, on=on, by=by)
        ]
        name = f"workforce-by-{by}-{on.isoformat()}"
    return table_response(fmt, name, header, rows)


def _heading(key: str) -> str:
    measure = REGISTRY[key]
    return f"{measure.label} (%)" if measure.is_rate else measure.label


# Targets -------------------------------------------------------------------------------------


TARGETS_HEADER = ["Measure", "Comparison", "Target", "Unit", "By", "For", "Notes"]


def _target_row(target: Target) -> list[Any]:
    """A target as the list shows it, with its value a number and the % in a column of its own."""
    measure = REGISTRY.get(target.measure)
    return [
        measure.label if measure else target.measure,
        target.get_comparison_display(),
        target.value,
        "%" if measure and measure.is_rate else "",
        target.by_date,
        target.team.name if target.team else "Whole authority",
        target.notes,
    ]


@requires(Capability.VIEW_AGGREGATES)
def target_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:  # anything else shows the page
        rows = [_target_row(t) for t in selectors.targets_for(scope)]
        return table_response(fmt, "targets", TARGETS_HEADER, rows)
    targets = [
        {"target": t, "measure": REGISTRY.get(t.measure)} for t in selectors.targets_for(scope)
    ]
    return render(
        request,
        "metrics/targets.html",
        {"targets": targets, "can_set_targets": scope.can(Capability.MANAGE_POSTS)},
    )


def _team(scope: Scope, team_id: int | None) -> Team | None:
    return None if team_id is None else scope.get(Team.objects.all(), team=SELF, pk=team_id)


@requires(Capability.MANAGE_POSTS)
def target_create(request: HttpRequest) -> HttpResponse:
    return _target_form(request, None)


@requires(Capability.MANAGE_POSTS)
def target_edit(request: HttpRequest, target_id: int) -> HttpResponse:
    target = scope_of(request).get(Target.objects.all(), pk=target_id)
    return _target_form(request, target)


def _target_form(request: HttpRequest, target: Target | None) -> HttpResponse:
    scope = scope_of(request)
    initial: dict[str, Any] = {}
    if target is not None:
        initial = {
            "measure": target.measure,
            "comparison": target.comparison,
            "value": target.value,
            "by_date": target.by_date,
            "team": target.team_id,
            "notes": target.notes,
        }
    form = TargetForm(request.POST or None, initial=initial, scope=scope)

    def save(data: dict[str, Any]) -> Target:
        fields = {
            "measure": data["measure"],
            "comparison": data["comparison"],
            "value": data["value"],
            "by_date": data["by_date"],
            "team": _team(scope, data["team"]),
            "notes": data["notes"],
        }
        if target is None:
            return services.set_target(authority=scope.authority, **fields)
        return services.change_target(target=target, **fields)

    if submit(request, form, save) is not None:
        messages.success(request, "Target added." if target is None else "Target changed.")
        return redirect("metrics:targets")
    return render(request, "metrics/target_form.html", {"form": form, "target": target})


@requires(Capability.MANAGE_POSTS)
def target_delete(request: HttpRequest, target_id: int) -> HttpResponse:
    target = scope_of(request).get(Target.objects.all(), pk=target_id)
    if request.method == "POST":
        services.remove_target(target=target)
        messages.success(request, "Target removed.")
        return redirect("metrics:targets")
    return render(
        request,
        "metrics/target_delete.html",
        {"target": target, "measure": REGISTRY.get(target.measure), "today": dt.date.today()},
    )
