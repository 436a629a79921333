"""The careers overview, where the careers navigation entry lands: headline figures, each
linked to its page, and the careers areas with a sentence each."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from workforce.careers import selectors_overview as selectors
from workforce.careers.areas import areas_for
from workforce.core.access import Capability, requires, scope_of


@requires(Capability.VIEW_AGGREGATES)
def overview(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    return render(
        request,
        "careers/overview.html",
        {
            "overview": selectors.overview(scope),
            "areas": [link for link in areas_for(scope, request.path) if link.current != "page"],
        },
    )
