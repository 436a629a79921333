"""Reads of recruitment: who may see which candidates, the pipeline board and the reports.

Candidates' personal data reaches only users who manage recruitment (HR, workforce leads,
administrators) and the HR officer or area manager named on an application. Everyone with
`VIEW_AGGREGATES` sees counts; a team manager's counts are those of their teams' posts.

Reports answer as at a date (`ReportFilter.on`) from the stage history, and count what happened
in a period ending that day (`ReportFilter.first` to `on`): the counts, durations and
percentiles are SQL in `figures` (one query per table); this module only joins them to targets
and labels.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.http import Http404

from workforce.core.access import Capability, Scope
from workforce.core.dates import day_text, years_before
from workforce.core.models import User
from workforce.core.tables import Column, Kind, Table
from workforce.establishment.models import EMPLOYED_KINDS, Engagement, Post, Role
from workforce.recruitment import expected, figures
from workforce.recruitment.models import (
    EXIT_STAGES,
    STAGE_ORDER,
    Application,
    Campaign,
    Candidate,
    CheckKind,
    ExitReason,
    Stage,
    Strand,
    StrandKind,
    StrandTarget,
    Task,
    Vacancy,
    stages_from,
)

STAGE_LABELS = dict(Stage.choices)
REASON_LABELS = dict(ExitReason.choices)
KIND_LABELS = dict(StrandKind.choices)
NO_STRAND = "No strand"
NO_DEADLINE = "No date set"  # a target with no deadline (Sandwell's agency strand)


# Who sees names ------------------------------------------------------------------------------


def sees_all_candidates(scope: Scope) -> bool:
    return scope.can(Capability.MANAGE_RECRUITMENT)


def named_on(user: User, prefix: str = "") -> Q:
    return Q(**{f"{prefix}hr_officer": user}) | Q(**{f"{prefix}area_manager": user})


def applications_with_names(scope: Scope) -> QuerySet[Application]:
    """Applications whose candidate this user may see by name."""
    applications = Application.objects.filter(authority=scope.authority)
    if sees_all_candidates(scope):
        return applications
    if scope.can(Capability.VIEW_PEOPLE):
        return applications.filter(named_on(scope.user))
    return applications.none()


def _get(queryset: QuerySet, pk: int) -> Any:
    """One record of an already scoped queryset, or 404 (never a hint that it exists elsewhere).

    Campaigns and vacancies are reached through `campaigns_visible` and `vacancies_visible`;
    candidates' names only through `applications_with_names`.
    """
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404("Not found in your area.")
    return found


def application_for(scope: Scope, application_id: int) -> Application:
    return _get(
        applications_with_names(scope).select_related(
            "candidate",
            "vacancy__role",
            "vacancy__strand__campaign",
            "hr_officer",
            "area_manager",
            "preferred_team",
            "post__team",
            "worker",
            "engagement",
        ),
        application_id,
    )


def candidate_for(scope: Scope, candidate_id: int) -> Candidate:
    candidates = Candidate.objects.filter(authority=scope.authority)
    if not sees_all_candidates(scope):
        candidates = candidates.filter(pk__in=applications_with_names(scope).values("candidate_id"))
    return _get(candidates, candidate_id)


def candidate_applications(scope: Scope, candidate: Candidate) -> QuerySet[Application]:
    return (
        applications_with_names(scope)
        .filter(candidate=candidate)
        .select_related("vacancy__role", "vacancy__strand__campaign")
        .order_by("-applied_on")
    )


# Campaigns, vacancies and the pipeline -------------------------------------------------------


def vacancies_visible(scope: Scope) -> QuerySet[Vacancy]:
    """Vacancies of the authority; a team manager's are those filling posts in their teams or
    with an application naming them."""
    vacancies = Vacancy.objects.filter(authority=scope.authority)
    if scope.team_ids is None:
        return vacancies
    in_teams = Vacancy.posts.through.objects.filter(
        vacancy_id=OuterRef("pk"), post__team_id__in=scope.team_ids
    )
    named = Application.objects.filter(vacancy_id=OuterRef("pk")).filter(named_on(scope.user))
    return vacancies.filter(Exists(in_teams) | Exists(named))


def campaigns_visible(scope: Scope) -> QuerySet[Campaign]:
    """Campaigns of the authority; a team manager's are those with a vacancy they can see."""
    campaigns = Campaign.objects.filter(authority=scope.authority)
    if scope.team_ids is None:
        return campaigns
    seen = vacancies_visible(scope).filter(strand__campaign_id=OuterRef("pk"))
    return campaigns.filter(Exists(seen))


def campaigns_for(scope: Scope, *, on: dt.date) -> list[Campaign]:
    """Campaigns in scope, each with its applications and starters as at `on` (for a team
    manager, their teams' only): two queries."""
    counts = figures.progress_on(
        ReportFilter.for_scope(scope, on=on).progress(in_strands=True), on=on, by=("campaign",)
    )
    campaigns = list(campaigns_visible(scope).order_by("-start", "name"))
    for campaign in campaigns:
        c = counts.get((campaign.pk,), figures.ZERO)
        campaign.applications = c.applications  # type: ignore[attr-defined]
        campaign.started = c.started  # type: ignore[attr-defined]
    return campaigns


