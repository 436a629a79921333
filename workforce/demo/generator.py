"""Build synthetic demo authorities: establishment history, demo users and other apps' demo data.

Scales:

- ``team``: the demo authority with two teams and three years of history (fast; for tests).
- ``la``: the demo authority, "Demo Borough Council" (DfE code 990, West Midlands), about
  200 FTE of social work establishment in thirteen teams with five years of history.
- ``region``: the demo authority and 32 real authorities of the Midlands and East of England,
  each of a random size, five years of history.
- ``england``: the demo authority and every authority in the reference list, about 36,000 FTE
  in post or agency at `today`, ten years of history.

Everything is drawn from random generators seeded by ``seed`` (and each authority's code), so a
seed always builds the same data for the same `today`. Records are written with bulk inserts
straight from a plain-Python simulation (`workforce.demo.simulation`), which keeps to every
invariant the establishment services enforce; nothing goes through the services row by row.

Extension hook
--------------
Other apps add their own demo data (cases, campaigns, cohorts…) without this module knowing
them. After the establishment of each authority is written, every module named in
`HOOK_MODULES` that exists is imported and called as::

    module.build(authority=<Authority>, rng=<numpy.random.Generator>, today=<date>, scale=<str>)

`rng` is seeded from the seed, the authority's code and the module's position in the list, so
each module's data is reproducible and independent of the others. At the time of the call the
authority's teams, roles, posts, workers, engagements, leavings and absences are in the
database, and so are the demo logins when the authority is the demo one. `scale` is one of
`SCALES`; modules may do less at ``england`` scale. A module that does not exist is skipped;
any other import error is raised.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from types import ModuleType
from typing import Any

import numpy as np
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from workforce.core.dates import years_before
from workforce.core.models import Authority, User, UserRole
from workforce.demo.simulation import AGENCY, AuthoritySim, Rates
from workforce.demo.structure import BASE_TEAMS, ROLES, SMALL_TEAMS, TeamSpec, scaled_teams
from workforce.establishment.models import (
    Absence,
    Engagement,
    Leaving,
    Post,
    PostFunding,
    Role,
    ServiceArea,
    Team,
    Worker,
)

SCALES = ("team", "la", "region", "england")
DEMO_CODE = "990"
DEMO_NAME = "Demo Borough Council"
DEMO_REGION = "West Midlands"
REGION_SCALE_REGIONS = ("West Midlands", "East Midlands", "East of England")
REGION_SCALE_OTHERS = 32
ENGLAND_TARGET_FTE = 36_000
# In-post plus agency FTE of a size-1.0 authority at today, measured over many seeds; used to
# size the England build so its total lands near the national figure.
FTE_PER_SIZE = 190.0
TINY_AUTHORITIES = frozenset({"201", "420"})  # City of London, Isles of Scilly
HOOK_MODULES = (
    "workforce.caseloads.demo",
    "workforce.recruitment.demo",
    "workforce.careers.demo",
    "workforce.actionplans.demo",
    "workforce.benchmarks.demo_pay",
    "workforce.metrics.demo",  # the stored figures of what the others built
    "workforce.benchmarks.demo_compare",  # after: writes no figures, keeps the others' seeds
)
BATCH = 2000

# The demo logins. Shared and printed on purpose: they exist only in demo databases.
DEMO_PASSWORD = "demo-only"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    first_name: str
    sees: str


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", UserRole.ADMIN, "Admin", "Everything, including users and the audit log"),
    DemoUser(
        "lead", UserRole.WORKFORCE_LEAD, "Lead", "The whole authority: people, posts, figures"
    ),
    DemoUser("hr", UserRole.HR_OFFICER, "HR", "The whole authority's people and recruitment"),
    DemoUser("manager", UserRole.TEAM_MANAGER, "Manager", "Only their two teams, with names"),
    DemoUser("board", UserRole.BOARD_MEMBER, "Board", "Figures and reports only, never names"),
    DemoUser(
        "analyst",
        UserRole.ANALYST,
        "Analyst",
        "Figures for the demo authority and the other West Midlands authorities, no names",
    ),
)


@dataclass(frozen=True)
class Plan:
    years: int
    teams_for: Callable[[float], list[TeamSpec]]
    restructure: bool = True


PLANS = {
    "team": Plan(3, lambda size: list(SMALL_TEAMS), restructure=False),
    "la": Plan(5, lambda size: list(BASE_TEAMS)),
    "region": Plan(5, scaled_teams),
    "england": Plan(10, scaled_teams),
}


@dataclass
class AuthorityResult:
    authority: Authority
    figures: dict[str, float]
    rows: dict[str, int]


@dataclass
class BuildReport:
    scale: str
    seed: int
    today: dt.date
    authorities: list[AuthorityResult] = field(default_factory=list)
    seconds: float = 0.0
    hook_seconds: dict[str, float] = field(default_factory=dict)  # per extension module

    def total(self, key: str) -> float:
        return sum(a.figures[key] for a in self.authorities)

    def rows(self, key: str) -> int:
        return sum(a.rows.get(key, 0) for a in self.authorities)


def demo_authority_exists() -> bool:
    return Team.objects.filter(authority__code=DEMO_CODE).exists()


def _authorities_for(scale: str, seed: int) -> list[tuple[Authority, float, float]]:
    """(authority, size, difficulty) for every authority the scale builds, demo first."""
    demo, _ = Authority.objects.update_or_create(
        code=DEMO_CODE, defaults={"name": DEMO_NAME, "region": DEMO_REGION}
    )
    chosen: list[tuple[Authority, float, float]] = [(demo, 1.0, 1.0)]
    if scale in ("team", "la"):
        return chosen
    others = list(Authority.objects.exclude(code=DEMO_CODE).order_by("code"))
    if scale == "region":
        order = {name: i for i, name in enumerate(REGION_SCALE_REGIONS)}
        others = sorted(
            (a for a in others if a.region in order), key=lambda a: (order[a.region], a.code)
        )[:REGION_SCALE_OTHERS]
    # Drawn per authority code, so an authority keeps its size when the list changes.
    draws = [np.random.default_rng([seed, code_number(a.code), 0]) for a in others]
    sizes = np.array([rng.lognormal(0.0, 0.45) for rng in draws])
    difficulty = [float(rng.uniform(0.7, 1.5)) for rng in draws]
    if scale == "england" and len(others):
        # Share the national total between the authorities after the demo one.
        wanted = (ENGLAND_TARGET_FTE - FTE_PER_SIZE) / FTE_PER_SIZE
        tiny = [a.code in TINY_AUTHORITIES for a in others]
        fixed = 0.08 * sum(tiny)
        free = sum(s for s, t in zip(sizes, tiny, strict=True) if not t)
        sizes = np.array(
            [0.08 if t else s * (wanted - fixed) / free for s, t in zip(sizes, tiny, strict=True)]
        )
    for authority, size, hard in zip(others, sizes, difficulty, strict=True):
        if authority.code in TINY_AUTHORITIES:
            size = 0.08
        chosen.append((authority, float(size), float(hard)))
    return chosen


def simulate(
    *, scale: str, seed: int, code: str, size: float, difficulty: float, today: dt.date
) -> AuthoritySim:
    """The establishment history of one authority, in memory."""
    plan = PLANS[scale]
    teams = plan.teams_for(size)
    pyrng = random.Random(int(np.random.default_rng([seed, code_number(code)]).integers(2**62)))
    rates = Rates(difficulty=difficulty, extra_per_year=max(0.5, Rates.extra_per_year * size))
    sim = AuthoritySim(
        teams=teams,
        start=years_before(today, plan.years),
        today=today,
        rnd=pyrng,
        rates=rates,
        restructure=plan.restructure,
    )
    return sim.run()


def code_number(code: str) -> int:
    """An authority's code as a number for seeding ("314 / 318", a joint return, is 314318)."""
    return int("".join(c for c in code if c.isdigit()) or "0")


