from django.urls import path

from workforce.establishment import views

app_name = "establishment"

urlpatterns = [
    path("", views.establishment_table_view, name="table"),
    path("cell/", views.establishment_cell_view, name="cell"),
    path("teams/", views.team_list, name="teams"),
    path("teams/<int:team_id>/", views.team_detail, name="team"),
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
]
