"""The import pages: what can be imported and the history, the upload form, a file's check or
import, and the decision to import it or not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from workforce.core.access import Capability, requires, scope_of
from workforce.core.exports import filters_query, requested_format
from workforce.core.models import User
from workforce.core.pages import posted
from workforce.core.progress import latest as progress_of
from workforce.imports import mappings, selectors, services, uploads
from workforce.imports.base import Importer, Severity, importer_for
from workforce.imports.forms import CodeMappingForm, ColumnMappingForm, UploadForm
from workforce.imports.models import ImportRun, ImportStatus
from workforce.imports.tabular import TabularImporter

HISTORY_PER_PAGE = 50
READ = ["GET", "HEAD"]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # signed in: @requires sees to it
    return user


def _importer(kind: str) -> Importer:
    importer = importer_for(kind)
    if importer is None:
        raise Http404("No such kind of file.")
    return importer


def _run_url(run: ImportRun) -> str:
    return reverse("imports:run", args=[run.pk])


@requires(Capability.IMPORT_DATA)
@require_http_methods(READ)
def index(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    runs = selectors.runs_for(scope)
    if fmt := requested_format(request):
        table = selectors.history_table(list(runs), full_checksum=True)
        return table.response(fmt, f"imports-{scope.authority.code}-{scope.today.isoformat()}")
    page = Paginator(runs, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    history = selectors.history_table(list(page.object_list))
    return render(
        request,
        "imports/index.html",
        {
            "importers": selectors.importer_list(),
            "page": page,
            "history": history,
            "history_rows": list(zip(page.object_list, history.page_rows, strict=True)),
        },
    )


@requires(Capability.IMPORT_DATA)
@require_http_methods([*READ, "POST"])
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    scope = scope_of(request)
    importer = _importer(kind)
    form = UploadForm(
        posted(request),
        request.FILES or None,
        importer=importer,
        mapping_names=selectors.mapping_names(scope, importer.kind),
    )
    if request.method == "POST":
        run = uploads.check_upload(
            form,
            importer=importer,
            authority=scope.authority,
            user=_user(request),
            halted=uploads.stopped(request),
        )
        if run is not None:
            return redirect(_run_url(run))
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "importer": importer,
            "can_map": isinstance(importer, TabularImporter),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


TABLES = ("counts", "errors", "warnings", "entries")


@requires(Capability.IMPORT_DATA)
@require_http_methods(READ)
def run(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    run = selectors.run_for(scope, pk)
    services.fail_if_stopped(run)
    if run.working:
        return render(request, "imports/working.html", _working_context(run))
    action = request.GET.get("action", "")
    if action not in {a.value for a in selectors.ACTIONS}:
        action = ""
    if fmt := requested_format(request):
        table, name = selectors.run_download(run, request.GET.get("table", ""), action)
        return table.response(fmt, name)
    errors = selectors.problems(run, Severity.ERROR)
    warnings = selectors.problems(run, Severity.WARNING)
    entries = selectors.entries(run, action)
    title = selectors.entries_title(run, action, len(entries))
    page = Paginator(entries, selectors.ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    shown = selectors.PROBLEMS_SHOWN
    left_out = selectors.omitted(run)
    return render(
        request,
        "imports/run.html",
        {
            "run": run,
            "importer": importer_for(run.kind),
            "kind_title": selectors.kind_title(run.kind),
            "checked_by": selectors.person(run.checked_by),
            "applied_by": selectors.person(run.applied_by),
            "counts": selectors.counts_table(run),
            "errors": errors,
            "warnings": warnings,
            "errors_table": selectors.problems_table(
                errors, shown=shown, what="error", more=left_out["errors"]
            ),
            "warnings_table": selectors.problems_table(
                warnings, shown=shown, what="warning", more=left_out["warnings"]
            ),
            "omitted": left_out,
            "can_map": isinstance(importer_for(run.kind), TabularImporter),
            "error_count": len(errors) + left_out["errors"],
            "warning_count": len(warnings) + left_out["warnings"],
            "problems_shown": shown,
            "filters": selectors.entry_filters(run, action),
            "action": action,
            "page": page,
            "entries_table": selectors.entries_table(run, list(page.object_list), title=title),
            "entries_query": filters_query(request, table="entries"),
            "page_query": filters_query(request, table=None),
            "changes": selectors.changes(run),
            "undo": selectors.undo_offer(run),
            "undone_by": selectors.person(run.undone_by),
        },
    )


def _working_context(run: ImportRun) -> dict[str, object]:
    return {
        "run": run,
        "kind_title": selectors.kind_title(run.kind),
        "progress": progress_of(run.progress),
        "progress_url": reverse("imports:progress", args=[run.pk]),
    }


@requires(Capability.IMPORT_DATA)
@require_http_methods(READ)
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar of a file being checked or imported, which htmx asks for again every
    second; once the work has ended, a word that it has, and (to htmx) the page to reload, which
    then shows the result."""
    run = selectors.run_for(scope_of(request), pk)
    services.fail_if_stopped(run)
    if run.working:
        return render(request, "imports/_progress.html", _working_context(run))
    response = render(request, "imports/_finished.html", {"run": run})
    if request.htmx:  # type: ignore[attr-defined]
        response["HX-Refresh"] = "true"
    return response


