"""For any recorded history, the return's own figures, read back from its XML by a reader that
knows only the schema, are the figures layer's at 30 September."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from lxml import etree

from workforce.census.importer import CSWWImporter
from workforce.census.returns import SUMMARY_KEYS, build_return, schema_installed, to_xml
from workforce.census.returns import validate as schema_errors
from workforce.census.rules import errors as rule_errors
from workforce.census.rules import validate
from workforce.census.tests.reader import SICKNESS, differences, read_back
from workforce.establishment.models import EngagementKind, Worker
from workforce.imports.base import read
from workforce.metrics.engine import MetricsFilter
from workforce.metrics.selectors import measures_on
from workforce.metrics.tests.test_properties import EPOCH, build, layouts

pytestmark = pytest.mark.django_db

# The generated histories run from January 2022 to the end of 2024, engagements up to 500 days
# on (their `on` is not used): the census year to 30 September 2024 has starts, leavings and
# open engagements around it.
YEAR = 2024
CENSUS_DAY = dt.date(YEAR, 9, 30)
YEAR_FROM = dt.date(YEAR - 1, 10, 1)
NOW = dt.datetime(2024, 11, 1, 9, 0, tzinfo=dt.UTC)


def _left_yet_employed(layout: dict) -> bool:
    employed = [
        (w, start, None if length is None else start + length)
        for _p, w, start, length, _fte, kind, _covers in layout["engagements"]
        if kind != EngagementKind.AGENCY
    ]
    return any(
        v == w and s <= day and (e is None or e > day + 1)
        for w, day, _fte, _team in layout["leavings"]
        for v, s, e in employed
    )


def _unrecorded_end(layout: dict) -> bool:
    """An authority-employed census-counted engagement that ends in the census year, on a last
    day with no leaving recorded, and that no other such engagement of the worker carries on
    from (`build` gives post p the role p % 3, and the third role is not census-counted)."""
    left = {(w, day) for w, day, _fte, _team in layout["leavings"]}
    # Census-counted posts are those whose role has an OrgRole: every third post has none.
    employed = [
        (w, start, None if length is None else start + length)
        for p, w, start, length, _fte, kind, _covers in layout["engagements"]
        if kind != EngagementKind.AGENCY and p % 3 != 2
    ]
    first = (YEAR_FROM - EPOCH).days
    last_census = (CENSUS_DAY - EPOCH).days
    for w, _start, end in employed:
        if end is None or not first <= end - 1 <= last_census or (w, end - 1) in left:
            continue
        carried = any(v == w and s <= end and (e is None or e > end) for v, s, e in employed)
        if not carried:
            return True
    return False


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(layout=layouts)
def test_the_returns_figures_read_back_are_the_figures_layers(authority, layout):
    with transaction.atomic():
        build(authority, layout)
        # The generated workers have no SWE numbers or codes, so the schema is not the point
        # here (test_return checks it): only the figures are.
        ret = build_return(authority, YEAR)
        xml = to_xml(ret, now=NOW)
        figures = measures_on(
            where=MetricsFilter(authority_ids=(authority.pk,), census_only=True),
            on=CENSUS_DAY,
            keys=list(SUMMARY_KEYS),
        ).at(0)
        read = read_back(xml, YEAR)
        assert read["starters_start_in_year"] is True
        assert read["la_agency_fte"] == figures["agency_fte"]
        assert read["la_agency_headcount"] == figures["agency_headcount"]
        # Someone whose employment ended in the year with no leaving recorded is not in the
        # return (the Leavings to record page lists them) while the figures count their
        # sickness until then: the sickness figures are compared only without such an end.
        leave_out: tuple[str, ...] = SICKNESS if _unrecorded_end(layout) else ()
        # A leaving recorded while the worker's engagement goes on past it (the services end
        # the engagements; only data written around them can do this) ends no spell: it is in
        # the in-post record, with the FTE at 30 September, and two such leavings are one.
        if _left_yet_employed(layout):
            leave_out += ("leavers_headcount", "leavers_fte", "turnover_rate_fte")
        assert differences(read, figures, leave_out=leave_out) == {}
        # The page's summary is the figures layer's.
        assert ret.summary()["in_post_fte"] == str(figures["in_post_fte"])
        transaction.set_rollback(True)


def _workers(xml: bytes) -> list[dict[str, str]]:
    root = etree.fromstring(xml)
    records = [{c.tag: c.text or "" for c in w} for w in root.iter("CSWWWorker")]
    return sorted(records, key=lambda r: (r["SWENo"], r["AgencyWorker"]))


def _as_return_of(xml: bytes, code: str) -> bytes:
    root = etree.fromstring(xml)
    root.find("Header/Source/LEA").text = code  # type: ignore[union-attr]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(layout=layouts)
def test_a_return_imported_into_an_empty_authority_exports_the_same(
    authority, other_authority, reference_data, layout
):
    """Export, import into an empty authority, export again: the same records and figures. A
    return the import refuses leaves the empty authority empty, and only for a reason in the
    file: the schema or the business rules reject it, a record says neither when its role ended
    nor that it is in post, or a worker would hold more than 1.0 FTE at once."""
    with transaction.atomic():
        build(authority, layout)
        for n, worker in enumerate(Worker.objects.filter(authority=authority), start=1):
            worker.swe_number = f"SW{n:010d}"
            worker.save()
        first = to_xml(build_return(authority, YEAR), now=NOW)
        outcome = read(CSWWImporter(), other_authority, _as_return_of(first, "998"), apply=True)
        if outcome.errors:
            event("refused")
            assert not Worker.objects.filter(authority=other_authority).exists()
            return_errors = [f for f in rule_errors(validate(first, YEAR)) if f.code != "CSWW-101"]
            unended = any(
                w.find("FTE30") is None and w.find("RoleEndDate") is None
                for w in etree.fromstring(first).iter("CSWWWorker")
                if w.findtext("AgencyWorker") == "0"
            )
            over_one = any("at most 1.0 FTE" in p.message for p in outcome.errors)
            schema = bool(schema_errors(first)) if schema_installed() else False
            assert return_errors or unended or over_one or schema, outcome.errors
        else:
            event("imported")
            again = to_xml(build_return(other_authority, YEAR), now=NOW)
            assert _workers(again) == _workers(first)
            assert read_back(again, YEAR) == read_back(first, YEAR)
        transaction.set_rollback(True)
