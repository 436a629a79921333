"""Every URL of the project, opened by every named persona.

The URL list is read from the resolver, so a page added anywhere is covered without touching this
module. For each page: the view must declare what it requires (`@requires`), each persona gets
exactly what their role allows (403 otherwise, never 500), a visitor who has not signed in is sent
to sign in, records of another authority or of a team a manager does not manage are not found,
board members and analysts never see a person's name, and junk in the query string is answered
with the page or a message, never an error.

A URL that takes a parameter this module cannot fill fails `test_every_url_parameter_can_be_filled`
with a message saying where to add it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from workforce.conftest import Personas, build_personas
from workforce.core.access import GRANTS, Capability
from workforce.core.models import User
from workforce.core.services import load_reference_data
from workforce.core.tests.factories import AuthorityFactory
from workforce.establishment import services
from workforce.establishment.models import Post, Role, Team, Worker
from workforce.establishment.tests.factories import RoleFactory, TeamFactory

# Pages anyone may open, or that Django protects itself. Everything else must use @requires.
PUBLIC_URL_NAMES = {"login", "logout", "health"}  # health: no data, for monitors
PUBLIC_NAMESPACES = {"admin"}  # django-admin: staff only, by Django's own checks
PUBLIC_PREFIXES = ("assets/", "static/", "django-admin/")

# Parameters that are plain values rather than records: "name", or "namespace:name" for one app.
VALUE_KWARGS: dict[str, str] = {
    "fmt": "csv",
    "format": "csv",
    "metrics:what": "series",
    "imports:kind": "csww",
    "imports:table_kind": "staff",
}
# Parameters whose name does not say which record they take, per app: "namespace:name" -> key.
ALIASES: dict[str, str] = {"imports:pk": "import_run_id"}

SIGN_IN = "/sign-in/"
TODAY = dt.date.today()


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the route itself when unnamed
    route: str
    callback: Callable[..., Any]
    kwargs: tuple[str, ...]

    def __str__(self) -> str:
        return self.name

    @property
    def required(self) -> tuple[Capability, ...] | None:
        return getattr(self.callback, "required_capabilities", None)

    @property
    def is_public(self) -> bool:
        namespace = self.name.split(":")[0] if ":" in self.name else ""
        return (
            self.name in PUBLIC_URL_NAMES
            or namespace in PUBLIC_NAMESPACES
            or self.route.startswith(PUBLIC_PREFIXES)
        )


def _pattern_text(pattern: Any) -> str:
    if isinstance(pattern, RegexPattern):
        return str(pattern).lstrip("^").rstrip("$")
    return str(pattern)


def _pattern_kwargs(pattern: Any) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return list(pattern.regex.groupindex)
    return []


def walk(
    patterns: list[Any], prefix: str = "", namespace: str = "", kwargs: tuple[str, ...] = ()
) -> Iterator[Route]:
    for entry in patterns:
        route = prefix + _pattern_text(entry.pattern)
        names = kwargs + tuple(_pattern_kwargs(entry.pattern))
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry.url_patterns, route, inner, names)
        elif isinstance(entry, URLPattern):
            # Values given in the pattern itself (path(..., {"document_root": ...})) are not
            # parameters of the address.
            names = tuple(n for n in names if n not in (entry.default_args or {}))
            name = entry.name or route
            if entry.name and namespace:
                name = f"{namespace}:{entry.name}"
            yield Route(name=name, route=route, callback=entry.callback, kwargs=names)


ROUTES = sorted(walk(get_resolver().url_patterns), key=lambda r: r.name)
OURS = [r for r in ROUTES if not r.is_public]


# --- The world: one of each kind of record, in two teams and in another authority -----------


@dataclass
class Place:
    """Records in one team: what a URL parameter is filled with."""

    team: Team
    ids: dict[str, int] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)  # people's names that must not leak


@dataclass
class World:
    personas: Personas
    own: Place  # the team the manager persona manages
    other: Place  # another team of the same authority
    abroad: Place  # a team of another authority
    # A former member of the manager's team who moved to the other team: the other team's
    # records, with the mover's person, absence (taken while in the manager's team), current
    # engagement, case and allocation in place of the other team's own.
    former: Place | None = None
    # Evidence files the world's records name (stored name -> bytes), written into each test's
    # own evidence folder.
    files: dict[str, bytes] = field(default_factory=dict)

    def all_names(self) -> list[str]:
        return self.own.names + self.other.names + self.abroad.names


# The parameter names the world fills; kept in step with build_place() by the test below.
PLACE_KEYS = frozenset(
    {
        "team_id",
        "role_id",
        "post_id",
        "funding_id",
        "worker_id",
        "engagement_id",
        "absence_id",
        "leaving_id",
        "user_id",
        "campaign_id",
        "strand_id",
        "vacancy_id",
        "candidate_id",
        "application_id",
        "check_id",
        "check_rule_id",
        "task_id",
        "case_id",
        "allocation_id",
        "referral_id",
        "target_id",
        "authority_id",
        "import_run_id",
        "report_id",
        "column_mapping_id",
        "code_mapping_id",
        "source_id",
        "recommendation_id",
        "action_id",
        "measure_link_id",
        "evidence_id",
        "programme_id",
        "cohort_id",
        "member_id",
        "stage_id",
        "review_point_id",
        "trainee_id",
        "exit_interview_id",
        "exit_theme_id",
        "incentive_id",
        "learning_programme_id",
        "learning_session_id",
        "pay_grade_id",
        "pay_entry_id",
        "comparator_group_id",
    }
)


def build_place(
    team: Team,
    role: Role,
    tag: str,
    people: list[tuple[str, str]],
    manager: User | None = None,
) -> Place:
    """One record of each kind in `team`. Add records of new apps here, keyed by URL parameter."""
    authority = team.authority
    place = Place(team=team)
    place.ids["authority_id"] = authority.pk
    place.ids["team_id"] = team.pk
    place.ids["role_id"] = role.pk
    post = services.create_post(
        authority=authority,
        team=team,
        role=role,
        reference=f"{tag}-001",
        fte=Decimal("1.00"),
        start=dt.date(2022, 4, 1),
    )
    place.ids["post_id"] = post.pk
    place.ids["funding_id"] = post.funding.get().pk
    spare = services.create_post(
        authority=authority,
        team=team,
        role=role,
        reference=f"{tag}-002",
        fte=Decimal("1.00"),
        start=dt.date(2022, 4, 1),
    )
    (first, last), (leaver_first, leaver_last) = people
    worker = services.create_worker(
        authority=authority, staff_number=f"{tag}-W1", first_name=first, last_name=last
    )
    engagement = services.appoint_worker(
        worker=worker, post=post, start=dt.date(2022, 5, 1), fte=Decimal("1.00")
    )
    absence = services.record_absence(
        worker=worker,
        start=dt.date(2023, 1, 9),
        end=dt.date(2023, 1, 14),
        reason="SIC",
        working_days_lost=Decimal("5"),
    )
    leaver = services.create_worker(
        authority=authority,
        staff_number=f"{tag}-W2",
        first_name=leaver_first,
        last_name=leaver_last,
    )
    services.appoint_worker(
        worker=leaver, post=spare, start=dt.date(2022, 5, 1), fte=Decimal("0.50")
    )
    leaving = services.record_leaver(
        worker=leaver, last_day=TODAY - dt.timedelta(days=30), reason="1"
    )
    place.ids.update(
        worker_id=worker.pk,
        engagement_id=engagement.pk,
        absence_id=absence.pk,
        leaving_id=leaving.pk,
    )
    place.names = [f"{first} {last}", last, f"{leaver_first} {leaver_last}", leaver_last]
    add_recruitment(place, role=role, post=spare, tag=tag, manager=manager)
    add_caseloads(place, worker=worker)
    add_programmes(place, worker=worker, tag=tag)
    add_metrics(place)
    add_imports(place, tag=tag)
    add_exit_interview(place, worker=worker)
    add_incentives(place, worker=worker)
    add_pay(place, role=role)
    add_comparator_group(place, tag=tag)
    return place


def add_recruitment(
    place: Place, *, role: Role, post: Post, tag: str, manager: User | None
) -> None:
    """A campaign with a vacancy for a post of this team, a candidate, an application, a check.

    The team's manager is the application's named area manager, as recruitment expects.
    """
    from workforce.recruitment.models import Check, CheckKind, RequiredCheckRule, Task, TaskKind
    from workforce.recruitment.tests.factories import (
        ApplicationFactory,
        CampaignFactory,
        CandidateFactory,
        StrandFactory,
        VacancyFactory,
    )

    authority = place.team.authority
    campaign = CampaignFactory(authority=authority, name=f"{tag} campaign")
    strand = StrandFactory(campaign=campaign)
    vacancy = VacancyFactory(strand=strand, role=role, reference=f"{tag}-V1")
    vacancy.posts.add(post)
    first, last = f"Candida{tag.title()}", f"Applicant{tag.title()}"
    candidate = CandidateFactory(authority=authority, first_name=first, last_name=last)
    application = ApplicationFactory(
        vacancy=vacancy,
        candidate=candidate,
        preferred_team=place.team,
        post=post,
        area_manager=manager,
    )
    check = Check.objects.create(authority=authority, application=application, kind=CheckKind.DBS)
    task = Task.objects.create(
        authority=authority, application=application, kind=TaskKind.OFFER_LETTER
    )
    place.ids.update(
        campaign_id=campaign.pk,
        strand_id=strand.pk,
        vacancy_id=vacancy.pk,
        candidate_id=candidate.pk,
        application_id=application.pk,
        check_id=check.pk,
        # The authority's rules (its defaults), the same for both its teams.
        check_rule_id=RequiredCheckRule.objects.filter(authority=authority).order_by("pk")[0].pk,
        task_id=task.pk,
    )
    place.names += [f"{first} {last}", last]


def add_caseloads(place: Place, *, worker: Worker) -> None:
    from workforce.caseloads.tests.factories import allocate, case_in, referral

    case = case_in(place.team, opened=dt.date(2023, 2, 1))
    allocation = allocate(case, worker, dt.date(2023, 2, 1))
    received = referral(place.team, dt.date(2023, 1, 20), case=case)
    place.ids.update(case_id=case.pk, allocation_id=allocation.pk, referral_id=received.pk)


def add_programmes(place: Place, *, worker: Worker, tag: str) -> None:
    """The authority's ASYE programme (the same for both its teams), a cohort of this team with
    the worker in it and a review held, and the worker as an apprentice of the team before."""
    from workforce.careers import services_programmes as careers
    from workforce.careers.models import Programme, TraineeRoute

    authority = place.team.authority
    programme = Programme.objects.filter(authority=authority, name="ASYE").first()
    if programme is None:
        programme = careers.create_programme(
            authority=authority, name="ASYE", length_months=12, cfkss_status="1"
        )
        careers.add_stage(
            programme=programme,
            name="First months",
            from_month=0,
            to_month=6,
            protected_percent=80,
        )
        careers.add_review_point(programme=programme, name="3-month review", month=3)
        careers.add_review_point(programme=programme, name="Final review", month=12, final=True)
    cohort = careers.create_cohort(
        programme=programme, name=f"{tag} cohort", start=TODAY - dt.timedelta(days=120)
    )
    member = careers.add_member(cohort=cohort, worker=worker)
    careers.record_review(
        member=member,
        point=programme.review_points.get(month=3),
        held_on=TODAY - dt.timedelta(days=20),
        outcome="on_track",
    )
    trainee = careers.add_trainee(
        worker=worker,
        team=place.team,
        route=TraineeRoute.APPRENTICESHIP,
        start=dt.date(2020, 9, 1),
        expected_qualification=TODAY + dt.timedelta(days=200),
    )
    place.ids.update(
        programme_id=programme.pk, cohort_id=cohort.pk, member_id=member.pk, trainee_id=trainee.pk
    )
    # Stages and reviews are the programme's, the same for both of the authority's teams.
    place.ids["stage_id"] = programme.stages.get(from_month=0).pk
    place.ids["review_point_id"] = programme.review_points.get(month=3).pk


def add_metrics(place: Place) -> None:
    from workforce.metrics.models import Comparison, Target

    target = Target.objects.create(
        authority=place.team.authority,
        measure="agency_rate_fte",
        comparison=Comparison.AT_MOST,
        value=Decimal("20"),
        by_date=dt.date(2027, 10, 1),
        team=place.team,
    )
    place.ids["target_id"] = target.pk


def add_exit_interview(place: Place, *, worker: Worker) -> None:
    """An exit interview with the team's member who gave notice and was retained (still in the
    team, so its manager may open it), and the authority's first exit theme."""
    from workforce.careers.models.exits import ExitOutcome, ExitTheme
    from workforce.careers.services_exits import record_exit_interview

    interview = record_exit_interview(
        worker=worker,
        held_on=TODAY - dt.timedelta(days=10),
        notice_given_on=TODAY - dt.timedelta(days=20),
        outcome=ExitOutcome.RETAINED,
        themes=list(ExitTheme.objects.filter(authority=worker.authority)[:2]),
    )
    place.ids["exit_interview_id"] = interview.pk
    place.ids["exit_theme_id"] = ExitTheme.objects.filter(authority=worker.authority)[0].pk


