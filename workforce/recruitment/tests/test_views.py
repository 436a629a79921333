import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from workforce.core.tests.downloads import csv_rows, xlsx_rows
from workforce.establishment.models import Engagement, Worker
from workforce.recruitment import selectors, services
from workforce.recruitment.models import CheckOutcome, Stage, Task, TaskKind
from workforce.recruitment.tests.factories import (
    ApplicationFactory,
    CampaignFactory,
    CandidateFactory,
    StrandFactory,
    VacancyFactory,
)

D = dt.date


@pytest.fixture
def journey(world, personas):
    """An application at pre-employment checks with named HR officer and area manager."""
    application = services.apply(
        vacancy=world.vacancy,
        applied_on=D(2017, 6, 5),
        first_name="Priya",
        last_name="Secretname",
        email="priya@example.com",
        phone="07700 900123",
    )
    for stage, on in (
        (Stage.SHORTLISTED, D(2017, 6, 9)),
        (Stage.INTERVIEWED, D(2017, 6, 16)),
        (Stage.RECOMMENDED, D(2017, 6, 16)),
        (Stage.CHECKS, D(2017, 6, 19)),
    ):
        services.advance_application(
            application=application,
            to_stage=stage,
            on=on,
            hr_officer=personas.hr,
            area_manager=personas.manager if stage == Stage.RECOMMENDED else None,
        )
    return application


def _client(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["admin", "lead", "hr", "manager", "board", "analyst"])
def test_every_persona_sees_campaigns_pipeline_and_reports(client, personas, journey, world, who):
    c = _client(client, getattr(personas, who))
    assert c.get(reverse("recruitment:campaigns")).status_code == 200
    assert c.get(reverse("recruitment:reports")).status_code == 200
    page = c.get(reverse("recruitment:campaign", kwargs={"campaign_id": world.campaign.pk}))
    assert page.status_code == 200
    assert "Pre-employment checks" in page.content.decode()


@pytest.mark.parametrize("who", ["board", "analyst"])
def test_board_and_analyst_never_see_candidate_names(client, personas, journey, world, who):
    c = _client(client, getattr(personas, who))
    for url in (
        reverse("recruitment:campaign", kwargs={"campaign_id": world.campaign.pk}),
        reverse("recruitment:vacancy", kwargs={"vacancy_id": world.vacancy.pk}),
        reverse("recruitment:reports"),
    ):
        assert "Secretname" not in c.get(url).content.decode()
    assert (
        c.get(reverse("recruitment:application", kwargs={"application_id": journey.pk})).status_code
        == 403
    )
    assert (
        c.get(
            reverse("recruitment:candidate", kwargs={"candidate_id": journey.candidate_id})
        ).status_code
        == 403
    )


def test_named_area_manager_sees_the_candidate(client, personas, journey, world):
    c = _client(client, personas.manager)
    page = c.get(reverse("recruitment:campaign", kwargs={"campaign_id": world.campaign.pk}))
    assert "Secretname" in page.content.decode()
    detail = c.get(reverse("recruitment:application", kwargs={"application_id": journey.pk}))
    assert detail.status_code == 200 and "Secretname" in detail.content.decode()
    candidate = c.get(
        reverse("recruitment:candidate", kwargs={"candidate_id": journey.candidate_id})
    )
    assert "07700 900123" in candidate.content.decode()


def test_team_manager_not_named_does_not_see_the_candidate(client, personas, journey, world):
    journey.area_manager = None
    journey.save()
    c = _client(client, personas.manager)
    page = c.get(reverse("recruitment:campaign", kwargs={"campaign_id": world.campaign.pk}))
    assert "Secretname" not in page.content.decode()
    assert (
        c.get(reverse("recruitment:application", kwargs={"application_id": journey.pk})).status_code
        == 404
    )
    assert (
        c.get(
            reverse("recruitment:candidate", kwargs={"candidate_id": journey.candidate_id})
        ).status_code
        == 404
    )


def test_named_manager_cannot_act_on_the_application(client, personas, journey):
    c = _client(client, personas.manager)
    url = reverse("recruitment:application_leave", kwargs={"application_id": journey.pk})
    assert c.get(url).status_code == 403


