from django.urls import path

from workforce.metrics import views

app_name = "metrics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("download/<str:what>/", views.download, name="download"),
    path("ended-without-leaving/", views.ended_without_leaving, name="ended_without_leaving"),
    path("targets/", views.target_list, name="targets"),
    path("targets/new/", views.target_create, name="target_create"),
    path("targets/<int:target_id>/", views.target_edit, name="target_edit"),
    path("targets/<int:target_id>/remove/", views.target_delete, name="target_delete"),
]
