"""The Teams page and one team at a date."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from workforce.core import tables
from workforce.core.access import SELF, Capability, requires, scope_of
from workforce.core.exports import filters_query, requested_format
from workforce.core.tables import Kind, Table
from workforce.establishment import selectors
from workforce.establishment.forms import AsAtOnlyForm
from workforce.establishment.models import Team, Worker
from workforce.establishment.selectors import (
    COLUMN_LABELS,
    Column,
    EstablishmentFilter,
)
from workforce.establishment.views.common import ALL_TEAMS, TEAMS_NOTE
from workforce.establishment.views.table import table_download, table_rows


@requires(Capability.VIEW_AGGREGATES)
def team_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = AsAtOnlyForm(request.GET)
    context: dict[str, Any] = {"form": form, "summaries": None}
    if form.is_valid():
        on = form.as_at()
        summaries = selectors.team_summaries(scope, on=on)
        show_names = scope.can(Capability.VIEW_PEOPLE)
        fmt = requested_format(request)
        if fmt:
            columns = [
                tables.Column("team", "Team"),
                tables.Column("service_area", "Service area"),
                tables.Column("locality", "Locality"),
                *([tables.Column("manager", "Manager")] if show_names else []),
                tables.Column("establishment", "Budgeted FTE", Kind.FTE, unit=""),
                tables.Column("in_post", "In post FTE", Kind.FTE, unit=""),
                tables.Column("agency", "Agency FTE", Kind.FTE, unit=""),
                tables.Column("vacancy", "Vacancy FTE", Kind.FTE, unit=""),
            ]
            rows: list[list[Any]] = [
                [
                    s.team.name,
                    s.team.get_service_area_display(),
                    s.team.locality,
                    *([str(s.team.manager or "")] if show_names else []),
                    s.establishment,
                    s.in_post,
                    s.agency,
                    s.vacancy,
                ]
                for s in summaries.teams
            ]
            whole = summaries.together
            totals = None
            if whole is not None:
                totals = [
                    ALL_TEAMS,
                    "",
                    "",
                    *([""] if show_names else []),
                    whole.establishment,
                    whole.in_post,
                    whole.agency,
                    whole.vacancy,
                ]
            download = Table("Teams", columns, rows, totals=totals, notes=[TEAMS_NOTE])
            return download.response(fmt, f"teams-{on.isoformat()}")
        context.update(
            on=on,
            summaries=summaries.teams,
            together=summaries.together,
            show_names=show_names,
            can_manage_posts=scope.can(Capability.MANAGE_POSTS),
            download_query=filters_query(request, on=on.isoformat()),
        )
    return render(request, "establishment/teams.html", context)


@requires(Capability.VIEW_AGGREGATES)
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    scope = scope_of(request)
    team = scope.get(Team.objects.select_related("manager"), team=SELF, pk=team_id)
    form = AsAtOnlyForm(request.GET)
    context: dict[str, Any] = {"form": form, "team": team, "table": None}
    if form.is_valid():
        on = form.as_at()
        table = selectors.establishment_table(
            where=EstablishmentFilter.for_scope(scope, team_id=team.pk), on=on
        )
        fmt = requested_format(request)
        if fmt:
            return table_download(fmt, f"establishment-{team.name}-{on.isoformat()}", table)
        show_names = scope.can(Capability.VIEW_PEOPLE)
        engagements = list(selectors.engagements_on(team=team, on=on)) if show_names else None
        context.update(
            on=on,
            table=table,
            rows=table_rows(request, table, team=team.pk),
            columns=[COLUMN_LABELS[c] for c in Column],
            posts=selectors.team_posts(team, on=on),
            engagements=engagements,
            can_open=scope.openable(
                Worker, [team.manager_id, *(e.worker_id for e in engagements or ())]
            ),
            show_names=show_names,
            can_manage_posts=scope.can(Capability.MANAGE_POSTS),
            download_query=filters_query(request, on=on.isoformat()),
        )
    return render(request, "establishment/team.html", context)