def test_outsider_reaches_nothing(client, personas, journey, world):
    c = _client(client, personas.outsider)
    assert (
        c.get(
            reverse("recruitment:campaign", kwargs={"campaign_id": world.campaign.pk})
        ).status_code
        == 404
    )
    assert (
        c.get(reverse("recruitment:application", kwargs={"application_id": journey.pk})).status_code
        == 404
    )


def test_hr_officer_runs_a_candidate_from_checks_to_start(client, personas, journey, world):
    c = _client(client, personas.hr)
    for check in journey.checks.all():
        r = c.post(
            reverse("recruitment:check_request", kwargs={"application_id": journey.pk}),
            {"kind": check.kind, "requested_on": "2017-06-19", "required": "on"},
        )
        assert r.status_code == 302
        r = c.post(
            reverse("recruitment:check_result", kwargs={"check_id": check.pk}),
            {"outcome": CheckOutcome.CLEARED, "outcome_on": "2017-07-10"},
        )
        assert r.status_code == 302
    r = c.post(
        reverse("recruitment:offer_make", kwargs={"application_id": journey.pk}),
        {"on": "2017-07-10", "salary_point": "SCP 33"},
    )
    assert r.status_code == 302
    r = c.post(
        reverse("recruitment:offer_accept", kwargs={"application_id": journey.pk}),
        {"on": "2017-07-12", "start_date": "2017-08-01"},
    )
    assert r.status_code == 302
    url = reverse("recruitment:application_start", kwargs={"application_id": journey.pk})
    refused = c.post(
        url,
        {
            "start": "2017-07-01",
            "staff_number": "S777",
            "fte": "1",
            "kind": "permanent",
            "post": world.post.pk,
            "end_agency_cover": "on",
        },
    )
    assert refused.status_code == 200
    assert "the start date cannot be before it" in refused.content.decode()
    r = c.post(
        url,
        {
            "start": "2017-08-01",
            "staff_number": "S777",
            "fte": "1",
            "kind": "permanent",
            "post": world.post.pk,
            "end_agency_cover": "on",
        },
    )
    assert r.status_code == 302
    worker = Worker.objects.get(staff_number="S777")
    assert Engagement.objects.get(worker=worker).start == D(2017, 8, 1)
    journey.refresh_from_db()
    assert journey.stage == Stage.STARTED


def test_skipping_a_stage_through_the_form_shows_the_message(client, personas, world):
    application = services.apply(
        vacancy=world.vacancy,
        applied_on=D(2017, 6, 5),
        first_name="A",
        last_name="B",
        email="ab@example.com",
    )
    c = _client(client, personas.hr)
    r = c.post(
        reverse("recruitment:application_advance", kwargs={"application_id": application.pk}),
        {"to_stage": Stage.INTERVIEWED, "on": "2017-06-09"},
    )
    assert r.status_code == 200
    assert "moves next to “Shortlisted”" in r.content.decode()


def test_offer_without_cleared_checks_through_the_form_is_refused(client, personas, journey):
    c = _client(client, personas.hr)
    r = c.post(
        reverse("recruitment:offer_make", kwargs={"application_id": journey.pk}),
        {"on": "2017-07-10"},
    )
    assert r.status_code == 200
    assert "must be cleared before the unconditional offer" in r.content.decode()


def test_duplicate_application_through_the_form_is_refused(client, personas, journey, world):
    c = _client(client, personas.hr)
    r = c.post(
        reverse("recruitment:apply", kwargs={"vacancy_id": world.vacancy.pk}),
        {
            "first_name": "Priya",
            "last_name": "S",
            "email": "priya@example.com",
            "applied_on": "2017-06-06",
        },
    )
    assert r.status_code == 200
    assert "already applied" in r.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "-1"}, "phone", "Enter a UK phone number of at least 10 digits"),
        ({"applied_on": "2090-01-01"}, "applied_on", "cannot be in the future"),
    ],
)
def test_an_impossible_application_is_refused_on_its_field(
    client, personas, world, changes, field, message
):
    from workforce.recruitment.models import Application, Candidate

    c = _client(client, personas.hr)
    data = {"first_name": "Priya", "last_name": "S", "email": "priya@example.com"}
    data.update({"applied_on": "2017-06-06", **changes})
    r = c.post(reverse("recruitment:apply", kwargs={"vacancy_id": world.vacancy.pk}), data)
    assert r.status_code == 200
    assert message in " ".join(r.context["form"].errors[field])
    assert not Application.objects.exists() and not Candidate.objects.exists()


