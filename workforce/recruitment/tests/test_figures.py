"""Recruitment progress as at a date, from the stage history (hand-computed fixtures)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from django.db.models import Count, Q
from django.urls import reverse

from workforce.establishment.tests.factories import PostFactory, RoleFactory
from workforce.metrics import engine
from workforce.recruitment import figures, selectors, services
from workforce.recruitment.models import (
    EXIT_STAGES,
    OFFERED_STAGES,
    STAGE_ORDER,
    Application,
    Check,
    CheckKind,
    ExitReason,
    Offer,
    OfferKind,
    OfferResponse,
    Stage,
    StageTransition,
    reached,
)
from workforce.recruitment.tests.factories import (
    ApplicationFactory,
    CandidateFactory,
    StrandFactory,
    VacancyFactory,
)

D = dt.date
SEPT = D(2017, 9, 30)
DEC = D(2017, 12, 31)


def _recruited_in_september(world: Any, email: str = "sam@example.com") -> Application:
    """Applied in August, recommended on 5 September, in checks from 12 September."""
    application = services.apply(
        vacancy=world.vacancy,
        applied_on=D(2017, 8, 1),
        first_name="Sam",
        last_name="Withdrawn",
        email=email,
    )
    for stage, on in (
        (Stage.SHORTLISTED, D(2017, 8, 10)),
        (Stage.INTERVIEWED, D(2017, 8, 20)),
        (Stage.RECOMMENDED, D(2017, 9, 5)),
        (Stage.CHECKS, D(2017, 9, 12)),
    ):
        services.advance_application(application=application, to_stage=stage, on=on)
    return application


def _progress(world: Any, on: dt.date, team_ids: frozenset[int] | None = None) -> Any:
    where = selectors.ReportFilter(
        world.campaign.authority_id, world.campaign.pk, on=on, team_ids=team_ids
    )
    (row,) = selectors.strand_progress(where)
    return row


def test_a_candidate_recruited_in_september_who_withdraws_in_december(world):
    application = _recruited_in_september(world)
    services.withdraw_application(
        application=application, reason=ExitReason.ANOTHER_OFFER, on=D(2017, 12, 4)
    )

    september = _progress(world, SEPT)
    assert (september.offered, september.in_checks, september.started) == (1, 1, 0)
    assert september.recruited == 1 and september.still_to_find == 14
    december = _progress(world, DEC)
    # Still offered (they reached the offer), no longer recruited.
    assert (december.offered, december.in_checks, december.recruited) == (1, 0, 0)
    assert december.still_to_find == 15
    # The withdrawal counts from its day.
    assert _progress(world, D(2017, 12, 3)).recruited == 1
    assert _progress(world, D(2017, 12, 4)).recruited == 0
    # Before the recommendation: applied, neither offered nor recruited.
    august = _progress(world, D(2017, 8, 31))
    assert (august.offered, august.recruited) == (0, 0)


def test_the_target_sentence_answers_as_at_its_date(world):
    application = _recruited_in_september(world)
    services.withdraw_application(
        application=application, reason=ExitReason.PERSONAL, on=D(2017, 12, 4)
    )
    assert _progress(world, SEPT).sentence == (
        "1 recruited at 30 September 2017 against a target of 15: "
        "0 started, 1 in pre-employment checks"
    )
    assert _progress(world, DEC).sentence == (
        "0 recruited at 31 December 2017 against a target of 15: "
        "0 started, 0 in pre-employment checks"
    )


def test_offers_by_role_and_sources_answer_as_at_the_date(world):
    application = _recruited_in_september(world)
    services.withdraw_application(
        application=application, reason=ExitReason.PERSONAL, on=D(2017, 12, 4)
    )
    authority_id = world.campaign.authority_id
    before = selectors.ReportFilter(authority_id, on=D(2017, 9, 4))
    after = selectors.ReportFilter(authority_id, on=DEC)
    assert selectors.offers_by_role(before) == []
    assert selectors.offers_by_role(after) == [("Social worker", 1, 0)]
    (source,) = selectors.source_effectiveness(after)
    assert (source.applications, source.offered, source.started) == (1, 1, 0)
    assert (
        selectors.source_effectiveness(selectors.ReportFilter(authority_id, on=D(2017, 7, 31)))[
            0
        ].applications
        == 0
    )
    dropout = {r.stage: (r.reached, r.left) for r in selectors.dropout_by_stage(after)}
    assert dropout["Pre-employment checks"] == (1, 1)
    assert {r.stage: r.left for r in selectors.dropout_by_stage(before)}[
        "Pre-employment checks"
    ] == 0
    assert selectors.dropout_reasons(after) == [
        ("Pre-employment checks", "Withdrawn", "Personal circumstances", 1)
    ]
    assert selectors.dropout_reasons(before) == []


# Team scope ----------------------------------------------------------------------------------


@pytest.fixture
def two_teams(world, personas, authority):
    """In checks since September: one candidate for the manager's team's post, one for a post
    in another team (a vacancy of the same strand)."""
    _recruited_in_september(world)
    elsewhere: Any = PostFactory(team=personas.other_team, role=world.role, start=D(2017, 1, 1))
    other = services.open_vacancy(
        authority=authority,
        reference="V2",
        title="Social worker, children in care",
        role=world.role,
        opened_on=D(2017, 6, 1),
        strand=world.strand,
        posts=[elsewhere],
    )
    ApplicationFactory(
        vacancy=other,
        stage=Stage.CHECKS,
        applied_on=D(2017, 8, 1),
        stage_on=D(2017, 9, 1),
    )
    return other


def test_a_team_manager_counts_only_their_teams(world, personas, two_teams):
    assert _progress(world, SEPT).recruited == 2
    mine = _progress(world, SEPT, team_ids=frozenset({personas.own_team.pk}))
    assert (mine.offered, mine.in_checks, mine.recruited) == (1, 1, 1)
    theirs = _progress(world, SEPT, team_ids=frozenset({personas.other_team.pk}))
    assert theirs.recruited == 1


def test_an_allocated_post_decides_the_team(world, personas, two_teams):
    application = Application.objects.get(vacancy=two_teams)
    mine: Any = PostFactory(team=personas.own_team, role=world.role, start=D(2017, 1, 1))
    Application.objects.filter(pk=application.pk).update(post=mine)
    assert _progress(world, SEPT, team_ids=frozenset({personas.own_team.pk})).recruited == 2
    assert _progress(world, SEPT, team_ids=frozenset({personas.other_team.pk})).recruited == 0


def test_the_report_page_shows_a_manager_their_teams_as_at_the_date(
    client, personas, world, two_teams
):
    client.force_login(personas.manager)
    page = client.get(reverse("recruitment:reports"), {"on": "2017-09-30"}).content.decode()
    assert "1 recruited at 30 September 2017 against a target of 15" in page
    assert "Only applications for posts in your teams are counted" in page
    csv = client.get(
        reverse("recruitment:report_download"),
        {"table": "progress", "format": "csv", "on": "2017-09-30"},
    ).content.decode()
    assert "1 recruited at 30 September 2017" in csv
    campaign = client.get(
        reverse("recruitment:campaign", kwargs={"campaign_id": world.campaign.pk}),
        {"on": "2017-09-30"},
    ).content.decode()
    assert "1 recruited at 30 September 2017" in campaign
    # No link to the other team's vacancy, which the manager cannot open.
    assert reverse("recruitment:vacancy", kwargs={"vacancy_id": two_teams.pk}) not in campaign
    assert reverse("recruitment:vacancy", kwargs={"vacancy_id": world.vacancy.pk}) in campaign

    client.force_login(personas.lead)
    page = client.get(reverse("recruitment:reports"), {"on": "2017-09-30"}).content.decode()
    assert "2 recruited at 30 September 2017 against a target of 15" in page
    assert (
        reverse("recruitment:vacancy", kwargs={"vacancy_id": two_teams.pk})
        in client.get(
            reverse("recruitment:campaign", kwargs={"campaign_id": world.campaign.pk})
        ).content.decode()
    )


def test_a_bad_as_at_date_is_named_and_the_page_still_answers(client, personas, world):
    client.force_login(personas.board)
    for url in (
        reverse("recruitment:reports"),
        reverse("recruitment:campaigns"),
        reverse("recruitment:campaign", kwargs={"campaign_id": world.campaign.pk}),
    ):
        r = client.get(url, {"on": "2017-02-31"})
        assert r.status_code == 200
        # The reports page asks for a period, whose end is the date the figures answer for.
        named = (
            "The end of the period" if url == reverse("recruitment:reports") else "The “as at” date"
        )
        assert f"{named} must be a real date" in r.content.decode()


# The SQL against the earlier Python and ORM counts, on generated histories -------------------


def _generate(authority: Any, seed: int = 7) -> list[Application]:
    """Applications over two strands and two roles with random journeys and dates."""
    rng = random.Random(seed)
    roles = [RoleFactory(authority=authority, title=t) for t in ("Social worker", "Manager")]
    strands = [StrandFactory(campaign__authority=authority) for _ in range(2)]
    vacancies = [VacancyFactory(strand=s, role=r) for s in strands for r in roles]
    applications = []
    for _ in range(80):
        vacancy = rng.choice(vacancies)
        applied_on = D(2017, 6, 1) + dt.timedelta(days=rng.randrange(0, 120))
        depth = rng.randrange(0, len(STAGE_ORDER))
        path = list(STAGE_ORDER[: depth + 1])
        exit_to = rng.choice([None, None, *EXIT_STAGES]) if path[-1] != Stage.STARTED else None
        days = [applied_on]
        for _ in path[1:] + ([exit_to] if exit_to else []):
            days.append(days[-1] + dt.timedelta(days=rng.choice([0, 1, 3, 10, 30])))
        application = ApplicationFactory(
            vacancy=vacancy,
            candidate=CandidateFactory(authority=authority),
            stage=exit_to or path[-1],
            exit_stage=path[-1] if exit_to else "",
            applied_on=applied_on,
            stage_on=days[-1],
            history=False,
        )
        previous = ""
        for stage, on in zip([*path, *([exit_to] if exit_to else [])], days, strict=True):
            StageTransition.objects.create(
                application=application, from_stage=previous, to_stage=stage, on=on
            )
            previous = stage
        if Stage.RECOMMENDED in path:
            recommended_on = days[path.index(Stage.RECOMMENDED)]
            if rng.random() < 0.6:  # a check requested some days after the recommendation
                Check.objects.create(
                    authority=authority,
                    application=application,
                    kind=CheckKind.DBS,
                    requested_on=recommended_on + dt.timedelta(days=rng.choice([0, 2, 20])),
                )
            if rng.random() < 0.5:  # the conditional offer accepted some days later
                Offer.objects.create(
                    authority=authority,
                    application=application,
                    kind=OfferKind.CONDITIONAL,
                    made_on=recommended_on,
                    response=OfferResponse.ACCEPTED,
                    response_on=recommended_on + dt.timedelta(days=rng.choice([1, 15])),
                )
        applications.append(application)
    return applications


NAMES = (
    "offered",
    "recommended",
    "in_checks",
    "conditional_accepted",
    "unconditional",
    "accepted",
    "started",
    "ever_accepted",
    "ever_conditional_accepted",
    "ever_unconditional",
    "pulled_out",
)


def _replay(on: dt.date) -> dict[tuple[int, int], dict[str, int]]:
    """Each application's stage at `on` found by walking its transitions in Python."""
    out: dict[tuple[int, int], dict[str, int]] = {}
    for application in Application.objects.select_related("vacancy"):
        moves = [t for t in application.transitions.order_by("on", "pk") if t.on <= on]
        if not moves:
            continue
        last = moves[-1]
        key = (application.vacancy.strand_id, application.vacancy.role_id)
        c = out.setdefault(key, dict.fromkeys(NAMES, 0))
        requested = any(
            c.requested_on is not None and c.requested_on <= on for c in application.checks.all()
        )
        conditional = any(
            o.kind == OfferKind.CONDITIONAL
            and o.response == OfferResponse.ACCEPTED
            and o.response_on is not None
            and o.response_on <= on
            for o in application.offers.all()
        )
        stages = {t.to_stage for t in moves}
        c["offered"] += any(t.to_stage in OFFERED_STAGES for t in moves)
        c["recommended"] += last.to_stage == Stage.RECOMMENDED and not requested
        c["in_checks"] += last.to_stage == Stage.CHECKS or (
            last.to_stage == Stage.RECOMMENDED and requested
        )
        c["conditional_accepted"] += (
            last.to_stage in (Stage.RECOMMENDED, Stage.CHECKS) and conditional
        )
        c["unconditional"] += last.to_stage == Stage.UNCONDITIONAL_OFFER
        c["accepted"] += last.to_stage == Stage.ACCEPTED
        c["started"] += last.to_stage == Stage.STARTED
        c["ever_accepted"] += bool(stages & {Stage.ACCEPTED, Stage.STARTED})
        c["ever_conditional_accepted"] += conditional
        c["ever_unconditional"] += Stage.UNCONDITIONAL_OFFER in stages
        c["pulled_out"] += last.to_stage == Stage.PULLED_OUT
    return out


