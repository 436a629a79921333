"""The CSWW census return: built, laid out as XML and checked against DfE's schema, for the
largest authority and for every authority, at the census date of the bench's `--today` (the
latest 30 September on or before it).

Floor: serialising the same number of `CSWWWorker` elements with lxml alone (constant values,
no records read, no schema), measured in the same run. Without the schema (`CSWW_SCHEMA`
unset or missing) the figures leave out the check and say so in the operation's name.

Then the largest authority's return is read into an empty authority, as a new authority would
start (the import framework's dry run: the whole import, undone). Its floor is parsing the same
file with lxml and reading every item of every worker record. No target is set for it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from lxml import etree

from workforce.census.returns import schema_installed
from workforce.census.services import Export, prepare

ONE_AUTHORITY_TARGET = 2.0
ENGLAND_TARGET = 60.0
NOW = dt.datetime(2025, 11, 1, 9, 0, tzinfo=dt.UTC)
WORKER = (
    ("AgencyWorker", "0"),
    ("SWENo", "SW0000123456"),
    ("FTE", "1.00"),
    ("PersonBirthDate", "1980-05-17"),
    ("GenderCurrent", "2"),
    ("Ethnicity", "WBRI"),
    ("QualInst", "University of Exampleshire"),
    ("QualLevel", "1"),
    ("StepUpGrad", "0"),
    ("OrgRole", "5"),
    ("RoleStartDate", "2020-01-01"),
    ("FTE30", "1.00"),
    ("Cases30", "12"),
    ("WorkingDaysLost", "4.00"),
    ("FrontlineGrad", "0"),
    ("Absat30Sept", "0"),
)


def census_year(today: dt.date) -> int:
    """The year of the latest census date (30 September) on or before `today`."""
    return today.year if (today.month, today.day) >= (9, 30) else today.year - 1


def _serialise(workers: int) -> None:
    message = etree.Element("Message")
    for _ in range(workers):
        w = etree.SubElement(message, "CSWWWorker")
        for tag, text in WORKER:
            etree.SubElement(w, tag).text = text
    etree.tostring(message, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _largest(authority_ids: list[int]) -> int:
    from django.db.models import Count

    from workforce.establishment.models import Engagement

    return int(
        Engagement.objects.filter(authority_id__in=authority_ids)
        .values("authority_id")
        .annotate(n=Count("id"))
        .order_by("-n", "authority_id")[0]["authority_id"]
    )


def run(ctx: Any) -> list[dict[str, object]]:
    from workforce.core.models import Authority

    year = census_year(ctx.today)
    checked = "" if schema_installed() else " (no schema: not checked)"
    authorities = list(Authority.objects.filter(pk__in=ctx.authority_ids).order_by("code"))
    largest = next(a for a in authorities if a.pk == _largest(ctx.authority_ids))

    exports: dict[int, Export] = {}

    def export(authority: Any) -> None:
        exports[authority.pk] = prepare(authority, year, now=NOW)

    results = []
    seconds = ctx.time(lambda: export(largest))
    one = exports[largest.pk]
    workers = one.summary["workers"]
    results.append(
        ctx.result(
            f"census return {year}, largest authority ({largest.code}){checked}",
            seconds=seconds,
            floor_seconds=ctx.time(lambda: _serialise(workers)),
            target_seconds=ONE_AUTHORITY_TARGET,
            rows=workers,
            schema_errors=len(one.errors),
        )
    )

    def export_all() -> None:
        for authority in authorities:
            export(authority)

    seconds = ctx.time(export_all, repeat=1)
    total = sum(e.summary["workers"] for e in exports.values())
    results.append(
        ctx.result(
            f"census returns {year}, all {len(authorities)} authorities{checked}",
            seconds=seconds,
            floor_seconds=ctx.time(lambda: _serialise(total), repeat=1),
            target_seconds=ENGLAND_TARGET,
            rows=total,
            schema_errors=sum(len(e.errors) for e in exports.values()),
            returns_with_errors=sum(1 for e in exports.values() if e.errors),
        )
    )
    results.append(_import(ctx, one.xml, workers, year, checked))
    return results


def _read_items(xml: bytes) -> int:
    items = 0
    for worker in etree.fromstring(xml).iter("CSWWWorker"):
        items += sum(1 for item in worker if item.text)
    return items


def _import(ctx: Any, xml: bytes, workers: int, year: int, checked: str) -> dict[str, object]:
    from workforce.census.importer import CSWWImporter
    from workforce.core.models import Authority
    from workforce.imports.base import read

    outcome = None
    with transaction.atomic():
        empty = Authority.objects.create(code="000", name="Empty authority", region="Bench")
        root = etree.fromstring(xml)
        root.find("Header/Source/LEA").text = empty.code  # type: ignore[union-attr]
        data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")

        def check() -> None:
            nonlocal outcome
            outcome = read(CSWWImporter(), empty, data, apply=False)

        seconds = ctx.time(check, repeat=1)
        transaction.set_rollback(True)
    assert outcome is not None
    return ctx.result(
        f"census return {year} of the largest authority read into an empty one{checked}",
        seconds=seconds,
        floor_seconds=ctx.time(lambda: _read_items(data), repeat=1),
        target_seconds=None,
        rows=workers,
        created=outcome.changes,
        errors=len(outcome.errors),
    )