def test_a_target_whose_deadline_has_passed_is_refused_on_the_page(client, personas, world):
    from workforce.recruitment.models import StrandTarget

    c = _client(client, personas.hr)
    url = reverse("recruitment:target_new", kwargs={"strand_id": world.strand.pk})
    r = c.post(url, {"role": world.role.pk, "target": "4", "deadline": "2018-01-31"})
    assert r.status_code == 200
    assert "has already passed" in " ".join(r.context["form"].errors["deadline"])
    assert StrandTarget.objects.count() == 1


def test_bad_dates_are_answered_with_a_message_not_an_error(client, personas, world):
    c = _client(client, personas.hr)
    r = c.post(
        reverse("recruitment:campaign_new"), {"name": "X", "start": "31/02/2017", "cost": "-5"}
    )
    assert r.status_code == 200
    body = r.content.decode()
    assert "Start date must be a real date" in body and "must be £0 or more" in body


def test_my_tasks_lists_overdue_service_levels(client, personas, journey):
    c = _client(client, personas.hr)
    page = c.get(reverse("recruitment:my_tasks")).content.decode()
    assert "Send the first-year training pack" in page and "Overdue" in page
    task = Task.objects.get(application=journey, kind=TaskKind.TRAINING_PACK)
    r = c.post(
        reverse("recruitment:task_done", kwargs={"task_id": task.pk}), {"done_on": "2017-06-20"}
    )
    assert r.status_code == 302
    task.refresh_from_db()
    assert task.done_on == D(2017, 6, 20)


@pytest.mark.parametrize("next_url", ["//elsewhere.example/x", "https://elsewhere.example/"])
def test_marking_a_task_done_never_sends_anyone_to_another_site(
    client, personas, journey, next_url
):
    c = _client(client, personas.hr)
    task = Task.objects.get(application=journey, kind=TaskKind.TRAINING_PACK)
    url = reverse("recruitment:task_done", kwargs={"task_id": task.pk})
    r = c.post(url, {"done_on": "2017-06-20", "next": next_url})
    assert r.status_code == 302
    assert r["Location"] == reverse("recruitment:my_tasks")
    here = reverse("recruitment:my_tasks") + "?x=1"
    assert c.post(url, {"done_on": "2017-06-21", "next": here})["Location"] == here


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_report_table_downloads(client, personas, journey, fmt):
    from workforce.recruitment.selectors import REPORTS

    c = _client(client, personas.board)
    for key in REPORTS:
        r = c.get(reverse("recruitment:report_download"), {"table": key, "format": fmt})
        assert r.status_code == 200, key
        today = dt.date.today()
        name = f"recruitment-{key}-{today.isoformat()}.{fmt}"
        if key == "period":  # the 12 months to today
            first = today.replace(year=today.year - 1) + dt.timedelta(days=1)
            name = f"recruitment-period-{first.isoformat()}-to-{today.isoformat()}.{fmt}"
        assert name in r["Content-Disposition"]


def test_unknown_download_is_not_found(client, personas):
    c = _client(client, personas.board)
    r = c.get(reverse("recruitment:report_download"), {"table": "nope", "format": "csv"})
    assert r.status_code == 404


def test_progress_csv_holds_the_sentence(client, personas, journey, world):
    c = _client(client, personas.board)
    r = c.get(
        reverse("recruitment:report_download"),
        {"table": "progress", "format": "csv", "on": "2017-12-31"},
    )
    assert "recruitment-progress-2017-12-31.csv" in r["Content-Disposition"]
    assert (
        "1 recruited at 31 December 2017 against a target of 15: 0 started, "
        "1 in pre-employment checks"
    ) in r.content.decode()


