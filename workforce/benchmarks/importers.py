"""DfE's published statistics files, read into a release: `dfe_statistics`.

What a file is comes from its header: the children's social work workforce indicators, the
children in need tables B1 and C1, the children looked after social worker counts, or the
statistical neighbours. Each row is checked first (a known geographic level, a year, an area
code, a number or one of DfE's symbols in every measure column, no row twice); with any error
nothing is written. Then the whole file is written at once: the areas it names that are new,
one release, and its values in bulk.

A file already loaded (the same SHA-256 checksum) changes nothing. A later file of the same
publication is a new release: the values of the earlier one stay as they were published.

Statistics are England's, not one authority's: the importer is run by the
`import_dfe_statistics` command (and `load_reference_data`), not uploaded by an authority.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from workforce.benchmarks import measures
from workforce.benchmarks.models import (
    Area,
    AreaLevel,
    NotAvailable,
    Publication,
    PublishedValue,
    Release,
    StatisticalNeighbour,
)
from workforce.benchmarks.models.statistics import LEVEL_NAMES
from workforce.core.models import Authority
from workforce.imports.base import (
    Action,
    Importer,
    Outcome,
    Problem,
    Refused,
    Severity,
    checksum,
    size_problem,
)

KIND = "dfe_statistics"
BATCH = 5000


class Code:
    """Stable codes of the problems, for the documentation and the tests."""

    UNREADABLE = "DFE-001"  # not UTF-8 text
    LAYOUT = "DFE-002"  # the header is of no layout known here
    MISSING_COLUMN = "DFE-003"
    EMPTY = "DFE-004"  # a header and no rows
    LEVEL = "DFE-101"  # geographic_level not National, Regional or Local authority
    YEAR = "DFE-102"
    AREA_CODE = "DFE-103"
    NUMBER = "DFE-104"
    DUPLICATE = "DFE-105"
    ROW_KIND = "DFE-106"  # a long file's row of a kind not known here
    NEIGHBOUR = "DFE-107"  # a neighbour not in the file, or listed twice


SYMBOLS = {choice.value: choice for choice in NotAvailable}
NUMBER = re.compile(r"-?\d+(\.\d{1,4})?")
PLACE = ["time_period", "geographic_level", "country_code", "country_name"]
AREA = [*PLACE, "region_code", "region_name", "old_la_code", "new_la_code", "la_name"]
NEIGHBOUR_COLUMNS = [
    "old_la_code",
    "la_name",
    "region_name",
    *(f"SN_{i}" for i in range(1, 11)),
    *(f"SN_{i}P" for i in range(1, 11)),
]


@dataclass(frozen=True)
class Layout:
    publication: Publication
    columns: tuple[str, ...]  # every column it must have
    measure_columns: tuple[str, ...] = ()  # wide files: one measure a column
    row_kind: str = ""  # long files: the column saying which measure a row gives


LAYOUTS = (
    Layout(
        Publication.CSWW,
        (*AREA, *measures.COLUMNS[Publication.CSWW]),
        measures.COLUMNS[Publication.CSWW],
    ),
    Layout(
        Publication.CIN_B1,
        (*AREA, "category", *measures.COLUMNS[Publication.CIN_B1]),
        measures.COLUMNS[Publication.CIN_B1],
    ),
    Layout(
        Publication.CIN_C1,
        (*AREA, "category", *measures.COLUMNS[Publication.CIN_C1]),
        measures.COLUMNS[Publication.CIN_C1],
    ),
    Layout(
        Publication.CLA_SWCOUNT,
        (*AREA, "cla_group", "sw_stability", "number", "percentage"),
        row_kind="sw_stability",
    ),
    Layout(Publication.NEIGHBOURS, tuple(NEIGHBOUR_COLUMNS)),
)


def recognise(header: list[str]) -> Layout:
    """The layout whose columns the header holds most of (at least half of them), else refused;
    refused too when it lacks any of that layout's columns, each named."""
    have = set(header)
    best = max(LAYOUTS, key=lambda layout: len(have & set(layout.columns)) / len(layout.columns))
    if len(have & set(best.columns)) * 2 < len(best.columns):
        names = ", ".join(p.label for p in Publication)
        raise Refused(
            [
                Problem(
                    Severity.ERROR,
                    "This is not a DfE statistics file known here: its header matches none of "
                    f"{names}.",
                    code=Code.LAYOUT,
                    line=1,
                    value=",".join(header)[:200],
                )
            ]
        )
    missing = [c for c in best.columns if c not in have]
    if missing:
        raise Refused(
            Problem(
                Severity.ERROR,
                f"The {best.publication.label} file has no column {column}: DfE's file has it, "
                "so nothing was imported.",
                code=Code.MISSING_COLUMN,
                line=1,
                column=column,
            )
            for column in missing
        )
    return best


