"""Home page and the audit trail."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from workforce.core.access import Capability, requires
from workforce.core.selectors import audit_entries


@requires(Capability.VIEW_AGGREGATES)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"scope": request.scope})  # type: ignore[attr-defined]


@requires(Capability.VIEW_AUDIT)
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = audit_entries(
        scope=request.scope,  # type: ignore[attr-defined]
        model=request.GET.get("model", ""),
        actor=request.GET.get("actor", ""),
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit.html",
        {"page": page, "actions": dict(LogEntry.Action.choices), "filters": request.GET},
    )
