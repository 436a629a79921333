from django.urls import path

from workforce.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("monthly-pack/", views.monthly_pack, name="monthly_pack"),
    path("<int:report_id>/", views.report_page, name="report"),
    path("<int:report_id>/build/", views.builder, name="builder"),
    path("<int:report_id>/details/", views.report_details, name="details"),
    path("<int:report_id>/preview/", views.preview, name="preview"),
    path("<int:report_id>/issue/", views.issue, name="issue"),
    path("<int:report_id>/regenerate/", views.regenerate, name="regenerate"),
    path("<int:report_id>/report.docx", views.download_docx, name="docx"),
    path("<int:report_id>/report.pdf", views.download_pdf, name="pdf"),
    path("<int:report_id>/print/", views.print_page, name="print"),
]
