"""Who may see and do what: the one place every view and selector asks.

A user's role grants capabilities; their authority (and, for team managers, their teams) limits
which records those capabilities reach. Views get a `Scope` from `@requires(...)` (or
`scope_of(request)`) and pass it to selectors, which filter with `scope.records(...)`.

Team scope is date-aware. A record that belongs to a team only for a while (a person through
their engagements, a case through its team spells) is registered here by its app with a
*team rule*: a team manager reaches it only while it is in one of their teams, today or from a
future date already recorded. A former member of a team stays visible as the team's history
(counts, posts, who held them) but their person page, workload, absences and every write about
them are out of reach, and pages do not link to them.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from workforce.core.models import Authority, User, UserRole


class Capability(StrEnum):
    VIEW_AGGREGATES = "view_aggregates"  # tables and figures without names
    VIEW_PEOPLE = "view_people"  # names and personal details
    MANAGE_POSTS = "manage_posts"  # create, change and close establishment posts
    MANAGE_PEOPLE = "manage_people"  # appoint, move, agency, leavers
    RECORD_ABSENCE = "record_absence"
    VIEW_AUDIT = "view_audit"
    MANAGE_USERS = "manage_users"
    MANAGE_AUTHORITIES = "manage_authorities"  # create authorities, correct their details
    MANAGE_RECRUITMENT = "manage_recruitment"  # campaigns, candidates, checks, offers, starters
    SET_REQUIRED_CHECKS = "set_required_checks"  # which pre-employment checks roles need, when
    MANAGE_CASES = "manage_cases"  # allocate cases, record supervision and referrals
    IMPORT_DATA = "import_data"  # read files (a census return, HR extracts) into the authority
    MANAGE_REPORTS = "manage_reports"  # build, issue and regenerate board and committee reports
    MANAGE_ACTION_PLANS = "manage_action_plans"  # record sources, recommendations and actions
    UPDATE_ACTIONS = "update_actions"  # record progress on their own actions
    MANAGE_COMPARATOR_GROUPS = "manage_comparator_groups"  # the authority's benchmarking groups


R = UserRole
GRANTS: dict[Capability, frozenset[str]] = {
    Capability.VIEW_AGGREGATES: frozenset(R.values),
    Capability.VIEW_PEOPLE: frozenset({R.ADMIN, R.WORKFORCE_LEAD, R.HR_OFFICER, R.TEAM_MANAGER}),
    Capability.MANAGE_POSTS: frozenset({R.ADMIN, R.WORKFORCE_LEAD}),
    Capability.MANAGE_PEOPLE: frozenset({R.ADMIN, R.WORKFORCE_LEAD, R.HR_OFFICER}),
    Capability.RECORD_ABSENCE: frozenset({R.ADMIN, R.WORKFORCE_LEAD, R.HR_OFFICER, R.TEAM_MANAGER}),
    Capability.VIEW_AUDIT: frozenset({R.ADMIN}),
    Capability.MANAGE_USERS: frozenset({R.ADMIN}),
    Capability.MANAGE_AUTHORITIES: frozenset({R.ADMIN}),
    Capability.MANAGE_RECRUITMENT: frozenset({R.ADMIN, R.WORKFORCE_LEAD, R.HR_OFFICER}),
    Capability.SET_REQUIRED_CHECKS: frozenset({R.ADMIN, R.WORKFORCE_LEAD}),
    Capability.MANAGE_CASES: frozenset({R.ADMIN, R.WORKFORCE_LEAD, R.TEAM_MANAGER}),
    Capability.IMPORT_DATA: frozenset({R.ADMIN, R.WORKFORCE_LEAD}),
    Capability.MANAGE_REPORTS: frozenset({R.ADMIN, R.WORKFORCE_LEAD}),
    Capability.MANAGE_ACTION_PLANS: frozenset({R.ADMIN, R.WORKFORCE_LEAD}),
    Capability.UPDATE_ACTIONS: frozenset({R.ADMIN, R.WORKFORCE_LEAD, R.HR_OFFICER, R.TEAM_MANAGER}),
    Capability.MANAGE_COMPARATOR_GROUPS: frozenset({R.ADMIN, R.WORKFORCE_LEAD}),
}

M = TypeVar("M", bound=Model)
SELF = "self"  # `team=SELF`: the records are teams themselves
RULE = "rule"  # `team=RULE` (the default): the model's registered team rule, else its `team`
AUTHORITY_WIDE = "authority-wide"  # records every user of the authority may reach (team names)

# A team rule: given a manager's team ids and today's date, the condition a record must meet.
TeamRule = Callable[[frozenset[int], dt.date], Q]
_TEAM_RULES: dict[type[Model], TeamRule] = {}


def register_team_rule(model: type[Model], rule: TeamRule) -> None:
    """Say how a model's records belong to teams over time (apps call this in `ready()`)."""
    _TEAM_RULES[model] = rule


