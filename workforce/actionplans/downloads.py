"""The formal response downloads: the paper as a Word file, and its action plan table as CSV or
XLSX. Every user who sees figures may download them; another authority's plan is not found."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from workforce.actionplans import exports, selectors
from workforce.core.access import Capability, requires, scope_of
from workforce.core.exports import requested_format, safe_filename
from workforce.core.models import User

GET = ["GET", "HEAD"]


def _name(source_id: int, on: object, progress: bool) -> str:
    kind = "progress" if progress else "formal-response"
    return safe_filename(f"action-plan-{source_id}-{kind}-{on}")


@requires(Capability.VIEW_AGGREGATES)
@require_http_methods(GET)
def response_docx(request: HttpRequest, source_id: int) -> HttpResponse:
    """The formal response as a council paper; `?progress=1` adds each action's latest
    update."""
    scope = scope_of(request)
    source = selectors.get_source(scope, source_id)
    progress = request.GET.get("progress") == "1"
    on = timezone.localdate()
    user = request.user
    assert isinstance(user, User)  # signed in: @requires sees to it
    content = exports.response_docx(
        source,
        selectors.plan(scope, source),
        on=on,
        authority=scope.authority.name,
        originator=user.get_full_name() or user.username,
        now=timezone.now(),
        progress=progress,
    )
    response = HttpResponse(content, content_type=exports.DOCX_TYPE)
    name = f"{_name(source.pk, on, progress)}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(Capability.VIEW_AGGREGATES)
@require_http_methods(GET)
def response_table(request: HttpRequest, source_id: int) -> HttpResponse:
    """The action plan table as `?format=csv` or `xlsx` (the default)."""
    scope = scope_of(request)
    source = selectors.get_source(scope, source_id)
    on = timezone.localdate()
    rows = exports.response_rows(selectors.plan(scope, source), on)
    table = exports.response_table(source, rows, on)
    return table.response(requested_format(request) or "xlsx", _name(source.pk, on, True))
