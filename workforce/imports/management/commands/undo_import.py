"""Undo the last import of a kind of file into an authority: every record it created deleted,
every record it changed given its earlier values back, all or nothing, each step audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from workforce.core.progress import Reporter, TerminalReporter
from workforce.imports import services
from workforce.imports.base import importer_for, importers
from workforce.imports.commands import authority_named
from workforce.imports.models import ImportRun, ImportStatus


class Command(BaseCommand):
    help = (
        "Undo the last import of KIND (for example staff) into an authority. Refused when a "
        "record it wrote has been changed since: undoing it would undo that change too."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = ", ".join(i.kind for i in importers())
        parser.add_argument("kind", help=f"The kind of file: {kinds}.")
        parser.add_argument(
            "--authority",
            default="",
            help="DfE LA code, for example 999. Needed when there is more than one authority.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if importer_for(kind) is None:
            kinds = ", ".join(i.kind for i in importers())
            raise CommandError(f"kind: there is no kind of file {kind!r}. Choose one of: {kinds}.")
        authority = authority_named(options["authority"])
        run = (
            ImportRun.objects.filter(authority=authority, kind=kind, status=ImportStatus.APPLIED)
            .order_by("-applied_at", "-pk")
            .first()
        )
        if run is None:
            raise CommandError(f"kind: no {kind} file has been imported into {authority.name}.")
        reporter = TerminalReporter(self.stdout) if options["verbosity"] else Reporter()
        try:
            reversed_ = services.undo(run, user=None, reporter=reporter)
        except ValidationError as refusal:
            raise CommandError(
                f"The import of {run.filename} was not undone: {' '.join(refusal.messages)}"
            ) from refusal
        self.stdout.write(
            f"Undid the import of {run.filename} into {authority.name} "
            f"({reversed_:,} change{'s' if reversed_ != 1 else ''} reversed)."
        )
