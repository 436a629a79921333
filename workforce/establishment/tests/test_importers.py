"""The establishment and staff extracts: a dry run changes nothing, an import keeps it all through
the services, the same file again changes nothing, someone no longer listed has their
engagement's end proposed, and contradictory rows, unknown codes or a half-bad file change
nothing and are reported row by row."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook

from workforce.establishment.models import (
    Engagement,
    EngagementEnd,
    Leaving,
    Post,
    Role,
    Team,
    Worker,
)
from workforce.imports import mappings, services
from workforce.imports.base import importer_for
from workforce.imports.models import ImportStatus
from workforce.imports.tabular import Code

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)

ESTABLISHMENT = b"""Post reference,Team,Service area,Role,Census OrgRole,Budgeted FTE,Start date
AS-001,Assessment West,Assessment,Social worker,5,1,01/04/2024
AS-002,Assessment West,,Social worker,5,0.5,2024-04-01
AS-003,Assessment West,,Team manager,3,1,1 April 2024
"""

STAFF = b"""\
Employee No,Forename,Surname,SWE number,Gender,Post reference,FTE,Start date,Contract type
E100,Ann,Lee,SW1000000001,2,AS-001,1,01/05/2024,Permanent
E101,Tom,Best,,1,AS-002,0.5,01-Jun-2024,Permanent
E102,Ruth,Khan,SW1000000003,2,AS-003,1,45444,Permanent
"""


def run(kind: str, authority, data: bytes, *, apply: bool = True, mapping: str = ""):
    importer = importer_for(kind)
    assert importer is not None
    options = {"mapping": mapping} if mapping else None
    if apply:
        return services.import_file(
            importer, authority, data=data, filename="f.csv", user=None, now=NOW, options=options
        )
    return services.check(
        importer, authority, data=data, filename="f.csv", user=None, options=options
    )


def snapshot(authority) -> list:
    return [
        list(Team.objects.filter(authority=authority).order_by("pk").values()),
        list(Role.objects.filter(authority=authority).order_by("pk").values()),
        list(Post.objects.filter(authority=authority).order_by("pk").values()),
        list(Worker.objects.filter(authority=authority).order_by("pk").values()),
        list(Engagement.objects.filter(authority=authority).order_by("pk").values()),
        list(Leaving.objects.filter(authority=authority).order_by("pk").values()),
    ]


def codes(outcome) -> list[tuple]:
    return [(p.code, p.line, p.column, p.value) for p in outcome.errors]


@pytest.fixture
def structure(authority, reference_data):
    _run, outcome = run("establishment", authority, ESTABLISHMENT)
    assert not outcome.errors, outcome.errors
    return authority


# The establishment ----------------------------------------------------------------------------


def test_a_dry_run_of_the_establishment_says_what_it_would_do_and_changes_nothing(
    authority, reference_data
):
    before = snapshot(authority)

    import_run, outcome = run("establishment", authority, ESTABLISHMENT, apply=False)

    assert import_run.status == ImportStatus.PREVIEWED
    assert snapshot(authority) == before
    assert outcome.counts == {
        "team": {"create": 1},
        "role": {"create": 2},
        "post": {"create": 3},
    }
    assert [e.line for e in outcome.entries if e.what == "post"] == [2, 3, 4]


def test_the_establishment_is_imported_through_the_services(structure):
    post = Post.objects.get(authority=structure, reference="AS-002")

    assert post.team.name == "Assessment West" and post.team.service_area == "assessment"
    assert (post.role.title, post.role.org_role, post.role.case_holding) == (
        "Social worker",
        "5",
        True,
    )
    assert post.funding.get().fte == Decimal("0.50")
    assert post.start == dt.date(2024, 4, 1)


def test_the_same_establishment_again_changes_nothing(structure):
    before = snapshot(structure)

    import_run, outcome = run("establishment", structure, ESTABLISHMENT)

    assert import_run.status == ImportStatus.APPLIED
    assert outcome.changes == 0
    assert set(outcome.counts["post"]) == {"match"}
    assert snapshot(structure) == before


def test_a_changed_budget_changes_from_today_and_keeps_the_past(structure):
    changed = ESTABLISHMENT.replace(
        b"AS-002,Assessment West,,Social worker,5,0.5",
        b"AS-002,Assessment West,,Social worker,5,0.8",
    )

    _run, outcome = run("establishment", structure, changed)

    post = Post.objects.get(authority=structure, reference="AS-002")
    today = timezone.localdate()
    assert outcome.counts["post"] == {"match": 2, "change": 1}
    assert [(f.fte, f.start) for f in post.funding.order_by("start")] == [
        (Decimal("0.50"), dt.date(2024, 4, 1)),
        (Decimal("0.80"), today),
    ]


def test_contradictory_posts_and_unknown_codes_change_nothing(authority, reference_data):
    data = ESTABLISHMENT + (
        b"AS-001,Assessment West,,Social worker,5,0.5,01/04/2024\n"
        b"AS-009,Front Door,Somewhere,Social worker,5,1,01/04/2024\n"
    )
    before = snapshot(authority)

    import_run, outcome = run("establishment", authority, data)

    assert import_run.status == ImportStatus.REFUSED
    assert snapshot(authority) == before
    assert codes(outcome) == [
        (Code.CONTRADICTS, 5, "Post reference", "AS-001"),
        (Code.UNKNOWN_CODE, 6, "Service area", "Somewhere"),
    ]


# Staff ----------------------------------------------------------------------------------------


def test_a_dry_run_of_staff_changes_nothing(structure):
    before = snapshot(structure)

    import_run, outcome = run("staff", structure, STAFF, apply=False)

    assert import_run.status == ImportStatus.PREVIEWED
    assert snapshot(structure) == before
    assert outcome.counts == {"worker": {"create": 3}, "engagement": {"create": 3}}


def test_staff_are_imported_with_their_engagements(structure):
    _run, outcome = run("staff", structure, STAFF)

    assert not outcome.errors
    ann = Worker.objects.get(authority=structure, staff_number="E100")
    assert (ann.first_name, ann.last_name, ann.swe_number, ann.gender) == (
        "Ann",
        "Lee",
        "SW1000000001",
        "2",
    )
    ruth = Engagement.objects.get(worker__staff_number="E102")
    assert (ruth.post.reference, ruth.start, ruth.fte) == ("AS-003", dt.date(2024, 6, 1), 1)
    tom = Engagement.objects.get(worker__staff_number="E101")
    assert tom.start == dt.date(2024, 6, 1) and tom.fte == Decimal("0.50")


def test_the_same_staff_file_again_is_no_change_on_every_row(structure):
    run("staff", structure, STAFF)
    before = snapshot(structure)

    _run, outcome = run("staff", structure, STAFF)

    assert outcome.changes == 0
    assert outcome.counts == {"worker": {"match": 3}, "engagement": {"match": 3}}
    assert snapshot(structure) == before


def test_someone_no_longer_listed_has_their_engagement_end_proposed(structure):
    run("staff", structure, STAFF)
    without_tom = b"\n".join(line for line in STAFF.split(b"\n") if b"E101" not in line)

    preview, checked = run("staff", structure, without_tom, apply=False)

    assert checked.counts["engagement"] == {"match": 2, "close": 1}
    (warning,) = [w for w in checked.warnings if w.code == Code.NOT_LISTED]
    assert warning.record == "Staff number E101" and "history is kept" in warning.message
    assert (warning.column, warning.value) == ("Employee No", "E101")
    assert Engagement.objects.get(worker__staff_number="E101").end is None  # only proposed

    _run, outcome = run("staff", structure, without_tom)

    engagement = Engagement.objects.get(worker__staff_number="E101")
    assert engagement.end == timezone.localdate()
    assert engagement.end_reason == EngagementEnd.LEFT
    assert Worker.objects.filter(staff_number="E101").exists()  # history kept
    _again, again = run("staff", structure, without_tom)
    assert again.changes == 0


def test_a_leaver_row_records_the_leaving_with_a_mapped_local_reason(structure):
    run("staff", structure, STAFF)
    mappings.save_code_mapping(
        authority=structure, list_name="reason_leave", local="Resigned - personal", code="1"
    )
    data = STAFF.replace(b"Contract type\n", b"Contract type,Leaving date,Leaving reason\n")
    data = data.replace(
        b"01-Jun-2024,Permanent\n", b"01-Jun-2024,Permanent,31/01/2026,Resigned - Personal\n"
    )

    _run, outcome = run("staff", structure, data)

    assert not outcome.errors, outcome.errors
    leaving = Leaving.objects.get(worker__staff_number="E101")
    assert (leaving.last_day, leaving.reason) == (dt.date(2026, 1, 31), "1")
    assert outcome.counts["leaving"] == {"close": 1}
    _again, again = run("staff", structure, data)
    assert again.changes == 0


def test_contradictory_rows_for_one_staff_number_change_nothing(structure):
    data = STAFF + b"E100,Ann,Leigh,SW1000000001,2,AS-001,1,01/05/2024,Permanent\n"
    before = snapshot(structure)

    import_run, outcome = run("staff", structure, data)

    assert import_run.status == ImportStatus.REFUSED
    assert snapshot(structure) == before
    (problem,) = outcome.errors
    assert (problem.code, problem.line, problem.column) == (Code.CONTRADICTS, 5, "Employee No")
    assert "Line 2" in problem.message and "Surname" in problem.message


def test_a_half_bad_file_changes_nothing_and_explains_each_row(structure):
    data = STAFF + (
        b"E103,Sam,Ng,,7,AS-001,0.5,01/05/2024,Permanent\n"
        b"E104,Joe,Ro,,1,AS-404,1,01/05/2024,Permanent\n"
        b'E105,Amy,Li,,2,AS-001,"0,5",31/02/2024,Permanent\n'
    )
    before = snapshot(structure)

    import_run, outcome = run("staff", structure, data)

    assert import_run.status == ImportStatus.REFUSED
    assert snapshot(structure) == before
    assert codes(outcome) == [
        (Code.UNKNOWN_CODE, 5, "Gender", "7"),
        (Code.UNKNOWN_RECORD, 6, "Post reference", "AS-404"),
        (Code.DECIMAL_COMMA, 7, "FTE", "0,5"),
        (Code.DATE, 7, "Start date", "31/02/2024"),
    ]


def test_impossible_details_are_refused_by_row_and_column(structure):
    data = (
        b"Employee No,Forename,Surname,SWE number,Date of birth,Post reference,FTE,Start date\n"
        b"E100,Ann,Lee,SW1000000001,17/05/1990,AS-001,1,01/05/2024\n"
        b"E101,Tom,Best,abc,01/01/1985,AS-002,0.5,01/06/2024\n"
        b"E102,Ruth,Khan,,01/01/2090,AS-003,1,01/06/2024\n"
    )
    before = snapshot(structure)

    import_run, outcome = run("staff", structure, data)

    assert import_run.status == ImportStatus.REFUSED
    assert snapshot(structure) == before
    assert codes(outcome) == [
        (Code.REFUSED, 3, "SWE number", "abc"),
        (Code.REFUSED, 4, "Date of birth", "01/01/2090"),
    ]
    assert "SW followed by its digits" in outcome.errors[0].message
    assert outcome.errors[1].message == "The date of birth cannot be in the future."


def test_a_social_work_england_number_in_lower_case_is_kept_upper_case(structure):
    data = STAFF.replace(b"SW1000000001", b"sw 100 000 0001")
    _run, outcome = run("staff", structure, data)
    assert not outcome.errors, outcome.errors
    assert Worker.objects.get(staff_number="E100").swe_number == "SW1000000001"


def test_a_saved_column_mapping_is_used_next_month(structure):
    mappings.save_column_mapping(
        authority=structure,
        kind="staff",
        name="iTrent staff extract",
        columns={"staff_number": "Person Ref", "last_name": "Family"},
    )
    data = STAFF.replace(b"Employee No", b"Person Ref").replace(b"Surname", b"Family")

    without, _ = run("staff", structure, data, apply=False)
    import_run, outcome = run("staff", structure, data, mapping="iTrent staff extract")

    assert without.status == ImportStatus.REFUSED
    assert without.problems[0]["code"] == Code.MISSING_COLUMN
    assert import_run.status == ImportStatus.APPLIED
    assert import_run.options == {"mapping": "iTrent staff extract"}
    assert Worker.objects.filter(authority=structure, staff_number="E100").exists()


def test_an_itrent_like_workbook_with_formulas_is_refused_cell_by_cell(structure):
    book = Workbook()
    sheet = book.active
    sheet.append(["Employee No", "Forename", "Surname", "Post reference", "FTE", "Start date"])
    sheet.append(["E100", "Ann", "Lee", "AS-001", "=2/2", dt.datetime(2024, 5, 1)])
    out = io.BytesIO()
    book.save(out)

    import_run, outcome = run("staff", structure, out.getvalue())

    assert import_run.status == ImportStatus.REFUSED
    assert codes(outcome) == [(Code.FORMULA, 2, "FTE", "=2/2")]


def test_a_header_with_no_rows_under_it_closes_nobody(structure):
    run("staff", structure, STAFF)
    header_only = STAFF.split(b"\n")[0] + b"\n\n,,,\n"

    import_run, outcome = run("staff", structure, header_only)

    assert import_run.status == ImportStatus.REFUSED
    assert codes(outcome) == [(Code.NO_ROWS, 1, "", "")]
    assert Engagement.objects.filter(authority=structure, end__isnull=True).count() == 3


def test_a_renamed_program_is_refused_by_its_contents(structure, tmp_path):
    import_run, outcome = run("staff", structure, b"MZ\x90\x00" + bytes(64))

    assert import_run.status == ImportStatus.REFUSED
    assert outcome.errors[0].code == Code.NOT_A_TABLE
    assert "Windows program" in outcome.errors[0].message


def test_columns_nothing_reads_are_named_in_one_warning(structure):
    data = STAFF.replace(b"Contract type\n", b"Contract type,Car allowance\n")
    data = data.replace(b",Permanent\n", b",Permanent,Yes\n")

    _run, outcome = run("staff", structure, data, apply=False)

    (warning,) = [w for w in outcome.warnings if w.code == Code.NOT_READ]
    assert "Car allowance" in warning.message and warning.line == 1
