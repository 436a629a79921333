"""Loading DfE statistics on the web: administrators only, checked, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from workforce.benchmarks.models import PublishedValue, Release
from workforce.conftest import Personas

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

FILES = Path(__file__).resolve().parent / "files"
URL = reverse("benchmarks:upload_statistics")


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _post(client: Client, name: str, **extra: str) -> object:
    upload = SimpleUploadedFile(name, (FILES / name).read_bytes(), content_type="text/csv")
    return client.post(URL, {"file": upload, **extra})


def test_an_administrator_checks_a_file_and_nothing_is_imported(personas: Personas) -> None:
    response = _post(_client(personas.admin), "csww_small.csv", check_only="on")

    assert response.status_code == 200
    assert b"The file was checked and nothing was imported" in response.content
    assert not Release.objects.exists() and not PublishedValue.objects.exists()


def test_an_administrator_imports_a_file_and_sees_its_release(personas: Personas) -> None:
    client = _client(personas.admin)

    response = _post(client, "csww_small.csv")

    assert response.status_code == 200
    assert b"File imported" in response.content
    release = Release.objects.get()
    assert release.filename == "csww_small.csv"
    assert PublishedValue.objects.filter(release=release).exists()
    listed = client.get(URL, {"format": "csv", "table": "releases"})
    assert "csww_small.csv" in listed.content.decode()


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("csww_malformed.csv", b"Line"),
        ("csww_missing_column.csv", b"column"),
        ("other_layout.csv", b"Nothing was imported"),
        ("csww_duplicate.csv", b"Nothing was imported"),
    ],
)
def test_a_bad_file_is_refused_with_its_errors_and_nothing_imported(
    personas: Personas, name: str, words: bytes
) -> None:
    response = _post(_client(personas.admin), name)

    assert response.status_code == 400
    assert b"Nothing was imported" in response.content and words in response.content
    assert not Release.objects.exists() and not PublishedValue.objects.exists()


def test_no_file_is_a_named_error(personas: Personas) -> None:
    response = _client(personas.admin).post(URL, {})

    assert response.status_code == 400
    assert b"Select a DfE statistics file to upload" in response.content


@pytest.mark.parametrize("who", ["lead", "hr", "manager", "board", "analyst"])
def test_only_administrators_load_statistics_every_authority_shares(
    personas: Personas, who: str
) -> None:
    response = _post(_client(getattr(personas, who)), "csww_small.csv")

    assert response.status_code == 403
    assert not Release.objects.exists()
