"""The metrics dashboard, its downloads, and targets: thin views over the selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from workforce.core.access import SELF, Capability, Scope, requires, scope_of
from workforce.core.exports import FORMATS, requested_format
from workforce.core.models import AccessAction
from workforce.core.pages import submit
from workforce.core.services import record_access
from workforce.core.tables import Column, Kind, Table
from workforce.establishment.models import Team
from workforce.metrics import charts, selectors, services, tables
from workforce.metrics.forms import DashboardFilterForm, TargetForm
from workforce.metrics.measures import REGISTRY
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
    whole = {k: REGISTRY[k].value(headline.parts) for k in selectors.BREAKDOWN}
    series = selectors.monthly_series(
        where=where, last=form.series_end, months=form.years_value * 12, keys=charts.SERIES_KEYS
    )
    context: dict[str, Any] = {
        "form": form,
        "on": on,
        "headline": headline,
        "charts": charts.dashboard_charts(series),
        "by_team": tables.breakdown_table(
            selectors.breakdown(where=where, on=on, by="team"), by="team", whole=whole
        ),
        "by_role": tables.breakdown_table(
            selectors.breakdown(where=where, on=on, by="role"), by="role", whole=whole
        ),
        "query": form.query(),
        "can_set_targets": scope.can(Capability.MANAGE_POSTS),
        "filters_in_use": where.team_ids is not None
        or bool(where.service_area or where.role_ids or where.org_roles),
    }
    return render(request, "metrics/dashboard.html", context)


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
        table = tables.series_table(series, keys)
        name = f"workforce-series-to-{form.series_end.isoformat()}"
    else:
        by = "team" if what == "teams" else "role"
        keys = list(selectors.BREAKDOWN)
        whole = selectors.measures_on(where=where, on=on, keys=keys).at(0)
        rows = selectors.breakdown(where=where, on=on, by=by)
        table = tables.breakdown_table(rows, by=by, whole=whole)
        name = f"workforce-by-{by}-{on.isoformat()}"
    return table.response(fmt, name)


# Targets -------------------------------------------------------------------------------------


@requires(Capability.VIEW_AGGREGATES)
def target_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:  # anything else shows the page
        return tables.targets_table(selectors.targets_for(scope)).response(fmt, "targets")
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


# Data quality --------------------------------------------------------------------------------

ENDED_COLUMNS = [
    Column("name", "Name"),
    Column("staff_number", "Staff number"),
    Column("team", "Team"),
    Column("role", "Role"),
    Column("census_counted", "Census-counted"),
    Column("kind", "Contract"),
    Column("last_day", "Last day", Kind.DATE),
    Column("days_since", "Days since", Kind.COUNT),
]


@requires(Capability.MANAGE_PEOPLE)
def ended_without_leaving(request: HttpRequest) -> HttpResponse:
    """People whose employment has ended with no leaving recorded: HR records each leaving."""
    scope = scope_of(request)
    today = timezone.localdate()
    rows = selectors.ended_without_leaving(scope, today=today)
    fmt = requested_format(request)
    if fmt:
        record_access(
            scope=scope,
            path=request.get_full_path(),
            description=f"Ended without a leaving at {today:%d %B %Y} ({len(rows)} people)",
            action=AccessAction.DOWNLOADED,
        )
        table = Table(
            title="Leavings to record",
            columns=ENDED_COLUMNS,
            rows=[
                [
                    r.name,
                    r.staff_number,
                    r.team,
                    r.role,
                    "Yes" if r.census_counted else "No",
                    r.kind,
                    r.last_day,
                    r.days_since,
                ]
                for r in rows
            ],
        )
        return table.response(fmt, f"ended-without-leaving-{today.isoformat()}")
    return render(request, "metrics/ended_without_leaving.html", {"rows": rows, "today": today})
