"""Pages of signing in beyond the password: "Your account", two-factor sign-in (setting up an
authenticator app and giving its code), changing a password, and an administrator unlocking a
user or removing their authenticator app. Writes go through `core.signin`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from workforce.core import signin
from workforce.core.access import Capability, requires, scope_of
from workforce.core.forms import Form, NamedErrorsMixin, named
from workforce.core.models import User
from workforce.core.pages import submit
from workforce.core.security import two_factor_required
from workforce.core.selectors import users_for


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """What django-axes answers a sign-in while the username or address is locked out."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = -(-int(cool_off.total_seconds()) // 60) if cool_off else None
    limit = settings.AXES_FAILURE_LIMIT
    context = {"failure_limit": limit, "cooloff_minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


class CodeForm(Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows now, for example 123456.",
        max_length=12,
        error_messages={"required": "Enter the 6-digit code from your authenticator app."},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        ),
    )


def _next(request: HttpRequest) -> str:
    """Where to go after a second factor: the page first asked for, if it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next(request)})}"


def _is_verified(request: HttpRequest) -> bool:
    return bool(request.user.is_verified())  # type: ignore[union-attr]


@requires(Capability.VIEW_AGGREGATES)
def account(request: HttpRequest) -> HttpResponse:
    """Your account: your role, your password, and two-factor sign-in."""
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "core/account/account.html",
        {
            "device": signin.confirmed_device(user),
            "required": two_factor_required(user),
            "min_length": _min_length(),
        },
    )


def _min_length() -> int:
    return int(settings.PASSWORD_MIN_LENGTH)


@requires(Capability.VIEW_AGGREGATES)
def two_factor_set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then give a code."""
    user: User = request.user  # type: ignore[assignment]
    if signin.confirmed_device(user) is not None and not _is_verified(request):
        return redirect(_with_next("two_factor_verify", request))
    device = signin.pending_device(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    done = submit(
        request,
        form,
        lambda d: signin.confirm_device(request=request, device=device, code=d["code"]),
    )
    if done is not None:
        messages.success(
            request,
            "Two-factor sign-in is set up. You will need a code from the app each time you "
            "sign in.",
        )
        return redirect(_next(request))
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=5, dark="#0b0c0c", light="#ffffff", title="QR code of your key")
    return render(
        request,
        "core/account/two_factor_set_up.html",
        {
            "form": form,
            "qr_svg": mark_safe(svg),  # segno's own SVG of the key's address, no user text
            "secret": signin.secret_text(device),
            "required": two_factor_required(user),
            "next": _next(request),
            "replacing": signin.confirmed_device(user) is not None,
        },
    )


@requires(Capability.VIEW_AGGREGATES)
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the user's authenticator app."""
    user: User = request.user  # type: ignore[assignment]
    if _is_verified(request):
        return redirect(_next(request))
    if signin.confirmed_device(user) is None:
        return redirect(_with_next("two_factor_set_up", request))
    form = CodeForm(request.POST if request.method == "POST" else None)
    done = submit(
        request, form, lambda d: signin.verify_code(request=request, user=user, code=d["code"])
    )
    if done is not None:
        return redirect(_next(request))
    return render(
        request, "core/account/two_factor_verify.html", {"form": form, "next": _next(request)}
    )


@requires(Capability.VIEW_AGGREGATES)
@require_POST
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    """Turn off your own two-factor sign-in (roles that do not need it)."""
    user: User = request.user  # type: ignore[assignment]
    try:
        signin.remove_two_factor(user=user, by=user, request=request)
    except forms.ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Two-factor sign-in is turned off.")
    return redirect("account")


class GovukPasswordChangeForm(NamedErrorsMixin, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not right. Enter it again.",
        "password_mismatch": "The two new passwords are not the same. Enter the same one twice.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password."
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = (
            f"At least {_min_length()} characters. Three random words together are easy to "
            "remember and hard to guess. It must not be a common password."
        )
        self.fields["new_password1"].error_messages["required"] = "Enter a new password."
        self.fields["new_password2"].label = "New password again"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again."
        named(self.fields["new_password2"], "the new password")

    def add_error(self, field: str | None, error: Any) -> None:
        """Django's password checks say "This password…": say which one."""
        if field == "new_password2" and isinstance(error, forms.ValidationError):
            error = forms.ValidationError(
                [
                    m.replace("This password", "The new password").replace(
                        "The password is", "The new password is"
                    )
                    for m in error.messages
                ]
            )
        super().add_error(field, error)


@requires(Capability.VIEW_AGGREGATES)
def password_change(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = GovukPasswordChangeForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        signin.record_sign_in_event(signin.SignInEvent.PASSWORD_CHANGED, user=user, request=request)
        messages.success(request, "Your password is changed.")
        return redirect("account")
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": "Change your password",
            "back_url": reverse("account"),
            "submit": "Change password",
            "intro": "You will not be asked to change it on a timetable: change it if you think "
            "someone else may know it.",
        },
    )


# An administrator's actions on another user's sign-in ---------------------------------------


@requires(Capability.MANAGE_USERS)
@require_POST
def user_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    account_user = get_object_or_404(users_for(scope=scope_of(request)), pk=user_id)
    signin.unlock_sign_in(user=account_user, by=request.user, request=request)  # type: ignore[arg-type]
    messages.success(request, f"{account_user} can sign in again.")
    return redirect("user_access", user_id=account_user.pk)


@requires(Capability.MANAGE_USERS)
@require_POST
def user_two_factor_remove(request: HttpRequest, user_id: int) -> HttpResponse:
    account_user = get_object_or_404(users_for(scope=scope_of(request)), pk=user_id)
    try:
        signin.remove_two_factor(user=account_user, by=request.user, request=request)  # type: ignore[arg-type]
    except forms.ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("user_access", user_id=account_user.pk)
    messages.success(
        request,
        f"{account_user}'s authenticator app is removed."
        + (
            " They will set up a new one when they next sign in."
            if two_factor_required(account_user)
            else ""
        ),
    )
    return redirect("user_access", user_id=account_user.pk)
