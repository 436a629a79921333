"""Backups: a backup restored into an empty database gives the same figures and audit trail."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from workforce.core import backup
from workforce.core.access import scope_for
from workforce.core.models import PersonalDataAccess, User
from workforce.metrics import selectors as metrics

TODAY = dt.date(2025, 9, 30)


def _figures() -> dict[str, Any]:
    lead = User.objects.get(username="lead")
    where = metrics.filter_for_scope(scope_for(lead))
    series = metrics.monthly_series(where=where, last=TODAY, months=12)
    return series.values


def _trail() -> list[tuple[Any, ...]]:
    entries = LogEntry.objects.order_by("pk").values_list(
        "pk", "action", "object_repr", "changes", "timestamp", "actor_id"
    )
    reads = PersonalDataAccess.objects.order_by("pk").values_list("pk", "user_id", "at")
    return [*entries, *reads]


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_gives_identical_figures_and_trail(
    tmp_path: Path,
) -> None:
    call_command("seed_demo", scale="team", seed=3, today=TODAY, stdout=StringIO())
    figures, trail = _figures(), _trail()
    assert trail and any(v for values in figures.values() for v in values)
    out = StringIO()
    target = tmp_path / "backup"

    call_command("backup", output=target, stdout=out)

    assert "Backup written" in out.getvalue()
    assert target.stat().st_mode & 0o077 == 0  # owner only: it holds personal data
    call_command("flush", interactive=False, verbosity=0)
    assert not backup.holds_records()

    call_command("restore", str(target), stdout=StringIO())

    assert _figures() == figures
    assert _trail() == trail


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_to_overwrite_records_unless_asked(tmp_path: Path) -> None:
    User.objects.create_user("someone", password="a long enough password 1")
    target = tmp_path / "backup"
    call_command("backup", output=target, stdout=StringIO())
    User.objects.create_user("later", password="a long enough password 2")

    with pytest.raises(CommandError, match="already holds records"):
        call_command("restore", str(target), stdout=StringIO())
    assert User.objects.filter(username="later").exists()

    call_command("restore", str(target), replace=True, stdout=StringIO())
    assert list(User.objects.values_list("username", flat=True)) == ["someone"]


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")

    with pytest.raises(CommandError, match="is not a backup"):
        call_command("restore", str(bogus), stdout=StringIO())
    with pytest.raises(CommandError, match="There is no file"):
        call_command("restore", str(tmp_path / "missing"), stdout=StringIO())


@pytest.mark.django_db
def test_restore_refuses_a_backup_of_the_other_kind_of_database(tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.write_bytes(
        (backup.POSTGRES_MAGIC if connection.vendor == "sqlite" else backup.SQLITE_MAGIC)
        + b"\0" * 64
    )

    with pytest.raises(CommandError, match="backup but this system runs on"):
        call_command("restore", str(other), stdout=StringIO())


@pytest.mark.django_db
def test_backup_never_overwrites_a_file(tmp_path: Path) -> None:
    existing = tmp_path / "existing"
    existing.write_text("keep me")

    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output=existing, stdout=StringIO())
    assert existing.read_text() == "keep me"
