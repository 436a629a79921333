"""User accounts: administrators add users and change their access; bad input is explained."""

from __future__ import annotations

import pytest
from django.urls import reverse

from workforce.core.models import User, UserRole

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def test_only_administrators_see_users(client, personas):
    for name, user in personas.all().items():
        response = signed_in(client, user).get(reverse("users"))
        assert response.status_code == (200 if name == "admin" else 403), name


def test_users_list_shows_only_this_authority(client, personas):
    page = signed_in(client, personas.admin).get(reverse("users")).content.decode()
    assert "tariq" in page and "otto" not in page


def test_admin_adds_a_team_manager_for_a_team(client, personas):
    response = signed_in(client, personas.admin).post(
        reverse("user_create"),
        {
            "username": "newtm",
            "first_name": "Nia",
            "last_name": "New",
            "email": "",
            "role": UserRole.TEAM_MANAGER,
            "teams": [personas.own_team.pk],
            "password": "a-long-demo-passphrase",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newtm")
    assert user.authority == personas.admin.authority
    assert list(user.managed_teams.all()) == [personas.own_team]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"username": "tariq"}, "username", "already taken"),
        ({"teams": []}, "teams", "needs at least one team"),
        ({"password": "123"}, "password", "too short"),
        ({"role": "emperor"}, "role", "Choose the role from the list"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(client, personas, change, field, message):
    data = {
        "username": "x1",
        "first_name": "X",
        "last_name": "Y",
        "email": "",
        "role": UserRole.TEAM_MANAGER,
        "teams": [personas.own_team.pk],
        "password": "a-long-demo-passphrase",
    }
    data.update(change)
    response = signed_in(client, personas.admin).post(reverse("user_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="x1").exists()


def test_admin_cannot_lock_themselves_out(client, personas):
    url = reverse("user_access", args=[personas.admin.pk])
    response = signed_in(client, personas.admin).post(url, {"role": UserRole.BOARD_MEMBER})
    assert "lock yourself out" in response.content.decode()
    personas.admin.refresh_from_db()
    assert personas.admin.role == UserRole.ADMIN


def test_deactivating_a_user_keeps_them(client, personas):
    url = reverse("user_access", args=[personas.hr.pk])
    signed_in(client, personas.admin).post(url, {"role": UserRole.HR_OFFICER})
    personas.hr.refresh_from_db()
    assert personas.hr.is_active is False


def test_a_user_of_another_authority_is_not_found(client, personas):
    url = reverse("user_access", args=[personas.outsider.pk])
    assert signed_in(client, personas.admin).get(url).status_code == 404