def test_the_sql_equals_the_earlier_current_stage_counts_today(authority):
    _generate(authority)
    # The counts as they were computed before, from each application's current stage.
    earlier = {
        (r["vacancy__strand_id"], r["vacancy__role_id"]): {
            "offered": r["offered"],
            "in_checks": r["in_checks"],
            "unconditional": r["unconditional"],
            "accepted": r["accepted"],
            "started": r["started"],
        }
        for r in Application.objects.filter(authority=authority)
        .values("vacancy__strand_id", "vacancy__role_id")
        .annotate(
            offered=Count("pk", filter=reached(Stage.RECOMMENDED)),
            in_checks=Count("pk", filter=Q(stage__in=(Stage.RECOMMENDED, Stage.CHECKS))),
            unconditional=Count("pk", filter=Q(stage=Stage.UNCONDITIONAL_OFFER)),
            accepted=Count("pk", filter=Q(stage=Stage.ACCEPTED)),
            started=Count("pk", filter=Q(stage=Stage.STARTED)),
        )
    }
    now = figures.progress_on(
        figures.ProgressFilter(authority_ids=(authority.pk,)),
        on=dt.date.today(),
        by=("strand", "role"),
    )
    # What was "in checks" is now told apart: recommended with checks not yet started, and
    # in pre-employment checks.
    got = {key: {name: getattr(c, name) for name in earlier[key]} for key, c in now.items()}
    for key, c in now.items():
        got[key]["in_checks"] = c.in_checks + c.recommended
    assert got == earlier


