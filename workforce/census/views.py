"""The census return page: choose the year, see the summary, the schema check and the business
rules' findings (as CSV or XLSX too), download the return when nothing blocks it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from workforce.census import rules, selectors, services
from workforce.census.forms import YearForm
from workforce.core.access import Capability, requires, scope_of
from workforce.core.exports import requested_format
from workforce.core.models import User
from workforce.establishment.models import Worker

# The return holds every worker's personal data: only those who see and manage people export it.
EXPORT = (Capability.VIEW_PEOPLE, Capability.MANAGE_PEOPLE)


FINDINGS = "findings"  # ?table=findings&format=csv|xlsx: the findings as a download


def _finding_rows(request: HttpRequest, export: services.Export) -> list[dict]:
    """The findings for the page, each with the person's page when the user may open it."""
    scope = scope_of(request)
    ids = [export.worker_id(f) for f in export.findings]
    openable = scope.openable(Worker, ids)
    rows = []
    for finding, worker_id in zip(export.findings, ids, strict=True):
        url = None
        if worker_id is not None and worker_id in openable:
            url = reverse("establishment:worker", args=[worker_id])
        rows.append(
            {
                "finding": finding,
                "error": finding.severity == rules.Severity.ERROR,
                "url": url,
            }
        )
    return rows


def _page(
    request: HttpRequest,
    form: YearForm,
    years: list[int],
    status: int = 200,
    export: services.Export | None = None,
) -> HttpResponse:
    scope = scope_of(request)
    year = None
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"]
        if export is None:
            export = services.prepare(scope.authority, year, now=timezone.now())
    return render(
        request,
        "census/export.html",
        {
            "form": form,
            "years": years,
            "year": year,
            "export": export,
            "findings": _finding_rows(request, export) if export else [],
            "year_query": urlencode({"year": year}) if year else "",
            "findings_query": urlencode({"year": year, "table": FINDINGS}) if year else "",
            "page_url": reverse("census:export"),
            "history": selectors.exports_for(scope)[:20],
            "imported": selectors.snapshot_for(scope, year) if year else None,
        },
        status=status,
    )


@requires(*EXPORT)
@require_http_methods(["GET", "HEAD"])
def export_page(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    years = selectors.census_years(scope, today=scope.today)
    data = request.GET if "year" in request.GET else ({"year": years[0]} if years else None)
    form = YearForm(data, years=years)
    fmt = requested_format(request)
    if fmt and request.GET.get("table", FINDINGS) == FINDINGS and form.is_valid():
        year = form.cleaned_data["year"]
        export = services.prepare(scope.authority, year, now=timezone.now())
        table = rules.findings_table(
            export.findings, title=f"Census return checks, year to 30 September {year}"
        )
        return table.response(fmt, f"csww-{scope.authority.code}-{year}-checks")
    return _page(request, form, years)


@requires(*EXPORT)
@require_POST
def export_download(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    years = selectors.census_years(scope, today=scope.today)
    form = YearForm(request.POST, years=years)
    if not form.is_valid():
        return _page(request, form, years, status=400)
    year = form.cleaned_data["year"]
    user = request.user
    assert isinstance(user, User)  # signed in: @requires sees to it
    try:
        export, _entry = services.record_export(
            scope.authority,
            year,
            user=user,
            now=timezone.now(),
        )
    except ValidationError as refusal:
        for message in refusal.message_dict.get("year", []):
            form.add_error(None, message)
        return _page(request, form, years, status=400)
    response = HttpResponse(export.xml, content_type="application/xml")
    filename = f"csww-{scope.authority.code}-{year}.xml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