def add_incentives(place: Place, *, worker: Worker) -> None:
    """A progression, a golden hello with a clawback period, and attendance at a session of the
    authority's core training (one programme for all its teams)."""
    from workforce.careers import services_incentives as careers
    from workforce.careers.models.learning import LearningKind, LearningProgramme

    careers.record_progression(
        worker=worker, date=dt.date(2023, 5, 1), kind="band", from_grade="F", to_grade="G"
    )
    incentive = careers.record_incentive(
        worker=worker,
        kind="golden_hello",
        amount=Decimal("2000"),
        paid_on=TODAY - dt.timedelta(days=60),
        clawback_months=24,
    )
    authority = place.team.authority
    programme = LearningProgramme.objects.filter(authority=authority).first()
    if programme is None:
        programme = careers.create_programme(
            authority=authority, title="Core training", kind=LearningKind.CORE
        )
        careers.add_session(programme=programme, title="Day 1", date=dt.date(2023, 6, 1))
    session = programme.sessions.get()
    careers.record_attendance(session=session, worker=worker)
    place.ids.update(
        incentive_id=incentive.pk,
        learning_programme_id=programme.pk,
        learning_session_id=session.pk,
    )


def add_pay(place: Place, *, role: Role) -> None:
    """A pay grade of the authority and a comparator's pay for the role (the authority's, not a
    team's: the same for both its teams)."""
    from workforce.benchmarks import services_pay as pay
    from workforce.benchmarks.models.pay import ComparatorPay, PayGrade
    from workforce.core.models import Authority

    authority = place.team.authority
    grade = PayGrade.objects.filter(authority=authority).first()
    entry = ComparatorPay.objects.filter(authority=authority).first()
    if grade is None:
        grade = pay.add_pay_grade(
            authority=authority,
            role=role,
            grade="SW3",
            minimum=Decimal("37000"),
            maximum=Decimal("42500"),
            effective_from=dt.date(2024, 4, 1),
        )
        entry = pay.add_comparator_pay(
            authority=authority,
            comparator=Authority.objects.get(code="333"),  # reference data: Sandwell
            role=role,
            minimum=Decimal("36000"),
            maximum=Decimal("41000"),
            applies_on=dt.date(2024, 5, 1),
            source="Regional benchmarking exercise, May 2024",
        )
    assert entry is not None
    place.ids.update(pay_grade_id=grade.pk, pay_entry_id=entry.pk)


