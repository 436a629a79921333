"""The retention page: survival curves by cohort and route, turnover breakdowns, the stability
index, and their downloads. Team managers see their own teams; board members small groups
withheld."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from workforce.careers import retention as selectors
from workforce.core.access import Capability, requires, scope_of
from workforce.core.exports import filters_query, requested_format
from workforce.core.forms import AsAtForm
from workforce.core.models import UserRole
from workforce.metrics.selectors import filter_for_scope


@requires(Capability.VIEW_AGGREGATES)
def retention(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = AsAtForm(request.GET or None)
    on = form.as_at()
    board = scope.role == UserRole.BOARD_MEMBER
    page = selectors.page(filter_for_scope(scope), on, board=board)
    if fmt := requested_format(request):
        table = page.tables().get(request.GET.get("table", ""))
        if table is None:
            raise Http404("There is no such table on this page.")
        return table.response(fmt, f"{table.key}-{on.isoformat()}")

    def query(key: str) -> str:
        return filters_query(request, table=key)

    charts = [
        {
            "chart": chart,
            "summary_query": query(chart.summary_table.key),
            "curves": [(table, query(table.key)) for table in chart.curve_tables],
        }
        for chart in page.charts
    ]
    turnover = [(table, query(table.key)) for table in page.turnover_tables.values()]
    return render(
        request,
        "careers/retention/page.html",
        {"form": form, "on": on, "page": page, "charts": charts, "turnover": turnover},
    )
