from __future__ import annotations

import hashlib
import io

import pytest
from auditlog.models import LogEntry
from django.test import Client
from openpyxl import load_workbook

from workforce.census.models import CensusExport
from workforce.census.tests.world import YEAR, build, needs_schema
from workforce.establishment.models import Worker

pytestmark = needs_schema  # these export through the schema check

PAGE = "/census/"
DOWNLOAD = "/census/download/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def unfixed(authority, personas):
    """The hand-worked authority as built: the starter's ethnicity is not recorded (CSWW-101),
    and two case holders hold no cases at 30 September (CSWW-170 warnings)."""
    return build(authority)


@pytest.fixture
def world(unfixed):
    """The same with the starter's ethnicity recorded: warnings only."""
    Worker.objects.filter(pk=unfixed["starter"].pk).update(ethnicity="WBRI")
    return unfixed


@pytest.mark.parametrize("who", ["admin", "lead", "hr"])
def test_people_who_manage_people_see_the_return(world, personas, who):
    response = client_for(getattr(personas, who)).get(PAGE, {"year": YEAR})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Return for the year to 30 September 2025" in text
    assert "The return meets the DfE schema" in text
    assert "2.20" in text and "2.80" in text


@pytest.mark.parametrize("who", ["board", "analyst", "manager"])
def test_others_may_not_see_or_download_it(world, personas, who):
    client = client_for(getattr(personas, who))
    assert client.get(PAGE).status_code == 403
    assert client.post(DOWNLOAD, {"year": YEAR}).status_code == 403
    assert not CensusExport.objects.exists()


