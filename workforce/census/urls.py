from django.urls import path

from workforce.census import views

app_name = "census"

urlpatterns = [
    path("", views.export_page, name="export"),
    path("download/", views.export_download, name="download"),
]