def add_comparator_group(place: Place, *, tag: str) -> None:
    """A benchmarking comparator group of the authority (groups are the authority's, not a
    team's), of one local authority DfE publishes."""
    from workforce.benchmarks.models import Area, AreaLevel
    from workforce.benchmarks.services import create_group

    slough, _ = Area.objects.get_or_create(
        code="871", defaults={"name": "Slough", "level": AreaLevel.LOCAL_AUTHORITY}
    )
    group = create_group(authority=place.team.authority, name=f"{tag} group", areas=[slough])
    place.ids["comparator_group_id"] = group.pk


def add_imports(place: Place, *, tag: str) -> None:
    """A file checked and waiting to be imported (the history is the authority's, not a team's),
    a saved column mapping and a code mapping."""
    from workforce.imports.models import CodeMapping, ColumnMapping, ImportRun, ImportStatus

    run = ImportRun.objects.create(
        authority=place.team.authority,
        kind="csww",
        filename=f"{tag.lower()}.xml",
        size=3,
        sha256="0" * 64,
        status=ImportStatus.PREVIEWED,
        data=b"<a/>",
    )
    place.ids["import_run_id"] = run.pk
    authority = place.team.authority
    columns = ColumnMapping.objects.create(
        authority=authority, kind="staff", name=f"{tag} extract", columns={"staff_number": "Ref"}
    )
    code = CodeMapping.objects.create(
        authority=authority,
        list="reason_leave",
        local=f"{tag} left",
        key=f"{tag.lower()} left",
        code="1",
    )
    place.ids.update(column_mapping_id=columns.pk, code_mapping_id=code.pk)