# The answer to a second decision about a file already decided (two clicks, two tabs).
ALREADY: dict[str, str] = {
    ImportStatus.APPLYING: "This file is being imported.",
    ImportStatus.CHECKING: "This file is still being checked.",
    ImportStatus.FAILED: (
        "The work on this file stopped, and nothing was imported. Upload it again."
    ),
    ImportStatus.APPLIED: "This file has already been imported.",
    ImportStatus.DISCARDED: (
        "It was decided not to import this file, so it is no longer kept. "
        "To import it, upload it again."
    ),
    ImportStatus.REFUSED: (
        "This file cannot be imported: it has errors. Correct them and upload it again."
    ),
}


def _posted_only(request: HttpRequest, pk: int) -> HttpResponse | None:
    """405 to anything but a POST, once the run is known to be the user's: another
    authority's run is not found, whatever the method."""
    selectors.run_for(scope_of(request), pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def _decide(
    request: HttpRequest, pk: int, decision: Callable[[ImportRun], object], *, again: bool = True
) -> tuple[ImportRun, HttpResponse | None]:
    """Take a decision about a run (import it, do not, undo it), the run locked so that two
    clicks cannot both take it. Refused, the answer is the page again with the reason (or, with
    `again`, what was decided before)."""
    if refused := _posted_only(request, pk):
        return selectors.run_for(scope_of(request), pk), refused
    with transaction.atomic():
        run = selectors.run_for(scope_of(request), pk, for_update=True)
        try:
            decision(run)
        except ValidationError as refusal:
            reason = _first(refusal)
            messages.error(request, ALREADY.get(run.status, reason) if again else reason)
            return run, redirect(_run_url(run))
    run.refresh_from_db()  # an immediate backend has already done the work
    return run, None


@requires(Capability.IMPORT_DATA)
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    run, answer = _decide(request, pk, lambda r: services.queue_apply(r, user=_user(request)))
    if answer is not None:
        return answer
    if run.status == ImportStatus.REFUSED:
        n = sum(1 for p in run.problems if p.get("severity") == "error")
        messages.error(
            request,
            f"Nothing was imported: checked again, the file has {n} "
            f"error{'s' if n != 1 else ''}. They are listed below.",
        )
    elif run.status == ImportStatus.APPLIED:
        messages.success(request, f"{run.filename} was imported.")
    return redirect(_run_url(run))


@requires(Capability.IMPORT_DATA)
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    run, answer = _decide(request, pk, services.discard)
    if answer is not None:
        return answer
    messages.success(request, f"{run.filename} was not imported. Nothing was changed.")
    return redirect(_run_url(run))


@requires(Capability.IMPORT_DATA)
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    run, answer = _decide(
        request, pk, lambda r: services.queue_undo(r, user=_user(request)), again=False
    )
    if answer is not None:
        return answer
    if run.status == ImportStatus.UNDONE:
        messages.success(request, f"The import of {run.filename} was undone.")
    return redirect(_run_url(run))


def _first(refusal: ValidationError) -> str:
    return next(iter(refusal.messages), "This cannot be done.")


# Saved mappings ------------------------------------------------------------------------------


@requires(Capability.IMPORT_DATA)
@require_http_methods(READ)
def mapping_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    return render(
        request,
        "imports/mappings.html",
        {"kinds": selectors.mappings_by_kind(scope), "codes": selectors.code_mappings(scope)},
    )


def _tabular(kind: str) -> TabularImporter:
    importer = importer_for(kind)
    if not isinstance(importer, TabularImporter):
        raise Http404("This kind of file has no columns to map.")
    return importer


def _mapping_page(
    request: HttpRequest, importer: TabularImporter, mapping: Any | None
) -> HttpResponse:
    scope = scope_of(request)
    headings, source = selectors.last_headings(scope, importer.kind)
    if mapping is not None:
        extra = [h for h in mapping.columns.values() if h not in headings]
        headings = [*headings, *extra] if headings else []
    initial = None
    if mapping is not None:
        initial = {"name": mapping.name} | {f"col_{k}": v for k, v in mapping.columns.items()}
    form = ColumnMappingForm(
        posted(request), initial=initial, columns=importer.columns, headings=headings
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = mappings.save_column_mapping(
                authority=scope.authority,
                kind=importer.kind,
                name=form.cleaned_data["name"],
                columns=form.chosen(),
                mapping=mapping,
            )
        except ValidationError as refusal:
            for name, problems in refusal.message_dict.items():
                field = "name" if name == "name" else f"col_{name}"
                form.add_error(field if field in form.fields else None, problems[0])
        else:
            messages.success(request, f"The mapping {saved.name} was saved.")
            return redirect("imports:mappings")
    return render(
        request,
        "imports/mapping.html",
        {"form": form, "importer": importer, "mapping": mapping, "source": source},
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(Capability.IMPORT_DATA)
@require_http_methods([*READ, "POST"])
def mapping_create(request: HttpRequest, table_kind: str) -> HttpResponse:
    return _mapping_page(request, _tabular(table_kind), None)


@requires(Capability.IMPORT_DATA)
@require_http_methods([*READ, "POST"])
def mapping_edit(request: HttpRequest, column_mapping_id: int) -> HttpResponse:
    mapping = selectors.column_mapping_for(scope_of(request), column_mapping_id)
    return _mapping_page(request, _tabular(mapping.kind), mapping)


@requires(Capability.IMPORT_DATA)
@require_http_methods([*READ, "POST"])
def code_mappings(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = CodeMappingForm(posted(request), lists=mappings.code_lists())
    if request.method == "POST" and form.is_valid():
        try:
            saved = mappings.save_code_mapping(
                authority=scope.authority,
                list_name=form.cleaned_data["list_name"],
                local=form.cleaned_data["local"],
                code=form.cleaned_data["code"],
            )
        except ValidationError as refusal:
            for name, problems in refusal.message_dict.items():
                form.add_error(name if name in form.fields else None, problems[0])
        else:
            meaning = mappings.code_text(saved.list, saved.code)
            messages.success(request, f"{saved.local} now stands for {meaning}.")
            return redirect("imports:codes")
    return render(
        request,
        "imports/codes.html",
        {"form": form, "codes": selectors.code_mappings(scope)},
        status=400 if form.is_bound and form.errors else 200,
    )


@requires(Capability.IMPORT_DATA)
def code_mapping_delete(request: HttpRequest, code_mapping_id: int) -> HttpResponse:
    mapping = selectors.code_mapping_for(scope_of(request), code_mapping_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    mappings.delete_code_mapping(mapping=mapping)
    messages.success(request, f"{mapping.local} is no longer mapped.")
    return redirect("imports:codes")