@pytest.mark.parametrize("on", [D(2017, 6, 1), D(2017, 7, 15), SEPT, DEC, D(2018, 6, 30)])
def test_the_sql_equals_a_python_replay_of_the_history_at_any_date(authority, on):
    _generate(authority)
    sql = figures.progress_on(
        figures.ProgressFilter(authority_ids=(authority.pk,)), on=on, by=("strand", "role")
    )
    got = {key: {name: getattr(c, name) for name in NAMES} for key, c in sql.items()}
    assert got == _replay(on)


def test_a_monthly_series_is_one_query_and_matches_single_dates(
    authority, django_assert_num_queries
):
    _generate(authority)
    where = figures.ProgressFilter(authority_ids=(authority.pk,))
    timeline = engine.Timeline.monthly(D(2018, 3, 31), 12)
    with django_assert_num_queries(1):
        series = figures.progress(where, dates=timeline.dates, by=("role",))
    for i, day in enumerate(timeline.dates):
        single = figures.progress_on(where, on=day, by=("role",))
        assert {k: v[i] for k, v in series.items() if v[i] != figures.ZERO} == {
            k: v for k, v in single.items()
        }


def test_the_metrics_engine_answers_through_the_registered_provider(world, personas, two_teams):
    assert engine.PROVIDES["recruitment_recruited"] == "recruitment"
    where = engine.MetricsFilter(authority_ids=(world.campaign.authority_id,), census_only=False)
    parts = engine.components(
        ["recruitment_recruited", "recruitment_in_checks"],
        where=where,
        timeline=engine.Timeline.yearly(SEPT, 2),
    )
    assert parts["recruitment_recruited"][None] == [0, 2]
    assert parts["recruitment_in_checks"][None] == [0, 2]
    mine = engine.components(
        ["recruitment_recruited"],
        where=engine.MetricsFilter(
            authority_ids=(world.campaign.authority_id,),
            team_ids=(personas.own_team.pk,),
            census_only=False,
        ),
        timeline=engine.Timeline.single(SEPT),
    )
    assert mine["recruitment_recruited"][None] == [1]
    by_team = engine.components(
        ["recruitment_recruited"],
        where=where,
        timeline=engine.Timeline.single(SEPT),
        by="team",
    )
    assert by_team["recruitment_recruited"] == {
        personas.own_team.pk: [1],
        personas.other_team.pk: [1],
    }


