"""Early-career programmes: refusals, the stage a member is in, protected capacity through
caseloads, the overloaded list, the census CFKSSstatus, trainees, and the cohort page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from workforce.careers import selectors_programmes as selectors
from workforce.careers import services_programmes as services
from workforce.careers.models import (
    CohortMember,
    MemberStatus,
    Programme,
    Review,
    ReviewOutcome,
    TraineeRoute,
)
from workforce.caseloads.measures import scheme_settings
from workforce.caseloads.models import AsyePeriod, Category
from workforce.caseloads.selectors import worker_loads
from workforce.caseloads.tests.factories import allocate, case_in, worker_in_post
from workforce.conftest import Personas
from workforce.core.access import scope_for
from workforce.core.models import Authority
from workforce.establishment.models import Route, Team
from workforce.establishment.tests.factories import RoleFactory

START = dt.date(2024, 1, 15)


def asye(authority: Authority) -> Programme:
    """The ASYE: 12 months, a lighter caseload for the first six, reviews at 3, 6 and 12."""
    programme = services.create_programme(
        authority=authority, name="ASYE", length_months=12, cfkss_status="1"
    )
    services.add_stage(
        programme=programme, name="Induction", from_month=0, to_month=6, protected_percent=80
    )
    services.add_stage(
        programme=programme, name="Consolidation", from_month=6, to_month=12, protected_percent=90
    )
    for month, name in ((3, "3-month review"), (6, "6-month review")):
        services.add_review_point(programme=programme, name=name, month=month)
    services.add_review_point(programme=programme, name="Final review", month=12, final=True)
    return programme


def induction(authority: Authority) -> Programme:
    """A two-year induction programme, set up as data: three stages, four reviews."""
    programme = services.create_programme(
        authority=authority, name="Early career framework", length_months=24
    )
    for name, start, end, percent in (
        ("First six months", 0, 6, 80),
        ("Rest of year one", 6, 12, 90),
        ("Year two", 12, 24, 95),
    ):
        services.add_stage(
            programme=programme,
            name=name,
            from_month=start,
            to_month=end,
            protected_percent=percent,
        )
    for month in (6, 12, 18):
        services.add_review_point(programme=programme, name=f"{month}-month review", month=month)
    services.add_review_point(programme=programme, name="Final review", month=24, final=True)
    return programme


def member_in(team: Team, programme: Programme, *, fte: str = "1.00") -> CohortMember:
    role = RoleFactory(authority=team.authority, capacity_points=100)
    worker = worker_in_post(team, role, fte=fte, start=dt.date(2023, 9, 1))
    cohort = services.create_cohort(
        programme=programme, name=f"{programme} {worker.pk}", start=START
    )
    return services.add_member(cohort=cohort, worker=worker)


def refusal(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


# Setting up a programme -----------------------------------------------------------------------


def test_a_stage_must_end_after_it_starts_and_within_the_programme(authority: Authority) -> None:
    programme = services.create_programme(authority=authority, name="ASYE", length_months=12)

    with pytest.raises(ValidationError) as backwards:
        services.add_stage(
            programme=programme, name="Odd", from_month=6, to_month=3, protected_percent=80
        )
    with pytest.raises(ValidationError) as beyond:
        services.add_stage(
            programme=programme, name="Long", from_month=0, to_month=13, protected_percent=80
        )
    services.add_stage(
        programme=programme, name="First", from_month=0, to_month=6, protected_percent=80
    )
    with pytest.raises(ValidationError) as overlap:
        services.add_stage(
            programme=programme, name="Second", from_month=5, to_month=12, protected_percent=90
        )

    assert "must end after" in refusal(backwards)["to_month"][0]
    assert "month 12" in refusal(beyond)["to_month"][0]
    assert "overlaps First" in refusal(overlap)["from_month"][0]


def test_the_final_review_comes_last(authority: Authority) -> None:
    programme = services.create_programme(authority=authority, name="ASYE", length_months=12)
    services.add_review_point(programme=programme, name="Final", month=9, final=True)

    with pytest.raises(ValidationError) as after:
        services.add_review_point(programme=programme, name="Late", month=10)

    assert "after the final review" in refusal(after)["month"][0]


# Reviews ------------------------------------------------------------------------------------


def test_reviews_are_recorded_in_order(personas: Personas) -> None:
    member = member_in(personas.own_team, asye(personas.own_team.authority))
    six = member.cohort.programme.review_points.get(month=6)

    with pytest.raises(ValidationError) as error:
        services.record_review(
            member=member, point=six, held_on=dt.date(2024, 7, 15), outcome="on_track"
        )

    assert refusal(error)["point"] == [
        "Record the 3-month review first: reviews are recorded in order."
    ]
    assert not member.reviews.exists()


def test_a_pass_is_refused_before_the_final_review(personas: Personas) -> None:
    member = member_in(personas.own_team, asye(personas.own_team.authority))
    three = member.cohort.programme.review_points.get(month=3)

    with pytest.raises(ValidationError) as error:
        services.record_review(
            member=member, point=three, held_on=dt.date(2024, 4, 15), outcome=ReviewOutcome.PASS
        )

    assert "only at the final review" in refusal(error)["outcome"][0]


def test_a_review_cannot_be_dated_before_the_start_or_the_previous_review(
    personas: Personas,
) -> None:
    member = member_in(personas.own_team, asye(personas.own_team.authority))
    points = member.cohort.programme.review_points
    with pytest.raises(ValidationError) as early:
        services.record_review(
            member=member,
            point=points.get(month=3),
            held_on=dt.date(2024, 1, 1),
            outcome="on_track",
        )
    services.record_review(
        member=member, point=points.get(month=3), held_on=dt.date(2024, 4, 20), outcome="on_track"
    )
    with pytest.raises(ValidationError) as before:
        services.record_review(
            member=member,
            point=points.get(month=6),
            held_on=dt.date(2024, 4, 1),
            outcome="on_track",
        )

    assert "before" in refusal(early)["held_on"][0]
    assert refusal(before)["held_on"] == [
        "The review cannot be before the previous one (20 April 2024)."
    ]


def test_an_extension_moves_the_end_and_the_final_review_is_held_again(
    personas: Personas,
) -> None:
    member = member_in(personas.own_team, asye(personas.own_team.authority))
    points = {p.month: p for p in member.cohort.programme.review_points.all()}
    services.record_review(
        member=member, point=points[3], held_on=dt.date(2024, 4, 15), outcome="on_track"
    )
    services.record_review(
        member=member, point=points[6], held_on=dt.date(2024, 7, 15), outcome="concerns"
    )
    with pytest.raises(ValidationError) as no_length:
        services.record_review(
            member=member, point=points[12], held_on=dt.date(2025, 1, 10), outcome="extension"
        )
    services.record_review(
        member=member,
        point=points[12],
        held_on=dt.date(2025, 1, 10),
        outcome="extension",
        extension_months=3,
    )
    member.refresh_from_db()
    assert "extension's length" in refusal(no_length)["extension_months"][0]
    assert member.end == dt.date(2025, 4, 15)  # 15 months from 15 January 2024
    assert member.status == MemberStatus.IN_PROGRESS

    services.record_review(
        member=member, point=points[12], held_on=dt.date(2025, 4, 10), outcome="pass"
    )

    member.refresh_from_db()
    assert (member.status, member.end) == (MemberStatus.PASSED, dt.date(2025, 4, 11))
    with pytest.raises(ValidationError) as ended:
        services.record_review(
            member=member, point=points[12], held_on=dt.date(2025, 4, 12), outcome="pass"
        )
    assert "has ended" in refusal(ended)["point"][0]


def test_a_trainee_must_qualify_after_starting(personas: Personas) -> None:
    role = RoleFactory(authority=personas.own_team.authority)
    worker = worker_in_post(personas.own_team, role)

    with pytest.raises(ValidationError) as error:
        services.add_trainee(
            worker=worker,
            team=personas.own_team,
            route=TraineeRoute.STEP_UP,
            start=dt.date(2024, 9, 1),
            expected_qualification=dt.date(2024, 8, 1),
        )

    assert "after the start (1 September 2024)" in refusal(error)["expected_qualification"][0]


# Stages and protected capacity --------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "stage", "capacity"),
    [
        # 100 points x 0.8 FTE x the stage's share
        (dt.date(2024, 3, 1), "First six months", Decimal("64.0")),
        (dt.date(2024, 7, 14), "First six months", Decimal("64.0")),  # the day before month 6
        (dt.date(2024, 7, 15), "Rest of year one", Decimal("72.0")),
        (dt.date(2025, 2, 1), "Year two", Decimal("76.0")),
        (dt.date(2026, 1, 15), None, Decimal("80.0")),  # the programme has ended
    ],
)
def test_capacity_follows_the_stage(
    personas: Personas, on: dt.date, stage: str | None, capacity: Decimal
) -> None:
    authority = personas.own_team.authority
    member = member_in(personas.own_team, induction(authority), fte="0.80")
    # An ASYE period would reduce capacity to 90%: the programme's stage decides instead.
    AsyePeriod.objects.create(
        authority=authority, worker=member.worker, start=START, end=dt.date(2025, 1, 15)
    )
    stages = list(member.cohort.programme.stages.all())

    found = selectors.stage_at(stages, selectors.months_in(member.start, on))
    (load,) = worker_loads(
        authority_ids=[authority.pk],
        on=on,
        scheme=scheme_settings(authority.pk),
        worker_ids=[member.worker_id],
    )

    in_programme = member.is_active_on(on)
    assert (found.name if found and in_programme else None) == stage
    assert load.capacity == capacity


def test_the_overloaded_list_names_those_above_their_protected_caseload(
    personas: Personas,
) -> None:
    authority = personas.own_team.authority
    programme = induction(authority)
    busy = member_in(personas.own_team, programme, fte="0.80")
    light = member_in(personas.own_team, programme)
    for _ in range(17):  # 17 child in need cases at 4 points: 68 points
        allocate(case_in(personas.own_team, category=Category.CHILD_IN_NEED), busy.worker, START)
    for _ in range(10):  # 40 points of 80
        allocate(case_in(personas.own_team), light.worker, START)
    scope = scope_for(personas.lead)

    in_first_stage = selectors.overloaded(scope=scope, on=dt.date(2024, 3, 1))
    in_second_stage = selectors.overloaded(scope=scope, on=dt.date(2024, 8, 1))

    assert [(o.name, o.points, o.capacity) for o in in_first_stage] == [
        (str(busy.worker), 68, Decimal("64.0"))
    ]
    assert in_second_stage == []  # 68 points of 72


# The census ---------------------------------------------------------------------------------


def test_members_get_their_programmes_cfkss_status(personas: Personas) -> None:
    authority = personas.own_team.authority
    member = member_in(personas.own_team, asye(authority))
    other = member_in(personas.own_team, induction(authority))  # sets no status
    from workforce.census.returns import cfkss_statuses

    statuses = cfkss_statuses(
        authority=authority, on=dt.date(2024, 9, 30), worker_ids=[member.worker_id, other.worker_id]
    )
    after = cfkss_statuses(
        authority=authority, on=dt.date(2025, 9, 30), worker_ids=[member.worker_id]
    )

    assert statuses == {member.worker_id: "1"}
    assert after == {}


def test_a_qualified_trainee_keeps_their_route_for_the_census(personas: Personas) -> None:
    role = RoleFactory(authority=personas.own_team.authority)
    worker = worker_in_post(personas.own_team, role)
    trainee = services.add_trainee(
        worker=worker,
        team=personas.own_team,
        route=TraineeRoute.STEP_UP,
        start=dt.date(2023, 1, 9),
        expected_qualification=dt.date(2024, 7, 31),
    )

    services.record_qualified(trainee=trainee, on=dt.date(2024, 7, 26))

    worker.refresh_from_db()
    assert (worker.route, worker.qual_date) == (Route.STEP_UP, dt.date(2024, 7, 26))


def test_expected_newly_qualified_counts_trainees_qualifying_in_the_window(
    personas: Personas,
) -> None:
    authority = personas.own_team.authority
    role = RoleFactory(authority=authority)
    for month in (6, 7, 10):
        services.add_trainee(
            worker=worker_in_post(personas.own_team, role),
            team=personas.own_team,
            route=TraineeRoute.APPRENTICESHIP,
            start=dt.date(2022, 9, 1),
            expected_qualification=dt.date(2025, month, 30),
        )

    by_september = selectors.expected_newly_qualified(
        authority=authority, start=dt.date(2025, 1, 1), end=dt.date(2025, 9, 1)
    )

    assert by_september == 2


# The cohort page as each persona -------------------------------------------------------------


def test_the_cohort_page_as_each_persona(personas: Personas) -> None:
    authority = personas.own_team.authority
    programme = asye(authority)
    cohort = services.create_cohort(programme=programme, name="September 2024", start=START)
    role = RoleFactory(authority=authority)
    mine = worker_in_post(personas.own_team, role, first_name="Imogen", last_name="Ashdown")
    theirs = worker_in_post(personas.other_team, role, first_name="Rufus", last_name="Blakeney")
    for worker in (mine, theirs):
        services.add_member(cohort=cohort, worker=worker)
    others_only = services.create_cohort(programme=programme, name="Other team", start=START)
    services.add_member(
        cohort=others_only, worker=worker_in_post(personas.other_team, role, last_name="Quill")
    )
    url = reverse("careers:cohort", kwargs={"cohort_id": cohort.pk})

    seen = {}
    for label, user in personas.all().items():
        client = Client()
        client.force_login(user)
        response = client.get(url)
        text = response.content.decode()
        seen[label] = (response.status_code, "Ashdown" in text, "Blakeney" in text)
    manager = Client()
    manager.force_login(personas.manager)

    assert seen == {
        "admin": (200, True, True),
        "lead": (200, True, True),
        "hr": (200, True, True),
        "manager": (200, True, False),
        "board": (403, False, False),
        "analyst": (403, False, False),
    }
    assert manager.get(reverse("careers:cohort", args=[others_only.pk])).status_code == 404
    assert "Record a review" in manager.get(url).content.decode()


def test_the_census_return_reads_the_cfkss_status_from_the_programme(
    personas: Personas, reference_data: None
) -> None:
    from workforce.census.returns import build_return, census_date

    member = member_in(personas.own_team, asye(personas.own_team.authority))
    assert member.is_active_on(census_date(2024))

    records = build_return(personas.own_team.authority, 2024).workers

    assert [(r.worker_id, r.cfkss_status) for r in records] == [(member.worker_id, "1")]


def test_recording_a_review_from_its_page(personas: Personas) -> None:
    member = member_in(personas.own_team, asye(personas.own_team.authority))
    points = {p.month: p for p in member.cohort.programme.review_points.all()}
    url = reverse("careers:record_review", kwargs={"member_id": member.pk})
    client = Client()
    client.force_login(personas.manager)

    refused = client.post(
        url, {"point": points[6].pk, "held_on": "2024-07-16", "outcome": "on_track"}
    )
    done = client.post(url, {"point": points[3].pk, "held_on": "2024-04-16", "outcome": "on_track"})

    assert refused.status_code == 200
    assert "Record the 3-month review first" in refused.content.decode()
    assert done.status_code == 302
    assert member.reviews.get().point == points[3]
    # The review follows its member into the manager's team, and only while they are in it.
    other = member_in(personas.other_team, member.cohort.programme)
    services.record_review(
        member=other, point=points[3], held_on=dt.date(2024, 4, 16), outcome="on_track"
    )
    reachable = scope_for(personas.manager).records(Review.objects.all())
    assert list(reachable.values_list("member_id", flat=True)) == [member.pk]


def test_a_lead_sets_up_a_programme_from_its_pages(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.lead)

    made = client.post(
        reverse("careers:new_programme"),
        {"name": "Early career framework", "length_months": "24", "cfkss_status": ""},
    )
    programme = Programme.objects.get(name="Early career framework")
    stage_url = reverse("careers:new_stage", kwargs={"programme_id": programme.pk})
    refused = client.post(
        stage_url,
        {"name": "Year two", "from_month": "12", "to_month": "30", "protected_percent": "95"},
    )
    added = client.post(
        stage_url,
        {"name": "Year two", "from_month": "12", "to_month": "24", "protected_percent": "95"},
    )

    assert made.status_code == 302
    assert "The stage must end by month 24" in refused.content.decode()
    assert added.status_code == 302
    assert list(programme.stages.values_list("name", "protected_percent")) == [("Year two", 95)]
