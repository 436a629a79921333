"""Shared fixtures: reference data, an authority with teams, and one named persona per role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from workforce.core.models import Authority, User, UserRole
from workforce.core.services import load_reference_data
from workforce.core.tests.factories import DEMO_PASSWORD, AuthorityFactory, UserFactory
from workforce.establishment.models import Team
from workforce.establishment.tests.factories import TeamFactory


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing(django_test_environment: None) -> Iterator[None]:
    """Tests hash passwords quickly: the real hasher takes most of a second per user."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def evidence_root(tmp_path: Any, settings: Any) -> Any:
    """Evidence files uploaded in a test are kept in its own folder."""
    settings.EVIDENCE_ROOT = str(tmp_path / "evidence")
    return tmp_path / "evidence"


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True, scope="session")
def tasks_run_at_once(django_test_environment: None) -> Iterator[None]:
    """Queued tasks run at once, in the request that queues them; the tests of the queue itself
    use the database backend and its worker (workforce/imports/tests/test_background.py)."""
    with override_settings(TASKS=IMMEDIATE_TASKS):
        yield


@pytest.fixture(autouse=True)
def force_login_gives_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """`client.force_login(user)` stands for a whole sign-in: the password and, where the user
    has or needs an authenticator app, its code (workforce.core.tests.signin). Tests of the
    sign-in itself post to the sign-in pages instead."""
    from workforce.core.tests.signin import verify_session

    force_login = Client.force_login

    def force_login_verified(self: Client, user: Any, backend: str | None = None) -> None:
        force_login(self, user, backend)
        verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login_verified)
    monkeypatch.setattr(Client, "login", login_verified)


def login_verified(self: Client, **credentials: Any) -> bool:
    """`client.login(...)` likewise; django-axes, which counts failed sign-ins by address,
    needs the request that Django's test client does not give."""
    from django.contrib.auth import authenticate
    from django.http import HttpRequest

    from workforce.core.tests.signin import verify_session

    request = HttpRequest()
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    user = authenticate(request, **credentials)
    if user is None:
        return False
    self._login(user)
    verify_session(self, user)
    return True


@pytest.fixture
def reference_data(db: None) -> None:
    load_reference_data()


@pytest.fixture
def authority(db: None) -> Authority:
    return AuthorityFactory(code="999", name="Exampleshire", region="West Midlands")


@pytest.fixture
def other_authority(db: None) -> Authority:
    return AuthorityFactory(code="998", name="Elsewhereshire", region="North West")


@dataclass
class Personas:
    """Named users, one per role, in `authority`; Tariq manages the first team only."""

    admin: User
    lead: User
    hr: User
    manager: User
    board: User
    analyst: User
    outsider: User  # a workforce lead of another authority
    own_team: Team
    other_team: Team
    password: str = DEMO_PASSWORD

    def all(self) -> dict[str, User]:
        return {
            "admin": self.admin,
            "lead": self.lead,
            "hr": self.hr,
            "manager": self.manager,
            "board": self.board,
            "analyst": self.analyst,
        }


@pytest.fixture
def personas(db: None, authority: Authority, other_authority: Authority) -> Personas:
    return build_personas(authority, other_authority)


def build_personas(authority: Authority, other_authority: Authority) -> Personas:
    """The personas without pytest, for fixtures of a wider scope (one world per module)."""
    own_team = TeamFactory(authority=authority, name="Assessment North")
    other_team = TeamFactory(authority=authority, name="Children in Care South")

    def make(username: str, first: str, role: str, auth: Authority = authority) -> User:
        return UserFactory(
            username=username, first_name=first, last_name="Persona", role=role, authority=auth
        )

    manager = make("tariq", "Tariq", UserRole.TEAM_MANAGER)
    own_team.managers.add(manager)
    return Personas(
        admin=make("ada", "Ada", UserRole.ADMIN),
        lead=make("leila", "Leila", UserRole.WORKFORCE_LEAD),
        hr=make("harriet", "Harriet", UserRole.HR_OFFICER),
        manager=manager,
        board=make("bola", "Bola", UserRole.BOARD_MEMBER),
        analyst=make("ana", "Ana", UserRole.ANALYST),
        outsider=make("otto", "Otto", UserRole.WORKFORCE_LEAD, other_authority),
        own_team=own_team,
        other_team=other_team,
    )


# Records built once for a whole module ---------------------------------------------------------


@contextmanager
def built_once(django_db_blocker: Any) -> Iterator[None]:
    """For a fixture of module scope: what is written inside stays for every test of the module
    (each test's own writes are rolled back after it as usual) and is all rolled back at the
    end. Not for tests that commit (`transaction=True`)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


DEMO_DAY = dt.date(2025, 9, 30)


def build_demo(*, seed: int = 3, today: dt.date = DEMO_DAY) -> Authority:
    """The demo authority at team scale, without the published statistics."""
    from workforce.demo.generator import DEMO_CODE

    call_command(
        "seed_demo",
        scale="team",
        seed=seed,
        today=today,
        without_statistics=True,
        stdout=StringIO(),
    )
    return Authority.objects.get(code=DEMO_CODE)


@pytest.fixture(scope="module")
def team_demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[Authority]:
    """The demo authority at team scale (seed 3, built on 30 September 2025), once per module."""
    with built_once(django_db_blocker):
        yield build_demo()
