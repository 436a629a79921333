"""Recruitment as councils record it: agency strands, conditional and unconditional offers,
candidates pulling out after accepting, a post filled twice, and recommended apart from checks.

Every figure below is counted by hand from the fixture that precedes it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from workforce.establishment.models import AgencyCover, Engagement, EngagementKind
from workforce.establishment.tests.factories import PostFactory, RoleFactory, WorkerFactory
from workforce.recruitment import selectors, services
from workforce.recruitment.models import (
    Application,
    CheckKind,
    CheckOutcome,
    ExitReason,
    OfferKind,
    OfferResponse,
    Stage,
    StrandKind,
)

D = dt.date
SEPT = D(2017, 9, 30)
RECOMMENDED_ON = D(2017, 7, 3)
CLEARED_ON = D(2017, 8, 1)


def _fields(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, str]:
    return {k: " ".join(v) for k, v in error.value.message_dict.items()}


def _to_stage(application: Application, *stages: tuple[str, dt.date]) -> Application:
    for stage, on in stages:
        services.advance_application(application=application, to_stage=stage, on=on)
    return application


def _recommended(vacancy: Any, n: int, on: dt.date = RECOMMENDED_ON) -> Application:
    application = services.apply(
        vacancy=vacancy,
        applied_on=D(2017, 6, 5),
        first_name="Cand",
        last_name=f"Number{n}",
        email=f"cand{n}@example.com",
    )
    return _to_stage(
        application,
        (Stage.SHORTLISTED, D(2017, 6, 12)),
        (Stage.INTERVIEWED, D(2017, 6, 26)),
        (Stage.RECOMMENDED, on),
    )


def _in_checks(vacancy: Any, n: int) -> Application:
    """Recommended on 3 July, checks started 5 July, the DBS requested that day."""
    application = _to_stage(_recommended(vacancy, n), (Stage.CHECKS, D(2017, 7, 5)))
    services.request_check(application=application, kind=CheckKind.DBS, requested_on=D(2017, 7, 5))
    return application


def _clear_checks(application: Application, on: dt.date = CLEARED_ON) -> None:
    for check in application.checks.all():
        if check.requested_on is None:
            services.request_check(
                application=application, kind=check.kind, requested_on=D(2017, 7, 5)
            )
            check.refresh_from_db()
        services.record_check_result(check=check, outcome=CheckOutcome.CLEARED, outcome_on=on)


def _accepted(vacancy: Any, n: int) -> Application:
    """Checks cleared 1 August, unconditional offer 2 August, accepted 4 August."""
    application = _in_checks(vacancy, n)
    _clear_checks(application)
    services.make_unconditional_offer(application=application, on=D(2017, 8, 2))
    services.accept_offer(application=application, on=D(2017, 8, 4), start_date=D(2017, 9, 4))
    return application


@pytest.fixture
def agency_strand(authority, personas):
    """Sandwell's agency strand: 15 experienced social workers by 30 November 2017."""
    role = RoleFactory(authority=authority, title="Experienced social worker")
    posts = [
        PostFactory(team=personas.own_team, role=role, start=D(2017, 1, 1), reference=f"SW{i}")
        for i in range(1, 16)
    ]
    campaign = services.create_campaign(
        authority=authority, name="Social workers 2017", start=D(2017, 6, 1)
    )
    strand = services.create_strand(
        campaign=campaign,
        kind=StrandKind.AGENCY_VOLUME,
        name="Agency social workers",
        partner="Sanctuary Personnel",
        start=D(2017, 6, 1),
        agency_staff=True,
    )
    services.create_target(
        strand=strand, role=role, target=15, deadline=D(2017, 11, 30), today=D(2017, 6, 1)
    )
    vacancy = services.open_vacancy(
        authority=authority,
        reference="AG1",
        title="Experienced social worker (agency)",
        role=role,
        opened_on=D(2017, 6, 1),
        strand=strand,
        posts=posts,
    )
    return campaign, strand, vacancy, posts


