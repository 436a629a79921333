"""Loading DfE's published statistics from the web: an administrator's page, since the
statistics are England's, shared by every authority in the system."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from workforce.benchmarks import importers
from workforce.benchmarks.models import Release
from workforce.core.access import Capability, requires
from workforce.core.exports import requested_format
from workforce.core.forms import Form, named
from workforce.core.pages import posted
from workforce.core.tables import Column, Kind, Table
from workforce.imports.base import Outcome

ACTIONS = (("create", "New"), ("change", "Updated"), ("match", "No change"))


class StatisticsUploadForm(Form):
    file = named(
        forms.FileField(
            label="Upload a DfE statistics file",
            allow_empty_file=True,  # the importer says an empty file is empty
            error_messages={
                "required": "Select a DfE statistics file to upload",
                "invalid": "Select a DfE statistics file to upload",
            },
            help_text="A CSV file as downloaded from Explore education statistics.",
        ),
        "DfE statistics file",
    )
    check_only = forms.BooleanField(label="Only check the file: import nothing", required=False)


def releases_table() -> Table:
    return Table(
        "Releases loaded",
        [
            Column("publication", "Publication"),
            Column("years", "Years"),
            Column("file", "File"),
            Column("rows", "Rows", Kind.COUNT),
            Column("loaded", "Loaded", Kind.DATETIME),
            Column("sha256", "SHA-256 checksum", on_page=False),
        ],
        [
            [
                r.get_publication_display(),
                f"{r.first_year} to {r.last_year}"
                if r.first_year != r.last_year
                else str(r.last_year or ""),
                r.filename,
                r.rows,
                r.loaded_at,
                r.sha256,
            ]
            for r in Release.objects.order_by("publication", "-loaded_at", "-pk")
        ],
        key="releases",
        empty="No DfE statistics have been loaded yet.",
    )


def _counts(outcome: Outcome) -> Table:
    return Table(
        "What the file holds",
        [Column("what", "Records"), *(Column(key, label, Kind.COUNT) for key, label in ACTIONS)],
        [
            [what, *(counts.get(key, 0) for key, _ in ACTIONS)]
            for what, counts in outcome.counts.items()
        ],
        key="counts",
    )


def _errors(outcome: Outcome) -> Table:
    return Table(
        "Errors",
        [
            Column("line", "Line", Kind.COUNT),
            Column("column", "Column"),
            Column("value", "Value"),
            Column("message", "What is wrong"),
            Column("code", "Code"),
        ],
        [[p.line, p.column, p.value, p.message, p.code] for p in outcome.errors],
        key="errors",
    )


@requires(Capability.MANAGE_AUTHORITIES)
def upload_statistics(request: HttpRequest) -> HttpResponse:
    releases = releases_table()
    fmt = requested_format(request)
    if fmt is not None and request.method == "GET":
        return releases.response(fmt, "dfe-statistics-releases")
    form = StatisticsUploadForm(posted(request), request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        outcome = importers.read(
            upload.read(), apply=not form.cleaned_data["check_only"], filename=upload.name
        )
        releases = releases_table()
    return render(
        request,
        "benchmarks/upload.html",
        {
            "form": form,
            "outcome": outcome,
            "applied": outcome is not None and not form.cleaned_data["check_only"],
            "counts": _counts(outcome) if outcome is not None else None,
            "errors": _errors(outcome) if outcome is not None and outcome.error_count else None,
            "releases": releases,
        },
        status=400 if form.is_bound and (form.errors or (outcome and outcome.error_count)) else 200,
    )