def build_world() -> World:
    load_reference_data()
    authority = AuthorityFactory(code="999", name="Exampleshire", region="West Midlands")
    elsewhere = AuthorityFactory(code="998", name="Elsewhereshire", region="North West")
    personas = build_personas(authority, elsewhere)
    role = RoleFactory(authority=authority, title="Social worker")
    abroad_role = RoleFactory(authority=elsewhere, title="Social worker")
    abroad_team = TeamFactory(authority=elsewhere, name="Front Door East")
    world = World(
        personas=personas,
        own=build_place(
            personas.own_team,
            role,
            "OWN",
            [("Marigold", "Thistlewood"), ("Barnaby", "Wrexford")],
            manager=personas.manager,
        ),
        other=build_place(
            personas.other_team, role, "OTH", [("Percival", "Quenby"), ("Clementine", "Ashgrove")]
        ),
        abroad=build_place(
            abroad_team, abroad_role, "ABR", [("Ottoline", "Farraday"), ("Ignatius", "Pemberly")]
        ),
    )
    # User accounts are not tied to a team: the same user for both teams of the authority.
    world.own.ids["user_id"] = world.other.ids["user_id"] = personas.hr.pk
    world.abroad.ids["user_id"] = personas.outsider.pk
    # Reports belong to the authority, not a team: the same report for both of its teams.
    world.own.ids["report_id"] = world.other.ids["report_id"] = add_report(personas.lead)
    world.abroad.ids["report_id"] = add_report(personas.outsider)
    # Action plans belong to the authority, not a team: the same plan for both of its teams.
    ids, files = add_action_plan(personas.lead, owner=personas.manager)
    world.own.ids.update(ids)
    world.other.ids.update(ids)
    ids, more = add_action_plan(personas.outsider, owner=None)
    world.abroad.ids.update(ids)
    world.files = {**files, **more}
    world.former = add_mover(world, role)
    return world


ACTION_TEXT = "Convert agency posts to permanent ones."


