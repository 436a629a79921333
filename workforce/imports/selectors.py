"""What the import pages read: the authority's import history and one run's tables."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from workforce.core.access import Scope
from workforce.core.tables import Column, Kind, Table
from workforce.imports.base import (
    ACTION_LABELS,
    Action,
    Severity,
    importer_for,
    importers,
    size_text,
)
from workforce.imports.models import CodeMapping, ColumnMapping, ImportRun, ImportStatus

CHECKSUM_SHOWN = 12  # characters of the SHA-256 checksum the history shows (downloads: all)
PROBLEMS_SHOWN = 200  # problems listed on the run page; the downloads hold every one
ENTRIES_PER_PAGE = 100

# The order records are shown in, and the names of the entry filters in the address.
ACTIONS = (Action.CREATE, Action.CHANGE, Action.MATCH, Action.CLOSE)


def runs_for(scope: Scope) -> QuerySet[ImportRun]:
    """Every file checked or imported into the scope's authority, newest first."""
    return scope.records(ImportRun.objects.select_related("checked_by", "applied_by"), team=None)


def run_for(scope: Scope, pk: int, *, for_update: bool = False) -> ImportRun:
    """One run of the scope's authority, or 404. `for_update` locks it (call inside a
    transaction) so that two clicks cannot import the same file twice."""
    runs = ImportRun.objects.all()
    if for_update:
        runs = runs.select_for_update()
    return scope.get(runs, team=None, pk=pk)


def file_types(extensions: tuple[str, ...]) -> str:
    """The kinds of file an importer accepts, as people say them: "CSV or XLSX"."""
    names = [e.lstrip(".").upper() for e in extensions]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " or " + names[-1]


def importer_list() -> list[dict[str, Any]]:
    """Each kind of file that can be imported, for the page that offers them."""
    return [
        {
            "kind": i.kind,
            "title": i.title,
            "description": i.description,
            "types": file_types(i.extensions),
            "largest": size_text(i.max_bytes),
        }
        for i in importers()
    ]


def _capital(text: str) -> str:
    """ "worker" as a table starts it: "Worker"."""
    return text[:1].upper() + text[1:]


def kind_title(kind: str) -> str:
    importer = importer_for(kind)
    return importer.title if importer is not None else kind


def person(user: Any) -> str:
    if user is None:
        return "Command line"
    return str(user.get_full_name() or user.username)


def _totals(run: ImportRun) -> dict[str, int]:
    totals = {a.value: 0 for a in ACTIONS}
    for counts in (run.counts or {}).values():
        for action, n in counts.items():
            totals[action] = totals.get(action, 0) + int(n)
    return totals


HISTORY_COLUMNS = [
    Column("filename", "File"),
    Column("kind", "Kind of file"),
    Column("checked_by", "Checked by"),
    Column("when", "Checked", Kind.DATETIME),
    Column("status", "Status"),
    Column("created", "Created", Kind.COUNT),
    Column("changed", "Changed", Kind.COUNT),
    Column("unchanged", "Unchanged", Kind.COUNT),
    Column("closed", "Closed", Kind.COUNT),
    Column("sha256", "SHA-256 checksum"),
]


def history_table(runs: list[ImportRun], *, full_checksum: bool = False) -> Table:
    """The import history. On the page the checksum is shortened; downloads give it whole."""
    rows = []
    for run in runs:
        totals = _totals(run)
        checksum = run.sha256 if full_checksum else run.sha256[:CHECKSUM_SHOWN]
        rows.append(
            [
                run.filename,
                kind_title(run.kind),
                person(run.checked_by),
                _local(run.created_at),
                run.get_status_display(),
                totals[Action.CREATE],
                totals[Action.CHANGE],
                totals[Action.MATCH],
                totals[Action.CLOSE],
                checksum or None,
            ]
        )
    return Table(
        "Files checked and imported",
        HISTORY_COLUMNS,
        rows,
        key="history",
        empty="No file has been checked or imported yet.",
    )


def counts_table(run: ImportRun) -> Table:
    """Records created, changed and unchanged, by kind of record, with totals."""
    columns = [Column("what", "Kind of record")] + [
        Column(a.value, ACTION_LABELS[a], Kind.COUNT) for a in ACTIONS
    ]
    rows = [
        [_capital(what), *(int(counts.get(a.value, 0)) for a in ACTIONS)]
        for what, counts in (run.counts or {}).items()
    ]
    totals = _totals(run)
    return Table(
        _counts_title(run),
        columns,
        rows,
        totals=["Total", *(totals[a.value] for a in ACTIONS)] if len(rows) > 1 else None,
        key="counts",
        empty="The file holds no records.",
    )