def _row(campaign: Any, on: dt.date = SEPT) -> selectors.ProgressRow:
    (row,) = selectors.strand_progress(
        selectors.ReportFilter(campaign.authority_id, campaign.pk, on=on)
    )
    return row


# 1. Agency recruits -------------------------------------------------------------------------


def _start_agency(application: Application, post: Any, n: int, **terms: Any) -> Application:
    return services.start_application(
        application=application,
        start=D(2017, 9, 4),
        staff_number=f"AG{n}",
        post=post,
        kind=EngagementKind.AGENCY,
        **{
            "agency_name": "Sanctuary Personnel",
            "charge_rate": Decimal("42.50"),
            "covers": AgencyCover.VACANCY,
            **terms,
        },
    )


def test_the_sandwell_agency_strand_recorded_through_the_services(agency_strand):
    """4 agency workers started, 7 in pre-employment checks, 2 still applying, 1 rejected:
    "11 recruited against a target of 15: 4 started, 7 in pre-employment checks"."""
    campaign, strand, vacancy, posts = agency_strand
    for n in range(4):
        _start_agency(_accepted(vacancy, n), posts[n], n)
    for n in range(4, 11):
        _in_checks(vacancy, n)
    for n in range(11, 13):
        services.apply(
            vacancy=vacancy,
            applied_on=D(2017, 9, 1),
            first_name="Late",
            last_name=f"Applicant{n}",
            email=f"late{n}@example.com",
        )
    rejected = services.apply(
        vacancy=vacancy,
        applied_on=D(2017, 6, 5),
        first_name="Not",
        last_name="Shortlisted",
        email="no@example.com",
    )
    services.reject_application(
        application=rejected, reason=ExitReason.NOT_SHORTLISTED, on=D(2017, 6, 12)
    )

    row = _row(campaign)
    # Hand count: started 4 (the agency workers), in checks 7, recommended with no check 0.
    assert (row.target, row.started, row.in_checks, row.recommended) == (15, 4, 7, 0)
    assert (row.recruited, row.still_to_find, row.offered) == (11, 4, 11)
    assert row.agency_staff
    assert row.sentence == (
        "11 recruited at 30 September 2017 against a target of 15: "
        "4 started, 7 in pre-employment checks"
    )
    engagements = Engagement.objects.filter(kind=EngagementKind.AGENCY).order_by("post__reference")
    assert [(e.post.reference, e.agency_name, e.charge_rate, e.covers) for e in engagements] == [
        (f"SW{n}", "Sanctuary Personnel", Decimal("42.50"), AgencyCover.VACANCY)
        for n in range(1, 5)
    ]


def test_an_agency_start_needs_the_agency_and_an_agency_strand(agency_strand, world):
    _campaign, _strand, vacancy, posts = agency_strand
    application = _accepted(vacancy, 1)
    with pytest.raises(ValidationError) as error:
        _start_agency(application, posts[0], 1, agency_name="  ")
    assert "agency_name" in _fields(error)
    assert "Enter the name of the agency" in _fields(error)["agency_name"]
    # A strand recruiting employees does not start agency workers.
    employee = _accepted(world.vacancy, 2)
    with pytest.raises(ValidationError) as error:
        _start_agency(employee, world.post, 2)
    assert "agency workers" in _fields(error)["kind"]
    assert Engagement.objects.filter(kind=EngagementKind.AGENCY).count() == 1  # the world's


