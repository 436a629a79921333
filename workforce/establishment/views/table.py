"""The establishment table and the posts behind one of its cells."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from workforce.core import tables
from workforce.core.access import Capability, requires, scope_of
from workforce.core.exports import filters_query, requested_format
from workforce.core.tables import Kind, Table
from workforce.core.templatetags.govuk import bracketed, fte
from workforce.establishment import selectors
from workforce.establishment.forms import CellForm, EstablishmentFilterForm
from workforce.establishment.models import Worker
from workforce.establishment.selectors import (
    COLUMN_LABELS,
    Column,
    EstablishmentTable,
    PostLine,
)
from workforce.establishment.views.common import FILLED, TOTAL


def _cell_text(column: Column, value: Decimal) -> str:
    return bracketed(value) if column == Column.OVER_UNDER else fte(value)


def table_rows(
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


def table_download(fmt: str, filename: str, table: EstablishmentTable) -> HttpResponse:
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
            return table_download(fmt, f"establishment-{on.isoformat()}", table)
        context.update(
            table=table,
            on=on,
            description=form.description(),
            rows=table_rows(request, table),
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
