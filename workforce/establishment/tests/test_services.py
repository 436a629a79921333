"""The establishment services: each real event applies completely or is refused with a reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from workforce.establishment import services
from workforce.establishment.models import (
    AgencyCover,
    Engagement,
    EngagementEnd,
    EngagementKind,
    Leaving,
    Post,
    PostFunding,
)
from workforce.establishment.tests.factories import (
    EngagementFactory,
    PostFactory,
    RoleFactory,
    TeamFactory,
    WorkerFactory,
)

D = dt.date
pytestmark = pytest.mark.django_db


def refused_on(field: str, call, *args, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    assert field in caught.value.message_dict, caught.value.message_dict
    return " ".join(caught.value.message_dict[field])


@pytest.fixture
def post(authority):
    return PostFactory(team=TeamFactory(authority=authority), start=D(2020, 1, 1))


@pytest.fixture
def worker(authority):
    return WorkerFactory(authority=authority)


class TestCreatePost:
    def test_creates_the_post_and_its_funding(self, authority):
        team, role = TeamFactory(authority=authority), RoleFactory(authority=authority)
        post = services.create_post(
            authority=authority,
            team=team,
            role=role,
            reference="CP-01",
            fte=Decimal("0.5"),
            start=D(2024, 4, 1),
        )
        funding = post.funding.get()
        assert (funding.fte, funding.start, funding.end) == (Decimal("0.50"), D(2024, 4, 1), None)

    @pytest.mark.parametrize("fte", [Decimal("0"), Decimal("1.5"), Decimal("-1"), Decimal("0.333")])
    def test_refuses_fte_outside_zero_to_one(self, authority, fte):
        team, role = TeamFactory(authority=authority), RoleFactory(authority=authority)
        refused_on(
            "fte",
            services.create_post,
            authority=authority,
            team=team,
            role=role,
            reference="X",
            fte=fte,
            start=D(2024, 1, 1),
        )
        assert not Post.objects.exists()

    def test_refuses_end_before_start(self, authority):
        team, role = TeamFactory(authority=authority), RoleFactory(authority=authority)
        message = refused_on(
            "end",
            services.create_post,
            authority=authority,
            team=team,
            role=role,
            reference="X",
            fte=Decimal(1),
            start=D(2024, 1, 1),
            end=D(2023, 1, 1),
        )
        assert "after the start" in message

    def test_refuses_a_duplicate_reference(self, post):
        refused_on(
            "reference",
            services.create_post,
            authority=post.authority,
            team=post.team,
            role=post.role,
            reference=post.reference,
            fte=Decimal(1),
            start=D(2024, 1, 1),
        )

    def test_refuses_a_team_of_another_authority(self, authority, other_authority):
        with pytest.raises(ValidationError):
            services.create_post(
                authority=authority,
                team=TeamFactory(authority=other_authority),
                role=RoleFactory(authority=authority),
                reference="X",
                fte=Decimal(1),
                start=D(2024, 1, 1),
            )


class TestChangePostFte:
    def test_keeps_the_old_value_for_the_past(self, post):
        services.change_post_fte(post=post, fte=Decimal("0.6"), from_date=D(2024, 4, 1))
        history = list(post.funding.order_by("start").values_list("fte", "start", "end"))
        assert history == [
            (Decimal("1.00"), D(2020, 1, 1), D(2024, 4, 1)),
            (Decimal("0.60"), D(2024, 4, 1), None),
        ]

    def test_refuses_a_date_when_the_post_is_closed(self, post):
        refused_on(
            "from_date",
            services.change_post_fte,
            post=post,
            fte=Decimal("0.5"),
            from_date=D(2019, 1, 1),
        )


class TestClosePost:
    def test_refuses_while_someone_fills_it(self, post):
        EngagementFactory(post=post, start=D(2023, 1, 1))
        message = refused_on("end", services.close_post, post=post, end=D(2024, 1, 1))
        assert "move them or end" in message
        post.refresh_from_db()
        assert post.end is None

    def test_closes_funding_with_the_post(self, post):
        services.close_post(post=post, end=D(2024, 1, 1))
        assert list(post.funding.values_list("end", flat=True)) == [D(2024, 1, 1)]


class TestAppointAndMove:
    def test_appoint_refuses_a_second_full_time_job_at_once(self, post, worker, authority):
        services.appoint_worker(worker=worker, post=post, start=D(2023, 1, 1), fte=Decimal(1))
        other = PostFactory(team=TeamFactory(authority=authority))
        message = refused_on(
            "fte",
            services.appoint_worker,
            worker=worker,
            post=other,
            start=D(2023, 6, 1),
            fte=Decimal("0.2"),
        )
        assert "1.2" in message and "at most 1.0" in message

    def test_job_share_of_two_halves_is_allowed(self, post, worker, authority):
        other = PostFactory(team=TeamFactory(authority=authority))
        services.appoint_worker(worker=worker, post=post, start=D(2023, 1, 1), fte=Decimal("0.5"))
        services.appoint_worker(worker=worker, post=other, start=D(2023, 1, 1), fte=Decimal("0.5"))
        assert Engagement.objects.filter(worker=worker).count() == 2

    def test_back_to_back_engagements_do_not_overlap(self, post, worker, authority):
        services.appoint_worker(
            worker=worker,
            post=post,
            start=D(2023, 1, 1),
            fte=Decimal(1),
            kind=EngagementKind.FIXED_TERM,
            end=D(2024, 1, 1),
        )
        other = PostFactory(team=TeamFactory(authority=authority))
        services.appoint_worker(worker=worker, post=other, start=D(2024, 1, 1), fte=Decimal(1))

    def test_fixed_term_needs_an_end(self, post, worker):
        refused_on(
            "end",
            services.appoint_worker,
            worker=worker,
            post=post,
            start=D(2023, 1, 1),
            fte=Decimal(1),
            kind=EngagementKind.FIXED_TERM,
        )

    def test_refuses_a_start_before_the_post_opens(self, post, worker):
        refused_on(
            "start",
            services.appoint_worker,
            worker=worker,
            post=post,
            start=D(2019, 6, 1),
            fte=Decimal(1),
        )

    def test_move_ends_the_old_engagement_and_starts_a_new_one(self, post, worker, authority):
        first = services.appoint_worker(
            worker=worker, post=post, start=D(2023, 1, 1), fte=Decimal(1)
        )
        target = PostFactory(team=TeamFactory(authority=authority))
        moved = services.move_worker(engagement=first, to_post=target, on=D(2024, 3, 1))
        first.refresh_from_db()
        assert (first.end, first.end_reason) == (D(2024, 3, 1), EngagementEnd.MOVED)
        assert (moved.start, moved.post, moved.kind) == (D(2024, 3, 1), target, first.kind)
        assert not Leaving.objects.exists()

    def test_move_refuses_the_same_post(self, post, worker):
        first = services.appoint_worker(
            worker=worker, post=post, start=D(2023, 1, 1), fte=Decimal(1)
        )
        refused_on(
            "to_post", services.move_worker, engagement=first, to_post=post, on=D(2024, 1, 1)
        )


class TestAgency:
    def test_absence_cover_names_whose_absence(self, post, worker):
        refused_on(
            "covering_for",
            services.start_agency_assignment,
            worker=worker,
            post=post,
            start=D(2024, 1, 1),
            fte=Decimal(1),
            agency_name="Demo Agency",
            charge_rate=Decimal("42.50"),
            covers=AgencyCover.ABSENCE,
        )

    def test_start_and_end_an_assignment(self, post, worker):
        assignment = services.start_agency_assignment(
            worker=worker,
            post=post,
            start=D(2024, 1, 1),
            fte=Decimal(1),
            agency_name="Demo Agency",
            charge_rate=Decimal("42.50"),
            covers=AgencyCover.VACANCY,
        )
        services.end_agency_assignment(engagement=assignment, last_day=D(2024, 6, 30))
        assignment.refresh_from_db()
        assert assignment.end == D(2024, 7, 1)
        assert assignment.end_reason == EngagementEnd.ASSIGNMENT_ENDED

    def test_end_refuses_a_permanent_engagement(self, post, worker):
        job = services.appoint_worker(worker=worker, post=post, start=D(2023, 1, 1), fte=Decimal(1))
        refused_on(
            "engagement", services.end_agency_assignment, engagement=job, last_day=D(2024, 1, 1)
        )


class TestRecordLeaver:
    def test_ends_engagements_after_the_last_day_and_records_census_fields(
        self, post, worker, reference_data
    ):
        services.appoint_worker(worker=worker, post=post, start=D(2022, 1, 1), fte=Decimal("0.8"))
        leaving = services.record_leaver(
            worker=worker, last_day=D(2025, 9, 30), reason="1", destination="1"
        )
        assert (leaving.fte, leaving.org_role, leaving.team_id) == (
            Decimal("0.80"),
            post.role.org_role,
            post.team_id,
        )
        engagement = worker.engagements.get()
        assert (engagement.end, engagement.end_reason) == (D(2025, 10, 1), EngagementEnd.LEFT)

    def test_refuses_when_an_engagement_starts_after_the_last_day(
        self, post, worker, reference_data, authority
    ):
        services.appoint_worker(
            worker=worker,
            post=post,
            start=D(2022, 1, 1),
            fte=Decimal(1),
            kind=EngagementKind.FIXED_TERM,
            end=D(2024, 1, 1),
        )
        other = PostFactory(team=TeamFactory(authority=authority))
        services.appoint_worker(worker=worker, post=other, start=D(2024, 1, 1), fte=Decimal(1))
        refused_on(
            "last_day", services.record_leaver, worker=worker, last_day=D(2023, 6, 30), reason="1"
        )
        assert not Leaving.objects.exists()
        assert Engagement.objects.filter(end_reason=EngagementEnd.LEFT).count() == 0

    def test_refuses_an_unknown_reason_code(self, post, worker, reference_data):
        services.appoint_worker(worker=worker, post=post, start=D(2022, 1, 1), fte=Decimal(1))
        refused_on(
            "reason", services.record_leaver, worker=worker, last_day=D(2025, 1, 1), reason="99"
        )

    def test_cannot_be_appointed_again_before_leaving(self, post, worker, reference_data):
        services.appoint_worker(worker=worker, post=post, start=D(2022, 1, 1), fte=Decimal(1))
        services.record_leaver(worker=worker, last_day=D(2024, 1, 31), reason="1")
        refused_on(
            "start",
            services.appoint_worker,
            worker=worker,
            post=post,
            start=D(2024, 1, 15),
            fte=Decimal(1),
        )


@pytest.fixture
def in_post(post, worker):
    """The worker holds the post from 1 January 2022 to 30 June 2024 (absences fall in it)."""
    return services.appoint_worker(
        worker=worker, post=post, start=D(2022, 1, 1), end=D(2024, 7, 1), fte=Decimal(1)
    )


@pytest.mark.usefixtures("in_post")
class TestRecordAbsence:
    def test_refuses_an_absence_when_no_post_is_held(self, authority, worker, reference_data):
        message = refused_on(
            "start",
            services.record_absence,
            worker=WorkerFactory(authority=authority),
            start=D(2024, 1, 1),
            end=D(2024, 1, 6),
            reason="SIC",
            working_days_lost=Decimal(4),
        )
        assert "holds no post on 1 January 2024" in message
        assert "holds no post on 1 December 2021" in refused_on(
            "start",
            services.record_absence,
            worker=worker,
            start=D(2021, 12, 1),
            end=D(2022, 1, 6),
            reason="SIC",
            working_days_lost=Decimal(4),
        )
        assert "holds no post on 2 July 2024, the last day" in refused_on(
            "end",
            services.record_absence,
            worker=worker,
            start=D(2024, 6, 20),
            end=D(2024, 7, 3),
            reason="SIC",
            working_days_lost=Decimal(4),
        )
        assert not worker.absences.exists()

    def test_refuses_more_days_lost_than_days(self, worker, reference_data):
        refused_on(
            "working_days_lost",
            services.record_absence,
            worker=worker,
            start=D(2024, 1, 1),
            end=D(2024, 1, 6),
            reason="SIC",
            working_days_lost=Decimal(9),
        )

    def test_refuses_overlapping_absences(self, worker, reference_data):
        services.record_absence(
            worker=worker,
            start=D(2024, 1, 1),
            end=D(2024, 1, 6),
            reason="SIC",
            working_days_lost=Decimal(4),
        )
        refused_on(
            "start",
            services.record_absence,
            worker=worker,
            start=D(2024, 1, 5),
            end=D(2024, 1, 9),
            reason="SIC",
            working_days_lost=Decimal(2),
        )


@pytest.mark.usefixtures("in_post")
class TestCorrectAbsence:
    @pytest.fixture
    def open_absence(self, worker, reference_data):
        return services.record_absence(
            worker=worker,
            start=D(2024, 3, 1),
            end=None,
            reason="SIC",
            working_days_lost=Decimal(3),
        )

    def test_ends_an_open_absence_and_the_audit_keeps_before_and_after(self, open_absence):
        from auditlog.models import LogEntry

        services.correct_absence(
            absence=open_absence, end=D(2024, 3, 15), reason="SIC", working_days_lost=Decimal(10)
        )

        open_absence.refresh_from_db()
        assert (open_absence.end, open_absence.working_days_lost) == (D(2024, 3, 15), 10)
        change = LogEntry.objects.get_for_object(open_absence).order_by("timestamp").last()
        assert change.changes_dict["end"] == ["None", "2024-03-15"]

    def test_refuses_an_end_into_the_next_absence(self, worker, open_absence):
        services.correct_absence(
            absence=open_absence, end=D(2024, 3, 15), reason="SIC", working_days_lost=Decimal(3)
        )
        services.record_absence(
            worker=worker,
            start=D(2024, 4, 1),
            end=None,
            reason="TRN",
            working_days_lost=Decimal(1),
        )
        message = refused_on(
            "end",
            services.correct_absence,
            absence=open_absence,
            end=D(2024, 4, 5),
            reason="SIC",
            working_days_lost=Decimal(3),
        )
        assert "1 April 2024" in message

    def test_a_correction_of_one_detail_keeps_the_others(self, open_absence):
        services.correct_absence(absence=open_absence, end=D(2024, 3, 15))
        services.correct_absence(absence=open_absence, working_days_lost=Decimal(8))
        open_absence.refresh_from_db()
        assert (open_absence.end, open_absence.reason, open_absence.working_days_lost) == (
            D(2024, 3, 15),
            "SIC",
            Decimal(8),
        )

    def test_refuses_an_end_after_the_last_day_in_post(self, open_absence):
        message = refused_on(
            "end",
            services.correct_absence,
            absence=open_absence,
            end=D(2024, 8, 1),
            reason="SIC",
            working_days_lost=Decimal(3),
        )
        assert "holds no post on 31 July 2024" in message
        open_absence.refresh_from_db()
        assert open_absence.end is None

    def test_refuses_an_end_before_the_start_and_more_days_lost_than_days(self, open_absence):
        refused_on(
            "end",
            services.correct_absence,
            absence=open_absence,
            end=D(2024, 3, 1),
            reason="SIC",
            working_days_lost=Decimal(0),
        )
        refused_on(
            "working_days_lost",
            services.correct_absence,
            absence=open_absence,
            end=D(2024, 3, 3),
            reason="SIC",
            working_days_lost=Decimal(5),
        )
        refused_on(
            "reason",
            services.correct_absence,
            absence=open_absence,
            end=None,
            reason="FLU",
            working_days_lost=Decimal(5),
        )


def test_funding_never_overwritten(post):
    services.change_post_fte(post=post, fte=Decimal("0.5"), from_date=D(2022, 1, 1))
    services.change_post_fte(post=post, fte=Decimal("0.8"), from_date=D(2023, 1, 1))
    assert PostFunding.objects.filter(post=post).count() == 3


class TestPersonDetails:
    """A person's details cannot be impossible: born in the future, qualified before birth, or
    a Social Work England number other than SW and digits."""

    TODAY = D(2025, 6, 1)

    def create(self, authority, **details):
        return services.create_worker(
            authority=authority,
            staff_number="S900",
            first_name="Perpetua",
            last_name="Lindqvist",
            today=self.TODAY,
            **details,
        )

    def test_refuses_a_date_of_birth_in_the_future(self, authority):
        message = refused_on("date_of_birth", self.create, authority, date_of_birth=D(2025, 6, 2))
        assert message == "The date of birth cannot be in the future."
        assert self.create(authority, date_of_birth=D(2025, 6, 1)).date_of_birth == self.TODAY

    def test_refuses_a_qualification_before_the_date_of_birth(self, authority):
        message = refused_on(
            "qual_date",
            self.create,
            authority,
            date_of_birth=D(1990, 5, 17),
            qual_date=D(1989, 7, 1),
        )
        assert message == "The date qualified cannot be before the date of birth (17 May 1990)."

    @pytest.mark.parametrize("number", ["abc", "SW", "12345", "SW12a45", "SW12345678901", "XX123"])
    def test_refuses_a_social_work_england_number_not_sw_and_digits(self, authority, number):
        message = refused_on("swe_number", self.create, authority, swe_number=number)
        assert "SW followed by its digits" in message

    @pytest.mark.parametrize(
        ("typed", "kept"), [("sw 123 456", "SW123456"), (" SW1234567 ", "SW1234567"), ("", "")]
    )
    def test_normalises_a_social_work_england_number(self, authority, typed, kept):
        assert self.create(authority, swe_number=typed).swe_number == kept

    def test_an_update_checks_against_the_details_it_keeps(self, authority):
        worker = self.create(authority, date_of_birth=D(1990, 5, 17), swe_number="SW1")
        message = refused_on(
            "qual_date",
            services.update_worker,
            worker=worker,
            qual_date=D(1989, 7, 1),
            today=self.TODAY,
        )
        assert "17 May 1990" in message
        refused_on(
            "date_of_birth",
            services.update_worker,
            worker=worker,
            date_of_birth=D(2030, 1, 1),
            today=self.TODAY,
        )
        refused_on("swe_number", services.update_worker, worker=worker, swe_number="abc")
        worker.refresh_from_db()
        assert (worker.date_of_birth, worker.qual_date, worker.swe_number) == (
            D(1990, 5, 17),
            None,
            "SW1",
        )

    def test_an_update_of_one_detail_keeps_the_others(self, authority):
        worker = self.create(
            authority, date_of_birth=D(1990, 5, 17), swe_number="SW1", qual_date=D(2016, 7, 1)
        )
        services.update_worker(worker=worker, first_name="Petra", today=self.TODAY)
        worker.refresh_from_db()
        assert (worker.first_name, worker.last_name) == ("Petra", "Lindqvist")
        assert (worker.date_of_birth, worker.qual_date, worker.swe_number) == (
            D(1990, 5, 17),
            D(2016, 7, 1),
            "SW1",
        )
