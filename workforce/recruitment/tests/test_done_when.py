"""Recruitment and demand as three councils recorded them, done through the pages as their
officers would, and shown as the councils reported them, for a period and as at a date.

- Sandwell, September 2017: a dedicated agency recruiting agency social workers, "we have
  recruited 11 SW's into the service (4 have taken up posts and a further 7 are in
  pre-employment checks), against a target of 15", with no date given for the target.
- Slough, 2014: "14 candidates have been offered and accepted posts", by role (the report's
  table gives 6 newly qualified social workers; the other roles' split of the remaining 8 is
  this fixture's own).
- Leeds, 2005: referrals and how they ended, including information, advice or signposting and
  referral to early help (a small year of them, counted by hand).
- No post is filled twice without a reason.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from workforce.caseloads.models import Referral
from workforce.core.access import scope_for
from workforce.core.tests.downloads import csv_rows
from workforce.establishment.models import Engagement, ServiceArea
from workforce.establishment.tests.factories import PostFactory, RoleFactory, TeamFactory
from workforce.recruitment.models import (
    Application,
    Campaign,
    CheckOutcome,
    ExitReason,
    Stage,
    Strand,
    StrandKind,
    Vacancy,
)
from workforce.reports.document import Audience, Paragraph
from workforce.reports.sections import ReportContext, section_for

pytestmark = pytest.mark.django_db


def _errors(page: Any) -> str:
    found = re.search(r'govuk-error-summary__list">(.*?)</ul>', page.content.decode(), re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1)) if found else ""


def _post(c: Client, name: str, data: dict[str, Any], **kwargs: Any) -> Any:
    page = c.post(reverse(name, kwargs=kwargs), data)
    assert page.status_code == 302, (name, _errors(page))
    return page


def _text(page: Any) -> str:
    return re.sub(r"\s+", " ", page.content.decode())


class Officer:
    """An HR officer recording recruitment through the pages."""

    def __init__(self, client: Client) -> None:
        self.c = client

    def campaign(self, name: str, start: str) -> Campaign:
        _post(self.c, "recruitment:campaign_new", {"name": name, "start": start, "cost": "0"})
        return Campaign.objects.get(name=name)

    def strand(self, campaign: Campaign, **data: Any) -> Strand:
        _post(
            self.c,
            "recruitment:strand_new",
            {"start": campaign.start.isoformat(), "cost": "0", **data},
            campaign_id=campaign.pk,
        )
        return Strand.objects.filter(campaign=campaign).latest("pk")

    def vacancy(self, campaign: Campaign, strand: Strand, role: Any, ref: str, posts: list) -> Any:
        _post(
            self.c,
            "recruitment:vacancy_new",
            {
                "reference": ref,
                "title": role.title,
                "role": role.pk,
                "strand": strand.pk,
                "posts": [p.pk for p in posts],
                "opened_on": campaign.start.isoformat(),
            },
            campaign_id=campaign.pk,
        )
        return Vacancy.objects.get(reference=ref)

    def apply(self, vacancy: Vacancy, n: int, on: str) -> Application:
        email = f"{vacancy.reference.lower()}{n}@example.com"
        _post(
            self.c,
            "recruitment:apply",
            {"first_name": "Cand", "last_name": f"N{n}", "email": email, "applied_on": on},
            vacancy_id=vacancy.pk,
        )
        return Application.objects.get(candidate__email=email)

    def move(self, application: Application, *moves: tuple[str, str]) -> None:
        for stage, on in moves:
            _post(
                self.c,
                "recruitment:application_advance",
                {"to_stage": stage, "on": on},
                application_id=application.pk,
            )

    def clear_checks(self, application: Application, requested: str, cleared: str) -> None:
        for check in application.checks.all():
            _post(
                self.c,
                "recruitment:check_request",
                {"kind": check.kind, "requested_on": requested, "required": "on"},
                application_id=application.pk,
            )
            _post(
                self.c,
                "recruitment:check_result",
                {"outcome": CheckOutcome.CLEARED, "outcome_on": cleared},
                check_id=check.pk,
            )

    def to(self, name: str, application: Application, **data: Any) -> Any:
        return _post(self.c, f"recruitment:{name}", data, application_id=application.pk)


def _officer(client: Client, personas: Any) -> Officer:
    client.force_login(personas.hr)
    return Officer(client)


# (a) Sandwell's agency strand ---------------------------------------------------------------

SANDWELL = (
    "Social workers 2017, Agency social workers, Experienced social worker: 11 recruited at "
    "{on} against a target of 15: 4 started, 7 in pre-employment checks (no date set)."
)


@pytest.fixture
def sandwell(client, personas, authority):
    role = RoleFactory(authority=authority, title="Experienced social worker")
    posts = [
        PostFactory(team=personas.own_team, role=role, start=dt.date(2017, 1, 1)) for _ in range(4)
    ]
    officer = _officer(client, personas)
    campaign = officer.campaign("Social workers 2017", "2017-06-01")
    strand = officer.strand(
        campaign,
        kind=StrandKind.AGENCY_VOLUME,
        name="Agency social workers",
        partner="Dedicated Social Work Agency",
        agency_staff="on",
    )
    _post(
        client,
        "recruitment:target_new",
        {"role": role.pk, "target": "15", "deadline": ""},
        strand_id=strand.pk,
    )
    vacancy = officer.vacancy(campaign, strand, role, "AGSW", posts)
    for n in range(11):
        application = officer.apply(vacancy, n, "2017-07-03")
        officer.move(
            application,
            (Stage.SHORTLISTED, "2017-07-10"),
            (Stage.INTERVIEWED, "2017-07-17"),
            (Stage.RECOMMENDED, "2017-07-24"),
            (Stage.CHECKS, "2017-07-25"),
        )
        if n >= 4:
            continue
        officer.clear_checks(application, "2017-07-25", "2017-08-14")
        officer.to("offer_make", application, on="2017-08-15")
        officer.to("offer_accept", application, on="2017-08-16", start_date="2017-09-04")
        officer.to(
            "application_start",
            application,
            start="2017-09-04",
            staff_number=f"AG{n}",
            fte="1",
            kind="agency",
            post=posts[n].pk,
            agency_name="Dedicated Social Work Agency",
            charge_rate="42.50",
            covers="vacancy",
        )
    return campaign, strand


def test_sandwell_agency_strand_target_with_no_date(client, personas, sandwell):
    campaign, strand = sandwell
    (target,) = strand.targets.all()
    assert (target.target, target.deadline) == (15, None)
    page = _text(client.get(reverse("recruitment:campaign", kwargs={"campaign_id": campaign.pk})))
    assert "15 Experienced social worker, no date set" in page
    assert Engagement.objects.agency().filter(start=dt.date(2017, 9, 4)).count() == 4


@pytest.mark.parametrize(
    ("start", "on", "said"),
    [
        ("2017-06-01", "2017-09-30", "30 September 2017"),
        ("2017-07-01", "2017-09-04", "4 September 2017"),
        ("2016-10-01", "2018-03-31", "31 March 2018"),
    ],
)
def test_sandwell_progress_for_a_period_and_as_at_a_date_after(
    client, personas, sandwell, start, on, said
):
    client.force_login(personas.lead)
    query = {"start": start, "on": on}
    page = _text(client.get(reverse("recruitment:reports"), query))
    assert SANDWELL.format(on=said) in page
    progress = csv_rows(
        client.get(
            reverse("recruitment:report_download"), {**query, "table": "progress", "format": "csv"}
        )
    )
    header, row = progress[0], progress[1]
    assert row[header.index("Deadline")] == "No date set"
    assert row[header.index("Recruited")] == "11" and row[header.index("Started")] == "4"
    period = csv_rows(
        client.get(
            reverse("recruitment:report_download"), {**query, "table": "period", "format": "csv"}
        )
    )
    total = dict(zip(period[0], period[-1], strict=True))
    assert total["Started as agency workers"] == "4" and total["Started as employees"] == "0"
    assert total["Recommended (conditional offer made)"] == "11"


def test_sandwell_in_the_board_report_section(personas, sandwell, authority):
    section = section_for("recruitment.progress")
    assert section is not None
    built = section.build(
        ReportContext(
            authority=authority,
            scope=scope_for(personas.lead),
            report_date=dt.date(2017, 9, 30),
            comparison_date=dt.date(2016, 9, 30),
            audience=Audience.INTERNAL,
        )
    )
    texts = [b.text for b in built.blocks if isinstance(b, Paragraph)]
    assert SANDWELL.format(on="30 September 2017").removesuffix(" (no date set).") + "." in texts
    assert built.figures["recruitment.period.total.started_agency"] == 4
    assert built.figures["recruitment.period.experienced_social_worker.recommended"] == 11


# (b) Slough's conditional offers --------------------------------------------------------------

# Per role: (offered, accepted the conditional offer). 14 offered and accepted in all; one
# experienced social worker offered has not replied.
SLOUGH = {
    "Practice manager": (1, 1),
    "Consultant practitioner": (2, 2),
    "Experienced social worker": (6, 5),
    "Newly qualified social worker": (6, 6),
}


def test_slough_offers_by_role_offered_and_accepted(client, personas, authority):
    officer = _officer(client, personas)
    campaign = officer.campaign("National recruitment campaign 2014", "2014-06-01")
    strand = officer.strand(campaign, kind=StrandKind.OPEN, name="National campaign")
    accepted_any = []
    for order, (title, (offered, accepted)) in enumerate(SLOUGH.items()):
        role = RoleFactory(authority=authority, title=title, order=order)
        post = PostFactory(team=personas.own_team, role=role, start=dt.date(2014, 1, 1))
        vacancy = officer.vacancy(campaign, strand, role, f"SL{order}", [post])
        for n in range(offered):
            application = officer.apply(vacancy, n, "2014-07-01")
            officer.move(
                application,
                (Stage.SHORTLISTED, "2014-07-08"),
                (Stage.INTERVIEWED, "2014-07-15"),
                (Stage.RECOMMENDED, "2014-07-22"),
            )
            if n < accepted:
                officer.to("conditional_accept", application, on="2014-07-25")
                accepted_any.append(application)
    # One of the 14 pulls out after accepting, in September.
    officer.to(
        "application_leave",
        accepted_any[-1],
        outcome=Stage.PULLED_OUT,
        reason=ExitReason.ANOTHER_OFFER,
        on="2014-09-01",
    )
    client.force_login(personas.lead)
    query = {"start": "2014-04-01", "on": "2014-10-31", "campaign": campaign.pk}
    page = _text(client.get(reverse("recruitment:reports"), query))
    assert (
        "From 1 April 2014 to 31 October 2014, 15 candidates were offered a post and 14 accepted "
        "(a conditional offer, or the unconditional offer that replaced it). Accepted counts "
        "anyone who later pulled out: 1 person pulled out after accepting in the period."
    ) in page
    offers = csv_rows(
        client.get(
            reverse("recruitment:report_download"),
            {**query, "table": "offers_by_role", "format": "csv"},
        )
    )
    header = offers[0]
    by_role = {
        r[0]: (
            int(r[header.index("Offered a post (conditional offer)")]),
            int(r[header.index("Conditional offer accepted")]),
        )
        for r in offers[1:-1]
    }
    assert by_role == SLOUGH
    total = dict(zip(header, offers[-1], strict=True))
    assert total["Conditional offer accepted"] == "14"
    assert total["Pulled out after accepting"] == "1"
    assert "“Accepted” counts people who later withdrew" in page
    period = csv_rows(
        client.get(
            reverse("recruitment:report_download"), {**query, "table": "period", "format": "csv"}
        )
    )
    newly = next(r for r in period if r[0] == "Newly qualified social worker")
    assert dict(zip(period[0], newly, strict=True))["Conditional offer accepted"] == "6"


# (c) Leeds's referral outcomes ----------------------------------------------------------------


def test_leeds_referral_outcomes_in_the_funnel_for_a_period_and_as_at(client, personas, authority):
    front_door = TeamFactory(
        authority=authority, name="Contact centre", service_area=ServiceArea.FRONT_DOOR
    )
    client.force_login(personas.lead)
    outcomes: list[tuple[str, dict[str, str]]] = [
        ("2005-01-10", {"outcome": "nfa", "outcome_date": "2005-01-12"}),
        ("2005-02-10", {"outcome": "nfa", "outcome_date": "2005-02-11"}),
        ("2005-03-10", {"outcome": "advice", "outcome_date": "2005-03-10"}),
        ("2005-04-10", {"outcome": "advice", "outcome_date": "2005-04-11"}),
        # Decided after the year: open at 31 December 2005, advice by March 2006.
        ("2005-12-20", {"outcome": "advice", "outcome_date": "2006-01-09"}),
        ("2005-05-10", {"outcome": "early_help", "outcome_date": "2005-05-12"}),
        ("2005-06-10", {"outcome": "early_help", "outcome_date": "2005-06-13"}),
        (
            "2005-07-10",
            {
                "outcome": "assessment",
                "initial_assessment_start": "2005-07-11",
                "initial_assessment_completed": "2005-07-15",
            },
        ),
        ("2005-08-10", {}),  # no outcome yet
        ("2006-01-05", {"outcome": "nfa", "outcome_date": "2006-01-06"}),  # after the year
    ]
    for received, outcome in outcomes:
        _post(
            client,
            "caseloads:record_referral",
            {"received": received, "team": front_door.pk, "child_ref": ""},
        )
        if outcome:
            referral = Referral.objects.latest("pk")
            _post(client, "caseloads:referral_outcome", outcome, referral_id=referral.pk)

    def funnel(as_at: str) -> dict[str, int]:
        page = client.get(
            reverse("caseloads:demand"),
            {"start": "2005-01-01", "end": "2005-12-31", "as_at": as_at},
        )
        assert page.status_code == 200
        return {row[0]: row[1] for row in page.context["funnel_table"].rows}

    year_end = funnel("2005-12-31")
    assert year_end["Referrals"] == 9
    assert year_end["Initial assessments"] == 1
    assert year_end["No further action"] == 2
    assert year_end["Information, advice or signposting"] == 2
    assert year_end["Referred to early help"] == 2
    assert year_end["Open: no outcome yet"] == 2
    later = funnel("2006-03-31")
    assert later["Information, advice or signposting"] == 3
    assert later["Open: no outcome yet"] == 1
    assert later["No further action"] == 2  # the 2006 referral is not in the period


# (d) No post filled twice without a reason ----------------------------------------------------


def test_no_post_is_filled_twice_without_a_reason(client, personas, world):
    officer = _officer(client, personas)
    starters = []
    for n in range(2):
        application = officer.apply(world.vacancy, n, "2017-06-05")
        officer.move(
            application,
            (Stage.SHORTLISTED, "2017-06-12"),
            (Stage.INTERVIEWED, "2017-06-19"),
            (Stage.RECOMMENDED, "2017-06-26"),
            (Stage.CHECKS, "2017-06-27"),
        )
        officer.clear_checks(application, "2017-06-27", "2017-07-14")
        officer.to("offer_make", application, on="2017-07-17")
        officer.to("offer_accept", application, on="2017-07-18")
        starters.append(application)
    start = {"start": "2017-09-04", "staff_number": "S1", "fte": "1", "kind": "permanent"}
    officer.to("application_start", starters[0], post=world.post.pk, **start)
    url = reverse("recruitment:application_start", kwargs={"application_id": starters[1].pk})
    second = {**start, "staff_number": "S2", "start": "2017-09-11", "post": world.post.pk}
    refused = client.post(url, second)
    assert refused.status_code == 200
    assert "Cand N0 (permanent" in _errors(refused)
    held = Engagement.objects.active_on(dt.date(2017, 9, 11)).filter(post=world.post).employed()
    assert held.count() == 1
    reason = "Extra worker while the team clears its backlog"
    assert client.post(url, {**second, "over_establishment_reason": reason}).status_code == 302
    assert held.count() == 2
    starters[1].refresh_from_db()
    assert starters[1].over_establishment_reason == reason
