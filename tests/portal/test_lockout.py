"""Sign-in lockout after repeated failures, its cool-off and unlock; the password-reset limit."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"
LOCKED = "登录失败次数过多"


def sign_in(client, username, password, address="198.51.100.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("home")


def test_five_failures_for_a_username_lock_it_with_a_message_in_chinese(client, world):
    for _ in range(4):
        response = sign_in(client, "staff", "wrong")
        assert response.status_code == 200
        assert LOCKED not in response.content.decode()
    # the fifth failure locks the username
    response = sign_in(client, "staff", "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert "15 分钟" in page
    # now even the right password is refused, from any address
    response = sign_in(client, "staff", PASSWORD, address="203.0.113.50")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    # another user signs in as usual
    assert signed_in(sign_in(client, "leader", PASSWORD))


def test_twenty_failures_from_one_address_lock_the_address(client, world):
    address = "198.51.100.20"
    # given failures spread over many usernames (a password spray), four each
    statuses = [
        sign_in(client, f"nobody{n}", "wrong", address).status_code
        for n in range(5)
        for _ in range(4)
    ]
    # then the twentieth locks the address, whatever the username
    assert statuses == [200] * 19 + [429]
    response = sign_in(client, "staff", PASSWORD, address)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    # while the same user signs in from elsewhere
    assert signed_in(sign_in(client, "staff", PASSWORD, "203.0.113.9"))


@pytest.mark.parametrize("login_url", ["login", "admin:login"])
def test_an_over_long_username_is_a_failed_sign_in_not_an_error(client, world, login_url):
    # The attempt log's username column holds 255 characters; the name typed may be longer.
    name = "长" * 3000
    url = reverse(login_url)
    for _ in range(4):
        response = client.post(url, {"username": name, "password": "wrong"})
        assert response.status_code == 200
    # counted like any failure (cut to the column): the fifth locks that name
    response = client.post(url, {"username": name, "password": "wrong"})
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert AccessAttempt.objects.get().username == name[:255]


def test_a_successful_sign_in_resets_the_count(client, world):
    for _ in range(4):
        sign_in(client, "staff", "wrong")
    assert signed_in(sign_in(client, "staff", PASSWORD))
    client.logout()
    # four more failures do not lock: the count started again
    for _ in range(4):
        assert sign_in(client, "staff", "wrong").status_code == 200
    assert signed_in(sign_in(client, "staff", PASSWORD))


def test_the_lockout_ends_after_the_cool_off(client, world, settings):
    for _ in range(5):
        sign_in(client, "staff", "wrong")
    assert sign_in(client, "staff", PASSWORD).status_code == 429
    # when the cool-off (15 minutes by default) has passed since the last failure
    past = datetime.timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES, seconds=1)
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - past)
    assert signed_in(sign_in(client, "staff", PASSWORD))


def test_an_administrator_unlocks_a_user_from_the_admin(client, client_as, world):
    for _ in range(5):
        sign_in(client, "staff", "wrong")
    assert sign_in(client, "staff", PASSWORD).status_code == 429

    admin = client_as("admin")
    response = admin.post(
        reverse("admin:portal_user_changelist"),
        {"action": "unlock_signin", "_selected_action": [world.user("staff").pk]},
        follow=True,
    )
    assert "已为 1 位用户解除登录锁定" in response.content.decode()
    admin.logout()

    assert signed_in(sign_in(client, "staff", PASSWORD))
    assert world.user("staff").security_events.filter(pgh_label="signin_unlocked").count() == 1


def test_locked_out_attempts_are_listed_in_the_admin(client, client_as, world):
    for _ in range(5):
        sign_in(client, "staff", "wrong")
    page = client_as("admin").get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200
    assert "staff" in page.content.decode()


# --- password reset ------------------------------------------------------------------------


@pytest.fixture
def _clean_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.mark.usefixtures("_clean_limits")
def test_password_reset_requests_are_limited_per_e_mail_address(client, world):
    user = UserFactory(username="reset-me", email="reset-me@example.test")
    url = reverse("password_reset")
    for _ in range(3):
        response = client.post(url, {"email": user.email})
        assert response.status_code == 302
    assert len(mail.outbox) == 3
    # the fourth within the hour is refused, with a message, and sends nothing
    response = client.post(url, {"email": user.email.upper()})
    assert response.status_code == 429
    assert "密码重置请求过多" in response.content.decode()
    assert len(mail.outbox) == 3


@pytest.mark.usefixtures("_clean_limits")
def test_password_reset_requests_are_limited_per_address(client, world):
    url = reverse("password_reset")
    statuses = [
        client.post(url, {"email": f"someone{n}@example.test"}, REMOTE_ADDR="198.51.100.7")
        for n in range(11)
    ]
    assert [r.status_code for r in statuses] == [302] * 10 + [429]
    # another address is not affected
    assert client.post(url, {"email": "x@example.test"}).status_code == 302