def campaign_for(scope: Scope, campaign_id: int) -> Campaign:
    return _get(campaigns_visible(scope), campaign_id)


def strand_for(scope: Scope, strand_id: int) -> Strand:
    return _get(
        Strand.objects.filter(campaign__in=campaigns_visible(scope)).select_related("campaign"),
        strand_id,
    )


def vacancy_for(scope: Scope, vacancy_id: int) -> Vacancy:
    return _get(
        vacancies_visible(scope).select_related("role", "strand__campaign"),
        vacancy_id,
    )


def strands_of(campaign: Campaign) -> list[Strand]:
    return list(
        campaign.strands.prefetch_related("targets__role")
        .annotate(vacancy_count=Count("vacancies", distinct=True))
        .order_by("start", "pk")
    )


def vacancies_of(campaign: Campaign, *, scope: Scope) -> QuerySet[Vacancy]:
    """The campaign's vacancies this user can open."""
    return (
        vacancies_visible(scope)
        .filter(strand__campaign=campaign)
        .select_related("role", "strand")
        .annotate(
            application_count=Count("applications", distinct=True),
            post_count=Count("posts", distinct=True),
        )
        .order_by("-opened_on", "reference")
    )


@dataclass
class PipelineColumn:
    stage: str
    label: str
    count: int
    cards: list[Application] = field(default_factory=list)


@dataclass
class Pipeline:
    columns: list[PipelineColumn]
    left: list[tuple[str, int]]  # (outcome label, count) for applications that left
    names_shown: bool
    hidden: int  # applications counted but not shown by name to this user

    @property
    def total(self) -> int:
        return sum(c.count for c in self.columns) + sum(n for _, n in self.left)


CARD_LIMIT = 30


def pipeline(scope: Scope, *, applications: QuerySet[Application]) -> Pipeline:
    """Columns by stage with counts; names only of the applications this user may see."""
    counts = dict(applications.order_by().values_list("stage").annotate(n=Count("pk")))
    visible = (
        applications_with_names(scope)
        .filter(pk__in=applications.values("pk"), stage__in=STAGE_ORDER)
        .exclude(stage=Stage.STARTED)
        .select_related("candidate", "vacancy")
        .order_by("stage_on", "pk")
    )
    cards: dict[str, list[Application]] = defaultdict(list)
    shown = 0
    for application in visible:
        if len(cards[application.stage]) < CARD_LIMIT:
            cards[application.stage].append(application)
            shown += 1
    columns = [
        PipelineColumn(stage, STAGE_LABELS[stage], counts.get(stage, 0), cards.get(stage, []))
        for stage in STAGE_ORDER
    ]
    open_total = sum(counts.get(s, 0) for s in STAGE_ORDER if s != Stage.STARTED)
    return Pipeline(
        columns=columns,
        left=[(STAGE_LABELS[s], counts.get(s, 0)) for s in EXIT_STAGES],
        names_shown=shown > 0,
        hidden=open_total - shown,
    )


def applications_in_scope(
    scope: Scope, applications: QuerySet[Application]
) -> QuerySet[Application]:
    """For a team manager, the applications for posts in their teams or naming them."""
    in_scope = scope.team_condition(Application)
    if in_scope is None:
        return applications
    return applications.filter(in_scope | named_on(scope.user))


def campaign_applications(scope: Scope, campaign: Campaign) -> QuerySet[Application]:
    return applications_in_scope(
        scope, Application.objects.filter(vacancy__strand__campaign=campaign)
    )


def vacancy_applications(scope: Scope, vacancy: Vacancy) -> QuerySet[Application]:
    return (
        applications_with_names(scope)
        .filter(vacancy=vacancy)
        .select_related("candidate", "post__team")
        .order_by("stage_on", "pk")
    )


# Tasks ---------------------------------------------------------------------------------------


def tasks_for(user: User, *, today: dt.date) -> dict[str, QuerySet[Task]]:
    """A user's open tasks: overdue, and the rest (due later or waiting on checks)."""
    open_tasks = Task.objects.filter(owner=user, done_on__isnull=True).select_related(
        "application__candidate", "application__vacancy"
    )
    return {
        "overdue": open_tasks.filter(due_on__lt=today).order_by("due_on", "pk"),
        "upcoming": open_tasks.filter(Q(due_on__gte=today) | Q(due_on__isnull=True)).order_by(
            F("due_on").asc(nulls_last=True), "pk"
        ),
    }


def unassigned_overdue(scope: Scope, *, today: dt.date) -> QuerySet[Task]:
    """Overdue tasks nobody owns (no named HR officer yet): for any HR officer to pick up."""
    return (
        Task.objects.filter(
            authority=scope.authority, owner__isnull=True, done_on__isnull=True, due_on__lt=today
        )
        .select_related("application__candidate")
        .order_by("due_on", "pk")
    )


