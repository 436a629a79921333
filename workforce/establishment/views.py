"""Establishment pages: thin views that check access, validate, call a service and render.

Filters live in the address (GET) so any view of the table can be bookmarked, shared and
downloaded with `format=csv` or `format=xlsx`. Forms post, call one service and redirect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from workforce.core import tables
from workforce.core.access import SELF, Capability, Scope, requires, scope_of
from workforce.core.exports import filters_query, requested_format
from workforce.core.models import AccessAction, CensusCode, census_labels
from workforce.core.pages import form_page, posted, submit
from workforce.core.services import record_access
from workforce.core.tables import Kind, Table
from workforce.core.templatetags.govuk import bracketed, fte, govuk_date
from workforce.establishment import selectors, services
from workforce.establishment.forms import (
    AbsenceForm,
    AgencyEndForm,
    AgencyStartForm,
    AppointForm,
    AsAtOnlyForm,
    CellForm,
    ChangeHoursForm,
    ConvertForm,
    EndEngagementForm,
    EstablishmentFilterForm,
    LeaverForm,
    MoveForm,
    PostChangeFteForm,
    PostCloseForm,
    PostCreateForm,
    RoleForm,
    TeamEditForm,
    TeamForm,
    WorkerCreateForm,
    WorkerSearchForm,
    last_day_to_end,
)
from workforce.establishment.models import Engagement, Post, Role, Team, Worker
from workforce.establishment.selectors import (
    COLUMN_LABELS,
    Column,
    EstablishmentFilter,
    EstablishmentTable,
    PostLine,
)

FILLED = "Filled"  # what people without access to names see in place of a person
TOTAL = "Total"
ALL_TEAMS = "All these teams together"
TEAMS_NOTE = (
    "Team rows do not add up to all these teams together for vacancy: it is worked out role by "
    "role across the teams, so a surplus in one team can fill the same role's vacancy in "
    "another. Budgeted, in post and agency FTE add up."
)


# The establishment table --------------------------------------------------------------------


def _cell_text(column: Column, value: Decimal) -> str:
    return bracketed(value) if column == Column.OVER_UNDER else fte(value)


def _table_rows(
    request: HttpRequest, table: EstablishmentTable, **pinned: Any
) -> list[dict[str, Any]]:
    """Rows for the template: each figure with a link to the posts behind it when non-zero."""
    cell_url = reverse("establishment:cell")

    def cells(role_id: int | None, values: dict[Column, Decimal]) -> list[dict[str, Any]]:
        out = []
        for column in Column:
            value = values[column]
            query = filters_query(
                request, on=table.on.isoformat(), role=role_id, column=column.value, **pinned
            )
            out.append(
                {
                    "text": _cell_text(column, value),
                    "label": COLUMN_LABELS[column],
                    "url": f"{cell_url}?{query}" if value != 0 else "",
                }
            )
        return out

    rows: list[dict[str, Any]] = [
        {"role": row.role, "cells": cells(row.role_id, {c: row.value(c) for c in Column})}
        for row in table.rows
    ]
    if table.rows:
        rows.append(
            {
                "role": TOTAL,
                "total": True,
                "cells": cells(None, {c: table.total(c) for c in Column}),
            }
        )
    return rows


FTE_COLUMNS = [tables.Column(c.value, COLUMN_LABELS[c], Kind.FTE, unit="") for c in Column]


def _table_download(fmt: str, filename: str, table: EstablishmentTable) -> HttpResponse:
    download = Table(
        "Establishment",
        [tables.Column("role", "Role"), *FTE_COLUMNS],
        [[r.role, *(r.value(c) for c in Column)] for r in table.rows],
        totals=[TOTAL, *(table.total(c) for c in Column)],
    )
    return download.response(fmt, filename)


@requires(Capability.VIEW_AGGREGATES)
def establishment_table_view(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = EstablishmentFilterForm(request.GET, scope=scope)
    context: dict[str, Any] = {"form": form, "table": None}
    if form.is_valid():
        on = form.as_at()
        table = selectors.establishment_table(where=form.where(), on=on)
        fmt = requested_format(request)
        if fmt:
            return _table_download(fmt, f"establishment-{on.isoformat()}", table)
        context.update(
            table=table,
            on=on,
            description=form.description(),
            rows=_table_rows(request, table),
            columns=[COLUMN_LABELS[c] for c in Column],
            download_query=filters_query(request, on=on.isoformat()),
            can_manage_posts=scope.can(Capability.MANAGE_POSTS),
        )
    return render(request, "establishment/table.html", context)


def _people_text(line: PostLine, *, show_names: bool) -> str:
    return "; ".join(
        f"{e.worker.full_name if show_names else FILLED} ({e.get_kind_display()}, {fte(e.fte)} FTE)"
        for e in line.engagements
    )


CELL_PAGE = 100  # posts a page; the totals and the download cover them all


@requires(Capability.VIEW_AGGREGATES)
def establishment_cell_view(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = CellForm(request.GET, scope=scope)
    context: dict[str, Any] = {"form": form, "lines": None}
    if not form.is_valid():
        return render(request, "establishment/cell.html", context)
    on = form.as_at()
    where = form.where()
    column = Column(form.cleaned_data["column"])
    role = form.cleaned_data.get("role")
    role_id = role.pk if role else None
    lines = selectors.establishment_cell(where=where, on=on, role_id=role_id, column=column)
    show_names = scope.can(Capability.VIEW_PEOPLE)
    totals = {c: sum((line_value(line, c) for line in lines), Decimal(0)) for c in Column}
    fmt = requested_format(request)
    if fmt:
        columns = [
            tables.Column("post", "Post"),
            tables.Column("team", "Team"),
            tables.Column("role", "Role"),
            *FTE_COLUMNS,
            tables.Column("people", "People in post"),
        ]
        rows: list[list[Any]] = [
            [
                line.post.reference,
                line.post.team.name,
                line.post.role.title,
                *(line_value(line, c) for c in Column),
                _people_text(line, show_names=show_names),
            ]
            for line in lines
        ]
        download = Table(
            "Posts", columns, rows, totals=[TOTAL, "", "", *(totals[c] for c in Column), ""]
        )
        return download.response(fmt, f"establishment-{column.value}-{on.isoformat()}")
    page = Paginator(lines, CELL_PAGE).get_page(request.GET.get("page"))
    table = selectors.establishment_table(where=where, on=on)
    if role_id is None:
        cell_value = table.total(column)
    else:
        matching = [r.value(column) for r in table.rows if r.role_id == role_id]
        cell_value = matching[0] if matching else Decimal(0)
    can_open = (
        scope.openable(Worker, [e.worker_id for line in page for e in line.engagements])
        if show_names
        else frozenset()
    )
    context.update(
        on=on,
        role=role,
        column=column,
        column_label=COLUMN_LABELS[column],
        description=form.description(),
        lines=lines,
        page=page,
        items=[
            {
                "line": line,
                "cells": [_cell_text(c, line_value(line, c)) for c in Column],
                "people": [
                    {
                        "engagement": e,
                        "name": e.worker.full_name if show_names else FILLED,
                        "worker_id": e.worker_id if e.worker_id in can_open else None,
                    }
                    for e in line.engagements
                ],
            }
            for line in page
        ],
        page_query=filters_query(request),
        totals=[_cell_text(c, totals[c]) for c in Column],
        columns=[COLUMN_LABELS[c] for c in Column],
        cell_text=_cell_text(column, cell_value),
        reconciles=totals[column] == cell_value,
        back_query=filters_query(request, role=None, column=None),
        download_query=filters_query(request, on=on.isoformat()),
    )
    return render(request, "establishment/cell.html", context)


def line_value(line: PostLine, column: Column) -> Decimal:
    return getattr(line, column.value)  # type: ignore[no-any-return]


# Teams --------------------------------------------------------------------------------------


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
            return _table_download(fmt, f"establishment-{team.name}-{on.isoformat()}", table)
        show_names = scope.can(Capability.VIEW_PEOPLE)
        engagements = list(selectors.engagements_on(team=team, on=on)) if show_names else None
        context.update(
            on=on,
            table=table,
            rows=_table_rows(request, table, team=team.pk),
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


# Posts --------------------------------------------------------------------------------------


def _scoped_post(scope: Scope, post_id: int) -> Post:
    return scope.get(Post.objects.select_related("team", "role"), pk=post_id)


@requires(Capability.VIEW_AGGREGATES)
def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    scope = scope_of(request)
    post = _scoped_post(scope, post_id)
    history = selectors.post_history(post)
    today = dt.date.today()
    current = next((f for f in history["funding"] if f.is_active_on(today)), None)
    return render(
        request,
        "establishment/post.html",
        {
            "post": post,
            "funding": history["funding"],
            "engagements": history["engagements"],
            "can_open": scope.openable(Worker, [e.worker_id for e in history["engagements"]]),
            "current_funding": current,
            "today": today,
            "show_names": scope.can(Capability.VIEW_PEOPLE),
            "can_manage_posts": scope.can(Capability.MANAGE_POSTS),
        },
    )


# Forms: one helper validates, calls the service and shows refusals against the field -------


@requires(Capability.MANAGE_POSTS)
def post_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = PostCreateForm(posted(request), scope=scope)
    post = submit(
        request,
        form,
        lambda d: services.create_post(
            authority=scope.authority,
            team=d["team"],
            role=d["role"],
            reference=d["reference"],
            fte=d["fte"],
            start=d["start"],
            end=d["end"],
            grade=d["grade"],
            cost_centre=d["cost_centre"],
        ),
    )
    if post is not None:
        messages.success(request, f"Post {post.reference} created.")
        return redirect("establishment:post", post_id=post.pk)
    return form_page(
        request,
        form,
        title="Create a post",
        caption="Establishment",
        back_url=reverse("establishment:table"),
        submit="Create post",
    )


def _post_summary(post: Post) -> list[tuple[str, str]]:
    return [("Post", post.reference), ("Team", post.team.name), ("Role", post.role.title)]


@requires(Capability.MANAGE_POSTS)
def post_change_fte(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _scoped_post(scope_of(request), post_id)
    form = PostChangeFteForm(posted(request))
    funding = submit(
        request,
        form,
        lambda d: services.change_post_fte(post=post, fte=d["fte"], from_date=d["from_date"]),
    )
    if funding is not None:
        messages.success(
            request,
            f"Post {post.reference} is funded at {fte(funding.fte)} FTE "
            f"from {govuk_date(funding.start)}.",
        )
        return redirect("establishment:post", post_id=post.pk)
    return form_page(
        request,
        form,
        title="Change the budgeted FTE",
        caption=f"Post {post.reference}",
        back_url=reverse("establishment:post", kwargs={"post_id": post.pk}),
        submit="Change FTE",
        summary=_post_summary(post),
        intro="The earlier FTE stays in the post's history and in tables for earlier dates.",
    )


@requires(Capability.MANAGE_POSTS)
def post_close(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _scoped_post(scope_of(request), post_id)
    form = PostCloseForm(posted(request))
    closed = submit(request, form, lambda d: services.close_post(post=post, end=d["end"]))
    if closed is not None:
        messages.success(request, f"Post {post.reference} is closed from {govuk_date(closed.end)}.")
        return redirect("establishment:post", post_id=post.pk)
    return form_page(
        request,
        form,
        title="Close the post",
        caption=f"Post {post.reference}",
        back_url=reverse("establishment:post", kwargs={"post_id": post.pk}),
        submit="Close post",
        summary=_post_summary(post),
        intro="Nobody may be in the post on or after the date it closes: move them or end "
        "their engagement first.",
        warning=True,
    )


# People -------------------------------------------------------------------------------------


@requires(Capability.VIEW_PEOPLE)
def worker_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = WorkerSearchForm(request.GET, scope=scope)
    context: dict[str, Any] = {"form": form, "page": None}
    if form.is_valid():
        on = form.as_at()
        team = form.cleaned_data.get("team")
        workers = selectors.search_workers(
            scope,
            on=on,
            text=form.cleaned_data.get("q") or "",
            team_id=team.pk if team else None,
            status=form.cleaned_data.get("status") or "",
        )
        fmt = requested_format(request)
        if fmt:
            record_access(
                scope=scope,
                path=request.get_full_path(),
                description=f"People list at {on.day} {on:%B %Y} ({len(workers)} people)",
                action=AccessAction.DOWNLOADED,
            )
            return _workers_download(fmt, f"people-{on.isoformat()}", workers)
        page = Paginator(workers, 50).get_page(request.GET.get("page"))
        context.update(
            on=on,
            page=page,
            page_query=filters_query(request),
            download_query=filters_query(request, on=on.isoformat()),
            can_manage_people=scope.can(Capability.MANAGE_PEOPLE),
        )
    return render(request, "establishment/workers.html", context)


def _workers_download(fmt: str, filename: str, workers: Iterable[Worker]) -> HttpResponse:
    """Every person the search finds (not only one page): their posts at the date, one row each.

    A person in two posts has both in each column, in the order the page lists them.
    """
    columns = [
        tables.Column("name", "Name"),
        tables.Column("staff_number", "Staff number"),
        tables.Column("post", "Post"),
        tables.Column("team", "Team"),
        tables.Column("kind", "Kind"),
        tables.Column("fte", "FTE", Kind.FTE, unit=""),
    ]
    rows: list[list[Any]] = []
    for worker in workers:
        current: list[Engagement] = worker.current  # type: ignore[attr-defined]
        if not current:
            rows.append([worker.full_name, worker.staff_number, "Not in post", "", "", None])
            continue
        rows.append(
            [
                worker.full_name,
                worker.staff_number,
                "; ".join(e.post.reference for e in current),
                "; ".join(e.post.team.name for e in current),
                "; ".join(e.get_kind_display() for e in current),
                sum((e.fte for e in current), Decimal(0)),
            ]
        )
    return Table("People", columns, rows).response(fmt, filename)


def _scoped_worker(scope: Scope, worker_id: int) -> Worker:
    """A worker in scope: a team manager reaches only people with an engagement in their teams."""
    return scope.get(Worker.objects.all(), pk=worker_id)


def _scoped_engagement(scope: Scope, engagement_id: int) -> Engagement:
    return scope.get(
        Engagement.objects.select_related("worker", "post__team", "post__role"),
        team="post__team",
        pk=engagement_id,
    )


@requires(Capability.VIEW_PEOPLE)
def worker_detail(request: HttpRequest, worker_id: int) -> HttpResponse:
    scope = scope_of(request)
    worker = _scoped_worker(scope, worker_id)
    record_access(scope=scope, path=request.get_full_path(), record=worker)
    history = selectors.worker_history(worker)
    L = CensusCode.List
    labels = census_labels(
        [
            L.GENDER,
            L.ETHNICITY,
            L.QUAL_LEVEL,
            L.REASON_LEAVE,
            L.LEAVER_DESTINATION,
            L.REASON_ABSENCE,
        ]
    )

    def label(list_name: str, code: str) -> str:
        return labels.get((list_name, code), code) if code else ""

    today = dt.date.today()
    return render(
        request,
        "establishment/worker.html",
        {
            "worker": worker,
            "details": [
                ("Staff number", worker.staff_number),
                ("Social Work England number", worker.swe_number),
                ("Date of birth", govuk_date(worker.date_of_birth) if worker.date_of_birth else ""),
                ("Gender", label(L.GENDER, worker.gender)),
                ("Ethnicity", label(L.ETHNICITY, worker.ethnicity)),
                ("Qualification level", label(L.QUAL_LEVEL, worker.qual_level)),
                ("Qualifying institution", worker.qual_institution),
                ("Date qualified", govuk_date(worker.qual_date) if worker.qual_date else ""),
                ("Route into social work", worker.get_route_display()),
            ],
            "engagements": [
                {"engagement": e, "open": e.end is None or e.end > today}
                for e in history["engagements"]
            ],
            "leavings": [
                {
                    "leaving": leaving,
                    "reason": label(L.REASON_LEAVE, leaving.reason),
                    "destination": label(L.LEAVER_DESTINATION, leaving.destination),
                }
                for leaving in history["leavings"]
            ],
            "absences": [
                {"absence": a, "reason": label(L.REASON_ABSENCE, a.reason)}
                for a in history["absences"]
            ],
            "can_manage_people": scope.can(Capability.MANAGE_PEOPLE),
            "can_view_reads": scope.can(Capability.VIEW_AUDIT),
            "can_record_absence": scope.can(Capability.RECORD_ABSENCE),
        },
    )


def _worker_url(worker: Worker) -> str:
    return reverse("establishment:worker", kwargs={"worker_id": worker.pk})


def _worker_summary(worker: Worker) -> list[tuple[str, str]]:
    return [("Name", worker.full_name), ("Staff number", worker.staff_number)]


@requires(Capability.MANAGE_PEOPLE)
def worker_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = WorkerCreateForm(posted(request))
    worker = submit(
        request,
        form,
        lambda d: services.create_worker(
            authority=scope.authority,
            staff_number=d["staff_number"],
            first_name=d["first_name"],
            last_name=d["last_name"],
            **form.details(),  # type: ignore[attr-defined]
        ),
    )
    if worker is not None:
        messages.success(request, f"{worker.full_name} added. Now appoint them to a post.")
        return redirect("establishment:worker", worker_id=worker.pk)
    return form_page(
        request,
        form,
        title="Add a person",
        caption="People",
        back_url=reverse("establishment:workers"),
        submit="Add person",
        intro="Add someone who works or will work in a post: an employee or an agency worker.",
    )


@requires(Capability.MANAGE_PEOPLE)
def appoint(request: HttpRequest, worker_id: int) -> HttpResponse:
    scope = scope_of(request)
    worker = _scoped_worker(scope, worker_id)
    form = AppointForm(posted(request), scope=scope)
    engagement = submit(
        request,
        form,
        lambda d: services.appoint_worker(
            worker=worker,
            post=d["post"],
            start=d["start"],
            fte=d["fte"],
            kind=d["kind"],
            end=last_day_to_end(d["last_day"]),
            start_origin=d["start_origin"],
        ),
        renamed={"end": "last_day"},
    )
    if engagement is not None:
        messages.success(
            request,
            f"{worker.full_name} appointed to post {engagement.post.reference} "
            f"from {govuk_date(engagement.start)}.",
        )
        return redirect(_worker_url(worker))
    return form_page(
        request,
        form,
        title="Appoint to a post",
        caption=worker.full_name,
        back_url=_worker_url(worker),
        submit="Appoint",
        summary=_worker_summary(worker),
        intro="For an authority employee. Agency workers have their own form.",
    )


def _engagement_summary(engagement: Engagement) -> list[tuple[str, str]]:
    return [
        ("Name", engagement.worker.full_name),
        (
            "Current post",
            f"{engagement.post.reference} – {engagement.post.team.name} – "
            f"{engagement.post.role.title}",
        ),
        ("Kind", engagement.get_kind_display()),
        ("FTE", fte(engagement.fte)),
        ("Since", f"{govuk_date(engagement.start)}"),
    ]


@requires(Capability.MANAGE_PEOPLE)
def move(request: HttpRequest, engagement_id: int) -> HttpResponse:
    scope = scope_of(request)
    engagement = _scoped_engagement(scope, engagement_id)
    form = MoveForm(posted(request), scope=scope)
    moved = submit(
        request,
        form,
        lambda d: services.move_worker(
            engagement=engagement, to_post=d["to_post"], on=d["on"], fte=d["fte"]
        ),
        renamed={"start": "on", "end": "to_post"},
    )
    if moved is not None:
        messages.success(
            request,
            f"{engagement.worker.full_name} moves to post {moved.post.reference} "
            f"from {govuk_date(moved.start)}.",
        )
        return redirect(_worker_url(engagement.worker))
    return form_page(
        request,
        form,
        title="Move to another post",
        caption=engagement.worker.full_name,
        back_url=_worker_url(engagement.worker),
        submit="Move",
        summary=_engagement_summary(engagement),
        intro="A move within the authority: not a leaver and not a starter.",
    )


@requires(Capability.MANAGE_PEOPLE)
def agency_start(request: HttpRequest, worker_id: int) -> HttpResponse:
    scope = scope_of(request)
    worker = _scoped_worker(scope, worker_id)
    form = AgencyStartForm(posted(request), scope=scope)
    engagement = submit(
        request,
        form,
        lambda d: services.start_agency_assignment(
            worker=worker,
            post=d["post"],
            start=d["start"],
            fte=d["fte"],
            agency_name=d["agency_name"],
            charge_rate=d["charge_rate"],
            covers=d["covers"],
            covering_for=d["covering_for"],
            end=last_day_to_end(d["last_day"]),
        ),
        renamed={"end": "last_day"},
    )
    if engagement is not None:
        messages.success(
            request,
            f"Agency assignment for {worker.full_name} in post {engagement.post.reference} "
            f"starts {govuk_date(engagement.start)}.",
        )
        return redirect(_worker_url(worker))
    return form_page(
        request,
        form,
        title="Start an agency assignment",
        caption=worker.full_name,
        back_url=_worker_url(worker),
        submit="Start assignment",
        summary=_worker_summary(worker),
    )


@requires(Capability.MANAGE_PEOPLE)
def agency_end(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = _scoped_engagement(scope_of(request), engagement_id)
    form = AgencyEndForm(posted(request))
    ended = submit(
        request,
        form,
        lambda d: services.end_agency_assignment(engagement=engagement, last_day=d["last_day"]),
    )
    if ended is not None:
        messages.success(
            request,
            f"Agency assignment of {engagement.worker.full_name} ends after "
            f"{govuk_date(ended.last_day)}.",
        )
        return redirect(_worker_url(engagement.worker))
    return form_page(
        request,
        form,
        title="End an agency assignment",
        caption=engagement.worker.full_name,
        back_url=_worker_url(engagement.worker),
        submit="End assignment",
        summary=_engagement_summary(engagement),
    )


@requires(Capability.MANAGE_PEOPLE)
def leaver(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = _scoped_worker(scope_of(request), worker_id)
    form = LeaverForm(posted(request))
    leaving = submit(
        request,
        form,
        lambda d: services.record_leaver(
            worker=worker,
            last_day=d["last_day"],
            reason=d["reason"],
            destination=d["destination"],
            exit_interview_done=d["exit_interview_done"],
            exit_themes=d["exit_themes"],
            exit_notes=d["exit_notes"],
        ),
    )
    if leaving is not None:
        messages.success(
            request, f"{worker.full_name} recorded as leaving after {govuk_date(leaving.last_day)}."
        )
        return redirect(_worker_url(worker))
    return form_page(
        request,
        form,
        title="Record a leaver",
        caption=worker.full_name,
        back_url=_worker_url(worker),
        submit="Record leaver",
        summary=_worker_summary(worker),
        intro="Ends their employment with the authority and every post they hold on the last "
        "day. For a move between teams, use “Move to another post” instead.",
        warning=True,
    )


@requires(Capability.RECORD_ABSENCE)
def absence(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = _scoped_worker(scope_of(request), worker_id)
    form = AbsenceForm(posted(request))
    recorded = submit(
        request,
        form,
        lambda d: services.record_absence(
            worker=worker,
            start=d["start"],
            end=last_day_to_end(d["last_day"]),
            reason=d["reason"],
            working_days_lost=d["working_days_lost"],
        ),
        renamed={"end": "last_day"},
    )
    if recorded is not None:
        messages.success(
            request, f"Absence from {govuk_date(recorded.start)} recorded for {worker.full_name}."
        )
        return redirect(_worker_url(worker))
    return form_page(
        request,
        form,
        title="Record an absence",
        caption=worker.full_name,
        back_url=_worker_url(worker),
        submit="Record absence",
        summary=_worker_summary(worker),
    )


# Teams and roles: created and changed by the workforce lead or an administrator ---------------


def _team_url(team: Team) -> str:
    return reverse("establishment:team", kwargs={"team_id": team.pk})


@requires(Capability.MANAGE_POSTS)
def team_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = TeamForm(posted(request))
    team = submit(
        request,
        form,
        lambda d: services.create_team(
            authority=scope.authority,
            name=d["name"],
            service_area=d["service_area"],
            locality=d["locality"],
        ),
    )
    if team is not None:
        messages.success(request, f"Team {team.name} created. Now add its posts.")
        return redirect(_team_url(team))
    return form_page(
        request,
        form,
        title="Create a team",
        caption="Teams",
        back_url=reverse("establishment:teams"),
        submit="Create team",
    )


@requires(Capability.MANAGE_POSTS)
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    team = scope_of(request).get(Team.objects.all(), team=SELF, pk=team_id)
    initial = {
        "name": team.name,
        "service_area": team.service_area,
        "locality": team.locality,
        "is_active": team.is_active,
    }
    form = TeamEditForm(posted(request), initial=initial)
    changed = submit(
        request,
        form,
        lambda d: services.update_team(
            team=team,
            name=d["name"],
            service_area=d["service_area"],
            locality=d["locality"],
            is_active=d["is_active"],
        ),
    )
    if changed is not None:
        messages.success(request, f"Team {changed.name} saved.")
        return redirect(_team_url(changed))
    return form_page(
        request,
        form,
        title="Change the team",
        caption=team.name,
        back_url=_team_url(team),
        submit="Save team",
    )


@requires(Capability.MANAGE_POSTS)
def role_list(request: HttpRequest) -> HttpResponse:
    roles = selectors.roles_with_posts(scope_of(request))
    return render(request, "establishment/roles.html", {"roles": roles})


def _role_values(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": d["title"],
        "org_role": d["org_role"],
        "grade": d["grade"],
        "case_holding": d["case_holding"],
        "capacity_points": d["capacity_points"],
        "order": d["order"],
    }


@requires(Capability.MANAGE_POSTS)
def role_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = RoleForm(posted(request))
    role = submit(
        request,
        form,
        lambda d: services.create_role(authority=scope.authority, **_role_values(d)),
    )
    if role is not None:
        messages.success(request, f"Role {role.title} created.")
        return redirect("establishment:roles")
    return form_page(
        request,
        form,
        title="Create a role",
        caption="Roles",
        back_url=reverse("establishment:roles"),
        submit="Create role",
    )


@requires(Capability.MANAGE_POSTS)
def role_edit(request: HttpRequest, role_id: int) -> HttpResponse:
    scope = scope_of(request)
    role = scope.get(Role.objects.all(), team=None, pk=role_id)
    initial = {
        "title": role.title,
        "org_role": role.org_role,
        "grade": role.grade,
        "case_holding": role.case_holding,
        "capacity_points": role.capacity_points,
        "order": role.order,
    }
    form = RoleForm(posted(request), initial=initial)
    changed = submit(request, form, lambda d: services.update_role(role=role, **_role_values(d)))
    if changed is not None:
        messages.success(request, f"Role {changed.title} saved.")
        return redirect("establishment:roles")
    in_use = selectors.role_in_use(role)
    return form_page(
        request,
        form,
        title="Change the role",
        caption=role.title,
        back_url=reverse("establishment:roles"),
        submit="Save role",
        intro=(
            "This role has posts: its census OrgRole and whether it holds cases are part of "
            "past figures and cannot change. Create a new role for a different OrgRole."
            if in_use
            else ""
        ),
    )


# Changes to one engagement ----------------------------------------------------------------------


@requires(Capability.MANAGE_PEOPLE)
def change_hours(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = _scoped_engagement(scope_of(request), engagement_id)
    form = ChangeHoursForm(posted(request))
    changed = submit(
        request,
        form,
        lambda d: services.change_hours(
            engagement=engagement, fte=d["fte"], from_date=d["from_date"]
        ),
        renamed={"start": "from_date", "end": "from_date"},
    )
    if changed is not None:
        messages.success(
            request,
            f"{engagement.worker.full_name} works {fte(changed.fte)} FTE in post "
            f"{changed.post.reference} from {govuk_date(changed.start)}.",
        )
        return redirect(_worker_url(engagement.worker))
    return form_page(
        request,
        form,
        title="Change hours",
        caption=engagement.worker.full_name,
        back_url=_worker_url(engagement.worker),
        submit="Change hours",
        summary=_engagement_summary(engagement),
        intro="Same post, new FTE from a date. The earlier FTE stays in their history and in "
        "figures for earlier dates. Not a leaver and not a starter.",
    )


@requires(Capability.MANAGE_PEOPLE)
def convert(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = _scoped_engagement(scope_of(request), engagement_id)
    form = ConvertForm(posted(request))
    employed = submit(
        request,
        form,
        lambda d: services.convert_to_permanent(
            engagement=engagement,
            from_date=d["from_date"],
            fte=d["fte"],
            start_origin=d["start_origin"],
        ),
        renamed={"start": "from_date", "end": "from_date", "engagement": "from_date"},
    )
    if employed is not None:
        messages.success(
            request,
            f"{engagement.worker.full_name} is a permanent employee in post "
            f"{employed.post.reference} from {govuk_date(employed.start)}.",
        )
        return redirect(_worker_url(engagement.worker))
    if not engagement.is_agency:
        intro = "This is not an agency assignment: only agency workers are converted this way."
    else:
        intro = (
            "The agency assignment ends the day before and a permanent engagement in the same "
            "post begins. For the census they are a starter (joining the authority's "
            "employment from agency work) and not a leaver."
        )
    return form_page(
        request,
        form,
        title="Make permanent",
        caption=engagement.worker.full_name,
        back_url=_worker_url(engagement.worker),
        submit="Make permanent",
        summary=_engagement_summary(engagement),
        intro=intro,
        warning=not engagement.is_agency,
    )


@requires(Capability.MANAGE_PEOPLE)
def end_engagement(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement = _scoped_engagement(scope_of(request), engagement_id)
    form = EndEngagementForm(posted(request))
    ended = submit(
        request,
        form,
        lambda d: services.end_engagement_by_hand(
            engagement=engagement, last_day=d["last_day"], reason=d["reason"]
        ),
        renamed={"end": "last_day"},
    )
    if ended is not None:
        return redirect("establishment:engagement_ended", engagement_id=ended.pk)
    return form_page(
        request,
        form,
        title="End in this post",
        caption=engagement.worker.full_name,
        back_url=_worker_url(engagement.worker),
        submit="End engagement",
        summary=_engagement_summary(engagement),
        intro="Ends this one post. To end someone's employment with the authority, record a "
        "leaver; to move them, use “Move to another post”.",
        warning=True,
    )


@requires(Capability.MANAGE_PEOPLE)
def engagement_ended(request: HttpRequest, engagement_id: int) -> HttpResponse:
    """What was recorded, and whether a leaving should be recorded next."""
    engagement = _scoped_engagement(scope_of(request), engagement_id)
    return render(
        request,
        "establishment/engagement_ended.html",
        {
            "engagement": engagement,
            "leaving_needed": selectors.leaving_needed(engagement),
            "worker_url": _worker_url(engagement.worker),
        },
    )
