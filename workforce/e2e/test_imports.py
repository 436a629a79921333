"""The import pages in a real browser: the upload page, a file being checked, a checked file and
the history pass axe-core, a file with errors shows them, and a checked file can be imported.

The work is queued in the database and done by the worker (`db_worker --batch`, run here when
the test says): the page shows its progress bar until then, and htmx's polling brings the
result when the worker has done it."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from workforce.census.returns import build_return, to_xml
from workforce.e2e.conftest import Seeded, axe_violations, describe, sign_in
from workforce.establishment.models import Worker

pytestmark = pytest.mark.browser

YEAR = 2024  # the seeded authority's census year to 30 September 2024
SHOTS = os.environ.get("IMPORT_SCREENSHOTS")  # a folder to save screenshots of the pages in


def check(page: Any, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations, where)
    if SHOTS:  # in parts a screen high, to be read by a person
        name = where.replace(" ", "-")
        height = page.evaluate("document.documentElement.scrollHeight")
        for part, top in enumerate(range(0, height, 1000), start=1):
            clip = {"x": 0, "y": top, "width": 1280, "height": min(1000, height - top)}
            page.screenshot(path=f"{SHOTS}/{name}-{part}.png", clip=clip, full_page=True)


@pytest.fixture(autouse=True)
def queued() -> Any:
    tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=tasks):
        yield


@pytest.fixture(autouse=True)
def one_at_a_time(page: Any) -> None:
    """The browser's requests reach the server only while the test waits on the page, never
    while the worker runs: the in-memory test database locks a table a writer holds rather than
    waiting for it, as a database file does. Playwright calls this handler from the test's
    thread, so a poll made while the worker runs waits for it."""
    page.route("**/*", lambda route: route.continue_())


def work() -> None:
    """The worker does what is queued, then stops."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def choose(page: Any, path: Path) -> None:
    # GOV.UK Frontend's file upload turns the field into a button and a drop zone; the file
    # input stays in the page, behind them.
    page.locator("input[type=file][name=file]").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()


def test_a_census_return_is_checked_then_imported_and_a_bad_one_shows_its_errors(
    page: Any, seeded: Seeded, tmp_path: Path
) -> None:
    authority = seeded.personas.own_team.authority
    for number, worker in enumerate(Worker.objects.filter(authority=authority), start=1):
        worker.swe_number = f"SW{number:010d}"  # the return matches workers by SWE number
        worker.save(update_fields=["swe_number"])
    good = tmp_path / f"csww-{authority.code}-{YEAR}.xml"
    good.write_bytes(to_xml(build_return(authority, YEAR), now=timezone.now()))
    bad = tmp_path / "not-a-return.xml"
    bad.write_text("This is not a census return.")
    sign_in(page, seeded.personas.lead.username, seeded.personas.password)

    page.goto(reverse("imports:index"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Imports")
    check(page, "imports empty")
    page.get_by_role("link", name="Upload a file (DfE workforce census return (CSWW))").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a file")
    check(page, "upload page")
    page.get_by_role("button", name="Check the file").click()
    error = "Select the file to upload (XML file): DfE workforce census return"
    expect(page.get_by_role("link", name=error)).to_be_visible()
    check(page, "upload page with an error")

    choose(page, bad)
    expect(page.get_by_role("heading", level=1)).to_have_text("Checking the file")
    expect(page.get_by_role("status")).to_have_text("Waiting to be checked")
    expect(page.locator("progress.app-progress")).to_be_visible()
    expect(page.locator("style, [style]")).to_have_count(0)  # nothing a strict CSP would refuse
    check(page, "file being checked")
    work()
    expect(page.get_by_role("heading", level=1)).to_have_text("File not imported")
    expect(page.get_by_text("Nothing was imported.")).to_be_visible()
    expect(page.get_by_role("region", name="1 error")).to_contain_text("The file")
    check(page, "refused run")

    page.goto(reverse("imports:upload", args=["csww"]))
    choose(page, good)
    expect(page.get_by_role("heading", level=1)).to_have_text("Checking the file")
    work()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the file before you import it")
    check(page, "checked run")
    page.get_by_role("button", name="Import these records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importing the file")
    expect(page.get_by_role("status")).to_have_text("Waiting to be imported")
    check(page, "file being imported")
    work()
    expect(page.get_by_role("heading", level=1)).to_have_text("File imported")
    check(page, "imported run")

    page.goto(reverse("imports:index"))
    expect(page.get_by_role("region", name="Files checked and imported")).to_contain_text(good.name)
    check(page, "imports history")


SAMPLES = Path(__file__).resolve().parents[1] / "demo" / "samples"


def test_hr_extracts_with_local_codes_are_mapped_then_imported(page: Any, seeded: Seeded) -> None:
    sign_in(page, seeded.personas.lead.username, seeded.personas.password)
    page.goto(reverse("imports:upload", args=["establishment"]))
    check(page, "hr upload page")
    choose(page, SAMPLES / "establishment.csv")
    work()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the file before you import it")
    check(page, "hr establishment checked")
    page.get_by_role("button", name="Import these records").click()
    work()
    expect(page.get_by_role("heading", level=1)).to_have_text("File imported")

    page.goto(reverse("imports:upload", args=["staff"]))
    choose(page, SAMPLES / "staff-itrent.xlsx")
    work()
    expect(page.get_by_role("heading", level=1)).to_have_text("File not imported")
    expect(page.get_by_text("HR-106").first).to_be_visible()
    check(page, "hr staff refused")

    page.get_by_role(
        "link", name="say which column holds what, and what each code stands for"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Column and code mappings")
    check(page, "hr mappings")
    page.get_by_role("link", name="Add a mapping for Staff (workers and their engagements)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a mapping")
    check(page, "hr column mapping")

    page.goto(reverse("imports:codes"))
    for list_name, local, code in [
        ("Contract type", "Perm", "Permanent"),
        ("Contract type", "Temp", "Fixed-term"),
        ("Reason for leaving (ReasonLeave)", "Resignation - Personal", "Resignation"),
    ]:
        page.get_by_label("List").select_option(label=list_name)
        page.get_by_label("Value in the file").fill(local)
        page.get_by_label("Code it stands for").fill(code)
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_role("table")).to_contain_text(local)
    check(page, "hr code mappings")

    page.goto(reverse("imports:upload", args=["staff"]))
    choose(page, SAMPLES / "staff-itrent.xlsx")
    work()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the file before you import it")
    check(page, "hr staff checked")
    page.get_by_role("button", name="Import these records").click()
    work()
    expect(page.get_by_role("heading", level=1)).to_have_text("File imported")
    assert Worker.objects.filter(staff_number="100245").exists()
