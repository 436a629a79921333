"""Files checked and imported by the background worker, through the real queue: the database
backend and its worker command (`db_worker --batch` runs what is queued, then stops).

Uploading records the run as being checked and queues the check; the run page shows a progress
bar, polled by htmx, until the worker has done it, then the result. A file being imported stops
another of the same kind being uploaded or imported into the authority. A task that fails is
recorded as failed on the run, which never stays in progress."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend
from django_tasks_db.models import DBTaskResult

from workforce.core.models import Progress
from workforce.establishment.models import Team
from workforce.imports import sealed, services
from workforce.imports.models import ImportRun, ImportStatus

GOOD = b"Front Door North, front_door\nAssessment East, assessment\n"
OTHER = b"Care West, children_in_care\n"
UPLOAD = reverse("imports:upload", args=["teams"])
# The worker commits each step and checks its connection between tasks, as it does in
# production: the tests run outside a test transaction.
pytestmark = pytest.mark.django_db(transaction=True)
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def url(run: ImportRun, name: str = "run") -> str:
    return reverse(f"imports:{name}", args=[run.pk])


def upload(client: Client, data: bytes = GOOD, name: str = "teams.csv") -> Any:
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data, "text/csv")})


def work() -> None:
    """The worker runs everything queued, then stops."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def text(response: Any) -> str:
    return response.content.decode()


def poll(client: Client, run: ImportRun) -> Any:
    return client.get(url(run, "progress"), HTTP_HX_REQUEST="true")


def teams() -> set[str]:
    return set(Team.objects.values_list("name", flat=True))


@pytest.fixture(autouse=True)
def queued() -> Any:
    with override_settings(TASKS=DATABASE_TASKS):
        yield


@pytest.fixture
def lead(personas, teams_importer) -> Client:
    client = Client()
    client.force_login(personas.lead)
    return client


def test_an_upload_is_checked_by_the_worker_and_its_page_shows_progress_then_the_result(lead):
    response = upload(lead)

    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == url(run)
    assert (run.status, sealed.unseal(run.data)) == (ImportStatus.CHECKING, GOOD)
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY
    page = text(lead.get(url(run)))
    assert "Checking the file" in page
    assert f'hx-get="{url(run, "progress")}"' in page and 'hx-trigger="every 1s"' in page
    assert "Waiting to be checked" in page and "<progress" in page
    assert 'style="' not in page and "style=" not in page.split("<body", 1)[1]
    bar = poll(lead, run)
    assert bar.status_code == 200 and "HX-Refresh" not in bar
    assert 'hx-trigger="every 1s"' in text(bar) and "<progress" in text(bar)

    work()

    run.refresh_from_db()
    assert run.status == ImportStatus.PREVIEWED
    assert run.counts == {"Team": {"create": 2}}
    assert (run.progress.stage, run.progress.finished) == ("Checked", True)
    assert "Front Door North" not in teams()
    done = poll(lead, run)
    assert done["HX-Refresh"] == "true"
    assert "hx-trigger" not in text(done)  # the polling stops
    assert "The file has been checked." in text(done)
    page = text(lead.get(url(run)))
    assert "Check the file before you import it" in page and "Import these records" in page


def test_importing_is_queued_and_done_by_the_worker(lead, personas):
    upload(lead)
    work()
    run = ImportRun.objects.get()

    response = lead.post(url(run, "apply"), follow=True)

    run.refresh_from_db()
    assert run.status == ImportStatus.APPLYING and run.applied_by == personas.lead
    assert "Importing the file" in text(response)
    assert "Front Door North" not in teams()
    assert "Waiting to be imported" in text(poll(lead, run))

    work()

    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED and run.data is None
    assert run.progress.stage == "Imported"
    assert {"Front Door North", "Assessment East"} <= teams()
    assert "File imported" in text(lead.get(url(run)))
    assert "The file has been imported." in text(poll(lead, run))


def test_undoing_is_queued_and_done_by_the_worker(lead, personas):
    upload(lead)
    work()
    run = ImportRun.objects.get()
    lead.post(url(run, "apply"))
    work()

    response = lead.post(url(run, "undo"), follow=True)

    run.refresh_from_db()
    assert run.status == ImportStatus.UNDOING and run.undone_by == personas.lead
    assert "Undoing the import" in text(response)
    assert "Waiting to be undone" in text(poll(lead, run))
    assert "Front Door North" in teams()

    work()

    run.refresh_from_db()
    assert run.status == ImportStatus.UNDONE
    assert run.progress.stage == "Undone"
    assert not {"Front Door North", "Assessment East"} & teams()
    assert "Import undone" in text(lead.get(url(run)))
    assert "The import has been undone." in text(poll(lead, run))