def add_action_plan(lead: User, *, owner: User | None) -> tuple[dict[str, int], dict[str, bytes]]:
    """A scrutiny inquiry's plan with a recommendation, an action owned by `owner` (the team
    manager: owners record progress on their own actions), a progress update with a file of
    evidence, and a linked measure."""
    import tempfile

    from django.test import override_settings

    from workforce.actionplans import services as plans
    from workforce.actionplans.models import Direction, SourceKind, Status

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    with tempfile.TemporaryDirectory() as folder, override_settings(EVIDENCE_ROOT=folder):
        source = plans.create_source(
            authority=lead.authority,
            kind=SourceKind.SCRUTINY,
            title="Recruitment and retention inquiry",
            body="Scrutiny Board (Children's Services)",
            issued_on=dt.date(2022, 11, 1),
        )
        recommendation = plans.add_recommendation(
            source=source, number="7", text="Reduce reliance on agency staff."
        )
        action = plans.add_action(
            recommendation=recommendation,
            text=ACTION_TEXT,
            responsibility="Head of Human Resources",
            owner=owner,
            start=dt.date(2023, 1, 1),
            due=dt.date(2023, 12, 31),
        )
        update = plans.record_update(
            action=action,
            author=lead,
            on=dt.date(2023, 2, 1),
            text="Twelve posts advertised.",
            status=Status.ON_TRACK,
            uploads=[plans.Upload("advert.pdf", pdf)],
        )
        link = plans.link_measure(
            action=action, measure="agency_rate_fte", direction=Direction.FALLING
        )
        item = update.evidence.get()
    ids = {
        "source_id": source.pk,
        "recommendation_id": recommendation.pk,
        "action_id": action.pk,
        "measure_link_id": link.pk,
        "evidence_id": item.pk,
    }
    return ids, {str(item.stored_as): pdf}


@pytest.fixture(autouse=True)
def evidence_files(request: pytest.FixtureRequest, evidence_root: Any) -> None:
    """The world's evidence files, in this test's evidence folder."""
    if "world" not in request.fixturenames:
        return
    world: World = request.getfixturevalue("world")
    evidence_root.mkdir(parents=True, exist_ok=True)
    for name, data in world.files.items():
        (evidence_root / name).write_bytes(data)


def add_report(lead: User) -> int:
    """An issued scrutiny board report of the lead's authority (board members may read it)."""
    from django.utils import timezone

    from workforce.core.access import scope_for
    from workforce.reports import services as reports
    from workforce.reports.document import Audience

    report = reports.create_report(
        authority=lead.authority,
        user=lead,
        title="Workforce report",
        audience=Audience.SCRUTINY_BOARD,
        report_date=dt.date(2024, 3, 31),
    )
    if not report.sections.exists():  # no app offers a section: one that is no longer offered
        report.sections.create(authority=report.authority, key="retired.section", position=1)
    reports.issue_report(report, scope=scope_for(lead), user=lead, now=timezone.now())
    return report.pk


MOVER = ("Rosalind", "Featherstonehaugh")


def add_mover(world: World, role: Role) -> Place:
    """A social worker who was in the manager's team until 2022 and is now in the other team.

    Her sickness absence was recorded while she was in the manager's team; her current cases are
    in the other team. The manager may still see the team's history (a post was filled), but not
    her: not her person page, workload or absences, and no write about her.
    """
    from workforce.caseloads.tests.factories import allocate, case_in

    own_team, other_team = world.own.team, world.other.team
    authority = own_team.authority
    before = services.create_post(
        authority=authority,
        team=own_team,
        role=role,
        reference="OWN-009",
        fte=Decimal("1.00"),
        start=dt.date(2021, 1, 1),
    )
    after = services.create_post(
        authority=authority,
        team=other_team,
        role=role,
        reference="OTH-009",
        fte=Decimal("1.00"),
        start=dt.date(2021, 1, 1),
    )
    mover = services.create_worker(
        authority=authority,
        staff_number="MOV-1",
        first_name=MOVER[0],
        last_name=MOVER[1],
        date_of_birth=dt.date(1985, 3, 14),
    )
    first = services.appoint_worker(
        worker=mover, post=before, start=dt.date(2021, 2, 1), fte=Decimal("1.00")
    )
    absence = services.record_absence(
        worker=mover,
        start=dt.date(2021, 11, 1),
        end=dt.date(2021, 11, 6),
        reason="SIC",
        working_days_lost=Decimal("5"),
    )
    now = services.move_worker(
        engagement=first, to_post=after, on=dt.date(2022, 6, 1), fte=Decimal("1.00")
    )
    case = case_in(other_team, opened=dt.date(2023, 3, 1))
    allocation = allocate(case, mover, dt.date(2023, 3, 1))
    return Place(
        team=other_team,
        ids={
            **world.other.ids,
            "worker_id": mover.pk,
            "engagement_id": now.pk,
            "absence_id": absence.pk,
            "case_id": case.pk,
            "allocation_id": allocation.pk,
        },
        names=[],
    )


