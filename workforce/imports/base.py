"""The import framework: one way to read a file into an authority, for every kind of file.

An importer knows one kind of file. Its `load` reads the bytes and writes the records through
the apps' models, telling an `Outcome` what it created, changed and matched, and what is wrong
(errors, which stop the import, and warnings, which do not). The framework runs `load` inside one
transaction and:

- for a **dry run**, always rolls it back: the preview is what the import would do, because it is
  the import, undone;
- for an **import**, rolls it back when any error was found, else commits: all or nothing.

Importing a file already imported must change nothing: each importer matches what it finds to
what is there (by a natural key, such as a Social Work England number) and reports a match.

Files of rows (CSV and XLSX extracts) report each row: an entry per record with its `line`, and
problems with a stable `code`, the `line`, the `column` and the `value` at fault. An outcome keeps
every count, but at most `Outcome.keep` entries, errors and warnings each, so a file of a million
rows is not held in memory; `omitted` says how many more there were.

Apps register their importers in `AppConfig.ready()` with `register_importer`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from django.db import transaction

from workforce.core.models import Authority

MEGABYTE = 1024 * 1024


class Severity(StrEnum):
    ERROR = "error"  # stops the import
    WARNING = "warning"  # to be checked; the import goes ahead


class Action(StrEnum):
    CREATE = "create"
    CHANGE = "change"
    MATCH = "match"  # found already, nothing to change
    CLOSE = "close"  # ended (an engagement a monthly extract no longer lists), never deleted


ACTION_LABELS = {
    Action.CREATE: "Created",
    Action.CHANGE: "Changed",
    Action.MATCH: "Unchanged",
    Action.CLOSE: "Closed",
}

# Entries, errors and warnings an outcome keeps, each (the counts are always whole).
KEEP = 5000


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file or one of its records. `record` names the record (for
    example "Worker 3 (SW1234567890)"), `field` the element or column. A file of rows also gives
    the problem's stable `code` (for example "HR-203"), its `line` in the file, the `column` as
    the file heads it and the `value` found there."""

    severity: Severity
    message: str
    record: str = ""
    field: str = ""
    code: str = ""
    line: int | None = None
    column: str = ""
    value: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


@dataclass(frozen=True)
class Entry:
    """One thing the import does: `action` on a `what` (worker, engagement, leaving...) for
    `record`, with a plain `detail`."""

    action: Action
    what: str
    record: str
    detail: str = ""
    line: int | None = None  # the line of the file it comes from, for files of rows


