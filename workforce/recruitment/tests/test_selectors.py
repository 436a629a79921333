import datetime as dt
from decimal import Decimal

import pytest

from workforce.establishment.tests.factories import RoleFactory
from workforce.recruitment import selectors
from workforce.recruitment.models import (
    Check,
    CheckKind,
    CheckOutcome,
    ExitReason,
    Stage,
    StageTransition,
    StrandKind,
    StrandTarget,
)
from workforce.recruitment.tests.factories import (
    ApplicationFactory,
    CampaignFactory,
    StrandFactory,
    VacancyFactory,
)

D = dt.date


@pytest.fixture
def sandwell(authority):
    """Partner strand, target 15 social workers: 4 started, 7 in checks, 2 dropped, 3 applied."""
    campaign = CampaignFactory(authority=authority, name="2017 campaign")
    partner = StrandFactory(
        campaign=campaign, kind=StrandKind.PARTNER, name="Sanctuary", cost=Decimal("24000")
    )
    role = RoleFactory(authority=authority, title="Experienced social worker")
    StrandTarget.objects.create(
        authority=authority, strand=partner, role=role, target=15, deadline=D(2017, 11, 30)
    )
    vacancy = VacancyFactory(strand=partner, role=role)
    made = {}
    for stage, n in (
        (Stage.STARTED, 4),
        (Stage.CHECKS, 5),
        (Stage.RECOMMENDED, 2),
        (Stage.APPLIED, 3),
    ):
        made[stage] = [ApplicationFactory(vacancy=vacancy, stage=stage) for _ in range(n)]
    for recommended in made[Stage.RECOMMENDED]:  # their checks have started: DBS requested
        Check.objects.create(
            authority=authority,
            application=recommended,
            kind=CheckKind.DBS,
            requested_on=recommended.stage_on,
        )
    ApplicationFactory(
        vacancy=vacancy,
        stage=Stage.WITHDRAWN,
        exit_stage=Stage.CHECKS,
        exit_reason=ExitReason.ANOTHER_OFFER,
    )
    ApplicationFactory(
        vacancy=vacancy,
        stage=Stage.REJECTED,
        exit_stage=Stage.INTERVIEWED,
        exit_reason=ExitReason.INTERVIEW,
    )
    open_strand = StrandFactory(campaign=campaign, kind=StrandKind.OPEN, cost=Decimal("0"))
    ApplicationFactory(vacancy=VacancyFactory(strand=open_strand, role=role), stage=Stage.STARTED)
    return campaign, partner, role, made


def test_strand_progress_reproduces_the_sandwell_sentence(sandwell, authority):
    campaign, *_ = sandwell
    rows = selectors.strand_progress(
        selectors.ReportFilter(authority.pk, campaign.pk, on=D(2017, 9, 30))
    )
    partner = next(r for r in rows if r.strand == "Sanctuary")
    assert (partner.target, partner.offered, partner.in_checks, partner.started) == (15, 12, 7, 4)
    assert partner.recruited == 11 and partner.still_to_find == 4
    assert partner.sentence == (
        "11 recruited at 30 September 2017 against a target of 15: "
        "4 started, 7 in pre-employment checks"
    )
    open_row = next(r for r in rows if r.strand_kind == "Open recruitment")
    assert open_row.target is None
    assert open_row.sentence.startswith(
        "1 recruited at 30 September 2017 (no target set): 1 started"
    )


def test_offers_by_role_counts_offered_and_accepted(sandwell, authority):
    rows = selectors.offers_by_role(selectors.ReportFilter(authority.pk))
    # offered: 4 + 5 + 2 + withdrawn at checks + the open-strand starter; accepted: 5 starters
    assert rows == [("Experienced social worker", 13, 5)]


def test_dropout_by_stage_and_reason(sandwell, authority):
    where = selectors.ReportFilter(authority.pk)
    by_stage = {r.stage: (r.reached, r.left) for r in selectors.dropout_by_stage(where)}
    assert by_stage["Applied"] == (17, 0)
    assert by_stage["Interviewed"] == (14, 1)
    assert by_stage["Pre-employment checks"] == (11, 1)  # 4 + 5 + 1 + 1 (open strand)
    reasons = selectors.dropout_reasons(where)
    assert reasons == [
        ("Interviewed", "Rejected", "Not successful at interview", 1),
        ("Pre-employment checks", "Withdrawn", "Accepted another job", 1),
    ]


