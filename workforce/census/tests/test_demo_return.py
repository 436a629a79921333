"""The demo authority's census return: it meets the schema, the rules find no error, its own
figures read back from the XML are the dashboard's at 30 September, and read into an empty
authority it gives the same figures and the same return."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from workforce.census.importer import CSWWImporter
from workforce.census.returns import SUMMARY_KEYS, build_return, to_xml, validate
from workforce.census.rules import errors as rule_errors
from workforce.census.rules import validate as check_rules
from workforce.census.tests.reader import differences, read_back
from workforce.census.tests.world import needs_schema
from workforce.core.models import Authority
from workforce.core.services import load_reference_data
from workforce.demo import generator
from workforce.imports.base import read
from workforce.metrics.engine import MetricsFilter
from workforce.metrics.selectors import measures_on

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 10, 15)
YEAR = 2025
NOW = dt.datetime(2025, 10, 15, 9, 0, tzinfo=dt.UTC)
AS_RETURNED = {
    "cases_held",
    "case_holder_fte",
    "average_caseload",
    "sickness_days",
    "absence_rate_fte",
}


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_reference_data()
    generator.build(scale="la", seed=1, today=TODAY)
    return Authority.objects.get(code=generator.DEMO_CODE)


def _figures(authority):
    return measures_on(
        where=MetricsFilter(authority_ids=(authority.pk,)),
        on=dt.date(YEAR, 9, 30),
        keys=list(SUMMARY_KEYS),
    ).at(0)


def _workers(xml: bytes) -> list[tuple]:
    root = etree.fromstring(xml)
    return sorted(tuple(sorted((c.tag, c.text or "") for c in w)) for w in root.iter("CSWWWorker"))


@needs_schema
def test_the_demo_return_is_the_dashboard_and_round_trips(demo):
    xml = to_xml(build_return(demo, YEAR), now=NOW)
    assert validate(xml) == []
    assert rule_errors(check_rules(xml, YEAR)) == []
    figures = _figures(demo)
    read_figures = read_back(xml, YEAR)
    assert read_figures["workers"] > 200
    assert differences(read_figures, figures) == {}

    # A new authority: the same LA code in an empty system. Here the demo's records are moved
    # out of the way by giving the demo authority another code first.
    Authority.objects.filter(pk=demo.pk).update(code="000")
    empty = Authority.objects.create(code=generator.DEMO_CODE, name="New", region="West Midlands")
    outcome = read(CSWWImporter(), empty, xml, apply=True)
    assert not outcome.errors, outcome.errors[:3]
    again = to_xml(build_return(empty, YEAR), now=NOW)
    assert _workers(again) == _workers(xml)
    # The records the import writes give the dashboard the same figures. Cases and sickness
    # are kept as the year's census items, not invented as case or absence records, so the new
    # authority's dashboard starts without them while its return carries them as returned.
    from_records = [k for k in SUMMARY_KEYS if k not in AS_RETURNED]
    imported = _figures(empty)
    assert {k: imported[k] for k in from_records} == {k: figures[k] for k in from_records}
    assert differences(read_back(again, YEAR), figures) == {}