@dataclass
class Parsed:
    """What the rows say, checked: the areas, and the values by (area code, year, measure)."""

    areas: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> fields
    area_years: dict[str, int] = field(default_factory=dict)  # code -> latest year seen
    values: list[tuple[str, int, str, Decimal | None, str]] = field(default_factory=list)
    neighbours: list[tuple[str, int, str, str]] = field(default_factory=list)
    years: set[int] = field(default_factory=set)
    rows: int = 0


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Refused(
            [
                Problem(
                    Severity.ERROR,
                    "The file is not text in UTF-8, as DfE publishes it: is it a spreadsheet? "
                    "Download the CSV file.",
                    code=Code.UNREADABLE,
                )
            ]
        ) from exc


def _area(row: dict[str, str], line: int, outcome: Outcome, parsed: Parsed, year: int) -> str:
    """The area the row is about (added to `parsed.areas`), or "" after an error."""
    level = LEVEL_NAMES.get(row["geographic_level"].strip())
    if level is None:
        outcome.error(
            "The geographic level is not National, Regional or Local authority.",
            code=Code.LEVEL,
            line=line,
            column="geographic_level",
            value=row["geographic_level"],
        )
        return ""
    region_code = row["region_code"].strip()
    if level == AreaLevel.NATIONAL:
        code, name, ons, region = row["country_code"].strip(), row["country_name"], "", ""
        column = "country_code"
    elif level == AreaLevel.REGIONAL:
        code, name, ons, region = region_code, row["region_name"], region_code, ""
        column = "region_code"
    else:
        code, name = row["old_la_code"].strip(), row["la_name"]
        ons, region, column = row["new_la_code"].strip(), region_code, "old_la_code"
    if not code:
        outcome.error(
            f"A {level.label.lower()} row needs its {column}.",
            code=Code.AREA_CODE,
            line=line,
            column=column,
        )
        return ""
    if level == AreaLevel.LOCAL_AUTHORITY and region and region not in parsed.areas:
        # The region of an authority, when the file has no row of its own for it.
        parsed.areas[region] = {
            "level": AreaLevel.REGIONAL,
            "name": row["region_name"].strip(),
            "ons_code": region,
            "region_code": "",
            "region_name": "",
            "combined": False,
        }
    if year >= parsed.area_years.get(code, 0):
        parsed.area_years[code] = year
        parsed.areas[code] = {
            "level": level,
            "name": name.strip(),
            "ons_code": ons,
            "region_code": region,
            "region_name": row["region_name"].strip(),
            "combined": "/" in code,
        }
    return code


def _number(text: str, line: int, column: str, outcome: Outcome) -> tuple[Decimal | None, str]:
    """(value, "") or (None, the symbol's reason); an error (and (None, "")) for anything else."""
    text = text.strip()
    if text in SYMBOLS:
        return None, SYMBOLS[text].value
    if NUMBER.fullmatch(text):
        return Decimal(text), ""
    outcome.error(
        "This is not a number, nor one of DfE's symbols for a value not published "
        "(x, z, c, u, low).",
        code=Code.NUMBER,
        line=line,
        column=column,
        value=text,
    )
    return None, ""


def parse(layout: Layout, rows: csv.DictReader[str], outcome: Outcome) -> Parsed:
    parsed = Parsed()
    seen: dict[tuple[str, ...], int] = {}
    for line, row in enumerate(rows, start=2):
        parsed.rows += 1
        if layout.publication == Publication.NEIGHBOURS:
            _neighbour_row(row, line, outcome, parsed, seen)
            continue
        text = row["time_period"].strip()
        if not (text.isdigit() and len(text) == 4):
            outcome.error(
                "The time period is not a year, such as 2025.",
                code=Code.YEAR,
                line=line,
                column="time_period",
                value=text,
            )
            continue
        year = int(text)
        code = _area(row, line, outcome, parsed, year)
        if not code:
            continue
        kind = row[layout.row_kind].strip() if layout.row_kind else ""
        key = (code, text, kind)
        if key in seen:
            outcome.error(
                f"This row repeats line {seen[key]}: the same area ({code}) and year ({year})"
                + (f" for {kind}" if kind else "")
                + ".",
                code=Code.DUPLICATE,
                line=line,
                column=layout.row_kind or "time_period",
                value=kind or text,
            )
            continue
        seen[key] = line
        parsed.years.add(year)
        if layout.row_kind:
            _long_row(row, line, kind, code, year, outcome, parsed)
            continue
        prefix = layout.publication.value
        for column in layout.measure_columns:
            value, reason = _number(row[column], line, column, outcome)
            if value is not None or reason:
                parsed.values.append((code, year, f"{prefix}.{column}", value, reason))
    return parsed


