from django.urls import path

from workforce.establishment.views import changes, people, posts, structure, table, teams

app_name = "establishment"

urlpatterns = [
    path("", table.establishment_table_view, name="table"),
    path("cell/", table.establishment_cell_view, name="cell"),
    path("teams/", teams.team_list, name="teams"),
    path("teams/new/", structure.team_create, name="team_create"),
    path("teams/<int:team_id>/", teams.team_detail, name="team"),
    path("teams/<int:team_id>/edit/", structure.team_edit, name="team_edit"),
    path("roles/", structure.role_list, name="roles"),
    path("roles/new/", structure.role_create, name="role_create"),
    path("roles/<int:role_id>/edit/", structure.role_edit, name="role_edit"),
    path("posts/new/", posts.post_create, name="post_create"),
    path("posts/<int:post_id>/", posts.post_detail, name="post"),
    path("posts/<int:post_id>/fte/", posts.post_change_fte, name="post_change_fte"),
    path("posts/<int:post_id>/close/", posts.post_close, name="post_close"),
    path("people/", people.worker_list, name="workers"),
    path("people/new/", people.worker_create, name="worker_create"),
    path("people/<int:worker_id>/", people.worker_detail, name="worker"),
    path("people/<int:worker_id>/subject-access/", people.subject_access, name="subject_access"),
    path("people/<int:worker_id>/appoint/", people.appoint, name="appoint"),
    path("people/<int:worker_id>/agency/", people.agency_start, name="agency_start"),
    path("people/<int:worker_id>/leaver/", people.leaver, name="leaver"),
    path("people/<int:worker_id>/absence/", people.absence, name="absence"),
    path("engagements/<int:engagement_id>/move/", people.move, name="move"),
    path("engagements/<int:engagement_id>/end-agency/", people.agency_end, name="agency_end"),
    path("engagements/<int:engagement_id>/hours/", changes.change_hours, name="change_hours"),
    path("engagements/<int:engagement_id>/convert/", changes.convert, name="convert"),
    path("engagements/<int:engagement_id>/end/", changes.end_engagement, name="end_engagement"),
    path(
        "engagements/<int:engagement_id>/ended/",
        changes.engagement_ended,
        name="engagement_ended",
    ),
]