def test_team_manager_reaches_only_campaigns_touching_their_teams(client, personas, authority):
    from workforce.establishment.tests.factories import PostFactory, RoleFactory

    role = RoleFactory(authority=authority)
    elsewhere: Any = PostFactory(team=personas.other_team, role=role)
    campaign = services.create_campaign(authority=authority, name="Other", start=D(2020, 1, 1))
    strand = services.create_strand(campaign=campaign, kind="open", start=D(2020, 1, 1))
    vacancy = services.open_vacancy(
        authority=authority,
        reference="VX",
        title="Social worker",
        role=role,
        opened_on=D(2020, 1, 1),
        strand=strand,
        posts=[elsewhere],
    )
    c = _client(client, personas.manager)
    url = reverse("recruitment:campaign", kwargs={"campaign_id": campaign.pk})
    assert c.get(url).status_code == 404
    assert (
        c.get(reverse("recruitment:vacancy", kwargs={"vacancy_id": vacancy.pk})).status_code == 404
    )
    assert "Other" not in c.get(reverse("recruitment:campaigns")).content.decode()
    lead = _client(client, personas.lead)
    assert lead.get(url).status_code == 200


def test_task_done_answers_get_with_method_not_allowed(client, personas, journey):
    task = Task.objects.filter(application=journey).first()
    c = _client(client, personas.hr)
    assert c.get(reverse("recruitment:task_done", kwargs={"task_id": task.pk})).status_code == 405


def test_contacts_sent_alone_keep_the_preferred_team(client, personas, journey):
    services.assign_contacts(
        application=journey,
        hr_officer=personas.hr,
        area_manager=personas.manager,
        preferred_team=personas.own_team,
    )
    c = _client(client, personas.hr)
    url = reverse("recruitment:application_contacts", kwargs={"application_id": journey.pk})
    # A client sending only the HR officer: the area manager and preferred team stay.
    assert c.post(url, {"hr_officer": personas.hr.pk}).status_code == 302
    journey.refresh_from_db()
    assert (journey.hr_officer, journey.area_manager, journey.preferred_team) == (
        personas.hr,
        personas.manager,
        personas.own_team,
    )
    services.assign_contacts(application=journey, preferred_team=None)
    journey.refresh_from_db()
    assert journey.preferred_team is None and journey.area_manager == personas.manager


def test_allocation_suggests_a_vacant_post_in_the_preferred_team(client, personas, journey, world):
    from workforce.establishment.tests.factories import PostFactory

    preferred: Any = PostFactory(team=personas.other_team, role=world.role, start=D(2017, 1, 1))
    world.vacancy.posts.add(preferred)
    services.assign_contacts(
        application=journey,
        hr_officer=personas.hr,
        area_manager=personas.manager,
        preferred_team=personas.other_team,
    )
    c = _client(client, personas.hr)
    page = c.get(reverse("recruitment:application_allocate", kwargs={"application_id": journey.pk}))
    assert page.context["form"]["post"].initial == preferred.pk
    r = c.post(
        reverse("recruitment:application_allocate", kwargs={"application_id": journey.pk}),
        {"post": preferred.pk},
    )
    assert r.status_code == 302
    journey.refresh_from_db()
    assert journey.post == preferred


# Downloads of the campaigns list and the tasks list -----------------------------------------


CAMPAIGNS_HEADER = ["Campaign", "Starts", "Ends", "Applications", "Started"]


@pytest.fixture
def spring(world, authority):
    """A finished campaign with two applications, one started, for a vacancy with no posts."""
    campaign = CampaignFactory(
        authority=authority, name="Spring 2018", start=D(2018, 3, 1), end=D(2018, 5, 31)
    )
    vacancy = VacancyFactory(strand=StrandFactory(campaign=campaign), role=world.role)
    ApplicationFactory(vacancy=vacancy, stage=Stage.STARTED)
    ApplicationFactory(vacancy=vacancy)
    return campaign


def test_the_campaigns_list_downloads_as_csv(client, personas, world, spring):
    r = _client(client, personas.board).get(reverse("recruitment:campaigns"), {"format": "csv"})
    assert f"recruitment-campaigns-{dt.date.today().isoformat()}.csv" in r["Content-Disposition"]
    assert csv_rows(r) == [
        CAMPAIGNS_HEADER,
        ["Spring 2018", "2018-03-01", "2018-05-31", "2", "1"],
        ["Autumn 2017", "2017-06-01", "", "0", "0"],
    ]


