"""seed_demo and demo_logins: demo users per role, --if-empty, the logins table."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from workforce.core.models import Authority, User, UserRole
from workforce.demo import generator
from workforce.demo.tests.conftest import TODAY
from workforce.establishment.models import Engagement

pytestmark = pytest.mark.django_db


def seed(*args: str, **options: object) -> str:
    out = StringIO()
    call_command("seed_demo", *args, scale="team", seed=3, today=TODAY, stdout=out, **options)
    return out.getvalue()


def test_seed_demo_creates_one_demo_user_per_role() -> None:
    seed()
    demo = Authority.objects.get(code="990")

    users = {u.username: u for u in User.objects.all()}
    assert {name: users[name].role for name in users} == {
        "admin": UserRole.ADMIN,
        "lead": UserRole.WORKFORCE_LEAD,
        "hr": UserRole.HR_OFFICER,
        "manager": UserRole.TEAM_MANAGER,
        "board": UserRole.BOARD_MEMBER,
        "analyst": UserRole.ANALYST,
    }
    assert all(u.authority == demo for u in users.values())
    assert all(u.check_password(generator.DEMO_PASSWORD) for u in users.values())
    assert sorted(t.name for t in users["manager"].managed_teams.all()) == [
        "Assessment",
        "Child Protection",
    ]
    west_midlands = Authority.objects.filter(region="West Midlands").exclude(code="990")
    assert west_midlands.count() == 14
    assert set(users["analyst"].extra_authorities.all()) == set(west_midlands)


def test_demo_users_can_sign_in_with_the_demo_password() -> None:
    seed()

    assert Client().login(username="lead", password=generator.DEMO_PASSWORD)


def test_seed_demo_if_empty_does_nothing_the_second_time() -> None:
    seed()
    before = Engagement.objects.count()

    output = seed("--if-empty")

    assert "already built; nothing to do" in output
    assert Engagement.objects.count() == before
    assert User.objects.count() == 6


def test_seed_demo_refuses_to_build_twice_without_if_empty() -> None:
    seed()

    with pytest.raises(CommandError, match="already built"):
        seed()


def test_seed_demo_reports_what_it_built() -> None:
    output = seed()

    assert "Built the team demo (seed 3, history to 30 September 2025)" in output
    assert "agency rate" in output and "vacancy rate" in output


def test_seed_demo_refuses_a_badly_written_today() -> None:
    with pytest.raises(CommandError, match="--today must be a date"):
        call_command("seed_demo", "--scale", "team", "--today", "30/09/2025", stdout=StringIO())


def test_demo_logins_lists_every_role_with_the_shared_password() -> None:
    seed()
    out = StringIO()

    call_command("demo_logins", stdout=out)

    lines = out.getvalue().splitlines()
    assert "for the demo only" in lines[0]
    for username in ("admin", "lead", "hr", "manager", "board", "analyst"):
        assert any(f" {username} " in line and generator.DEMO_PASSWORD in line for line in lines)
    assert any("Assessment and Child Protection" in line for line in lines)


def test_demo_logins_says_when_there_are_none() -> None:
    out = StringIO()

    call_command("demo_logins", stdout=out)

    assert "run `manage.py seed_demo` first" in out.getvalue()


def test_seed_demo_can_write_its_timings_for_the_benchmarks(tmp_path: Path) -> None:
    timings = tmp_path / "timings.json"

    seed(timings=str(timings))

    written = json.loads(timings.read_text())
    assert written["authorities"] == 1
    assert written["seconds"] > 0
    assert set(written["other_apps"]) <= set(generator.HOOK_MODULES)