def _counts_title(run: ImportRun) -> str:
    if run.status == ImportStatus.APPLIED:
        return "What the import did"
    if run.status == ImportStatus.UNDONE:
        return "What the import did, before it was undone"
    if run.status == ImportStatus.PREVIEWED:
        return "What importing the file will do"
    return "What the file holds"


PROBLEM_COLUMNS = [
    Column("record", "Record"),
    Column("field", "Field"),
    Column("message", "Problem"),
]
# Problems found in a file of rows also say where: the line, the column as the file heads it,
# the value found there and the problem's stable code.
ROW_PROBLEM_COLUMNS = [
    Column("line", "Line", Kind.COUNT),
    Column("column", "Column"),
    Column("value", "Value"),
    Column("message", "Problem"),
    Column("code", "Code"),
]


def problems(run: ImportRun, severity: Severity | None = None) -> list[dict[str, Any]]:
    return [
        p for p in (run.problems or []) if severity is None or p.get("severity") == severity.value
    ]


def how_many(n: int, thing: str) -> str:
    """ "1 error", "1,204 errors"."""
    return f"{n:,} {thing}{'' if n == 1 else 's'}"


def problems_table(
    items: list[dict[str, Any]], *, what: str, shown: int | None = None, more: int = 0
) -> Table:
    """The errors or the warnings (`what`), titled with how many (`more`: those counted but not
    kept); on a page only the first `shown`."""
    title = how_many(len(items) + more, what)
    if any(p.get("code") or p.get("line") for p in items):
        row_rows = [
            [
                p.get("line"),
                p.get("column") or p.get("field") or "The file",
                p.get("value") or None,
                p.get("message", ""),
                p.get("code") or None,
            ]
            for p in items[:shown]
        ]
        return Table(title, ROW_PROBLEM_COLUMNS, row_rows, key=f"{what}s", empty=f"No {what}s.")
    rows = [
        [p.get("record") or "The file", p.get("field") or None, p.get("message", "")]
        for p in items[:shown]
    ]
    return Table(title, PROBLEM_COLUMNS, rows, key=f"{what}s", empty=f"No {what}s.")


ENTRY_COLUMNS = [
    Column("line", "Line", Kind.COUNT),
    Column("action", "Action"),
    Column("what", "Kind of record"),
    Column("record", "Record"),
    Column("detail", "Detail"),
]


def action_label(action: str, *, applied: bool) -> str:
    """The action as the page says it: "Created" once imported, "To be created" before."""
    labels = {
        Action.CREATE.value: ("Created", "To be created"),
        Action.CHANGE.value: ("Changed", "To be changed"),
        Action.MATCH.value: ("Unchanged", "Unchanged"),
        Action.CLOSE.value: ("Closed", "To be closed"),
    }
    done, planned = labels.get(action, (action, action))
    return done if applied else planned


def entries(run: ImportRun, action: str = "") -> list[dict[str, Any]]:
    """The run's entries, all or those of one action (`create`, `change`, `match`)."""
    return [e for e in (run.entries or []) if not action or e.get("action") == action]


def entries_table(run: ImportRun, items: list[dict[str, Any]], *, title: str) -> Table:
    applied = run.status == ImportStatus.APPLIED
    rows = [
        [
            e.get("line"),
            action_label(e.get("action", ""), applied=applied),
            _capital(e.get("what", "")),
            e.get("record", ""),
            e.get("detail") or None,
        ]
        for e in items
    ]
    columns = ENTRY_COLUMNS
    if not any(e.get("line") for e in items):
        columns, rows = columns[1:], [row[1:] for row in rows]
    return Table(title, columns, rows, key="entries", empty="No records.")


