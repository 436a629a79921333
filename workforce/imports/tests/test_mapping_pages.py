"""The mapping pages: a column mapping chosen from the last file's headings, remembered and
offered on the upload form; code mappings added and removed; the run page says where each
problem is."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from workforce.establishment.models import Worker
from workforce.establishment.tests.test_importers import ESTABLISHMENT, STAFF
from workforce.imports.models import CodeMapping, ColumnMapping, ImportRun, ImportStatus

UPLOAD = reverse("imports:upload", args=["staff"])
NEW = reverse("imports:mapping_create", args=["staff"])
CODES = reverse("imports:codes")
OWN_HEADINGS = STAFF.replace(b"Employee No", b"Person Ref").replace(b"Surname", b"Family")


@pytest.fixture
def lead(personas, reference_data) -> Client:
    client = Client()
    client.force_login(personas.lead)
    return client


def upload(client: Client, data: bytes, url: str = UPLOAD, **extra: str):
    return client.post(url, {"file": SimpleUploadedFile("extract.csv", data), **extra})


def test_a_file_with_its_own_headings_is_refused_naming_the_columns_and_offering_a_mapping(lead):
    upload(lead, ESTABLISHMENT, reverse("imports:upload", args=["establishment"]))
    lead.post(reverse("imports:apply", args=[ImportRun.objects.get().pk]))

    upload(lead, OWN_HEADINGS)

    run = ImportRun.objects.filter(kind="staff").get()
    assert run.status == ImportStatus.REFUSED
    page = lead.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "HR-004" in page and "no column “Staff number”, “Last name”" in page
    assert reverse("imports:mappings") in page


def test_a_mapping_is_chosen_from_the_last_files_headings_and_used_next_time(lead, authority):
    upload(lead, ESTABLISHMENT, reverse("imports:upload", args=["establishment"]))
    lead.post(reverse("imports:apply", args=[ImportRun.objects.get().pk]))
    upload(lead, OWN_HEADINGS)  # refused: its headings are remembered

    form = lead.get(NEW).content.decode()
    assert '<option value="Person Ref">Person Ref</option>' in form
    response = lead.post(
        NEW,
        {
            "name": "iTrent staff extract",
            "col_staff_number": "Person Ref",
            "col_last_name": "Family",
        },
    )
    assert response.status_code == 302
    mapping = ColumnMapping.objects.get(authority=authority)
    assert mapping.columns == {"staff_number": "Person Ref", "last_name": "Family"}

    assert "iTrent staff extract" in lead.get(UPLOAD).content.decode()
    upload(lead, OWN_HEADINGS, mapping="iTrent staff extract")
    run = ImportRun.objects.filter(kind="staff").latest("pk")
    assert run.status == ImportStatus.PREVIEWED and run.options == {
        "mapping": "iTrent staff extract"
    }
    lead.post(reverse("imports:apply", args=[run.pk]))
    assert Worker.objects.filter(authority=authority, staff_number="E100").exists()


def test_the_same_column_twice_is_refused_naming_the_field(lead):
    response = lead.post(NEW, {"name": "HR", "col_staff_number": "Ref", "col_first_name": "ref"})

    assert response.status_code == 400
    assert "The column ref is already chosen for staff_number" in response.content.decode()


def test_code_mappings_are_added_by_code_or_label_and_removed(lead, authority):
    response = lead.post(
        CODES, {"list_name": "reason_leave", "local": "Resigned - personal", "code": "Resignation"}
    )
    assert response.status_code == 302
    mapping = CodeMapping.objects.get(authority=authority)
    assert (mapping.code, mapping.key) == ("1", "resigned personal")
    assert "Resigned - personal" in lead.get(CODES).content.decode()

    wrong = lead.post(CODES, {"list_name": "reason_leave", "local": "Gone", "code": "99"})
    assert wrong.status_code == 400
    assert "“99” is not a code in the list" in wrong.content.decode()

    lead.post(reverse("imports:code_mapping_delete", args=[mapping.pk]))
    assert not CodeMapping.objects.exists()


def test_the_run_page_lists_line_column_value_and_code(lead):
    upload(lead, ESTABLISHMENT, reverse("imports:upload", args=["establishment"]))
    lead.post(reverse("imports:apply", args=[ImportRun.objects.get().pk]))
    upload(lead, STAFF.replace(b"E101,Tom,Best,,1,", b"E101,Tom,Best,,7,"))

    run = ImportRun.objects.filter(kind="staff").get()
    page = lead.get(reverse("imports:run", args=[run.pk])).content.decode()
    for text in (">Line<", ">Column<", ">Value<", ">Code<", "HR-106", ">Gender<", ">7<"):
        assert text in page, text
