from django.urls import path

from workforce.establishment import views

app_name = "establishment"

urlpatterns = [
    path("", views.establishment_table_view, name="table"),
    path("teams/", views.team_list, name="teams"),
    path("people/", views.worker_list, name="workers"),
]
