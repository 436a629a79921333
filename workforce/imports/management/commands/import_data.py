"""Read a file of any kind an importer offers (an HR extract, a census return) into an authority:
checked first, imported all or nothing, every problem listed with where it is."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from workforce.core.progress import Reporter, TerminalReporter
from workforce.imports import services
from workforce.imports.base import Outcome, Problem, importer_for, importers
from workforce.imports.commands import authority_named, read_file
from workforce.imports.models import ColumnMapping

ACTIONS = (("create", "new"), ("change", "updated"), ("match", "no change"), ("close", "closed"))


def where(problem: Problem) -> str:
    """ "Line 4, column FTE, value '0,5' [HR-104]", or the record and field for other files."""
    parts = []
    if problem.line is not None:
        parts.append(f"line {problem.line}")
    elif problem.record:
        parts.append(problem.record)
    if problem.column or problem.field:
        parts.append(f"column {problem.column or problem.field}")
    if problem.value:
        parts.append(f"value {problem.value!r}")
    text = ", ".join(parts) or "the file"
    text = text[:1].upper() + text[1:]
    return f"{text} [{problem.code}]" if problem.code else text


def problem_line(problem: Problem) -> str:
    return f"  {where(problem)}: {problem.message}"


class Command(BaseCommand):
    help = (
        "Read a file into an authority: KIND is the kind of file (for example establishment, "
        "staff or csww), FILE the file. It is checked first; with any error nothing is imported "
        "and every problem is listed by line, column, value and code. With --dry-run it is only "
        "checked. Use it for the monthly HR refresh from a scheduler, or to onboard an authority."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = ", ".join(i.kind for i in importers())
        parser.add_argument("kind", help=f"The kind of file: {kinds}.")
        parser.add_argument("file", help="The file to read.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and say what importing it would do, without importing it.",
        )
        parser.add_argument(
            "--mapping",
            default="",
            help="The name of a saved column mapping for the file's source.",
        )
        parser.add_argument(
            "--authority",
            default="",
            help="DfE LA code, for example 999. Needed when there is more than one authority.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        importer = importer_for(kind)
        if importer is None:
            kinds = ", ".join(i.kind for i in importers())
            raise CommandError(f"kind: there is no kind of file {kind!r}. Choose one of: {kinds}.")
        authority = authority_named(options["authority"])
        mapping = options["mapping"]
        if (
            mapping
            and not ColumnMapping.objects.filter(
                authority=authority, kind=kind, name=mapping
            ).exists()
        ):
            names = ", ".join(
                ColumnMapping.objects.filter(authority=authority, kind=kind).values_list(
                    "name", flat=True
                )
            )
            raise CommandError(
                f"--mapping: there is no saved mapping {mapping!r} for {kind} files"
                + (f" (saved: {names})." if names else ".")
            )
        data, filename = read_file(importer, authority, options["file"])

        chosen = {"mapping": mapping} if mapping else None
        dry_run = options["dry_run"]
        # How far it has got, on the terminal (not with --verbosity 0).
        reporter = TerminalReporter(self.stdout) if options["verbosity"] else Reporter()
        if dry_run:
            run, outcome = services.check(
                importer,
                authority,
                data=data,
                filename=filename,
                user=None,
                options=chosen,
                reporter=reporter,
            )
        else:
            run, outcome = services.import_file(
                importer,
                authority,
                data=data,
                filename=filename,
                user=None,
                now=timezone.now(),
                options=chosen,
                reporter=reporter,
            )
        if outcome.error_count:
            self._problems(outcome, warnings=True)
            n = outcome.error_count
            lines = "\n".join(problem_line(p) for p in outcome.errors)
            more = outcome.omitted.get("errors", 0)
            if more:
                lines += f"\n  … and {more:,} more error{'s' if more != 1 else ''}."
            raise CommandError(
                f"{filename} has {n:,} error{'s' if n != 1 else ''}, so nothing was imported:\n"
                f"{lines}"
            )
        if dry_run:
            self.stdout.write(
                f"Checked {filename} for {authority.name} (SHA-256 {run.sha256}): "
                "nothing was imported. Importing it would give:"
            )
        else:
            self.stdout.write(f"Imported {filename} into {authority.name} (SHA-256 {run.sha256}):")
        self._counts(outcome)
        self._problems(outcome, warnings=True)

    def _counts(self, outcome: Outcome) -> None:
        if not outcome.counts:
            self.stdout.write("  No records.")
        for what, counts in outcome.counts.items():
            parts = ", ".join(
                f"{counts.get(key, 0):,} {label}"
                for key, label in ACTIONS
                if counts.get(key) or key != "close"
            )
            self.stdout.write(f"  {what}: {parts}")

    def _problems(self, outcome: Outcome, *, warnings: bool) -> None:
        if warnings and outcome.warning_count:
            n = outcome.warning_count
            self.stdout.write(f"{n:,} warning{'s' if n != 1 else ''} to check:")
            for problem in outcome.warnings:
                self.stdout.write(problem_line(problem))
            more = outcome.omitted.get("warnings", 0)
            if more:
                self.stdout.write(f"  … and {more:,} more.")
