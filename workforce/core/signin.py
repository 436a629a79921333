"""Sign-in: its events in the audit trail, lockouts after failed attempts (django-axes), and
two-factor devices (django-otp's TOTP). Writes and reads; the pages are in `core.account`."""

from __future__ import annotations

import datetime as dt
from base64 import b32encode
from typing import Any

from auditlog.models import LogEntry
from axes.helpers import get_client_ip_address, get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from workforce.core.models import User


class SignInEvent(models.TextChoices):
    """What the audit trail says of a sign-in (each entry is on the user's record)."""

    SIGNED_IN = "signed_in", "Signed in"
    SIGNED_OUT = "signed_out", "Signed out"
    IDLE = "signed_out_idle", "Signed out after being idle"
    FAILED = "sign_in_failed", "Sign-in refused: wrong password"
    LOCKED_OUT = "locked_out", "Sign-in refused: locked out after repeated failures"
    UNLOCKED = "unlocked", "Sign-in unlocked by an administrator"
    TWO_FACTOR_SET_UP = "two_factor_set_up", "Two-factor sign-in set up"
    TWO_FACTOR_FAILED = "two_factor_failed", "Two-factor code refused"
    TWO_FACTOR_REMOVED = "two_factor_removed", "Two-factor sign-in removed"
    PASSWORD_CHANGED = "password_changed", "Password changed"


def event_label(entry: LogEntry) -> str | None:
    """The sign-in event an audit entry records, in words; None for any other entry."""
    data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    event = data.get("sign_in_event")
    if entry.action != LogEntry.Action.ACCESS or event not in SignInEvent.values:
        return None
    return str(SignInEvent(event).label)


def record_sign_in_event(
    event: SignInEvent, *, user: User, request: HttpRequest | None, by: User | None = None
) -> LogEntry:
    """Write a sign-in event to the audit trail of the user's authority."""
    address = get_client_ip_address(request) if request is not None else None
    entry = LogEntry.objects.log_create(
        user,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=by or user,
        remote_addr=address,
        additional_data={"authority_id": user.authority_id, "sign_in_event": event.value},
    )
    assert entry is not None
    return entry


@receiver(user_logged_in, dispatch_uid="core.signin.logged_in")
def _signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    record_sign_in_event(SignInEvent.SIGNED_IN, user=user, request=request)


@receiver(user_logged_out, dispatch_uid="core.signin.logged_out")
def _signed_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None and not getattr(request, "idle_sign_out", False):
        record_sign_in_event(SignInEvent.SIGNED_OUT, user=user, request=request)


@receiver(user_login_failed, dispatch_uid="core.signin.login_failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """A refused sign-in for a username that exists (django-axes, whose handler runs first,
    counts every attempt, known username or not)."""
    username = credentials.get(User.USERNAME_FIELD) or ""
    user = User.objects.filter(username=username).first()
    if user is None:
        return
    locked = bool(getattr(request, "axes_locked_out", False))
    event = SignInEvent.LOCKED_OUT if locked else SignInEvent.FAILED
    record_sign_in_event(event, user=user, request=request)


# Lockouts ---------------------------------------------------------------------------------------


def failed_attempts(username: str) -> int:
    """Failed sign-ins for a username that still count towards its lockout."""
    attempts = AccessAttempt.objects.filter(username=username)
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.aggregate(n=Max("failures_since_start"))["n"] or 0


def is_locked_out(user: User) -> bool:
    return failed_attempts(user.username) >= settings.AXES_FAILURE_LIMIT


@transaction.atomic
def unlock_sign_in(*, user: User, by: User, request: HttpRequest | None) -> int:
    """Clear a user's failed sign-ins so they may sign in again; audited. Returns how many
    records of attempts were cleared."""
    if user.authority_id != by.authority_id:
        raise ValidationError("You can only unlock users of your own authority.")
    cleared = axes_reset(username=user.username)
    record_sign_in_event(SignInEvent.UNLOCKED, user=user, request=request, by=by)
    return cleared


# Two-factor devices -----------------------------------------------------------------------------

DEVICE_NAME = "Authenticator app"


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator device being set up (a new secret key if none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The device's key as people type it into an app: base32, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _check_code(device: TOTPDevice, code: str) -> None:
    allowed, info = device.verify_is_allowed()
    if not allowed:
        wait = dt.timedelta(seconds=2 ** ((info or {}).get("failure_count", 1) - 1))
        raise ValidationError(
            {
                "code": "Too many wrong codes. Wait "
                f"{max(1, int(wait.total_seconds()))} seconds, then enter the newest code."
            }
        )
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        raise ValidationError({"code": "Enter the 6-digit code from your authenticator app."})
    if not device.verify_token(code):
        raise ValidationError(
            {"code": "The code is not right. Enter the newest 6-digit code shown in your app."}
        )


@transaction.atomic
def confirm_device(*, request: HttpRequest, device: TOTPDevice, code: str) -> TOTPDevice:
    """Finish setting up an authenticator app with a code from it; the session is verified."""
    user = device.user
    _check_code(device, code)
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    record_sign_in_event(SignInEvent.TWO_FACTOR_SET_UP, user=user, request=request)
    return device


def verify_code(*, request: HttpRequest, user: User, code: str) -> TOTPDevice:
    """Check a code from the user's authenticator app; the session is verified."""
    device = confirmed_device(user)
    if device is None:
        raise ValidationError({"code": "Set up an authenticator app first."})
    try:
        _check_code(device, code)
    except ValidationError:
        record_sign_in_event(SignInEvent.TWO_FACTOR_FAILED, user=user, request=request)
        raise
    otp_login(request, device)
    return device


@transaction.atomic
def remove_two_factor(*, user: User, by: User, request: HttpRequest | None) -> None:
    """Remove a user's authenticator app (lost, or changed phone): they set one up again at
    their next sign-in if their role needs it. Someone whose role needs it cannot remove their
    own; an administrator removes it for them."""
    from workforce.core.security import two_factor_required

    if by == user and two_factor_required(user):
        raise ValidationError("Your role needs two-factor sign-in: it cannot be turned off.")
    if by != user and user.authority_id != by.authority_id:
        raise ValidationError("You can only change users of your own authority.")
    TOTPDevice.objects.filter(user=user).delete()
    record_sign_in_event(SignInEvent.TWO_FACTOR_REMOVED, user=user, request=request, by=by)
