"""Demo recruitment: two years of campaigns with strands, targets, vacancies and candidates.

Called by the demo generator after it has written an authority's establishment
(`build(authority=..., rng=..., today=..., scale=...)`). Only the demo authority gets
recruitment data, at every scale; the other authorities of the ``region`` and ``england`` builds
get none, which keeps those builds cheap.

Each application is simulated in plain Python through the stages with realistic timings
(shortlisting in one to two weeks, the DBS about three weeks, notice of two to twelve weeks) and
drop-outs with reasons, then everything is written with bulk inserts. A candidate who starts
becomes one of the authority's real joiners of the vacancy's role (a worker whose first
engagement began one to seventeen weeks after accepting): the application points at that worker
and engagement, so the establishment stays exactly as the generator wrote it. When no joiner
fits, someone else got the job: the candidate is turned down at interview. The pre-employment
checks of each application are those the authority's rules require for its role on the day it
was made (`workforce.recruitment.checks`); the demo gives the authority the default rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Exists, OuterRef

from workforce.core.models import Authority, User, UserRole
from workforce.establishment.models import (
    EMPLOYED_KINDS,
    Engagement,
    Post,
    Role,
)
from workforce.recruitment.checks import kinds_required_by, rules_of, seed_rules
from workforce.recruitment.models import (
    Application,
    Campaign,
    Candidate,
    Check,
    CheckKind,
    CheckOutcome,
    ExitReason,
    Offer,
    OfferKind,
    OfferResponse,
    Stage,
    StageTransition,
    Strand,
    StrandKind,
    StrandTarget,
    Task,
    TaskKind,
    Vacancy,
)
from workforce.recruitment.workdays import add_working_days

DAY = dt.timedelta(days=1)
EARLY = (Stage.APPLIED, Stage.SHORTLISTED, Stage.INTERVIEWED)
DEMO_AUTHORITY_CODE = "990"
FIRST = [
    "Aisha",
    "Ben",
    "Chloe",
    "Daniel",
    "Ella",
    "Farid",
    "Grace",
    "Harry",
    "Imani",
    "Jack",
    "Kiran",
    "Laura",
    "Mohammed",
    "Niamh",
    "Owen",
    "Priya",
    "Rhys",
    "Sofia",
    "Tom",
    "Uzma",
    "Victor",
    "Wendy",
    "Yusuf",
    "Zara",
    "Amir",
    "Beth",
    "Callum",
    "Deepa",
    "Evan",
    "Fatima",
]
LAST = [
    "Ahmed",
    "Brown",
    "Clarke",
    "Davies",
    "Evans",
    "Fletcher",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nolan",
    "Owusu",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Underwood",
    "Walker",
    "Young",
    "Begum",
    "Chen",
    "Mensah",
    "Kowalski",
]


@dataclass
class Journey:
    """One application's simulated history."""

    applied_on: dt.date
    events: list[tuple[str, dt.date]] = field(default_factory=list)  # (stage reached, on)
    exit: tuple[str, str, dt.date] | None = None  # (outcome, reason, on)
    checks_start: dt.date | None = None
    check_results: dict[str, tuple[dt.date, dt.date | None]] = field(default_factory=dict)
    start: dt.date | None = None

    @property
    def stage(self) -> str:
        return self.exit[0] if self.exit else self.events[-1][0]

    @property
    def stage_on(self) -> dt.date:
        return self.exit[2] if self.exit else self.events[-1][1]

    def on(self, stage: str) -> dt.date | None:
        return next((d for s, d in self.events if s == stage), None)


def _days(rng: np.random.Generator, low: int, high: int) -> dt.timedelta:
    return dt.timedelta(days=int(rng.integers(low, high + 1)))


# The checks of a social worker's application today (the default rules from 2 December 2019).
SOCIAL_WORKER_CHECKS: tuple[str, ...] = (
    CheckKind.DBS,
    CheckKind.REFERENCE_1,
    CheckKind.REFERENCE_2,
    CheckKind.RIGHT_TO_WORK,
    CheckKind.SWE,
    CheckKind.QUALIFICATIONS,
    CheckKind.OCCUPATIONAL_HEALTH,
    CheckKind.IDENTITY,
)


