from django.urls import path

from workforce.benchmarks import views_pay as pay
from workforce.benchmarks import views_upload

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
]