class _Writer:
    """Multi-row inserts straight into the tables, with ids allotted up front.

    Model instances and per-row ORM work would take most of an England build; the rows here
    are plain tuples, adapted once per distinct value for the database in use.
    """

    def __init__(self) -> None:
        ops = connection.ops
        self.now = ops.adapt_datetimefield_value(timezone.now())
        self._dates: dict[int, object] = {}
        self._adapt_date = ops.adapt_datefield_value
        self.fte = [Decimal(i).scaleb(-2) for i in range(101)]

    def date(self, ordinal: int | None) -> object:
        if ordinal is None:
            return None
        value = self._dates.get(ordinal)
        if value is None:
            value = self._dates[ordinal] = self._adapt_date(dt.date.fromordinal(ordinal))
        return value

    @staticmethod
    def next_id(model: type[Model]) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT MAX({connection.ops.quote_name(str(model._meta.pk.column))}) "
                f"FROM {connection.ops.quote_name(model._meta.db_table)}"
            )
            (largest,) = cursor.fetchone()
        return (largest or 0) + 1

    @staticmethod
    def insert(model: type[Model], fields: list[str], rows: list[tuple[Any, ...]]) -> None:
        qn = connection.ops.quote_name
        meta = model._meta
        names = {field.name: str(field.column) for field in meta.concrete_fields}
        columns = ", ".join(qn(names[f]) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks})"
        with connection.cursor() as cursor:
            for i in range(0, len(rows), BATCH):
                cursor.executemany(sql, rows[i : i + BATCH])


