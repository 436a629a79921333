"""Restore a backup made by `manage.py backup` (`make restore FILE=...`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workforce.core import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into this database. Stop the web server "
        "and the worker first. Refused when the database already holds records, unless "
        "--replace is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The backup file.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite a database that already holds records.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = backup.restore(options["file"], replace=options["replace"])
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(self.style.SUCCESS(f"Restored {restored.path}."))
        self.stdout.write(f"SHA-256 {restored.sha256}")
