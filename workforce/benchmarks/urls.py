from django.urls import path

from workforce.benchmarks import views_compare, views_groups

app_name = "benchmarks"

urlpatterns: list = [
    path("", views_compare.compare, name="compare"),
    path("groups/", views_groups.group_list, name="groups"),
    path("groups/new/", views_groups.group_new, name="group_new"),
    path(
        "groups/<int:comparator_group_id>/change/",
        views_groups.group_change,
        name="group_change",
    ),
    path(
        "groups/<int:comparator_group_id>/delete/",
        views_groups.group_delete,
        name="group_delete",
    ),
]
