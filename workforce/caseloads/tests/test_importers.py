"""The case-system extracts: referrals and supervision sessions are imported through the caseload
services, the same file again changes nothing, a referral that went further is brought up to
date, bad rows are reported by line, column, value and code and change nothing, and the child's
own id is never kept or shown: only its pseudonymous reference."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from workforce.caseloads.models import Referral, Supervision, pseudonymise
from workforce.caseloads.services import record_referral
from workforce.caseloads.tests.factories import case_in, social_worker_role, worker_in_post
from workforce.establishment.models import ServiceArea, Worker
from workforce.establishment.tests.factories import TeamFactory
from workforce.imports import changes, mappings, services
from workforce.imports.base import importer_for, read
from workforce.imports.models import ImportChange, ImportRun, ImportStatus
from workforce.imports.tabular import Code

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
CHILD = "LL-7731029"  # the case system's id of a child who has a case here
NEW_CHILD = "LL-8840017"  # and of one who has none yet
SAMPLES = Path(__file__).resolve().parents[2] / "demo" / "samples"

REFERRALS = f"""\
Referral ID,Child ID,Referral date,Team,Referral outcome,IA start date,IA completed date,\
CA start date,CA completed date,Plan date
R-1001,{CHILD},03/03/2025,Front Door,Assessment,04/03/2025,10/03/2025,,,
R-1002,,05/03/2025,Front Door,NFA,,,,,
R-1003,{NEW_CHILD},2025-03-07,Assessment East,,,,,,
""".encode()


def referrals(*rows: str) -> bytes:
    head = REFERRALS.decode().splitlines()[0]
    return "\n".join([head, *rows, ""]).encode()


def load(kind: str, authority, data: bytes, *, apply: bool = True):
    importer = importer_for(kind)
    assert importer is not None
    return read(importer, authority, data, apply=apply)


def errors(outcome) -> list[tuple]:
    return [(p.code, p.line, p.column, p.value) for p in outcome.errors]


def snapshot(authority) -> list:
    return [
        list(Referral.objects.filter(authority=authority).order_by("pk").values()),
        list(Supervision.objects.filter(authority=authority).order_by("pk").values()),
    ]


@pytest.fixture
def world(authority):
    """A front door and an assessment team (which receive referrals), a children in care team
    (which does not), the case of CHILD, and three workers in post since 2020."""
    front = TeamFactory(authority=authority, name="Front Door", service_area=ServiceArea.FRONT_DOOR)
    east = TeamFactory(
        authority=authority, name="Assessment East", service_area=ServiceArea.ASSESSMENT
    )
    care = TeamFactory(
        authority=authority, name="Children in Care", service_area=ServiceArea.CHILDREN_IN_CARE
    )
    case = case_in(east, ref=pseudonymise(CHILD))
    sw = social_worker_role(authority)
    for number in ("E1", "E2", "M1"):
        worker_in_post(east, sw, staff_number=number)
    return {"front": front, "east": east, "care": care, "case": case}


# Referrals -------------------------------------------------------------------------------------


def test_referrals_are_recorded_through_the_services(world, authority):
    outcome = load("referrals", authority, REFERRALS)

    assert not outcome.errors, outcome.errors
    assert outcome.counts == {"referral": {"create": 3}}
    assessed = Referral.objects.get(authority=authority, source_ref="R-1001")
    assert assessed.team == world["front"]
    assert assessed.case == world["case"]
    assert (assessed.received, assessed.outcome) == (dt.date(2025, 3, 3), "assessment")
    assert assessed.initial_assessment_start == dt.date(2025, 3, 4)
    assert assessed.initial_assessment_completed == dt.date(2025, 3, 10)
    assert Referral.objects.get(source_ref="R-1002").outcome == "nfa"
    unknown = Referral.objects.get(source_ref="R-1003")
    assert (unknown.case, unknown.outcome, unknown.team) == (None, "", world["east"])
    # The child without a case here is named by their reference, and the referral kept.
    [warning] = outcome.warnings
    assert (warning.code, warning.line, warning.column) == (Code.UNKNOWN_RECORD, 4, "Child ID")
    assert warning.value == pseudonymise(NEW_CHILD)


def test_the_same_referrals_again_change_nothing(world, authority):
    load("referrals", authority, REFERRALS)
    before = snapshot(authority)

    outcome = load("referrals", authority, REFERRALS)

    assert not outcome.errors
    assert outcome.changes == 0
    assert outcome.counts == {"referral": {"match": 3}}
    assert snapshot(authority) == before


def test_a_referral_that_went_further_is_brought_up_to_date(world, authority):
    load("referrals", authority, REFERRALS)
    case_in(world["east"], ref=pseudonymise(NEW_CHILD))  # the child's case is opened since

    outcome = load(
        "referrals",
        authority,
        referrals(
            f"R-1001,{CHILD},03/03/2025,Front Door,Plan,04/03/2025,10/03/2025,"
            "11/03/2025,14/04/2025,22/04/2025",
            "R-1002,,05/03/2025,Front Door,NFA,,,,,",
            f"R-1003,{NEW_CHILD},07/03/2025,Assessment East,Child protection enquiry,,,,,",
        ),
    )

    assert not outcome.errors, outcome.errors
    assert outcome.counts == {"referral": {"change": 2, "match": 1}}
    planned = Referral.objects.get(source_ref="R-1001")
    assert planned.outcome == "plan"
    assert (planned.core_assessment_start, planned.core_assessment_completed) == (
        dt.date(2025, 3, 11),
        dt.date(2025, 4, 14),
    )
    assert planned.plan_date == dt.date(2025, 4, 22)
    enquiry = Referral.objects.get(source_ref="R-1003")
    assert enquiry.outcome == "cp_enquiry"
    assert enquiry.case.child_ref == pseudonymise(NEW_CHILD)
    assert Referral.objects.filter(authority=authority).count() == 3


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "R-1,,03/03/2025,Nowhere Team,NFA,,,,,",
            (Code.UNKNOWN_RECORD, 2, "Team", "Nowhere Team"),
        ),
        (
            "R-1,,03/03/2025,Front Door,Assessment,04/03/2025,01/03/2025,,,",
            (Code.REFUSED, 2, "IA completed date", "01/03/2025"),
        ),
        (
            "R-1,,03/03/2025,Front Door,Assessment,04/03/2025,,10/03/2025,09/03/2025,",
            (Code.REFUSED, 2, "CA completed date", "09/03/2025"),
        ),
        (
            "R-1,,03/03/2025,Front Door,Assessment,,10/03/2025,04/03/2025,,",
            (Code.REFUSED, 2, "IA completed date", "10/03/2025"),
        ),
        (
            "R-1,,03/03/2025,Front Door,Plan,04/03/2025,,,,",
            (Code.REFUSED, 2, "Plan date", ""),
        ),
        (
            "R-1,,03/03/2025,Front Door,Assessment,06/03/2025,,05/03/2025,,",
            (Code.REFUSED, 2, "CA start date", "05/03/2025"),
        ),
        (
            "R-1,,03/03/2025,Front Door,Section 47,,,,,",
            (Code.UNKNOWN_CODE, 2, "Referral outcome", "Section 47"),
        ),
        (
            "R-1,,03/03/2025,Children in Care,NFA,,,,,",
            (Code.REFUSED, 2, "Team", "Children in Care"),
        ),
        (
            "R-1,,31/02/2025,Front Door,NFA,,,,,",
            (Code.DATE, 2, "Referral date", "31/02/2025"),
        ),
        (
            "R-1,,03/03/2025,Front Door,,04/03/2025,,,,",
            (Code.REQUIRED, 2, "Referral outcome", ""),
        ),
        (
            ",,03/03/2025,Front Door,NFA,,,,,",
            (Code.REQUIRED, 2, "Referral ID", ""),
        ),
    ],
)
def test_a_bad_referral_is_an_error_of_its_row_and_nothing_is_kept(world, authority, row, expected):
    outcome = load("referrals", authority, referrals(row))

    assert errors(outcome) == [expected]
    assert not Referral.objects.exists()


OUTCOME_HEAD = (
    "Referral ID,Referral date,Team,Referral outcome,Outcome date,IA start date,Plan date"
)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Information, advice or signposting", "advice"),
        ("advice", "advice"),
        ("Signposted to other services", "advice"),
        ("IAG", "advice"),
        ("Information and advice", "advice"),
        ("early_help", "early_help"),
        ("Referred to Early Help", "early_help"),
        ("Step down to early help", "early_help"),
        ("EHA", "early_help"),
        ("No further action", "nfa"),
    ],
)
def test_signposting_and_early_help_are_read_in_their_common_spellings(
    world, authority, written, code
):
    data = f'{OUTCOME_HEAD}\nR-1,03/03/2025,Front Door,"{written}",04/03/2025,,\n'.encode()

    outcome = load("referrals", authority, data)

    assert not outcome.errors, outcome.errors
    referral = Referral.objects.get()
    assert (referral.outcome, referral.outcome_date) == (code, dt.date(2025, 3, 4))


def test_assessed_not_in_need_is_read_with_its_assessment(world, authority):
    data = (
        f"{OUTCOME_HEAD}\nR-1,03/03/2025,Front Door,Assessed not in need,20/03/2025,04/03/2025,\n"
    )
    outcome = load("referrals", authority, data.encode())
    assert not outcome.errors, outcome.errors
    assert Referral.objects.get().outcome == "not_in_need"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "R-1,03/03/2025,Front Door,NFA,,04/03/2025,",
            (Code.REFUSED, 2, "IA start date", "04/03/2025"),
        ),
        (
            "R-1,03/03/2025,Front Door,Signposting,,,20/03/2025",
            (Code.REFUSED, 2, "Plan date", "20/03/2025"),
        ),
        (
            "R-1,03/03/2025,Front Door,Early help,02/03/2025,,",
            (Code.REFUSED, 2, "Outcome date", "02/03/2025"),
        ),
        (
            "R-1,03/03/2025,Front Door,Not in need,,,",
            (Code.REFUSED, 2, "IA start date", ""),
        ),
        (
            "R-1,03/03/2025,Front Door,NFA,,,20/03/2025",
            (Code.REFUSED, 2, "Plan date", "20/03/2025"),
        ),
        (
            "R-1,03/03/2025,Front Door,,04/03/2025,,",
            (Code.REQUIRED, 2, "Referral outcome", ""),
        ),
    ],
)
def test_an_outcome_its_dates_contradict_is_an_error_of_its_row_and_column(
    world, authority, row, expected
):
    outcome = load("referrals", authority, f"{OUTCOME_HEAD}\n{row}\n".encode())

    assert errors(outcome) == [expected]
    assert not Referral.objects.exists()


def test_a_file_without_outcome_dates_keeps_the_date_recorded_here(world, authority):
    load(
        "referrals",
        authority,
        f"{OUTCOME_HEAD}\nR-1,03/03/2025,Front Door,IAG,05/03/2025,,\n".encode(),
    )
    outcome = load("referrals", authority, referrals("R-1,,03/03/2025,Front Door,Early help,,,,,"))
    assert not outcome.errors, outcome.errors
    referral = Referral.objects.get()
    assert (referral.outcome, referral.outcome_date) == ("early_help", dt.date(2025, 3, 5))


def test_a_file_without_the_assessment_columns_keeps_the_assessment_dates(world, authority):
    load(
        "referrals",
        authority,
        referrals("R-1,,03/03/2025,Front Door,Assessment,04/03/2025,10/03/2025,11/03/2025,,"),
    )
    # This file has the initial assessment's start and the plan, not the other dates.
    outcome = load(
        "referrals",
        authority,
        f"{OUTCOME_HEAD}\nR-1,03/03/2025,Front Door,Plan,,04/03/2025,20/03/2025\n".encode(),
    )
    assert not outcome.errors, outcome.errors
    referral = Referral.objects.get()
    assert (referral.outcome, referral.plan_date) == ("plan", dt.date(2025, 3, 20))
    assert referral.initial_assessment_completed == dt.date(2025, 3, 10)
    assert referral.core_assessment_start == dt.date(2025, 3, 11)


def test_a_core_assessment_alone_is_an_assessment(world, authority):
    """The service takes a core assessment's start as the assessment's start."""
    outcome = load(
        "referrals", authority, referrals("R-1,,03/03/2025,Front Door,Assessment,,,04/03/2025,,")
    )

    assert not outcome.errors
    assert Referral.objects.get().core_assessment_start == dt.date(2025, 3, 4)


def test_a_file_half_bad_keeps_nothing_and_names_each_bad_row(world, authority):
    data = referrals(
        "R-1,,03/03/2025,Front Door,NFA,,,,,",
        "R-2,,03/03/2025,Nowhere Team,NFA,,,,,",
        "R-3,,04/03/2025,Front Door,Assessment,05/03/2025,,,,",
        "R-4,,04/03/2025,Front Door,Assessment,05/03/2025,04/03/2025,,,",
    )

    outcome = load("referrals", authority, data)

    assert errors(outcome) == [
        (Code.UNKNOWN_RECORD, 3, "Team", "Nowhere Team"),
        (Code.REFUSED, 5, "IA completed date", "04/03/2025"),
    ]
    assert outcome.counts == {"referral": {"create": 2}}
    assert not Referral.objects.exists()


def test_a_dry_run_of_referrals_changes_nothing(world, authority):
    outcome = load("referrals", authority, REFERRALS, apply=False)

    assert not outcome.errors
    assert outcome.counts == {"referral": {"create": 3}}
    assert not Referral.objects.exists()


def test_the_same_referral_twice_is_read_once_and_a_contradiction_is_an_error(world, authority):
    same = load(
        "referrals",
        authority,
        referrals("R-1,,03/03/2025,Front Door,NFA,,,,,", "R-1,,03/03/2025,front door,NFA,,,,,"),
    )
    assert [(p.code, p.line, p.column, p.value) for p in same.warnings] == [
        (Code.REPEATED, 3, "Referral ID", "R-1")
    ]
    assert same.counts == {"referral": {"create": 1}}

    differ = load(
        "referrals",
        authority,
        referrals("R-2,,03/03/2025,Front Door,NFA,,,,,", "R-2,,04/03/2025,Front Door,NFA,,,,,"),
    )
    assert errors(differ) == [(Code.CONTRADICTS, 3, "Referral ID", "R-2")]
    assert "Referral date" in differ.errors[0].message


def test_a_local_outcome_mapped_once_is_read_as_its_code(world, authority, reference_data):
    data = referrals("R-1,,03/03/2025,Front Door,Section 47,,,,,")
    assert errors(load("referrals", authority, data))[0][0] == Code.UNKNOWN_CODE
    mappings.save_code_mapping(
        authority=authority,
        list_name="referral_outcome",
        local="Section 47",
        code="Child protection enquiry",
    )

    outcome = load("referrals", authority, data)

    assert not outcome.errors
    assert Referral.objects.get().outcome == "cp_enquiry"


def test_the_childs_own_id_is_never_kept_or_shown(world, authority):
    """Through the whole import: the run's history, its problems and entries, the referrals
    and the audit trail hold the child's reference, never the case system's id."""
    services.import_file(
        importer_for("referrals"), authority, data=REFERRALS, filename="r.csv", user=None, now=NOW
    )
    other = pseudonymise("LL-0000001")
    case_in(world["east"], ref=other)
    data = referrals(
        "R-1001,LL-0000001,03/03/2025,Front Door,Assessment,04/03/2025,10/03/2025,,,",
        f"R-1003,{NEW_CHILD},2025-03-07,Assessment East,,,,,,",
        f"R-1004,{NEW_CHILD},2025-03-07,Assessment East,,,,,,",
        f"R-1004,{NEW_CHILD},2025-03-08,Assessment East,,,,,,",
        f"R-1005,={CHILD},2025-03-07,Assessment East,,,,,,",
    )

    run, outcome = services.import_file(
        importer_for("referrals"), authority, data=data, filename="r.csv", user=None, now=NOW
    )

    assert run.status == ImportStatus.REFUSED
    conflict = next(p for p in outcome.errors if p.code == Code.CONFLICT)
    assert (conflict.column, conflict.value) == ("Child ID", other)
    assert pseudonymise(CHILD) in conflict.message
    assert any(p.code == Code.FORMULA and p.value == "" for p in outcome.errors)
    assert ImportChange.objects.filter(run__kind="referrals").exists()  # what undo reads
    shown = json.dumps(outcome.as_json()) + json.dumps(
        list(ImportRun.objects.values("problems", "entries", "summary", "counts"))
    )
    stored = io.StringIO()
    call_command("dumpdata", stdout=stored)
    for raw in (CHILD, NEW_CHILD, "LL-0000001"):
        assert raw not in shown
        assert raw not in stored.getvalue()
    assert pseudonymise(NEW_CHILD) in shown


def test_an_import_of_referrals_can_be_undone(world, authority):
    """The referrals brought up to date get their earlier outcome back; those created go."""
    importer = importer_for("referrals")

    def imported(data: bytes):
        run, outcome = services.import_file(
            importer, authority, data=data, filename="r.csv", user=None, now=timezone.now()
        )
        assert run.status == ImportStatus.APPLIED, outcome.errors
        return run

    imported(REFERRALS)
    before = snapshot(authority)[0]
    second = imported(
        referrals(
            f"R-1001,{CHILD},03/03/2025,Front Door,Plan,04/03/2025,10/03/2025,,,22/04/2025",
            "R-1009,,04/03/2025,Front Door,NFA,,,,,",
        )
    )
    assert Referral.objects.get(source_ref="R-1001").outcome == "plan"

    changes.undo(second, user=None)

    def without_times(rows: list) -> list:
        return [{k: v for k, v in row.items() if not k.endswith("_at")} for row in rows]

    assert without_times(snapshot(authority)[0]) == without_times(before)


def test_import_data_checks_a_referrals_file_on_the_command_line(world, authority, tmp_path):
    path = tmp_path / "referrals.csv"
    path.write_bytes(REFERRALS)
    out = io.StringIO()

    call_command(
        "import_data", "referrals", str(path), "--dry-run", "--authority", "999", stdout=out
    )

    assert "nothing was imported" in out.getvalue()
    assert "referral: 3 new, 0 updated, 0 no change" in out.getvalue()
    assert CHILD not in out.getvalue() and NEW_CHILD not in out.getvalue()
    assert not Referral.objects.exists()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(referrals("R-1,,03/03/2025,Nowhere Team,NFA,,,,,"))
    with pytest.raises(CommandError, match=r"Line 2, column Team, value 'Nowhere Team' \[HR-207\]"):
        call_command("import_data", "referrals", str(bad), "--authority", "999", stdout=out)


# Supervision -----------------------------------------------------------------------------------

SUPERVISION = b"""\
Staff number,Supervisor staff number,Supervision date
E1,M1,01/09/2025
E1,M1,01/10/2025
E2,,2025-09-15
"""


def test_supervision_sessions_are_recorded_and_the_same_file_again_changes_nothing(
    world, authority
):
    outcome = load("supervision", authority, SUPERVISION)

    assert not outcome.errors, outcome.errors
    assert outcome.counts == {"supervision": {"create": 3}}
    e1 = Worker.objects.get(staff_number="E1")
    assert sorted(s.date for s in e1.supervisions.all()) == [
        dt.date(2025, 9, 1),
        dt.date(2025, 10, 1),
    ]
    assert {s.supervisor.staff_number for s in e1.supervisions.all()} == {"M1"}
    assert Supervision.objects.get(worker__staff_number="E2").supervisor is None
    before = snapshot(authority)

    again = load("supervision", authority, SUPERVISION)

    assert not again.errors
    assert again.changes == 0
    assert again.counts == {"supervision": {"match": 3}}
    assert snapshot(authority) == before


def test_bad_supervision_rows_are_errors_of_their_rows_and_nothing_is_kept(world, authority):
    data = b"""\
