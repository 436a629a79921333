from django.urls import path

from workforce.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("runs/<int:pk>/progress/", views.progress, name="progress"),
    path("runs/<int:pk>/apply/", views.apply, name="apply"),
    path("runs/<int:pk>/discard/", views.discard, name="discard"),
    path("runs/<int:pk>/undo/", views.undo, name="undo"),
    path("mappings/", views.mapping_list, name="mappings"),
    path("mappings/<slug:table_kind>/new/", views.mapping_create, name="mapping_create"),
    path("mappings/edit/<int:column_mapping_id>/", views.mapping_edit, name="mapping_edit"),
    path("codes/", views.code_mappings, name="codes"),
    path(
        "codes/<int:code_mapping_id>/delete/",
        views.code_mapping_delete,
        name="code_mapping_delete",
    ),
    path("<slug:kind>/", views.upload, name="upload"),
]