def test_download_records_the_export(world, personas, authority):
    response = client_for(personas.lead).post(DOWNLOAD, {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    assert 'filename="csww-999-2025.xml"' in response["Content-Disposition"]
    entry = CensusExport.objects.get()
    assert entry.authority == authority and entry.year == YEAR
    assert entry.exported_by == personas.lead
    assert entry.sha256 == hashlib.sha256(response.content).hexdigest()
    assert entry.summary["workers"] == 5 and entry.summary["vacancy_fte"] == "2.20"
    assert LogEntry.objects.get_for_object(entry).count() == 1
    page = client_for(personas.lead).get(PAGE, {"year": YEAR}).content.decode()
    assert entry.sha256 in page


def test_downloading_is_a_post(world, personas):
    assert client_for(personas.lead).get(DOWNLOAD).status_code == 405
    assert not CensusExport.objects.exists()


def test_schema_errors_block_the_download(world, personas):
    Worker.objects.filter(staff_number="S1").update(swe_number="")
    client = client_for(personas.lead)
    page = client.get(PAGE, {"year": YEAR}).content.decode()
    assert "The return has problems" in page
    assert "Worker record 1 (SWE number &#x27;&#x27;), line" in page
    assert "SWENo: &#x27;&#x27; is not in the form the DfE asks for." in page
    assert "Download the return" not in page
    response = client.post(DOWNLOAD, {"year": YEAR})
    assert response.status_code == 400
    assert "correct those listed first" in response.content.decode()
    assert not CensusExport.objects.exists()


def test_a_year_without_data_is_refused_plainly(world, personas):
    response = client_for(personas.lead).post(DOWNLOAD, {"year": "1999"})
    assert response.status_code == 400
    assert "Choose a census year from the list" in response.content.decode()
    assert client_for(personas.lead).get(PAGE, {"year": "junk"}).status_code == 200


def test_empty_state(personas):
    text = client_for(personas.lead).get(PAGE).content.decode()
    assert "There is no census year to return yet" in text
    assert "No return has been downloaded yet" in text


def test_the_business_rules_findings_are_on_the_page(unfixed, personas):
    page = client_for(personas.lead).get(PAGE, {"year": YEAR}).content.decode()
    assert "The return meets the DfE schema" in page
    assert "1 error and 2 warnings" in page
    assert "CSWW-101" in page and "CSWW-170" in page
    assert page.index("CSWW-101") < page.index("CSWW-170")  # errors first
    assert '<strong class="govuk-tag govuk-tag--red">Error</strong>' in page
    starter = f'href="/establishment/people/{unfixed["starter"].pk}/"'
    assert starter in page
    assert "Record 4 (SW0000444444)" in page
    assert "Download the return" not in page
    assert f'href="/census/?year={YEAR}#checks"' in page  # check again
    assert f"/census/?year={YEAR}&amp;table=findings&amp;format=csv" in page


def test_links_only_to_records_the_user_may_open(unfixed, personas, monkeypatch):
    from workforce.core.access import Scope

    monkeypatch.setattr(Scope, "openable", lambda self, model, ids: frozenset())
    page = client_for(personas.lead).get(PAGE, {"year": YEAR}).content.decode()
    assert "Record 4 (SW0000444444)" in page
    assert f'href="/establishment/people/{unfixed["starter"].pk}/"' not in page


def test_business_rule_errors_block_the_download(unfixed, personas):
    response = client_for(personas.lead).post(DOWNLOAD, {"year": YEAR})
    assert response.status_code == 400
    assert "The return cannot be downloaded: the checks found 1 error." in (
        response.content.decode()
    )
    assert not CensusExport.objects.exists()


def test_after_the_record_is_fixed_checking_again_clears_the_error(unfixed, personas):
    client = client_for(personas.lead)
    assert "CSWW-101" in client.get(PAGE, {"year": YEAR}).content.decode()
    Worker.objects.filter(pk=unfixed["starter"].pk).update(ethnicity="WBRI")
    page = client.get(PAGE, {"year": YEAR}).content.decode()
    assert "CSWW-101" not in page
    assert "2 warnings and no errors" in page
    assert "Download the return (XML)" in page


def test_the_findings_download_as_csv_and_xlsx(unfixed, personas):
    client = client_for(personas.lead)
    query = {"year": YEAR, "table": "findings"}
    csv = client.get(PAGE, {**query, "format": "csv"})
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    assert 'filename="csww-999-2025-checks.csv"' in csv["Content-Disposition"]
    text = csv.content.decode("utf-8-sig")
    assert "CSWW-101" in text and "Ethnicity" in text and "SW0000444444" in text
    xlsx = client.get(PAGE, {**query, "format": "xlsx"})
    assert xlsx.status_code == 200
    assert 'filename="csww-999-2025-checks.xlsx"' in xlsx["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "CSWW-101" in cells and "Ethnicity" in cells
    assert not CensusExport.objects.exists()


def test_a_return_with_warnings_only_downloads(world, personas):
    client = client_for(personas.lead)
    page = client.get(PAGE, {"year": YEAR}).content.decode()
    assert "2 warnings and no errors" in page and "CSWW-170" in page
    response = client.post(DOWNLOAD, {"year": YEAR})
    assert response.status_code == 200
    entry = CensusExport.objects.get()
    assert entry.summary["errors"] == 0 and entry.summary["warnings"] == 2


@pytest.mark.parametrize("who", ["board", "analyst", "manager"])
def test_others_may_not_download_the_findings(unfixed, personas, who):
    response = client_for(getattr(personas, who)).get(
        PAGE, {"year": YEAR, "table": "findings", "format": "csv"}
    )
    assert response.status_code == 403


def test_an_imported_years_figures_as_returned_are_shown(world, personas, authority):
    import datetime as dt

    from workforce.census.importer import CSWWImporter
    from workforce.census.returns import build_return, to_xml
    from workforce.imports.base import read

    xml = to_xml(build_return(authority, YEAR), now=dt.datetime(2025, 11, 3, tzinfo=dt.UTC))
    assert not read(CSWWImporter(), authority, xml, apply=True).errors
    text = client_for(personas.lead).get(PAGE, {"year": YEAR}).content.decode()
    assert "Imported return for this year" in text
    assert "Cases at 30 September as returned" in text
    other = client_for(personas.lead).get(PAGE, {"year": YEAR - 1}).content.decode()
    assert "Imported return for this year" not in other
