from django.contrib.auth import views as auth_views
from django.urls import path

from workforce.core import account, health, views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/", health.health, name="health"),
    path("account/", account.account, name="account"),
    path("account/password/", account.password_change, name="password_change"),
    path("account/two-factor/", account.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/set-up/", account.two_factor_set_up, name="two_factor_set_up"),
    path("account/two-factor/remove/", account.two_factor_remove, name="two_factor_remove"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/reads/", views.access_log, name="access_log"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:user_id>/", views.user_access, name="user_access"),
    path("users/<int:user_id>/unlock/", account.user_unlock, name="user_unlock"),
    path(
        "users/<int:user_id>/two-factor/remove/",
        account.user_two_factor_remove,
        name="user_two_factor_remove",
    ),
    path("authorities/", views.authority_list, name="authorities"),
    path("authorities/new/", views.authority_create, name="authority_create"),
    path("authorities/<int:authority_id>/", views.authority_edit, name="authority_edit"),
]
