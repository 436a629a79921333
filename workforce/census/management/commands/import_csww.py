"""Read a CSWW census return (XML) into an authority: checked first, imported all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from workforce.core.models import Authority
from workforce.core.progress import Reporter, TerminalReporter
from workforce.imports import services
from workforce.imports.base import Outcome, Problem, importer_for
from workforce.imports.commands import read_file

KIND = "csww"
ACTIONS = (("create", "created"), ("change", "changed"), ("match", "unchanged"))


def _problem(problem: Problem) -> str:
    where = ", ".join(part for part in (problem.record or "The file", problem.field) if part)
    return f"  {where}: {problem.message}"


class Command(BaseCommand):
    help = (
        "Read a DfE children's social work workforce census return (XML) into an authority. "
        "The file is checked first; with errors nothing is imported and they are listed. "
        "With --dry-run it is only checked: nothing is kept either way."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The census return to read (XML).")
        parser.add_argument("--authority", required=True, help="DfE LA code, for example 999.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and say what importing it would do, without importing it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        importer = importer_for(KIND)
        if importer is None:
            raise CommandError("The census return importer is not installed.")
        code = options["authority"]
        authority = Authority.objects.filter(code=code).first()
        if authority is None:
            raise CommandError(f"--authority: there is no authority with the code {code!r}.")
        data, filename = read_file(importer, authority, options["file"])

        dry_run = options["dry_run"]
        # How far it has got, on the terminal (not with --verbosity 0).
        reporter = TerminalReporter(self.stdout) if options["verbosity"] else Reporter()
        if dry_run:
            run, outcome = services.check(
                importer, authority, data=data, filename=filename, user=None, reporter=reporter
            )
        else:
            run, outcome = services.import_file(
                importer,
                authority,
                data=data,
                filename=filename,
                user=None,
                now=timezone.now(),
                reporter=reporter,
            )
        if outcome.errors:
            lines = "\n".join(_problem(p) for p in outcome.errors)
            self._warnings(outcome)
            n = len(outcome.errors)
            raise CommandError(
                f"{filename} has {n} error{'s' if n != 1 else ''}, so nothing was imported:\n"
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
        self._warnings(outcome)

    def _counts(self, outcome: Outcome) -> None:
        if not outcome.counts:
            self.stdout.write("  No records.")
        for what, counts in outcome.counts.items():
            parts = ", ".join(f"{counts.get(key, 0)} {label}" for key, label in ACTIONS)
            self.stdout.write(f"  {what}: {parts}")

    def _warnings(self, outcome: Outcome) -> None:
        if outcome.warnings:
            n = len(outcome.warnings)
            self.stdout.write(f"{n} warning{'s' if n != 1 else ''} to check:")
            for problem in outcome.warnings:
                self.stdout.write(_problem(problem))
