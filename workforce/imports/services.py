"""Checking and importing files, with their history (`ImportRun`).

On the pages a file is checked and imported by the background worker: `queue_check` and
`queue_apply` record what is to be done and queue the task (`imports.tasks`), which calls
`run_check` or `run_apply`. The command line calls `check`, `apply` and `import_file`, which do
the work at once. Either way a job can report its progress (`core.progress`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from workforce.core import progress
from workforce.core.models import Authority, User
from workforce.core.progress import DatabaseReporter, Reporter
from workforce.imports import changes, sealed
from workforce.imports.base import (
    Importer,
    Outcome,
    Problem,
    Severity,
    checksum,
    importer_for,
    read,
    size_problem,
)
from workforce.imports.models import WORKING, ImportRun, ImportStatus

logger = logging.getLogger(__name__)

CHECKING_STAGE = "Checking rows"
IMPORTING_STAGE = "Importing"
# A run the worker has said nothing of for this long is taken to have stopped (a worker killed
# part way): it is recorded as failed, so that it never stays "in progress".
STALE_AFTER = dt.timedelta(seconds=int(getattr(settings, "IMPORT_STALE_AFTER", 3600)))


def _importer(run: ImportRun) -> Importer:
    importer = importer_for(run.kind)
    if importer is None:  # an importer removed since the file was checked
        raise ValidationError({"kind": f"Files of the kind {run.kind!r} can no longer be read."})
    return importer


def _record(run: ImportRun, outcome: Outcome) -> None:
    for name, value in outcome.as_json().items():
        setattr(run, name, value)


def _read(
    importer: Importer,
    authority: Authority,
    data: bytes,
    *,
    apply: bool,
    reporter: Reporter,
    options: dict[str, Any] | None = None,
) -> Outcome:
    """The framework's read, its progress told to `reporter`; `options` are what was chosen
    with the file (a saved mapping's name)."""
    reporter.stage(IMPORTING_STAGE if apply else CHECKING_STAGE)
    with progress.reporting(reporter):
        return read(importer, authority, data, apply=apply, options=options)


def check(
    importer: Importer,
    authority: Authority,
    *,
    data: bytes,
    filename: str,
    user: User | None,
    reporter: Reporter | None = None,
    options: dict[str, Any] | None = None,
) -> tuple[ImportRun, Outcome]:
    """Read the file without keeping anything (a dry run) and record that it was checked.

    The file is kept with the run until it is imported or discarded, unless it has errors:
    then it is refused and not kept. `options` (a saved mapping's name) are kept with the run,
    so that the import reads the file the same way.
    """
    options = dict(options or {})
    outcome = _read(
        importer,
        authority,
        data,
        apply=False,
        reporter=reporter or Reporter(),
        options=options,
    )
    run = ImportRun(
        authority=authority,
        kind=importer.kind,
        filename=filename[:255],
        size=len(data),
        sha256=checksum(data),
        checked_by=user,
        status=ImportStatus.REFUSED if outcome.errors else ImportStatus.PREVIEWED,
        data=None if outcome.errors else sealed.seal(data),
        options=options,
    )
    _record(run, outcome)
    run.save()
    return run, outcome


def refuse_oversized(
    importer: Importer, authority: Authority, *, size: int, filename: str, user: User | None
) -> ImportRun | None:
    """Record a file refused for its size alone, never read; None when the size is allowed."""
    problem = size_problem(importer, size)
    if problem is None:
        return None
    outcome = Outcome(problems=[problem])
    run = ImportRun(
        authority=authority,
        kind=importer.kind,
        filename=filename[:255],
        size=size,
        sha256="",
        checked_by=user,
        status=ImportStatus.REFUSED,
    )
    _record(run, outcome)
    run.save()
    return run


def apply(
    run: ImportRun, *, user: User | None, now: dt.datetime, reporter: Reporter | None = None
) -> Outcome:
    """Import the checked file: all of it, or, when errors are found now, nothing."""
    if not run.can_apply:
        raise ValidationError(
            {"status": f"This file cannot be imported: it is {run.get_status_display().lower()}."}
        )
    return _apply(run, user=user, now=now, reporter=reporter or Reporter())


def _waiting(run: ImportRun) -> bytes:
    """The file waiting with the run, unsealed (`imports.sealed`)."""
    try:
        return sealed.unseal(run.data)
    except sealed.Unreadable as exc:
        raise ValidationError(
            {
                "file": (
                    "The file waiting to be imported can no longer be read: the system's key "
                    "changed since it was uploaded. Upload it again."
                )
            }
        ) from exc


def _apply(run: ImportRun, *, user: User | None, now: dt.datetime, reporter: Reporter) -> Outcome:
    run.applied_at = now
    # The audit trail as it stood: what is written about the import's records after this entry
    # was written since (`changes.changed_since`).
    run.audit_from = LogEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    with changes.recording(run):
        outcome = _read(
            _importer(run),
            run.authority,
            _waiting(run),
            apply=True,
            reporter=reporter,
            options=run.options,
        )
    _record(run, outcome)
    if outcome.errors:
        run.status = ImportStatus.REFUSED
        run.applied_by = None
        run.applied_at = None
    else:
        run.status = ImportStatus.APPLIED
        run.applied_by = user
        run.applied_at = now
    run.data = None
    run.save()
    return outcome


def discard(run: ImportRun) -> None:
    """Do not import a checked file: forget its contents, keep the record that it was checked."""
    if run.status != ImportStatus.PREVIEWED:
        raise ValidationError({"status": "Only a file waiting to be imported can be discarded."})
    run.status = ImportStatus.DISCARDED
    run.data = None
    run.save()


def import_file(
    importer: Importer,
    authority: Authority,
    *,
    data: bytes,
    filename: str,
    user: User | None,
    now: dt.datetime,
    reporter: Reporter | None = None,
    options: dict[str, Any] | None = None,
) -> tuple[ImportRun, Outcome]:
    """Check and import in one go (the command line): nothing is kept when errors are found."""
    run, outcome = check(
        importer,
        authority,
        data=data,
        filename=filename,
        user=user,
        reporter=reporter,
        options=options,
    )
    if run.status != ImportStatus.PREVIEWED:
        return run, outcome
    return run, apply(run, user=user, now=now, reporter=reporter)


# In the background ------------------------------------------------------------------------------


def busy(authority: Authority, kind: str) -> ImportRun | None:
    """The file of this kind being imported into the authority now, if there is one."""
    for run in ImportRun.objects.filter(
        authority=authority, kind=kind, status=ImportStatus.APPLYING
    ).select_related("progress"):
        if not fail_if_stopped(run):
            return run
    return None


def _lock(authority: Authority) -> None:
    """Hold the authority's row until the transaction ends, so that two requests cannot both
    find no import under way and both queue one. (NO KEY UPDATE on PostgreSQL: an import
    writing rows that refer to the authority does not hold the upload up.)"""
    list(Authority.objects.select_for_update(no_key=True).filter(pk=authority.pk).values_list("pk"))


def _busy_message(run: ImportRun, importer: Importer) -> str:
    return (
        f"{run.filename} is being imported into {run.authority.name} now. Wait until it has "
        "finished, then upload the file again."
    )


def queue_check(
    importer: Importer,
    authority: Authority,
    *,
    data: bytes,
    filename: str,
    user: User | None,
    options: dict[str, Any] | None = None,
) -> ImportRun:
    """Record an uploaded file as being checked and queue its check for the worker.

    Refused (a ValidationError on "file") while a file of the same kind is being imported into
    the authority: its check would be out of date as soon as that import ends.
    """
    from workforce.imports import tasks  # the tasks call these services

    with transaction.atomic():
        _lock(authority)
        if (applying := busy(authority, importer.kind)) is not None:
            raise ValidationError({"file": _busy_message(applying, importer)})
        run = ImportRun.objects.create(
            authority=authority,
            kind=importer.kind,
            filename=filename[:255],
            size=len(data),
            sha256=checksum(data),
            checked_by=user,
            status=ImportStatus.CHECKING,
            data=sealed.seal(data),
            options=dict(options or {}),
            progress=progress.start("Waiting to be checked"),
        )
        # The queue is in the same database: the task is queued if, and only if, the run is
        # recorded.
        run.task_id = str(tasks.check_file.enqueue(run.pk).id)
        run.save(update_fields=["task_id", "updated_at"])
    run.refresh_from_db()  # an immediate backend has already done the work
    return run


def queue_apply(run: ImportRun, *, user: User) -> None:
    """Record that the checked file is to be imported and queue the import for the worker.
    Call with the run locked (`selectors.run_for(..., for_update=True)` in a transaction)."""
    from workforce.imports import tasks

    if not run.can_apply:
        raise ValidationError(
            {"status": f"This file cannot be imported: it is {run.get_status_display().lower()}."}
        )
    importer = _importer(run)
    _lock(run.authority)
    if (applying := busy(run.authority, run.kind)) is not None:
        raise ValidationError({"status": _busy_message(applying, importer)})
    run.status = ImportStatus.APPLYING
    run.applied_by = user
    run.progress = progress.start("Waiting to be imported")
    run.save()
    run.task_id = str(tasks.apply_file.enqueue(run.pk).id)
    run.save(update_fields=["task_id", "updated_at"])


@contextmanager
def _failure_recorded(run: ImportRun, reporter: DatabaseReporter) -> Iterator[None]:
    """Whatever goes wrong is recorded on the run, which is then failed, never left in
    progress; the exception goes on, for the worker's log and the task's result. The import's
    transaction has already been rolled back: nothing of the file is kept."""
    try:
        yield
    except Exception as exc:
        doing = "imported" if run.status == ImportStatus.APPLYING else "checked"
        logger.exception("Import run %s could not be %s", run.pk, doing)
        if isinstance(exc, ValidationError):  # said plainly: the waiting file is unreadable
            fail(run, " ".join(exc.messages))
        else:
            fail(
                run,
                f"The file could not be {doing}: the system met an error ({type(exc).__name__}).",
            )
        reporter.finish("Failed")
        raise


def fail(run: ImportRun, reason: str) -> None:
    """Record that the work on a file stopped: nothing was imported."""
    problem = Problem(
        Severity.ERROR,
        f"{reason} Nothing was imported. Upload the file again; if this happens again, tell "
        "the system's administrator.",
        field="file",
    )
    run.data = None
    _ended(run, ImportStatus.FAILED, problem, "Failed")


def _ended(run: ImportRun, status: str, problem: Problem, last_word: str) -> None:
    """The work on the run ended without doing it: `problem` first among its problems, and its
    progress bar given its last word."""
    run.status = status
    run.problems = [*Outcome(problems=[problem]).as_json()["problems"], *(run.problems or [])]
    run.save()
    if run.progress is not None and not run.progress.finished:
        DatabaseReporter(run.progress).finish(last_word)


def _reporter(run: ImportRun) -> DatabaseReporter:
    if run.progress is None:
        run.progress = progress.start()
        run.save(update_fields=["progress", "updated_at"])
    return DatabaseReporter(run.progress)


def run_check(run_id: int) -> str:
    """The worker's check of an uploaded file (see `check`)."""
    run = ImportRun.objects.select_related("authority", "progress").get(pk=run_id)
    if run.status != ImportStatus.CHECKING:
        return run.status  # already done: a task run twice changes nothing
    reporter = _reporter(run)
    with _failure_recorded(run, reporter):
        outcome = _read(
            _importer(run),
            run.authority,
            _waiting(run),
            apply=False,
            reporter=reporter,
            options=run.options,
        )
        _record(run, outcome)
        if outcome.errors:
            run.status, run.data = ImportStatus.REFUSED, None
        else:
            run.status = ImportStatus.PREVIEWED
        run.save()
    reporter.finish("Checked")
    return run.status


def run_apply(run_id: int) -> str:
    """The worker's import of a checked file (see `apply`)."""
    run = ImportRun.objects.select_related("authority", "progress", "applied_by").get(pk=run_id)
    if run.status != ImportStatus.APPLYING:
        return run.status
    reporter = _reporter(run)
    with _failure_recorded(run, reporter):
        _apply(run, user=run.applied_by, now=timezone.now(), reporter=reporter)
    reporter.finish("Imported" if run.status == ImportStatus.APPLIED else "Not imported")
    return run.status


# Undoing ----------------------------------------------------------------------------------------


def queue_undo(run: ImportRun, *, user: User) -> None:
    """Record that the import is to be undone and queue the work for the worker. Call with the
    run locked (`selectors.run_for(..., for_update=True)` in a transaction). Refused, with the
    reason, when it cannot be undone."""
    from workforce.imports import tasks

    if reason := changes.why_not_undoable(run):
        raise ValidationError({"status": reason})
    _lock(run.authority)
    if (applying := busy(run.authority, run.kind)) is not None:
        raise ValidationError({"status": _busy_message(applying, _importer(run))})
    run.status = ImportStatus.UNDOING
    run.undone_by = user
    run.progress = progress.start("Waiting to be undone")
    run.save()
    run.task_id = str(tasks.undo_file.enqueue(run.pk).id)
    run.save(update_fields=["task_id", "updated_at"])


def undo(run: ImportRun, *, user: User | None, reporter: Reporter | None = None) -> int:
    """Undo the import at once (the command line): see `changes.undo`."""
    return changes.undo(run, user=user, reporter=reporter or Reporter())


def _not_undone(run: ImportRun, reason: str) -> None:
    """The import stays as it was: said among its problems (a warning: it was imported)."""
    text = reason if reason.endswith(".") else f"{reason}."
    problem = Problem(Severity.WARNING, f"The import was not undone: {text}", field="undo")
    run.undone_by = None
    _ended(run, ImportStatus.APPLIED, problem, "Not undone")


def run_undo(run_id: int) -> str:
    """The worker's undoing of an import. Refused now (something changed since it was asked
    for) or failed, the import stays as it was, with the reason among its problems."""
    run = ImportRun.objects.select_related("authority", "progress", "undone_by").get(pk=run_id)
    if run.status != ImportStatus.UNDOING:
        return run.status
    reporter = _reporter(run)
    user = run.undone_by
    # Back to "imported" while it is undone: `changes.undo` reverses only an applied import.
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.APPLIED)
    run.status = ImportStatus.APPLIED
    try:
        changes.undo(run, user=user, reporter=reporter)
    except Exception as exc:
        reason = (
            next(iter(exc.messages), "")
            if isinstance(exc, ValidationError)
            else f"the system met an error ({type(exc).__name__})."
        )
        if not isinstance(exc, ValidationError):
            logger.exception("Import run %s could not be undone", run.pk)
        run.refresh_from_db()
        _not_undone(run, reason)
        reporter.finish("Not undone")
        if not isinstance(exc, ValidationError):
            raise
        return run.status
    reporter.finish("Undone")
    return run.status


def fail_if_stopped(run: ImportRun, *, now: dt.datetime | None = None) -> bool:
    """A run in progress whose task failed without a word (the worker stopped part way), or
    that nothing has been heard of for `STALE_AFTER`, is recorded as failed. True if it was."""
    if run.status not in WORKING:
        return False
    from workforce.imports import tasks

    reason = ""
    if tasks.failed(run.task_id):
        reason = "The work on the file stopped part way."
    else:
        latest = progress.latest(run.progress)
        heard = latest.updated_at if latest is not None else run.updated_at
        if (now or timezone.now()) - heard > STALE_AFTER:
            reason = "The work on the file stopped: nothing has been heard of it for too long."
    if not reason:
        return False
    with transaction.atomic():
        locked = ImportRun.objects.select_for_update().get(pk=run.pk)
        if locked.status not in WORKING:
            return False
        if locked.status == ImportStatus.UNDOING:
            _not_undone(locked, reason)
        else:
            fail(locked, reason)
    run.refresh_from_db()
    return True
