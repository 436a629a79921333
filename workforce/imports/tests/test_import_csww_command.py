"""`import_csww`: a census return read into an authority from the command line."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from workforce.census.returns import build_return, to_xml
from workforce.census.tests.world import YEAR, build
from workforce.establishment.models import Engagement, Worker
from workforce.imports import base
from workforce.imports.models import ImportRun, ImportStatus

NOW = dt.datetime(2025, 11, 3, 9, 30, tzinfo=dt.UTC)


def _for(xml: bytes, code: str) -> bytes:
    root = etree.fromstring(xml)
    root.find("Header/Source/LEA").text = code  # type: ignore[union-attr]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.fixture
def original(authority, reference_data) -> bytes:
    build(authority)
    return to_xml(build_return(authority, YEAR), now=NOW)


@pytest.fixture
def return_file(original, other_authority, tmp_path):
    path = tmp_path / "csww-998-2025.xml"
    path.write_bytes(_for(original, "998"))
    return path


def records(authority) -> tuple[int, int]:
    return (
        Worker.objects.filter(authority=authority).count(),
        Engagement.objects.filter(worker__authority=authority).count(),
    )


def test_a_dry_run_says_what_it_would_do_and_changes_nothing(return_file, other_authority, capsys):
    call_command("import_csww", str(return_file), "--authority", "998", "--dry-run")

    out = capsys.readouterr().out
    assert records(other_authority) == (0, 0)
    assert "nothing was imported" in out
    assert "worker: 5 created, 0 changed, 0 unchanged" in out
    # Each warning names its record and field.
    assert re.search(r"^  Worker \d+ \(SW\d{10}\), [A-Za-z0-9]+: ", out, re.MULTILINE), out
    run = ImportRun.objects.get(authority=other_authority)
    assert (run.status, run.checked_by) == (ImportStatus.PREVIEWED, None)


def test_importing_then_importing_again_changes_nothing(return_file, other_authority, capsys):
    call_command("import_csww", str(return_file), "--authority", "998")
    first = capsys.readouterr().out
    after_first = records(other_authority)

    call_command("import_csww", str(return_file), "--authority", "998")
    second = capsys.readouterr().out

    assert f"Imported {return_file.name} into Elsewhereshire" in first
    # How far it has got: each stage, and each record checked then matched, twice (the check,
    # then the import).
    stages = [line for line in first.splitlines() if line.endswith("...")]
    assert stages == [
        "Checking rows...",
        "Checking records (5)...",
        "Matching records to the system's (5)...",
        "Importing...",
        "Checking records (5)...",
        "Matching records to the system's (5)...",
    ]
    assert "  Checking records: 5 of 5 (100%)" in first
    assert after_first[0] == 5
    assert records(other_authority) == after_first
    assert "worker: 0 created, 0 changed, 5 unchanged" in second
    statuses = ImportRun.objects.values_list("status", flat=True)
    assert list(statuses) == [ImportStatus.APPLIED, ImportStatus.APPLIED]


def test_a_return_of_another_authority_is_refused_naming_the_problem(
    original, other_authority, tmp_path
):
    path = tmp_path / "csww-999-2025.xml"
    path.write_bytes(original)  # LA 999's return

    with pytest.raises(CommandError) as refusal:
        call_command("import_csww", str(path), "--authority", "998")

    message = str(refusal.value)
    assert "nothing was imported" in message
    assert "The file, LEA: The return is for LA code 999, not Elsewhereshire" in message
    assert records(other_authority) == (0, 0)
    assert ImportRun.objects.get().status == ImportStatus.REFUSED


def test_no_progress_is_printed_with_verbosity_0(return_file, other_authority, capsys):
    call_command("import_csww", str(return_file), "--authority", "998", verbosity=0)

    assert "Checking" not in capsys.readouterr().out


def test_a_file_that_is_not_xml_is_refused(other_authority, tmp_path):
    path = tmp_path / "notes.xml"
    path.write_text("not a census return")

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_csww", str(path), "--authority", "998")
    assert records(other_authority) == (0, 0)


def test_a_missing_file(other_authority, tmp_path):
    with pytest.raises(CommandError, match="file: cannot read .*missing.xml: No such file"):
        call_command("import_csww", str(tmp_path / "missing.xml"), "--authority", "998")


def test_a_folder_is_not_a_file(other_authority, tmp_path):
    with pytest.raises(CommandError, match="is a folder"):
        call_command("import_csww", str(tmp_path), "--authority", "998")


def test_an_unknown_authority(tmp_path, db):
    path = tmp_path / "r.xml"
    path.write_text("<a/>")

    with pytest.raises(CommandError, match="no authority with the code '123'"):
        call_command("import_csww", str(path), "--authority", "123")


def test_an_oversized_file_is_refused_before_it_is_read(return_file, other_authority, monkeypatch):
    importer = base.importer_for("csww")
    monkeypatch.setattr(type(importer), "max_bytes", 1024)
    monkeypatch.setattr(
        type(return_file), "read_bytes", lambda self: pytest.fail("the file was read")
    )

    with pytest.raises(CommandError, match="the largest .* is 1 KB. Nothing was imported"):
        call_command("import_csww", str(return_file), "--authority", "998")
    assert ImportRun.objects.get().sha256 == ""
