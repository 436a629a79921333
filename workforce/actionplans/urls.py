from django.urls import path

from workforce.actionplans import downloads, views

app_name = "actionplans"

urlpatterns = [
    path("", views.plans, name="plans"),
    path("new/", views.source_new, name="source_new"),
    path("mine/", views.my_actions, name="my_actions"),
    path("attention/", views.attention, name="attention"),
    path("<int:source_id>/", views.plan, name="plan"),
    path("<int:source_id>/change/", views.source_change, name="source_change"),
    path("<int:source_id>/delete/", views.source_delete, name="source_delete"),
    path("<int:source_id>/documents/new/", views.document_new, name="document_new"),
    path(
        "<int:source_id>/recommendations/new/",
        views.recommendation_new,
        name="recommendation_new",
    ),
    path(
        "recommendations/<int:recommendation_id>/change/",
        views.recommendation_change,
        name="recommendation_change",
    ),
    path(
        "recommendations/<int:recommendation_id>/delete/",
        views.recommendation_delete,
        name="recommendation_delete",
    ),
    path(
        "recommendations/<int:recommendation_id>/actions/new/",
        views.action_new,
        name="action_new",
    ),
    path("actions/<int:action_id>/", views.action_detail, name="action"),
    path("actions/<int:action_id>/change/", views.action_change, name="action_change"),
    path("actions/<int:action_id>/delete/", views.action_delete, name="action_delete"),
    path("actions/<int:action_id>/progress/", views.update_new, name="update_new"),
    path("actions/<int:action_id>/measures/new/", views.measure_new, name="measure_new"),
    path("measures/<int:measure_link_id>/unlink/", views.measure_unlink, name="measure_unlink"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path(
        "<int:source_id>/formal-response.docx",
        downloads.response_docx,
        name="response_docx",
    ),
    path("<int:source_id>/action-plan/", downloads.response_table, name="response_table"),
]
