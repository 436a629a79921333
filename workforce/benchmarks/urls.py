from django.urls import path

from workforce.benchmarks import views_compare, views_groups, views_upload
from workforce.benchmarks import views_pay as pay

app_name = "benchmarks"

urlpatterns: list = [
    path("statistics/", views_upload.upload_statistics, name="upload_statistics"),
    path("pay/", pay.comparison, name="pay"),
    path("pay/grades/", pay.grade_list, name="pay_grades"),
    path("pay/grades/add/", pay.grade_add, name="pay_grade_add"),
    path("pay/grades/<int:pay_grade_id>/", pay.grade_change, name="pay_grade_change"),
    path("pay/grades/<int:pay_grade_id>/remove/", pay.grade_delete, name="pay_grade_delete"),
    path("pay/comparators/", pay.entry_list, name="pay_entries"),
    path("pay/comparators/add/", pay.entry_add, name="pay_entry_add"),
    path("pay/comparators/<int:pay_entry_id>/", pay.entry_change, name="pay_entry_change"),
    path("pay/comparators/<int:pay_entry_id>/remove/", pay.entry_delete, name="pay_entry_delete"),
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
