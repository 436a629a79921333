"""Compute the stored monthly figures ahead of time: `manage.py store_figures [--authority 999]`.

Reads use stored figures where they are current and compute the others from the records without
storing them (a page never writes). This stores them: run it on a schedule (every few minutes;
it does nothing when nothing has changed) and after a large import, so dashboards stay quick.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workforce.core.models import Authority
from workforce.metrics import stored


class Command(BaseCommand):
    help = (
        "Compute and store each authority's monthly workforce figures where its records have "
        "changed since they were last stored. Without --authority, every authority."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--authority", action="append", help="DfE LA code; may be repeated.")

    def handle(self, *args: Any, **options: Any) -> None:
        codes = options.get("authority") or []
        authorities = Authority.objects.all()
        if codes:
            authorities = authorities.filter(code__in=codes)
            unknown = sorted(set(codes) - set(authorities.values_list("code", flat=True)))
            if unknown:
                raise CommandError(f"No authority with code {', '.join(unknown)}.")
        ids = list(authorities.values_list("pk", flat=True))
        started = time.perf_counter()

        def progress(done: int, of: int) -> None:
            if done % 10 == 0 or done == of:
                self.stdout.write(f"  {done}/{of} computed")

        computed = stored.refresh_all(ids, progress=progress)
        self.stdout.write(
            f"Stored figures computed for {computed} of {len(ids)} authorities "
            f"({len(ids) - computed} already up to date) in {time.perf_counter() - started:.1f} s."
        )
