"""The runbook's secret rotations (docs/operations.md): SECRET_KEY with its fallbacks, and
revoking calendar links."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.roles import Role
from tests.factories import UserFactory

OLD = "old-secret-key-0123456789-0123456789-0123456789-0123456789"
NEW = "new-secret-key-9876543210-9876543210-9876543210-9876543210"


def test_a_new_secret_key_with_the_old_one_as_fallback_keeps_users_signed_in(world, settings):
    from django.test import Client

    # given two users signed in under the old key
    settings.SECRET_KEY = OLD
    active, away = Client(), Client()
    active.force_login(world.user(Role.STAFF))
    away.force_login(world.user(Role.LEADER))
    assert active.get("/").status_code == 200
    # when the key is rotated with the old one kept as a fallback, sessions hold (and a
    # session that comes back is moved onto the new key)
    settings.SECRET_KEY = NEW
    settings.SECRET_KEY_FALLBACKS = [OLD]
    assert active.get("/").status_code == 200
    # once the fallback is removed, the session that came back stays; the one that did not
    # come back during the window ends, and its user signs in again
    settings.SECRET_KEY_FALLBACKS = []
    assert active.get("/").status_code == 200
    response = away.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def feed(client, token):
    return client.get(reverse("reminders:calendar-feed", kwargs={"token": token}))


@pytest.mark.django_db
def test_revoking_every_calendar_link(client, capsys):
    users = [UserFactory(username=f"u{n}") for n in range(3)]
    old = [user.calendar_token for user in users]
    assert all(feed(client, token).status_code == 200 for token in old)
    call_command("revoke_calendar_tokens")
    assert "Revoked the calendar links of 3 users." in capsys.readouterr().out
    # every old link stops working; each user has a new one that works
    assert all(feed(client, token).status_code == 404 for token in old)
    for user in users:
        user.refresh_from_db()
        assert user.calendar_token not in old
        assert feed(client, user.calendar_token).status_code == 200
    assert len({user.calendar_token for user in users}) == 3


@pytest.mark.django_db
def test_revoking_one_users_link_leaves_the_others(client):
    one, other = UserFactory(username="one"), UserFactory(username="other")
    call_command("revoke_calendar_tokens", "--user", "one")
    assert feed(client, one.calendar_token).status_code == 404
    assert feed(client, other.calendar_token).status_code == 200
    with pytest.raises(CommandError, match="No such user: nobody"):
        call_command("revoke_calendar_tokens", "--user", "nobody")