# The stage history reaches every application's current stage ---------------------------------


def test_the_backfill_gives_applications_without_history_their_known_stages(authority):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "workforce.recruitment.migrations.0002_backfill_stage_history"
    )
    left = ApplicationFactory(
        vacancy__strand__campaign__authority=authority,
        stage=Stage.WITHDRAWN,
        exit_stage=Stage.CHECKS,
        exit_reason=ExitReason.PERSONAL,
        applied_on=D(2017, 6, 1),
        stage_on=D(2017, 12, 4),
        history=False,
    )
    partial = ApplicationFactory(
        vacancy=left.vacancy, stage=Stage.SHORTLISTED, stage_on=D(2017, 6, 9), history=False
    )
    StageTransition.objects.create(application=partial, to_stage=Stage.APPLIED, on=D(2017, 6, 1))
    whole = ApplicationFactory(vacancy=left.vacancy, stage=Stage.INTERVIEWED)
    before = list(whole.transitions.values_list("to_stage", "on"))

    migration.backfill(apps, None)
    migration.backfill(apps, None)  # a second run adds nothing

    assert list(left.transitions.values_list("from_stage", "to_stage", "on", "reason")) == [
        ("", Stage.APPLIED, D(2017, 6, 1), ""),
        (Stage.APPLIED, Stage.CHECKS, D(2017, 12, 4), ""),
        (Stage.CHECKS, Stage.WITHDRAWN, D(2017, 12, 4), ExitReason.PERSONAL),
    ]
    assert list(partial.transitions.values_list("from_stage", "to_stage", "on")) == [
        ("", Stage.APPLIED, D(2017, 6, 1)),
        (Stage.APPLIED, Stage.SHORTLISTED, D(2017, 6, 9)),
    ]
    assert list(whole.transitions.values_list("to_stage", "on")) == before
    # Offered from the day it is known to have reached checks.
    where = figures.ProgressFilter(authority_ids=(authority.pk,))
    assert figures.progress_on(where, on=D(2017, 12, 4))[()].offered == 1
    assert figures.progress_on(where, on=D(2017, 12, 3))[()].offered == 0


