"""Users an administrator (or an import) creates choose their own password at first sign-in."""

import pytest
from django.test import Client
from django.urls import reverse

from portal import services
from portal.models import User
from portal.roles import Role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "my-own-password-2026"


def test_a_user_created_in_the_admin_must_change_the_password_first(client_as, world):
    # given an administrator who creates a user with a password they chose
    response = client_as("admin").post(
        reverse("admin:portal_user_add"),
        {
            "username": "newclerk",
            "usable_password": "true",
            "password1": "set-by-admin-2026",
            "password2": "set-by-admin-2026",
            "full_name": "新同事",
            "role": Role.SECRETARY,
            "organization": world.branch_a1.pk,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newclerk")
    assert user.must_change_password
    assert user.full_name == "新同事"
    assert user.organization == world.branch_a1

    # when the new user signs in, every page leads to the password form
    client = Client()
    client.post(reverse("login"), {"username": "newclerk", "password": "set-by-admin-2026"})
    for url in [reverse("home"), reverse("grassroots:index"), reverse("reminders:preferences")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("password_change"), url
    page = client.get(reverse("password_change")).content.decode()
    assert "您的密码是管理员设定的" in page

    # then, once they chose their own, they are free
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "set-by-admin-2026",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("grassroots:index")).status_code == 200


def test_the_service_for_imports_flags_the_user_by_default(world):
    user = services.user_create(
        username="imported", password="from-the-file-2026", role=Role.HELPER
    )
    assert user.must_change_password
    assert user.check_password("from-the-file-2026")
    assert not User.objects.get(username="imported").two_factor_enabled


def test_a_password_an_administrator_sets_must_be_changed_too(client_as, world):
    secretary = world.user("secretary")
    response = client_as("admin").post(
        reverse("admin:auth_user_password_change", args=[secretary.pk]),
        {
            "usable_password": "true",
            "password1": "reset-by-admin-2026",
            "password2": "reset-by-admin-2026",
        },
    )
    assert response.status_code == 302
    secretary.refresh_from_db()
    assert secretary.must_change_password
    assert secretary.check_password("reset-by-admin-2026")


def test_signing_out_stays_possible_before_the_change(world):
    services.user_password_set(
        user=world.user("leader"), password="set-by-admin-2026", chosen_by_user=False
    )
    client = Client()
    client.post(reverse("login"), {"username": "leader", "password": "set-by-admin-2026"})
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