def overdue_by_owner(scope: Scope, *, today: dt.date) -> list[dict[str, Any]]:
    """How many tasks each HR officer has overdue (a count; no candidate names)."""
    rows = (
        Task.objects.filter(authority=scope.authority, done_on__isnull=True, due_on__lt=today)
        .values("owner_id", "owner__first_name", "owner__last_name", "owner__username")
        .annotate(overdue=Count("pk"))
        .order_by("-overdue", "owner__last_name")
    )
    return [
        {
            "owner": " ".join(p for p in (r["owner__first_name"], r["owner__last_name"]) if p)
            or r["owner__username"]
            or "Nobody",
            "overdue": r["overdue"],
        }
        for r in rows
    ]


# Reports -------------------------------------------------------------------------------------


def in_teams(team_ids: frozenset[int] | tuple[int, ...]) -> Q:
    """Applications for posts in these teams: the allocated post's team, or while no post is
    allocated the teams of the posts the vacancy fills (as `figures.ProgressFilter`)."""
    vacancy_posts = Vacancy.posts.through.objects.filter(
        vacancy_id=OuterRef("vacancy_id"), post__team_id__in=team_ids
    )
    return Q(post__team_id__in=team_ids) | Q(post__isnull=True) & Q(Exists(vacancy_posts))


def year_to(on: dt.date) -> dt.date:
    """The first day of the 12 months ending on `on`: 1 April 2024 for 31 March 2025."""
    return years_before(on, 1) + dt.timedelta(days=1)


@dataclass(frozen=True)
class ReportFilter:
    """The applications a report covers: an authority, a campaign (None: all), a team
    manager's teams, the date the figures answer for (today by default), and the first day of
    the period ending that day whose events are counted (by default the 12 months to it)."""

    authority_id: int
    campaign_id: int | None = None
    on: dt.date = field(default_factory=dt.date.today)
    team_ids: frozenset[int] | None = None  # None: every team
    start: dt.date | None = None  # the period's first day; None: the 12 months to `on`

    @classmethod
    def for_scope(
        cls,
        scope: Scope,
        *,
        campaign_id: int | None = None,
        on: dt.date | None = None,
        start: dt.date | None = None,
    ) -> ReportFilter:
        return cls(
            authority_id=scope.authority.pk,
            campaign_id=campaign_id,
            on=on or dt.date.today(),
            team_ids=scope.team_ids,
            start=start,
        )

    @property
    def first(self) -> dt.date:
        """The period's first day; its last is `on`."""
        return self.start or year_to(self.on)

    @property
    def period_text(self) -> str:
        """ "1 April 2024 to 31 March 2025"."""
        return f"{day_text(self.first)} to {day_text(self.on)}"

    def applications(self) -> QuerySet[Application]:
        qs = Application.objects.filter(authority_id=self.authority_id)
        if self.campaign_id is not None:
            qs = qs.filter(vacancy__strand__campaign_id=self.campaign_id)
        if self.team_ids is not None:
            qs = qs.filter(in_teams(self.team_ids))
        return qs

    def strands(self) -> QuerySet[Strand]:
        """The strands reported on; for a team manager, those recruiting to their teams' posts
        (a vacancy for one of them, or an application allocated to one)."""
        qs = Strand.objects.filter(authority_id=self.authority_id)
        if self.campaign_id is not None:
            qs = qs.filter(campaign_id=self.campaign_id)
        if self.team_ids is not None:
            posts = Vacancy.posts.through.objects.filter(
                vacancy__strand_id=OuterRef("pk"), post__team_id__in=self.team_ids
            )
            applications = Application.objects.filter(vacancy__strand_id=OuterRef("pk")).filter(
                in_teams(self.team_ids)
            )
            qs = qs.filter(Exists(posts) | Exists(applications))
        return qs

    def progress(self, *, in_strands: bool = False) -> figures.ProgressFilter:
        return figures.ProgressFilter(
            authority_ids=(self.authority_id,),
            campaign_id=self.campaign_id,
            team_ids=None if self.team_ids is None else tuple(sorted(self.team_ids)),
            in_strands=in_strands,
        )


