"""Agency assignments, leavers and absences read from lists: each creates through the services,
the same file again changes nothing, a dry run changes nothing, local codes mapped once are
understood, and a bad row (unknown person, bad date, unknown code, contradictory rows, refused
by the rules) is reported by line, column, value and code with nothing changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from workforce.establishment.models import (
    Absence,
    AgencyCover,
    Engagement,
    EngagementEnd,
    EngagementKind,
    Leaving,
    Worker,
)
from workforce.establishment.tests.test_importers import ESTABLISHMENT, STAFF, codes, run
from workforce.establishment.tests.test_importers import snapshot as structure_snapshot
from workforce.imports import mappings
from workforce.imports.models import ImportStatus
from workforce.imports.tabular import Code

D = dt.date

AGENCY = b"""\
Agency worker reference,SWE number,First name,Last name,Post reference,FTE,Start date,End date,\
Agency,Hourly charge rate,Covers,Covering for
AG1,SW2000000001,Jo,March,AS-002,0.5,01/07/2024,,Bluebell Locums,45.50,Vacancy,
,SW2000000002,Kit,Moss,AS-001,1,01/09/2025,31/01/2026,Fernside Interim Partners,,Absence,E100
"""

LEAVERS = b"""\
Employee number,Last day,Reason for leaving,Destination,Exit interview
E101,31/10/2025,1,3,Yes
"""

ABSENCES = b"""\
Staff number,First day of absence,Last day of absence,Absence type,Days lost
E100,03/03/2025,07/03/2025,SIC,5
E102,01/09/2025,,Maternity/paternity leave,60
"""


def snapshot(authority) -> list:
    return [
        *structure_snapshot(authority),
        list(Absence.objects.filter(authority=authority).order_by("pk").values()),
    ]


def without(data: bytes, text: bytes) -> bytes:
    return b"\n".join(line for line in data.split(b"\n") if text not in line)


@pytest.fixture
def staffed(authority, reference_data):
    for kind, data in (("establishment", ESTABLISHMENT), ("staff", STAFF)):
        _run, outcome = run(kind, authority, data)
        assert not outcome.errors, outcome.errors
    return authority


# Agency assignments ----------------------------------------------------------------------------


def test_a_dry_run_of_agency_assignments_changes_nothing(staffed):
    before = snapshot(staffed)

    import_run, outcome = run("agency", staffed, AGENCY, apply=False)

    assert import_run.status == ImportStatus.PREVIEWED
    assert snapshot(staffed) == before
    assert outcome.counts == {"worker": {"create": 2}, "assignment": {"create": 2}}
    assert not outcome.problems


def test_agency_assignments_are_started_through_the_services(staffed):
    _run, outcome = run("agency", staffed, AGENCY)

    assert not outcome.errors, outcome.errors
    jo = Engagement.objects.get(worker__staff_number="AG1")
    assert (jo.kind, jo.post.reference, jo.fte, jo.start, jo.end) == (
        EngagementKind.AGENCY,
        "AS-002",
        Decimal("0.50"),
        D(2024, 7, 1),
        None,
    )
    assert (jo.agency_name, jo.charge_rate, jo.covers) == (
        "Bluebell Locums",
        Decimal("45.50"),
        AgencyCover.VACANCY,
    )
    # No reference: the SWE number is the agency worker's reference; the file gives the last day.
    kit = Engagement.objects.get(worker__staff_number="SW2000000002")
    assert kit.worker.swe_number == "SW2000000002"
    assert (kit.start, kit.end, kit.charge_rate) == (D(2025, 9, 1), D(2026, 2, 1), None)
    assert (kit.covers, kit.covering_for.staff_number) == (AgencyCover.ABSENCE, "E100")
    assert LogEntry.objects.get_for_object(kit).count() == 1


def test_the_same_agency_list_again_changes_nothing(staffed):
    run("agency", staffed, AGENCY)
    before = snapshot(staffed)

    _run, outcome = run("agency", staffed, AGENCY)

    assert outcome.changes == 0
    assert outcome.counts == {"worker": {"match": 2}, "assignment": {"match": 2}}
    assert not outcome.problems
    assert snapshot(staffed) == before


def test_an_end_date_now_given_ends_the_assignment(staffed):
    run("agency", staffed, AGENCY)
    ended = AGENCY.replace(b"01/07/2024,,Bluebell", b"01/07/2024,30/11/2025,Bluebell")

    _run, outcome = run("agency", staffed, ended)

    assert outcome.counts["assignment"] == {"close": 1, "match": 1}
    jo = Engagement.objects.get(worker__staff_number="AG1")
    assert (jo.end, jo.end_reason) == (D(2025, 12, 1), EngagementEnd.ASSIGNMENT_ENDED)
    _again, again = run("agency", staffed, ended)
    assert again.changes == 0


def test_an_assignment_no_longer_listed_has_its_end_proposed(staffed):
    run("agency", staffed, AGENCY)
    without_jo = without(AGENCY, b"AG1")

    preview, checked = run("agency", staffed, without_jo, apply=False)

    assert checked.counts["assignment"] == {"match": 1, "close": 1}
    (warning,) = [w for w in checked.warnings if w.code == Code.NOT_LISTED]
    assert warning.record == "Agency worker AG1" and "history is kept" in warning.message
    assert (warning.column, warning.value) == ("Agency worker reference", "AG1")
    assert Engagement.objects.get(worker__staff_number="AG1").end is None  # only proposed

    _run, outcome = run("agency", staffed, without_jo)

    jo = Engagement.objects.get(worker__staff_number="AG1")
    assert (jo.end, jo.end_reason) == (timezone.localdate(), EngagementEnd.ASSIGNMENT_ENDED)
    # Kit's assignment ended in January: it is not running, so nothing is proposed for it.
    assert Engagement.objects.get(worker__staff_number="SW2000000002").end == D(2026, 2, 1)
    _again, again = run("agency", staffed, without_jo)
    assert again.changes == 0


def test_a_local_cover_mapped_once_is_understood(staffed):
    mappings.save_code_mapping(
        authority=staffed, list_name="agency_cover", local="Vacant post", code="vacancy"
    )
    data = AGENCY.replace(b"45.50,Vacancy", b"45.50,Vacant post")

    _run, outcome = run("agency", staffed, data)

    assert not outcome.errors, outcome.errors
    assert Engagement.objects.get(worker__staff_number="AG1").covers == AgencyCover.VACANCY


def test_bad_agency_rows_change_nothing_and_are_each_explained(staffed):
    data = AGENCY + (
        b"AG3,,Al,Ray,AS-404,1,01/07/2024,,Bluebell Locums,,Vacancy,\n"
        b"AG4,,Bo,Ray,AS-003,1,31/02/2024,,Bluebell Locums,,Locum,\n"
        b"AG5,,Cy,Ray,AS-003,0.5,01/07/2024,,Bluebell Locums,,Absence,E999\n"
        b",,Di,Ray,AS-003,0.5,01/07/2024,,Bluebell Locums,,Vacancy,\n"
        b"AG1,SW2000000001,Jo,March,AS-002,0.8,01/07/2024,,Bluebell Locums,45.50,Vacancy,\n"
    )
    before = snapshot(staffed)

    import_run, outcome = run("agency", staffed, data)

    assert import_run.status == ImportStatus.REFUSED
    assert snapshot(staffed) == before
    assert codes(outcome) == [
        (Code.UNKNOWN_RECORD, 4, "Post reference", "AS-404"),
        (Code.DATE, 5, "Start date", "31/02/2024"),
        (Code.UNKNOWN_CODE, 5, "Covers", "Locum"),
        (Code.UNKNOWN_RECORD, 6, "Covering for", "E999"),
        (Code.REQUIRED, 7, "Agency worker reference", ""),
        (Code.CONTRADICTS, 8, "Agency worker reference", "AG1"),
    ]
    assert "Line 2" in outcome.errors[-1].message and "FTE" in outcome.errors[-1].message


def test_the_rules_refuse_an_agency_row_against_its_column(staffed):
    # Kit holds AS-001 full time from September 2025: a second full-time post at once is refused.
    data = AGENCY + (
        b",SW2000000002,Kit,Moss,AS-003,1,01/10/2025,,Fernside Interim Partners,,Extra capacity,\n"
    )

    import_run, outcome = run("agency", staffed, data)

    assert import_run.status == ImportStatus.REFUSED
    assert codes(outcome) == [(Code.REFUSED, 4, "FTE", "1")]
    assert not Worker.objects.filter(staff_number="SW2000000002").exists()


# Leavers ---------------------------------------------------------------------------------------


def test_a_dry_run_of_leavers_changes_nothing(staffed):
    before = snapshot(staffed)

    import_run, outcome = run("leavers", staffed, LEAVERS, apply=False)

    assert import_run.status == ImportStatus.PREVIEWED
    assert snapshot(staffed) == before
    assert outcome.counts == {"leaving": {"create": 1}}


def test_a_leaver_is_recorded_through_the_service(staffed):
    _run, outcome = run("leavers", staffed, LEAVERS)

    assert not outcome.errors, outcome.errors
    leaving = Leaving.objects.get(worker__staff_number="E101")
    assert (leaving.last_day, leaving.reason, leaving.destination) == (D(2025, 10, 31), "1", "3")
    assert leaving.exit_interview_done and leaving.fte == Decimal("0.50")
    tom = Engagement.objects.get(worker__staff_number="E101")
    assert (tom.end, tom.end_reason) == (D(2025, 11, 1), EngagementEnd.LEFT)


def test_the_same_leavers_again_change_nothing(staffed):
    run("leavers", staffed, LEAVERS)
    before = snapshot(staffed)

    _run, outcome = run("leavers", staffed, LEAVERS)

    assert outcome.changes == 0
    assert outcome.counts == {"leaving": {"match": 1}}
    assert not outcome.problems
    assert snapshot(staffed) == before


def test_a_recorded_leaving_said_otherwise_keeps_the_systems(staffed):
    run("leavers", staffed, LEAVERS)

    _run, outcome = run("leavers", staffed, LEAVERS.replace(b",1,3,", b",5,3,"))

    assert outcome.changes == 0
    (warning,) = outcome.warnings
    assert (warning.code, warning.column, warning.value) == (Code.KEPT, "Reason for leaving", "5")
    assert Leaving.objects.get(worker__staff_number="E101").reason == "1"


def test_a_local_leaving_reason_mapped_once_is_understood(staffed):
    mappings.save_code_mapping(
        authority=staffed, list_name="reason_leave", local="Resigned - personal", code="1"
    )

    _run, outcome = run("leavers", staffed, LEAVERS.replace(b",1,3,", b",Resigned - Personal,3,"))

    assert not outcome.errors, outcome.errors
    assert Leaving.objects.get(worker__staff_number="E101").reason == "1"


def test_bad_leaver_rows_change_nothing_and_are_each_explained(staffed):
    data = LEAVERS + (
        b"E999,31/10/2025,1,,\n"  # no such person
        b"E100,30/04/2024,1,,\n"  # before they started: a later engagement
        b"E102,31/13/2025,1,,\n"
        b"E102,31/10/2025,Fired,,\n"
        b"E101,30/11/2025,1,3,Yes\n"  # Tom again, another last day
    )
    before = snapshot(staffed)

    import_run, outcome = run("leavers", staffed, data)

    assert import_run.status == ImportStatus.REFUSED
    assert snapshot(staffed) == before
    assert codes(outcome) == [
        (Code.UNKNOWN_RECORD, 3, "Employee number", "E999"),
        (Code.REFUSED, 4, "Last day", "30/04/2024"),
        (Code.DATE, 5, "Last day", "31/13/2025"),
        (Code.UNKNOWN_CODE, 6, "Reason for leaving", "Fired"),
        (Code.CONTRADICTS, 7, "Employee number", "E101"),
    ]
    assert "starting 1 May 2024" in outcome.errors[1].message


def test_someone_not_employed_on_the_last_day_is_refused(staffed):
    run("leavers", staffed, LEAVERS)
    later = LEAVERS.replace(b"E101,31/10/2025", b"E101,31/12/2025")

    import_run, outcome = run("leavers", staffed, later)

    assert import_run.status == ImportStatus.REFUSED
    assert codes(outcome) == [(Code.REFUSED, 2, "Last day", "31/12/2025")]
    assert "not employed by the authority" in outcome.errors[0].message
    assert Leaving.objects.filter(worker__staff_number="E101").count() == 1


# Absences --------------------------------------------------------------------------------------


def test_a_dry_run_of_absences_changes_nothing(staffed):
    before = snapshot(staffed)

    import_run, outcome = run("absences", staffed, ABSENCES, apply=False)

    assert import_run.status == ImportStatus.PREVIEWED
    assert snapshot(staffed) == before
    assert outcome.counts == {"absence": {"create": 2}}


def test_absences_are_recorded_with_the_day_after_the_last_day_as_end(staffed):
    _run, outcome = run("absences", staffed, ABSENCES)

    assert not outcome.errors, outcome.errors
    ann = Absence.objects.get(worker__staff_number="E100")
    assert (ann.start, ann.end, ann.reason, ann.working_days_lost) == (
        D(2025, 3, 3),
        D(2025, 3, 8),  # the file's last day is 7 March
        "SIC",
        Decimal("5.00"),
    )
    ruth = Absence.objects.get(worker__staff_number="E102")
    assert (ruth.end, ruth.reason) == (None, "MAT")


def test_the_same_absences_again_change_nothing(staffed):
    run("absences", staffed, ABSENCES)
    before = snapshot(staffed)

    _run, outcome = run("absences", staffed, ABSENCES)

    assert outcome.changes == 0
    assert outcome.counts == {"absence": {"match": 2}}
    assert snapshot(staffed) == before


def test_an_absence_that_has_ended_is_ended_through_the_service_and_audited(staffed):
    run("absences", staffed, ABSENCES)
    ended = ABSENCES.replace(
        b"E102,01/09/2025,,Maternity/paternity leave,60", b"E102,01/09/2025,27/02/2026,MAT,125"
    )

    _run, outcome = run("absences", staffed, ended)

    assert not outcome.errors, outcome.errors
    assert outcome.counts == {"absence": {"match": 1, "change": 1}}
    ruth = Absence.objects.get(worker__staff_number="E102")
    assert (ruth.end, ruth.working_days_lost) == (D(2026, 2, 28), Decimal("125.00"))
    entries = LogEntry.objects.get_for_object(ruth).order_by("timestamp")
    assert entries.count() == 2 and "end" in entries.last().changes_dict
    _again, again = run("absences", staffed, ended)
    assert again.changes == 0


def test_a_local_absence_reason_mapped_once_is_understood(staffed):
    mappings.save_code_mapping(
        authority=staffed, list_name="reason_absence", local="Sickness", code="SIC"
    )

    _run, outcome = run("absences", staffed, ABSENCES.replace(b",SIC,", b",Sickness,"))

    assert not outcome.errors, outcome.errors
    assert Absence.objects.get(worker__staff_number="E100").reason == "SIC"


def test_bad_absence_rows_change_nothing_and_are_each_explained(staffed):
    data = ABSENCES + (
        b"E999,03/03/2025,,SIC,1\n"  # no such person
        b"E100,05/03/2025,06/03/2025,SIC,2\n"  # overlaps the absence on line 2
        b"E100,01/01/2024,02/01/2024,SIC,2\n"  # before Ann held a post
        b"E101,01/03/2025,,Flu,1\n"
        b"E101,01/04/2025,31/03/2025,SIC,0\n"  # ends before it starts
        b"E100,03/03/2025,07/03/2025,SIC,4\n"  # line 2 again with other days lost
    )
    before = snapshot(staffed)

    import_run, outcome = run("absences", staffed, data)

    assert import_run.status == ImportStatus.REFUSED
    assert snapshot(staffed) == before
    assert codes(outcome) == [
        (Code.UNKNOWN_RECORD, 4, "Staff number", "E999"),
        (Code.REFUSED, 5, "First day of absence", "05/03/2025"),
        (Code.REFUSED, 6, "First day of absence", "01/01/2024"),
        (Code.UNKNOWN_CODE, 7, "Absence type", "Flu"),
        (Code.REFUSED, 8, "Last day of absence", "31/03/2025"),
        (Code.CONTRADICTS, 9, "First day of absence", "03/03/2025"),
    ]
    assert "holds no post on 1 January 2024" in outcome.errors[2].message


def test_a_reference_that_is_someone_elses_staff_number_is_refused(staffed):
    data = AGENCY.replace(b"AG1,SW2000000001,Jo,March", b"E100,,Jo,March")

    import_run, outcome = run("agency", staffed, data)

    assert import_run.status == ImportStatus.REFUSED
    assert codes(outcome) == [(Code.CONFLICT, 2, "Agency worker reference", "E100")]
    assert "Ann Lee" in outcome.errors[0].message
    assert Worker.objects.get(staff_number="E100").first_name == "Ann"


def test_a_changed_fte_changes_from_today_and_other_terms_are_kept(staffed):
    run("agency", staffed, AGENCY)
    changed = AGENCY.replace(
        b"AS-002,0.5,01/07/2024,,Bluebell Locums,45.50", b"AS-002,0.4,01/07/2024,,Bluebell,52"
    )

    _run, outcome = run("agency", staffed, changed)

    assert outcome.counts["assignment"] == {"change": 1, "match": 1}
    today = timezone.localdate()
    jo = Engagement.objects.filter(worker__staff_number="AG1").order_by("start")
    assert [(e.start, e.end, e.fte) for e in jo] == [
        (D(2024, 7, 1), today, Decimal("0.50")),
        (today, None, Decimal("0.40")),
    ]
    assert [(w.code, w.column) for w in outcome.warnings] == [
        (Code.KEPT, "Agency"),
        (Code.KEPT, "Hourly charge rate"),
    ]
    assert jo.last().charge_rate == Decimal("45.50")


def test_a_leavers_import_and_an_absence_corrected_can_be_undone(staffed):
    from workforce.imports import services as imports
    from workforce.imports.base import importer_for

    def imported(kind: str, data: bytes):
        importer = importer_for(kind)
        assert importer is not None
        import_run, outcome = imports.import_file(
            importer, staffed, data=data, filename="f.csv", user=None, now=timezone.now()
        )
        assert not outcome.errors, outcome.errors
        return import_run

    leavers_run = imported("leavers", LEAVERS)
    imported("absences", ABSENCES)
    ended_run = imported(
        "absences",
        ABSENCES.replace(
            b"E102,01/09/2025,,Maternity/paternity leave,60",
            b"E102,01/09/2025,27/02/2026,MAT,125",
        ),
    )

    imports.undo(ended_run, user=None)
    ruth = Absence.objects.get(worker__staff_number="E102")
    assert (ruth.end, ruth.working_days_lost) == (None, Decimal("60.00"))
    imports.undo(leavers_run, user=None)
    assert not Leaving.objects.filter(authority=staffed).exists()
    tom = Engagement.objects.get(worker__staff_number="E101")
    assert (tom.end, tom.end_reason) == (None, "")


def test_amounts_with_too_many_places_are_refused_against_their_column(staffed):
    agency = AGENCY.replace(b"45.50,Vacancy", b"45.555,Vacancy")
    absences = ABSENCES.replace(b",SIC,5", b",SIC,2.125")

    _agency_run, agency_outcome = run("agency", staffed, agency)
    _absences_run, absences_outcome = run("absences", staffed, absences)

    assert codes(agency_outcome) == [(Code.REFUSED, 2, "Hourly charge rate", "45.555")]
    assert codes(absences_outcome) == [(Code.REFUSED, 2, "Days lost", "2.125")]
