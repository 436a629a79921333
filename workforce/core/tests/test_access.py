"""The one scoping helper: what a user's role and authority let them reach."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from workforce.conftest import Personas
from workforce.core.access import SELF, Capability, requires, scope_for
from workforce.core.models import Authority, UserRole
from workforce.core.tests.factories import UserFactory
from workforce.establishment.models import Post, Team
from workforce.establishment.tests.factories import PostFactory, TeamFactory


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
