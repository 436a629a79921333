"""Establishment pages: thin views that check access, validate, call a service and render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from workforce.core.access import Capability, requires
from workforce.core.forms import AsAtForm
from workforce.establishment import selectors
from workforce.establishment.selectors import COLUMN_LABELS, Column, EstablishmentFilter


@requires(Capability.VIEW_AGGREGATES)
def establishment_table_view(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    form = AsAtForm(request.GET or None)
    on = form.as_at()
    table = selectors.establishment_table(where=EstablishmentFilter.for_scope(scope), on=on)
    return render(
        request,
        "establishment/table.html",
        {"form": form, "table": table, "columns": list(Column), "labels": COLUMN_LABELS},
    )


@requires(Capability.VIEW_AGGREGATES)
def team_list(request: HttpRequest) -> HttpResponse:
    teams = selectors.teams_for(request.scope)  # type: ignore[attr-defined]
    return render(request, "establishment/teams.html", {"teams": teams})


@requires(Capability.VIEW_PEOPLE)
def worker_list(request: HttpRequest) -> HttpResponse:
    workers = selectors.workers_for(request.scope)  # type: ignore[attr-defined]
    return render(request, "establishment/workers.html", {"workers": workers[:200]})
