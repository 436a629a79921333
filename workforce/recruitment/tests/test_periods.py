"""Recruitment by period: what happened from one day to another, in any campaign or all, and
where applications stood at the period's end.

Two campaigns: "Social workers 2023-24" runs from October 2023 into 2024 (an open strand and an
agency strand, both for social workers); "Newly qualified 2024" starts in March 2024. The period
is the calendar year 2024 unless a test says otherwise. Every figure is counted by hand from the
histories below, moves on the period's first and last days included, those a day either side
left out.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from workforce.establishment.models import AgencyCover, EngagementKind
from workforce.establishment.tests.factories import PostFactory, RoleFactory
from workforce.recruitment import figures, selectors, services
from workforce.recruitment.models import Application, CheckOutcome, ExitReason, Stage, StrandKind

pytestmark = pytest.mark.django_db

D = dt.date
FIRST, LAST = D(2024, 1, 1), D(2024, 12, 31)


def _apply(vacancy: Any, n: int, on: dt.date) -> Application:
    return services.apply(
        vacancy=vacancy, applied_on=on, first_name="Cand", last_name=f"N{n}", email=f"c{n}@x.org"
    )


def _to(application: Application, *moves: tuple[str, dt.date]) -> Application:
    for stage, on in moves:
        services.advance_application(application=application, to_stage=stage, on=on)
    return application


def _recommended(vacancy: Any, n: int, applied: dt.date, *days: dt.date) -> Application:
    """Applied, then shortlisted, interviewed and recommended on `days`."""
    stages = (Stage.SHORTLISTED, Stage.INTERVIEWED, Stage.RECOMMENDED)
    return _to(_apply(vacancy, n, applied), *zip(stages, days, strict=True))


def _accepted(
    application: Application, checks: dt.date, cleared: dt.date, offer: dt.date, accepted: dt.date
) -> Application:
    """Checks started and requested on `checks`, all cleared on `cleared`, the unconditional
    offer on `offer` (the conditional one counts as accepted that day), accepted on `accepted`."""
    _to(application, (Stage.CHECKS, checks))
    for check in application.checks.all():
        services.request_check(application=application, kind=check.kind, requested_on=checks)
        check.refresh_from_db()
        services.record_check_result(check=check, outcome=CheckOutcome.CLEARED, outcome_on=cleared)
    services.make_unconditional_offer(application=application, on=offer)
    return services.accept_offer(application=application, on=accepted)


@pytest.fixture
def history(authority, personas):
    sw = RoleFactory(authority=authority, title="Social worker", order=1)
    nq = RoleFactory(authority=authority, title="Newly qualified social worker", order=2)
    posts = [PostFactory(team=personas.own_team, role=sw, start=D(2020, 1, 1)) for _ in range(2)]
    nq_post = PostFactory(team=personas.own_team, role=nq, start=D(2020, 1, 1))
    spanning = services.create_campaign(
        authority=authority, name="Social workers 2023-24", start=D(2023, 10, 1)
    )
    nq_campaign = services.create_campaign(
        authority=authority, name="Newly qualified 2024", start=D(2024, 3, 1)
    )

    def vacancy(campaign: Any, role: Any, ref: str, post: Any, **strand: Any) -> Any:
        made = services.create_strand(campaign=campaign, start=campaign.start, **strand)
        return services.open_vacancy(
            authority=authority,
            reference=ref,
            title=ref,
            role=role,
            opened_on=campaign.start,
            strand=made,
            posts=[post],
        )

    open_sw = vacancy(spanning, sw, "SW", posts[0], kind=StrandKind.OPEN)
    agency_sw = vacancy(
        spanning, sw, "AG", posts[1], kind=StrandKind.AGENCY_VOLUME, agency_staff=True
    )
    nqsw = vacancy(nq_campaign, nq, "NQ", nq_post, kind=StrandKind.NEWLY_QUALIFIED)

    # 1. Applied the day before the period; shortlisted on its first day; in checks at its end,
    #    the conditional offer accepted on 22 January.
    one = _recommended(open_sw, 1, D(2023, 12, 31), FIRST, D(2024, 1, 10), D(2024, 1, 20))
    services.accept_conditional_offer(application=one, on=D(2024, 1, 22))
    _to(one, (Stage.CHECKS, D(2024, 1, 25)))
    # 2. Everything in 2023 up to the unconditional offer on 31 December; accepted on the
    #    period's first day, started as an employee on 1 February.
    two = _recommended(open_sw, 2, D(2023, 11, 1), D(2023, 11, 10), D(2023, 11, 20), D(2023, 12, 1))
    _accepted(two, D(2023, 12, 2), D(2023, 12, 20), D(2023, 12, 31), FIRST)
    services.start_application(
        application=two, start=D(2024, 2, 1), staff_number="E2", post=posts[0]
    )
    # 3. Applied on the period's last day, shortlisted the day after it.
    _to(_apply(open_sw, 3, LAST), (Stage.SHORTLISTED, D(2025, 1, 1)))
    # 7. The agency strand: all in 2023, started as an agency worker on 2 January 2024.
    seven = _recommended(
        agency_sw, 7, D(2023, 10, 15), D(2023, 10, 20), D(2023, 10, 25), D(2023, 11, 1)
    )
    _accepted(seven, D(2023, 11, 2), D(2023, 11, 15), D(2023, 11, 20), D(2023, 11, 21))
    services.start_application(
        application=seven,
        start=D(2024, 1, 2),
        staff_number="A7",
        post=posts[1],
        kind=EngagementKind.AGENCY,
        agency_name="Dedicated Social Work Agency",
        charge_rate=Decimal("40.00"),
        covers=AgencyCover.VACANCY,
    )
    # 4. Newly qualified: accepted on 22 April, pulled out on 1 May.
    four = _recommended(nqsw, 4, D(2024, 3, 5), D(2024, 3, 10), D(2024, 3, 20), D(2024, 4, 1))
    _accepted(four, D(2024, 4, 2), D(2024, 4, 20), D(2024, 4, 21), D(2024, 4, 22))
    services.leave_application(
        application=four,
        outcome=Stage.PULLED_OUT,
        reason=ExitReason.ANOTHER_OFFER,
        on=D(2024, 5, 1),
    )
    # 5. Not shortlisted.
    services.reject_application(
        application=_apply(nqsw, 5, D(2024, 3, 5)),
        reason=ExitReason.NOT_SHORTLISTED,
        on=D(2024, 3, 8),
    )
    # 6. Accepted on 22 July; starts on 6 January 2025, after the period.
    six = _recommended(nqsw, 6, D(2024, 6, 1), D(2024, 6, 5), D(2024, 6, 20), D(2024, 7, 1))
    _accepted(six, D(2024, 7, 2), D(2024, 7, 20), D(2024, 7, 21), D(2024, 7, 22))
    services.start_application(
        application=six, start=D(2025, 1, 6), staff_number="N6", post=nq_post
    )
    return spanning, nq_campaign


KEYS = [c.key for c in selectors.PERIOD_COLUMNS[1:]]
# applications, shortlisted, interviewed, recommended, conditional accepted, unconditional,
# accepted, pulled out, started as employees, started as agency workers.
SOCIAL_WORKERS_2024 = [1, 1, 1, 1, 1, 0, 1, 0, 1, 1]
NEWLY_QUALIFIED_2024 = [3, 2, 2, 2, 2, 2, 2, 1, 0, 0]


def _rows(authority: Any, *, campaign: Any = None, first: dt.date = FIRST, last: dt.date = LAST):
    where = selectors.ReportFilter(
        authority.pk, campaign.pk if campaign else None, on=last, start=first
    )
    return {
        r.role: ([getattr(r.events, k) for k in KEYS], r.position)
        for r in selectors.period_rows(where)
    }


def test_a_year_of_events_in_every_campaign(authority, history):
    rows = _rows(authority)
    assert list(rows) == ["Social worker", "Newly qualified social worker"]
    assert rows["Social worker"][0] == SOCIAL_WORKERS_2024
    assert rows["Newly qualified social worker"][0] == NEWLY_QUALIFIED_2024
    # At 31 December 2024: number 1 in checks having accepted the conditional offer; number 6
    # accepted and waiting to start; number 3 only applied (not between recommendation and start).
    sw, nq = rows["Social worker"][1], rows["Newly qualified social worker"][1]
    assert (sw.recommended, sw.in_checks, sw.conditional_accepted, sw.accepted) == (0, 1, 1, 0)
    assert (nq.recommended, nq.in_checks, nq.unconditional, nq.accepted) == (0, 0, 0, 1)


def test_a_campaign_spanning_two_years_counts_each_years_events_in_its_year(authority, history):
    spanning, nq_campaign = history
    assert _rows(authority, campaign=spanning)["Social worker"][0] == SOCIAL_WORKERS_2024
    assert "Newly qualified social worker" not in _rows(authority, campaign=spanning)
    # Its 2023 months: numbers 1, 2 and 7 applied; 2 and 7 recommended and offered
    # unconditionally (2 on 31 December, the conditional offer accepted that day); 7 accepted.
    late_2023 = _rows(authority, campaign=spanning, first=D(2023, 10, 1), last=D(2023, 12, 31))
    assert late_2023["Social worker"][0] == [3, 2, 2, 2, 2, 2, 1, 0, 0, 0]
    assert _rows(authority, campaign=nq_campaign)["Newly qualified social worker"][0] == (
        NEWLY_QUALIFIED_2024
    )
    # One day: the period's first day only (1 shortlisted, 2 accepted).
    assert _rows(authority, first=FIRST, last=FIRST)["Social worker"][0] == [
        0,
        1,
        0,
        0,
        0,
        0,
        1,
        0,
        0,
        0,
    ]


@pytest.mark.parametrize(
    ("first", "last"),
    [(FIRST, LAST), (D(2023, 10, 1), D(2023, 12, 31)), (D(2024, 4, 21), D(2024, 7, 21))],
)
def test_the_events_are_the_differences_of_the_as_at_counts(authority, history, first, last):
    """The period's counts equal the "reached by" counts at its end less those the day before
    it begins: one number whether asked as events or as two dates."""
    where = selectors.ReportFilter(authority.pk, on=last, start=first).progress()
    happened = figures.events(where, first=first, last=last)
    before = figures.progress_on(where, on=first - dt.timedelta(days=1)).get((), figures.ZERO)
    after = figures.progress_on(where, on=last).get((), figures.ZERO)
    total = happened.get((), figures.NO_EVENTS)
    pairs = {
        "applications": "applications",
        "recommended": "offered",
        "conditional_accepted": "ever_conditional_accepted",
        "unconditional": "ever_unconditional",
        "accepted": "ever_accepted",
        "pulled_out": "pulled_out",
        "started": "started",
    }
    for event, count in pairs.items():
        assert getattr(total, event) == getattr(after, count) - getattr(before, count), event


def test_the_period_table_and_its_total(authority, history):
    where = selectors.ReportFilter(authority.pk, on=LAST, start=FIRST)
    table = selectors.report_table("period", where)
    assert table.title == "Recruitment from 1 January 2024 to 31 December 2024, by role"
    assert table.totals == ["Total", 4, 3, 3, 3, 3, 2, 3, 1, 1, 1]
    assert selectors.offered_and_accepted(where) == (
        "From 1 January 2024 to 31 December 2024, 3 candidates were offered a post and 3 "
        "accepted (a conditional offer, or the unconditional offer that replaced it). Accepted "
        "counts anyone who later pulled out: 1 person pulled out after accepting in the period."
    )
    # The default period: the 12 months to the date.
    assert selectors.ReportFilter(authority.pk, on=LAST).first == FIRST
    assert selectors.ReportFilter(authority.pk, on=D(2024, 2, 29)).first == D(2023, 3, 1)


def test_the_reports_page_and_downloads_take_a_period(client, personas, authority, history):
    from workforce.core.tests.downloads import csv_rows

    client.force_login(personas.lead)
    query = {"start": "2024-01-01", "on": "2024-12-31"}
    page = client.get(reverse("recruitment:reports"), query)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Recruitment from 1 January 2024 to 31 December 2024, by role" in text
    assert "3 candidates were offered a post and 3 accepted" in text
    download = client.get(
        reverse("recruitment:report_download"), {**query, "table": "period", "format": "csv"}
    )
    assert "recruitment-period-2024-01-01-to-2024-12-31.csv" in download["Content-Disposition"]
    rows = csv_rows(download)
    assert rows[-1] == ["Total", "4", "3", "3", "3", "3", "2", "3", "1", "1", "1"]
    spanning, _ = history
    one = csv_rows(
        client.get(
            reverse("recruitment:report_download"),
            {**query, "campaign": spanning.pk, "table": "period", "format": "csv"},
        )
    )
    assert one[-1] == ["Total", *map(str, SOCIAL_WORKERS_2024)]


def test_a_period_ending_before_it_starts_is_refused_on_the_page(client, personas, history):
    client.force_login(personas.lead)
    page = client.get(reverse("recruitment:reports"), {"start": "2025-01-01", "on": "2024-12-31"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "“From” must be on or before “To”." in text
    # The period falls back to the 12 months to the date.
    assert "Recruitment from 1 January 2024 to 31 December 2024, by role" in text
    nonsense = client.get(
        reverse("recruitment:reports"), {"start": "2024-02-31", "on": "2024-12-31"}
    )
    assert nonsense.status_code == 200
    assert "From" in nonsense.content.decode() and "real date" in nonsense.content.decode()