RAW_MODELS: tuple[type[Model], ...] = (Post, PostFunding, Worker, Engagement, Leaving, Absence)


def write_authority(authority: Authority, sim: AuthoritySim) -> dict[str, int]:
    """Write one simulated authority in bulk; returns the row counts."""
    today = sim.today
    w = _Writer()
    a_id, now, date, fte = authority.pk, w.now, w.date, w.fte
    stamp = (a_id, now, now)
    with transaction.atomic():
        roles = Role.objects.bulk_create(
            [
                Role(
                    authority=authority,
                    title=spec.title,
                    grade=spec.grade,
                    org_role=spec.org_role,
                    case_holding=spec.case_holding,
                    capacity_points=spec.capacity_points,
                    order=spec.order,
                )
                for spec in ROLES
            ]
        )
        role_pk = {spec.key: role.pk for spec, role in zip(ROLES, roles, strict=True)}
        grade = {spec.key: spec.grade for spec in ROLES}
        teams = Team.objects.bulk_create(
            [
                Team(
                    authority=authority,
                    name=spec.name,
                    service_area=spec.service_area,
                    locality=spec.locality,
                )
                for spec in sim.teams
            ]
        )
        team_pk = [t.pk for t in teams]
        common = ["authority", "created_at", "updated_at"]

        first = w.next_id(Post)
        for i, p in enumerate(sim.posts):
            p.pk = first + i
        w.insert(
            Post,
            ["id", *common, "reference", "team", "role", "grade", "cost_centre", "start", "end"],
            [
                (
                    p.pk,
                    *stamp,
                    p.reference,
                    team_pk[p.team],
                    role_pk[p.role],
                    grade[p.role],
                    f"CSC-{sim.teams[p.team].code}",
                    date(p.start),
                    date(p.end),
                )
                for p in sim.posts
            ],
        )
        w.insert(
            PostFunding,
            [*common, "post", "start", "end", "fte"],
            [
                (*stamp, p.pk, date(f_start), date(f_end), fte[f_fte])
                for p in sim.posts
                for f_start, f_end, f_fte in p.funding
            ],
        )
        first = w.next_id(Worker)
        for i, person in enumerate(sim.workers):
            person.pk = first + i
        w.insert(
            Worker,
            [
                "id",
                *common,
                "staff_number",
                "first_name",
                "last_name",
                "swe_number",
                "date_of_birth",
                "gender",
                "ethnicity",
                "qual_level",
                "qual_institution",
                "qual_date",
                "route",
            ],
            [
                (
                    x.pk,
                    *stamp,
                    x.staff_number,
                    x.first_name,
                    x.last_name,
                    x.swe_number,
                    date(x.born),
                    x.gender,
                    x.ethnicity,
                    x.qual_level,
                    x.qual_institution,
                    date(x.qual_date),
                    x.route,
                )
                for x in sim.workers
            ],
        )
        w.insert(
            Engagement,
            [
                *common,
                "worker",
                "post",
                "start",
                "end",
                "fte",
                "kind",
                "start_origin",
                "agency_name",
                "charge_rate",
                "covers",
                "covering_for",
                "end_reason",
            ],
            [
                (
                    *stamp,
                    e.worker.pk,
                    e.post.pk,
                    date(e.start),
                    date(e.end),
                    fte[e.fte],
                    e.kind,
                    e.start_origin,
                    e.agency_name,
                    None if e.rate is None else Decimal(f"{e.rate:.2f}"),
                    e.covers,
                    None if e.covering_for is None else e.covering_for.pk,
                    e.end_reason,
                )
                for e in sim.engagements
            ],
        )
        w.insert(
            Leaving,
            [
                *common,
                "worker",
                "last_day",
                "reason",
                "destination",
                "fte",
                "org_role",
                "team",
                "exit_interview_done",
                "exit_themes",
                "exit_notes",
            ],
            [
                (
                    *stamp,
                    v.worker.pk,
                    date(v.last_day),
                    v.reason,
                    v.destination,
                    fte[v.fte],
                    v.org_role,
                    team_pk[v.team],
                    False,
                    "",
                    "",
                )
                for v in sim.leavings
            ],
        )
        w.insert(
            Absence,
            [*common, "worker", "start", "end", "reason", "working_days_lost"],
            [
                (
                    *stamp,
                    a.worker.pk,
                    date(a.start),
                    date(a.end),
                    a.reason,
                    Decimal(a.days_lost).scaleb(-2),
                )
                for a in sim.absences
            ],
        )
        if connection.vendor == "postgresql":  # ids were given, so move the sequences on
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(RAW_MODELS)):
                    cursor.execute(sql)
        # Each team's manager: whoever is authority-employed in its team manager post today.
        managed = []
        for e in sim.engagements:
            if (
                e.post.role == "tm"
                and e.kind != AGENCY
                and e.start <= today
                and (e.end is None or e.end > today)
            ):
                team = teams[e.post.team]
                if team.manager_id is None:
                    team.manager_id = e.worker.pk
                    managed.append(team)
        Team.objects.bulk_update(managed, ["manager"])
    return {
        "teams": len(teams),
        "posts": len(sim.posts),
        "workers": len(sim.workers),
        "engagements": len(sim.engagements),
        "leavings": len(sim.leavings),
        "absences": len(sim.absences),
    }


