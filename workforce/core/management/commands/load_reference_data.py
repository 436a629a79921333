"""Load census code lists and the list of English local authorities. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from workforce.core.services import load_reference_data


class Command(BaseCommand):
    help = (
        "Load the DfE census code lists (gender, ethnicity, OrgRole, QualLevel, ReasonLeave, "
        "StartOrigin, LeaverDestination, ReasonAbsence, CFKSSstatus) and the English local "
        "authorities, then the other apps' reference data (DfE's published statistics for "
        "benchmarking). Run after every migrate; running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--without-statistics",
            action="store_true",
            help="Leave out DfE's published statistics files (quicker; loaded again later).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_reference_data(published_statistics=not options["without_statistics"])
        others = ", ".join(
            f"{n:,} {name}" for name, n in counts.items() if name not in ("codes", "authorities")
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data loaded: {counts['codes']} census codes, "
                f"{counts['authorities']} authorities" + (f", {others}." if others else ".")
            )
        )
