"""Writes for core: reference data and users."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from workforce.core.models import Authority, CensusCode

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    """Upsert the census code lists and the authorities list from the fixtures (idempotent)."""
    codes = json.loads((FIXTURES / "census_codes.json").read_text())
    seen = 0
    for list_name, values in codes.items():
        for order, (code, label) in enumerate(values):
            CensusCode.objects.update_or_create(
                list=list_name, code=code, defaults={"label": label, "order": order}
            )
            seen += 1
    authorities = json.loads((FIXTURES / "authorities.json").read_text())
    for row in authorities:
        Authority.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "region": row["region"], "ons_code": row["ons_code"]},
        )
    return {"codes": seen, "authorities": len(authorities)}
