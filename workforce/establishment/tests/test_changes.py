"""Changes councils make to teams, roles, hours and engagements: history and figures before and
after each change, worked out by hand.

The post: SW-1, a 1.00 FTE social worker post in team A from 1 January 2024, census-counted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from workforce.core.services import create_authority, update_authority
from workforce.establishment import selectors, services
from workforce.establishment.models import (
    AgencyCover,
    Engagement,
    EngagementEnd,
    EngagementKind,
    OrgRole,
    ServiceArea,
)
from workforce.establishment.tests.factories import (
    PostFactory,
    RoleFactory,
    TeamFactory,
    WorkerFactory,
)
from workforce.metrics.engine import MetricsFilter
from workforce.metrics.selectors import measures_on

D = dt.date
START = D(2024, 1, 1)
CHANGE = D(2025, 4, 1)
BEFORE = D(2025, 3, 31)
pytestmark = pytest.mark.django_db

FIGURES = [
    "in_post_fte",
    "in_post_headcount",
    "agency_fte",
    "agency_headcount",
    "vacancy_fte",
    "starters_headcount",
    "starters_fte",
    "leavers_headcount",
]


def refused_on(field: str, call, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    assert field in caught.value.message_dict, caught.value.message_dict
    return " ".join(caught.value.message_dict[field])


@pytest.fixture
def post(authority, reference_data):
    role = RoleFactory(authority=authority, title="Social worker", org_role=OrgRole.CASE_HOLDER)
    return PostFactory(team=TeamFactory(authority=authority), role=role, start=START)


@pytest.fixture
def worker(authority):
    return WorkerFactory(authority=authority)


def figures(post, on):
    where = MetricsFilter(authority_ids=(post.authority_id,))
    return measures_on(where=where, on=on, keys=FIGURES).at(0)


def history(worker):
    return [
        (e.start, e.end, e.fte, e.kind, e.end_reason)
        for e in Engagement.objects.filter(worker=worker).order_by("start")
    ]


# Hours ---------------------------------------------------


class TestChangeHours:
    def test_history_splits_at_the_date_and_earlier_figures_are_unchanged(self, post, worker):
        engagement = services.appoint_worker(worker=worker, post=post, start=START, fte=Decimal(1))
        before = figures(post, BEFORE)

        services.change_hours(engagement=engagement, fte=Decimal("0.6"), from_date=CHANGE)

        P = EngagementKind.PERMANENT
        assert history(worker) == [
            (START, CHANGE, Decimal("1.00"), P, EngagementEnd.HOURS_CHANGED),
            (CHANGE, None, Decimal("0.60"), P, ""),
        ]
        assert figures(post, BEFORE) == before
        assert before["in_post_fte"] == Decimal("1.00")
        assert before["vacancy_fte"] == Decimal("0.00")
        after = figures(post, D(2025, 9, 30))
        # 0.6 of the 1.0 post is filled; one person; not a starter nor a leaver in the year.
        assert after["in_post_fte"] == Decimal("0.60")
        assert after["in_post_headcount"] == 1
        assert after["vacancy_fte"] == Decimal("0.40")
        assert after["starters_headcount"] == 0
        assert after["leavers_headcount"] == 0

    def test_an_open_end_or_agreed_end_carries_over(self, post, worker):
        engagement = services.appoint_worker(
            worker=worker,
            post=post,
            start=START,
            fte=Decimal("0.5"),
            kind=EngagementKind.FIXED_TERM,
            end=D(2026, 1, 1),
        )
        changed = services.change_hours(engagement=engagement, fte=Decimal("0.8"), from_date=CHANGE)
        assert (changed.end, changed.kind) == (D(2026, 1, 1), EngagementKind.FIXED_TERM)

    def test_agency_terms_carry_over(self, post, worker):
        engagement = services.start_agency_assignment(
            worker=worker,
            post=post,
            start=START,
            fte=Decimal(1),
            agency_name="Kinship Staffing",
            charge_rate=Decimal("45"),
            covers=AgencyCover.VACANCY,
        )
        changed = services.change_hours(engagement=engagement, fte=Decimal("0.5"), from_date=CHANGE)
        assert (changed.agency_name, changed.covers) == ("Kinship Staffing", AgencyCover.VACANCY)
        assert figures(post, CHANGE)["agency_fte"] == Decimal("0.50")
        assert figures(post, BEFORE)["agency_fte"] == Decimal("1.00")

    def test_refusals_name_the_field(self, post, worker):
        engagement = services.appoint_worker(
            worker=worker, post=post, start=START, fte=Decimal("0.5")
        )
        call = services.change_hours
        assert "already work" in refused_on(
            "fte", call, engagement=engagement, fte=Decimal("0.5"), from_date=CHANGE
        )
        assert "after its first day" in refused_on(
            "from_date", call, engagement=engagement, fte=Decimal("0.6"), from_date=START
        )
        assert "does not run" in refused_on(
            "from_date", call, engagement=engagement, fte=Decimal("0.6"), from_date=D(2023, 1, 1)
        )
        refused_on("fte", call, engagement=engagement, fte=Decimal("1.5"), from_date=CHANGE)
        other = PostFactory(team=post.team, role=post.role, start=START)
        services.appoint_worker(worker=worker, post=other, start=START, fte=Decimal("0.5"))
        assert "at most 1.0 FTE" in refused_on(
            "fte", call, engagement=engagement, fte=Decimal("0.7"), from_date=CHANGE
        )
        assert len(history(worker)) == 2  # nothing half-saved


# Agency to permanent ---------------------------------------------------


class TestConvertToPermanent:
    def test_the_assignment_ends_the_day_before_and_a_permanent_post_begins(self, post, worker):
        assignment = services.start_agency_assignment(
            worker=worker,
            post=post,
            start=START,
            fte=Decimal(1),
            agency_name="Kinship Staffing",
            charge_rate=None,
            covers=AgencyCover.VACANCY,
        )
        before = figures(post, BEFORE)

        employed = services.convert_to_permanent(engagement=assignment, from_date=CHANGE)

        assert history(worker) == [
            (START, CHANGE, Decimal("1.00"), EngagementKind.AGENCY, EngagementEnd.CONVERTED),
            (CHANGE, None, Decimal("1.00"), EngagementKind.PERMANENT, ""),
        ]
        assert employed.start_origin == "4"
        assert employed.post == post
        assert figures(post, BEFORE) == before
        assert (before["agency_fte"], before["in_post_fte"]) == (Decimal("1.00"), Decimal(0))
        assert before["vacancy_fte"] == Decimal("1.00")  # agency cover does not fill a vacancy
        after = figures(post, D(2025, 9, 30))
        # Joined the authority's employment in the year: a starter, not a leaver.
        assert (after["agency_fte"], after["in_post_fte"]) == (Decimal(0), Decimal("1.00"))
        assert after["vacancy_fte"] == Decimal("0.00")
        assert (after["starters_headcount"], after["starters_fte"]) == (1, Decimal("1.00"))
        assert after["leavers_headcount"] == 0
        assert not worker.leavings.exists()

    def test_a_new_fte_may_be_given(self, post, worker):
        assignment = services.start_agency_assignment(
            worker=worker,
            post=post,
            start=START,
            fte=Decimal(1),
            agency_name="A",
            charge_rate=None,
            covers=AgencyCover.VACANCY,
        )
        employed = services.convert_to_permanent(
            engagement=assignment, from_date=CHANGE, fte=Decimal("0.8")
        )
        assert employed.fte == Decimal("0.80")

    def test_only_agency_assignments_convert(self, post, worker):
        engagement = services.appoint_worker(worker=worker, post=post, start=START, fte=Decimal(1))
        assert "Only an agency" in refused_on(
            "engagement", services.convert_to_permanent, engagement=engagement, from_date=CHANGE
        )

    def test_a_date_outside_the_assignment_is_refused(self, post, worker):
        assignment = services.start_agency_assignment(
            worker=worker,
            post=post,
            start=START,
            fte=Decimal(1),
            agency_name="A",
            charge_rate=None,
            covers=AgencyCover.EXTRA,
            end=D(2025, 1, 1),
        )
        refused_on(
            "from_date", services.convert_to_permanent, engagement=assignment, from_date=CHANGE
        )
        assert Engagement.objects.filter(worker=worker).count() == 1


# Ending an engagement ---------------------------------------------------


class TestEndEngagement:
    def test_a_fixed_term_contract_ends_with_its_reason(self, post, worker):
        engagement = services.appoint_worker(
            worker=worker,
            post=post,
            start=START,
            fte=Decimal(1),
            kind=EngagementKind.FIXED_TERM,
            end=D(2026, 1, 1),
        )
        ended = services.end_engagement_by_hand(
            engagement=engagement, last_day=BEFORE, reason=EngagementEnd.CONTRACT_ENDED
        )
        assert (ended.end, ended.end_reason) == (CHANGE, EngagementEnd.CONTRACT_ENDED)
        assert figures(post, BEFORE)["in_post_fte"] == Decimal("1.00")
        assert figures(post, CHANGE)["in_post_fte"] == Decimal(0)
        # Their employment has ended with no leaving recorded: the page asks for one.
        assert selectors.leaving_needed(ended)
        services.record_leaver(worker=worker, last_day=BEFORE, reason="1")
        assert not selectors.leaving_needed(ended)

    def test_giving_up_one_of_two_posts_needs_no_leaving(self, post, worker):
        first = services.appoint_worker(worker=worker, post=post, start=START, fte=Decimal("0.5"))
        other = PostFactory(team=post.team, role=post.role, start=START)
        services.appoint_worker(worker=worker, post=other, start=START, fte=Decimal("0.5"))
        ended = services.end_engagement_by_hand(
            engagement=first, last_day=BEFORE, reason=EngagementEnd.POST_GIVEN_UP
        )
        assert not selectors.leaving_needed(ended)

    def test_an_agency_assignment_never_needs_a_leaving(self, post, worker):
        assignment = services.start_agency_assignment(
            worker=worker,
            post=post,
            start=START,
            fte=Decimal(1),
            agency_name="A",
            charge_rate=None,
            covers=AgencyCover.VACANCY,
        )
        ended = services.end_engagement_by_hand(
            engagement=assignment, last_day=BEFORE, reason=EngagementEnd.ASSIGNMENT_ENDED
        )
        assert not selectors.leaving_needed(ended)

    def test_reasons_must_fit_the_engagement(self, post, worker):
        engagement = services.appoint_worker(worker=worker, post=post, start=START, fte=Decimal(1))
        call = services.end_engagement_by_hand
        assert "agency" in refused_on(
            "reason",
            call,
            engagement=engagement,
            last_day=BEFORE,
            reason=EngagementEnd.ASSIGNMENT_ENDED,
        )
        refused_on(
            "reason",
            call,
            engagement=engagement,
            last_day=BEFORE,
            reason=EngagementEnd.CONTRACT_ENDED,
        )
        assert "no other post" in refused_on(
            "reason",
            call,
            engagement=engagement,
            last_day=BEFORE,
            reason=EngagementEnd.POST_GIVEN_UP,
        )
        # Reasons other services record (a move, a leaver) are not chosen by hand.
        refused_on(
            "reason", call, engagement=engagement, last_day=BEFORE, reason=EngagementEnd.LEFT
        )
        refused_on("reason", call, engagement=engagement, last_day=BEFORE, reason="nonsense")
        refused_on(
            "last_day",
            call,
            engagement=engagement,
            last_day=D(2023, 1, 1),
            reason=EngagementEnd.POST_CLOSED,
        )
        engagement.refresh_from_db()
        assert engagement.end is None


# Teams, roles and authorities ---------------------------------------------------


class TestTeamsAndRoles:
    def test_a_team_is_created_and_changed(self, authority):
        team = services.create_team(
            authority=authority, name=" Front Door ", service_area=ServiceArea.FRONT_DOOR
        )
        assert team.name == "Front Door"
        services.update_team(
            team=team,
            name="MASH",
            service_area=ServiceArea.FRONT_DOOR,
            locality="North",
            is_active=False,
        )
        team.refresh_from_db()
        assert (team.name, team.locality, team.is_active) == ("MASH", "North", False)

    def test_a_change_of_one_detail_keeps_the_others(self, authority):
        team = services.create_team(
            authority=authority, name="MASH", service_area=ServiceArea.FRONT_DOOR, locality="North"
        )
        services.update_team(team=team, is_active=False)
        services.update_team(team=team, name="Front Door North")
        team.refresh_from_db()
        assert (team.name, team.service_area, team.locality, team.is_active) == (
            "Front Door North",
            ServiceArea.FRONT_DOOR,
            "North",
            False,
        )
        role = services.create_role(
            authority=authority,
            title="Social worker",
            org_role=OrgRole.CASE_HOLDER,
            grade="SW2",
            case_holding=True,
            capacity_points=90,
            order=3,
        )
        services.update_role(role=role, title="Social worker (level 2)")
        role.refresh_from_db()
        assert (
            role.title,
            role.org_role,
            role.grade,
            role.case_holding,
            role.capacity_points,
            role.order,
        ) == ("Social worker (level 2)", OrgRole.CASE_HOLDER, "SW2", True, 90, 3)

    def test_team_refusals_name_the_field(self, authority):
        services.create_team(authority=authority, name="MASH", service_area=ServiceArea.FRONT_DOOR)
        call = services.create_team
        assert "already" in refused_on(
            "name", call, authority=authority, name="mash", service_area=ServiceArea.FRONT_DOOR
        )
        refused_on("name", call, authority=authority, name=" ", service_area=ServiceArea.FRONT_DOOR)
        refused_on("service_area", call, authority=authority, name="X", service_area="zz")

    def test_a_role_is_created_and_changed(self, authority):
        role = services.create_role(
            authority=authority, title="Social worker", org_role=OrgRole.CASE_HOLDER
        )
        services.update_role(
            role=role,
            title="Social worker (level 2)",
            org_role=OrgRole.SENIOR_PRACTITIONER,
            capacity_points=90,
        )
        role.refresh_from_db()
        assert (role.title, role.org_role, role.capacity_points) == (
            "Social worker (level 2)",
            OrgRole.SENIOR_PRACTITIONER,
            90,
        )

    def test_a_role_with_posts_keeps_its_census_orgrole(self, post):
        role = post.role
        assert "past figures" in refused_on(
            "org_role",
            services.update_role,
            role=role,
            title=role.title,
            org_role=OrgRole.SENIOR_PRACTITIONER,
            case_holding=role.case_holding,
        )
        services.update_role(
            role=role, title="Renamed", org_role=role.org_role, case_holding=role.case_holding
        )
        role.refresh_from_db()
        assert (role.title, role.org_role) == ("Renamed", OrgRole.CASE_HOLDER)

    def test_role_refusals_name_the_field(self, authority):
        services.create_role(authority=authority, title="Team manager")
        call = services.create_role
        refused_on("title", call, authority=authority, title="team manager")
        refused_on("title", call, authority=authority, title="")
        refused_on("org_role", call, authority=authority, title="X", org_role="9")
        refused_on("capacity_points", call, authority=authority, title="X", capacity_points=-1)


class TestAuthorities:
    def test_an_authority_is_created_and_corrected(self, personas):
        created = create_authority(
            code="990", name="Newshire", region="South West", created_by=personas.admin
        )
        assert created in personas.admin.extra_authorities.all()
        update_authority(
            authority=created,
            code="990",
            name="New Shire",
            region="South West",
            ons_code="e06000099",
        )
        created.refresh_from_db()
        assert (created.name, created.ons_code) == ("New Shire", "E06000099")

    def test_refusals_name_the_field(self, authority):
        refused_on("code", create_authority, code="99", name="X", region="Y")
        assert "already" in refused_on(
            "code", create_authority, code=authority.code, name="X", region="Y"
        )
        refused_on("name", create_authority, code="990", name=" ", region="Y")
        refused_on("region", create_authority, code="990", name="X", region="")
        refused_on("ons_code", create_authority, code="990", name="X", region="Y", ons_code="123")
