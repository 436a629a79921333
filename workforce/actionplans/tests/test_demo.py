"""Demo action plans: the published Leeds plan, the inspection plan with every status and
measures the demo's figures give, written once however often the demo is built."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from auditlog.models import LogEntry

from workforce.actionplans import demo, selectors
from workforce.actionplans.models import (
    Action,
    ActionMeasure,
    Evidence,
    Rag,
    Recommendation,
    Source,
    SourceKind,
    Status,
    Update,
)
from workforce.core.access import scope_for
from workforce.core.models import Authority, User

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 9, 30)


@pytest.fixture
def built(team_demo: Authority) -> Authority:
    return team_demo


def _source(authority: Authority, kind: str) -> Source:
    return Source.objects.get(authority=authority, kind=kind)


def _counts(authority: Authority) -> dict[str, int]:
    counts = {
        model.__name__: model.objects.filter(authority=authority).count()
        for model in (Source, Recommendation, Action, Update, Evidence, ActionMeasure)
    }
    counts["log"] = LogEntry.objects.count()
    return counts


def test_the_leeds_plan_has_the_reports_recommendations_and_the_responses_actions(built):
    leeds = _source(built, SourceKind.SCRUTINY)
    assert leeds.issued_on == dt.date(2006, 4, 26)
    assert leeds.response_due == dt.date(2006, 7, 13)
    assert "Scrutiny Board (Children's Services)" in leeds.body
    recs = list(leeds.recommendations.order_by("order"))
    assert [r.number for r in recs] == ["1", "2", "3"]
    assert recs[0].text.startswith(
        "That the Chief Social Services Officer considers adopting similar practices to those "
        "introduced by The Youth Service"
    )
    assert "job rotation and secondment" in recs[1].text
    assert "unnecessary prolonging of care orders" in recs[2].text

    first = list(recs[0].actions.order_by("order"))
    assert len(first) == 7
    assert {a.responsibility for a in first} == {"Head of Human Resources"}
    assert [a.timescale for a in first[2:]] == [
        "For all recommended candidates from 1 July 2006"
    ] * 5
    assert first[2].text.startswith("Improved communication between HR / service area managers")
    assert first[6].text.startswith("Upon receipt of acceptance of a post")
    youth = first[0]
    assert youth.status == Status.CLOSED
    assert "Youth Worker" in youth.closed_reason
    assert youth.ended_on == dt.date(2006, 7, 13)

    (rotation,) = recs[1].actions.all()
    assert rotation.responsibility == "Tony Griffin – Head of Children's Service Transformation"
    assert rotation.timescale == (
        "Project to run over the next year, though specific proposals about rotations and "
        "secondment will be implemented before April 2007."
    )
    (care_orders,) = recs[2].actions.all()
    assert "Tony Griffin" in care_orders.responsibility
    assert "John Colman – Head of Service Delivery" in care_orders.responsibility
    assert care_orders.timescale.startswith("Officers will prepare a report to Members")

    actions = Action.objects.filter(recommendation__source=leeds)
    assert not any(a.is_open for a in actions)
    assert all(a.start.year == 2006 and a.ended_on.year in (2006, 2007) for a in actions)
    assert not ActionMeasure.objects.filter(action__in=actions).exists()


def test_the_inspection_and_notice_keep_the_reports_numbers(built):
    inspection = _source(built, SourceKind.OFSTED)
    notice = _source(built, SourceKind.IMPROVEMENT_NOTICE)
    assert list(inspection.recommendations.values_list("number", flat=True)) == ["7", "14", "19"]
    assert list(notice.recommendations.values_list("number", flat=True)) == [
        "8.10",
        "8.11",
        "8.12",
        "8.13",
    ]
    assert notice.recommendations.get(number="8.10").text.startswith(
        "Attention must be paid to the eight standards for employers of social workers"
    )
    assert all(r.actions.exists() for r in Recommendation.objects.filter(authority=built))
    texts = " ".join(
        Action.objects.filter(recommendation__source__in=[inspection, notice]).values_list(
            "text", flat=True
        )
    )
    for words in ("Child's Journey", "career structure", "risk and resilience", "apprenticeship"):
        assert words in texts


def test_every_status_and_colour_is_shown_on_the_day_built(built):
    actions = list(Action.objects.filter(authority=built))
    assert {a.status for a in actions} == set(Status.values)
    assert {a.rag_on(TODAY) for a in actions} == set(Rag)
    assert any(a.is_overdue_on(TODAY) for a in actions)
    assert Update.objects.filter(authority=built, on__gt=TODAY).count() == 0
    assert Evidence.objects.filter(authority=built, update__isnull=False).exclude(link="").exists()


def test_the_hr_officer_and_the_team_manager_have_open_actions_of_their_own(built):
    for name in ("hr", "manager"):
        scope = scope_for(User.objects.get(username=name))
        assert any(a.is_open for a in selectors.my_actions(scope))


def test_each_measure_link_shows_the_demos_figures_from_the_actions_start(built):
    links = ActionMeasure.objects.filter(authority=built)
    assert set(links.values_list("measure", flat=True)) == {
        "agency_rate_fte",
        "turnover_rate_fte",
        "vacancy_rate_fte",
        "average_caseload",
    }
    scope = scope_for(User.objects.get(username="lead"))
    for action in Action.objects.filter(measures__isnull=False).distinct():
        found = selectors.impacts(scope, action, TODAY)
        assert len(found) == action.measures.count()
        for impact in found:
            assert len(impact.points) > 2
            assert impact.baseline.on == action.start
            assert impact.latest.on == TODAY
            assert all(p.value is not None for p in impact.points)
            assert impact.met is not None


def test_the_writes_are_in_the_audit_trail(built):
    assert LogEntry.objects.get_for_objects(Action.objects.filter(authority=built)).count() >= (
        Action.objects.filter(authority=built).count()
    )


def test_building_again_adds_nothing(built):
    before = _counts(built)
    demo.build(authority=built, rng=np.random.default_rng(1), today=TODAY, scale="team")
    assert _counts(built) == before


def test_other_authorities_get_no_plans(built):
    other = Authority.objects.exclude(code="990").first()
    demo.build(authority=other, rng=np.random.default_rng(1), today=TODAY, scale="region")
    assert not Source.objects.filter(authority=other).exists()
