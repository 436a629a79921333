"""How far a long job has got: "done of total" in a plain stage ("Checking rows", "Importing").

A job is given a `Reporter` and says where it is:

    reporter.stage("Checking rows", total=5000)
    for row in rows:
        ...
        reporter.advance()
    reporter.finish()

Code deep inside a job (an importer reading rows) need not be handed the reporter: inside
`with reporting(reporter):` the module functions `stage()` and `advance()` tell the current one,
and do nothing when no job is being reported on.

Two reporters:

- `DatabaseReporter` writes to a `Progress` record, which a page reads to draw its progress bar.
  Writes are at most every `interval` seconds (and at each stage and at the end), so counting a
  million rows costs a few dozen updates. Inside a transaction (an import is read in one), a
  write on the job's own connection would not be seen by the page until the transaction ends:
  on PostgreSQL the reporter writes through a connection of its own, so the bar moves row by
  row. SQLite has one writer at a time, and the job's transaction holds it: there the reporter
  also writes a small file aside (in `PROGRESS_DIR`, one per record), which `latest()` reads
  over the record, so the bar moves there too.
- `TerminalReporter` prints a line at each stage and each tenth of the way (the command line).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.utils import timezone

from workforce.core.models import Progress

logger = logging.getLogger(__name__)


class Reporter:
    """Keeps count; says nothing. Subclasses tell someone."""

    def __init__(self) -> None:
        self.label = ""
        self.done = 0
        self.total: int | None = None

    def stage(self, label: str, total: int | None = None) -> None:
        """A new stage begins, with `total` steps when they are known."""
        self.label, self.done, self.total = label, 0, total
        self.changed(stage=True)

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        self.changed(stage=False)

    def finish(self, label: str = "Finished") -> None:
        """The job has ended (done or failed): the last word."""
        self.label = label
        if self.total is not None:
            self.done = self.total
        self.ended()

    def changed(self, *, stage: bool) -> None:
        pass

    def ended(self) -> None:
        pass


class DatabaseReporter(Reporter):
    """Writes to a `Progress` record (see the module's notes)."""

    def __init__(self, progress: Progress, *, interval: float = 0.5) -> None:
        super().__init__()
        self.progress = progress
        self.interval = interval
        self._written = 0.0
        self._aside: Any = None  # a connection of its own, opened when first needed
        self._aside_sees = True  # False once it could not see the record

    def changed(self, *, stage: bool) -> None:
        now = time.monotonic()
        if stage or now - self._written >= self.interval:
            self._write()
            self._written = now

    def ended(self) -> None:
        self._write(finished=True)
        if self._aside is not None:
            self._aside.close()
            self._aside = None

    def _write(self, *, finished: bool = False) -> None:
        values: dict[str, Any] = {
            "stage": self.label[:100],
            "done": self.done,
            "total": self.total,
            "updated_at": timezone.now(),
        }
        if finished:
            values["finished_at"] = values["updated_at"]
        for name, value in values.items():
            setattr(self.progress, name, value)
        if finished:
            _forget_file(self.progress.pk)
        elif connection.in_atomic_block and (
            self._write_aside(values) or _write_file(self.progress.pk, values)
        ):
            # Not written to the record in the job's transaction as well: on SQLite that would
            # take the database's one writer for the rest of the job, holding up every page
            # that writes (a job that writes its rows last holds it only then).
            return
        Progress.objects.filter(pk=self.progress.pk).update(**values)

    def _write_aside(self, values: dict[str, Any]) -> bool:
        """Write through a connection of its own, seen at once whatever the job's transaction
        does; False when that cannot be done (SQLite, or a record the other connection cannot
        see yet because it was made in this very transaction)."""
        if connection.vendor != "postgresql" or not self._aside_sees:
            return False
        try:
            if self._aside is None:
                self._aside = connections.create_connection(DEFAULT_DB_ALIAS)
            quote = self._aside.ops.quote_name
            columns = ", ".join(f"{quote(name)} = %s" for name in values)
            with self._aside.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {quote(Progress._meta.db_table)} SET {columns} WHERE id = %s",
                    [*values.values(), self.progress.pk],
                )
                self._aside_sees = bool(cursor.rowcount)
        except DatabaseError:
            logger.warning("Progress could not be written aside", exc_info=True)
            self._aside_sees = False
        return self._aside_sees


def _file(pk: int) -> Path:
    """The file aside for one record: named by the database too (tests run several at once)."""
    database = hashlib.sha256(str(connection.settings_dict["NAME"]).encode()).hexdigest()[:12]
    folder = getattr(settings, "PROGRESS_DIR", "") or Path(tempfile.gettempdir()) / "progress"
    return Path(folder) / f"{database}-{pk}.json"


def _write_file(pk: int, values: dict[str, Any]) -> bool:
    """Write the values aside, whole or not at all (written to a temporary file, then renamed);
    False when that could not be done."""
    path = _file(pk)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(values, default=str))
        os.replace(temporary, path)
    except OSError:
        logger.warning("Progress could not be written aside to %s", path, exc_info=True)
        return False
    return True


def _forget_file(pk: int) -> None:
    _file(pk).unlink(missing_ok=True)


def latest(progress: Progress | None) -> Progress | None:
    """The record, with what a job inside its transaction wrote aside when that is newer."""
    if progress is None or progress.finished:
        return progress
    try:
        aside = json.loads(_file(progress.pk).read_text())
        written = dt.datetime.fromisoformat(aside["updated_at"])
    except (OSError, ValueError, KeyError):
        return progress
    if progress.updated_at is None or written > progress.updated_at:
        progress.stage = str(aside.get("stage", progress.stage))[:100]
        progress.done = int(aside.get("done", progress.done))
        total = aside.get("total")
        progress.total = int(total) if total is not None else None
        progress.updated_at = written
    return progress


class Writable(Protocol):
    def write(self, text: str, /) -> object: ...


class TerminalReporter(Reporter):
    """Prints each stage, then every tenth of the way through it."""

    def __init__(self, stream: Writable) -> None:
        super().__init__()
        self.stream = stream
        self._tenth = -1

    def changed(self, *, stage: bool) -> None:
        if stage:
            self._tenth = 0
            total = f" ({self.total:,})" if self.total else ""
            self.stream.write(f"{self.label}{total}...\n")
            return
        if self.total:
            tenth = min(10, self.done * 10 // self.total)
            if tenth > self._tenth:
                self._tenth = tenth
                self.stream.write(
                    f"  {self.label}: {self.done:,} of {self.total:,} ({tenth * 10}%)\n"
                )


_current: ContextVar[Reporter | None] = ContextVar("progress_reporter", default=None)


@contextmanager
def reporting(reporter: Reporter) -> Iterator[Reporter]:
    """Within the block, `stage()` and `advance()` tell `reporter`."""
    token = _current.set(reporter)
    try:
        yield reporter
    finally:
        _current.reset(token)


def current() -> Reporter | None:
    return _current.get()


def stage(label: str, total: int | None = None) -> None:
    """Tell the job's reporter, if any, that a stage begins."""
    if (reporter := _current.get()) is not None:
        reporter.stage(label, total)


def advance(steps: int = 1) -> None:
    """Tell the job's reporter, if any, that `steps` more are done."""
    if (reporter := _current.get()) is not None:
        reporter.advance(steps)


def start(stage: str = "Waiting to start", total: int | None = None) -> Progress:
    """A new record of a job's progress, before the job starts."""
    return Progress.objects.create(stage=stage, total=total)
