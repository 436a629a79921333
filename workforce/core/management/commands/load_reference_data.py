"""Load census code lists and the list of English local authorities. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from workforce.core.services import load_reference_data


class Command(BaseCommand):
    help = (
        "Load the DfE census code lists (gender, ethnicity, OrgRole, QualLevel, ReasonLeave, "
        "StartOrigin, LeaverDestination, ReasonAbsence, CFKSSstatus) and the English local "
        "authorities. Run after every migrate; running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load_reference_data()
        self.stdout.write(
            self.style.SUCCESS(
                f"Reference data loaded: {counts['codes']} census codes, "
                f"{counts['authorities']} authorities."
            )
        )
