"""Read one of DfE's published statistics files into a new release: checked first, imported
all or nothing, every problem listed with its line, column and value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workforce.benchmarks import importers
from workforce.imports.management.commands.import_data import problem_line

ACTIONS = (("create", "new"), ("change", "updated"), ("match", "no change"))


class Command(BaseCommand):
    help = (
        "Read a DfE statistics file (CSV from Explore education statistics): the workforce "
        "indicators, children in need tables B1 or C1, children looked after by number of "
        "social workers, or the statistical neighbours. What it is comes from its header. With "
        "any error nothing is imported; with --dry-run it is only checked. A file loaded "
        "already changes nothing; a later file of the same publication is a new release, and "
        "the values published before are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV file to read.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and say what importing it would do, without importing it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"file: cannot read {path}: {exc.strerror}.") from exc
        dry_run = options["dry_run"]
        outcome = importers.read(data, apply=not dry_run, filename=path.name)
        if outcome.error_count:
            n = outcome.error_count
            lines = "\n".join(problem_line(p) for p in outcome.errors)
            more = outcome.omitted.get("errors", 0)
            if more:
                lines += f"\n  … and {more:,} more error{'s' if more != 1 else ''}."
            raise CommandError(
                f"{path.name} has {n:,} error{'s' if n != 1 else ''}, so nothing was imported:\n"
                f"{lines}"
            )
        what = outcome.summary.get("publication", "")
        if dry_run:
            self.stdout.write(
                f"Checked {path.name} ({what}, SHA-256 {outcome.summary.get('sha256')}): nothing "
                "was imported. Importing it would give:"
            )
        else:
            self.stdout.write(
                f"Imported {path.name} ({what}, SHA-256 {outcome.summary.get('sha256')}):"
            )
        for kind, counts in outcome.counts.items():
            parts = ", ".join(f"{counts.get(key, 0):,} {label}" for key, label in ACTIONS)
            self.stdout.write(f"  {kind}: {parts}")