@dataclass
class ProgressRow:
    campaign: str
    strand: str
    strand_kind: str
    role: str
    target: int | None
    deadline: dt.date | None
    offered: int
    in_checks: int
    unconditional: int
    accepted: int
    started: int
    on: dt.date | None = None
    recommended: int = 0  # recommended, no pre-employment check requested yet
    conditional_accepted: int = 0  # of those recommended or in checks, accepted the offer
    agency_staff: bool = False  # the strand recruits agency workers
    strand_start: dt.date | None = None  # when the strand began recruiting
    strand_end: dt.date | None = None  # when it stopped (the campaign's end if earlier)

    def running_on(self, day: dt.date) -> bool:
        """Whether the strand was recruiting on `day`."""
        started = self.strand_start is None or self.strand_start <= day
        return started and (self.strand_end is None or self.strand_end >= day)

    @property
    def recruited(self) -> int:
        """Still on course to join: recommended and not since withdrawn, rejected, declined or
        pulled out."""
        return self.recommended + self.in_checks + self.unconditional + self.accepted + self.started

    @property
    def still_to_find(self) -> int | None:
        return None if self.target is None else max(self.target - self.recruited, 0)

    @property
    def sentence(self) -> str:
        """The figures as a council report says them (Sandwell, September 2017)."""
        return progress_sentence(
            recruited=self.recruited,
            target=self.target,
            started=self.started,
            in_checks=self.in_checks,
            unconditional=self.unconditional,
            accepted=self.accepted,
            recommended=self.recommended,
            on=self.on,
        )


def progress_sentence(
    *,
    recruited: int | str,
    target: int | None,
    started: int | str,
    in_checks: int | str,
    unconditional: int | str = 0,
    accepted: int | str = 0,
    recommended: int | str = 0,
    on: dt.date | None = None,
) -> str:
    """ "11 recruited at 30 September 2017 against a target of 15: 4 started, 7 in
    pre-employment checks". A count may be given as text (a withheld one in a board paper).

    Candidates recommended whose checks have not started are said apart ("2 recommended,
    checks not yet started"), never counted as in checks."""
    against = f"against a target of {target}" if target is not None else "(no target set)"
    parts = [f"{started} started", f"{in_checks} in pre-employment checks"]
    if recommended:
        parts.append(f"{recommended} recommended, checks not yet started")
    if unconditional:
        parts.append(f"{unconditional} with an unconditional offer")
    if accepted:
        parts.append(f"{accepted} accepted and waiting to start")
    at = f" at {on.day} {on:%B %Y}" if on is not None else ""
    return f"{recruited} recruited{at} {against}: " + ", ".join(parts)


def strand_progress(where: ReportFilter) -> list[ProgressRow]:
    """Per strand and role, as at `where.on`: target, offered, in checks, accepted, started.

    The counts are one query (`figures.progress`); targets, strands and roles three more.
    A team manager's rows count only their teams' applications; targets are the strand's.
    """
    counts = figures.progress_on(
        where.progress(in_strands=True), on=where.on, by=("strand", "role")
    )
    targets = {
        (t.strand_id, t.role_id): t
        for t in StrandTarget.objects.filter(strand__in=where.strands()).select_related("role")
    }
    strands = {s.pk: s for s in where.strands().select_related("campaign")}
    keys = {key for key in counts if key[0] in strands} | set(targets)
    roles = {r.pk: r for r in Role.objects.filter(pk__in={role_id for _, role_id in keys})}
    rows = []
    for key in keys:
        strand_id, role_id = key
        strand, role, target = strands[strand_id], roles[role_id], targets.get(key)
        c = counts.get(key, figures.ZERO)
        rows.append(
            (
                (strand.campaign.start, strand.start, strand.pk, role.order, role.title),
                ProgressRow(
                    campaign=strand.campaign.name,
                    strand=str(strand),
                    strand_kind=KIND_LABELS[strand.kind],
                    role=role.title,
                    target=target.target if target else None,
                    deadline=target.deadline if target else None,
                    offered=c.offered,
                    recommended=c.recommended,
                    conditional_accepted=c.conditional_accepted,
                    agency_staff=strand.agency_staff,
                    in_checks=c.in_checks,
                    unconditional=c.unconditional,
                    accepted=c.accepted,
                    started=c.started,
                    on=where.on,
                    strand_start=strand.start,
                    strand_end=min(
                        (d for d in (strand.end, strand.campaign.end) if d is not None),
                        default=None,
                    ),
                ),
            )
        )
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


Spread = figures.Spread


def time_to_hire(where: ReportFilter) -> dict[str, Spread]:
    """Days from application to the unconditional offer, to acceptance and to the start, for the
    moves made by `where.on` (one query)."""
    found = figures.time_to_stages(where.progress(), on=where.on)
    return {
        "offer": found.get(Stage.UNCONDITIONAL_OFFER, figures.NO_SPREAD),
        "accepted": found.get(Stage.ACCEPTED, figures.NO_SPREAD),
        "started": found.get(Stage.STARTED, figures.NO_SPREAD),
    }


def time_in_stage(where: ReportFilter) -> list[tuple[str, Spread]]:
    """Days spent in each stage by applications that had moved on from it by `where.on`."""
    found = figures.time_in_stages(where.progress(), on=where.on)
    return [
        (STAGE_LABELS[stage], found.get(stage, figures.NO_SPREAD))
        for stage in STAGE_ORDER
        if stage != Stage.STARTED
    ]


FORMER_REGISTERS = (CheckKind.GSCC, CheckKind.HCPC)