def test_time_in_stage_in_sql_equals_numpy_percentiles_of_the_same_durations(authority):
    import numpy as np

    _generate(authority)
    on = D(2017, 12, 31)
    durations: dict[str, list[int]] = {}
    for application in Application.objects.all():
        moves = list(application.transitions.order_by("on", "pk"))
        for move, after in zip(moves, moves[1:], strict=False):
            if after.on <= on:
                durations.setdefault(move.to_stage, []).append((after.on - move.on).days)
    got = figures.time_in_stages(figures.ProgressFilter(authority_ids=(authority.pk,)), on=on)
    assert set(got) == set(durations)
    for stage, days in durations.items():
        median, p90 = np.percentile(np.asarray(days, dtype=float), [50, 90])
        assert got[stage].count == len(days)
        assert got[stage].median == pytest.approx(median, abs=1e-9)
        assert got[stage].p90 == pytest.approx(p90, abs=1e-9)


def test_time_in_stage_and_checks_answer_as_at_the_date(world):
    application = _recruited_in_september(world)
    services.request_check(application=application, kind="dbs", requested_on=D(2017, 9, 12))
    services.record_check_result(
        check=application.checks.get(kind="dbs"), outcome="cleared", outcome_on=D(2017, 10, 3)
    )
    authority_id = world.campaign.authority_id
    stages = dict(selectors.time_in_stage(selectors.ReportFilter(authority_id, on=SEPT)))
    # Applied 1 Aug, shortlisted 10 Aug, interviewed 20 Aug, recommended 5 Sep, checks 12 Sep.
    assert (stages["Applied"].count, stages["Applied"].median) == (1, 9.0)
    assert stages["Recommended (conditional offer)"].median == 7.0
    assert stages["Pre-employment checks"].count == 0
    early = dict(selectors.time_in_stage(selectors.ReportFilter(authority_id, on=D(2017, 8, 15))))
    assert early["Applied"].count == 1 and early["Shortlisted"].count == 0

    def dbs(on: dt.date) -> tuple[int, float | None, int]:
        where = selectors.ReportFilter(authority_id, on=on)
        label, spread, waiting = selectors.check_turnaround(where)[0]
        assert label == "Enhanced DBS"
        return spread.count, spread.median, waiting

    assert dbs(SEPT) == (0, None, 1)  # requested, no result yet at 30 September
    assert dbs(DEC) == (1, 21.0, 0)  # cleared 21 days after the request
    assert dbs(D(2017, 9, 11)) == (0, None, 0)  # not yet requested


