"""Undoing the last import of a kind: every record it created deleted, every record it changed
given its earlier values back, all or nothing, each step in the audit trail; refused when it is
not the last of its kind or a record it wrote has been changed since."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from workforce.establishment.models import Engagement, Leaving, Post, PostFunding, Team, Worker
from workforce.establishment.services import update_team
from workforce.imports import changes, mappings, services
from workforce.imports.base import Action, Importer, Outcome, importer_for
from workforce.imports.models import ChangeAction, ImportChange, ImportRun, ImportStatus

SAMPLES = Path(__file__).resolve().parents[2] / "demo" / "samples"
ESTABLISHMENT = (SAMPLES / "establishment.csv").read_bytes()
STAFF = (SAMPLES / "staff-itrent.xlsx").read_bytes()


def imported(importer: Importer, authority, data: bytes, user=None) -> ImportRun:
    run, outcome = services.import_file(
        importer, authority, data=data, filename="file", user=user, now=timezone.now()
    )
    assert not outcome.errors, outcome.errors
    assert run.status == ImportStatus.APPLIED
    return run


def state(authority) -> dict[str, list]:
    """Everything the establishment holds, to compare before and after."""
    return {
        "teams": list(Team.objects.filter(authority=authority).values()),
        "posts": list(Post.objects.filter(authority=authority).values()),
        "funding": list(PostFunding.objects.filter(post__authority=authority).values()),
        "workers": list(Worker.objects.filter(authority=authority).values()),
        "engagements": list(Engagement.objects.filter(authority=authority).values()),
        "leavings": list(Leaving.objects.filter(authority=authority).values()),
    }


def without_times(snapshot: dict[str, list]) -> dict[str, list]:
    return {
        k: [{f: v for f, v in row.items() if f not in {"updated_at"}} for row in rows]
        for k, rows in snapshot.items()
    }


def names(authority) -> set[str]:
    return set(Team.objects.filter(authority=authority).values_list("name", flat=True))


IMPORTED = {"Front Door North", "Care West"}


@pytest.fixture
def hr(authority, reference_data):
    for list_name, local, meaning in [
        ("contract", "Perm", "Permanent"),
        ("contract", "Temp", "Fixed-term"),
        ("reason_leave", "Resignation - Personal", "Resignation"),
    ]:
        mappings.save_code_mapping(
            authority=authority, list_name=list_name, local=local, code=meaning
        )
    return authority


def test_undoing_an_import_deletes_what_it_created_and_audits_each_step(
    teams_importer, authority, personas
):
    run = imported(
        teams_importer, authority, b"Front Door North, front_door\nCare West, children_in_care\n"
    )
    assert names(authority) >= IMPORTED
    assert list(run.changes.values_list("action", flat=True)) == ["create", "create"]

    reversed_ = services.undo(run, user=personas.lead)

    assert reversed_ == 2
    assert not IMPORTED & names(authority)
    run.refresh_from_db()
    assert run.status == ImportStatus.UNDONE
    assert run.undone_by == personas.lead
    deletions = LogEntry.objects.filter(action=LogEntry.Action.DELETE, content_type__model="team")
    assert deletions.count() == 2
    assert {e.actor for e in deletions} == {personas.lead}


def test_undoing_gives_a_changed_record_its_earlier_values_back(teams_importer, authority):
    imported(teams_importer, authority, b"Front Door North, front_door\n")
    run = imported(
        teams_importer, authority, b"Front Door North, assessment\nCare West, children_in_care\n"
    )
    assert Team.objects.get(name="Front Door North").service_area == "assessment"
    assert run.changes.filter(action=ChangeAction.CHANGE).count() == 1

    services.undo(run, user=None)

    assert Team.objects.get(name="Front Door North").service_area == "front_door"
    assert not Team.objects.filter(name="Care West").exists()


def test_only_the_last_import_of_a_kind_can_be_undone(teams_importer, authority):
    first = imported(teams_importer, authority, b"Front Door North, front_door\n")
    imported(teams_importer, authority, b"Care West, children_in_care\n")

    reason = changes.why_not_undoable(first)

    assert "Only the last import of this kind can be undone" in reason
    with pytest.raises(ValidationError, match="Only the last import"):
        services.undo(first, user=None)
    assert names(authority) >= IMPORTED


def test_a_record_changed_since_stops_the_undo_and_nothing_is_undone(teams_importer, authority):
    run = imported(
        teams_importer, authority, b"Front Door North, front_door\nCare West, children_in_care\n"
    )
    team = Team.objects.get(name="Care West")
    update_team(team=team, name="Care West", service_area="children_in_care", locality="Leeds")

    reason = changes.why_not_undoable(run)

    assert "Care West" in reason and "has been changed since" in reason
    with pytest.raises(ValidationError):
        services.undo(run, user=None)
    assert names(authority) >= IMPORTED
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED


def test_an_import_that_changed_nothing_has_nothing_to_undo(teams_importer, authority):
    imported(teams_importer, authority, b"Front Door North, front_door\n")
    again = imported(teams_importer, authority, b"Front Door North, front_door\n")

    assert "changed nothing" in changes.why_not_undoable(again)


def test_the_staff_extract_undone_leaves_the_establishment_as_before(hr):
    establishment = importer_for("establishment")
    staff = importer_for("staff")
    assert establishment is not None and staff is not None
    imported(establishment, hr, ESTABLISHMENT)
    before = without_times(state(hr))
    run = imported(staff, hr, STAFF)
    assert Worker.objects.filter(authority=hr).count() == 11

    services.undo(run, user=None)

    assert without_times(state(hr)) == before
    # The same file imports again, as it did the first time.
    again = imported(staff, hr, STAFF)
    assert again.counts["worker"] == {"create": 11}


def test_undoing_what_later_records_rely_on_is_refused_and_changes_nothing(hr):
    establishment = importer_for("establishment")
    staff = importer_for("staff")
    assert establishment is not None and staff is not None
    run = imported(establishment, hr, ESTABLISHMENT)
    imported(staff, hr, STAFF)
    before = state(hr)

    with pytest.raises(ValidationError, match="Nothing was undone"):
        services.undo(run, user=None)

    assert state(hr) == before
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED


class BulkImporter(Importer):
    """Writes teams in SQL, as a bulk importer does, and says so."""

    kind = "bulk-teams"
    title = "Teams written in SQL"
    description = "Test importer."
    extensions = (".txt",)

    def load(self, data: bytes, authority, outcome: Outcome) -> None:
        names = data.decode().split()
        table = Team._meta.db_table
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (authority_id, name, service_area, locality, is_active, "  # noqa: S608
                "created_at, updated_at) VALUES (%s, %s, 'assessment', '', %s, %s, %s)",
                [(authority.pk, n, True, now, now) for n in names],
            )
        marks = ", ".join(["%s"] * len(names))
        picked = f"SELECT id FROM {table} WHERE authority_id = %s AND name IN ({marks})"  # noqa: S608
        changes.created_sql(Team, picked, [authority.pk, *names])
        for name in names:
            outcome.add(Action.CREATE, "team", name)


def test_rows_written_in_sql_are_recorded_and_undone(authority, monkeypatch):
    from workforce.imports import base

    importer = BulkImporter()
    monkeypatch.setitem(base._IMPORTERS, importer.kind, importer)
    run = imported(importer, authority, b"Alpha Beta")

    assert run.changes.count() == 2
    services.undo(run, user=None)
    assert not {"Alpha", "Beta"} & names(authority)


def test_changes_are_recorded_only_while_an_import_is_applied(teams_importer, authority):
    run, _ = services.check(
        teams_importer, authority, data=b"Front Door North, front_door\n", filename="f", user=None
    )
    Team.objects.create(authority=authority, name="By hand", service_area="assessment")

    assert not ImportChange.objects.exists()
    assert run.status == ImportStatus.PREVIEWED


def test_the_run_page_offers_the_undo_and_undoes_it(teams_importer, authority, personas):
    run = imported(teams_importer, authority, b"Front Door North, front_door\n")
    client = Client()
    client.force_login(personas.lead)
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "Undo this import" in page

    assert client.get(reverse("imports:undo", args=[run.pk])).status_code == 405
    response = client.post(reverse("imports:undo", args=[run.pk]), follow=True)

    text = response.content.decode()
    assert "Import undone" in text
    assert "was undone" in text
    assert "Front Door North" not in names(authority)


def test_the_run_page_says_why_an_import_cannot_be_undone(teams_importer, authority, personas):
    first = imported(teams_importer, authority, b"Front Door North, front_door\n")
    imported(teams_importer, authority, b"Care West, children_in_care\n")
    client = Client()
    client.force_login(personas.lead)

    page = client.get(reverse("imports:run", args=[first.pk])).content.decode()
    assert "Undo this import" not in page
    assert "Only the last import of this kind can be undone" in page
    response = client.post(reverse("imports:undo", args=[first.pk]), follow=True)
    assert "Only the last import of this kind can be undone" in response.content.decode()
    assert names(authority) >= IMPORTED


def test_people_who_may_not_import_may_not_undo(teams_importer, authority, personas):
    run = imported(teams_importer, authority, b"Front Door North, front_door\n")
    client = Client()
    client.force_login(personas.manager)

    response = client.post(reverse("imports:undo", args=[run.pk]))

    assert response.status_code == 403
    assert "Front Door North" in names(authority)


def test_the_command_undoes_the_last_import_of_a_kind(teams_importer, authority):
    imported(teams_importer, authority, b"Front Door North, front_door\n")
    out = StringIO()

    call_command("undo_import", "teams", "--authority", authority.code, stdout=out)

    assert "Undid the import of file" in out.getvalue()
    assert "1 change reversed" in out.getvalue()
    assert "Front Door North" not in names(authority)
    with pytest.raises(CommandError, match="kind: no teams file has been imported"):
        call_command("undo_import", "teams", "--authority", authority.code, stdout=out)
    with pytest.raises(CommandError, match="kind: there is no kind of file 'payroll'"):
        call_command("undo_import", "payroll", "--authority", authority.code, stdout=out)


def test_imports_undone_newest_first_one_after_another(teams_importer, authority):
    before = names(authority)
    first = imported(teams_importer, authority, b"Front Door North, front_door\n")
    second = imported(
        teams_importer, authority, b"Front Door North, assessment\nCare West, children_in_care\n"
    )

    services.undo(second, user=None)
    # The second import and its undoing together changed nothing: the first can be undone.
    assert changes.why_not_undoable(first) == ""
    services.undo(first, user=None)

    assert names(authority) == before