def check_turnaround(where: ReportFilter) -> list[tuple[str, Spread, int]]:
    """Per kind of check requested by `where.on`: days from request to result, and how many
    were still waiting at that date. The registers Social Work England replaced (GSCC, HCPC)
    are left out when there are no checks of them."""
    done, waiting = figures.check_turnarounds(where.progress(), on=where.on)
    return [
        (label, done.get(kind, figures.NO_SPREAD), int(waiting.get(kind, 0)))
        for kind, label in CheckKind.choices
        if kind not in FORMER_REGISTERS or kind in done or waiting.get(kind)
    ]


def dbs_turnaround(where: ReportFilter) -> Spread:
    return next(s for label, s, _ in check_turnaround(where) if label == CheckKind.DBS.label)


@dataclass
class DropoutRow:
    stage: str
    reached: int
    left: int

    @property
    def rate(self) -> float | None:
        return None if not self.reached else self.left / self.reached


def _states(where: ReportFilter) -> dict[tuple[Any, ...], figures.Progress]:
    """How many applications stood at each (stage, stage left from, reason) as at `where.on`."""
    return figures.progress_on(where.progress(), on=where.on, by=("stage", "from_stage", "reason"))


def dropout_by_stage(where: ReportFilter) -> list[DropoutRow]:
    """For each stage, as at `where.on`: how many applications had reached it and how many had
    left the process there (sums over the few states of one grouped query)."""
    states = _states(where)
    out = []
    for stage in STAGE_ORDER:
        if stage == Stage.STARTED:
            continue
        later = stages_from(stage)
        reached_n = left_n = 0
        for (at, left_from, _reason), c in states.items():
            if at in later or (at in EXIT_STAGES and left_from in later):
                reached_n += c.applications
            if at in EXIT_STAGES and left_from == stage:
                left_n += c.applications
        out.append(DropoutRow(STAGE_LABELS[stage], reached_n, left_n))
    return out


def dropout_reasons(where: ReportFilter) -> list[tuple[str, str, str, int]]:
    """(stage left at, outcome, reason, count) as at `where.on`, in stage order."""
    rows = [
        (left_from, at, reason, c.applications)
        for (at, left_from, reason), c in _states(where).items()
        if at in EXIT_STAGES
    ]
    ordered = sorted(
        rows,
        key=lambda r: (STAGE_ORDER.index(r[0]) if r[0] in STAGE_ORDER else 99, r[1], -r[3]),
    )
    return [
        (
            STAGE_LABELS.get(s or "", s or ""),
            STAGE_LABELS[o],
            REASON_LABELS.get(r, r or "Not recorded"),
            n,
        )
        for s, o, r, n in ordered
    ]


@dataclass
class SourceRow:
    source: str
    applications: int
    offered: int
    started: int
    cost: Decimal

    @property
    def conversion(self) -> float | None:
        return None if not self.applications else self.started / self.applications

    @property
    def cost_per_hire(self) -> Decimal | None:
        if not self.started:
            return None
        return (self.cost / self.started).quantize(Decimal("0.01"))


def source_effectiveness(where: ReportFilter) -> list[SourceRow]:
    """Per kind of strand, as at `where.on`: applications, offers, starters, cost and cost per
    hire. The cost is the strands' cost as recorded now."""
    counts = figures.progress_on(where.progress(), on=where.on, by=("kind",))
    costs: dict[Any, Any] = dict(
        where.strands().order_by().values_list("kind").annotate(total=Sum("cost"))
    )
    rows = []
    for kind, label in [*StrandKind.choices, (None, NO_STRAND)]:
        c = counts.get((kind,))
        cost = (costs.get(kind) or Decimal(0)) if kind is not None else Decimal(0)
        if c is None and not cost:
            continue
        c = c or figures.ZERO
        rows.append(
            SourceRow(
                source=label,
                applications=c.applications,
                offered=c.offered,
                started=c.started,
                cost=Decimal(cost),
            )
        )
    return rows


@dataclass
class OfferRow:
    """Offers made and accepted by a date, for one role: conditional and unconditional apart."""

    role: str
    offered: int  # conditional offers made
    conditional_accepted: int
    unconditional: int  # unconditional offers made
    accepted: int  # unconditional offers accepted, including those who pulled out after
    pulled_out: int  # pulled out after accepting (either offer)


def offer_rows(where: ReportFilter) -> list[OfferRow]:
    """Per role, as at `where.on`: conditional offers made and accepted, unconditional offers
    made and accepted, and those who pulled out after accepting (one query)."""
    counts = figures.progress_on(where.progress(), on=where.on, by=("role",))
    roles = Role.objects.filter(pk__in=[role_id for (role_id,), c in counts.items() if c.offered])
    rows = []
    for role in roles.order_by("order", "title"):
        c = counts[(role.pk,)]
        rows.append(
            OfferRow(
                role=role.title,
                offered=c.offered,
                conditional_accepted=c.ever_conditional_accepted,
                unconditional=c.ever_unconditional,
                accepted=c.ever_accepted,
                pulled_out=c.pulled_out,
            )
        )
    return rows


