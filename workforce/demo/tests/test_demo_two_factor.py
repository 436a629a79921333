"""demo_logins gives the demo's administrator and workforce lead an authenticator key, and
prints the code an app would show, so the demo can be signed in to without a phone."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from workforce.core.models import UserRole
from workforce.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_logins_prints_keys_and_the_code_now(authority, settings) -> None:
    UserFactory(username="lead", role=UserRole.WORKFORCE_LEAD, authority=authority)
    UserFactory(username="board", role=UserRole.BOARD_MEMBER, authority=authority)
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert "authenticator app" in text
    key_lines = [line for line in text.splitlines() if line.strip().startswith(("lead ", "board "))]
    assert [line.split()[0] for line in key_lines if len(line.split()) > 3] == ["lead"]

    code = io.StringIO()
    call_command("demo_logins", code="lead", stdout=code)
    client = Client()
    client.post("/sign-in/", {"username": "lead", "password": "correct-horse-battery"})
    response = client.post(reverse("two_factor_verify"), {"code": code.getvalue().strip()})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_demo_logins_gives_no_code_for_a_user_without_a_key(authority) -> None:
    UserFactory(username="board", role=UserRole.BOARD_MEMBER, authority=authority)
    with pytest.raises(CommandError):
        call_command("demo_logins", code="board", stdout=io.StringIO())


def test_demo_logins_refuses_in_production(settings) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("demo_logins", stdout=io.StringIO())
