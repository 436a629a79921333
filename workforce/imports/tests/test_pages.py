"""The import pages with the teams importer: uploading checks a file and changes nothing, the
run page says what the import would do, importing keeps it all, and only workforce leads and
administrators of the authority reach any of it."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from workforce.establishment.models import Team
from workforce.imports import base, services, uploads
from workforce.imports.models import ImportRun, ImportStatus

GOOD = b"Front Door North, front_door\nAssessment East, assessment\nOdd Jobs, other\n"
BAD = b"Front Door North, front_door\nno comma here\n"
INDEX = reverse("imports:index")
UPLOAD = reverse("imports:upload", args=["teams"])


def run_url(run: ImportRun, name: str = "run") -> str:
    return reverse(f"imports:{name}", args=[run.pk])


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, data: bytes, name: str = "teams.csv", url: str = UPLOAD):
    return client.post(url, {"file": SimpleUploadedFile(name, data, "text/csv")})


def text(response) -> str:
    return response.content.decode()


def messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.fixture
def lead(personas, teams_importer) -> Client:
    return client_for(personas.lead)


def test_the_index_offers_each_importer_and_an_empty_history(lead):
    page = text(lead.get(INDEX))

    assert "List of teams" in page
    assert f'href="{UPLOAD}"' in page
    assert "No file has been checked or imported yet." in page


def test_uploading_checks_the_file_and_changes_nothing(lead, authority):
    response = upload(lead, GOOD)

    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run_url(run)
    assert run.status == ImportStatus.PREVIEWED
    assert not Team.objects.filter(name="Front Door North").exists()
    page = text(lead.get(run_url(run)))
    assert "Check the file before you import it" in page
    assert "What importing the file will do" in page
    assert "Import these records" in page and "Do not import" in page
    assert "To be created" in page
    assert "The service area is Other" in page  # the warning, against its record
    assert run.sha256 in page


def test_importing_keeps_everything(lead, personas):
    upload(lead, GOOD)
    run = ImportRun.objects.get()

    response = lead.post(run_url(run, "apply"), follow=True)

    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED and run.applied_by == personas.lead
    assert Team.objects.filter(name__in=["Front Door North", "Assessment East"]).count() == 2
    assert messages(response) == ["teams.csv was imported."]
    assert "File imported" in text(response)
    assert "Import these records" not in text(response)


def test_importing_twice_is_refused_with_a_message(lead):
    upload(lead, GOOD)
    run = ImportRun.objects.get()
    lead.post(run_url(run, "apply"), follow=True)

    response = lead.post(run_url(run, "apply"), follow=True)

    assert response.status_code == 200
    assert messages(response) == ["This file has already been imported."]
    discarded = lead.post(run_url(run, "discard"), follow=True)
    assert messages(discarded) == ["This file has already been imported."]
    assert Team.objects.filter(name="Front Door North").count() == 1


def test_the_same_file_again_matches_everything(lead):
    upload(lead, GOOD)
    lead.post(run_url(ImportRun.objects.get(), "apply"))

    upload(lead, GOOD)
    again = ImportRun.objects.order_by("-pk").first()
    page = text(lead.get(run_url(again)))

    assert again.counts == {"Team": {"match": 3}}
    assert "Importing this file would change nothing" in page


def test_a_file_with_errors_is_refused_and_says_so(lead, authority):
    response = upload(lead, BAD)

    run = ImportRun.objects.get()
    assert response["Location"] == run_url(run)
    assert (run.status, run.data) == (ImportStatus.REFUSED, None)
    page = text(lead.get(run_url(run)))
    assert "Nothing was imported" in page
    assert "Line 2" in page and "Give the team&#x27;s name and its service area" in page
    assert "Import these records" not in page
    assert not Team.objects.filter(name="Front Door North").exists()


def test_do_not_import_forgets_the_file(lead):
    upload(lead, GOOD)
    run = ImportRun.objects.get()

    response = lead.post(run_url(run, "discard"), follow=True)

    run.refresh_from_db()
    assert (run.status, run.data) == (ImportStatus.DISCARDED, None)
    assert messages(response) == ["teams.csv was not imported. Nothing was changed."]
    refused = lead.post(run_url(run, "apply"), follow=True)
    assert messages(refused)[0].startswith("It was decided not to import this file")
    assert not Team.objects.filter(name="Front Door North").exists()
    again = lead.post(run_url(run, "discard"), follow=True)
    assert messages(again)[0].startswith("It was decided not to import this file")


def test_a_file_with_errors_found_at_import_is_not_imported(lead, teams_importer, monkeypatch):
    upload(lead, GOOD)
    run = ImportRun.objects.get()
    Team.objects.filter(name="Assessment North").update(name="Assessment East", service_area="x")
    monkeypatch.setattr(
        type(teams_importer),
        "_line",
        lambda self, authority, outcome, record, line: outcome.error("Gone wrong", record=record),
    )

    response = lead.post(run_url(run, "apply"), follow=True)

    run.refresh_from_db()
    assert run.status == ImportStatus.REFUSED
    assert messages(response)[0].startswith("Nothing was imported: checked again, the file has 3")
    assert not Team.objects.filter(name="Front Door North").exists()


@pytest.mark.parametrize("name", ["apply", "discard"])
def test_the_decisions_are_posted_only(lead, name):
    upload(lead, GOOD)

    assert lead.get(run_url(ImportRun.objects.get(), name)).status_code == 405


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (None, "", "Select the file to upload (CSV or TXT file): List of teams"),
        (GOOD, "teams.xlsx", "The selected file must be CSV or TXT"),
        (b"", "teams.csv", "The selected file is empty"),
    ],
)
def test_a_bad_upload_is_named_in_the_error_summary(lead, data, name, message):
    response = lead.post(UPLOAD, {}) if data is None else upload(lead, data, name)

    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert f'<a href="#id_file">{message}</a>' in page
    assert page.count(message) == 2  # in the summary and against the field
    assert not ImportRun.objects.exists()


def test_an_oversized_file_is_refused_before_it_is_read(lead, teams_importer, monkeypatch):
    def never(upload):
        raise AssertionError("the file was read")

    monkeypatch.setattr(uploads, "read", never)

    response = upload(lead, b"A, other\n" * 2000)

    assert response.status_code == 400
    largest = "the largest file that can be imported as List of teams is 10 KB"
    assert f"The file is 18 KB: {largest}" in text(response)
    run = ImportRun.objects.get()
    assert (run.status, run.sha256, run.size) == (ImportStatus.REFUSED, "", 18000)
    assert teams_importer.loads == 0


@override_settings(IMPORT_UPLOAD_CEILING=1)
def test_an_upload_past_the_ceiling_is_stopped_as_it_arrives(lead, teams_importer, monkeypatch):
    monkeypatch.setattr(type(teams_importer), "max_bytes", 100)
    # The ceiling is never below any importer's largest file: here the only importer's 100 bytes.
    monkeypatch.setattr(base, "_IMPORTERS", {"teams": teams_importer})

    response = upload(lead, b"A, other\n" * 1000, "huge.csv")

    assert response.status_code == 400
    assert "the largest file that can be imported as List of teams is 1 KB" in text(response)
    run = ImportRun.objects.get()
    assert (run.filename, run.status) == ("huge.csv", ImportStatus.REFUSED)
    # Stopped, the file's size is not known: the request's is recorded (the file and the form).
    assert run.size > 9000
    assert teams_importer.loads == 0


def test_an_unknown_kind_of_file_is_not_found(lead):
    assert lead.get(reverse("imports:upload", args=["payroll"])).status_code == 404


def test_the_history_lists_each_file_with_its_checksum_and_downloads(lead):
    upload(lead, GOOD)
    upload(lead, BAD, "bad.csv")
    good, bad = ImportRun.objects.order_by("pk")

    page = text(lead.get(INDEX))
    download = lead.get(INDEX, {"format": "csv"})

    assert f'href="{run_url(good)}"' in page and f'href="{run_url(bad)}"' in page
    assert good.sha256[:12] in page and good.sha256 not in page
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert [r["File"] for r in rows] == ["bad.csv", "teams.csv"]
    assert rows[1]["SHA-256 checksum"] == good.sha256
    assert (rows[1]["Status"], rows[1]["Created"], rows[1]["Checked by"]) == (
        "Checked, not imported",
        "3",
        "Leila Persona",
    )
    assert lead.get(INDEX, {"format": "xlsx"}).status_code == 200


def test_a_long_list_of_records_is_shown_a_page_at_a_time_and_downloaded_whole(
    lead, teams_importer, authority
):
    data = "".join(f"Team {n:03d}, assessment\n" for n in range(250)).encode()
    run, _ = services.check(teams_importer, authority, data=data, filename="t.csv", user=None)

    first = text(lead.get(run_url(run)))
    last = text(lead.get(run_url(run), {"page": 3}))
    download = lead.get(run_url(run), {"table": "entries", "format": "csv"})

    assert "Team 099" in first and "Team 100" not in first
    assert "Records 1 to 100 of 250" in first
    assert "Team 249" in last and "Team 199" not in last
    assert len(download.content.decode().splitlines()) == 251


def test_the_records_can_be_shown_by_action(lead, teams_importer, authority):
    data = (
        b"Assessment North, child_protection\n"  # as it is
        b"New Team, assessment\n"
        b"Children in Care South, children_in_care\n"  # was child protection
    )
    run, _ = services.check(teams_importer, authority, data=data, filename="t.csv", user=None)

    everything = text(lead.get(run_url(run)))
    created = text(lead.get(run_url(run), {"action": "create"}))
    unchanged = lead.get(run_url(run), {"action": "match", "table": "entries", "format": "csv"})

    assert "To be created (1)" in everything and "To be changed (1)" in everything
    assert 'aria-current="page">All (3)' in everything
    assert "New Team" in created and "Children in Care South</td>" not in created
    assert unchanged.content.decode().splitlines()[1:] == ["Unchanged,Team,Assessment North,"]


def test_errors_and_warnings_download(lead):
    upload(lead, BAD)
    run = ImportRun.objects.get()

    errors = lead.get(run_url(run), {"table": "errors", "format": "csv"}).content.decode()

    assert "Line 2,line,\"Give the team's name and its service area" in errors.splitlines()[1]


@pytest.mark.parametrize("who", ["lead", "admin"])
def test_leads_and_administrators_may_import(personas, teams_importer, who):
    client = client_for(getattr(personas, who))

    assert client.get(INDEX).status_code == 200
    assert client.get(UPLOAD).status_code == 200


@pytest.mark.parametrize("who", ["hr", "manager", "board", "analyst"])
def test_other_roles_may_not(personas, teams_importer, authority, who):
    run, _ = services.check(teams_importer, authority, data=GOOD, filename="t.csv", user=None)
    client = client_for(getattr(personas, who))

    for url in (INDEX, UPLOAD, run_url(run)):
        assert client.get(url).status_code == 403, url
    assert upload(client, GOOD).status_code == 403
    assert client.post(run_url(run, "apply")).status_code == 403
    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.PREVIEWED


def test_another_authoritys_files_are_not_found(personas, teams_importer, authority):
    run, _ = services.check(teams_importer, authority, data=GOOD, filename="t.csv", user=None)
    outsider = client_for(personas.outsider)

    assert outsider.get(run_url(run)).status_code == 404
    assert outsider.post(run_url(run, "apply")).status_code == 404
    assert outsider.post(run_url(run, "discard")).status_code == 404
    assert "t.csv" not in text(outsider.get(INDEX))
    assert ImportRun.objects.get(pk=run.pk).status == ImportStatus.PREVIEWED


def test_the_menu_offers_imports_to_leads_only(personas, teams_importer):
    home = reverse("home")

    assert f'href="{INDEX}"' in text(client_for(personas.lead).get(home))
    assert f'href="{INDEX}"' not in text(client_for(personas.hr).get(home))


@override_settings(IMPORT_UPLOAD_CEILING=1)
def test_the_ceiling_is_never_below_an_importers_largest_file(teams_importer):
    assert uploads.ceiling() == max(i.max_bytes for i in base.importers())
    assert uploads.ceiling() >= teams_importer.max_bytes


def test_a_check_that_fails_is_recorded_and_shown_without_an_error_page(
    lead, teams_importer, monkeypatch
):
    monkeypatch.setattr(type(teams_importer), "load", lambda *args: 1 / 0)

    response = upload(lead, GOOD)

    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run_url(run)
    assert (run.status, run.data) == (ImportStatus.FAILED, None)
    page = lead.get(run_url(run))
    assert page.status_code == 200
    assert "File not imported" in text(page)
    assert "The file could not be checked: the system met an error (ZeroDivisionError)" in text(
        page
    )
