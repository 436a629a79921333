"""The page shown when a form's security check fails (settings.CSRF_FAILURE_VIEW). The other
error pages are the templates 400.html, 403.html, 404.html and 500.html."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its security token: usually an old page, or cookies turned off."""
    return render(request, "403_csrf.html", status=403)
