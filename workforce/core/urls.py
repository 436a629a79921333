from django.contrib.auth import views as auth_views
from django.urls import path

from workforce.core import health, views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/", health.health, name="health"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/reads/", views.access_log, name="access_log"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:user_id>/", views.user_access, name="user_access"),
    path("authorities/", views.authority_list, name="authorities"),
    path("authorities/new/", views.authority_create, name="authority_create"),
    path("authorities/<int:authority_id>/", views.authority_edit, name="authority_edit"),
]