def test_the_start_page_of_an_agency_strand_asks_for_the_agency(client, personas, agency_strand):
    _campaign, _strand, vacancy, posts = agency_strand
    application = _accepted(vacancy, 1)
    client.force_login(personas.lead)
    url = reverse("recruitment:application_start", kwargs={"application_id": application.pk})
    page = client.get(url).content.decode()
    assert "Hourly charge rate" in page and 'value="Sanctuary Personnel"' in page
    data = {
        "start": "2017-09-04",
        "staff_number": "AG9",
        "fte": "1",
        "kind": "agency",
        "post": posts[0].pk,
        "agency_name": "",
        "covers": "vacancy",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Enter the name of the agency supplying the worker." in refused.content.decode()
    done = client.post(url, {**data, "agency_name": "Sanctuary Personnel", "charge_rate": "40"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.STARTED and application.engagement.is_agency
    page = client.get(reverse("recruitment:application", kwargs={"application_id": application.pk}))
    assert "as an agency worker from Sanctuary Personnel at £40.00 an hour" in page.content.decode()


# 2. Conditional and unconditional offers ----------------------------------------------------


def test_conditional_and_unconditional_offers_made_and_accepted(world):
    waiting = _in_checks(world.vacancy, 1)  # conditional offer accepted 10 July, checks running
    services.accept_conditional_offer(application=waiting, on=D(2017, 7, 10))
    not_yet = _in_checks(world.vacancy, 2)  # conditional offer not answered
    _accepted(world.vacancy, 3)  # unconditional offer accepted 4 August

    offer = waiting.offers.get(kind=OfferKind.CONDITIONAL)
    assert (offer.response, offer.response_on) == (OfferResponse.ACCEPTED, D(2017, 7, 10))
    assert not_yet.offers.get().response == OfferResponse.PENDING

    row = _row(world.campaign)
    # In checks: waiting and not_yet (2); of them the conditional offer accepted: waiting (1).
    assert (row.in_checks, row.conditional_accepted, row.accepted) == (2, 1, 1)
    # As at 9 July the acceptance of 10 July had not happened.
    assert _row(world.campaign, D(2017, 7, 9)).conditional_accepted == 0

    (offers,) = selectors.offer_rows(selectors.ReportFilter(world.campaign.authority_id, on=SEPT))
    # Conditional offers made 3; accepted: waiting, and accepted's (accepted when the
    # unconditional offer replaced it on 2 August) = 2; unconditional made 1, accepted 1.
    assert (offers.offered, offers.conditional_accepted) == (3, 2)
    assert (offers.unconditional, offers.accepted, offers.pulled_out) == (1, 1, 0)
    table = selectors.report_table(
        "offers_by_role", selectors.ReportFilter(world.campaign.authority_id, on=SEPT)
    )
    assert table.totals == ["Total", 3, 2, 1, 1, 0]


def test_a_conditional_acceptance_needs_a_conditional_offer(world):
    interviewed = _to_stage(
        services.apply(
            vacancy=world.vacancy,
            applied_on=D(2017, 6, 5),
            first_name="No",
            last_name="Offer",
            email="nooffer@example.com",
        ),
        (Stage.SHORTLISTED, D(2017, 6, 12)),
        (Stage.INTERVIEWED, D(2017, 6, 26)),
    )
    with pytest.raises(ValidationError) as error:
        services.accept_conditional_offer(application=interviewed, on=D(2017, 7, 1))
    assert "There is no conditional offer to accept" in _fields(error)["offer"]
    recommended = _recommended(world.vacancy, 5)
    with pytest.raises(ValidationError) as error:
        services.accept_conditional_offer(application=recommended, on=D(2017, 7, 1))
    assert "made on 3 July 2017" in _fields(error)["on"]
    services.accept_conditional_offer(application=recommended, on=D(2017, 7, 4))
    with pytest.raises(ValidationError) as error:
        services.accept_conditional_offer(application=recommended, on=D(2017, 7, 5))
    assert "already accepted on 4 July 2017" in _fields(error)["offer"]


def test_no_unconditional_offer_before_the_checks_clear(world):
    application = _in_checks(world.vacancy, 1)
    with pytest.raises(ValidationError) as error:
        services.make_unconditional_offer(application=application, on=D(2017, 7, 20))
    assert "not yet cleared: Enhanced DBS" in _fields(error)["on"]
    assert not application.offers.filter(kind=OfferKind.UNCONDITIONAL).exists()


def test_the_conditional_acceptance_page(client, personas, world):
    application = _in_checks(world.vacancy, 1)
    client.force_login(personas.hr)
    url = reverse("recruitment:conditional_accept", kwargs={"application_id": application.pk})
    detail = reverse("recruitment:application", kwargs={"application_id": application.pk})
    assert url in client.get(detail).content.decode()
    refused = client.post(url, {"on": "not a date"})
    assert refused.status_code == 200 and "govuk-error-summary" in refused.content.decode()
    assert client.post(url, {"on": "2017-07-06"}).status_code == 302
    again = client.post(url, {"on": "2017-07-07"})
    assert "already accepted on 6 July 2017" in again.content.decode()


# 3. Pulling out after accepting -------------------------------------------------------------


def test_a_candidate_who_pulls_out_after_accepting(world):
    pulled = _accepted(world.vacancy, 1)
    services.decline_offer(
        application=pulled, reason=ExitReason.ANOTHER_OFFER, on=D(2017, 8, 20), note="Kent"
    )
    pulled.refresh_from_db()
    assert (pulled.stage, pulled.exit_stage) == (Stage.PULLED_OUT, Stage.ACCEPTED)
    assert (pulled.exit_reason, pulled.exit_note) == (ExitReason.ANOTHER_OFFER, "Kent")

    in_checks = _in_checks(world.vacancy, 2)
    services.accept_conditional_offer(application=in_checks, on=D(2017, 7, 10))
    services.withdraw_application(
        application=in_checks, reason=ExitReason.TOO_SLOW, on=D(2017, 8, 21)
    )
    in_checks.refresh_from_db()
    assert (in_checks.stage, in_checks.exit_stage) == (Stage.PULLED_OUT, Stage.CHECKS)

    # As at 10 August both were recruited: one accepted, one in checks with the conditional
    # offer accepted. At 30 September neither is.
    august = _row(world.campaign, D(2017, 8, 10))
    assert (august.accepted, august.in_checks, august.recruited) == (1, 1, 2)
    september = _row(world.campaign)
    assert (september.accepted, september.in_checks, september.recruited) == (0, 0, 0)
    # "Accepted" in the offers table counts the one who later pulled out, and says so.
    table = selectors.report_table(
        "offers_by_role", selectors.ReportFilter(world.campaign.authority_id, on=SEPT)
    )
    # Conditional 2 made, 2 accepted (one on 10 July, one when the unconditional replaced it);
    # unconditional 1 made, 1 accepted; pulled out 2.
    assert table.totals == ["Total", 2, 2, 1, 1, 2]
    assert any("“Accepted” counts people who later withdrew" in n for n in table.notes)
    dropout = selectors.dropout_reasons(
        selectors.ReportFilter(world.campaign.authority_id, on=SEPT)
    )
    assert ("Accepted", "Pulled out after accepting", "Accepted another job", 1) in dropout


def test_pulled_out_is_only_for_a_candidate_who_accepted(world):
    application = _in_checks(world.vacancy, 1)
    with pytest.raises(ValidationError) as error:
        services.leave_application(
            application=application,
            outcome=Stage.PULLED_OUT,
            reason=ExitReason.PERSONAL,
            on=D(2017, 7, 20),
        )
    assert "has not" in _fields(error)["outcome"]
    accepted = _accepted(world.vacancy, 2)
    with pytest.raises(ValidationError) as error:
        services.decline_offer(application=accepted, reason="", on=D(2017, 8, 20))
    assert "reason" in _fields(error)
    # Declining an unconditional offer never accepted stays a plain decline.
    offered = _in_checks(world.vacancy, 3)
    _clear_checks(offered)
    services.make_unconditional_offer(application=offered, on=D(2017, 8, 2))
    services.decline_offer(application=offered, reason=ExitReason.SALARY, on=D(2017, 8, 3))
    offered.refresh_from_db()
    assert offered.stage == Stage.DECLINED


# 4. A post filled twice ---------------------------------------------------------------------


def test_a_post_someone_holds_needs_a_reason_to_be_filled_again(world, authority):
    post = world.post  # covered by agency as a vacancy since March: free for a recruit
    first = _accepted(world.vacancy, 1)
    services.allocate_post(application=first, post=post)
    services.start_application(application=first, start=D(2017, 9, 4), staff_number="S1")
    second = _accepted(world.vacancy, 2)
    with pytest.raises(ValidationError) as error:
        services.allocate_post(application=second, post=post)
    fields = _fields(error)
    assert "already held" in fields["post"] and "Cand Number1 (permanent" in fields["post"]
    assert "over the establishment" in fields["over_establishment_reason"]
    with pytest.raises(ValidationError) as error:
        services.start_application(
            application=second, start=D(2017, 9, 11), staff_number="S2", post=post
        )
    assert "Cand Number1" in _fields(error)["post"]
    services.allocate_post(
        application=second,
        post=post,
        over_establishment_reason="Extra worker while the team clears its backlog",
    )
    services.start_application(application=second, start=D(2017, 9, 11), staff_number="S2")
    second.refresh_from_db()
    assert second.stage == Stage.STARTED
    assert second.over_establishment_reason == "Extra worker while the team clears its backlog"
    assert Engagement.objects.active_on(D(2017, 9, 11)).filter(post=post).employed().count() == 2


def test_a_vacant_post_records_no_reason(world):
    application = _accepted(world.vacancy, 1)
    services.allocate_post(application=application, post=world.post, over_establishment_reason="x")
    application.refresh_from_db()
    assert application.over_establishment_reason == ""


def test_the_allocation_page_shows_who_holds_the_post(client, personas, world, authority):
    holder = WorkerFactory(authority=authority, first_name="Hana", last_name="Holder")
    Engagement.objects.create(
        authority=authority,
        worker=holder,
        post=world.post,
        start=D(2017, 1, 1),
        fte=Decimal("1.00"),
        kind=EngagementKind.PERMANENT,
    )
    application = _accepted(world.vacancy, 1)
    client.force_login(personas.hr)
    url = reverse("recruitment:application_allocate", kwargs={"application_id": application.pk})
    refused = client.post(url, {"post": world.post.pk})
    assert refused.status_code == 200
    assert "Hana Holder (permanent, 1.00 FTE, since 1 January 2017)" in refused.content.decode()
    done = client.post(url, {"post": world.post.pk, "over_establishment_reason": "Planned overlap"})
    assert done.status_code == 302
    page = client.get(reverse("recruitment:application", kwargs={"application_id": application.pk}))
    assert "The post was already held: Planned overlap" in page.content.decode()


# 5. Recommended apart from in checks --------------------------------------------------------


def test_recommended_with_no_check_is_not_in_checks(world):
    _recommended(world.vacancy, 1)  # no check requested
    early_dbs = _recommended(world.vacancy, 2)  # DBS requested on 20 July, before the stage
    services.request_check(application=early_dbs, kind=CheckKind.DBS, requested_on=D(2017, 7, 20))
    _in_checks(world.vacancy, 3)  # at pre-employment checks from 5 July

    row = _row(world.campaign)
    assert (row.recommended, row.in_checks, row.recruited) == (1, 2, 3)
    assert row.sentence == (
        "3 recruited at 30 September 2017 against a target of 15: 0 started, "
        "2 in pre-employment checks, 1 recommended, checks not yet started"
    )
    # On 19 July the DBS of the second was not yet requested.
    july = _row(world.campaign, D(2017, 7, 19))
    assert (july.recommended, july.in_checks) == (2, 1)
    table = selectors.progress_table([row], on=SEPT)
    assert table.column("recommended") == [1] and table.column("in_checks") == [2]