def _hook_modules() -> list[tuple[int, ModuleType]]:
    found = []
    for index, name in enumerate(HOOK_MODULES, start=1):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            # Only a hook that does not exist (or whose app does not) is skipped.
            if exc.name and (name == exc.name or name.startswith(f"{exc.name}.")):
                continue
            raise
        found.append((index, module))
    return found


def run_hooks(*, authority: Authority, seed: int, today: dt.date, scale: str) -> dict[str, float]:
    """Call every extension hook for one authority; returns the seconds each took."""
    took = {}
    for index, module in _hook_modules():
        rng = np.random.default_rng([seed, code_number(authority.code), index])
        started = time.perf_counter()
        module.build(authority=authority, rng=rng, today=today, scale=scale)
        took[module.__name__] = time.perf_counter() - started
    return took


def create_demo_users(demo: Authority) -> list[User]:
    """One login per role in the demo authority (updated in place when they already exist)."""
    users = []
    hashed = make_password(DEMO_PASSWORD)  # one hash shared by every demo login: fast to build
    for spec in DEMO_USERS:
        user, _ = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": "(demo)",
                "email": f"{spec.username}@demo.invalid",
                "role": spec.role,
                "authority": demo,
                "is_staff": spec.role == UserRole.ADMIN,
                "is_superuser": spec.role == UserRole.ADMIN,
                "is_active": True,
                "password": hashed,
            },
        )
        users.append(user)
    by_name = {u.username: u for u in users}
    manager = by_name["manager"]
    for team in manager_teams(demo):
        team.managers.add(manager)
    by_name["analyst"].extra_authorities.set(
        Authority.objects.filter(region=demo.region).exclude(pk=demo.pk)
    )
    return users


def create_empty_demo() -> Authority:
    """The demo authority with no teams, people or history, and its logins: how a new
    authority starts before it imports its census return."""
    demo, _ = Authority.objects.update_or_create(
        code=DEMO_CODE, defaults={"name": DEMO_NAME, "region": DEMO_REGION}
    )
    create_demo_users(demo)
    return demo


def manager_teams(demo: Authority) -> list[Team]:
    """The demo manager's teams: the first assessment team and the first child protection team."""
    teams = []
    for area in (ServiceArea.ASSESSMENT, ServiceArea.CHILD_PROTECTION):
        team = Team.objects.filter(authority=demo, service_area=area).order_by("pk").first()
        if team is not None:
            teams.append(team)
    return teams


def build(
    *,
    scale: str,
    seed: int,
    today: dt.date,
    progress: Callable[[str], None] | None = None,
    hooks: bool = True,
) -> BuildReport:
    """Build the demo at `scale`. Refuses (ValueError) if any chosen authority has teams already.

    `hooks=False` builds the establishment only, without other apps' demo data.
    """
    if scale not in PLANS:
        raise ValueError(f"Unknown scale {scale!r}; choose one of {', '.join(SCALES)}.")
    started = time.perf_counter()
    chosen = _authorities_for(scale, seed)
    taken = Team.objects.filter(authority__in=[a for a, _, _ in chosen]).values_list(
        "authority__name", flat=True
    )
    if taken.exists():
        raise ValueError(
            f"{taken.first()} already has teams in this database; build the demo in an empty one."
        )
    report = BuildReport(scale=scale, seed=seed, today=today)
    for n, (authority, size, difficulty) in enumerate(chosen, start=1):
        sim = simulate(
            scale=scale,
            seed=seed,
            code=authority.code,
            size=size,
            difficulty=difficulty,
            today=today,
        )
        rows = write_authority(authority, sim)
        if authority.code == DEMO_CODE:
            create_demo_users(authority)  # before the hooks: their data may name the users
        if hooks:
            took = run_hooks(authority=authority, seed=seed, today=today, scale=scale)
            for name, seconds in took.items():
                report.hook_seconds[name] = report.hook_seconds.get(name, 0.0) + seconds
        report.authorities.append(AuthorityResult(authority, sim.figures(), rows))
        if progress is not None and (len(chosen) < 10 or n % 10 == 0 or n == len(chosen)):
            progress(f"{n}/{len(chosen)} {authority.name}: {rows['engagements']} engagements")
    report.seconds = time.perf_counter() - started
    return report
