"""Correcting a programme: its details, stages and reviews, withdrawing a member, and the
refusals that keep members' past capacity, reviews and census status as they were.

The member joins the ASYE (Induction months 0 to 6 at 80%, Consolidation 6 to 12 at 90%,
reviews at 3, 6 and 12 months) on 15 January 2024. On 1 April 2024 they are in month 2: they
have lived through months 0, 1 and 2, all in Induction.
"""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from workforce.careers import selectors_programmes as selectors
from workforce.careers import services_programmes as services
from workforce.careers.models import CohortMember, MemberStatus, Programme, ProgrammeStage
from workforce.careers.tests.test_programmes import START, asye, member_in
from workforce.caseloads.tests.factories import worker_in_post
from workforce.conftest import Personas
from workforce.core.access import scope_for
from workforce.core.models import Authority, PersonalDataAccess
from workforce.establishment.tests.factories import RoleFactory

D = dt.date
MONTH_TWO = D(2024, 4, 1)


def refusal(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


def stages_of(programme: Programme) -> dict[str, ProgrammeStage]:
    return {s.name: s for s in programme.stages.all()}


def change(stage: ProgrammeStage, **fields: object) -> ProgrammeStage:
    values: dict[str, object] = {
        "name": stage.name,
        "from_month": stage.from_month,
        "to_month": stage.to_month,
        "protected_percent": stage.protected_percent,
        "today": MONTH_TWO,
    }
    values.update(fields)
    return services.change_stage(stage=stage, **values)  # type: ignore[arg-type]


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


# The programme's details ---------------------------------------------------------------------


def test_a_programme_is_renamed_and_described(authority: Authority) -> None:
    programme = asye(authority)

    services.change_programme(
        programme=programme,
        name="  Assessed year  ",
        length_months=12,
        description=" The first year. ",
    )

    programme.refresh_from_db()
    assert (programme.name, programme.description) == ("Assessed year", "The first year.")


def test_bad_programme_details_are_refused_naming_the_field(authority: Authority) -> None:
    programme = asye(authority)
    services.create_programme(authority=authority, name="Step up", length_months=6)

    with pytest.raises(ValidationError) as empty:
        services.change_programme(programme=programme, name="  ", length_months=12)
    with pytest.raises(ValidationError) as taken:
        services.change_programme(programme=programme, name="step up", length_months=12)
    with pytest.raises(ValidationError) as nought:
        services.change_programme(programme=programme, name="ASYE", length_months=0)
    with pytest.raises(ValidationError) as short:
        services.change_programme(programme=programme, name="ASYE", length_months=10)

    assert refusal(empty) == {"name": ["Enter the programme's name."]}
    assert refusal(taken) == {"name": ["There is already a programme called step up."]}
    assert refusal(nought) == {"length_months": ["The programme must last at least one month."]}
    assert refusal(short) == {
        "length_months": ["The stage Consolidation ends at month 12: change or delete it first."]
    }


def test_the_length_is_fixed_once_people_have_joined(personas: Personas) -> None:
    member = member_in(personas.own_team, asye(personas.own_team.authority))
    programme = member.cohort.programme

    with pytest.raises(ValidationError) as error:
        services.change_programme(programme=programme, name="ASYE", length_months=18)

    assert "cannot change once people have joined" in refusal(error)["length_months"][0]
    # The name still changes.
    services.change_programme(programme=programme, name="ASYE 2024", length_months=12)
    programme.refresh_from_db()
    assert (programme.name, programme.length_months) == ("ASYE 2024", 12)


# Stages --------------------------------------------------------------------------------------


def test_months_no_one_has_reached_change_and_past_capacity_stays(personas: Personas) -> None:
    member = member_in(personas.own_team, asye(personas.own_team.authority))
    stages = stages_of(member.cohort.programme)
    ids = [personas.own_team.authority_id]

    change(stages["Consolidation"], protected_percent=85)
    # Induction shortened to months 0 to 3: months 0 to 2, lived through, keep their 80%.
    change(stages["Induction"], to_month=3)

    assert selectors.protected_percents(authority_ids=ids, on=D(2024, 3, 20)) == {
        member.worker_id: 80
    }
    # Month 3 (from 15 April 2024) now falls between the stages: a full caseload.
    assert selectors.protected_percents(authority_ids=ids, on=D(2024, 4, 20)) == {}
    assert selectors.protected_percents(authority_ids=ids, on=D(2024, 8, 1)) == {
        member.worker_id: 85
    }


def test_changes_that_alter_a_past_capacity_are_refused(personas: Personas) -> None:
    member = member_in(personas.own_team, asye(personas.own_team.authority))
    stages = stages_of(member.cohort.programme)

    with pytest.raises(ValidationError) as percent:
        change(stages["Induction"], protected_percent=70)
    with pytest.raises(ValidationError) as shorter:
        change(stages["Induction"], to_month=2)
    with pytest.raises(ValidationError) as later:
        change(stages["Induction"], from_month=1)

    assert refusal(percent) == {
        "protected_percent": [
            "1 member has already lived through the months this changes: their protected "
            "caseload on past dates would change. Only months no member has reached yet can "
            "change; set up a new programme for later cohorts."
        ]
    }
    assert list(refusal(shorter)) == ["to_month"]
    assert list(refusal(later)) == ["from_month"]
    assert ProgrammeStage.objects.get(pk=stages["Induction"].pk).protected_percent == 80
    # The name is only a label: it changes.
    change(stages["Induction"], name="First six months")
    assert ProgrammeStage.objects.get(pk=stages["Induction"].pk).name == "First six months"


def test_bad_stage_values_are_refused_naming_the_field(authority: Authority) -> None:
    induction = stages_of(asye(authority))["Induction"]

    cases = {
        "name": {"name": " "},
        "from_month": {"from_month": -1},
        "to_month": {"to_month": 13},
        "protected_percent": {"protected_percent": 101},
    }
    for field, values in cases.items():
        with pytest.raises(ValidationError) as error:
            change(induction, **values)
        assert list(refusal(error)) == [field], values
    with pytest.raises(ValidationError) as nought:
        change(induction, protected_percent=0)
    with pytest.raises(ValidationError) as overlap:
        change(induction, to_month=8)

    assert refusal(nought)["protected_percent"] == [
        "The protected caseload must be between 1% and 100%."
    ]
    assert refusal(overlap)["from_month"] == ["The stage overlaps Consolidation (months 6 to 12)."]


def test_a_stage_added_over_lived_months_is_refused(personas: Personas) -> None:
    authority = personas.own_team.authority
    programme = services.create_programme(authority=authority, name="Framework", length_months=24)
    member_in(personas.own_team, programme)

    with pytest.raises(ValidationError) as error:
        services.add_stage(
            programme=programme,
            name="First months",
            from_month=0,
            to_month=6,
            protected_percent=80,
            today=MONTH_TWO,
        )
    services.add_stage(
        programme=programme,
        name="Year two",
        from_month=12,
        to_month=24,
        protected_percent=95,
        today=MONTH_TWO,
    )

    assert "already lived through" in refusal(error)["from_month"][0]
    assert list(programme.stages.values_list("name", flat=True)) == ["Year two"]


def test_a_stage_a_member_has_reached_is_not_deleted(personas: Personas) -> None:
    member = member_in(personas.own_team, asye(personas.own_team.authority))
    stages = stages_of(member.cohort.programme)

    with pytest.raises(ValidationError) as error:
        services.delete_stage(stage=stages["Induction"], today=MONTH_TWO)
    services.delete_stage(stage=stages["Consolidation"], today=MONTH_TWO)

    assert refusal(error) == {
        "stage": [
            "1 member has reached this stage already: it is part of their record and cannot "
            "be deleted."
        ]
    }
    assert services.stage_deletion_refusal(stages["Induction"], today=MONTH_TWO)
    assert list(member.cohort.programme.stages.values_list("name", flat=True)) == ["Induction"]


# Review points -------------------------------------------------------------------------------


def test_a_review_held_keeps_its_month_and_place(personas: Personas) -> None:
    member = member_in(personas.own_team, asye(personas.own_team.authority))
    points = {p.month: p for p in member.cohort.programme.review_points.all()}
    services.record_review(
        member=member, point=points[3], held_on=D(2024, 4, 16), outcome="on_track"
    )

    with pytest.raises(ValidationError) as moved:
        services.change_review_point(point=points[3], name="3-month review", month=4)
    with pytest.raises(ValidationError) as made_final:
        services.change_review_point(point=points[3], name="3-month review", month=3, final=True)
    renamed = services.change_review_point(point=points[3], name="First review", month=3)
    moved_later = services.change_review_point(point=points[6], name="7-month review", month=7)

    assert "its month cannot change" in refusal(moved)["month"][0]
    assert "final review cannot change" in refusal(made_final)["final"][0]
    assert (renamed.name, renamed.month) == ("First review", 3)
    assert (moved_later.name, moved_later.month) == ("7-month review", 7)


def test_bad_review_points_are_refused_naming_the_field(authority: Authority) -> None:
    points = {p.month: p for p in asye(authority).review_points.all()}

    with pytest.raises(ValidationError) as empty:
        services.change_review_point(point=points[6], name="", month=6)
    with pytest.raises(ValidationError) as beyond:
        services.change_review_point(point=points[6], name="Late", month=13)
    with pytest.raises(ValidationError) as taken:
        services.change_review_point(point=points[6], name="Twin", month=3)
    with pytest.raises(ValidationError) as second_final:
        services.change_review_point(point=points[6], name="Six", month=6, final=True)

    assert refusal(empty) == {"name": ["Enter the review's name."]}
    assert refusal(beyond) == {"month": ["The review must fall in the programme's 12 months."]}
    assert refusal(taken) == {"month": ["There is already a review at month 3."]}
    assert refusal(second_final) == {"final": ["The programme already has a final review."]}


def test_a_review_point_with_reviews_is_not_deleted(personas: Personas) -> None:
    member = member_in(personas.own_team, asye(personas.own_team.authority))
    points = {p.month: p for p in member.cohort.programme.review_points.all()}
    services.record_review(
        member=member, point=points[3], held_on=D(2024, 4, 16), outcome="on_track"
    )

    with pytest.raises(ValidationError) as error:
        services.delete_review_point(point=points[3])
    services.delete_review_point(point=points[6])

    assert refusal(error) == {
        "point": [
            "1 review is recorded against the 3-month review: it is part of members' records."
        ]
    }
    assert sorted(member.cohort.programme.review_points.values_list("month", flat=True)) == [3, 12]


# Withdrawing a member ------------------------------------------------------------------------


def test_a_withdrawn_member_leaves_progress_capacity_and_the_census(personas: Personas) -> None:
    member = member_in(personas.own_team, asye(personas.own_team.authority))
    authority = personas.own_team.authority
    scope = scope_for(personas.lead)

    services.withdraw_member(
        member=member, on=D(2024, 3, 1), reason="Moved to adult services.", today=MONTH_TWO
    )

    member.refresh_from_db()
    assert (member.status, member.end) == (MemberStatus.WITHDRAWN, D(2024, 3, 1))
    assert member.withdrawal_reason == "Moved to adult services."
    ids = [member.worker_id]
    assert selectors.cfkss_on(authority=authority, on=D(2024, 2, 29), worker_ids=ids) == {
        member.worker_id: "1"
    }
    assert selectors.cfkss_on(authority=authority, on=D(2024, 3, 1), worker_ids=ids) == {}
    assert selectors.protected_percents(authority_ids=[authority.pk], on=D(2024, 3, 1)) == {}
    (row,) = selectors.progress(scope=scope, cohort=member.cohort, on=D(2024, 3, 1))
    assert (row.stage, row.next_point) == (None, None)
    (before,) = selectors.progress(scope=scope, cohort=member.cohort, on=D(2024, 2, 29))
    assert before.stage is not None and before.stage.name == "Induction"


def test_bad_withdrawals_are_refused_naming_the_field(personas: Personas) -> None:
    member = member_in(personas.own_team, asye(personas.own_team.authority))
    points = {p.month: p for p in member.cohort.programme.review_points.all()}
    services.record_review(
        member=member, point=points[3], held_on=D(2024, 4, 16), outcome="on_track"
    )
    today = D(2024, 6, 1)

    def withdraw(on: dt.date, reason: str = "Left the authority.") -> dict[str, list[str]]:
        with pytest.raises(ValidationError) as error:
            services.withdraw_member(member=member, on=on, reason=reason, today=today)
        return refusal(error)

    assert withdraw(D(2024, 1, 1)) == {
        "on": [
            f"The date of the withdrawal must be after {member.worker} joined (15 January 2024)."
        ]
    }
    assert list(withdraw(START)) == ["on"]
    assert withdraw(D(2024, 6, 2)) == {
        "on": ["The date of the withdrawal cannot be in the future."]
    }
    assert withdraw(D(2024, 4, 1)) == {
        "on": ["A review was held on 16 April 2024: the withdrawal must come after it."]
    }
    assert withdraw(D(2024, 5, 1), reason="  ") == {
        "reason": ["Enter the reason for the withdrawal."]
    }
    services.withdraw_member(member=member, on=D(2024, 5, 1), reason="Left.", today=today)
    assert "already ended (Withdrawn)" in withdraw(D(2024, 5, 20))["on"][0]


# The pages -----------------------------------------------------------------------------------


def test_a_lead_corrects_a_programme_from_its_pages(personas: Personas) -> None:
    authority = personas.own_team.authority
    programme = asye(authority)
    stages = stages_of(programme)
    client = client_for(personas.lead)
    page = client.get(reverse("careers:programme", kwargs={"programme_id": programme.pk}))
    url = reverse("careers:change_stage", kwargs={"stage_id": stages["Induction"].pk})

    negative = client.post(
        url, {"name": "Induction", "from_month": "-1", "to_month": "6", "protected_percent": "80"}
    )
    too_much = client.post(
        url, {"name": "Induction", "from_month": "0", "to_month": "6", "protected_percent": "120"}
    )
    empty = client.post(
        url, {"name": "", "from_month": "0", "to_month": "6", "protected_percent": "80"}
    )
    not_a_number = client.post(
        url, {"name": "Induction", "from_month": "0", "to_month": "6", "protected_percent": "x"}
    )
    done = client.post(
        url, {"name": "Induction", "from_month": "0", "to_month": "6", "protected_percent": "75"}
    )
    renamed = client.post(
        reverse("careers:change_programme", kwargs={"programme_id": programme.pk}),
        {"name": "ASYE 2025", "length_months": "12", "description": "Our ASYE."},
    )

    assert url in page.content.decode()
    assert "The from month must be at least 0." in negative.content.decode()
    assert "The protected caseload (% of capacity) must be at most 100." in (
        too_much.content.decode()
    )
    assert "Enter the name." in empty.content.decode()
    assert "Enter the protected caseload (% of capacity) as a whole number." in (
        not_a_number.content.decode()
    )
    assert "govuk-error-summary" in empty.content.decode()
    assert done.status_code == 302 and renamed.status_code == 302
    assert ProgrammeStage.objects.get(pk=stages["Induction"].pk).protected_percent == 75
    assert Programme.objects.get(pk=programme.pk).name == "ASYE 2025"
    assert LogEntry.objects.get_for_object(stages["Induction"]).count() == 2  # added, changed


def test_a_refused_stage_change_or_deletion_says_why(personas: Personas) -> None:
    member = member_in(personas.own_team, asye(personas.own_team.authority))
    stages = stages_of(member.cohort.programme)
    client = client_for(personas.lead)
    induction = stages["Induction"]
    delete_url = reverse("careers:delete_stage", kwargs={"stage_id": induction.pk})

    changed = client.post(
        reverse("careers:change_stage", kwargs={"stage_id": induction.pk}),
        {"name": "Induction", "from_month": "0", "to_month": "6", "protected_percent": "60"},
    )
    confirm = client.get(delete_url)
    deleted = client.post(delete_url)

    assert changed.status_code == 200
    assert "already lived through the months this changes" in changed.content.decode()
    assert "This cannot be deleted." in confirm.content.decode()
    assert "Delete the stage</button>" not in confirm.content.decode()
    assert deleted.status_code == 200
    assert ProgrammeStage.objects.filter(pk=induction.pk).exists()


def test_an_unused_stage_and_review_are_deleted_after_confirming(personas: Personas) -> None:
    programme = asye(personas.own_team.authority)
    stage = stages_of(programme)["Consolidation"]
    point = programme.review_points.get(month=6)
    client = client_for(personas.lead)
    stage_url = reverse("careers:delete_stage", kwargs={"stage_id": stage.pk})
    point_url = reverse("careers:delete_review_point", kwargs={"review_point_id": point.pk})

    asked = client.get(stage_url)
    gone = client.post(stage_url)
    point_gone = client.post(point_url)

    assert "Delete the stage</button>" in asked.content.decode()
    assert gone.status_code == 302 and point_gone.status_code == 302
    assert not ProgrammeStage.objects.filter(pk=stage.pk).exists()
    assert not programme.review_points.filter(month=6).exists()
    assert client_for(personas.hr).get(stage_url).status_code == 403


def test_withdrawing_a_member_from_the_cohort_page(personas: Personas) -> None:
    authority = personas.own_team.authority
    programme = asye(authority)
    today = dt.date.today()
    cohort = services.create_cohort(
        programme=programme, name="Recent", start=today - dt.timedelta(days=100)
    )
    worker = worker_in_post(
        personas.own_team, RoleFactory(authority=authority), start=today - dt.timedelta(days=400)
    )
    member = services.add_member(cohort=cohort, worker=worker)
    url = reverse("careers:withdraw_member", kwargs={"member_id": member.pk})
    hr = client_for(personas.hr)

    cohort_page = hr.get(reverse("careers:cohort", kwargs={"cohort_id": cohort.pk}))
    future = hr.post(url, {"on": (today + dt.timedelta(days=3)).isoformat(), "reason": "Moving."})
    before = hr.post(url, {"on": (today - dt.timedelta(days=200)).isoformat(), "reason": "Moving."})
    on = today - dt.timedelta(days=10)
    done = hr.post(url, {"on": on.isoformat(), "reason": "Moving to another authority."})

    assert url in cohort_page.content.decode()
    assert "cannot be in the future" in future.content.decode()
    assert "must be after" in before.content.decode()
    assert done.status_code == 302
    member.refresh_from_db()
    assert (member.status, member.end) == (MemberStatus.WITHDRAWN, on)
    assert PersonalDataAccess.objects.filter(
        user=personas.hr, record_type="careers.cohortmember", record_id=member.pk
    ).exists()
    assert client_for(personas.manager).get(url).status_code == 403
    assert CohortMember.objects.get(pk=member.pk).withdrawal_reason == (
        "Moving to another authority."
    )
