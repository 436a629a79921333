"""Sign-in for tests: the one place a test session is given its second factor."""

from __future__ import annotations

from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from workforce.core.models import User
from workforce.core.security import two_factor_required
from workforce.core.signin import DEVICE_NAME, confirmed_device


def give_device(user: User) -> TOTPDevice:
    """The user's authenticator app, set up if they have none."""
    return confirmed_device(user) or TOTPDevice.objects.create(
        user=user, name=DEVICE_NAME, confirmed=True
    )


def code_for(device: TOTPDevice, *, step_offset: int = 0) -> str:
    """The code the user's app shows now (or `step_offset` steps of 30 seconds away)."""
    return f"{totp(device.bin_key, step=device.step, drift=step_offset):06d}"


def verify_session(client: Any, user: User) -> None:
    """Mark a signed-in test client's session as having given the second factor, when the
    user has an authenticator app or their role needs one."""
    if not (two_factor_required(user) or confirmed_device(user)):
        return
    device = give_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