def team_rule_for(model: type[Model]) -> TeamRule | None:
    return _TEAM_RULES.get(model)


def through_intervals(
    interval: type[Model],
    *,
    link: str,
    outer: str = "pk",
    team: str = "team_id",
    closed_with: str | None = None,
) -> TeamRule:
    """A rule for records that belong to a team through intervals `[start, end)` of another model.

    The record is in a manager's scope while one of its intervals in their teams has not ended
    by today (current, or starting later). `link` is the interval's field pointing at the record
    (`outer` on the record). With `closed_with`, an interval that ended on the record's own
    `closed_with` date also counts: a case closed while with a team stays that team's record.
    """

    def rule(team_ids: frozenset[int], today: dt.date) -> Q:
        live = Q(end__isnull=True) | Q(end__gt=today)
        if closed_with is not None:
            live |= Q(end=OuterRef(closed_with))
        intervals = interval._default_manager.filter(  # type: ignore[attr-defined]
            live, **{link: OuterRef(outer), f"{team}__in": team_ids}
        )
        return Q(Exists(intervals))

    return rule


class _Everything:
    """A container holding every id: what an unlimited scope may open."""

    def __contains__(self, item: object) -> bool:
        return True


EVERYTHING: Container[object] = _Everything()


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

    @property
    def today(self) -> dt.date:
        return timezone.localdate()

    def records(
        self, queryset: QuerySet[M], *, team: str | None = RULE, authority: str = "authority"
    ) -> QuerySet[M]:
        """Limit a queryset to this scope's authority and, for team managers, their teams.

        `team` is RULE (the default) for the model's registered team rule, falling back to its
        `team` field; a path from the model to its Team for records that stay with one team
        (SELF for teams themselves); AUTHORITY_WIDE for records anyone of the authority may
        reach whatever their teams (the list of teams a case can be passed to); None when the
        model has no team: such records are then hidden from team-limited users entirely.
        """
        queryset = queryset.filter(**{f"{authority}_id": self.authority.pk})
        if self.team_ids is None or team == AUTHORITY_WIDE:
            return queryset
        if team == RULE:
            rule = team_rule_for(queryset.model)
            if rule is not None:
                return queryset.filter(rule(self.team_ids, self.today))
            team = "team"
        if team is None:
            return queryset.none()
        if team == SELF:
            return queryset.filter(pk__in=self.team_ids)
        return queryset.filter(**{f"{team}_id__in": self.team_ids}).distinct()

    def get(self, queryset: QuerySet[M], *, team: str | None = RULE, **lookup: Any) -> M:
        """One record inside the scope, or 404 (never a hint that it exists elsewhere)."""
        try:
            return self.records(queryset, team=team).get(**lookup)
        except (ObjectDoesNotExist, ValueError) as exc:
            raise Http404("Not found in your area.") from exc

    def team_condition(self, model: type[Model]) -> Q | None:
        """The registered team rule of `model` for this user today (None: no team limit), for a
        selector that widens it (an application also reaches the manager named on it)."""
        if self.team_ids is None:
            return None
        rule = team_rule_for(model)
        if rule is None:
            raise LookupError(f"No team rule is registered for {model.__name__}.")
        return rule(self.team_ids, self.today)

    def openable(self, model: type[Model], ids: Iterable[int | None]) -> Container[object]:
        """Which of these records this user may open: pages link only to those."""
        if self.team_ids is None:
            return EVERYTHING
        wanted = {i for i in ids if i is not None}
        if not wanted:
            return frozenset()
        reachable = self.records(model._default_manager.filter(pk__in=wanted))  # type: ignore[attr-defined]
        return frozenset(reachable.values_list("pk", flat=True))

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


def scope_of(request: HttpRequest) -> Scope:
    """The scope `@requires` set on this request."""
    return request.scope  # type: ignore[attr-defined, no-any-return]


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