def simulate_journey(
    rng: np.random.Generator,
    applied_on: dt.date,
    today: dt.date,
    kinds: Sequence[str] = SOCIAL_WORKER_CHECKS,
) -> Journey:
    """Walk one application through the stages until it leaves, starts, or reaches today.
    `kinds`: the pre-employment checks the authority's rules require of it."""
    j = Journey(applied_on=applied_on, events=[(Stage.APPLIED, applied_on)])

    def step(stage: str, on: dt.date) -> bool:
        if on > today:
            return False
        j.events.append((stage, on))
        return True

    def leave(outcome: str, reason: str, on: dt.date) -> None:
        if on <= today:
            j.exit = (outcome, reason, on)

    day = applied_on
    # Shortlisting
    day += _days(rng, 4, 12)
    if rng.random() > 0.6:
        leave(Stage.REJECTED, ExitReason.NOT_SHORTLISTED, day)
        return j
    if not step(Stage.SHORTLISTED, day):
        return j
    # Interview (the DBS form is handed over at interview)
    day += _days(rng, 5, 14)
    if rng.random() < 0.15:
        leave(
            Stage.WITHDRAWN, str(rng.choice([ExitReason.ANOTHER_OFFER, ExitReason.PERSONAL])), day
        )
        return j
    if not step(Stage.INTERVIEWED, day):
        return j
    if rng.random() > 0.55:
        leave(Stage.REJECTED, ExitReason.INTERVIEW, day + _days(rng, 0, 2))
        return j
    day += _days(rng, 0, 3)
    if not step(Stage.RECOMMENDED, day):
        return j
    day += _days(rng, 1, 5)
    if rng.random() < 0.05:
        leave(Stage.DECLINED, str(rng.choice([ExitReason.SALARY, ExitReason.LOCATION])), day)
        return j
    if not step(Stage.CHECKS, day):
        return j
    j.checks_start = day
    cleared = day
    for kind in kinds:
        requested = day
        if kind == CheckKind.DBS:
            requested = j.on(Stage.INTERVIEWED) or day
            took = max(7, int(rng.normal(21, 6)))
        elif kind in (CheckKind.REFERENCE_1, CheckKind.REFERENCE_2):
            took = int(rng.integers(3, 21))
        elif kind == CheckKind.OCCUPATIONAL_HEALTH:
            took = int(rng.integers(5, 15))
        else:
            took = int(rng.integers(0, 5))
        result = requested + dt.timedelta(days=took)
        j.check_results[kind] = (requested, result if result <= today else None)
        cleared = max(cleared, result)
    if rng.random() < 0.12:
        # Good candidates go elsewhere while they wait; a few checks fail.
        on = day + _days(rng, 7, max(8, (cleared - day).days))
        if rng.random() < 0.25:
            leave(Stage.REJECTED, ExitReason.CHECKS_FAILED, on)
        else:
            leave(
                Stage.WITHDRAWN,
                str(rng.choice([ExitReason.TOO_SLOW, ExitReason.ANOTHER_OFFER])),
                on,
            )
        if j.exit is not None:
            j.check_results = {
                k: (r, d if d is not None and d <= on else None)
                for k, (r, d) in j.check_results.items()
            }
        return j
    day = cleared + _days(rng, 0, 2)
    if not step(Stage.UNCONDITIONAL_OFFER, day):
        return j
    day += _days(rng, 1, 5)
    if rng.random() < 0.06:
        leave(Stage.DECLINED, str(rng.choice([ExitReason.ANOTHER_OFFER, ExitReason.SALARY])), day)
        return j
    if not step(Stage.ACCEPTED, day):
        return j
    start = day + _days(rng, 21, 56)
    while start.weekday() != 0:  # people start on a Monday
        start += DAY
    j.start = start
    step(Stage.STARTED, start)
    return j