def offers_by_role(where: ReportFilter) -> list[tuple[str, int, int]]:
    """Per role, as at `where.on`: candidates offered a post by then, and those who had accepted
    the unconditional offer, including any who pulled out after (the Slough table)."""
    return [(r.role, r.offered, r.accepted) for r in offer_rows(where)]


# Report tables: the same rows on the page and in the downloads -------------------------------


def newly_qualified(where: ReportFilter) -> expected.Panel:
    """Newly qualified social workers expected from the authority's own routes from the report
    date to the next 30 September, in the user's teams (every campaign: they come without
    one)."""
    return expected.panel(
        expected.NEWLY_QUALIFIED,
        authority=where.authority_id,
        on=where.on,
        team_ids=where.team_ids,
    )


def _share(part: int, whole: int) -> Decimal | None:
    return None if not whole else Decimal(part) / Decimal(whole)


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _days(key: str, label: str) -> Column:
    return Column(key, label, Kind.DECIMAL, places=1)


REPORTS = (
    "progress",
    "period",
    "position",
    "time_to_hire",
    "time_in_stage",
    "checks",
    "dropout",
    "dropout_reasons",
    "sources",
    "offers_by_role",
    "newly_qualified",
)


def report_table(key: str, where: ReportFilter, *, hide: tuple[str, ...] = ()) -> Table:
    """One named report table (see REPORTS), leaving the `hide` columns (keys) off the page."""
    table = _report_table(key, where)
    table.key = key
    return table.hiding(*hide)


PROGRESS_COLUMNS = [
    Column("campaign", "Campaign"),
    Column("strand", "Strand"),
    Column("role", "Role"),
    Column("target", "Target", Kind.COUNT),
    Column("deadline", "Deadline", Kind.DATE),
    Column("offered", "Offered", Kind.COUNT),
    Column("recommended", "Recommended, checks not yet started", Kind.COUNT),
    Column("in_checks", "In pre-employment checks", Kind.COUNT),
    Column("conditional_accepted", "Conditional offer accepted, checks running", Kind.COUNT),
    Column("unconditional", "Unconditional offer", Kind.COUNT),
    Column("accepted", "Accepted, waiting to start", Kind.COUNT),
    Column("started", "Started", Kind.COUNT),
    Column("recruited", "Recruited", Kind.COUNT),
    Column("still_to_find", "Still to find", Kind.COUNT),
    Column("summary", "Summary"),
]


def progress_table(rows: list[ProgressRow], *, on: dt.date) -> Table:
    """Progress against target by strand and role, one row per `ProgressRow`."""
    return Table(
        f"Progress against target by strand and role at {_day(on)}",
        list(PROGRESS_COLUMNS),
        [
            [
                r.campaign,
                r.strand,
                r.role,
                r.target,
                r.deadline or (NO_DEADLINE if r.target is not None else None),
                r.offered,
                r.recommended,
                r.in_checks,
                r.conditional_accepted,
                r.unconditional,
                r.accepted,
                r.started,
                r.recruited,
                r.still_to_find,
                r.sentence,
            ]
            for r in rows
        ],
        notes=[
            "Recruited: recommended and still in the process, or started. Offered: every "
            "candidate who reached a conditional offer, including those who later left.",
            "Recommended, checks not yet started: no pre-employment check requested yet; they "
            "are not counted as in pre-employment checks. Conditional offer accepted: those "
            "recommended or in checks who have accepted the conditional offer (part of the two "
            "columns before it, not added to them).",
            "Accepted, waiting to start: holding an accepted unconditional offer on the date. "
            "It does not count anyone who pulled out after accepting; they leave the recruited "
            "figure from the day they pull out. Agency workers recruited by an agency strand "
            "count as started from their first day.",
        ],
    )


@dataclass
class PeriodRow:
    """For one role: what happened in the period, and where applications stood at its end."""

    role: str
    events: figures.Events
    position: figures.Progress


def period_rows(where: ReportFilter) -> list[PeriodRow]:
    """Per role: the moves made from `where.first` to `where.on` (`figures.events`) and the
    position at `where.on` (`figures.progress_on`): two queries, and one for the roles."""
    happened = figures.events(where.progress(), first=where.first, last=where.on, by=("role",))
    stood = figures.progress_on(where.progress(), on=where.on, by=("role",))
    ids = set(happened) | {key for key, c in stood.items() if c.recruited - c.started}
    roles = Role.objects.filter(pk__in=[role_id for (role_id,) in ids]).order_by("order", "title")
    return [
        PeriodRow(
            role=role.title,
            events=happened.get((role.pk,), figures.NO_EVENTS),
            position=stood.get((role.pk,), figures.ZERO),
        )
        for role in roles
    ]