def test_a_team_manager_sees_no_rows_for_strands_recruiting_elsewhere(world, personas, authority):
    _recruited_in_september(world)
    elsewhere: Any = PostFactory(team=personas.other_team, role=world.role, start=D(2017, 1, 1))
    strand = services.create_strand(campaign=world.campaign, kind="open", start=D(2017, 6, 1))
    services.create_target(
        strand=strand, role=world.role, target=3, deadline=D(2017, 12, 31), today=D(2017, 6, 1)
    )
    services.open_vacancy(
        authority=authority,
        reference="V3",
        title="Social worker",
        role=world.role,
        opened_on=D(2017, 6, 1),
        strand=strand,
        posts=[elsewhere],
    )
    everyone = selectors.ReportFilter(authority.pk, on=SEPT)
    mine = selectors.ReportFilter(authority.pk, on=SEPT, team_ids=frozenset({personas.own_team.pk}))
    assert [r.target for r in selectors.strand_progress(everyone)] == [15, 3]
    assert [r.target for r in selectors.strand_progress(mine)] == [15]


def test_the_metrics_command_json_has_the_recruitment_counts(world, personas, two_teams):
    import io
    import json

    from django.core.management import call_command

    out = io.StringIO()
    code = world.campaign.authority.code
    call_command("metrics", "--date", "2017-09-30", "--authority", code, "--json", stdout=out)
    recruitment = json.loads(out.getvalue())["recruitment"]
    assert (recruitment["applications"], recruitment["recruited"]) == (2, 2)
    assert recruitment["by_role"] == [
        {
            "role": "Social worker",
            "applications": 2,
            "offered": 2,
            "in_checks": 2,
            "unconditional": 0,
            "accepted": 0,
            "started": 0,
            "ever_accepted": 0,
            "recommended": 0,
            "conditional_accepted": 0,
            "ever_conditional_accepted": 0,
            "ever_unconditional": 0,
            "pulled_out": 0,
            "recruited": 2,
        }
    ]