def _pick_roles(authority: Authority) -> dict[str, Role | None]:
    roles = list(Role.objects.filter(authority=authority).order_by("order", "title"))

    def first(test: Any) -> Role | None:
        return next((r for r in roles if test(r)), None)

    experienced = first(lambda r: r.org_role == "5" and "asye" not in r.title.lower())
    return {
        "sw": experienced,
        "nq": first(lambda r: r.org_role == "5" and "asye" in r.title.lower()) or experienced,
        "tm": first(lambda r: r.org_role == "3"),
        "ap": first(lambda r: r.org_role == "4"),
    }


class HireFinder:
    """The authority's real joiners, for the simulated candidates who start to become.

    A joiner is an employed engagement that is its worker's first with the authority. Matching
    a started application to one keeps the establishment exactly as the generator wrote it:
    recruitment explains how those people arrived rather than adding anyone.
    """

    def __init__(self, authority: Authority, since: dt.date, today: dt.date) -> None:
        earlier = Engagement.objects.filter(worker=OuterRef("worker"), start__lt=OuterRef("start"))
        self.hires: dict[int, list[Engagement]] = {}
        for e in (
            Engagement.objects.filter(
                authority=authority, kind__in=EMPLOYED_KINDS, start__gte=since, start__lte=today
            )
            .exclude(Exists(earlier))
            .select_related("worker", "post")
            .order_by("start", "pk")
        ):
            self.hires.setdefault(e.post.role_id, []).append(e)
        self.used: set[int] = set()

    def find(self, role: Role, earliest: dt.date, latest: dt.date) -> Engagement | None:
        for e in self.hires.get(role.pk, []):
            if e.pk not in self.used and earliest <= e.start <= latest:
                self.used.add(e.pk)
                return e
        return None


def _open_posts(authority: Authority, role: Role, n: int, today: dt.date) -> list[Post]:
    """Open posts of a role for a vacancy to fill, those no employee holds today first."""
    held = Engagement.objects.active_on(today).filter(
        kind__in=EMPLOYED_KINDS, post_id=OuterRef("pk")
    )
    return list(
        Post.objects.filter(authority=authority, role=role, end__isnull=True)
        .annotate(held=Exists(held))
        .order_by("held", "reference")[:n]
    )


@dataclass
class Plan:
    name: str
    start_days_ago: int
    length_days: int | None
    cost: int
    strands: list[tuple[str, str, str, int, dict[str, int]]]  # kind, name, partner, cost, targets


PLANS = (
    Plan(
        "Recruitment drive {year}",
        700,
        300,
        6000,
        [
            (StrandKind.OPEN, "Recruitment portal", "", 4000, {"sw": 10}),
            (
                StrandKind.PARTNER,
                "Experienced staff",
                "Meridian Talent",
                42000,
                {"sw": 12, "tm": 3},
            ),
            (StrandKind.NEWLY_QUALIFIED, "Newly qualified cohort", "", 2500, {"nq": 8}),
        ],
    ),
    Plan(
        "Permanent workforce campaign {year}",
        300,
        None,
        9000,
        [
            (StrandKind.OPEN, "Recruitment portal", "", 5000, {"sw": 10, "ap": 2}),
            (
                StrandKind.PARTNER,
                "Experienced staff",
                "Meridian Talent",
                45000,
                {"sw": 15, "tm": 4},
            ),
            (StrandKind.NEWLY_QUALIFIED, "Newly qualified cohort", "", 3000, {"nq": 10}),
            (StrandKind.INTERNATIONAL, "International", "Global Social Work Ltd", 30000, {"sw": 6}),
        ],
    ),
)


