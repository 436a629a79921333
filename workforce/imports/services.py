"""Checking and importing files, with their history (`ImportRun`)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from workforce.core.models import Authority, User
from workforce.imports.base import Importer, Outcome, checksum, importer_for, read, size_problem
from workforce.imports.models import ImportRun, ImportStatus


def _importer(run: ImportRun) -> Importer:
    importer = importer_for(run.kind)
    if importer is None:  # an importer removed since the file was checked
        raise ValidationError({"kind": f"Files of the kind {run.kind!r} can no longer be read."})
    return importer


def _record(run: ImportRun, outcome: Outcome) -> None:
    for name, value in outcome.as_json().items():
        setattr(run, name, value)


def check(
    importer: Importer,
    authority: Authority,
    *,
    data: bytes,
    filename: str,
    user: User | None,
) -> tuple[ImportRun, Outcome]:
    """Read the file without keeping anything (a dry run) and record that it was checked.

    The file is kept with the run until it is imported or discarded, unless it has errors:
    then it is refused and not kept.
    """
    outcome = read(importer, authority, data, apply=False)
    run = ImportRun(
        authority=authority,
        kind=importer.kind,
        filename=filename[:255],
        size=len(data),
        sha256=checksum(data),
        checked_by=user,
        status=ImportStatus.REFUSED if outcome.errors else ImportStatus.PREVIEWED,
        data=None if outcome.errors else data,
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


def apply(run: ImportRun, *, user: User | None, now: dt.datetime) -> Outcome:
    """Import the checked file: all of it, or, when errors are found now, nothing."""
    if not run.can_apply:
        raise ValidationError(
            {"status": f"This file cannot be imported: it is {run.get_status_display().lower()}."}
        )
    outcome = read(_importer(run), run.authority, bytes(run.data or b""), apply=True)
    _record(run, outcome)
    if outcome.errors:
        run.status = ImportStatus.REFUSED
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
) -> tuple[ImportRun, Outcome]:
    """Check and import in one go (the command line): nothing is kept when errors are found."""
    run, outcome = check(importer, authority, data=data, filename=filename, user=user)
    if run.status != ImportStatus.PREVIEWED:
        return run, outcome
    return run, apply(run, user=user, now=now)
