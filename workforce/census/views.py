"""The census return page: choose the year, see the summary and the schema check, download."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from workforce.census import selectors, services
from workforce.census.forms import YearForm
from workforce.core.access import Capability, requires, scope_of
from workforce.core.models import User

# The return holds every worker's personal data: only those who see and manage people export it.
EXPORT = (Capability.VIEW_PEOPLE, Capability.MANAGE_PEOPLE)


def _page(
    request: HttpRequest, form: YearForm, years: list[int], status: int = 200
) -> HttpResponse:
    scope = scope_of(request)
    export = None
    year = None
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"]
        export = services.prepare(scope.authority, year, now=timezone.now())
    return render(
        request,
        "census/export.html",
        {
            "form": form,
            "years": years,
            "year": year,
            "export": export,
            "history": selectors.exports_for(scope.authority)[:20],
        },
        status=status,
    )


@requires(*EXPORT)
@require_http_methods(["GET", "HEAD"])
def export_page(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    years = selectors.census_years(scope.authority, today=scope.today)
    data = request.GET if "year" in request.GET else ({"year": years[0]} if years else None)
    form = YearForm(data, years=years)
    return _page(request, form, years)


@requires(*EXPORT)
@require_POST
def export_download(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    years = selectors.census_years(scope.authority, today=scope.today)
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
