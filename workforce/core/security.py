"""Sign-in rules applied to every request: private pages are never cached, an idle session ends,
and a role that must use two-factor sign-in reaches no page before it has (docs/security.md)."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, ResolverMatch, resolve, reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.static import serve
from django_htmx.http import HttpResponseClientRedirect

from workforce.core.models import User

Handler = Callable[[HttpRequest], HttpResponse]
LAST_SEEN = "last_seen"
# How often the time of a user's last request is written to the session (a write per request
# would be a database write per request).
LAST_SEEN_GRANULARITY = 60


def two_factor_required(user: User) -> bool:
    """Whether the user's role must sign in with a second factor (settings.TWO_FACTOR_ROLES)."""
    return user.role in settings.TWO_FACTOR_ROLES


def _is_verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def _go(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect, which htmx follows by loading the whole page rather than a part of it."""
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


class PrivateResponseMiddleware:
    """Every answer to a signed-in user may hold personal data: no browser or proxy keeps it.
    Browser features the service never uses are switched off on every page."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class IdleTimeoutMiddleware:
    """Signs out a user who has made no request for settings.SESSION_IDLE_TIMEOUT seconds."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                from workforce.core.signin import SignInEvent, record_sign_in_event

                user = request.user
                request.idle_sign_out = True  # type: ignore[attr-defined]
                logout(request)
                record_sign_in_event(SignInEvent.IDLE, user=user, request=request)
                minutes = settings.SESSION_IDLE_TIMEOUT // 60
                messages.info(
                    request,
                    f"You were signed out because you had not used the service for {minutes} "
                    "minutes. Sign in again to carry on.",
                )
                return _go(request, _with_next(reverse("login"), request))
            if last_seen is None or now - last_seen >= LAST_SEEN_GRANULARITY:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


# Pages open to a signed-in user who has not yet given a second factor.
TWO_FACTOR_OPEN = ("two_factor_verify", "two_factor_set_up", "logout")


class TwoFactorMiddleware:
    """A user with an authenticator app, or whose role must have one, gives a code from it
    after their password and before any page: setting one up first if they have none."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not _is_verified(request):
            from django_otp import user_has_device

            match = _resolve(request)
            if match is None or (match.url_name not in TWO_FACTOR_OPEN and match.func is not serve):
                if user_has_device(user):
                    return _go(request, _with_next(reverse("two_factor_verify"), request))
                if two_factor_required(user):
                    return _go(request, _with_next(reverse("two_factor_set_up"), request))
        return self.get_response(request)


def _resolve(request: HttpRequest) -> ResolverMatch | None:
    try:
        return resolve(request.path_info)
    except Resolver404:
        return None


def _with_next(url: str, request: HttpRequest) -> str:
    if request.method == "GET" and request.path != "/":
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url
