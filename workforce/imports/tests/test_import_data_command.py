"""`import_data`: any kind of file from the command line, with a summary and every problem by
line, column, value and code; the demo's sample extracts import into an empty authority, and
again change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from workforce.establishment.models import Absence, Engagement, Leaving, Post, Worker
from workforce.imports import mappings
from workforce.imports.models import ImportRun, ImportStatus

SAMPLES = Path(__file__).resolve().parents[2] / "demo" / "samples"
ESTABLISHMENT = SAMPLES / "establishment.csv"
STAFF = SAMPLES / "staff-itrent.xlsx"
AGENCY = SAMPLES / "agency-assignments.csv"
LEAVERS = SAMPLES / "leavers.csv"
ABSENCES = SAMPLES / "absences.csv"


def call(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def code(authority, reference_data) -> str:
    return authority.code


def test_a_dry_run_prints_the_summary_and_keeps_nothing(code, authority):
    out = call("establishment", str(ESTABLISHMENT), "--dry-run", "--authority", code)

    assert "nothing was imported" in out
    assert "post: 12 new, 0 updated, 0 no change" in out
    assert not Post.objects.filter(authority=authority).exists()
    assert ImportRun.objects.get(authority=authority).status == ImportStatus.PREVIEWED


def test_every_problem_is_printed_with_its_line_column_value_and_code(code, authority, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Post reference,Team,Service area,Role,Budgeted FTE,Start date\n"
        'P1,Team A,Assessment,Social worker,"0,5",01/04/2024\n'
        "P2,Team A,Assessment,Social worker,1,31/02/2024\n"
    )

    with pytest.raises(CommandError) as caught:
        call("establishment", str(bad), "--authority", code)

    message = str(caught.value)
    assert "has 2 errors, so nothing was imported" in message
    assert "Line 2, column Budgeted FTE, value '0,5' [HR-104]: Write numbers" in message
    assert (
        "Line 3, column Start date, value '31/02/2024' [HR-102]: This is not a real date" in message
    )
    assert not Post.objects.filter(authority=authority).exists()


def test_a_missing_mapping_and_an_unknown_kind_are_named(code):
    with pytest.raises(CommandError, match="--mapping: there is no saved mapping 'HR'"):
        call("staff", str(STAFF), "--mapping", "HR", "--authority", code)
    with pytest.raises(CommandError, match="kind: there is no kind of file 'payroll'"):
        call("payroll", str(STAFF), "--authority", code)


def map_the_staff_samples_codes(authority) -> None:
    for list_name, local, meaning in [
        ("contract", "Perm", "Permanent"),
        ("contract", "Temp", "Fixed-term"),
        ("reason_leave", "Resignation - Personal", "Resignation"),
    ]:
        mappings.save_code_mapping(
            authority=authority, list_name=list_name, local=local, code=meaning
        )


def test_the_sample_extracts_import_once_their_local_codes_are_mapped(code, authority):
    call("establishment", str(ESTABLISHMENT), "--authority", code)
    with pytest.raises(CommandError) as caught:
        call("staff", str(STAFF), "--authority", code)
    assert "“Perm” is not one of the codes for contract type" in str(caught.value)
    map_the_staff_samples_codes(authority)

    out = call("staff", str(STAFF), "--authority", code)

    assert "worker: 11 new" in out
    assert Worker.objects.filter(authority=authority).count() == 11
    assert Engagement.objects.filter(authority=authority, kind="fixed_term").count() == 1
    assert Leaving.objects.get(authority=authority).reason == "1"
    again = call("staff", str(STAFF), "--authority", code)
    assert "worker: 0 new, 0 updated, 11 no change" in again
    assert "engagement: 0 new, 0 updated, 10 no change" in again


def test_the_agency_leavers_and_absences_samples_import_after_the_staff(code, authority):
    map_the_staff_samples_codes(authority)
    call("establishment", str(ESTABLISHMENT), "--authority", code)
    call("staff", str(STAFF), "--authority", code)

    checked = call("agency", str(AGENCY), "--dry-run", "--authority", code)

    assert "nothing was imported" in checked
    assert "worker: 4 new, 0 updated, 0 no change" in checked
    assert "assignment: 4 new, 0 updated, 0 no change" in checked
    assert not Engagement.objects.filter(authority=authority, kind="agency").exists()

    agency = call("agency", str(AGENCY), "--authority", code)
    leavers = call("leavers", str(LEAVERS), "--authority", code)
    absences = call("absences", str(ABSENCES), "--authority", code)

    assert all("warning" not in out for out in (agency, leavers, absences))
    assert Engagement.objects.filter(authority=authority, kind="agency").count() == 4
    # The staff extract recorded the first leaver already; the code mapping saved for it serves.
    assert "leaving: 1 new, 0 updated, 1 no change" in leavers
    assert Leaving.objects.filter(authority=authority).count() == 2
    assert "absence: 5 new, 0 updated, 0 no change" in absences
    assert Absence.objects.filter(authority=authority, end__isnull=True).count() == 2
    for kind, path, counts in (
        (
            "agency",
            AGENCY,
            [
                "worker: 0 new, 0 updated, 4 no change",
                "assignment: 0 new, 0 updated, 4 no change",
            ],
        ),
        ("leavers", LEAVERS, ["leaving: 0 new, 0 updated, 2 no change"]),
        ("absences", ABSENCES, ["absence: 0 new, 0 updated, 5 no change"]),
    ):
        again = call(kind, str(path), "--authority", code)
        assert all(count in again for count in counts), again
        assert "closed" not in again and "warning" not in again
