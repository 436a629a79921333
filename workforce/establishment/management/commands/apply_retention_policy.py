"""Remove identifying details of people who left long ago (docs/security.md, "Retention")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workforce.core.dates import day_text
from workforce.core.models import Authority
from workforce.establishment import privacy


class Command(BaseCommand):
    help = (
        "Pseudonymise people whose last engagement ended more than LEAVER_RETENTION_YEARS "
        "years ago: names, staff and Social Work England numbers, date of birth and free text "
        "about them are removed, here and in the audit trail; codes and dates stay, so every "
        "figure is unchanged. --dry-run lists who is due and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--authority", required=True, help="DfE LA code, for example 990.")
        parser.add_argument(
            "--dry-run", action="store_true", help="List who is due; change nothing."
        )
        parser.add_argument(
            "--today", help="The day to apply it as of (default today), 2026-12-03."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        authority = Authority.objects.filter(code=options["authority"]).first()
        if authority is None:
            raise CommandError(
                f"--authority: there is no authority with code {options['authority']!r}."
            )
        today = dt.date.today()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as e:
                raise CommandError(
                    f"--today must be a date like 2026-12-03, not {options['today']!r}."
                ) from e
        dry_run = options["dry_run"]
        due = privacy.pseudonymise(authority, today=today, dry_run=dry_run)
        years = privacy.retention_years()
        verb = "would be pseudonymised" if dry_run else "pseudonymised"
        self.stdout.write(
            f"{len(due)} {'person' if len(due) == 1 else 'people'} who left more than {years} "
            f"years before {day_text(today)} {verb}."
        )
        for d in due:
            self.stdout.write(f"  worker {d.worker_id}, last day {day_text(d.last_day)}")
