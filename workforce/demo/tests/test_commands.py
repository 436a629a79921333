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
from workforce.establishment.models import Engagement, Team

pytestmark = pytest.mark.django_db


def seed(*args: str, **options: object) -> str:
    out = StringIO()
    call_command(
        "seed_demo",
        *args,
        scale="team",
        seed=3,
        today=TODAY,
        without_statistics=True,
        stdout=out,
        **options,
    )
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


def test_seed_demo_empty_makes_the_authority_and_logins_without_records(tmp_path) -> None:
    """A new authority in a second database: it then starts from the demo's census return."""
    from workforce.census.importer import TO_BE_ASSIGNED

    output = seed("--empty")
    assert "with no records" in output
    demo = Authority.objects.get(code=generator.DEMO_CODE)
    assert not Engagement.objects.filter(authority=demo).exists()
    assert User.objects.filter(authority=demo).count() == len(generator.DEMO_USERS)

    # The demo authority's return, written where it was built, read into the empty one here: a
    # hand-made one-worker return stands in for it.
    xml = tmp_path / "return.xml"
    xml.write_text(
        "<?xml version='1.0' encoding='UTF-8'?><Message><Header><CollectionDetails>"
        "<Collection>CSWW</Collection><Year>2024</Year><ReferenceDate>2024-09-30</ReferenceDate>"
        "</CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>990</LEA>"
        "<SoftwareCode>x</SoftwareCode><DateTime>2024-11-01T09:00:00Z</DateTime></Source>"
        "</Header><LALevelVacancies><NumberOfVacancies>0.50</NumberOfVacancies>"
        "<NoAgencyFTE>0</NoAgencyFTE><NoAgencyHeadcount>0</NoAgencyHeadcount>"
        "</LALevelVacancies><CSWWWorker><AgencyWorker>0</AgencyWorker>"
        "<SWENo>SW0000000001</SWENo><FTE>1.00</FTE><PersonBirthDate>1980-01-01</PersonBirthDate>"
        "<GenderCurrent>1</GenderCurrent><Ethnicity>WBRI</Ethnicity><QualInst>U</QualInst>"
        "<QualLevel>1</QualLevel><StepUpGrad>0</StepUpGrad><OrgRole>5</OrgRole>"
        "<RoleStartDate>2020-01-01</RoleStartDate><FTE30>1.00</FTE30><Cases30>10</Cases30>"
        "<WorkingDaysLost>0</WorkingDaysLost><FrontlineGrad>0</FrontlineGrad>"
        "<Absat30Sept>0</Absat30Sept></CSWWWorker></Message>"
    )
    from workforce.census.importer import CSWWImporter
    from workforce.imports.base import read

    outcome = read(CSWWImporter(), demo, xml.read_bytes(), apply=True)
    assert not outcome.errors, outcome.errors
    assert Team.objects.get(authority=demo).name == TO_BE_ASSIGNED
    # Now the demo authority has records: `make demo` leaves it alone.
    assert "already built; nothing to do" in seed("--if-empty")
