import datetime as dt
from collections import defaultdict
from decimal import Decimal

import numpy as np
import pytest

from workforce.establishment.models import (
    Engagement,
    EngagementKind,
    OrgRole,
)
from workforce.establishment.tests.factories import (
    PostFactory,
    RoleFactory,
    TeamFactory,
    WorkerFactory,
)
from workforce.recruitment import demo, selectors
from workforce.recruitment.models import (
    EXIT_STAGES,
    STAGE_ORDER,
    Application,
    Campaign,
    Stage,
    StageTransition,
)

TODAY = dt.date(2025, 9, 30)


@pytest.fixture
def establishment(authority):
    team = TeamFactory(authority=authority, name="Assessment")
    sw = RoleFactory(authority=authority, title="Social worker", org_role=OrgRole.CASE_HOLDER)
    RoleFactory(authority=authority, title="Social worker (ASYE)", org_role=OrgRole.CASE_HOLDER)
    RoleFactory(authority=authority, title="Team manager", org_role=OrgRole.FIRST_LINE_MANAGER)
    posts = [PostFactory(team=team, role=sw, start=dt.date(2019, 1, 1)) for _ in range(30)]
    for post in posts[:10]:
        Engagement.objects.create(
            authority=authority,
            worker=WorkerFactory(authority=authority),
            post=post,
            start=dt.date(2019, 1, 1),
            fte=Decimal("1.00"),
            kind=EngagementKind.PERMANENT,
        )
    # Joiners over the two years before TODAY, one a fortnight, in the remaining posts.
    for i, post in enumerate(posts[10:]):
        Engagement.objects.create(
            authority=authority,
            worker=WorkerFactory(authority=authority, first_name=f"Joiner{i}"),
            post=post,
            start=TODAY - dt.timedelta(days=14 * (i + 1) * 2),
            fte=Decimal("1.00"),
            kind=EngagementKind.PERMANENT,
        )
    return posts


def test_demo_builds_campaigns_with_consistent_histories(establishment, authority):
    engagements_before = Engagement.objects.count()
    demo.build(authority=authority, rng=np.random.default_rng(7), today=TODAY, scale="la")
    assert Campaign.objects.filter(authority=authority).count() == 2
    applications = Application.objects.filter(authority=authority)
    assert applications.count() > 50
    started = applications.filter(stage=Stage.STARTED)
    assert started.exists()
    assert applications.filter(stage__in=EXIT_STAGES).exists()
    assert (
        applications.filter(stage=Stage.CHECKS).exists()
        or applications.filter(stage=Stage.RECOMMENDED).exists()
    )
    assert Engagement.objects.count() == engagements_before
    for application in started.select_related("engagement__worker", "candidate"):
        assert application.engagement.start == application.start_date
        assert application.engagement.worker == application.worker
        assert application.candidate.first_name == application.worker.first_name
        assert application.accepted_on is not None
        assert application.start_date >= application.accepted_on
    # Every history moves forward one stage at a time, dates never going back.
    history = defaultdict(list)
    for t in StageTransition.objects.filter(application__authority=authority).order_by("pk"):
        history[t.application_id].append(t)
    for transitions in history.values():
        stages = [t.to_stage for t in transitions if t.to_stage in STAGE_ORDER]
        assert stages == list(STAGE_ORDER[: len(stages)])
        days = [t.on for t in transitions]
        assert days == sorted(days) and days[-1] <= TODAY
    where = selectors.ReportFilter(authority.pk)
    for key in selectors.REPORTS:
        selectors.report_table(key, where)
    dbs = selectors.dbs_turnaround(where)
    assert dbs.count and dbs.median is not None and 14 <= dbs.median <= 28


def test_demo_skips_other_authorities_at_region_scale(establishment, authority):
    demo.build(authority=authority, rng=np.random.default_rng(7), today=TODAY, scale="region")
    assert not Campaign.objects.filter(authority=authority).exists()


def test_demo_checks_follow_the_authoritys_rules(establishment, authority):
    from workforce.recruitment import checks

    demo.build(authority=authority, rng=np.random.default_rng(7), today=TODAY, scale="la")

    assert checks.rules_of(authority).count() == len(checks.DEFAULT_RULES)
    in_checks = Application.objects.filter(authority=authority, checks__isnull=False).distinct()
    assert in_checks.exists()
    for application in in_checks.select_related("vacancy__role"):
        kinds = set(application.checks.values_list("kind", flat=True))
        assert kinds == set(checks.required_for(application)), application.applied_on
        assert "gscc" not in kinds
