"""Write the CSWW census return of one authority for one year to an XML file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from workforce.census import services
from workforce.core.models import Authority

FIRST_YEAR, LAST_YEAR = 2000, 2099


def _year(value: str) -> int:
    try:
        year = int(value)
    except ValueError as exc:
        raise CommandError(f"--year must be a year like 2025, not {value!r}.") from exc
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CommandError(f"--year must be between {FIRST_YEAR} and {LAST_YEAR}.")
    return year


class Command(BaseCommand):
    help = (
        "Write the DfE children's social work workforce census return (XML) for the year ending "
        "30 September YEAR, checked against the DfE schema. Nothing is written when the schema "
        "finds errors: they are listed instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="Census year, for example 2025.")
        parser.add_argument("--authority", required=True, help="DfE LA code, for example 999.")
        parser.add_argument("--out", required=True, help="The XML file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        year = _year(options["year"])
        code = options["authority"]
        authority = Authority.objects.filter(code=code).first()
        if authority is None:
            raise CommandError(f"--authority: there is no authority with the code {code!r}.")
        if dt.date(year, 9, 30) > timezone.localdate():
            raise CommandError(f"--year: 30 September {year} has not come yet.")
        out = Path(options["out"])
        if out.is_dir() or not out.parent.is_dir():
            raise CommandError(f"--out: cannot write a file at {out} (is the folder there?).")
        export = services.prepare(authority, year, now=timezone.now())
        if export.errors:
            lines = "\n".join(f"  {e}" for e in export.errors)
            raise CommandError(f"The return has problems, so nothing was written:\n{lines}")
        try:
            out.write_bytes(export.xml)
        except OSError as exc:
            raise CommandError(f"--out: cannot write {out}: {exc.strerror}.") from exc
        s = export.summary
        self.stdout.write(
            f"Wrote {out}: {s['workers']} worker records for {authority.name}, year to "
            f"30 September {year} (SHA-256 {export.sha256})."
        )
