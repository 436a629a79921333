"""Exporting the census return: build, check against the schema, record in the history."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from workforce.census.models import CensusExport
from workforce.census.returns import build_return, to_xml, validate
from workforce.core.models import Authority, User


@dataclass
class Export:
    xml: bytes
    errors: list[str]
    summary: dict

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.xml).hexdigest()


def prepare(authority: Authority, year: int, *, now: dt.datetime) -> Export:
    """The return's XML for the year, the schema's complaints about it and its summary."""
    ret = build_return(authority, year)
    xml = to_xml(ret, now=now)
    if not ret.workers:
        nobody = (
            "There is no one to return: no one was in post, started or left in a census-counted "
            f"role in the year to 30 September {year}."
        )
        return Export(xml=xml, errors=[nobody], summary=ret.summary())
    return Export(xml=xml, errors=validate(xml), summary=ret.summary())


@transaction.atomic
def record_export(
    authority: Authority, year: int, *, user: User, now: dt.datetime
) -> tuple[Export, CensusExport]:
    """Build the return and record its download; refused while the schema finds errors."""
    export = prepare(authority, year, now=now)
    if export.errors:
        raise ValidationError({"year": "The return has problems: correct those listed first."})
    entry = CensusExport.objects.create(
        authority=authority,
        year=year,
        exported_by=user,
        sha256=export.sha256,
        summary=export.summary,
    )
    return export, entry
