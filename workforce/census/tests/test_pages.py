from __future__ import annotations

import hashlib

import pytest
from auditlog.models import LogEntry
from django.test import Client

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
def world(authority, personas):
    return build(authority)


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
