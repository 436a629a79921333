"""Signing in safely: lockout after repeated failures, two-factor sign-in, the idle timeout,
security headers and private caching, and the GOV.UK error pages (docs/security.md)."""

from __future__ import annotations

import time

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from workforce.conftest import Personas
from workforce.core.security import LAST_SEEN
from workforce.core.signin import SignInEvent, is_locked_out
from workforce.core.tests.signin import code_for, give_device

SIGN_IN = "/sign-in/"


def sign_in(client: Client, username: str, password: str, **extra: str):
    return client.post(SIGN_IN, {"username": username, "password": password}, **extra)


def events(user) -> list[str]:
    entries = LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(user.pk)
    ).order_by("timestamp", "id")
    return [e.additional_data["sign_in_event"] for e in entries]


# Lockout --------------------------------------------------------------------------------------


def test_ten_wrong_passwords_lock_the_account_even_against_the_right_one(personas: Personas):
    client = Client()
    for _ in range(10):
        response = sign_in(client, "bola", "not-the-password")
    response = sign_in(client, "bola", personas.password)
    assert response.status_code == 429
    body = response.content.decode()
    assert "You cannot sign in at the moment" in body
    assert "ask your system administrator to unlock your account" in body
    assert "_auth_user_id" not in client.session
    assert is_locked_out(personas.board)
    assert events(personas.board).count(SignInEvent.FAILED) == 9
    assert SignInEvent.LOCKED_OUT in events(personas.board)


def test_nine_wrong_passwords_do_not_lock_and_a_sign_in_clears_them(personas: Personas):
    client = Client()
    for _ in range(9):
        assert sign_in(client, "bola", "not-the-password").status_code == 200
    response = sign_in(client, "bola", personas.password)
    assert response.status_code == 302
    assert not is_locked_out(personas.board)
    assert events(personas.board)[-1] == SignInEvent.SIGNED_IN


def test_one_address_trying_many_usernames_is_locked_out(personas: Personas):
    client = Client()
    for n in range(10):
        sign_in(client, f"nobody-{n}", "guess")
    response = sign_in(client, "bola", personas.password)
    assert response.status_code == 429


def test_an_administrator_unlocks_a_user_and_it_is_audited(personas: Personas):
    for _ in range(10):
        sign_in(Client(), "bola", "not-the-password", REMOTE_ADDR="10.0.0.9")
    assert is_locked_out(personas.board)
    admin = Client()
    admin.force_login(personas.admin)
    page = admin.get(reverse("user_access", args=[personas.board.pk])).content.decode()
    assert "Locked" in page and "Unlock signing in" in page
    response = admin.post(reverse("user_unlock", args=[personas.board.pk]))
    assert response.status_code == 302
    assert not is_locked_out(personas.board)
    entry = LogEntry.objects.filter(additional_data__sign_in_event=SignInEvent.UNLOCKED).get()
    assert entry.actor == personas.admin
    assert entry.object_pk == str(personas.board.pk)
    trail = admin.get(reverse("audit")).content.decode()
    assert "Sign-in unlocked by an administrator" in trail
    assert sign_in(Client(), "bola", personas.password, REMOTE_ADDR="10.0.0.8").status_code == 302


def test_only_administrators_unlock_and_only_their_own_authoritys_users(personas: Personas):
    lead = Client()
    lead.force_login(personas.lead)
    assert lead.post(reverse("user_unlock", args=[personas.board.pk])).status_code == 403
    admin = Client()
    admin.force_login(personas.admin)
    assert admin.post(reverse("user_unlock", args=[personas.outsider.pk])).status_code == 404
    assert admin.get(reverse("user_unlock", args=[personas.board.pk])).status_code == 405


def test_sign_in_and_sign_out_are_in_the_audit_trail(personas: Personas):
    client = Client()
    sign_in(client, "bola", "wrong-one")
    sign_in(client, "bola", personas.password)
    client.post(reverse("logout"))
    assert events(personas.board) == [
        SignInEvent.FAILED,
        SignInEvent.SIGNED_IN,
        SignInEvent.SIGNED_OUT,
    ]
    entry = LogEntry.objects.filter(additional_data__sign_in_event=SignInEvent.SIGNED_IN).get()
    assert entry.additional_data["authority_id"] == personas.board.authority_id
    assert entry.remote_addr == "127.0.0.1"


