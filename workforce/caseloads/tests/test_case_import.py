"""The cases and allocations extract: what a file creates, counted by hand; the same file again
changes nothing; a later extract ends an allocation, adds a reallocation and closes a case;
every kind of bad row is an error with its line, column, value and code and changes nothing;
a dry run changes nothing; the child's id in the case system is kept nowhere; and the caseloads
after an import are what the file says."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workforce.caseloads import measures, selectors
from workforce.caseloads.case_import import CaseImporter
from workforce.caseloads.models import (
    Allocation,
    AllocationReason,
    Case,
    CaseCategory,
    CaseTeam,
    Category,
    pseudonymise,
)
from workforce.caseloads.tests.factories import social_worker_role, worker_in_post
from workforce.establishment.tests.factories import TeamFactory
from workforce.imports import mappings
from workforce.imports.base import Outcome, read
from workforce.imports.tabular import Code

D = dt.date
HEADER = (
    "Child ID,Case start date,Case end date,Team,Category,Complex,Worker staff number,"
    "Allocated from,Allocated to,Allocation reason\n"
)
FIRST = HEADER + (
    "MOS-1001,01/04/2025,,Assessment North,Child in need,No,S1,01/04/2025,30/06/2025,\n"
    "MOS-1001,01/04/2025,,Assessment North,Child in need,No,S2,01/07/2025,,\n"
    "MOS-1002,15/05/2025,,Children in Care South,Child protection plan,Yes,,,,\n"
    "MOS-1003,2025-04-02,31/08/2025,Children in Care South,cla,,S3,02/04/2025,,\n"
)
LATER = HEADER + (
    "MOS-1001,01/04/2025,,Assessment North,Child in need,No,S1,01/04/2025,30/06/2025,\n"
    "MOS-1001,01/04/2025,,Assessment North,Child in need,No,S2,01/07/2025,30/09/2025,\n"
    "MOS-1001,01/04/2025,,Assessment North,Child in need,No,S1,01/10/2025,,Worker absent\n"
    "MOS-1002,15/05/2025,31/10/2025,Children in Care South,Child protection plan,Yes,,,,\n"
    "MOS-1003,2025-04-02,31/08/2025,Children in Care South,cla,,S3,02/04/2025,,\n"
)
RAW_IDS = ("MOS-1001", "MOS-1002", "MOS-1003")


@pytest.fixture
def world(authority):
    north = TeamFactory(authority=authority, name="Assessment North")
    south = TeamFactory(authority=authority, name="Children in Care South")
    role = social_worker_role(authority, title="Social worker")
    workers = {
        "S1": worker_in_post(north, role, staff_number="S1"),
        "S2": worker_in_post(north, role, staff_number="S2"),
        "S3": worker_in_post(south, role, staff_number="S3"),
    }
    return {"authority": authority, "north": north, "south": south, "workers": workers}


def run(authority, text: str, *, apply: bool = True) -> Outcome:
    return read(CaseImporter(), authority, text.encode(), apply=apply)


def errors(outcome: Outcome) -> list[tuple[int | None, str, str, str]]:
    return [(p.line, p.column, p.value, p.code) for p in outcome.errors]


def ref(source: str) -> str:
    return pseudonymise(source)


def test_a_file_creates_cases_spells_and_allocations(world):
    authority, workers = world["authority"], world["workers"]
    outcome = run(authority, FIRST)
    assert not outcome.errors, outcome.errors
    assert outcome.counts == {"case": {"create": 3}, "allocation": {"create": 3}}
    assert outcome.changes == 6
    one = Case.objects.get(child_ref=ref("MOS-1001"))
    two = Case.objects.get(child_ref=ref("MOS-1002"))
    three = Case.objects.get(child_ref=ref("MOS-1003"))
    assert (one.start, one.end) == (D(2025, 4, 1), None)
    assert (three.start, three.end) == (D(2025, 4, 2), D(2025, 9, 1))  # the day after the last
    assert [(t.team, t.start, t.end) for t in two.teams.all()] == [
        (world["south"], D(2025, 5, 15), None)
    ]
    assert [(c.category, c.complex) for c in two.categories.all()] == [
        (Category.CHILD_PROTECTION, True)
    ]
    assert three.categories.get().category == Category.LOOKED_AFTER
    assert three.teams.get().end == D(2025, 9, 1)
    assert [(a.worker, a.start, a.end, a.reason) for a in one.allocations.order_by("start")] == [
        (workers["S1"], D(2025, 4, 1), D(2025, 7, 1), AllocationReason.INITIAL),
        (workers["S2"], D(2025, 7, 1), None, AllocationReason.REALLOCATION),
    ]
    # An allocation with no last day of a closed case ends with the case.
    assert [(a.worker, a.end) for a in three.allocations.all()] == [(workers["S3"], D(2025, 9, 1))]
    assert not two.allocations.exists()
    assert CaseTeam.objects.count() == 3 and CaseCategory.objects.count() == 3
    assert Allocation.objects.count() == 3
    lines = {(e.what, e.action, e.line) for e in outcome.entries}
    assert ("case", "create", 2) in lines and ("allocation", "create", 3) in lines


def test_the_same_file_again_changes_nothing(world):
    authority = world["authority"]
    assert not run(authority, FIRST).errors
    again = run(authority, FIRST)
    assert not again.errors, again.errors
    assert again.changes == 0
    assert again.counts == {"case": {"match": 3}, "allocation": {"match": 3}}
    assert Case.objects.count() == 3 and Allocation.objects.count() == 3


def test_a_later_extract_ends_an_allocation_adds_a_reallocation_and_closes_a_case(world):
    authority, workers = world["authority"], world["workers"]
    assert not run(authority, FIRST).errors
    outcome = run(authority, LATER)
    assert not outcome.errors, outcome.errors
    assert outcome.counts == {
        "case": {"close": 1, "match": 2},
        "allocation": {"close": 1, "create": 1, "match": 2},
    }
    one = Case.objects.get(child_ref=ref("MOS-1001"))
    assert [(a.worker, a.start, a.end, a.reason) for a in one.allocations.order_by("start")] == [
        (workers["S1"], D(2025, 4, 1), D(2025, 7, 1), AllocationReason.INITIAL),
        (workers["S2"], D(2025, 7, 1), D(2025, 10, 1), AllocationReason.REALLOCATION),
        (workers["S1"], D(2025, 10, 1), None, AllocationReason.ABSENCE),
    ]
    two = Case.objects.get(child_ref=ref("MOS-1002"))
    assert two.end == D(2025, 11, 1)
    assert [t.end for t in two.teams.all()] == [D(2025, 11, 1)]
    assert [c.end for c in two.categories.all()] == [D(2025, 11, 1)]
    assert run(authority, LATER).changes == 0


def test_open_cases_the_extract_does_not_list_are_left_open_with_one_warning(world):
    authority = world["authority"]
    assert not run(authority, FIRST).errors
    outcome = run(authority, HEADER + FIRST.splitlines()[3] + "\n")
    assert not outcome.errors
    listed = [p for p in outcome.warnings if p.code == Code.NOT_LISTED]
    assert len(listed) == 1 and listed[0].value == "1"
    assert Case.objects.filter(end__isnull=True).count() == 2


def test_a_change_of_team_or_category_goes_through_the_services(world):
    authority = world["authority"]
    assert not run(authority, FIRST).errors
    moved = FIRST.replace(
        "MOS-1002,15/05/2025,,Children in Care South,Child protection plan,Yes",
        "MOS-1002,15/05/2025,,Assessment North,Child in need,Yes",
    )
    outcome = run(authority, moved)
    assert not outcome.errors, outcome.errors
    assert outcome.counts["case"] == {"change": 1, "match": 2}
    two = Case.objects.get(child_ref=ref("MOS-1002"))
    assert [t.team.name for t in two.teams.order_by("start")] == [
        "Children in Care South",
        "Assessment North",
    ]
    assert two.categories.filter(end__isnull=True).get().category == Category.CHILD_IN_NEED
    assert run(authority, moved).changes == 0


def test_closing_a_case_before_a_change_the_system_records_is_refused(world):
    from workforce.caseloads import services

    authority = world["authority"]
    assert not run(authority, FIRST).errors
    two = Case.objects.get(child_ref=ref("MOS-1002"))
    services.transfer_case(case=two, to_team=world["north"], on=D(2025, 9, 1))
    closing = FIRST.replace(
        "MOS-1002,15/05/2025,,Children in Care South",
        "MOS-1002,15/05/2025,31/07/2025,Assessment North",
    )
    outcome = run(authority, closing)
    assert errors(outcome) == [(4, "Case end date", "31 July 2025", Code.REFUSED)]
    assert "1 September 2025" in outcome.errors[0].message
    assert Case.objects.get(pk=two.pk).end is None


BAD = [
    (
        "MOS-1,01/04/2025,,Assessment North,Child in need,,S9,01/04/2025,,",
        "Worker staff number",
        "S9",
        Code.UNKNOWN_RECORD,
    ),
    (
        "MOS-1,01/04/2025,,Nowhere Team,Child in need,,S1,01/04/2025,,",
        "Team",
        "Nowhere Team",
        Code.UNKNOWN_RECORD,
    ),
    (
        "MOS-1,31/02/2025,,Assessment North,Child in need,,S1,01/04/2025,,",
        "Case start date",
        "31/02/2025",
        Code.DATE,
    ),
    (
        "MOS-1,01/04/2025,,Assessment North,Child in need,,S1,01/03/2025,,",
        "Allocated from",
        "01/03/2025",
        Code.REFUSED,
    ),
    (
        "MOS-1,01/04/2025,30/04/2025,Assessment North,Child in need,,S1,01/04/2025,31/05/2025,",
        "Allocated to",
        "31/05/2025",
        Code.REFUSED,
    ),
    (
        "MOS-1,01/04/2025,,Assessment North,Child of the moon,,S1,01/04/2025,,",
        "Category",
        "Child of the moon",
        Code.UNKNOWN_CODE,
    ),
    (
        "MOS-1,01/04/2025,,Assessment North,Child in need,,S1,,,",
        "Allocated from",
        "",
        Code.REQUIRED,
    ),
    (
        "MOS-1,01/04/2025,,Assessment North,Child in need,,,01/04/2025,,",
        "Allocated from",
        "01/04/2025",
        Code.REFUSED,
    ),
    (
        "MOS-1,01/04/2025,,Assessment North,Child in need,Perhaps,S1,01/04/2025,,",
        "Complex",
        "Perhaps",
        Code.NUMBER,
    ),
]


@pytest.mark.parametrize(("row", "column", "value", "code"), BAD)
def test_a_bad_row_is_an_error_with_its_line_column_value_and_code(world, row, column, value, code):
    authority = world["authority"]
    good = "MOS-2,01/04/2025,,Assessment North,Child in need,,S2,01/04/2025,,"
    outcome = run(authority, HEADER + good + "\n" + row + "\n")
    assert errors(outcome) == [(3, column, value, code)]
    assert outcome.errors[0].record == f"Case {ref('MOS-1')}"
    assert not Case.objects.exists() and not Allocation.objects.exists()


def test_overlapping_allocations_in_the_file_are_an_error(world):
    outcome = run(
        world["authority"],
        HEADER
        + "MOS-1,01/04/2025,,Assessment North,Child in need,,S1,01/04/2025,31/07/2025,\n"
        + "MOS-1,01/04/2025,,Assessment North,Child in need,,S2,01/07/2025,,\n",
    )
    assert errors(outcome) == [(3, "Allocated from", "1 July 2025", Code.CONTRADICTS)]
    assert "line 2" in outcome.errors[0].message
    assert not Case.objects.exists()


def test_rows_of_one_child_that_disagree_about_the_case_are_an_error(world):
    outcome = run(
        world["authority"],
        HEADER
        + "MOS-1,01/04/2025,,Assessment North,Child in need,,S1,01/04/2025,30/06/2025,\n"
        + "MOS-1,01/04/2025,,Children in Care South,Child in need,,S2,01/07/2025,,\n",
    )
    assert errors(outcome) == [(3, "Team", "Children in Care South", Code.CONTRADICTS)]
    assert "Line 2" in outcome.errors[0].message
    assert not Case.objects.exists()


def test_the_same_allocation_twice_is_read_once_and_different_twice_is_an_error(world):
    row = "MOS-1,01/04/2025,,Assessment North,Child in need,,S1,01/04/2025,,\n"
    outcome = run(world["authority"], HEADER + row + row)
    assert not outcome.errors
    assert [(p.line, p.code) for p in outcome.warnings] == [(3, Code.REPEATED)]
    assert Allocation.objects.count() == 1
    other = row.replace(",S1,", ",S2,")
    outcome = run(
        world["authority"], HEADER + row.replace("MOS-1", "MOS-5") + other.replace("MOS-1", "MOS-5")
    )
    assert [(p.line, p.code) for p in outcome.errors] == [(3, Code.CONTRADICTS)]


def test_a_worker_not_in_post_on_the_first_day_is_a_warning(world):
    outcome = run(
        world["authority"],
        HEADER + "MOS-1,01/04/2019,,Assessment North,Child in need,,S1,01/04/2019,,\n",
    )
    assert not outcome.errors
    assert [(p.line, p.column, p.code) for p in outcome.warnings] == [
        (2, "Allocated from", Code.CONFLICT)
    ]


def test_a_different_worker_for_an_allocation_the_system_holds_is_an_error(world):
    authority = world["authority"]
    assert not run(authority, FIRST).errors
    outcome = run(authority, FIRST.replace(",S3,02/04/2025", ",S1,02/04/2025"))
    assert errors(outcome) == [(5, "Worker staff number", "staff number S1", Code.CONFLICT)]
    assert Allocation.objects.filter(worker=world["workers"]["S1"]).count() == 1


def test_a_dry_run_changes_nothing(world):
    outcome = run(world["authority"], FIRST, apply=False)
    assert not outcome.errors
    assert outcome.changes == 6
    assert not Case.objects.exists() and not Allocation.objects.exists()


def test_local_categories_are_mapped_through_code_mappings(world):
    authority = world["authority"]
    mappings.save_code_mapping(
        authority=authority, list_name="case_category", local="CP", code="cpp"
    )
    outcome = run(authority, HEADER + "MOS-1,01/04/2025,,Assessment North,CP,,S1,01/04/2025,,\n")
    assert not outcome.errors, outcome.errors
    assert CaseCategory.objects.get().category == Category.CHILD_PROTECTION


def test_the_childs_id_is_kept_nowhere(world):
    authority = world["authority"]
    outcomes = [run(authority, FIRST), run(authority, LATER)]
    bad = HEADER + "MOS-1001,01/04/2025,,Nowhere,Child in need,,S9,01/04/2025,,\n"
    outcomes.append(run(authority, bad))
    assert outcomes[-1].errors
    for outcome in outcomes:
        text = json.dumps(outcome.as_json(), default=str)
        assert not any(raw in text for raw in RAW_IDS)
        assert ref("MOS-1001") in text
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor, include_views=False):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            found = repr(cursor.fetchall())
            assert not any(raw in found for raw in RAW_IDS), table


def test_outcome_tally_counts_without_keeping_entries():
    outcome = Outcome(keep=2)
    outcome.add("create", "case", "Case A")
    outcome.tally("create", "case", 5)
    outcome.tally("match", "case", 0)
    assert outcome.counts == {"case": {"create": 6}}
    assert outcome.omitted == {"entries": 5}
    assert outcome.room("entries") == 1
    outcome.error("one")
    outcome.count_more("error", 3)
    assert outcome.error_count == 4 and outcome.room("errors") == 1


# The caseloads after an import are what the file says --------------------------------------------

ON = D(2025, 6, 30)


@st.composite
def extracts(draw):
    """Children with a run of allocations each, some ended, some cases closed, some rows
    unallocated; rows shuffled."""
    rng = random.Random(draw(st.integers(0, 10_000)))
    rows = []
    for child in range(draw(st.integers(1, 12))):
        opened = D(2025, 1, 1) + dt.timedelta(days=rng.randrange(0, 200))
        closed = opened + dt.timedelta(days=rng.randrange(1, 300)) if rng.random() < 0.3 else None
        team = rng.choice(["Assessment North", "Children in Care South"])
        category = rng.choice(list(Category.labels))
        day: dt.date = opened
        spans: list[tuple[str, dt.date, dt.date | None]] = []
        while rng.random() < 0.8 and (closed is None or day < closed):
            worker = rng.choice(["S1", "S2", "S3"])
            length = rng.randrange(1, 120)
            last: dt.date = day + dt.timedelta(days=length - 1)
            if closed is not None and last >= closed:
                last = closed - dt.timedelta(days=1)
            ends = rng.random() < 0.6 or (
                closed is not None and last == closed - dt.timedelta(days=1)
            )
            spans.append((worker, day, last if ends else None))
            if not ends:
                break
            day = last + dt.timedelta(days=1 + rng.randrange(0, 20))
        case_last = "" if closed is None else f"{closed - dt.timedelta(days=1):%d/%m/%Y}"
        case = f"X{child},{opened:%d/%m/%Y},{case_last},{team},{category},"
        if not spans:
            rows.append(case + ",,,,,")
        for worker, start, until in spans:
            rows.append(
                case + f",{worker},{start:%d/%m/%Y},{'' if until is None else f'{until:%d/%m/%Y}'},"
            )
    rng.shuffle(rows)
    return rows


def _held_on(rows: list[str], on: dt.date) -> dict[str, int]:
    held: dict[str, int] = {}
    for row in rows:
        cells = row.split(",")
        worker, start, last, case_last = cells[6], cells[7], cells[8], cells[2]
        if not worker:
            continue
        first = dt.datetime.strptime(start, "%d/%m/%Y").date()
        end = last or case_last
        final = dt.datetime.strptime(end, "%d/%m/%Y").date() if end else None
        if first <= on and (final is None or on <= final):
            held[worker] = held.get(worker, 0) + 1
    return held


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=extracts())
def test_cases_held_per_worker_are_what_the_file_says(world, rows):
    authority = world["authority"]
    with transaction.atomic():
        outcome = run(authority, HEADER + "\n".join(rows) + "\n")
        assert not outcome.errors, outcome.errors
        loads = selectors.worker_loads(
            authority_ids=[authority.pk], on=ON, scheme=measures.scheme_settings(authority.pk)
        )
        numbers = {w.pk: n for n, w in world["workers"].items()}
        held = {numbers[load.worker_id]: load.cases for load in loads if load.cases}
        assert held == _held_on(rows, ON)
        transaction.set_rollback(True)


SAMPLES = Path(__file__).resolve().parents[2] / "demo" / "samples"


def test_the_sample_extract_imports_after_the_establishment_and_staff_samples(
    authority, reference_data
):
    from workforce.imports.base import importer_for

    establishment = importer_for("establishment")
    staff = importer_for("staff")
    assert establishment is not None and staff is not None
    data = (SAMPLES / "establishment.csv").read_bytes()
    assert not read(establishment, authority, data, apply=True).errors
    for list_name, local, meaning in [
        ("contract", "Perm", "Permanent"),
        ("contract", "Temp", "Fixed-term"),
        ("reason_leave", "Resignation - Personal", "Resignation"),
    ]:
        mappings.save_code_mapping(
            authority=authority, list_name=list_name, local=local, code=meaning
        )
    data = (SAMPLES / "staff-itrent.xlsx").read_bytes()
    assert not read(staff, authority, data, apply=True).errors

    cases = (SAMPLES / "cases-mosaic.csv").read_bytes()
    outcome = read(CaseImporter(), authority, cases, apply=True)

    assert not outcome.errors, outcome.errors
    assert not outcome.warnings, outcome.warnings
    assert outcome.counts == {"case": {"create": 17}, "allocation": {"create": 19}}
    assert Case.objects.filter(authority=authority, end__isnull=True).count() == 13
    assert read(CaseImporter(), authority, cases, apply=True).changes == 0


def _imported(authority, text: str):
    from django.utils import timezone

    from workforce.imports import services

    run, outcome = services.import_file(
        CaseImporter(),
        authority,
        data=text.encode(),
        filename="cases.csv",
        user=None,
        now=timezone.now(),
    )
    assert not outcome.errors, outcome.errors
    return run


def _snapshot(authority) -> dict[str, list]:
    def rows(model) -> list:
        return [
            {k: v for k, v in row.items() if k != "updated_at"}
            for row in model.objects.filter(authority=authority).order_by("pk").values()
        ]

    return {m.__name__: rows(m) for m in (Case, CaseTeam, CaseCategory, Allocation)}


def test_an_import_written_in_sql_is_undone(world, monkeypatch):
    from workforce.imports import services
    from workforce.imports.base import _IMPORTERS

    monkeypatch.setitem(_IMPORTERS, "cases", CaseImporter())
    authority = world["authority"]
    first = _imported(authority, FIRST)
    assert first.changes.count() == 3 + 3 + 3 + 3  # cases, team and category spells, allocations
    after_first = _snapshot(authority)
    later = _imported(authority, LATER)
    # An allocation ended and one created; a case closed with its team and category spells.
    assert later.changes.count() == 2 + 1 + 1 + 1
    services.undo(later, user=None)
    assert _snapshot(authority) == after_first


def test_a_first_import_undone_leaves_no_case(world, monkeypatch):
    from workforce.imports import services
    from workforce.imports.base import _IMPORTERS

    monkeypatch.setitem(_IMPORTERS, "cases", CaseImporter())
    authority = world["authority"]
    services.undo(_imported(authority, FIRST), user=None)
    assert not any(_snapshot(authority).values())


def test_a_file_that_cannot_be_read_to_the_end_is_refused_and_leaves_no_working_table(world):
    broken = FIRST + "MOS-9," + "x" * 200_000 + "\n"  # past the csv module's field limit
    outcome = run(world["authority"], broken)
    assert [p.code for p in outcome.errors] == [Code.NOT_A_TABLE]
    assert outcome.changes == 0
    assert not Case.objects.exists()
    for table in ("ci_row", "ci_case"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {table}")  # noqa: S608


def test_a_workbook_reads_as_the_csv_does(world):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Allocations extract (synthetic)"])
    sheet.append(HEADER.strip().split(","))
    sheet.append(
        [
            1001,
            dt.datetime(2025, 4, 1),
            None,
            "Assessment North",
            "cin",
            False,
            "S1",
            dt.datetime(2025, 4, 1),
            45838,
            None,
        ]
    )  # 30 June 2025 as an Excel serial
    sheet.append(
        [
            1001,
            dt.datetime(2025, 4, 1),
            None,
            "Assessment North",
            "cin",
            False,
            "S2",
            "01/07/2025",
            None,
            None,
        ]
    )
    out = io.BytesIO()
    book.save(out)
    outcome = read(CaseImporter(), world["authority"], out.getvalue(), apply=True)
    assert not outcome.errors, outcome.errors
    case = Case.objects.get(child_ref=ref("1001"))
    assert [(a.start, a.end) for a in case.allocations.order_by("start")] == [
        (D(2025, 4, 1), D(2025, 7, 1)),
        (D(2025, 7, 1), None),
    ]
