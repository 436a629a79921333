"""The comparison page: an authority's published values for a measure beside its statistical
neighbours or a comparator group, its region and England, its rank, the trend since 2017, and
for the user's own authority its live figures. Published statistics are not personal data."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from workforce.benchmarks import selectors_compare as selectors
from workforce.benchmarks.forms_groups import CompareForm
from workforce.benchmarks.models import Area, AreaLevel, ComparatorGroup
from workforce.core.access import Capability, requires, scope_of
from workforce.core.exports import filters_query, requested_format


@requires(Capability.VIEW_AGGREGATES)
def compare(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    areas = selectors.local_authorities()
    groups = selectors.groups(scope)
    own = next((a for a in areas if a.authority_id == scope.authority.pk), None)
    own_label = "" if own is not None else f"{scope.authority.name} (live figures)"
    data = request.GET.copy()
    form = CompareForm(data, areas=areas, groups=groups, own_label=own_label)
    valid = form.is_valid()
    chosen = form.cleaned_data if valid else {}
    headline = chosen.get("measure") or "agency"
    code = chosen.get("area") if "area" in data and valid else (own.code if own else "")
    area: Area | None = next((a for a in areas if a.code == code), None) if code else own
    if area is not None and area.region_id is not None:
        area = Area.objects.select_related("region").get(pk=area.pk)
    compare_with = chosen.get("compare") or ""
    group: ComparatorGroup | None = None
    if compare_with and compare_with != selectors.NEIGHBOURS:
        group = next((g for g in groups if str(g.pk) == compare_with), None)
    elif not compare_with and area is None and groups:
        group = groups[0]  # an authority DfE does not publish has no statistical neighbours
    if area is None and own is None and not own_label:
        raise Http404("There is no such authority.")
    comparison = selectors.comparison(scope, headline=headline, area=area, group=group)
    tables = selectors.tables(comparison)
    if fmt := requested_format(request):
        table = tables.get(request.GET.get("table", ""))
        if table is None:
            raise Http404("There is no such table on this page.")
        name = area.code if area is not None else scope.authority.code
        return table.response(fmt, f"benchmark-{headline}-{name}-{table.key}")
    has_published = any(r.year for r in comparison.rows if r.own.known or r.england.known)
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
            "has_published": has_published,
            "no_comparators": area is None and group is None,
            "can_manage": scope.can(Capability.MANAGE_COMPARATOR_GROUPS),
            "levels": AreaLevel,
        },
    )