def test_an_undo_refused_by_the_worker_leaves_the_import_as_it_was(lead):
    upload(lead)
    work()
    run = ImportRun.objects.get()
    lead.post(url(run, "apply"))
    work()
    lead.post(url(run, "undo"))
    # Changed by hand after the undo was asked for, before the worker reached it.
    team = Team.objects.get(name="Front Door North")
    team.locality = "Harbour"
    team.save()

    work()

    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED
    assert "The import was not undone" in run.problems[0]["message"]
    assert "Front Door North" in teams()
    assert "has been changed since" in text(lead.get(url(run)))


def test_a_second_upload_while_a_file_is_being_imported_is_refused(lead):
    upload(lead)
    work()
    first = ImportRun.objects.get()
    lead.post(url(first, "apply"))

    refused = upload(lead, OTHER, "more.csv")

    assert refused.status_code == 400
    message = (
        "teams.csv is being imported into Exampleshire now. Wait until it has finished, then "
        "upload the file again."
    )
    assert message in text(refused)
    assert ImportRun.objects.count() == 1  # nothing recorded, nothing queued for it
    work()
    assert "Care West" not in teams()
    assert upload(lead, OTHER, "more.csv").status_code == 302  # once it has been imported


def test_importing_a_second_file_while_one_is_being_imported_is_refused(lead):
    upload(lead)
    upload(lead, OTHER, "more.csv")
    work()
    first, second = ImportRun.objects.order_by("pk")
    lead.post(url(first, "apply"))

    response = lead.post(url(second, "apply"), follow=True)

    second.refresh_from_db()
    assert second.status == ImportStatus.PREVIEWED
    assert [str(m) for m in response.context["messages"]] == [
        "teams.csv is being imported into Exampleshire now. Wait until it has finished, then "
        "upload the file again."
    ]


def test_a_task_that_fails_is_recorded_on_the_run(lead, teams_importer, monkeypatch):
    upload(lead)
    work()
    run = ImportRun.objects.get()
    lead.post(url(run, "apply"))

    def broken(self, authority, outcome, record, line):
        Team.objects.create(authority=authority, name="Half Done", service_area="assessment")
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(type(teams_importer), "_line", broken)
    work()

    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED and run.data is None
    assert run.problems[0]["message"].startswith(
        "The file could not be imported: the system met an error (RuntimeError). "
        "Nothing was imported."
    )
    assert (run.progress.stage, run.progress.finished) == ("Failed", True)
    assert "Half Done" not in teams()  # all or nothing
    assert default_task_backend.get_result(run.task_id).status == TaskResultStatus.FAILED
    page = lead.get(url(run))
    assert page.status_code == 200
    assert "Nothing was imported. The work on the file stopped" in text(page)
    assert "The work on the file stopped. Nothing was imported." in text(poll(lead, run))
    assert upload(lead).status_code == 302  # a failed import does not block the next


def test_a_check_that_fails_is_recorded_on_the_run(lead, teams_importer, monkeypatch):
    monkeypatch.setattr(type(teams_importer), "load", lambda *args: 1 / 0)
    upload(lead)

    work()

    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED
    assert (
        "could not be checked: the system met an error (ZeroDivisionError)"
        in (run.problems[0]["message"])
    )


def test_a_task_that_died_without_a_word_is_recorded_as_failed(lead):
    upload(lead)
    run = ImportRun.objects.get()
    # The worker was stopped part way: the queue knows the task failed, the run does not.
    DBTaskResult.objects.filter(id=run.task_id).update(status=TaskResultStatus.FAILED)

    page = text(lead.get(url(run)))

    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert "The work on the file stopped part way." in page


def test_a_run_not_heard_of_for_too_long_is_recorded_as_failed(lead):
    upload(lead)
    run = ImportRun.objects.get()
    assert not services.fail_if_stopped(run)
    later = timezone.now() + services.STALE_AFTER + dt.timedelta(minutes=1)

    assert services.fail_if_stopped(run, now=later)

    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert Progress.objects.get().finished
    assert "nothing has been heard of it for too long" in run.problems[0]["message"]


def test_a_task_run_twice_changes_nothing(lead):
    upload(lead)
    work()
    run = ImportRun.objects.get()

    assert services.run_check(run.pk) == ImportStatus.PREVIEWED
    assert services.run_apply(run.pk) == ImportStatus.PREVIEWED  # never queued for import
    assert "Front Door North" not in teams()
