from django.urls import path

from workforce.careers import views_exits, views_overview, views_programmes, views_retention
from workforce.careers import views_incentives as incentives

app_name = "careers"

urlpatterns: list = [
    path("", views_overview.overview, name="overview"),
    path("programmes/", views_programmes.programmes, name="programmes"),
    path("programmes/new/", views_programmes.new_programme, name="new_programme"),
    path("programmes/<int:programme_id>/", views_programmes.programme, name="programme"),
    path("programmes/<int:programme_id>/stages/new/", views_programmes.new_stage, name="new_stage"),
    path(
        "programmes/<int:programme_id>/reviews/new/",
        views_programmes.new_review_point,
        name="new_review_point",
    ),
    path(
        "programmes/<int:programme_id>/cohorts/new/",
        views_programmes.new_cohort,
        name="new_cohort",
    ),
    path(
        "programmes/<int:programme_id>/change/",
        views_programmes.change_programme,
        name="change_programme",
    ),
    path("stages/<int:stage_id>/change/", views_programmes.change_stage, name="change_stage"),
    path("stages/<int:stage_id>/delete/", views_programmes.delete_stage, name="delete_stage"),
    path(
        "reviews/<int:review_point_id>/change/",
        views_programmes.change_review_point,
        name="change_review_point",
    ),
    path(
        "reviews/<int:review_point_id>/delete/",
        views_programmes.delete_review_point,
        name="delete_review_point",
    ),
    path(
        "members/<int:member_id>/withdraw/",
        views_programmes.withdraw_member,
        name="withdraw_member",
    ),
    path("cohorts/", views_programmes.cohorts, name="cohorts"),
    path("cohorts/<int:cohort_id>/", views_programmes.cohort, name="cohort"),
    path("cohorts/<int:cohort_id>/members/new/", views_programmes.new_member, name="new_member"),
    path("members/<int:member_id>/review/", views_programmes.record_review, name="record_review"),
    path(
        "protected-caseloads/",
        views_programmes.protected_caseloads,
        name="protected_caseloads",
    ),
    path("trainees/", views_programmes.trainees, name="trainees"),
    path("trainees/new/", views_programmes.new_trainee, name="new_trainee"),
    path(
        "trainees/<int:trainee_id>/qualified/",
        views_programmes.trainee_qualified,
        name="trainee_qualified",
    ),
    path(
        "trainees/<int:trainee_id>/withdrawn/",
        views_programmes.trainee_withdrawn,
        name="trainee_withdrawn",
    ),
    path("exits/", views_exits.why_people_leave, name="why_people_leave"),
    path("exits/interviews/", views_exits.interview_list, name="exit_interviews"),
    path(
        "exits/interviews/<int:exit_interview_id>/",
        views_exits.interview_detail,
        name="exit_interview",
    ),
    path(
        "exits/interviews/<int:exit_interview_id>/change/",
        views_exits.interview_change,
        name="exit_interview_change",
    ),
    path(
        "exits/interviews/<int:exit_interview_id>/delete/",
        views_exits.interview_delete,
        name="exit_interview_delete",
    ),
    path(
        "exits/people/<int:worker_id>/interview/",
        views_exits.interview_new,
        name="exit_interview_new",
    ),
    path("exits/returners/", views_exits.returner_list, name="returners"),
    path("exits/themes/", views_exits.theme_list, name="exit_themes"),
    path("exits/themes/add/", views_exits.theme_add, name="exit_theme_add"),
    path(
        "exits/themes/<int:exit_theme_id>/offered/",
        views_exits.theme_offered,
        name="exit_theme_offered",
    ),
    path("retention/", views_retention.retention, name="retention"),
    path("progression/", incentives.progression_list, name="progression"),
    path(
        "people/<int:worker_id>/incentives/",
        incentives.worker_incentives,
        name="worker_incentives",
    ),
    path(
        "people/<int:worker_id>/progression/record/",
        incentives.record_progression,
        name="record_progression",
    ),
    path(
        "people/<int:worker_id>/incentives/record/",
        incentives.record_incentive,
        name="record_incentive",
    ),
    path(
        "incentives/<int:incentive_id>/clawback/",
        incentives.record_clawback,
        name="record_clawback",
    ),
    path("incentives/cost/", incentives.incentive_costs, name="incentive_costs"),
    path("incentives/clawback/", incentives.clawback_list, name="clawback"),
    path("learning/", incentives.learning, name="learning"),
    path("learning/add/", incentives.add_programme, name="add_learning_programme"),
    path("learning/completion/", incentives.completion, name="completion"),
    path("learning/<int:learning_programme_id>/", incentives.programme, name="learning_programme"),
    path(
        "learning/<int:learning_programme_id>/sessions/add/",
        incentives.add_session,
        name="add_session",
    ),
    path(
        "learning/<int:learning_programme_id>/completion/record/",
        incentives.record_completion,
        name="record_completion",
    ),
    path(
        "learning/sessions/<int:learning_session_id>/attendance/",
        incentives.record_attendance,
        name="record_attendance",
    ),
]