def mover_links(world: World) -> list[str]:
    """Addresses of the mover's pages: no page may offer the manager a link to them."""
    assert world.former is not None
    worker_id = world.former.ids["worker_id"]
    return [
        reverse("establishment:worker", kwargs={"worker_id": worker_id}),
        reverse("caseloads:worker", kwargs={"worker_id": worker_id}),
    ]


def _qualified(route: Route, kwarg: str) -> str:
    return f"{route.name.split(':')[0]}:{kwarg}" if ":" in route.name else kwarg


def value_of(route: Route, kwarg: str) -> str | None:
    qualified = _qualified(route, kwarg)
    return VALUE_KWARGS.get(qualified, VALUE_KWARGS.get(kwarg))


def record_key(route: Route, kwarg: str) -> str:
    return ALIASES.get(_qualified(route, kwarg), kwarg)


def record_kwargs(route: Route) -> list[str]:
    return [k for k in route.kwargs if value_of(route, k) is None]


def missing_kwargs(route: Route) -> list[str]:
    return [k for k in record_kwargs(route) if record_key(route, k) not in PLACE_KEYS]


def url_for(route: Route, place: Place) -> str:
    missing = missing_kwargs(route)
    if missing:
        pytest.fail(_unknown_message(route, missing))
    values = {
        k: place.ids[record_key(route, k)] if value_of(route, k) is None else value_of(route, k)
        for k in route.kwargs
    }
    return reverse(route.name, kwargs=values)


def _unknown_message(route: Route, missing: list[str]) -> str:
    return (
        f"URL {route.name!r} ({route.route}) takes {', '.join(missing)}, which the access tests "
        "cannot fill. In workforce/core/tests/test_url_access.py, create the record in "
        "build_place(), put its id in place.ids under that name and add the name to PLACE_KEYS "
        "(or give a plain value in VALUE_KWARGS), so every persona is checked against the page."
    )


def get(user: User | None, url: str) -> Any:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def allowed(user: User, route: Route) -> bool:
    if not (user.is_active and all(user.role in GRANTS[c] for c in route.required or ())):
        return False
    rule = RECORD_RULES.get(route.name)
    return rule is None or rule(user)


def _may_update_the_action(user: User) -> bool:
    """Progress on the world's action: its owner (the team manager) and those who edit plans."""
    from workforce.actionplans.models import Action
    from workforce.actionplans.selectors import may_update
    from workforce.core.access import scope_for

    action = Action.objects.get(authority_id=user.authority_id, text=ACTION_TEXT)
    return may_update(scope_for(user), action)


# Pages that the record itself opens or closes to a user beyond their role.
RECORD_RULES: dict[str, Callable[[User], bool]] = {
    "actionplans:update_new": _may_update_the_action,
}


def text_of(response: Any) -> str:
    kind = response.get("Content-Type", "")
    if getattr(response, "streaming", False) or not kind.startswith(("text/", "application/json")):
        return ""
    return response.content.decode(errors="replace")


def leaked(text: str, names: list[str]) -> list[str]:
    return [n for n in names if n in text]


# --- The tests -------------------------------------------------------------------------------


def route_ids(routes: list[Route]) -> list[str]:
    return [r.name for r in routes]


def test_the_url_list_is_found() -> None:
    assert "home" in route_ids(OURS)


@pytest.mark.parametrize("route", OURS, ids=route_ids(OURS))
def test_every_view_declares_what_it_requires(route: Route) -> None:
    assert route.required, (
        f"The view of {route.name!r} ({route.route}) is not wrapped in "
        "@requires(Capability....) from workforce.core.access, so no role check protects it. "
        "Add the decorator (outermost), or, for a page anyone may open, add it to "
        "PUBLIC_URL_NAMES in workforce/core/tests/test_url_access.py."
    )


@pytest.mark.parametrize("route", OURS, ids=route_ids(OURS))
def test_every_url_of_ours_is_named(route: Route) -> None:
    assert route.name != route.route, f"Give the URL {route.route!r} a name so it can be tested."


@pytest.mark.parametrize("route", OURS, ids=route_ids(OURS))
def test_every_url_parameter_can_be_filled(route: Route) -> None:
    missing = missing_kwargs(route)
    assert not missing, _unknown_message(route, missing)


def test_the_parameter_list_matches_the_world(world: World, db: None) -> None:
    assert set(world.own.ids) == PLACE_KEYS


@pytest.mark.parametrize("route", OURS, ids=route_ids(OURS))
def test_visitors_who_have_not_signed_in_are_sent_to_sign_in(
    route: Route, world: World, db: None
) -> None:
    url = url_for(route, world.own)
    response = get(None, url)
    assert response.status_code == 302, f"{url} answered {response.status_code} to a visitor"
    assert response["Location"].startswith(SIGN_IN), response["Location"]