def _long_row(
    row: dict[str, str], line: int, kind: str, code: str, year: int, outcome: Outcome, p: Parsed
) -> None:
    wanted = [(col, key) for (k, col), key in measures.CLA_SWCOUNT_ROWS.items() if k == kind]
    if not wanted:
        known = sorted({k for k, _ in measures.CLA_SWCOUNT_ROWS})
        outcome.error(
            f"This row is of a kind not known here: sw_stability is one of {', '.join(known)}.",
            code=Code.ROW_KIND,
            line=line,
            column="sw_stability",
            value=kind,
        )
        return
    for column, key in wanted:
        value, reason = _number(row[column], line, column, outcome)
        if value is not None or reason:
            p.values.append((code, year, key, value, reason))


def _neighbour_row(
    row: dict[str, str], line: int, outcome: Outcome, p: Parsed, seen: dict[tuple[str, ...], int]
) -> None:
    code = row["old_la_code"].strip()
    if not code:
        outcome.error(
            "A row needs its old_la_code.", code=Code.AREA_CODE, line=line, column="old_la_code"
        )
        return
    if (code,) in seen:
        outcome.error(
            f"This row repeats line {seen[(code,)]}: the same authority ({code}).",
            code=Code.DUPLICATE,
            line=line,
            column="old_la_code",
            value=code,
        )
        return
    seen[(code,)] = line
    p.areas[code] = {
        "level": AreaLevel.LOCAL_AUTHORITY,
        "name": row["la_name"].strip(),
        "ons_code": "",
        "region_code": "",
        "region_name": row["region_name"].strip(),
        "combined": "/" in code,
    }
    named: set[str] = set()
    for rank in range(1, 11):
        neighbour = row[f"SN_{rank}"].strip()
        if not neighbour or neighbour in named or neighbour == code:
            outcome.error(
                "Each authority has ten different neighbours other than itself.",
                code=Code.NEIGHBOUR,
                line=line,
                column=f"SN_{rank}",
                value=neighbour,
            )
            continue
        named.add(neighbour)
        p.neighbours.append((code, rank, neighbour, row[f"SN_{rank}P"].strip()))


def _check_neighbours(parsed: Parsed, outcome: Outcome) -> None:
    for code, rank, neighbour, _closeness in parsed.neighbours:
        if neighbour not in parsed.areas:
            outcome.error(
                f"Neighbour {rank} of {code} is not an authority the file lists.",
                code=Code.NEIGHBOUR,
                record=code,
                column=f"SN_{rank}",
                value=neighbour,
            )


def _year_from_name(filename: str) -> int | None:
    found = re.findall(r"(?<!\d)(20\d\d)(?!\d)", filename)
    return int(found[-1]) if found else None


class DfeStatisticsImporter(Importer):
    kind = KIND
    title = "DfE published statistics"
    description = (
        "A CSV file DfE publishes on Explore education statistics: the children's social work "
        "workforce indicators, children in need tables B1 and C1, children looked after by "
        "number of social workers, or the statistical neighbours."
    )
    extensions = (".csv",)

    def load(self, data: bytes, authority: Authority | None, outcome: Outcome) -> None:
        load_statistics(data, outcome, filename=outcome.options.get("filename", ""))


def load_statistics(
    data: bytes, outcome: Outcome, *, filename: str = "", now: dt.datetime | None = None
) -> Release | None:
    """Read one file into a new release (or match the release it already is)."""
    digest = checksum(data)
    text = _decode(data)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(name or "").strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    layout = recognise(header)
    outcome.summary.update(publication=layout.publication.label, sha256=digest)
    existing = Release.objects.filter(sha256=digest).first()
    if existing is not None:
        outcome.add(
            Action.MATCH,
            "Release",
            str(existing),
            f"Already loaded on {existing.loaded_at:%d %B %Y}: nothing to change.",
        )
        return existing
    parsed = parse(layout, reader, outcome)
    if not parsed.rows:
        raise Refused(
            [Problem(Severity.ERROR, "The file has a header and no rows.", code=Code.EMPTY)]
        )
    if layout.publication == Publication.NEIGHBOURS:
        _check_neighbours(parsed, outcome)
        year = _year_from_name(filename)
        parsed.years = {year} if year else set()
    if outcome.error_count:
        return None
    release = Release.objects.create(
        publication=layout.publication,
        filename=filename[:255],
        sha256=digest,
        first_year=min(parsed.years) if parsed.years else None,
        last_year=max(parsed.years) if parsed.years else None,
        loaded_at=now or timezone.now(),
        rows=parsed.rows,
    )
    outcome.add(Action.CREATE, "Release", str(release), f"{parsed.rows:,} rows")
    areas = _write_areas(parsed, outcome)
    if layout.publication == Publication.NEIGHBOURS:
        StatisticalNeighbour.objects.bulk_create(
            (
                StatisticalNeighbour(
                    release=release,
                    area_id=areas[code],
                    rank=rank,
                    neighbour_id=areas[neighbour],
                    closeness=closeness,
                )
                for code, rank, neighbour, closeness in parsed.neighbours
            ),
            batch_size=BATCH,
        )
        outcome.tally(Action.CREATE, "Statistical neighbour", len(parsed.neighbours))
        return release
    _insert_values(release, areas, parsed.values)
    outcome.tally(Action.CREATE, "Published value", len(parsed.values))
    withheld = sum(1 for *_rest, reason in parsed.values if reason)
    outcome.summary.update(values=len(parsed.values), not_published=withheld)
    return release