Staff number,Supervisor staff number,Supervision date
E1,M1,01/09/2025
E9,M1,01/09/2025
E2,X7,01/09/2025
E2,E2,02/09/2025
E1,,01/01/2099
E2,,1 Smarch 2025
"""
    outcome = load("supervision", authority, data)

    assert errors(outcome) == [
        (Code.UNKNOWN_RECORD, 3, "Staff number", "E9"),
        (Code.UNKNOWN_RECORD, 4, "Supervisor staff number", "X7"),
        (Code.REFUSED, 5, "Supervisor staff number", "E2"),
        (Code.REFUSED, 6, "Supervision date", "01/01/2099"),
        (Code.DATE, 7, "Supervision date", "1 Smarch 2025"),
    ]
    assert not Supervision.objects.exists()


def test_a_repeated_session_is_read_once_and_a_contradiction_is_an_error(world, authority):
    outcome = load(
        "supervision",
        authority,
        b"Staff number,Supervisor staff number,Supervision date\n"
        b"E1,M1,01/09/2025\nE1,M1,2025-09-01\nE2,M1,01/09/2025\nE2,,01/09/2025\n",
    )

    assert [(p.code, p.line) for p in outcome.warnings] == [(Code.REPEATED, 3)]
    assert errors(outcome) == [(Code.CONTRADICTS, 5, "Supervision date", "01/09/2025")]
    assert "same staff number and supervision date" in outcome.errors[0].message


def test_a_dry_run_of_supervision_changes_nothing(world, authority):
    outcome = load("supervision", authority, SUPERVISION, apply=False)

    assert outcome.counts == {"supervision": {"create": 3}}
    assert not Supervision.objects.exists()


# The demo's samples ----------------------------------------------------------------------------


def test_the_samples_import_into_an_empty_authority_after_the_staff(authority, reference_data):
    def run(kind: str, name: str) -> str:
        out = io.StringIO()
        call_command("import_data", kind, str(SAMPLES / name), "--authority", "999", stdout=out)
        return out.getvalue()

    run("establishment", "establishment.csv")
    for list_name, local, meaning in [
        ("contract", "Perm", "Permanent"),
        ("contract", "Temp", "Fixed-term"),
        ("reason_leave", "Resignation - Personal", "Resignation"),
    ]:
        mappings.save_code_mapping(
            authority=authority, list_name=list_name, local=local, code=meaning
        )
    run("staff", "staff-itrent.xlsx")

    referrals_out = run("referrals", "referrals-liquidlogic.csv")
    supervision_out = run("supervision", "supervision.xlsx")

    assert Referral.objects.filter(authority=authority).count() == 14
    assert "referral: 14 new" in referrals_out
    assert Supervision.objects.filter(authority=authority).count() == 18
    assert "supervision: 18 new" in supervision_out
    assert "referral: 0 new, 0 updated, 14 no change" in run(
        "referrals", "referrals-liquidlogic.csv"
    )
    assert "supervision: 0 new, 0 updated, 18 no change" in run("supervision", "supervision.xlsx")


def test_what_a_referral_keeps_from_its_first_file_is_warned_of_not_changed(world, authority):
    load("referrals", authority, REFERRALS)

    outcome = load(
        "referrals",
        authority,
        referrals(
            f"R-1001,{CHILD},04/03/2025,Assessment East,Assessment,04/03/2025,10/03/2025,,,",
            "R-1002,,05/03/2025,Front Door,,,,,,",
        ),
    )

    assert not outcome.errors
    assert outcome.changes == 0
    assert [(p.code, p.line, p.column) for p in outcome.warnings] == [
        (Code.KEPT, 2, "Referral date"),
        (Code.KEPT, 2, "Team"),
        (Code.KEPT, 3, "Referral outcome"),
    ]
    kept = Referral.objects.get(source_ref="R-1001")
    assert (kept.received, kept.team) == (dt.date(2025, 3, 3), world["front"])
    assert Referral.objects.get(source_ref="R-1002").outcome == "nfa"


def test_a_referral_id_is_recorded_once_in_an_authority(world, authority):
    record_referral(
        authority=authority, team=world["front"], received=dt.date(2025, 3, 3), source_ref="R-9"
    )
    with pytest.raises(ValidationError) as refused:
        record_referral(
            authority=authority, team=world["front"], received=dt.date(2025, 3, 4), source_ref="R-9"
        )

    assert refused.value.message_dict == {"source_ref": ["Referral R-9 is already recorded."]}
    record_referral(authority=authority, team=world["front"], received=dt.date(2025, 3, 4))
    record_referral(authority=authority, team=world["front"], received=dt.date(2025, 3, 5))
    assert Referral.objects.filter(source_ref__isnull=True).count() == 2