@pytest.mark.parametrize("route", OURS, ids=route_ids(OURS))
def test_each_persona_gets_what_their_role_allows(route: Route, world: World, db: None) -> None:
    url = url_for(route, world.own)
    problems: list[str] = []
    for label, user in world.personas.all().items():
        try:
            response = get(user, url)
        except Exception as exc:  # a 500: report it with the others rather than stop
            problems.append(f"{label} ({user.role}): raised {type(exc).__name__}: {exc}")
            continue
        status = response.status_code
        if not allowed(user, route):
            if status != 403:
                problems.append(f"{label} ({user.role}): {status}, expected 403")
            continue
        if status not in (200, 302, 405):
            problems.append(f"{label} ({user.role}): {status}, expected 200")
            continue
        if status == 302 and response["Location"].startswith(SIGN_IN):
            problems.append(f"{label} ({user.role}): sent to sign in although allowed")
        text = text_of(response)
        hidden = list(world.abroad.names)
        if label in ("board", "analyst"):
            hidden += world.own.names + world.other.names
        if label == "manager":
            hidden += world.other.names
            for link in mover_links(world):
                if f'href="{link}' in text:
                    problems.append(f"manager is offered a link to a former member: {link}")
        for name in leaked(text, hidden):
            problems.append(f"{label} ({user.role}) can read the name {name!r}")
    assert not problems, f"GET {url}:\n  " + "\n  ".join(problems)


WITH_RECORDS = [r for r in OURS if record_kwargs(r)]


@pytest.mark.parametrize("route", WITH_RECORDS, ids=route_ids(WITH_RECORDS))
def test_records_of_another_authority_are_not_found(route: Route, world: World, db: None) -> None:
    outsider = world.personas.outsider
    url = url_for(route, world.own)
    expected = 404 if allowed(outsider, route) else 403
    status = get(outsider, url).status_code
    assert status == expected, f"The other authority's lead got {status} for {url}"


@pytest.mark.parametrize("route", WITH_RECORDS, ids=route_ids(WITH_RECORDS))
def test_team_managers_cannot_reach_records_of_other_teams(
    route: Route, world: World, db: None
) -> None:
    own, other = url_for(route, world.own), url_for(route, world.other)
    if own == other:
        pytest.skip("the parameters are not tied to a team (for example a role)")
    manager = world.personas.manager
    expected = 404 if allowed(manager, route) else 403
    status = get(manager, other).status_code
    assert status == expected, f"The team manager got {status} for another team's {other}"


@pytest.mark.parametrize("route", WITH_RECORDS, ids=route_ids(WITH_RECORDS))
def test_team_managers_cannot_reach_former_members_of_their_teams(
    route: Route, world: World, db: None
) -> None:
    """Someone who left the manager's team is out of reach, whatever they did while in it."""
    assert world.former is not None
    own, former = url_for(route, world.own), url_for(route, world.former)
    if own == former:
        pytest.skip("the parameters are not tied to a team (for example a role)")
    manager = world.personas.manager
    expected = 404 if allowed(manager, route) else 403
    status = get(manager, former).status_code
    assert status == expected, f"The team manager got {status} for a former member's {former}"


# What a write might carry: plausible values for the fields of this project's forms, so that a
# form which wrongly accepted the record would save it.
PLAUSIBLE_POST = {
    "start": "2024-03-04",
    "last_day": "2024-03-08",
    "end": "2024-03-08",
    "on": "2024-03-04",
    "reason": "SIC",
    "working_days_lost": "5",
    "fte": "0.5",
    "held_on": "2024-03-04",
    "outcome": "1",
    "confirm": "yes",
}


def audit_entries() -> int:
    from auditlog.models import LogEntry

    return LogEntry.objects.count()


@pytest.mark.parametrize("route", WITH_RECORDS, ids=route_ids(WITH_RECORDS))
def test_team_managers_cannot_write_to_other_teams_or_former_members(
    route: Route, world: World, db: None
) -> None:
    """Every write about a record out of the manager's reach is refused and changes nothing."""
    assert world.former is not None
    own = url_for(route, world.own)
    manager = world.personas.manager
    client = Client()
    client.force_login(manager)
    problems = []
    for place in (world.other, world.former):
        url = url_for(route, place)
        if url == own:
            continue
        before = audit_entries()
        status = client.post(url, PLAUSIBLE_POST).status_code
        if status not in (403, 404, 405):
            problems.append(f"POST {url}: {status}, expected 403 or 404")
        if audit_entries() != before:
            problems.append(f"POST {url} changed records")
    assert not problems, "\n".join(problems)


def test_the_write_check_would_see_a_write(world: World, db: None) -> None:
    """The write check above is only as good as this: the same POST does write in scope."""
    url = reverse("establishment:absence", kwargs={"worker_id": world.own.ids["worker_id"]})
    client = Client()
    client.force_login(world.personas.manager)
    before = audit_entries()

    response = client.post(url, PLAUSIBLE_POST)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert audit_entries() > before