def _insert_values(
    release: Release,
    areas: dict[str, int],
    values: list[tuple[str, int, str, Decimal | None, str]],
) -> None:
    """Every value of the release in a few statements: one INSERT of many rows at a time (the
    ORM's bulk_create spends most of its time building a model object for each value)."""
    table = PublishedValue._meta.db_table
    sql = (
        f"INSERT INTO {table} (release_id, area_id, year, measure, value, not_available) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s, %s)"
    )
    rows = [
        (release.pk, areas[code], year, key, value, reason)
        for code, year, key, value, reason in values
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def _write_areas(parsed: Parsed, outcome: Outcome) -> dict[str, int]:
    """Every area the file names, by code: new ones created, regions first."""
    known = {a.code: a for a in Area.objects.all()}
    authorities = dict(Authority.objects.values_list("code", "pk"))
    order = (AreaLevel.NATIONAL, AreaLevel.REGIONAL, AreaLevel.LOCAL_AUTHORITY)
    by_level: dict[str, list[str]] = defaultdict(list)
    for code, fields in parsed.areas.items():
        by_level[fields["level"]].append(code)
    region_by_name = {a.name: a for a in known.values() if a.level == AreaLevel.REGIONAL}
    for level in order:
        new = []
        for code in sorted(by_level[level]):
            fields = parsed.areas[code]
            region = known.get(fields["region_code"]) or region_by_name.get(fields["region_name"])
            area = known.get(code)
            if area is None:
                new.append(
                    Area(
                        level=level,
                        code=code,
                        name=fields["name"],
                        ons_code=fields["ons_code"],
                        region=region if level == AreaLevel.LOCAL_AUTHORITY else None,
                        combined=fields["combined"],
                        authority_id=authorities.get(code),
                    )
                )
                continue
            changed = _fill(area, fields, region, authorities.get(code))
            if changed:
                area.save()
                outcome.add(Action.CHANGE, "Area", str(area), ", ".join(changed))
        for area in Area.objects.bulk_create(new, batch_size=BATCH):
            known[area.code] = area
            outcome.add(Action.CREATE, "Area", str(area))
            if area.level == AreaLevel.REGIONAL:
                region_by_name.setdefault(area.name, area)
    matched = len(parsed.areas) - outcome.counts.get("Area", {}).get("create", 0)
    matched -= outcome.counts.get("Area", {}).get("change", 0)
    outcome.tally(Action.MATCH, "Area", matched)
    return {code: known[code].pk for code in parsed.areas}


def _fill(area: Area, fields: dict[str, Any], region: Area | None, authority: int | None) -> list:
    """What an area known already lacks and this file gives: never overwrites what is there."""
    changed = []
    if not area.ons_code and fields["ons_code"]:
        area.ons_code = fields["ons_code"]
        changed.append("ONS code")
    if area.level == AreaLevel.LOCAL_AUTHORITY and area.region_id is None and region is not None:
        area.region = region
        changed.append("region")
    if area.authority_id is None and authority is not None:
        area.authority_id = authority
        changed.append("authority")
    return changed


def read(data: bytes, *, apply: bool, filename: str = "") -> Outcome:
    """Check a file, and import it when `apply` and it has no errors: all or nothing, as the
    import framework does (`imports.base.read`), for statistics that belong to no authority."""
    importer = DfeStatisticsImporter()
    outcome = Outcome(options={"filename": filename})
    problem = size_problem(importer, len(data))
    if problem is not None:
        outcome.problems.append(problem)
        return outcome
    try:
        with transaction.atomic():
            load_statistics(data, outcome, filename=filename)
            if not apply or outcome.error_count:
                raise _Undo
    except _Undo:
        pass
    except Refused as refusal:
        outcome.clear_entries()
        outcome.problems[:] = [*refusal.problems, *outcome.problems]
    return outcome


class _Undo(Exception):
    """Leaves the transaction so that it is rolled back."""