class Refused(Exception):
    """Raised by an importer that cannot go on (the file cannot be read at all)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(p.message for p in self.problems))


@dataclass
class Outcome:
    """What reading a file did, or would do.

    `entries` and `problems` hold at most `keep` entries, `keep` errors and `keep` warnings;
    the counts (`counts`, `error_count`, `warning_count`) take in every one, and `omitted` says
    how many were not kept.
    """

    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    keep: int = KEEP
    options: dict[str, Any] = field(default_factory=dict)  # what the person chose: a mapping
    _tally: dict[str, Counter[str]] = field(default_factory=dict, repr=False)
    _left_out: Counter[str] = field(default_factory=Counter, repr=False)
    _kept: Counter[str] = field(default_factory=Counter, repr=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            self._tally.setdefault(entry.what, Counter())[entry.action.value] += 1
        for problem in self.problems:
            self._kept["errors" if problem.is_error else "warnings"] += 1

    def add(
        self,
        action: Action | str,
        what: str,
        record: str,
        detail: str = "",
        *,
        line: int | None = None,
    ) -> None:
        action = Action(action)
        self._tally.setdefault(what, Counter())[action.value] += 1
        if len(self.entries) >= self.keep:
            self._left_out["entries"] += 1
            return
        self.entries.append(Entry(action, what, record, detail, line))

    def tally(self, action: Action | str, what: str, n: int) -> None:
        """Count `n` more records of `what` with `action`, beyond the entries added for them
        (an importer that works on many rows at once adds the first few and tallies the rest)."""
        if n <= 0:
            return
        self._tally.setdefault(what, Counter())[Action(action).value] += n
        self._left_out["entries"] += n

    def room(self, kind: str) -> int:
        """How many more "entries", "errors" or "warnings" would be kept."""
        kept = len(self.entries) if kind == "entries" else self._kept[kind]
        return max(0, self.keep - kept)

    def count_more(self, severity: Severity | str, n: int) -> None:
        """Count `n` more problems of `severity` that are not kept (found in bulk)."""
        if n > 0:
            self._left_out["errors" if Severity(severity) == Severity.ERROR else "warnings"] += n

    def _problem(self, problem: Problem) -> None:
        kind = "errors" if problem.is_error else "warnings"
        if self._kept[kind] >= self.keep:
            self._left_out[kind] += 1
            return
        self._kept[kind] += 1
        self.problems.append(problem)

    def error(self, message: str, *, record: str = "", field: str = "", **where: Any) -> None:
        """An error; `where` may give the `code`, `line`, `column` and `value`."""
        self._problem(Problem(Severity.ERROR, message, record, field, **where))

    def warn(self, message: str, *, record: str = "", field: str = "", **where: Any) -> None:
        self._problem(Problem(Severity.WARNING, message, record, field, **where))

    def clear_entries(self) -> None:
        """Forget every entry (a file refused: nothing it read counts)."""
        self.entries.clear()
        self._tally.clear()
        self._left_out.pop("entries", None)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def error_count(self) -> int:
        return len(self.errors) + self._left_out["errors"]

    @property
    def warning_count(self) -> int:
        return len(self.warnings) + self._left_out["warnings"]

    @property
    def omitted(self) -> dict[str, int]:
        """How many entries, errors and warnings were counted but not kept."""
        return {k: n for k, n in self._left_out.items() if n}

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        """`{what: {action: n}}` for each kind of record, in the order first met."""
        return {what: dict(c) for what, c in self._tally.items()}

    @property
    def changes(self) -> int:
        """Records the import creates, changes or closes (0: importing it changes nothing)."""
        return sum(
            n
            for counts in self._tally.values()
            for action, n in counts.items()
            if action != Action.MATCH
        )

    def as_json(self) -> dict[str, Any]:
        summary = dict(self.summary)
        if self.omitted:
            summary["omitted"] = self.omitted
        return {
            "counts": self.counts,
            "problems": [asdict(p) for p in self.problems],
            "entries": [asdict(e) for e in self.entries],
            "summary": summary,
        }


class Importer:
    """One kind of file. Subclasses set the class attributes and write `load`."""

    kind: ClassVar[str]  # short name in URLs and the history: "csww"
    title: ClassVar[str]  # "DfE workforce census return"
    description: ClassVar[str]  # a sentence for the upload page
    extensions: ClassVar[tuple[str, ...]]  # accepted file name endings: (".xml",)
    max_bytes: ClassVar[int] = 50 * MEGABYTE

    def load(self, data: bytes, authority: Authority, outcome: Outcome) -> None:
        """Read `data` into `authority`, writing the records and telling `outcome` about each.

        Raise `Refused` when the file cannot be read at all; add errors to `outcome` for
        records that are wrong (the framework undoes everything written when there are any).
        """
        raise NotImplementedError

    def load_with_options(
        self, data: bytes, authority: Authority, outcome: Outcome, options: dict[str, Any]
    ) -> None:
        """`load`, told what the person chose (for files of rows: a saved mapping's name).
        Importers that take no options need not know of it."""
        outcome.options = dict(options)
        self.load(data, authority, outcome)


_IMPORTERS: dict[str, Importer] = {}


def register_importer(importer: Importer) -> None:
    _IMPORTERS[importer.kind] = importer


def importers() -> list[Importer]:
    return sorted(_IMPORTERS.values(), key=lambda i: i.title)


def importer_for(kind: str) -> Importer | None:
    return _IMPORTERS.get(kind)


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def size_problem(importer: Importer, size: int) -> Problem | None:
    """The file is too large to read: said before a byte of it is read."""
    if size <= importer.max_bytes:
        return None
    return Problem(
        Severity.ERROR,
        f"The file is {size_text(size)}: the largest file that can be imported as "
        f"{importer.title} is {size_text(importer.max_bytes)}.",
        field="file",
    )


def size_text(n: int) -> str:
    """A file's size as people read it: "2.5 MB", "40 KB"."""
    if n >= MEGABYTE:
        return f"{n / MEGABYTE:,.1f} MB".replace(".0 MB", " MB")
    return f"{max(1, round(n / 1024)):,} KB"


class _Undo(Exception):
    """Leaves the transaction so that it is rolled back."""


def read(
    importer: Importer,
    authority: Authority,
    data: bytes,
    *,
    apply: bool,
    options: dict[str, Any] | None = None,
) -> Outcome:
    """Run the importer in one transaction: kept only when `apply` and no errors were found.
    `options` are what the person chose with the file (a saved mapping), read by the importer."""
    outcome = Outcome()
    problem = size_problem(importer, len(data))
    if problem is not None:
        outcome.problems.append(problem)
        return outcome
    try:
        with transaction.atomic():
            importer.load_with_options(data, authority, outcome, dict(options or {}))
            if not apply or outcome.error_count:
                raise _Undo
    except _Undo:
        pass
    except Refused as refusal:
        outcome.clear_entries()
        outcome.problems[:] = [*refusal.problems, *outcome.problems]
    return outcome
