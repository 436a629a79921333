"""The one scoping helper: what a user's role and authority let them reach."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from workforce.conftest import Personas
from workforce.core.access import AUTHORITY_WIDE, SELF, Capability, requires, scope_for
from workforce.core.models import Authority, UserRole
from workforce.core.tests.factories import UserFactory
from workforce.establishment.models import Absence, Engagement, Post, Team, Worker
from workforce.establishment.tests.factories import PostFactory, TeamFactory, WorkerFactory


@requires(Capability.MANAGE_POSTS)
def post_count(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    return HttpResponse(str(scope.records(Post.objects.all()).count()))


def test_a_team_manager_reaches_only_the_teams_they_manage(personas: Personas) -> None:
    scope = scope_for(personas.manager)

    assert scope.is_team_limited
    assert scope.team_ids == {personas.own_team.pk}
    assert list(scope.records(Team.objects.all(), team=SELF)) == [personas.own_team]
    assert scope.allows_team(personas.own_team.pk)
    assert not scope.allows_team(personas.other_team.pk)


def test_a_team_manager_sees_posts_of_their_team_only(personas: Personas) -> None:
    mine = PostFactory(team=personas.own_team)
    PostFactory(team=personas.other_team)

    assert list(scope_for(personas.manager).records(Post.objects.all())) == [mine]


def test_a_team_manager_does_not_see_records_without_a_team(personas: Personas) -> None:
    scope = scope_for(personas.manager)

    assert scope.records(Post.objects.all(), team=None).count() == 0


def test_a_workforce_lead_reaches_every_team_of_their_authority_and_no_other(
    personas: Personas, other_authority: Authority
) -> None:
    TeamFactory(authority=other_authority, name="Elsewhere team")
    scope = scope_for(personas.lead)

    assert not scope.is_team_limited
    assert set(scope.records(Team.objects.all(), team=SELF)) == {
        personas.own_team,
        personas.other_team,
    }


def test_get_answers_not_found_for_a_record_outside_the_scope(personas: Personas) -> None:
    theirs = PostFactory(team=personas.other_team)

    with pytest.raises(Http404):
        scope_for(personas.manager).get(Post.objects.all(), pk=theirs.pk)
    assert scope_for(personas.lead).get(Post.objects.all(), pk=theirs.pk) == theirs


def test_get_answers_not_found_for_a_malformed_key(personas: Personas) -> None:
    with pytest.raises(Http404):
        scope_for(personas.lead).get(Post.objects.all(), pk="not-a-number")


def test_extra_authorities_can_be_chosen_but_others_cannot(
    personas: Personas, authority: Authority, other_authority: Authority
) -> None:
    analyst = personas.analyst
    analyst.extra_authorities.add(other_authority)

    chosen = scope_for(analyst, authority_id=other_authority.pk)
    assert chosen.authority == other_authority
    assert chosen.authority_ids == {authority.pk, other_authority.pk}

    lead = scope_for(personas.lead, authority_id=other_authority.pk)
    assert lead.authority == authority  # not granted: stays on their own


def test_an_inactive_user_can_do_nothing(personas: Personas) -> None:
    personas.lead.is_active = False

    scope = scope_for(personas.lead)

    assert not any(scope.can(c) for c in Capability)


def test_capabilities_follow_the_role(personas: Personas) -> None:
    assert scope_for(personas.admin).can(Capability.MANAGE_USERS)
    assert not scope_for(personas.lead).can(Capability.MANAGE_USERS)
    assert scope_for(personas.hr).can(Capability.VIEW_PEOPLE)
    assert not scope_for(personas.board).can(Capability.VIEW_PEOPLE)
    assert not scope_for(personas.analyst).can(Capability.VIEW_PEOPLE)
    assert scope_for(personas.board).can(Capability.VIEW_AGGREGATES)


def test_a_user_without_an_authority_is_refused_with_a_reason(db: None) -> None:
    nobody = UserFactory(authority=None, role=UserRole.WORKFORCE_LEAD)

    with pytest.raises(PermissionDenied, match="not linked to an authority"):
        scope_for(nobody)


def test_a_user_without_an_authority_gets_a_clear_403_page(db: None) -> None:
    nobody = UserFactory(authority=None, role=UserRole.WORKFORCE_LEAD)
    client = Client()
    client.force_login(nobody)

    response = client.get("/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot open this page" in page
    assert "not linked to an authority" in page


def test_requires_sends_visitors_to_sign_in(db: None) -> None:
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()

    response = post_count(request)

    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/somewhere/"


def test_requires_refuses_a_role_without_the_capability(personas: Personas) -> None:
    request = RequestFactory().get("/")
    request.user = personas.board
    request.session = {}  # type: ignore[assignment]

    with pytest.raises(PermissionDenied):
        post_count(request)


def test_requires_gives_the_view_its_scope(personas: Personas) -> None:
    PostFactory(team=personas.own_team)
    request = RequestFactory().get("/")
    request.user = personas.lead
    request.session = {}  # type: ignore[assignment]

    response = post_count(request)

    assert response.content == b"1"
    assert post_count.required_capabilities == (Capability.MANAGE_POSTS,)  # type: ignore[attr-defined]


# --- Team scope follows time ------------------------------------------------------------------


def _in_post(team: Team, start: dt.date, end: dt.date | None = None) -> Engagement:
    post = PostFactory(team=team)
    worker = WorkerFactory(authority=team.authority)
    return Engagement.objects.create(
        authority=team.authority, worker=worker, post=post, start=start, end=end, fte=Decimal("1")
    )


def test_a_manager_reaches_current_and_future_members_but_not_former_ones(
    personas: Personas,
) -> None:
    today = dt.date.today()
    current = _in_post(personas.own_team, dt.date(2020, 1, 1)).worker
    starting = _in_post(personas.own_team, today + dt.timedelta(days=30)).worker
    former = _in_post(personas.own_team, dt.date(2020, 1, 1), today).worker
    elsewhere = _in_post(personas.other_team, dt.date(2020, 1, 1)).worker

    reached = set(scope_for(personas.manager).records(Worker.objects.all()))

    assert reached == {current, starting}
    assert {former, elsewhere} <= set(scope_for(personas.lead).records(Worker.objects.all()))


def test_what_is_recorded_about_a_person_follows_them_out_of_the_team(
    personas: Personas,
) -> None:
    moved = _in_post(personas.own_team, dt.date(2020, 1, 1), dt.date(2022, 6, 1))
    Engagement.objects.create(
        authority=moved.authority,
        worker=moved.worker,
        post=PostFactory(team=personas.other_team),
        start=dt.date(2022, 6, 1),
        fte=Decimal("1.00"),
    )
    Absence.objects.create(
        authority=moved.worker.authority,
        worker=moved.worker,
        start=dt.date(2021, 3, 1),
        end=dt.date(2021, 3, 5),
        reason="SIC",
        working_days_lost=Decimal("4"),
    )
    scope = scope_for(personas.manager)

    assert not scope.records(Absence.objects.all()).exists()
    with pytest.raises(Http404):
        scope.get(Worker.objects.all(), pk=moved.worker_id)
    assert scope.openable(Worker, [moved.worker_id]) == frozenset()


def test_a_case_closed_in_the_team_stays_the_teams_and_a_case_moved_away_does_not(
    personas: Personas,
) -> None:
    from workforce.caseloads.models import Case, CaseTeam
    from workforce.caseloads.tests.factories import case_in

    closed_here = case_in(personas.own_team, opened=dt.date(2021, 1, 1), closed=dt.date(2022, 1, 1))
    moved_away = case_in(personas.own_team, opened=dt.date(2021, 1, 1))
    CaseTeam.objects.filter(case=moved_away).update(end=dt.date(2022, 1, 1))
    CaseTeam.objects.create(
        authority=moved_away.authority,
        case=moved_away,
        team=personas.other_team,
        start=dt.date(2022, 1, 1),
    )

    reached = set(scope_for(personas.manager).records(Case.objects.all()))

    assert reached == {closed_here}


def test_teams_a_case_can_go_to_are_the_whole_authoritys(personas: Personas) -> None:
    teams = scope_for(personas.manager).records(Team.objects.all(), team=AUTHORITY_WIDE)

    assert set(teams) == {personas.own_team, personas.other_team}


def test_a_team_condition_is_the_registered_rule_or_no_limit(personas: Personas) -> None:
    from workforce.recruitment.models import Application

    assert scope_for(personas.lead).team_condition(Application) is None
    assert scope_for(personas.manager).team_condition(Application) is not None
    with pytest.raises(LookupError):
        scope_for(personas.manager).team_condition(Post)