def _local(moment: Any) -> Any:
    """A moment as the table type takes it: local time, without its zone."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment is not None else None


def entries_title(run: ImportRun, action: str, count: int) -> str:
    """ "All 30 records", "14 records to be created", "16 records unchanged"."""
    if not action:
        return f"All {how_many(count, 'record')}"
    label = action_label(action, applied=run.status == ImportStatus.APPLIED).lower()
    return f"{how_many(count, 'record')} {label}"


def entry_filters(run: ImportRun, action: str) -> list[dict[str, Any]]:
    """Links to the run's records, all or by action, each with its count; empty ones left out."""
    applied = run.status == ImportStatus.APPLIED
    totals = _totals(run)
    filters = [
        {
            "label": "All",
            "count": sum(totals.values()),
            "query": "",
            "current": not action,
        }
    ]
    for a in ACTIONS:
        if totals[a.value]:
            filters.append(
                {
                    "label": action_label(a.value, applied=applied),
                    "count": totals[a.value],
                    "query": f"action={a.value}",
                    "current": action == a.value,
                }
            )
    return filters


def run_download(run: ImportRun, table: str, action: str) -> tuple[Table, str]:
    """One of a run's tables, whole, for a download (`table`: counts, errors, warnings, or the
    records, all or those of one `action`), with its file name."""
    name = f"import-{run.pk}"
    if table == "counts":
        return counts_table(run), f"{name}-counts"
    if table in ("errors", "warnings"):
        severity = Severity.ERROR if table == "errors" else Severity.WARNING
        more = omitted(run)[table]
        return (
            problems_table(problems(run, severity), what=table[:-1], more=more),
            f"{name}-{table}",
        )
    items = entries(run, action)
    title = entries_title(run, action, len(items))
    return entries_table(run, items, title=title), f"{name}-records{'-' + action if action else ''}"


def changes(run: ImportRun) -> int:
    """Records the import creates, changes or closes (0: importing the file changes nothing)."""
    totals = _totals(run)
    return totals[Action.CREATE] + totals[Action.CHANGE] + totals[Action.CLOSE]


def undo_offer(run: ImportRun) -> dict[str, Any] | None:
    """Whether an imported file can be undone, and if not why (None for a file not imported)."""
    if run.status != ImportStatus.APPLIED:
        return None
    from workforce.imports.changes import why_not_undoable

    reason = why_not_undoable(run)
    return {"can": not reason, "reason": reason}


def omitted(run: ImportRun) -> dict[str, int]:
    """How many records, errors and warnings were counted but not kept (a very large file)."""
    left = (run.summary or {}).get("omitted") or {}
    return {k: int(left.get(k, 0)) for k in ("entries", "errors", "warnings")}


# Saved mappings ------------------------------------------------------------------------------


def mapping_names(scope: Scope, kind: str) -> list[str]:
    """The names of the authority's saved column mappings for a kind of file."""
    return list(
        scope.records(ColumnMapping.objects.filter(kind=kind), team=None).values_list(
            "name", flat=True
        )
    )


def mappings_by_kind(scope: Scope) -> list[dict[str, Any]]:
    """Each kind of file whose columns can be mapped, with its saved mappings."""
    from workforce.imports.tabular import TabularImporter

    saved = list(scope.records(ColumnMapping.objects.all(), team=None))
    return [
        {
            "kind": i.kind,
            "title": i.title,
            "mappings": [m for m in saved if m.kind == i.kind],
        }
        for i in importers()
        if isinstance(i, TabularImporter)
    ]


def column_mapping_for(scope: Scope, pk: int) -> ColumnMapping:
    return scope.get(ColumnMapping.objects.all(), team=None, pk=pk)


def code_mapping_for(scope: Scope, pk: int) -> CodeMapping:
    return scope.get(CodeMapping.objects.all(), team=None, pk=pk)


def code_mappings(scope: Scope) -> list[dict[str, Any]]:
    """The authority's code mappings, with each list's name and the code's label."""
    from workforce.imports.mappings import code_lists, code_text

    titles = dict(code_lists())
    return [
        {
            "pk": mapping.pk,
            "list": titles.get(mapping.list, mapping.list),
            "local": mapping.local,
            "code": code_text(mapping.list, mapping.code),
        }
        for mapping in scope.records(CodeMapping.objects.all(), team=None)
    ]


def last_headings(scope: Scope, kind: str) -> tuple[list[str], ImportRun | None]:
    """The headings of the last file of a kind checked, and that run (none: no file yet)."""
    for run in runs_for(scope).filter(kind=kind)[:20]:
        columns = (run.summary or {}).get("columns")
        if columns:
            return [str(c) for c in columns], run
    return [], None