# Two-factor sign-in ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "lead"])
def test_administrators_and_leads_must_set_up_two_factor_before_any_page(
    personas: Personas, who: str
):
    user = getattr(personas, who)
    client = Client()
    response = sign_in(client, user.username, personas.password)
    assert response.status_code == 302
    for url in (reverse("home"), reverse("account"), "/establishment/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor_set_up"))
    page = client.get(reverse("two_factor_set_up"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(
        reverse("two_factor_set_up"), {"code": code_for(device), "next": "/establishment/"}
    )
    assert response.status_code == 302 and response["Location"] == "/establishment/"
    assert client.get(reverse("home")).status_code == 200
    assert SignInEvent.TWO_FACTOR_SET_UP in events(user)


def test_a_user_with_an_app_gives_its_code_after_the_password(personas: Personas):
    device = give_device(personas.lead)
    client = Client()
    sign_in(client, "leila", personas.password)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    response = client.post(reverse("two_factor_verify"), {"code": code_for(device)})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_code_is_refused_with_a_message_naming_the_field(personas: Personas):
    device = give_device(personas.lead)
    client = Client()
    sign_in(client, "leila", personas.password)
    wrong = code_for(device, step_offset=10)
    response = client.post(reverse("two_factor_verify"), {"code": wrong})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'href="#id_code"' in body
    assert "The code is not right" in body
    assert client.get(reverse("home")).status_code == 302
    assert SignInEvent.TWO_FACTOR_FAILED in events(personas.lead)
    for junk in ("", "abcdef", "12345"):
        body = client.post(reverse("two_factor_verify"), {"code": junk}).content.decode()
        assert 'href="#id_code"' in body


def test_two_factor_is_optional_for_other_roles_and_they_may_turn_it_on(personas: Personas):
    client = Client()
    sign_in(client, "harriet", personas.password)
    assert client.get(reverse("home")).status_code == 200
    assert "Set up" in client.get(reverse("account")).content.decode()
    client.get(reverse("two_factor_set_up"))
    device = TOTPDevice.objects.get(user=personas.hr)
    client.post(reverse("two_factor_set_up"), {"code": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.post(reverse("two_factor_remove")).status_code == 302
    assert not TOTPDevice.objects.filter(user=personas.hr).exists()


def test_a_lead_cannot_turn_off_two_factor_but_an_administrator_can_remove_their_app(
    personas: Personas,
):
    lead = Client()
    lead.force_login(personas.lead)
    lead.post(reverse("two_factor_remove"))
    assert TOTPDevice.objects.filter(user=personas.lead).exists()
    admin = Client()
    admin.force_login(personas.admin)
    admin.post(reverse("user_two_factor_remove", args=[personas.lead.pk]))
    assert not TOTPDevice.objects.filter(user=personas.lead).exists()
    entry = LogEntry.objects.get(additional_data__sign_in_event=SignInEvent.TWO_FACTOR_REMOVED)
    assert entry.actor == personas.admin


# Passwords and the idle timeout ---------------------------------------------------------------


def test_a_new_password_must_be_long_and_uncommon(personas: Personas):
    client = Client()
    client.force_login(personas.board)
    url = reverse("password_change")
    for new, message in (("short-one", "too short"), ("password1234", "too common")):
        body = client.post(
            url, {"old_password": personas.password, "new_password1": new, "new_password2": new}
        ).content.decode()
        assert message in body
        assert 'href="#id_new_password2"' in body
    new = "three random words"
    response = client.post(
        url, {"old_password": personas.password, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert SignInEvent.PASSWORD_CHANGED in events(personas.board)


def test_an_idle_session_ends_with_a_message_on_the_sign_in_page(personas: Personas, settings):
    client = Client()
    client.force_login(personas.board)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 1
    session.save()
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[0][0].startswith(SIGN_IN)
    assert "you had not used the service for 30 minutes" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert events(personas.board)[-1] == SignInEvent.IDLE


def test_a_session_in_use_does_not_end(personas: Personas, settings):
    client = Client()
    client.force_login(personas.board)
    client.get(reverse("home"))
    session = client.session
    session[LAST_SEEN] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT + 60
    session.save()
    assert client.get(reverse("home")).status_code == 200


# Headers and error pages -----------------------------------------------------------------------


def test_pages_carry_the_security_headers(personas: Personas):
    client = Client()
    client.force_login(personas.lead)
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert "<script>" not in response.content.decode()


def test_downloads_of_people_are_not_stored(personas: Personas):
    client = Client()
    client.force_login(personas.admin)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("users"), {"format": fmt})
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_the_sign_in_page_has_the_policy_too(db):
    response = Client().get(SIGN_IN)
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


@pytest.mark.parametrize(
    ("status", "template", "heading"),
    [
        (400, "400.html", "Sorry, there is a problem with your request"),
        (404, "404.html", "Page not found"),
        (500, "500.html", "Sorry, there is a problem with the service"),
    ],
)
def test_error_pages_use_the_layout(status, template, heading, db):
    from django.template.loader import render_to_string

    body = render_to_string(template)
    assert heading in body
    assert "govuk-header" in body and "govuk-footer" in body


def test_a_missing_page_is_the_govuk_404(personas: Personas):
    client = Client()
    client.force_login(personas.board)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_form_without_its_security_token_gets_a_plain_page(personas: Personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.board)
    response = client.post(reverse("password_change"), {})
    assert response.status_code == 403
    body = response.content.decode()
    assert "Your form could not be sent" in body
    assert "govuk-header" in body
    assert "CSRF" not in body