PERIOD_COLUMNS = [
    Column("role", "Role"),
    Column("applications", "Applications received", Kind.COUNT),
    Column("shortlisted", "Shortlisted", Kind.COUNT),
    Column("interviewed", "Interviewed", Kind.COUNT),
    Column("recommended", "Recommended (conditional offer made)", Kind.COUNT),
    Column("conditional_accepted", "Conditional offer accepted", Kind.COUNT),
    Column("unconditional", "Unconditional offer made", Kind.COUNT),
    Column("accepted", "Unconditional offer accepted", Kind.COUNT),
    Column("pulled_out", "Pulled out after accepting", Kind.COUNT),
    Column("started_employed", "Started as employees", Kind.COUNT),
    Column("started_agency", "Started as agency workers", Kind.COUNT),
]
POSITION_COLUMNS = [
    Column("role", "Role"),
    Column("recommended", "Recommended, checks not yet started", Kind.COUNT),
    Column("in_checks", "In pre-employment checks", Kind.COUNT),
    Column("conditional_accepted", "Conditional offer accepted, checks running", Kind.COUNT),
    Column("unconditional", "Unconditional offer, not yet accepted", Kind.COUNT),
    Column("accepted", "Accepted, waiting to start", Kind.COUNT),
]
PERIOD_NOTES = [
    "Each move is counted on the day it happened, whatever happened after: an acceptance in "
    "the period counts even if the candidate pulled out later, and “Pulled out after "
    "accepting” says how many pulled out in the period. Recommending a candidate after "
    "interview makes the conditional offer, so one column counts both.",
    "A conditional offer not recorded as accepted counts as accepted on the day the "
    "unconditional offer replaced it. A start counts as an agency worker's when the "
    "recruit started as an agency worker (a strand recruiting agency staff).",
]


def _with_totals(rows: list[list[Any]]) -> list[Any] | None:
    if not rows:
        return None
    return ["Total", *(sum(r[i] for r in rows) for i in range(1, len(rows[0])))]


def period_table(rows: list[PeriodRow], where: ReportFilter) -> Table:
    """What happened from `where.first` to `where.on`, by role, with a total."""
    cells = [[r.role, *(getattr(r.events, c.key) for c in PERIOD_COLUMNS[1:])] for r in rows]
    return Table(
        f"Recruitment from {where.period_text}, by role",
        list(PERIOD_COLUMNS),
        cells,
        totals=_with_totals(cells),
        notes=list(PERIOD_NOTES),
    )


def position_table(rows: list[PeriodRow], where: ReportFilter) -> Table:
    """Where applications stood at `where.on`, by role, between recommendation and start."""
    cells = [[r.role, *(getattr(r.position, c.key) for c in POSITION_COLUMNS[1:])] for r in rows]
    return Table(
        f"Between recommendation and start at {day_text(where.on)}, by role",
        list(POSITION_COLUMNS),
        cells,
        totals=_with_totals(cells),
        notes=[
            "Recommended, checks not yet started: no pre-employment check requested yet; they "
            "are not counted as in pre-employment checks. Conditional offer accepted: those "
            "recommended or in checks who have accepted the conditional offer (part of the two "
            "columns before it, not added to them). Accepted, waiting to start does not count "
            "anyone who pulled out after accepting."
        ],
    )


def offered_and_accepted(where: ReportFilter) -> str:
    """The period's offers as councils say them (Slough, 2014): offered and accepted, counting
    conditional acceptances, and whether accepted counts those who pulled out."""
    rows = period_rows(where)
    offered = sum(r.events.recommended for r in rows)
    accepted = sum(r.events.conditional_accepted for r in rows)
    pulled_out = sum(r.events.pulled_out for r in rows)
    people = "candidate was" if offered == 1 else "candidates were"
    out = "person" if pulled_out == 1 else "people"
    return (
        f"From {where.period_text}, {offered} {people} offered a post and {accepted} accepted "
        "(a conditional offer, or the unconditional offer that replaced it). Accepted counts "
        f"anyone who later pulled out: {pulled_out} {out} pulled out after accepting in the "
        "period."
    )


