"""Cases and allocations read from a case-management system's allocation extract (Liquidlogic,
Mosaic or Eclipse style), CSV or XLSX, one row for each allocation.

A row names the child by the case system's id, which is turned into the case's pseudonymous
reference (`pseudonymise`) before anything else is done with it: the id itself is never
stored, written to a working table, logged or shown. Each row repeats its case's start, end,
team, category and complexity, which must agree on every row of the same child. A row with no
worker says that the case is unallocated on it, and then has no allocation dates.

An extract of a large authority runs to a million rows, so the file is not read through the
services row by row. Each row is read and checked in Python, with what it says put in a
temporary working table (`ci_row`, one row of the file each, and `ci_case`, one row each case);
the checks that need the whole file or the system's records are then made in SQL over those
tables, and the cases, their team and category spells and their allocations are written with
`INSERT ... SELECT` and `UPDATE ... FROM`, keeping the rules of `services.open_case`,
`allocate_case`, `end_allocation` and `close_case`. A change of a case's team or category, which
only a few cases of an extract have, goes through `transfer_case` and `change_case_category`.
See docs/decisions/0013-set-based-case-import.md.

Natural keys: a case is its child reference; an allocation is its case and its first day. The
same file again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Model
from django.utils import timezone

from workforce.caseloads import services
from workforce.caseloads.models import (
    Allocation,
    AllocationReason,
    Case,
    CaseCategory,
    CaseTeam,
    Category,
    pseudonymise,
)
from workforce.core import progress
from workforce.core.dates import day_text
from workforce.core.models import Authority
from workforce.establishment.models import Team, Worker
from workforce.imports import changes
from workforce.imports.base import MEGABYTE, Action, Outcome, Severity
from workforce.imports.tabular import (
    BadValue,
    Code,
    Column,
    Reading,
    Row,
    Table,
    TabularImporter,
    as_bool,
    as_date,
    as_text,
    local_codes,
    normal,
)

DAY = dt.timedelta(days=1)
CATEGORY_LIST = "case_category"
REASON_LIST = "allocation_reason"
CATEGORIES = dict(Category.choices)
REASONS = dict(AllocationReason.choices)
BATCH = 10_000  # rows written to the working table at a time
NEVER = "9999-12-31"  # an open end, where ends are compared

CACHED = 100_000  # values remembered of each kind of cell, at most
BAD = object()  # a cell that cannot be read

ROW_TABLE = "ci_row"
CASE_TABLE = "ci_case"


def _created(model: type[Model], sql: str, params: Sequence[Any] = ()) -> None:
    """Said after the INSERT: the rows `sql` selects were created by the import (for undoing)."""
    changes.created_sql(model, sql, params)


def _changing(model: type[Model], sql: str, params: Sequence[Any], before: dict[str, Any]) -> None:
    """Said before the UPDATE: the rows `sql` selects hold `before` until now."""
    changes.changed_sql(model, sql, params, before)


class CaseImporter(TabularImporter):
    kind = "cases"
    title = "Cases and allocations"
    description = (
        "An extract of the case management system (Liquidlogic, Mosaic, Eclipse), one row for "
        "each allocation: the child's id, the case's start and end, team and category, and the "
        "worker's staff number with the dates they held the case. Children's ids are turned "
        "into pseudonymous references and never kept."
    )
    max_bytes = 200 * MEGABYTE
    columns = (
        Column(
            "child_id",
            "Child ID",
            aliases=(
                "Person ID",
                "Client ID",
                "Child unique ID",
                "LCS ID",
                "Mosaic ID",
                "Eclipse ID",
                "Source ID",
            ),
            hint="The case system's id of the child: turned into a pseudonymous reference",
        ),
        Column(
            "case_start",
            "Case start date",
            aliases=("Case start", "Case open date", "Case opened", "Involvement start date"),
        ),
        Column(
            "case_end",
            "Case end date",
            required=False,
            aliases=("Case end", "Case close date", "Case closure date", "Involvement end date"),
            hint="The last day the case was open; empty while it is open",
        ),
        Column(
            "team",
            "Team",
            aliases=("Team name", "Allocated team", "Responsible team", "Case team"),
        ),
        Column(
            "category",
            "Category",
            aliases=("Case category", "Case type", "Case status"),
            hint="Child in need, Child protection plan, Child looked after, Care leaver or In "
            "proceedings",
        ),
        Column(
            "complex",
            "Complex",
            required=False,
            aliases=("Complex case", "Complexity"),
            hint="Yes or No",
        ),
        Column(
            "worker",
            "Worker staff number",
            aliases=(
                "Staff number",
                "Worker staff no",
                "Allocated worker staff number",
                "Worker employee number",
                "Employee number",
            ),
            hint="Empty when the case is unallocated",
        ),
        Column(
            "allocated_from",
            "Allocated from",
            aliases=("Allocation start date", "Allocation start", "Worker start date"),
        ),
        Column(
            "allocated_to",
            "Allocated to",
            required=False,
            aliases=("Allocation end date", "Allocation end", "Worker end date"),
            hint="The last day the worker held the case; empty while they hold it",
        ),
        Column(
            "reason",
            "Allocation reason",
            required=False,
            aliases=("Reason for allocation", "Reallocation reason"),
            hint="Initial allocation, Worker left, Reallocation...; empty: initial for the "
            "first, reallocation after",
        ),
    )

    def read_rows(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        _CaseImport(table, authority, outcome).run()


def register() -> None:
    from workforce.imports.base import register_importer
    from workforce.imports.mappings import register_code_list

    register_importer(CaseImporter())
    register_code_list(CATEGORY_LIST, "Case category", CATEGORIES)
    register_code_list(REASON_LIST, "Allocation reason", REASONS)


# The working tables ------------------------------------------------------------------------------

ROW_COLUMNS = (
    "line",
    "ref",
    "case_start",
    "case_end",
    "team_id",
    "category",
    "complex",
    "worker_id",
    "alloc_start",
    "alloc_end",
    "reason",
)


def _create_tables() -> None:
    temporary = "TEMPORARY"
    with connection.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {ROW_TABLE}")
        c.execute(f"DROP TABLE IF EXISTS {CASE_TABLE}")
        # Dates are the case's and allocation's [start, end), as the models hold them.
        c.execute(
            f"CREATE {temporary} TABLE {ROW_TABLE} ("
            "line INTEGER NOT NULL, ref VARCHAR(64) NOT NULL, case_start DATE NOT NULL, "
            "case_end DATE NULL, team_id INTEGER NOT NULL, category VARCHAR(20) NOT NULL, "
            "complex BOOLEAN NOT NULL, worker_id INTEGER NULL, alloc_start DATE NULL, "
            "alloc_end DATE NULL, reason VARCHAR(20) NOT NULL, "
            "alloc_id INTEGER NULL, sys_worker INTEGER NULL, sys_end DATE NULL, "
            "state VARCHAR(10) NULL)"
        )
        c.execute(
            f"CREATE {temporary} TABLE {CASE_TABLE} ("
            "ref VARCHAR(64) NOT NULL PRIMARY KEY, line INTEGER NOT NULL, "
            "case_start DATE NOT NULL, case_end DATE NULL, team_id INTEGER NOT NULL, "
            "category VARCHAR(20) NOT NULL, complex BOOLEAN NOT NULL, case_id INTEGER NULL, "
            "sys_start DATE NULL, sys_end DATE NULL, sys_team INTEGER NULL, "
            "sys_category VARCHAR(20) NULL, sys_complex BOOLEAN NULL, state VARCHAR(10) NULL)"
        )


def _drop_tables() -> None:
    with connection.cursor() as c:
        c.execute(f"DROP TABLE IF EXISTS {ROW_TABLE}")
        c.execute(f"DROP TABLE IF EXISTS {CASE_TABLE}")


def _write_rows(rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            names = ", ".join(ROW_COLUMNS)
            with c.cursor.copy(f"COPY {ROW_TABLE} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(ROW_COLUMNS))
            c.executemany(
                f"INSERT INTO {ROW_TABLE} ({', '.join(ROW_COLUMNS)}) VALUES ({marks})", rows
            )


def _analyze(table: str) -> None:
    """PostgreSQL plans with a temporary table's statistics, which only ANALYZE gathers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute(f"ANALYZE {table}")


