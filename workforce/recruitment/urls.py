from django.urls import path

from workforce.recruitment import views, views_checks

app_name = "recruitment"

urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:campaign_id>/strands/new/", views.strand_new, name="strand_new"),
    path("campaigns/<int:campaign_id>/vacancies/new/", views.vacancy_new, name="vacancy_new"),
    path("strands/<int:strand_id>/targets/new/", views.target_new, name="target_new"),
    path("vacancies/<int:vacancy_id>/", views.vacancy_detail, name="vacancy"),
    path("vacancies/<int:vacancy_id>/apply/", views.apply_view, name="apply"),
    path("candidates/<int:candidate_id>/", views.candidate_detail, name="candidate"),
    path("applications/<int:application_id>/", views.application_detail, name="application"),
    path(
        "applications/<int:application_id>/advance/",
        views.application_advance,
        name="application_advance",
    ),
    path(
        "applications/<int:application_id>/leave/",
        views.application_leave,
        name="application_leave",
    ),
    path(
        "applications/<int:application_id>/contacts/",
        views.application_contacts,
        name="application_contacts",
    ),
    path(
        "applications/<int:application_id>/allocate/",
        views.application_allocate,
        name="application_allocate",
    ),
    path(
        "applications/<int:application_id>/checks/request/",
        views.check_request,
        name="check_request",
    ),
    path("applications/<int:application_id>/offer/", views.offer_make, name="offer_make"),
    path(
        "applications/<int:application_id>/conditional-accept/",
        views.conditional_accept,
        name="conditional_accept",
    ),
    path("applications/<int:application_id>/accept/", views.offer_accept, name="offer_accept"),
    path(
        "applications/<int:application_id>/start/",
        views.application_start,
        name="application_start",
    ),
    path("checks/<int:check_id>/", views.check_result, name="check_result"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("tasks/<int:task_id>/done/", views.task_done, name="task_done"),
    path("vacancies/<int:vacancy_id>/under-way/", views_checks.under_way, name="under_way"),
    path("checks/required/", views_checks.rule_list, name="check_rules"),
    path("checks/required/new/", views_checks.rule_new, name="check_rule_new"),
    path("checks/required/<int:check_rule_id>/", views_checks.rule_edit, name="check_rule_edit"),
    path(
        "checks/required/<int:check_rule_id>/remove/",
        views_checks.rule_remove,
        name="check_rule_remove",
    ),
    path("reports/", views.reports, name="reports"),
    path("reports/download/", views.report_download, name="report_download"),
]