def test_the_campaigns_list_downloads_as_xlsx_with_dates_and_numbers(
    client, personas, world, spring
):
    r = _client(client, personas.analyst).get(reverse("recruitment:campaigns"), {"format": "xlsx"})
    rows = xlsx_rows(r)
    assert rows[0] == CAMPAIGNS_HEADER
    assert rows[1] == ["Spring 2018", dt.datetime(2018, 3, 1), dt.datetime(2018, 5, 31), 2, 1]


@pytest.mark.parametrize(("persona", "names"), [("manager", ["Autumn 2017"]), ("outsider", [])])
def test_the_campaigns_download_is_limited_as_the_page_is(
    client, personas, world, spring, persona, names
):
    r = _client(client, getattr(personas, persona)).get(
        reverse("recruitment:campaigns"), {"format": "csv"}
    )
    rows = csv_rows(r)
    assert rows[0] == CAMPAIGNS_HEADER
    assert [row[0] for row in rows[1:]] == names


def test_the_campaigns_page_links_to_its_download_and_ignores_an_unknown_format(
    client, personas, world
):
    c = _client(client, personas.board)
    page = c.get(reverse("recruitment:campaigns")).content.decode()
    on = dt.date.today().isoformat()
    assert f'href="?on={on}&amp;format=csv"' in page
    assert f'href="?on={on}&amp;format=xlsx"' in page
    r = c.get(reverse("recruitment:campaigns"), {"format": "json"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/html")


TASKS_HEADER = ["List", "Candidate", "Task", "Due"]
SOON = dt.date.today() + dt.timedelta(days=10)


@pytest.fixture
def tasks(world, personas, authority, other_authority):
    """Harriet's own tasks (one overdue, two coming up, one done), Leila's three overdue,
    two overdue with nobody named, and one of another authority: overdue counts all differ,
    so the order of the table by owner is certain."""
    priya = ApplicationFactory(
        vacancy=world.vacancy,
        candidate=CandidateFactory(authority=authority, first_name="Priya", last_name="Secretname"),
    )
    quentin = ApplicationFactory(
        vacancy=world.vacancy,
        candidate=CandidateFactory(authority=authority, first_name="Quentin", last_name="Hidden"),
    )
    rhoda = ApplicationFactory(
        vacancy=world.vacancy,
        candidate=CandidateFactory(authority=authority, first_name="Rhoda", last_name="Third"),
    )
    elsewhere = ApplicationFactory(
        vacancy=VacancyFactory(
            strand=StrandFactory(campaign=CampaignFactory(authority=other_authority))
        ),
        candidate=CandidateFactory(
            authority=other_authority, first_name="Ursula", last_name="Faraway"
        ),
    )
    K = TaskKind
    for application, kind, owner, due, done in (
        (priya, K.TRAINING_PACK, personas.hr, D(2017, 6, 23), None),
        (priya, K.SALARY, personas.hr, SOON, None),
        (priya, K.OFFER_LETTER, personas.hr, None, None),
        (quentin, K.SALARY, personas.hr, D(2017, 6, 1), D(2017, 6, 2)),
        (priya, K.START_LETTER, personas.lead, D(2019, 2, 1), None),
        (quentin, K.TRAINING_PACK, personas.lead, D(2019, 1, 1), None),
        (quentin, K.OFFER_LETTER, personas.lead, D(2019, 3, 1), None),
        (quentin, K.START_LETTER, None, D(2020, 1, 1), None),
        (rhoda, K.START_LETTER, None, D(2020, 2, 1), None),
        (elsewhere, K.START_LETTER, None, D(2020, 1, 1), None),
    ):
        Task.objects.create(
            authority=application.authority,
            application=application,
            kind=kind,
            owner=owner,
            due_on=due,
            done_on=done,
        )


def test_my_tasks_download_as_csv_in_the_pages_order(client, personas, tasks):
    r = _client(client, personas.hr).get(reverse("recruitment:my_tasks"), {"format": "csv"})
    assert f"my-tasks-{dt.date.today().isoformat()}.csv" in r["Content-Disposition"]
    assert csv_rows(r) == [
        TASKS_HEADER,
        ["Overdue", "Priya Secretname", "Send the first-year training pack", "2017-06-23"],
        ["Coming up", "Priya Secretname", "Assess the starting salary", SOON.isoformat()],
        ["Coming up", "Priya Secretname", "Have the offer letter ready", "When the checks clear"],
        ["Overdue with no owner", "Quentin Hidden", "Send the start-date letter", "2020-01-01"],
        ["Overdue with no owner", "Rhoda Third", "Send the start-date letter", "2020-02-01"],
    ]
    assert "Faraway" not in r.content.decode()


def test_my_tasks_download_as_xlsx(client, personas, tasks):
    r = _client(client, personas.lead).get(reverse("recruitment:my_tasks"), {"format": "xlsx"})
    rows = xlsx_rows(r)
    assert rows[0] == TASKS_HEADER
    assert [row[3] for row in rows[1:]] == [
        dt.datetime(2019, 1, 1),
        dt.datetime(2019, 2, 1),
        dt.datetime(2019, 3, 1),
        dt.datetime(2020, 1, 1),
        dt.datetime(2020, 2, 1),
    ]


def test_overdue_tasks_by_owner_download_as_csv(client, personas, tasks):
    r = _client(client, personas.hr).get(
        reverse("recruitment:my_tasks"), {"table": "owners", "format": "csv"}
    )
    assert csv_rows(r) == [
        ["Owner", "Overdue"],
        ["Leila Persona", "3"],
        ["Nobody", "2"],
        ["Harriet Persona", "1"],
    ]


@pytest.mark.parametrize("persona", ["manager", "board", "analyst"])
@pytest.mark.parametrize("table", ["", "owners"])
def test_only_recruitment_staff_download_tasks(client, personas, tasks, persona, table):
    r = _client(client, getattr(personas, persona)).get(
        reverse("recruitment:my_tasks"), {"table": table, "format": "csv"}
    )
    assert r.status_code == 403
    assert b"Secretname" not in r.content and b"Hidden" not in r.content


def test_another_authoritys_lead_downloads_none_of_these_tasks(client, personas, tasks):
    c = _client(client, personas.outsider)
    mine = csv_rows(c.get(reverse("recruitment:my_tasks"), {"format": "csv"}))
    assert mine == [
        TASKS_HEADER,
        ["Overdue with no owner", "Ursula Faraway", "Send the start-date letter", "2020-01-01"],
    ]
    owners = csv_rows(c.get(reverse("recruitment:my_tasks"), {"table": "owners", "format": "csv"}))
    assert owners == [["Owner", "Overdue"], ["Nobody", "1"]]


def test_the_tasks_page_links_to_both_downloads_and_ignores_an_unknown_format(
    client, personas, tasks
):
    c = _client(client, personas.hr)
    page = c.get(reverse("recruitment:my_tasks")).content.decode()
    assert 'href="?format=csv"' in page and 'href="?format=xlsx"' in page
    assert 'href="?table=owners&amp;format=csv"' in page
    r = c.get(reverse("recruitment:my_tasks"), {"format": "pdf"})
    assert r.status_code == 200 and r["Content-Type"].startswith("text/html")


def test_report_tables_share_one_table_on_the_page_and_in_the_downloads(client, personas, journey):
    c = _client(client, personas.board)
    page = c.get(reverse("recruitment:reports")).content.decode()
    assert page.count('<table class="govuk-table">') >= len(selectors.REPORTS)
    assert "govuk-table__cell--numeric" in page
    assert 'class="govuk-table__row app-table-total"' in page  # offers by role
    assert ">Summary<" not in page  # left off the page, kept in the download
    r = c.get(reverse("recruitment:report_download"), {"table": "offers_by_role", "format": "csv"})
    rows = csv_rows(r)
    assert rows[0] == [
        "Role",
        "Offered a post (conditional offer)",
        "Conditional offer accepted",
        "Unconditional offer made",
        "Accepted (unconditional offer)",
        "Pulled out after accepting",
    ]
    assert rows[-1][0] == "Total"
    assert rows[-1][1] == str(sum(int(row[1]) for row in rows[1:-1]))
    r = c.get(reverse("recruitment:report_download"), {"table": "dropout", "format": "xlsx"})
    rows = xlsx_rows(r)
    assert rows[0] == ["Stage", "Reached the stage", "Left the process there", "% left"]
    for _stage, reached, left, share in rows[1:]:
        assert isinstance(reached, int) and isinstance(left, int)
        assert share is None if not reached else share == pytest.approx(left / reached, abs=5e-4)