def test_source_effectiveness_and_cost_per_hire(sandwell, authority):
    rows = {
        r.source: r for r in selectors.source_effectiveness(selectors.ReportFilter(authority.pk))
    }
    partner = rows["Recruitment partner"]
    assert (partner.applications, partner.offered, partner.started) == (16, 12, 4)
    assert partner.cost_per_hire == Decimal("6000.00")
    assert rows["Open recruitment"].cost_per_hire == Decimal("0.00")


def test_time_to_hire_median_and_90th_percentile(authority):
    vacancy = VacancyFactory(strand__campaign__authority=authority)
    for days in (30, 40, 50, 100):
        application = ApplicationFactory(
            vacancy=vacancy, stage=Stage.STARTED, applied_on=D(2017, 6, 1), history=False
        )
        StageTransition.objects.create(
            application=application,
            from_stage=Stage.APPLIED,
            to_stage=Stage.STARTED,
            on=D(2017, 6, 1) + dt.timedelta(days=days),
        )
    spread = selectors.time_to_hire(selectors.ReportFilter(authority.pk))["started"]
    # median of 30, 40, 50, 100 is 45; the 90th percentile is 50 + 0.7 × 50 = 85
    assert (spread.count, spread.median, spread.p90) == (4, 45.0, 85.0)


def test_time_in_each_stage_uses_the_next_transition(authority):
    vacancy = VacancyFactory(strand__campaign__authority=authority)
    for shortlist_after in (2, 4, 9):
        application = ApplicationFactory(vacancy=vacancy, stage=Stage.SHORTLISTED, history=False)
        StageTransition.objects.create(
            application=application, to_stage=Stage.APPLIED, on=D(2017, 6, 1)
        )
        StageTransition.objects.create(
            application=application,
            from_stage=Stage.APPLIED,
            to_stage=Stage.SHORTLISTED,
            on=D(2017, 6, 1) + dt.timedelta(days=shortlist_after),
        )
    stages = dict(selectors.time_in_stage(selectors.ReportFilter(authority.pk)))
    applied = stages["Applied"]
    # 2, 4, 9: median 4; 90th percentile 4 + 0.8 × 5 = 8
    assert (applied.count, applied.median, applied.p90) == (3, 4.0, 8.0)
    assert stages["Shortlisted"].count == 0


def test_dbs_turnaround(authority):
    vacancy = VacancyFactory(strand__campaign__authority=authority)
    for days in (14, 21, 28):
        application = ApplicationFactory(vacancy=vacancy, stage=Stage.CHECKS)
        Check.objects.create(
            authority=authority,
            application=application,
            kind=CheckKind.DBS,
            requested_on=D(2017, 6, 1),
            outcome=CheckOutcome.CLEARED,
            outcome_on=D(2017, 6, 1) + dt.timedelta(days=days),
        )
    waiting = ApplicationFactory(vacancy=vacancy, stage=Stage.CHECKS)
    Check.objects.create(
        authority=authority, application=waiting, kind=CheckKind.DBS, requested_on=D(2017, 6, 1)
    )
    where = selectors.ReportFilter(authority.pk)
    spread = selectors.dbs_turnaround(where)
    assert (spread.count, spread.median, spread.p90) == (3, 21.0, 26.6)
    dbs_row = next(r for r in selectors.check_turnaround(where) if r[0] == "Enhanced DBS")
    assert dbs_row[2] == 1
    # The registers Social Work England replaced have rows only when something was checked
    # against them.
    labels = [r[0] for r in selectors.check_turnaround(where)]
    assert "Identity" in labels
    assert "GSCC registration" not in labels and "HCPC registration" not in labels
    Check.objects.create(
        authority=authority, application=waiting, kind=CheckKind.HCPC, requested_on=D(2017, 6, 1)
    )
    hcpc = [r for r in selectors.check_turnaround(where) if r[0] == "HCPC registration"]
    assert [waiting for _, _, waiting in hcpc] == [1]


def test_report_tables_reconcile_totals(sandwell, authority):
    table = selectors.report_table("offers_by_role", selectors.ReportFilter(authority.pk))
    # Offered 13: 4 + 5 + 2 + the one who withdrew in checks + the open strand's starter.
    # No conditional offer was recorded as accepted; 5 reached and accepted the unconditional
    # offer (the 5 starters); no one pulled out.
    assert table.totals == ["Total", 13, 0, 5, 5, 0]
    assert table.totals[1:] == [sum(table.column(c.key)) for c in table.columns[1:]]
    for key in selectors.REPORTS:
        assert selectors.report_table(key, selectors.ReportFilter(authority.pk)).columns


def test_reports_are_limited_to_the_authority(sandwell, other_authority):
    assert selectors.strand_progress(selectors.ReportFilter(other_authority.pk)) == []