def _report_table(key: str, where: ReportFilter) -> Table:
    """Raises KeyError for an unknown name."""
    if key == "progress":
        return progress_table(strand_progress(where), on=where.on)
    if key == "period":
        return period_table(period_rows(where), where)
    if key == "position":
        return position_table(period_rows(where), where)
    spread_columns = [_days("median", "Median days"), _days("p90", "90th percentile days")]
    if key == "time_to_hire":
        spreads = time_to_hire(where)
        labels = {
            "offer": "Application to unconditional offer",
            "accepted": "Application to acceptance",
            "started": "Application to start",
        }
        return Table(
            "Time to hire (calendar days)",
            [
                Column("measure", "Measure"),
                Column("applications", "Applications", Kind.COUNT),
                *spread_columns,
            ],
            [[labels[k], s.count, s.median, s.p90] for k, s in spreads.items()],
        )
    if key == "time_in_stage":
        return Table(
            "Time in each stage (calendar days)",
            [
                Column("stage", "Stage"),
                Column("moved_on", "Applications that moved on", Kind.COUNT),
                *spread_columns,
            ],
            [[label, s.count, s.median, s.p90] for label, s in time_in_stage(where)],
            notes=[
                "Counts applications that have left the stage, whether forward or out of the "
                "process."
            ],
        )
    if key == "checks":
        return Table(
            "Pre-employment check turnaround (calendar days from request to result)",
            [
                Column("check", "Check"),
                Column("completed", "Completed", Kind.COUNT),
                *spread_columns,
                Column("waiting", "Still waiting", Kind.COUNT),
            ],
            [
                [label, s.count, s.median, s.p90, waiting]
                for label, s, waiting in check_turnaround(where)
            ],
        )
    if key == "dropout":
        return Table(
            "Drop-out by stage",
            [
                Column("stage", "Stage"),
                Column("reached", "Reached the stage", Kind.COUNT),
                Column("left", "Left the process there", Kind.COUNT),
                Column("left_share", "% left", Kind.PERCENT, unit=""),
            ],
            [
                [r.stage, r.reached, r.left, _share(r.left, r.reached)]
                for r in dropout_by_stage(where)
            ],
        )
    if key == "dropout_reasons":
        return Table(
            "Drop-out by stage and reason",
            [
                Column("stage", "Stage"),
                Column("outcome", "Outcome"),
                Column("reason", "Reason"),
                Column("applications", "Applications", Kind.COUNT),
            ],
            [list(r) for r in dropout_reasons(where)],
        )
    if key == "sources":
        return Table(
            "Source effectiveness and cost per hire",
            [
                Column("source", "Source"),
                Column("applications", "Applications", Kind.COUNT),
                Column("offered", "Offered", Kind.COUNT),
                Column("started", "Started", Kind.COUNT),
                Column("started_share", "% of applications started", Kind.PERCENT, unit=""),
                Column("cost", "Cost", Kind.MONEY, unit=""),
                Column("cost_per_hire", "Cost per hire", Kind.MONEY, unit=""),
            ],
            [
                [
                    r.source,
                    r.applications,
                    r.offered,
                    r.started,
                    _share(r.started, r.applications),
                    r.cost,
                    r.cost_per_hire,
                ]
                for r in source_effectiveness(where)
            ],
            notes=[
                "Cost is the strands' cost; campaign-wide costs are shown on each campaign's page."
            ],
        )
    if key == "newly_qualified":
        return newly_qualified(where).table()
    if key == "offers_by_role":
        offers = offer_rows(where)
        offer_table_rows: list[list[Any]] = [
            [r.role, r.offered, r.conditional_accepted, r.unconditional, r.accepted, r.pulled_out]
            for r in offers
        ]
        return Table(
            f"Offers by role at {_day(where.on)}",
            [
                Column("role", "Role"),
                Column("offered", "Offered a post (conditional offer)", Kind.COUNT),
                Column("conditional_accepted", "Conditional offer accepted", Kind.COUNT),
                Column("unconditional", "Unconditional offer made", Kind.COUNT),
                Column("accepted", "Accepted (unconditional offer)", Kind.COUNT),
                Column("pulled_out", "Pulled out after accepting", Kind.COUNT),
            ],
            offer_table_rows,
            totals=(
                [
                    "Total",
                    sum(r.offered for r in offers),
                    sum(r.conditional_accepted for r in offers),
                    sum(r.unconditional for r in offers),
                    sum(r.accepted for r in offers),
                    sum(r.pulled_out for r in offers),
                ]
                if offers
                else None
            ),
            notes=[
                "Offered and accepted count everyone who had been offered or had accepted by "
                "the date, including those who later pulled out, withdrew or started: "
                "“Accepted” counts people who later withdrew, and “Pulled out after accepting” "
                "says how many. A conditional offer not recorded as accepted counts as "
                "accepted on the day the unconditional offer replaced it."
            ],
        )
    raise KeyError(key)


def posts_to_fill(application: Application) -> Any:
    """The posts a candidate may fill: by preference and need, so vacant posts in the preferred
    team come first, then vacant posts elsewhere (`held`: an employee holds it today)."""
    posts = application.vacancy.posts.all()
    if not posts.exists():
        posts = Post.objects.filter(
            authority_id=application.authority_id, role_id=application.vacancy.role_id
        )
    today = dt.date.today()
    held = Engagement.objects.active_on(today).filter(
        kind__in=EMPLOYED_KINDS, post_id=OuterRef("pk")
    )
    return (
        posts.filter(Q(end__isnull=True) | Q(end__gt=today))
        .annotate(
            held=Exists(held),
            elsewhere=Case(
                When(team_id=application.preferred_team_id, then=Value(0)), default=Value(1)
            ),
        )
        .select_related("team", "role")
        .order_by("held", "elsewhere", "team__name", "reference")
    )


def vacancy_applications_in_scope(scope: Scope, vacancy: Vacancy) -> QuerySet[Application]:
    """The vacancy's applications the user may see (a manager: those for their teams)."""
    return applications_in_scope(scope, Application.objects.filter(vacancy=vacancy))
