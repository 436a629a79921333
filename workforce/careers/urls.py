from django.urls import path

from workforce.careers import views_programmes

app_name = "careers"

urlpatterns: list = [
    path("programmes/", views_programmes.programmes, name="programmes"),
    path("programmes/<int:programme_id>/", views_programmes.programme, name="programme"),
    path("cohorts/", views_programmes.cohorts, name="cohorts"),
    path("cohorts/<int:cohort_id>/", views_programmes.cohort, name="cohort"),
    path("members/<int:member_id>/review/", views_programmes.record_review, name="record_review"),
    path(
        "protected-caseloads/",
        views_programmes.protected_caseloads,
        name="protected_caseloads",
    ),
    path("trainees/", views_programmes.trainees, name="trainees"),
]
