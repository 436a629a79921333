"""URL routes: each app under a prefix; GOV.UK Frontend fonts and images at /assets/."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    path("", include("workforce.core.urls")),
    path("establishment/", include("workforce.establishment.urls")),
    path("metrics/", include("workforce.metrics.urls")),
    path("caseloads/", include("workforce.caseloads.urls")),
    path("recruitment/", include("workforce.recruitment.urls")),
    path("census/", include("workforce.census.urls")),
    path("imports/", include("workforce.imports.urls")),
    path("reports/", include("workforce.reports.urls")),
    path("action-plans/", include("workforce.actionplans.urls")),
    path("careers/", include("workforce.careers.urls")),
    path("benchmarks/", include("workforce.benchmarks.urls")),
    path("django-admin/", admin.site.urls),
    # GOV.UK Frontend's stylesheet asks for its fonts and images at /assets/.
    re_path(
        r"^assets/(?P<path>.*)$",
        serve,
        {"document_root": settings.NODE_MODULES / "govuk-frontend" / "dist" / "govuk" / "assets"},
    ),
]
