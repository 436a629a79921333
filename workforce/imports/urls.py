from django.urls import path

from workforce.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("runs/<int:pk>/progress/", views.progress, name="progress"),
    path("runs/<int:pk>/apply/", views.apply, name="apply"),
    path("runs/<int:pk>/discard/", views.discard, name="discard"),
    path("<slug:kind>/", views.upload, name="upload"),
]