def _finished_rounds(plan: Plan) -> list[int]:
    """Days after the campaign start on which each round of adverts opened."""
    return [0, (plan.length_days or 120) // 2]


def _running_rounds(plan: Plan) -> list[int]:
    return [plan.start_days_ago - ago for ago in (300, 230, 160, 100, 50, 21)]


def _hr_users(authority: Authority) -> list[User]:
    return list(
        User.objects.filter(
            authority=authority, role__in=(UserRole.HR_OFFICER, UserRole.WORKFORCE_LEAD)
        ).order_by("role", "pk")
    )


@transaction.atomic
def build(*, authority: Authority, rng: np.random.Generator, today: dt.date, scale: str) -> None:
    """Write the demo authority's campaigns and applications (others are skipped; see above)."""
    if authority.code != DEMO_AUTHORITY_CODE and scale not in ("team", "la"):
        return
    if Campaign.objects.filter(authority=authority).exists():
        return
    roles = _pick_roles(authority)
    if roles["sw"] is None:
        return
    size = 0.35 if scale == "team" else 1.0
    finder = HireFinder(
        authority, today - dt.timedelta(days=max(p.start_days_ago for p in PLANS)), today
    )
    staff = _hr_users(authority)
    writer = _Writer(authority, today, staff)
    # The authority's required-check rules (the defaults every authority starts with, given
    # here if it has none), read once: each application gets the checks of its role and day.
    seed_rules(authority)
    rules = list(rules_of(authority))
    for plan in PLANS:
        start = today - dt.timedelta(days=plan.start_days_ago)
        end = None if plan.length_days is None else start + dt.timedelta(days=plan.length_days)
        campaign = Campaign(
            authority=authority,
            name=plan.name.format(year=start.year),
            start=start,
            end=end,
            cost=Decimal(plan.cost),
            description="Demo campaign.",
        )
        writer.campaigns.append(campaign)
        for kind, name, partner, cost, targets in plan.strands:
            strand = Strand(
                authority=authority,
                campaign=campaign,
                kind=kind,
                name=name,
                partner=partner,
                start=start,
                end=end,
                cost=Decimal(cost),
            )
            writer.strands.append(strand)
            for key, target in targets.items():
                role = roles.get(key)
                if role is None:
                    continue
                target = max(1, round(target * size))
                deadline = end or start + dt.timedelta(days=365)
                writer.targets.append(
                    StrandTarget(
                        authority=authority,
                        strand=strand,
                        role=role,
                        target=target,
                        deadline=deadline,
                    )
                )
                # A finished campaign advertised in two rounds; the running one in six, the
                # last ones weeks ago, so candidates are at every stage today.
                rounds = _finished_rounds if plan.length_days else _running_rounds
                for offset in rounds(plan):
                    jitter = int(rng.integers(-4, 5))
                    opened = start + dt.timedelta(days=max(0, offset + jitter))
                    if opened > today:
                        continue
                    places = max(1, round(target / len(rounds(plan))))
                    vacancy = Vacancy(
                        authority=authority,
                        reference=f"RV{len(writer.vacancies) + 1:04d}",
                        title=role.title,
                        role=role,
                        strand=strand,
                        opened_on=opened,
                        closed_on=opened + dt.timedelta(days=28),
                    )
                    posts = _open_posts(authority, role, places * 2, today)
                    writer.vacancies.append((vacancy, posts))
                    for _ in range(int(rng.poisson(places * 3)) + 2):
                        applied = opened + _days(rng, 0, 27)
                        if applied > today:
                            continue
                        kinds = kinds_required_by(rules, role=role, on=applied)
                        journey = simulate_journey(rng, applied, today, kinds)
                        writer.add(rng, vacancy, journey, finder)
    writer.save()


class _Writer:
    """Collects the records in memory and writes them with bulk inserts in dependency order."""

    def __init__(self, authority: Authority, today: dt.date, staff: list[User]) -> None:
        self.authority = authority
        self.today = today
        self.staff = staff
        self.campaigns: list[Campaign] = []
        self.strands: list[Strand] = []
        self.targets: list[StrandTarget] = []
        self.vacancies: list[tuple[Vacancy, list[Post]]] = []
        self.rows: list[dict[str, Any]] = []
        self.n = 0

    def add(
        self, rng: np.random.Generator, vacancy: Vacancy, j: Journey, finder: HireFinder
    ) -> None:
        self.n += 1
        first, last = str(rng.choice(FIRST)), str(rng.choice(LAST))
        candidate = Candidate(
            authority=self.authority,
            first_name=first,
            last_name=last,
            email=f"{first}.{last}.{self.n}@candidate.invalid".lower(),
            phone=f"07700 9{self.n % 100000:05d}",
        )
        hire = None
        accepted = j.on(Stage.ACCEPTED)
        if accepted is not None and j.stage == Stage.STARTED:
            hire = finder.find(vacancy.role, accepted + 7 * DAY, accepted + 120 * DAY)
            if hire is None:
                # Nobody of that role joined then: someone else got the job at interview.
                interviewed = j.on(Stage.INTERVIEWED) or j.applied_on
                j.events = [(s, d) for s, d in j.events if d <= interviewed and s in EARLY]
                j.exit = (Stage.REJECTED, ExitReason.INTERVIEW, interviewed)
                j.check_results, j.checks_start, j.start = {}, None, None
            else:
                j.start = hire.start
                j.events[-1] = (Stage.STARTED, hire.start)
                candidate.first_name = hire.worker.first_name
                candidate.last_name = hire.worker.last_name
                candidate.email = (
                    f"{hire.worker.first_name}.{hire.worker.last_name}.{self.n}@candidate.invalid"
                ).lower()
        hr = self.staff[self.n % len(self.staff)] if self.staff else None
        self.rows.append(
            {
                "vacancy": vacancy,
                "journey": j,
                "candidate": candidate,
                "hire": hire,
                "hr": hr,
            }
        )

    def save(self) -> None:
        Campaign.objects.bulk_create(self.campaigns)
        for strand in self.strands:
            strand.campaign_id = strand.campaign.pk
        Strand.objects.bulk_create(self.strands)
        for target in self.targets:
            target.strand_id = target.strand.pk
        StrandTarget.objects.bulk_create(self.targets)
        for vacancy, _ in self.vacancies:
            vacancy.strand_id = vacancy.strand.pk if vacancy.strand else None
        Vacancy.objects.bulk_create([v for v, _ in self.vacancies])
        Through = Vacancy.posts.through
        Through.objects.bulk_create(
            [Through(vacancy_id=v.pk, post_id=p.pk) for v, posts in self.vacancies for p in posts]
        )
        Candidate.objects.bulk_create([r["candidate"] for r in self.rows])
        applications = []
        for r in self.rows:
            j: Journey = r["journey"]
            recommended = j.on(Stage.RECOMMENDED) is not None
            applications.append(
                Application(
                    authority=self.authority,
                    candidate_id=r["candidate"].pk,
                    vacancy_id=r["vacancy"].pk,
                    stage=j.stage,
                    applied_on=j.applied_on,
                    stage_on=j.stage_on,
                    exit_stage=j.events[-1][0] if j.exit else "",
                    exit_reason=j.exit[1] if j.exit else "",
                    hr_officer=r["hr"] if recommended else None,
                    post=r["hire"].post if r["hire"] else None,
                    accepted_on=j.on(Stage.ACCEPTED),
                    start_date=j.start,
                    worker=r["hire"].worker if r["hire"] else None,
                    engagement=r["hire"],
                )
            )
        Application.objects.bulk_create(applications)
        transitions, checks, offers, tasks = [], [], [], []
        for application, r in zip(applications, self.rows, strict=True):
            j = r["journey"]
            previous = ""
            for stage, on in j.events:
                transitions.append(
                    StageTransition(
                        application=application, from_stage=previous, to_stage=stage, on=on
                    )
                )
                previous = stage
            if j.exit:
                transitions.append(
                    StageTransition(
                        application=application,
                        from_stage=previous,
                        to_stage=j.exit[0],
                        on=j.exit[2],
                        reason=j.exit[1],
                    )
                )
            checks += self._checks(application, j, r["hr"])
            offers += self._offers(application, j)
            tasks += self._tasks(application, j, r["hr"])
        StageTransition.objects.bulk_create(transitions, batch_size=2000)
        Check.objects.bulk_create(checks, batch_size=2000)
        Offer.objects.bulk_create(offers, batch_size=2000)
        Task.objects.bulk_create(tasks, batch_size=2000)

    def _checks(self, application: Application, j: Journey, hr: User | None) -> list[Check]:
        made = []
        for kind, (requested, result) in j.check_results.items():
            made.append(
                Check(
                    authority=self.authority,
                    application=application,
                    kind=kind,
                    owner=hr,
                    requested_on=requested,
                    received_on=result,
                    outcome=CheckOutcome.CLEARED if result else CheckOutcome.PENDING,
                    outcome_on=result,
                )
            )
        if j.exit and j.exit[1] == ExitReason.CHECKS_FAILED:
            pending = [c for c in made if c.outcome == CheckOutcome.PENDING] or made[:1]
            pending[0].outcome = CheckOutcome.FAILED
            pending[0].outcome_on = pending[0].received_on = j.exit[2]
            pending[0].note = "Reference not satisfactory."
        return made

    def _offers(self, application: Application, j: Journey) -> list[Offer]:
        made = []
        declined = j.exit is not None and j.exit[0] == Stage.DECLINED
        for stage, kind in (
            (Stage.RECOMMENDED, OfferKind.CONDITIONAL),
            (Stage.UNCONDITIONAL_OFFER, OfferKind.UNCONDITIONAL),
        ):
            on = j.on(stage)
            if on is None:
                continue
            response, response_on = OfferResponse.PENDING, None
            later = j.on(Stage.UNCONDITIONAL_OFFER if kind == OfferKind.CONDITIONAL else "accepted")
            if later is not None:
                response, response_on = OfferResponse.ACCEPTED, later
            elif j.exit is not None:
                response = OfferResponse.DECLINED if declined else OfferResponse.WITHDRAWN
                response_on = j.exit[2]
            made.append(
                Offer(
                    authority=self.authority,
                    application=application,
                    kind=kind,
                    made_on=on,
                    salary_point="SCP 33" if kind == OfferKind.UNCONDITIONAL else "",
                    response=response,
                    response_on=response_on,
                )
            )
        return made

    def _tasks(self, application: Application, j: Journey, hr: User | None) -> list[Task]:
        """Service levels, done on time most of the time; open ones stay open if still live."""
        made = []
        live = j.exit is None and j.stage != Stage.STARTED
        offered = j.on(Stage.UNCONDITIONAL_OFFER)
        cleared = (
            max(d for _, d in j.check_results.values() if d is not None)
            if j.check_results and all(d for _, d in j.check_results.values())
            else None
        )
        plan: list[tuple[str, dt.date | None, dt.date | None]] = []
        recommended = j.on(Stage.RECOMMENDED)
        if recommended:
            plan.append((TaskKind.TRAINING_PACK, add_working_days(recommended, 5), None))
        if j.checks_start:
            plan.append((TaskKind.SALARY, add_working_days(j.checks_start, 10), None))
            plan.append((TaskKind.OFFER_LETTER, cleared, offered))
        accepted = j.on(Stage.ACCEPTED)
        if accepted:
            plan.append((TaskKind.START_LETTER, accepted, None))
        seed = application.pk or 0
        for i, (kind, due, done) in enumerate(plan):
            if done is None and due is not None:
                # Mostly on time; one in five late by a few days; late ones may still be open.
                late = (seed + i) % 5 == 0
                done = due + dt.timedelta(days=(seed % 4) + 1) if late else due
                if done > self.today:
                    done = None
            if done is None and not live:
                continue
            made.append(
                Task(
                    authority=self.authority,
                    application=application,
                    kind=kind,
                    owner=hr,
                    due_on=due,
                    done_on=done,
                )
            )
        return made