def _scalar(sql: str, params: Sequence[Any] = ()) -> Any:
    with connection.cursor() as c:
        c.execute(sql, list(params))
        row = c.fetchone()
    return row[0] if row else None


def _execute(sql: str, params: Sequence[Any] = ()) -> int:
    with connection.cursor() as c:
        c.execute(sql, list(params))
        return c.rowcount


def _fetch(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    with connection.cursor() as c:
        c.execute(sql, list(params))
        return c.fetchall()


def _attempt(read: Callable[[Any], Any], value: Any) -> Any:
    try:
        return read(value)
    except BadValue as bad:
        return bad


def _iso(value: Any) -> str | None:
    day = as_date(value)
    return None if day is None else day.isoformat()


def _day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _last_day(end: Any) -> str:
    """The last day of [start, end), as people read it."""
    day = _day(end)
    return "" if day is None else day_text(day - DAY)


# Reading the rows --------------------------------------------------------------------------------


class _CaseImport:
    def __init__(self, table: Table, authority: Authority, outcome: Outcome) -> None:
        self.table = table
        self.authority = authority
        self.outcome = outcome
        self.as_at = timezone.localdate()
        self.now = timezone.now()
        self.teams = {
            name.strip().lower(): pk
            for pk, name in Team.objects.filter(authority=authority).values_list("pk", "name")
        }
        self.team_names = {
            pk: name
            for pk, name in Team.objects.filter(authority=authority).values_list("pk", "name")
        }
        self.workers = dict(
            Worker.objects.filter(authority=authority).values_list("staff_number", "pk")
        )
        self.numbers = {pk: number for number, pk in self.workers.items()}
        self.matched = 0
        self.closing = 0
        self.categories = self._codes(CATEGORIES, local_codes(authority, CATEGORY_LIST))
        self.reasons = self._codes(REASONS, local_codes(authority, REASON_LIST))
        # What cells said before: value -> what was read (or the BadValue raised).
        self._refs: dict[Any, Any] = {}
        self._dates: dict[Any, Any] = {}
        self._bools: dict[Any, Any] = {}
        self._texts: dict[Any, Any] = {}
        self._teams: dict[Any, Any] = {}
        self._categories: dict[Any, Any] = {}
        self._reasons: dict[Any, Any] = {}
        self._next: dict[str, str] = {}

    @staticmethod
    def _codes(choices: dict[str, str], local: dict[str, str]) -> dict[str, str]:
        """Normalised code, label or mapped local value -> code."""
        known = {normal(k): v for k, v in local.items() if v in choices}
        for code, label in choices.items():
            known[normal(code)] = code
            known[normal(label)] = code
        return known

    def run(self) -> None:
        self.outcome.summary["as_at"] = self.as_at.isoformat()
        # The working tables are dropped at the end; when anything fails on the way, the
        # framework's rollback takes them away with everything else.
        _create_tables()
        self._read()
        if self.table.rows_read:
            progress.stage("Checking the cases against the system")
            self._check()
            if not self.outcome.error_count:
                progress.stage("Importing")
                self._apply()
        _drop_tables()

    # One row at a time: a tight loop, each cell read once, what was read before remembered
    # (an extract repeats its dates, teams, categories and children's ids many times over).

    def _cached(self, cache: dict[Any, Any], value: Any, read: Callable[[Any], Any]) -> Any:
        """`read(value)`, or the `BadValue` it raises, remembered for the next such cell."""
        try:
            return cache[value]
        except KeyError:
            pass
        except TypeError:  # a value that cannot be a key
            return _attempt(read, value)
        found = _attempt(read, value)
        if len(cache) >= CACHED:
            cache.clear()
        cache[value] = found
        return found

    def _reference(self, value: Any) -> str:
        """The child's reference for the id in a cell ("" when it is empty)."""
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        source = str(value).strip()
        return pseudonymise(source) if source else ""

    def _read(self) -> None:
        names = [c.field for c in CaseImporter.columns]
        batch: list[tuple[Any, ...]] = []
        for line, cells in self.table.cells(names):
            staged = self._row(line, cells, names)
            if staged is not None:
                batch.append(staged)
                if len(batch) >= BATCH:
                    _write_rows(batch)
                    batch = []
        _write_rows(batch)

    def _row(self, line: int, cells: list[Any], names: list[str]) -> tuple[Any, ...] | None:
        # The child's id becomes its reference before anything else reads the row.
        cells[0] = ref = self._cached(self._refs, cells[0], self._reference)
        child, c_start, c_last, team, category, complex_, worker, a_from, a_last, reason = cells
        dates, cached = self._dates, self._cached
        case_start = cached(dates, c_start, _iso)
        case_last = cached(dates, c_last, _iso)
        a_start = cached(dates, a_from, _iso)
        alloc_last = cached(dates, a_last, _iso)
        team_id = cached(self._teams, team, self._team)
        category_code = cached(self._categories, category, self._category)
        reason_code = cached(self._reasons, reason, self._reason)
        is_complex = cached(self._bools, complex_, as_bool)
        staff_number = cached(self._texts, worker, as_text)
        worker_id = self.workers.get(staff_number) if staff_number.__class__ is str else None
        case_end = self._next_day(case_last) if case_last.__class__ is str else case_last
        alloc_end = self._next_day(alloc_last) if alloc_last.__class__ is str else alloc_last
        if (
            ref
            and case_start.__class__ is str
            and (case_end is None or case_end.__class__ is str)
            and team_id.__class__ is int
            and category_code.__class__ is str
            and category_code
            and (is_complex is None or is_complex.__class__ is bool)
            and reason_code.__class__ is str
            and (a_start is None or a_start.__class__ is str)
            and (alloc_end is None or alloc_end.__class__ is str)
            and (worker_id is not None if staff_number else a_start is None and not alloc_end)
            and (not staff_number or a_start is not None)
            and (not reason_code or staff_number)
            and (case_end is None or case_last >= case_start)
            and (a_start is None or a_start >= case_start)
            and (alloc_last is None or alloc_last >= a_start)
            and (case_end is None or a_start is None or a_start < case_end)
            and (case_end is None or alloc_end is None or alloc_end <= case_end)
        ):
            if case_end is not None and a_start is not None and alloc_end is None:
                alloc_end = case_end  # closing a case ends its allocation
            return (
                line,
                ref,
                case_start,
                case_end,
                team_id,
                category_code,
                bool(is_complex),
                worker_id,
                a_start,
                alloc_end,
                reason_code,
            )
        if not self._explain(line, cells, names):
            self.outcome.error(
                "This row cannot be read.",
                record=f"Case {ref}" if ref else "",
                field="file",
                code=Code.REFUSED,
                line=line,
            )
        return None

    def _explain(self, line: int, cells: list[Any], names: list[str]) -> bool:
        """A row that is not right: each thing wrong with it, as an error against its column
        (True when there was one)."""
        values = dict(zip(names, cells, strict=True))
        ref = values["child_id"]
        reading = Reading(self.table, Row(line, values), self.outcome, f"Case {ref}" if ref else "")

        def bad(name: str, message: str, code: Code) -> None:
            reading.error(name, message, code)

        def read(name: str, cache: dict[Any, Any], how: Callable[[Any], Any]) -> Any:
            found = self._cached(cache, values[name], how)
            if isinstance(found, BadValue):
                bad(name, str(found), found.code)
                return BAD
            return found

        if not ref:
            bad("child_id", "Enter the child's id in the case system.", Code.REQUIRED)
        case_start = read("case_start", self._dates, _iso)
        if case_start is None:
            bad("case_start", "Enter the case start date.", Code.REQUIRED)
        case_last = read("case_end", self._dates, _iso)
        team = read("team", self._texts, as_text)
        if team == "":
            bad("team", "Enter the case's team.", Code.REQUIRED)
        elif team is not BAD and self._team(team) is None:
            bad(
                "team",
                f"There is no team called {team}. Import the establishment first, or correct "
                "the team's name.",
                Code.UNKNOWN_RECORD,
            )
        category = read("category", self._texts, as_text)
        if category == "":
            bad("category", "Enter the case's category.", Code.REQUIRED)
        elif category is not BAD and self._category(category) is None:
            bad(
                "category",
                f"“{category}” is not one of the case categories, and no saved code mapping "
                "turns it into one. Add it under Code mappings, or correct the file.",
                Code.UNKNOWN_CODE,
            )
        read("complex", self._bools, as_bool)
        staff_number = read("worker", self._texts, as_text)
        if staff_number and staff_number is not BAD and staff_number not in self.workers:
            bad(
                "worker",
                f"There is no worker with staff number {staff_number}. Import the staff first, "
                "or correct the staff number.",
                Code.UNKNOWN_RECORD,
            )
        a_start = read("allocated_from", self._dates, _iso)
        a_last = read("allocated_to", self._dates, _iso)
        reason = read("reason", self._texts, as_text)
        if reason and reason is not BAD and self._reason(reason) is None:
            bad(
                "reason",
                f"“{reason}” is not one of the allocation reasons, and no saved code mapping "
                "turns it into one. Add it under Code mappings, or correct the file.",
                Code.UNKNOWN_CODE,
            )
        if not reading.ok:
            return True
        # Each cell can be read: the rules of one row.
        case_end = None if case_last is None else self._next_day(case_last)
        if case_last is not None and case_last < case_start:
            bad("case_end", "The case ends before it starts.", Code.REFUSED)
        if not staff_number:
            for name, given in (("allocated_from", a_start), ("allocated_to", a_last)):
                if given:
                    bad(
                        name,
                        "No worker is given, so the case is unallocated on this row: leave the "
                        "allocation's dates and reason empty, or give the worker.",
                        Code.REFUSED,
                    )
                    return True
            if reason:
                bad("reason", "No worker is given: leave the reason empty.", Code.REFUSED)
            return not reading.ok
        if a_start is None:
            bad(
                "allocated_from", "Enter the date the worker was allocated the case.", Code.REQUIRED
            )
            return True
        if a_last is not None and a_last < a_start:
            bad("allocated_to", "The allocation ends before it starts.", Code.REFUSED)
        if a_start < case_start:
            bad(
                "allocated_from",
                f"The case opened on {day_text(_day(case_start))}: an allocation cannot start "
                "before it.",
                Code.REFUSED,
            )
        if case_end is not None:
            if a_start >= case_end:
                bad(
                    "allocated_from",
                    f"The case's last day is {_last_day(case_end)}: an allocation cannot start "
                    "after it.",
                    Code.REFUSED,
                )
            elif a_last is not None and a_last >= case_end:
                bad(
                    "allocated_to",
                    f"The case's last day is {_last_day(case_end)}: the allocation cannot go on "
                    "after it.",
                    Code.REFUSED,
                )
        return not reading.ok

    def _team(self, value: Any) -> int | None:
        return self.teams.get(as_text(value).lower())

    def _category(self, value: Any) -> str | None:
        """The category's code; "" for an empty cell, None for one that is not a category."""
        text = as_text(value)
        return self.categories.get(normal(text)) if text else ""

    def _reason(self, value: Any) -> str | None:
        text = as_text(value)
        return self.reasons.get(normal(text)) if text else ""

    def _next_day(self, iso: str) -> str:
        found = self._next.get(iso)
        if found is None:
            found = (dt.date.fromisoformat(iso) + DAY).isoformat()
            self._next[iso] = found
        return found

    # Problems found in SQL ------------------------------------------------------------------------

    def _problems(
        self,
        severity: Severity,
        sql: str,
        params: Sequence[Any],
        make: Callable[[tuple[Any, ...]], tuple[str, str, Code, str, str]],
    ) -> int:
        """Each row `sql` selects (its first column the line, its second the reference) is a
        problem: `make(row)` gives its (field, message, code, value, record). The first few
        are kept, in the order of the file; all are counted."""
        kind = "errors" if severity == Severity.ERROR else "warnings"
        total = int(_scalar(f"SELECT COUNT(*) FROM ({sql}) AS found", params) or 0)  # noqa: S608
        if not total:
            return 0
        room = self.outcome.room(kind)
        kept = (
            _fetch(f"SELECT * FROM ({sql}) AS found ORDER BY 1 LIMIT %s", [*params, room])  # noqa: S608
            if room
            else []
        )
        report = self.outcome.error if severity == Severity.ERROR else self.outcome.warn
        for found in kept:
            name, message, code, value, record = make(found)
            report(
                message,
                record=record,
                field=name,
                code=code,
                line=found[0],
                column=self.table.heading(name),
                value=value,
            )
        self.outcome.count_more(severity, total - len(kept))
        return total

    def _check(self) -> None:
        vendor = connection.vendor
        with connection.cursor() as c:
            c.execute(f"CREATE INDEX ci_row_ref ON {ROW_TABLE} (ref, alloc_start, line)")
            # One row each case: its first line in the file.
            c.execute(
                f"INSERT INTO {CASE_TABLE} "  # noqa: S608
                "(ref, line, case_start, case_end, team_id, category, complex) "
                "SELECT ref, line, case_start, case_end, team_id, category, complex FROM ("
                "SELECT r.*, ROW_NUMBER() OVER (PARTITION BY ref ORDER BY line) AS n "
                f"FROM {ROW_TABLE} r) AS f WHERE n = 1"
            )
            if vendor == "postgresql":
                c.execute(f"ANALYZE {ROW_TABLE}")
                c.execute(f"ANALYZE {CASE_TABLE}")
        self._contradictions()
        self._repeated_allocations()
        self._overlaps()
        self._against_the_system()

    def _contradictions(self) -> None:
        """Every row of a child must say the same of its case as its first row."""
        fields = (
            ("case_start", "r.case_start <> k.case_start"),
            ("case_end", f"COALESCE(r.case_end, '{NEVER}') <> COALESCE(k.case_end, '{NEVER}')"),
            ("team", "r.team_id <> k.team_id"),
            ("category", "r.category <> k.category"),
            ("complex", "r.complex <> k.complex"),
        )
        which = " ".join(f"WHEN {test} THEN '{name}'" for name, test in fields)
        sql = (
            f"SELECT r.line, r.ref, k.line AS first_line, CASE {which} END AS field, "  # noqa: S608
            "r.case_start, r.case_end, r.team_id, r.category, r.complex "
            f"FROM {ROW_TABLE} r JOIN {CASE_TABLE} k ON k.ref = r.ref "
            f"WHERE r.line <> k.line AND ({' OR '.join(test for _n, test in fields)})"
        )

        def make(found: tuple[Any, ...]) -> tuple[str, str, Code, str, str]:
            line, ref, first, name, start, end, team_id, category, complex_ = found
            value = {
                "case_start": day_text(_day(start)),
                "case_end": _last_day(end),
                "team": self.team_names.get(team_id, ""),
                "category": CATEGORIES.get(category, category),
                "complex": "Yes" if complex_ else "No",
            }[name]
            message = (
                f"Line {first} gives the same child a different "
                f"{self.table.heading(name).lower()}. Every row of a child must give the same "
                "case start, case end, team, category and complexity."
            )
            return name, message, Code.CONTRADICTS, value, f"Case {ref}"

        self._problems(Severity.ERROR, sql, [], make)

    def _repeated_allocations(self) -> None:
        """Two rows of the same allocation (the same child and first day): read once when they
        say the same, an error when they do not."""
        sql = (
            "SELECT line, ref, prev_line, "  # noqa: S608
            f"CASE WHEN COALESCE(worker_id, 0) = COALESCE(prev_worker, 0) "
            f"AND COALESCE(alloc_end, '{NEVER}') = COALESCE(prev_end, '{NEVER}') "
            "AND reason = prev_reason THEN 1 ELSE 0 END AS same, alloc_start FROM ("
            "SELECT line, ref, worker_id, alloc_end, reason, alloc_start, "
            "LAG(line) OVER w AS prev_line, LAG(worker_id) OVER w AS prev_worker, "
            "LAG(alloc_end) OVER w AS prev_end, LAG(reason) OVER w AS prev_reason "
            f"FROM {ROW_TABLE} WHERE alloc_start IS NOT NULL "
            "WINDOW w AS (PARTITION BY ref, alloc_start ORDER BY line)) AS d "
            "WHERE prev_line IS NOT NULL"
        )
        same = f"SELECT * FROM ({sql}) AS s WHERE same = 1"  # noqa: S608
        differ = f"SELECT * FROM ({sql}) AS s WHERE same = 0"  # noqa: S608

        def repeated(found: tuple[Any, ...]) -> tuple[str, str, Code, str, str]:
            line, ref, prev, _same, start = found
            return (
                "allocated_from",
                f"The same allocation as line {prev}: it is read once.",
                Code.REPEATED,
                day_text(_day(start)),
                f"Case {ref}",
            )

        def contradicts(found: tuple[Any, ...]) -> tuple[str, str, Code, str, str]:
            line, ref, prev, _same, start = found
            return (
                "allocated_from",
                f"Line {prev} gives the same child an allocation from the same day with a "
                "different worker, end or reason. Keep one row for each allocation.",
                Code.CONTRADICTS,
                day_text(_day(start)),
                f"Case {ref}",
            )

        twice = _scalar(
            f"SELECT 1 FROM {ROW_TABLE} WHERE alloc_start IS NOT NULL "  # noqa: S608
            "GROUP BY ref, alloc_start HAVING COUNT(*) > 1 LIMIT 1"
        )
        if not twice:  # the usual file: one row each allocation
            return
        if self._problems(Severity.WARNING, same, [], repeated):
            _execute(
                f"DELETE FROM {ROW_TABLE} WHERE line IN (SELECT line FROM ({same}) AS s)"  # noqa: S608
            )
        self._problems(Severity.ERROR, differ, [], contradicts)

    def _overlaps(self) -> None:
        """At most one allocation of a case is open on any day."""
        sql = (
            "SELECT line, ref, prev_line, alloc_start FROM ("  # noqa: S608
            "SELECT line, ref, alloc_start, LAG(line) OVER w AS prev_line, "
            "LAG(alloc_start) OVER w AS prev_start, "
            f"MAX(COALESCE(alloc_end, '{NEVER}')) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING "
            "AND 1 PRECEDING) AS reach "
            f"FROM {ROW_TABLE} WHERE alloc_start IS NOT NULL "
            "WINDOW w AS (PARTITION BY ref ORDER BY alloc_start, line)) AS o "
            # The same first day twice is said of already (_repeated_allocations).
            "WHERE reach > alloc_start AND prev_start <> alloc_start"
        )

        def make(found: tuple[Any, ...]) -> tuple[str, str, Code, str, str]:
            line, ref, prev, start = found
            return (
                "allocated_from",
                f"This allocation starts before the allocation of the same child on line {prev} "
                "(or an earlier one) ends: a case is held by one worker at a time. Give the "
                "earlier allocation its last day.",
                Code.CONTRADICTS,
                day_text(_day(start)),
                f"Case {ref}",
            )

        self._problems(Severity.ERROR, sql, [], make)

    # The system's records -------------------------------------------------------------------------

    def _against_the_system(self) -> None:
        a = self.authority.pk
        _execute(
            f"UPDATE {CASE_TABLE} SET case_id = c.id, sys_start = c.start, "  # noqa: S608
            'sys_end = c."end" FROM caseloads_case c '
            f"WHERE c.authority_id = %s AND c.child_ref = {CASE_TABLE}.ref",
            [a],
        )
        self.matched = int(
            _scalar(f"SELECT COUNT(*) FROM {CASE_TABLE} WHERE case_id IS NOT NULL") or 0  # noqa: S608
        )
        self._unlisted()
        if not self.matched:
            _execute(f"UPDATE {CASE_TABLE} SET state = 'new'")  # noqa: S608
            self._not_in_post()
            return

        def latest(column: str, table: str) -> str:
            return (
                f"(SELECT {column} FROM {table} s WHERE s.case_id = {CASE_TABLE}.case_id "
                "ORDER BY s.start DESC, s.id DESC LIMIT 1)"
            )

        _execute(
            f"UPDATE {CASE_TABLE} SET "  # noqa: S608
            f"sys_team = {latest('team_id', 'caseloads_caseteam')}, "
            f"sys_category = {latest('category', 'caseloads_casecategory')}, "
            f"sys_complex = {latest('complex', 'caseloads_casecategory')} "
            "WHERE case_id IS NOT NULL"
        )
        _execute(
            f"UPDATE {CASE_TABLE} SET state = CASE "  # noqa: S608
            "WHEN case_id IS NULL THEN 'new' "
            "WHEN sys_end IS NULL AND case_end IS NOT NULL THEN 'close' ELSE 'match' END"
        )
        _analyze(CASE_TABLE)
        self.closing = int(
            _scalar(f"SELECT COUNT(*) FROM {CASE_TABLE} WHERE state = 'close'") or 0  # noqa: S608
        )
        k = CASE_TABLE
        # Closed in the system, and open or closed on another day in the file.
        self._problems(
            Severity.ERROR,
            f"SELECT line, ref, sys_end FROM {k} WHERE sys_end IS NOT NULL "  # noqa: S608
            f"AND COALESCE(case_end, '{NEVER}') <> sys_end",
            [],
            lambda f: (
                "case_end",
                f"The system holds this case as closed, its last day {_last_day(f[2])}. A "
                "closed case is not reopened or closed again by an import: correct the file, "
                "or the case on its page.",
                Code.CONFLICT,
                "",
                f"Case {f[1]}",
            ),
        )
        self._problems(
            Severity.WARNING,
            f"SELECT line, ref, sys_start FROM {k} WHERE case_id IS NOT NULL "  # noqa: S608
            "AND sys_start <> case_start",
            [],
            lambda f: (
                "case_start",
                f"The system holds {day_text(_day(f[2]))} as the case's start; the system's is "
                "kept.",
                Code.KEPT,
                "",
                f"Case {f[1]}",
            ),
        )
        # Closing a case: the rules of close_case.
        self._problems(
            Severity.ERROR,
            f"SELECT line, ref, sys_start, case_end FROM {k} WHERE state = 'close' "  # noqa: S608
            "AND case_end <= sys_start",
            [],
            lambda f: (
                "case_end",
                f"The case opened on {day_text(_day(f[2]))}: it cannot close before then.",
                Code.REFUSED,
                _last_day(f[3]),
                f"Case {f[1]}",
            ),
        )
        if self.closing:
            self._later_changes()
        # A case closed by the file keeps the system's team and category.
        self._problems(
            Severity.WARNING,
            f"SELECT line, ref FROM {k} WHERE state <> 'new' AND case_end IS NOT NULL "  # noqa: S608
            "AND (sys_team <> team_id OR sys_category <> category OR sys_complex <> complex)",
            [],
            lambda f: (
                "team",
                "The case is closed, and the system holds another team or category for it; "
                "the system's is kept.",
                Code.KEPT,
                "",
                f"Case {f[1]}",
            ),
        )
        self._allocations_against_the_system()
        self._not_in_post()

    def _later_changes(self) -> None:
        """A case closed on a day after which the system records a change of its team,
        category or worker: close_case refuses it."""

        def first(table: str) -> str:
            return (
                f"(SELECT MIN(s.start) FROM {table} s WHERE s.case_id = k.case_id "
                "AND s.start >= k.case_end)"
            )

        tables = ("caseloads_caseteam", "caseloads_casecategory", "caseloads_allocation")
        self._problems(
            Severity.ERROR,
            "SELECT line, ref, case_end, t, c, a FROM ("  # noqa: S608
            "SELECT k.line, k.ref, k.case_end, "
            f"{', '.join(f'{first(t)} AS {a}' for t, a in zip(tables, 'tca', strict=True))} "
            f"FROM {CASE_TABLE} k WHERE k.state = 'close') AS x "
            "WHERE t IS NOT NULL OR c IS NOT NULL OR a IS NOT NULL",
            [],
            lambda f: (
                "case_end",
                f"The system records a change of the case's team, category or worker on "
                f"{day_text(_day(min(d for d in f[3:] if d is not None)))}: close it after "
                "that.",
                Code.REFUSED,
                _last_day(f[2]),
                f"Case {f[1]}",
            ),
        )

    def _allocations_against_the_system(self) -> None:
        k, r = CASE_TABLE, ROW_TABLE
        _execute(
            f'UPDATE {r} SET alloc_id = a.id, sys_worker = a.worker_id, sys_end = a."end" '  # noqa: S608
            f"FROM {k} k, caseloads_allocation a WHERE k.ref = {r}.ref AND "
            f"k.case_id IS NOT NULL AND a.case_id = k.case_id AND a.start = {r}.alloc_start"
        )
        _execute(
            f"UPDATE {r} SET state = CASE "  # noqa: S608
            "WHEN alloc_id IS NULL THEN 'new' "
            "WHEN sys_end IS NULL AND alloc_end IS NOT NULL THEN 'close' "
            "WHEN sys_end IS NOT NULL AND alloc_end IS NULL THEN 'kept' "
            "ELSE 'match' END WHERE alloc_start IS NOT NULL"
        )
        _analyze(r)
        workers = self._worker_names()
        self._problems(
            Severity.ERROR,
            f"SELECT line, ref, sys_worker, worker_id FROM {r} "  # noqa: S608
            "WHERE alloc_id IS NOT NULL AND sys_worker <> worker_id",
            [],
            lambda f: (
                "worker",
                f"The system holds this allocation (from the same day) as held by "
                f"{workers(f[2])}. Correct the staff number, or the allocation on the case's "
                "page.",
                Code.CONFLICT,
                workers(f[3]),
                f"Case {f[1]}",
            ),
        )
        self._problems(
            Severity.ERROR,
            f"SELECT line, ref, sys_end, alloc_end FROM {r} WHERE alloc_id IS NOT NULL "  # noqa: S608
            "AND sys_end IS NOT NULL AND alloc_end IS NOT NULL AND sys_end <> alloc_end",
            [],
            lambda f: (
                "allocated_to",
                f"The system holds this allocation as ended, its last day {_last_day(f[2])}. "
                "An ended allocation is not changed by an import.",
                Code.CONFLICT,
                _last_day(f[3]),
                f"Case {f[1]}",
            ),
        )
        self._problems(
            Severity.WARNING,
            f"SELECT line, ref, sys_end FROM {r} WHERE state = 'kept'",  # noqa: S608
            [],
            lambda f: (
                "allocated_to",
                f"The system holds this allocation as ended, its last day {_last_day(f[2])} "
                "(the worker left, or the case moved team); the system's is kept.",
                Code.KEPT,
                "",
                f"Case {f[1]}",
            ),
        )
        self._problems(
            Severity.ERROR,
            f"SELECT r.line, r.ref, k.sys_start, r.alloc_start FROM {r} r "  # noqa: S608
            f"JOIN {k} k ON k.ref = r.ref WHERE r.state = 'new' AND k.case_id IS NOT NULL "
            "AND r.alloc_start < k.sys_start",
            [],
            lambda f: (
                "allocated_from",
                f"The system holds {day_text(_day(f[2]))} as the case's start: an allocation "
                "cannot start before it.",
                Code.REFUSED,
                day_text(_day(f[3])),
                f"Case {f[1]}",
            ),
        )
        self._problems(
            Severity.ERROR,
            f"SELECT r.line, r.ref, MIN(a.start), r.alloc_start FROM {r} r "  # noqa: S608
            f"JOIN {k} k ON k.ref = r.ref "
            "JOIN caseloads_allocation a ON a.case_id = k.case_id "
            f"WHERE r.state = 'new' AND a.start < COALESCE(r.alloc_end, '{NEVER}') "
            f"AND COALESCE(a.\"end\", '{NEVER}') > r.alloc_start "
            f"AND NOT EXISTS (SELECT 1 FROM {r} m WHERE m.ref = r.ref AND m.alloc_start = a.start) "
            "GROUP BY r.line, r.ref, r.alloc_start",
            [],
            lambda f: (
                "allocated_from",
                f"The system holds an allocation of this case from {day_text(_day(f[2]))} that "
                "the file does not list, and this one would overlap it: a case is held by one "
                "worker at a time.",
                Code.CONFLICT,
                day_text(_day(f[3])),
                f"Case {f[1]}",
            ),
        )

    def _not_in_post(self) -> None:
        """A new allocation to someone not employed on its first day: a warning."""
        r = ROW_TABLE
        where = "r.state = 'new'" if self.matched else "r.alloc_start IS NOT NULL"
        workers = self._worker_names()
        self._problems(
            Severity.WARNING,
            f"SELECT r.line, r.ref, r.worker_id, r.alloc_start FROM {r} r WHERE {where} "  # noqa: S608
            "AND NOT EXISTS (SELECT 1 FROM establishment_engagement e "
            "WHERE e.worker_id = r.worker_id AND e.start <= r.alloc_start "
            'AND (e."end" IS NULL OR e."end" > r.alloc_start))',
            [],
            lambda f: (
                "allocated_from",
                f"{workers(f[2])} is not in post on {day_text(_day(f[3]))}, the first day of "
                "this allocation (check the staff number and their engagements).",
                Code.CONFLICT,
                day_text(_day(f[3])),
                f"Case {f[1]}",
            ),
        )

    def _worker_names(self) -> Callable[[Any], str]:
        return lambda pk: f"staff number {self.numbers.get(pk, '?')}"

    def _unlisted(self) -> None:
        """Open cases the extract does not list: said once, never closed."""
        count = int(
            _scalar(
                "SELECT COUNT(*) FROM caseloads_case c "  # noqa: S608
                'WHERE c.authority_id = %s AND c."end" IS NULL '
                f"AND NOT EXISTS (SELECT 1 FROM {CASE_TABLE} k WHERE k.ref = c.child_ref)",
                [self.authority.pk],
            )
            or 0
        )
        if count:
            self.outcome.warn(
                f"{count:,} open case{'s' if count != 1 else ''} in the system "
                f"{'are' if count != 1 else 'is'} not in the file. They are left open: close "
                "them on their pages if they closed.",
                field="file",
                code=Code.NOT_LISTED,
                value=str(count),
            )
        self.outcome.summary["open_cases_not_listed"] = count

    # Writing --------------------------------------------------------------------------------------

    def _apply(self) -> None:
        a, now, k, r = self.authority.pk, self.now, CASE_TABLE, ROW_TABLE
        # New cases, with their team and category from their first day.
        new_cases = _execute(
            'INSERT INTO caseloads_case (authority_id, child_ref, start, "end", created_at, '  # noqa: S608
            f"updated_at) SELECT %s, ref, case_start, case_end, %s, %s FROM {k} "
            "WHERE state = 'new' ORDER BY line",
            [a, now, now],
        )
        if new_cases:
            _execute(
                f"UPDATE {k} SET case_id = c.id FROM caseloads_case c "  # noqa: S608
                f"WHERE {k}.state = 'new' AND c.authority_id = %s AND c.child_ref = {k}.ref",
                [a],
            )
            _created(Case, f"SELECT case_id FROM {k} WHERE state = 'new'")  # noqa: S608
            _execute(
                'INSERT INTO caseloads_caseteam (authority_id, case_id, team_id, start, "end", '  # noqa: S608
                f"created_at, updated_at) SELECT %s, case_id, team_id, case_start, case_end, "
                f"%s, %s FROM {k} WHERE state = 'new' ORDER BY line",
                [a, now, now],
            )
            _execute(
                "INSERT INTO caseloads_casecategory (authority_id, case_id, category, complex, "  # noqa: S608
                'start, "end", created_at, updated_at) SELECT %s, case_id, category, complex, '
                f"case_start, case_end, %s, %s FROM {k} WHERE state = 'new' ORDER BY line",
                [a, now, now],
            )
            for model, table in (
                (CaseTeam, "caseloads_caseteam"),
                (CaseCategory, "caseloads_casecategory"),
            ):
                _created(
                    model,
                    f"SELECT s.id FROM {table} s JOIN {k} k ON k.case_id = s.case_id "  # noqa: S608
                    "WHERE k.state = 'new'",
                )
        self._entries(
            Action.CREATE,
            "case",
            new_cases,
            f"SELECT line, ref, team_id, category, complex, case_start, case_end FROM {k} "  # noqa: S608
            "WHERE state = 'new'",
            lambda f: (
                f"{CATEGORIES.get(f[3], f[3])}{', complex' if f[4] else ''}, "
                f"{self.team_names.get(f[2], '')}, opened {day_text(_day(f[5]))}"
                + (f", last day {_last_day(f[6])}" if f[6] else "")
            ),
        )
        if self.matched:
            self._close_allocations()
            self._close_cases()
            self._changes_of_team_and_category()
        self._new_allocations()
        if self.matched:
            self._entries(
                Action.MATCH,
                "allocation",
                int(_scalar(f"SELECT COUNT(*) FROM {r} WHERE state IN ('match', 'kept')") or 0),  # noqa: S608
                f"SELECT line, ref, worker_id, alloc_start FROM {r} "  # noqa: S608
                "WHERE state IN ('match', 'kept')",
                self._allocation_detail,
            )

    def _allocation_detail(self, f: tuple[Any, ...]) -> str:
        return f"staff number {self._staff_number(f[2])} from {day_text(_day(f[3]))}"

    def _staff_number(self, worker_id: int) -> str:
        return self.numbers.get(worker_id, "?")

    def _entries(
        self,
        action: Action,
        what: str,
        count: int,
        sql: str,
        describe: Callable[[tuple[Any, ...]], str],
        params: Sequence[Any] = (),
    ) -> None:
        """`count` records (`sql` selects them: line, reference, ...): the first few as entries,
        the rest counted."""
        if count <= 0:
            return
        room = self.outcome.room("entries")
        kept = (
            _fetch(f"SELECT * FROM ({sql}) AS e ORDER BY 1 LIMIT %s", [*params, room])  # noqa: S608
            if room
            else []
        )
        for found in kept:
            self.outcome.add(action, what, f"Case {found[1]}", describe(found), line=found[0])
        self.outcome.tally(action, what, count - len(kept))

    def _close_allocations(self) -> None:
        """Allocations the system holds open and the file gives an end (end_allocation)."""
        r, now = ROW_TABLE, self.now
        chosen = f"SELECT alloc_id FROM {r} WHERE state = 'close'"  # noqa: S608
        count = int(_scalar(f"SELECT COUNT(*) FROM {r} WHERE state = 'close'") or 0)  # noqa: S608
        if count:
            _changing(Allocation, chosen, [], {"end": None})
            _execute(
                f'UPDATE caseloads_allocation SET "end" = r.alloc_end, updated_at = %s '  # noqa: S608
                f"FROM {r} r WHERE r.state = 'close' AND caseloads_allocation.id = r.alloc_id",
                [now],
            )
        self._entries(
            Action.CLOSE,
            "allocation",
            count,
            f"SELECT line, ref, worker_id, alloc_end FROM {r} WHERE state = 'close'",  # noqa: S608
            lambda f: f"staff number {self._staff_number(f[2])}, last day {_last_day(f[3])}",
        )

    def _close_cases(self) -> None:
        """Cases the system holds open and the file closes (close_case): the case and its open
        team, category and allocation spells end on its end."""
        k, now = CASE_TABLE, self.now
        count = int(_scalar(f"SELECT COUNT(*) FROM {k} WHERE state = 'close'") or 0)  # noqa: S608
        if not count:
            return
        _changing(Case, f"SELECT case_id FROM {k} WHERE state = 'close'", [], {"end": None})  # noqa: S608
        _execute(
            f'UPDATE caseloads_case SET "end" = k.case_end, updated_at = %s FROM {k} k '  # noqa: S608
            "WHERE k.state = 'close' AND caseloads_case.id = k.case_id",
            [now],
        )
        for model, table in (
            (CaseTeam, "caseloads_caseteam"),
            (CaseCategory, "caseloads_casecategory"),
            (Allocation, "caseloads_allocation"),
        ):
            _changing(
                model,
                f"SELECT s.id FROM {table} s JOIN {k} k ON k.case_id = s.case_id "  # noqa: S608
                "WHERE k.state = 'close' AND s.\"end\" IS NULL",
                [],
                {"end": None},
            )
            _execute(
                f'UPDATE {table} SET "end" = k.case_end, updated_at = %s FROM {k} k '  # noqa: S608
                f"WHERE k.state = 'close' AND {table}.case_id = k.case_id "
                f'AND {table}."end" IS NULL',
                [now],
            )
            # Spells ending after the case's end, on a day set by hand: few, through the ORM.
            later = _fetch(
                f"SELECT s.id, k.case_end FROM {table} s JOIN {k} k ON k.case_id = s.case_id "  # noqa: S608
                "WHERE k.state = 'close' AND s.\"end\" > k.case_end"
            )
            for pk, end in later:
                spell = model.objects.get(pk=pk)
                spell.end = _day(end)
                spell.save(update_fields=["end", "updated_at"])
        self._entries(
            Action.CLOSE,
            "case",
            count,
            f"SELECT line, ref, case_end FROM {k} WHERE state = 'close'",  # noqa: S608
            lambda f: f"last day {_last_day(f[2])}",
        )

    def _changes_of_team_and_category(self) -> None:
        """Open cases whose team or category the file gives differently: through the services,
        as a change on the day the file is read (a transfer on the first day of the file's new
        allocation of the case, when it has one after the current team spell began)."""
        k, r = CASE_TABLE, ROW_TABLE
        found = _fetch(
            f"SELECT k.line, k.ref, k.case_id, k.team_id, k.category, k.complex, "  # noqa: S608
            "k.sys_team <> k.team_id, "
            "(k.sys_category <> k.category OR k.sys_complex <> k.complex), "
            f"(SELECT MAX(r.alloc_start) FROM {r} r WHERE r.ref = k.ref AND r.state = 'new') "
            f"FROM {k} k WHERE k.state = 'match' AND k.case_end IS NULL AND k.sys_end IS NULL "
            "AND (k.sys_team <> k.team_id OR k.sys_category <> k.category "
            "OR k.sys_complex <> k.complex) ORDER BY k.line"
        )
        changed = 0
        for line, ref, case_id, team_id, category, complex_, new_team, new_category, moved in found:
            case = Case.objects.get(pk=case_id)
            heading = "team" if new_team else "category"
            try:
                details = []
                if new_team:
                    spell = case.teams.filter(end__isnull=True).order_by("-start").first()
                    on = _day(moved) or self.as_at
                    if spell is not None and on <= spell.start:
                        on = self.as_at
                    services.transfer_case(case=case, to_team=Team.objects.get(pk=team_id), on=on)
                    details.append(f"moves to {self.team_names.get(team_id, '')} on {day_text(on)}")
                if new_category:
                    heading = "category"
                    services.change_case_category(
                        case=case, category=category, on=self.as_at, complex=bool(complex_)
                    )
                    details.append(
                        f"{CATEGORIES.get(category, category).lower()}"
                        f"{' (complex)' if complex_ else ''} from {day_text(self.as_at)}"
                    )
            except ValidationError as refusal:
                for messages in refusal.message_dict.values():
                    for message in messages:
                        self.outcome.error(
                            message,
                            record=f"Case {ref}",
                            field=heading,
                            code=Code.REFUSED,
                            line=line,
                            column=self.table.heading(heading),
                        )
                continue
            changed += 1
            self.outcome.add(Action.CHANGE, "case", f"Case {ref}", "; ".join(details), line=line)
        matched = int(_scalar(f"SELECT COUNT(*) FROM {k} WHERE state = 'match'") or 0)  # noqa: S608
        self._entries(
            Action.MATCH,
            "case",
            matched - changed,
            f"SELECT k.line, k.ref FROM {k} k WHERE k.state = 'match' "  # noqa: S608
            "AND NOT (k.case_end IS NULL AND k.sys_end IS NULL AND (k.sys_team <> k.team_id "
            "OR k.sys_category <> k.category OR k.sys_complex <> k.complex))",
            lambda f: "",
        )

    def _new_allocations(self) -> None:
        """Allocations the system does not hold: the reason, when the file gives none, is
        initial for a case's first allocation and reallocation after (allocate_case)."""
        a, now, k, r = self.authority.pk, self.now, CASE_TABLE, ROW_TABLE
        new = "r.state = 'new'" if self.matched else "r.alloc_start IS NOT NULL"
        earlier = (
            "k.state = 'new' OR NOT EXISTS (SELECT 1 FROM caseloads_allocation p "
            "WHERE p.case_id = k.case_id AND p.start < r.alloc_start)"
            if self.matched
            else "1 = 1"
        )
        count = _execute(
            "INSERT INTO caseloads_allocation (authority_id, case_id, worker_id, start, "  # noqa: S608
            '"end", reason, over_capacity_reason, created_at, updated_at) '
            "SELECT %s, k.case_id, r.worker_id, r.alloc_start, r.alloc_end, "
            "CASE WHEN r.reason <> '' THEN r.reason "
            f"WHEN r.n = 1 AND ({earlier}) THEN 'initial' ELSE 'reallocation' END, '', %s, %s "
            "FROM (SELECT r.*, ROW_NUMBER() OVER (PARTITION BY ref ORDER BY alloc_start) AS n "
            f"FROM {r} r WHERE r.alloc_start IS NOT NULL) AS r JOIN {k} k ON k.ref = r.ref "
            f"WHERE {new}",
            [a, now, now],
        )
        if count:
            _created(
                Allocation,
                f"SELECT s.id FROM caseloads_allocation s JOIN {k} k ON k.case_id = s.case_id "  # noqa: S608
                "WHERE k.state = 'new'",
            )
            if self.matched:
                _created(
                    Allocation,
                    f"SELECT s.id FROM {r} r JOIN {k} k ON k.ref = r.ref "  # noqa: S608
                    "JOIN caseloads_allocation s ON s.case_id = k.case_id "
                    "AND s.start = r.alloc_start WHERE r.state = 'new' AND k.state <> 'new'",
                )
        self._entries(
            Action.CREATE,
            "allocation",
            count,
            f"SELECT r.line, r.ref, r.worker_id, r.alloc_start, r.alloc_end FROM {r} r "  # noqa: S608
            f"WHERE {new}",
            lambda f: (
                f"staff number {self._staff_number(f[2])} from {day_text(_day(f[3]))}"
                + (f", last day {_last_day(f[4])}" if f[4] else "")
            ),
        )
