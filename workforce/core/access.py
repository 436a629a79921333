"""Who may see and do what: the one place every view and selector asks.

A user's role grants capabilities; their authority (and, for team managers, their teams) limits
which records those capabilities reach. Views get a `Scope` from `@requires(...)` and pass it to
selectors, which filter with `scope.records(...)`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from workforce.core.models import Authority, User, UserRole


class Capability(StrEnum):
    VIEW_AGGREGATES = "view_aggregates"  # tables and figures without names
    VIEW_PEOPLE = "view_people"  # names and personal details
    MANAGE_POSTS = "manage_posts"  # create, change and close establishment posts
    MANAGE_PEOPLE = "manage_people"  # appoint, move, agency, leavers
    RECORD_ABSENCE = "record_absence"
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"
    MANAGE_RECRUITMENT = "manage_recruitment"  # campaigns, candidates, checks, offers, starters
    MANAGE_CASES = "manage_cases"  # allocate cases, record supervision and referrals


R = UserRole
GRANTS: dict[Capability, frozenset[str]] = {
    Capability.VIEW_AGGREGATES: frozenset(R.values),
    Capability.VIEW_PEOPLE: frozenset({R.ADMIN, R.WORKFORCE_LEAD, R.HR_OFFICER, R.TEAM_MANAGER}),
    Capability.MANAGE_POSTS: frozenset({R.ADMIN, R.WORKFORCE_LEAD}),
    Capability.MANAGE_PEOPLE: frozenset({R.ADMIN, R.WORKFORCE_LEAD, R.HR_OFFICER}),
    Capability.RECORD_ABSENCE: frozenset({R.ADMIN, R.WORKFORCE_LEAD, R.HR_OFFICER, R.TEAM_MANAGER}),
    Capability.VIEW_AUDIT: frozenset({R.ADMIN}),
    Capability.MANAGE_USERS: frozenset({R.ADMIN}),
    Capability.MANAGE_RECRUITMENT: frozenset({R.ADMIN, R.WORKFORCE_LEAD, R.HR_OFFICER}),
    Capability.MANAGE_CASES: frozenset({R.ADMIN, R.WORKFORCE_LEAD, R.TEAM_MANAGER}),
}

M = TypeVar("M", bound=Model)
SELF = "self"  # `team=SELF`: the records are teams themselves


@dataclass(frozen=True)
class Scope:
    """What one user may reach: an authority, optionally a set of teams, and capabilities."""

    user: User
    authority: Authority
    authority_ids: frozenset[int]
    team_ids: frozenset[int] | None  # None: every team of the authority

    @property
    def role(self) -> str:
        return self.user.role

    def can(self, capability: Capability) -> bool:
        return self.user.is_active and self.role in GRANTS[capability]

    @property
    def is_team_limited(self) -> bool:
        return self.team_ids is not None

    def records(
        self, queryset: QuerySet[M], *, team: str | None = "team", authority: str = "authority"
    ) -> QuerySet[M]:
        """Limit a queryset to this scope's authority and, for team managers, their teams.

        `team` names the path from the model to its Team (SELF for teams themselves; None when
        the model has no team: such records are then hidden from team-limited users entirely).
        """
        queryset = queryset.filter(**{f"{authority}_id": self.authority.pk})
        if self.team_ids is None:
            return queryset
        if team is None:
            return queryset.none()
        if team == SELF:
            return queryset.filter(pk__in=self.team_ids)
        return queryset.filter(**{f"{team}_id__in": self.team_ids}).distinct()

    def get(self, queryset: QuerySet[M], *, team: str | None = "team", **lookup: Any) -> M:
        """One record inside the scope, or 404 (never a hint that it exists elsewhere)."""
        try:
            return self.records(queryset, team=team).get(**lookup)
        except (ObjectDoesNotExist, ValueError) as exc:
            raise Http404("Not found in your area.") from exc

    def allows_team(self, team_id: int | None) -> bool:
        return self.team_ids is None or team_id in self.team_ids


def scope_for(user: User, *, authority_id: int | None = None) -> Scope:
    """Build the scope of a signed-in user. Raises PermissionDenied if they have no authority."""
    if user.authority_id is None:
        raise PermissionDenied("Your account is not linked to an authority. Ask an administrator.")
    allowed = {user.authority_id, *user.extra_authorities.values_list("pk", flat=True)}
    chosen = authority_id if authority_id in allowed else user.authority_id
    authority = Authority.objects.get(pk=chosen)
    team_ids: frozenset[int] | None = None
    if user.role == UserRole.TEAM_MANAGER:
        team_ids = frozenset(user.managed_teams.values_list("pk", flat=True))
    return Scope(
        user=user, authority=authority, authority_ids=frozenset(allowed), team_ids=team_ids
    )


ViewFunc = Callable[..., HttpResponse]


def requires(*capabilities: Capability) -> Callable[[ViewFunc], ViewFunc]:
    """Decorate a view: sign-in required, every capability required, `request.scope` set."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            scope = scope_for(request.user, authority_id=request.session.get("authority_id"))  # type: ignore[arg-type]
            missing = [c for c in capabilities if not scope.can(c)]
            if missing:
                raise PermissionDenied("Your role does not allow this.")
            request.scope = scope  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapped.required_capabilities = capabilities  # type: ignore[attr-defined]
        return wrapped

    return decorator
