from django.urls import path

from workforce.caseloads import views

app_name = "caseloads"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("teams/", views.heat_map, name="heat_map"),
    path("teams/<int:team_id>/", views.team_workload, name="team"),
    path("workers/<int:worker_id>/", views.worker_workload, name="worker"),
    path(
        "workers/<int:worker_id>/supervision/",
        views.record_supervision,
        name="record_supervision",
    ),
    path("unallocated/", views.unallocated, name="unallocated"),
    path("cases/<int:case_id>/allocate/", views.allocate, name="allocate"),
    path("cases/<int:case_id>/transfer/", views.transfer, name="transfer"),
    path("cases/<int:case_id>/close/", views.close_case, name="close_case"),
    path("allocations/<int:allocation_id>/end/", views.end_allocation, name="end_allocation"),
    path("supervision/", views.supervision, name="supervision"),
    path("demand/", views.demand, name="demand"),
    path("referrals/new/", views.record_referral, name="record_referral"),
    path("referrals/<int:referral_id>/outcome/", views.referral_outcome, name="referral_outcome"),
]
