from django.urls import path

from workforce.establishment import views

app_name = "establishment"

urlpatterns = [
    path("", views.establishment_table_view, name="table"),
    path("cell/", views.establishment_cell_view, name="cell"),
    path("teams/", views.team_list, name="teams"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:team_id>/", views.team_detail, name="team"),
    path("teams/<int:team_id>/edit/", views.team_edit, name="team_edit"),
    path("roles/", views.role_list, name="roles"),
    path("roles/new/", views.role_create, name="role_create"),
    path("roles/<int:role_id>/edit/", views.role_edit, name="role_edit"),
    path("posts/new/", views.post_create, name="post_create"),
    path("posts/<int:post_id>/", views.post_detail, name="post"),
    path("posts/<int:post_id>/fte/", views.post_change_fte, name="post_change_fte"),
    path("posts/<int:post_id>/close/", views.post_close, name="post_close"),
    path("people/", views.worker_list, name="workers"),
    path("people/new/", views.worker_create, name="worker_create"),
    path("people/<int:worker_id>/", views.worker_detail, name="worker"),
    path("people/<int:worker_id>/appoint/", views.appoint, name="appoint"),
    path("people/<int:worker_id>/agency/", views.agency_start, name="agency_start"),
    path("people/<int:worker_id>/leaver/", views.leaver, name="leaver"),
    path("people/<int:worker_id>/absence/", views.absence, name="absence"),
    path("engagements/<int:engagement_id>/move/", views.move, name="move"),
    path("engagements/<int:engagement_id>/end-agency/", views.agency_end, name="agency_end"),
    path("engagements/<int:engagement_id>/hours/", views.change_hours, name="change_hours"),
    path("engagements/<int:engagement_id>/convert/", views.convert, name="convert"),
    path("engagements/<int:engagement_id>/end/", views.end_engagement, name="end_engagement"),
    path(
        "engagements/<int:engagement_id>/ended/",
        views.engagement_ended,
        name="engagement_ended",
    ),
]
