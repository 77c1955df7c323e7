"""Sessions end after idling and after eight hours; a password change ends the others."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.signin.middleware import LAST_SEEN_AT, SIGNED_IN_AT

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"


def signed_in_client(username) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def age(client, key, seconds):
    """Move a session timestamp `seconds` into the past."""
    session = client.session
    session[key] -= seconds
    session.save()


def test_an_idle_session_ends_after_thirty_minutes(world):
    client = signed_in_client("staff")
    age(client, LAST_SEEN_AT, 29 * 60)
    assert client.get(reverse("home")).status_code == 200

    age(client, LAST_SEEN_AT, 31 * 60)
    response = client.get(reverse("home"), follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "您已 30 分钟没有操作，已自动退出登录" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302  # and stays signed out


def test_activity_keeps_the_session_alive(world):
    client = signed_in_client("staff")
    for _ in range(3):
        age(client, LAST_SEEN_AT, 20 * 60)
        assert client.get(reverse("home")).status_code == 200  # each request counts as activity


def test_the_idle_timeout_is_configurable(world, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    client = signed_in_client("staff")
    age(client, LAST_SEEN_AT, 6 * 60)
    response = client.get(reverse("home"), follow=True)
    assert "您已 5 分钟没有操作" in response.content.decode()


def test_a_session_ends_eight_hours_after_signing_in_however_active(world):
    client = signed_in_client("staff")
    age(client, SIGNED_IN_AT, 8 * 3600 + 1)
    response = client.get(reverse("home"), follow=True)
    assert "登录已满 8 小时" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_changing_the_password_signs_out_every_other_session(world):
    here = signed_in_client("staff")
    elsewhere = signed_in_client("staff")
    assert elsewhere.get(reverse("home")).status_code == 200

    response = here.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-password-2026",
            "new_password2": "a-new-long-password-2026",
        },
    )

    assert response.status_code == 302
    # this session goes on; the other one is signed out
    assert here.get(reverse("home")).status_code == 200
    other = elsewhere.get(reverse("home"))
    assert other.status_code == 302
    assert other["Location"].startswith(reverse("login"))
