"""Write a backup of the whole database (`make backup`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workforce.core import backup


class Command(BaseCommand):
    help = (
        "Write a backup of the whole database: SQLite's online copy or PostgreSQL's pg_dump. "
        "The file holds personal data; keep it as carefully as the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="File to write (default: a dated file in BACKUP_DIR, ./backups).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["output"]
        try:
            if path is None:
                directory = backup.backup_directory()
                directory.mkdir(mode=0o700, parents=True, exist_ok=True)
                path = backup.default_path(directory)
            made = backup.backup(path)
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(
            self.style.SUCCESS(f"Backup written to {made.path} ({made.size:,} bytes).")
        )
        self.stdout.write(f"SHA-256 {made.sha256}")
