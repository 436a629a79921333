from django.urls import path

from workforce.benchmarks import views_upload

app_name = "benchmarks"

urlpatterns: list = [
    path("statistics/", views_upload.upload_statistics, name="upload_statistics"),
]
