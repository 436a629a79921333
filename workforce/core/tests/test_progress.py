"""Progress of a long job: a stage and "done of total", written to its record at each stage, at
most every `interval` seconds in between, and at the end; or printed on the terminal."""

from __future__ import annotations

import io

import pytest
from django.db import connection, connections, transaction

from workforce.core import progress
from workforce.core.models import Progress
from workforce.core.progress import DatabaseReporter, Reporter, TerminalReporter


def stored(record: Progress) -> tuple[str, int, int | None, bool]:
    """What a page reading the bar sees (the tests run in a transaction: on SQLite the job's
    progress is then read from the file aside)."""
    record.refresh_from_db()
    seen = progress.latest(record)
    assert seen is not None
    return (seen.stage, seen.done, seen.total, seen.finished)


@pytest.fixture
def record(db) -> Progress:
    return progress.start("Waiting to be checked")


def test_a_new_record_waits_with_nothing_done(record):
    assert stored(record) == ("Waiting to be checked", 0, None, False)
    assert record.percent == 0


def test_each_stage_is_written_at_once(record):
    reporter = DatabaseReporter(record, interval=3600)

    reporter.stage("Checking rows", total=400)

    assert stored(record) == ("Checking rows", 0, 400, False)


def test_steps_are_written_no_more_often_than_the_interval(record):
    slow = DatabaseReporter(record, interval=3600)
    slow.stage("Checking rows", total=400)
    slow.advance(150)
    assert stored(record) == ("Checking rows", 0, 400, False)  # too soon after the stage

    quick = DatabaseReporter(record, interval=0)
    quick.stage("Importing", total=400)
    quick.advance(150)
    quick.advance(50)

    assert stored(record) == ("Importing", 200, 400, False)
    assert record.percent == 50


def test_the_end_is_written_with_everything_done(record):
    reporter = DatabaseReporter(record, interval=3600)
    reporter.stage("Importing", total=3)
    reporter.advance()

    reporter.finish("Imported")

    assert stored(record) == ("Imported", 3, 3, True)
    assert record.percent == 100


def test_a_job_without_a_total_is_at_0_per_cent_until_it_ends(record):
    reporter = DatabaseReporter(record, interval=0)
    reporter.stage("Reading the file")
    reporter.advance(7)
    assert stored(record) == ("Reading the file", 7, None, False)
    assert record.percent == 0

    reporter.finish()

    assert record.refresh_from_db() is None and record.percent == 100


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_progress_inside_a_transaction_is_seen_at_once_and_kept():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: progress is seen at each stage")
    record = progress.start()
    reporter = DatabaseReporter(record, interval=0)
    other = connections.create_connection("default")  # as the page reading the bar

    with transaction.atomic():
        reporter.stage("Importing", total=10)
        reporter.advance(4)
        with other.cursor() as cursor:
            cursor.execute("SELECT stage, done FROM core_progress WHERE id = %s", [record.pk])
            seen = cursor.fetchone()
        transaction.set_rollback(True)  # the import is undone (a dry run); its progress is not
    other.close()
    reporter.finish("Checked")

    assert seen == ("Importing", 4)
    assert stored(record) == ("Checked", 10, 10, True)


def test_progress_inside_a_transaction_is_written_aside_and_read_over_the_record(
    db, settings, tmp_path
):
    settings.PROGRESS_DIR = str(tmp_path)
    record = progress.start()
    reporter = DatabaseReporter(record, interval=0)
    reporter._aside_sees = False  # as on SQLite: no second writer while the job's is open

    with transaction.atomic():
        reporter.stage("Importing", total=10)
        reporter.advance(4)
        as_the_page_sees_it = Progress.objects.get(pk=record.pk)
        as_the_page_sees_it.updated_at = as_the_page_sees_it.started_at  # written before
        seen = progress.latest(as_the_page_sees_it)
        assert seen is not None
        assert (seen.stage, seen.done, seen.total, seen.percent) == ("Importing", 4, 10, 40)
        assert list(tmp_path.iterdir())
    reporter.finish("Checked")

    assert not list(tmp_path.iterdir())  # the file aside goes at the end
    assert stored(record) == ("Checked", 10, 10, True)
    assert progress.latest(record) is record


def test_a_file_aside_that_cannot_be_read_is_ignored(db, settings, tmp_path):
    settings.PROGRESS_DIR = str(tmp_path)
    record = progress.start("Waiting to be checked")
    progress._file(record.pk).write_text("not json")

    seen = progress.latest(record)

    assert seen is not None and seen.stage == "Waiting to be checked"


def test_the_module_functions_tell_the_current_reporter_only():
    progress.stage("Nobody listens", 10)  # no job: nothing happens
    progress.advance()
    reporter = Reporter()

    with progress.reporting(reporter):
        assert progress.current() is reporter
        progress.stage("Checking records", total=10)
        progress.advance(3)
    progress.advance(5)  # after the block: not told

    assert (reporter.label, reporter.done, reporter.total) == ("Checking records", 3, 10)
    assert progress.current() is None


def test_the_terminal_hears_each_stage_and_each_tenth():
    out = io.StringIO()
    reporter = TerminalReporter(out)

    reporter.stage("Checking records", total=20)
    for _ in range(20):
        reporter.advance()
    reporter.stage("Importing")
    reporter.advance()

    lines = out.getvalue().splitlines()
    assert lines[0] == "Checking records (20)..."
    assert lines[1] == "  Checking records: 2 of 20 (10%)"
    assert lines[10] == "  Checking records: 20 of 20 (100%)"
    assert lines[11:] == ["Importing..."]
