"""The comparison page: an authority's published values for a measure beside its statistical
neighbours or a comparator group, its region and England, its rank, the trend since 2017, and
for the user's own authority its live figures. Published statistics are not personal data."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from workforce.benchmarks import selectors_compare as selectors
from workforce.benchmarks.forms_groups import CompareForm
from workforce.benchmarks.models import Area, ComparatorGroup
from workforce.core.access import Capability, requires, scope_of
from workforce.core.exports import filters_query, requested_format


@requires(Capability.VIEW_AGGREGATES)
def compare(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    areas = selectors.local_authorities()
    groups = selectors.groups(scope)
    own = next((a for a in areas if a.authority_id == scope.authority.pk), None)
    own_label = "" if own is not None else f"{scope.authority.name} (live figures)"
    # Whatever the address leaves out is the default: the user's own authority, the agency
    # rate, and its statistical neighbours (an authority DfE does not publish has none: its
    # first comparator group).
    data = request.GET.copy()
    data.setdefault("area", own.code if own is not None else selectors.OWN)
    data.setdefault("measure", "agency")
    if data["area"] == selectors.OWN and groups:
        data.setdefault("compare", str(groups[0].pk))
    data.setdefault("compare", selectors.NEIGHBOURS)
    form = CompareForm(data, areas=areas, groups=groups, own_label=own_label)
    form.is_valid()  # the choices that are valid are kept; the others are named on the page
    headline = form.cleaned_data.get("measure") or "agency"
    code = form.cleaned_data.get("area")
    area: Area | None = own
    if code is not None:
        area = next((a for a in areas if a.code == code), None)
    if area is not None:
        area = Area.objects.select_related("region").get(pk=area.pk)
    compare_with = form.cleaned_data.get("compare", "")
    group: ComparatorGroup | None = next((g for g in groups if str(g.pk) == compare_with), None)
    comparison = selectors.comparison(scope, headline=headline, area=area, group=group)
    tables = selectors.tables(comparison)
    if fmt := requested_format(request):
        table = tables.get(request.GET.get("table", ""))
        if table is None:
            raise Http404("There is no such table on this page.")
        name = area.code if area is not None else scope.authority.code
        return table.response(fmt, f"benchmark-{headline}-{name}-{table.key}")
    return render(
        request,
        "benchmarks/compare.html",
        {
            "form": form,
            "comparison": comparison,
            "headline_label": selectors.HEADLINE_LABELS[headline],
            "tables": tables,
            "queries": {key: filters_query(request, table=key) for key in tables},
            "rank_sentence": selectors.rank_sentence(comparison),
            "chart": selectors.chart_spec(comparison) if comparison.rows else None,
            "chart_summary": selectors.chart_summary(comparison),
            "has_published": any(r.england.known or r.group.count for r in comparison.rows),
            "no_comparators": area is None and group is None,
            "can_manage": scope.can(Capability.MANAGE_COMPARATOR_GROUPS),
            "can_load_statistics": scope.can(Capability.MANAGE_AUTHORITIES),
        },
    )