# Plausible answers to the action-plan forms, so that a write wrongly let through would save.
ACTION_PLAN_POST = {
    **PLAUSIBLE_POST,
    "status": "on_track",
    "text": "Interviews held.",
    "number": "99",
    "responsibility": "Head of Human Resources",
    "kind": "ofsted",
    "title": "Inspection",
    "body": "Ofsted",
    "issued_on": "2024-03-04",
    "measure": "vacancy_rate_fte",
    "direction": "falls",
    "link": "https://example.org/report",
}
ACTION_PLAN_WRITES = [
    r
    for r in WITH_RECORDS
    if r.name.startswith("actionplans:")
    and set(r.required or ()) & {Capability.MANAGE_ACTION_PLANS, Capability.UPDATE_ACTIONS}
]


@pytest.mark.parametrize("route", ACTION_PLAN_WRITES, ids=route_ids(ACTION_PLAN_WRITES))
def test_action_plan_writes_are_refused_to_those_not_allowed(
    route: Route, world: World, db: None
) -> None:
    """Board members, analysts, and owners of other actions change nothing in a plan."""
    url = url_for(route, world.own)
    problems = []
    for label, user in world.personas.all().items():
        if allowed(user, route):
            continue
        client = Client()
        client.force_login(user)
        before = audit_entries()
        status = client.post(url, ACTION_PLAN_POST).status_code
        if status != 403:
            problems.append(f"{label} ({user.role}): POST {url} answered {status}, expected 403")
        if audit_entries() != before:
            problems.append(f"{label} ({user.role}): POST {url} changed records")
    assert not problems, "\n".join(problems)


def test_the_action_plan_write_check_would_see_a_write(world: World, db: None) -> None:
    """The same POST records progress when its owner sends it."""
    url = reverse("actionplans:update_new", kwargs={"action_id": world.own.ids["action_id"]})
    client = Client()
    client.force_login(world.personas.manager)
    before = audit_entries()

    response = client.post(url, ACTION_PLAN_POST)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert audit_entries() > before


def test_a_former_member_stays_in_the_teams_history(world: World, db: None) -> None:
    """The manager still sees that the post was filled, by whom, without a link to them."""
    client = Client()
    client.force_login(world.personas.manager)
    post = Post.objects.get(reference="OWN-009")

    text = client.get(reverse("establishment:post", kwargs={"post_id": post.pk})).content.decode()

    assert " ".join(MOVER) in text
    assert not [link for link in mover_links(world) if f'href="{link}' in text]


def test_the_name_check_would_see_a_name_on_a_page(world: World, db: None) -> None:
    """The leak checks above are only as good as this: names do appear where they are allowed."""
    text = text_of(get(world.personas.lead, reverse("establishment:workers")))

    assert leaked(text, world.own.names[:1]) == world.own.names[:1]


# Query values a mistyped, truncated or tampered address might carry. Each page must answer
# them with its page or a message, never an error (500).
JUNK = {
    "on": "31/02/2025",
    "page": "-1",
    "format": "pdf",
    "team": "abc",
    "role": "99999999999999999999",
    "years": "-3",
    "months": "x",
    "column": "nope",
    "table": "nope",
    "q": "<script>alert(1)</script>\x00",
    "status": "zzz",
    "campaign": "0",
    "service_area": "ZZ",
    "org_role": "9",
    "roles": "none",
    "record_id": "x",
    "user": "\x00",
    "record_type": "payroll",
    "model": "'; DROP TABLE x; --",
    "actor": "\x00",
    "team_id": "1.5",
}


# Real dates at the ends of the calendar, where date arithmetic overflows.
EDGE_DATES = [
    {"on": "0001-01-31"},
    {"on": "9999-12-31"},
    {"start": "0001-01-01", "end": "9999-12-31"},
]
# Alone as well as together: a page may stop at the first bad value it meets.
ALONE = ("on", "page", "format", "team", "q", "actor", "user")


@pytest.mark.parametrize("route", OURS, ids=route_ids(OURS))
def test_junk_in_the_address_is_answered_without_an_error(
    route: Route, world: World, db: None
) -> None:
    url = url_for(route, world.own)
    users = [u for u in (world.personas.lead, world.personas.admin) if allowed(u, route)]
    if not users:
        pytest.skip("neither the lead nor the administrator may open it")
    client = Client(raise_request_exception=True)
    client.force_login(users[0])
    problems = []
    for query in [JUNK, *({key: JUNK[key]} for key in ALONE), *EDGE_DATES]:
        try:
            code = client.get(url, query).status_code
        except Exception as exc:  # noqa: BLE001  (a 500, reported with the query)
            problems.append(f"{query}: raised {type(exc).__name__}: {exc}")
            continue
        if code >= 500:
            problems.append(f"{query}: {code}")
    assert not problems, f"GET {url}:\n  " + "\n  ".join(problems)
