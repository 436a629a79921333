"""The framework through its services, with the teams importer: a dry run writes nothing, errors
keep nothing, an import keeps everything, and importing the same file again changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError

from workforce.establishment.models import Team
from workforce.imports import sealed, services
from workforce.imports.models import ImportRun, ImportStatus
from workforce.imports.tests.conftest import TeamsImporter

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
GOOD = b"Front Door North, front_door\nAssessment East, assessment\n"
BAD = b"Front Door North, front_door\nno comma here\nCare West, nowhere\n"


def team_names(authority) -> set[str]:
    return set(Team.objects.filter(authority=authority).values_list("name", flat=True))


def test_a_dry_run_writes_nothing_and_keeps_the_file(teams_importer, personas, authority):
    run, outcome = services.check(
        teams_importer, authority, data=GOOD, filename="teams.csv", user=personas.lead
    )

    assert team_names(authority) == {"Assessment North", "Children in Care South"}
    assert run.status == ImportStatus.PREVIEWED
    assert sealed.unseal(run.data) == GOOD
    assert run.counts == {"Team": {"create": 2}}
    assert outcome.changes == 2


def test_errors_keep_nothing(teams_importer, personas, authority):
    run, outcome = services.import_file(
        teams_importer, authority, data=BAD, filename="teams.csv", user=None, now=NOW
    )

    assert run.status == ImportStatus.REFUSED
    assert run.data is None
    assert "Front Door North" not in team_names(authority)
    assert [(p.record, p.field) for p in outcome.errors] == [
        ("Line 2", "line"),
        ("Line 3", "service_area"),
    ]


def test_an_import_keeps_everything_and_records_who_and_when(teams_importer, personas, authority):
    run, _ = services.check(
        teams_importer, authority, data=GOOD, filename="teams.csv", user=personas.lead
    )

    outcome = services.apply(run, user=personas.admin, now=NOW)

    run.refresh_from_db()
    assert not outcome.errors
    assert {"Front Door North", "Assessment East"} <= team_names(authority)
    assert run.status == ImportStatus.APPLIED
    assert (run.checked_by, run.applied_by, run.applied_at) == (personas.lead, personas.admin, NOW)
    assert run.data is None


def test_importing_the_same_file_again_changes_nothing(teams_importer, personas, authority):
    services.import_file(teams_importer, authority, data=GOOD, filename="a.csv", user=None, now=NOW)
    before = list(Team.objects.order_by("pk").values())

    run, outcome = services.import_file(
        teams_importer, authority, data=GOOD, filename="a.csv", user=None, now=NOW
    )

    assert run.status == ImportStatus.APPLIED
    assert outcome.changes == 0
    assert run.counts == {"Team": {"match": 2}}
    assert list(Team.objects.order_by("pk").values()) == before


def test_a_changed_record_is_reported_as_changed(teams_importer, personas, authority):
    data = b"Assessment North, assessment\n"

    run, outcome = services.import_file(
        teams_importer, authority, data=data, filename="a.csv", user=None, now=NOW
    )

    assert run.counts == {"Team": {"change": 1}}
    assert Team.objects.get(name="Assessment North").service_area == "assessment"


def test_the_history_holds_the_checksum(teams_importer, personas, authority):
    run, _ = services.check(teams_importer, authority, data=GOOD, filename="t.csv", user=None)

    stored = ImportRun.objects.get(pk=run.pk)
    assert stored.sha256 == hashlib.sha256(GOOD).hexdigest()
    assert (stored.size, stored.filename, stored.kind) == (len(GOOD), "t.csv", "teams")


def test_an_oversized_file_is_refused_without_reading_it(teams_importer, authority):
    run = services.refuse_oversized(
        teams_importer, authority, size=TeamsImporter.max_bytes + 1, filename="big.csv", user=None
    )

    assert run is not None and run.status == ImportStatus.REFUSED
    assert run.sha256 == ""
    assert teams_importer.loads == 0
    message = run.problems[0]["message"]
    assert "the largest file that can be imported as List of teams is 10 KB" in message


def test_a_file_that_cannot_be_read_is_refused(teams_importer, authority):
    run, outcome = services.check(
        teams_importer, authority, data=b"\xff\xfe\x00", filename="t.csv", user=None
    )

    assert run.status == ImportStatus.REFUSED
    assert outcome.errors[0].message == "The file is not text (UTF-8)."


def test_applying_twice_is_refused(teams_importer, authority):
    run, _ = services.import_file(
        teams_importer, authority, data=GOOD, filename="t.csv", user=None, now=NOW
    )

    with pytest.raises(ValidationError, match="it is imported"):
        services.apply(run, user=None, now=NOW)


def test_a_discarded_file_is_forgotten_and_cannot_be_imported(teams_importer, authority):
    run, _ = services.check(teams_importer, authority, data=GOOD, filename="t.csv", user=None)

    services.discard(run)

    run.refresh_from_db()
    assert (run.status, run.data) == (ImportStatus.DISCARDED, None)
    with pytest.raises(ValidationError):
        services.apply(run, user=None, now=NOW)
    assert "Front Door North" not in team_names(authority)
