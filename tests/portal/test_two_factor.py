"""Two-factor sign-in: who must have it, enrolment with a QR code, the code step, recovery
codes, an administrator's reset, and what development and production require."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal import services
from portal.roles import Role
from portal.signin import twofactor

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "pw-for-tests-1"
WRONG_CODE = "验证码不正确"


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA = True


def code_for(device: TOTPDevice, *, steps_back: int = 0) -> str:
    """The code the user's authenticator app shows now, computed from the device's key."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, drift=-steps_back)
    return f"{value:0{device.digits}d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """Enrol `user` through the service, as the set-up page does (with the previous step's
    code, so that the current one is still unused for signing in)."""
    key = twofactor.new_key()
    pending = twofactor.enrolment_device(user, key)
    return services.two_factor_enrol(user=user, key=key, code=code_for(pending, steps_back=1))


def sign_in(client, username):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def test_who_must_have_a_second_factor(world, require_2fa):
    required = {role for role in Role if twofactor.required_for(world.user(role))}
    # administrators, everyone who may reveal ID numbers, the supervision office
    assert required == {Role.ADMIN, Role.STAFF, Role.SUPERVISOR}


def test_in_development_nobody_must_unless_require_2fa(world, settings):
    settings.REQUIRE_2FA = False
    assert not any(twofactor.required_for(world.user(role)) for role in Role)


def test_an_enrolled_administrator_signs_in_through_the_second_step(client, world, require_2fa):
    admin = world.user("admin")
    device, _ = enrol(admin)

    # the password step leads to the code step, keeping where they were going
    response = client.post(
        reverse("login") + "?next=/grassroots/",
        {"username": "admin", "password": PASSWORD, "next": "/grassroots/"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("signin:two-factor-verify"))
    # until the code is given, every page leads back to it
    assert client.get(reverse("home"))["Location"].startswith(reverse("signin:two-factor-verify"))
    assert client.get(reverse("admin:index"))["Location"].startswith(
        reverse("signin:two-factor-verify")
    )
    page = client.get(response["Location"])
    assert "输入验证码" in page.content.decode()

    # with the code from the app, they are in, where they were going
    response = client.post(
        reverse("signin:two-factor-verify"), {"code": code_for(device), "next": "/grassroots/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/grassroots/"
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_code_is_refused_with_a_message_in_chinese(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no wait between tries in this test
    device, _ = enrol(world.user("staff"))
    sign_in(client, "staff")

    response = client.post(reverse("signin:two-factor-verify"), {"code": "000000"})

    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    # the right one still works
    client.post(reverse("signin:two-factor-verify"), {"code": code_for(device)})
    assert client.get(reverse("home")).status_code == 200


def test_wrong_codes_in_a_row_make_the_next_try_wait(client, world):
    device, _ = enrol(world.user("staff"))
    sign_in(client, "staff")
    client.post(reverse("signin:two-factor-verify"), {"code": "000000"})
    # right after a failure, even the right code must wait (django-otp's throttling)
    response = client.post(reverse("signin:two-factor-verify"), {"code": code_for(device)})
    assert "请等待一分钟" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_a_recovery_code_works_once(client, world):
    _, codes = enrol(world.user("staff"))
    sign_in(client, "staff")

    response = client.post(reverse("signin:two-factor-verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert StaticToken.objects.filter(token=codes[0]).count() == 0
    client.post(reverse("logout"))

    sign_in(client, "staff")
    response = client.post(reverse("signin:two-factor-verify"), {"code": codes[0]})
    assert WRONG_CODE in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_a_user_who_must_and_has_not_is_sent_to_enrol_after_the_password(
    client, world, require_2fa
):
    supervisor = world.user("supervisor")
    response = sign_in(client, "supervisor")
    assert response["Location"].startswith(reverse("signin:two-factor-setup"))
    # nothing else opens before enrolment
    assert client.get(reverse("supervision:index"))["Location"].startswith(
        reverse("signin:two-factor-setup")
    )

    # the set-up page draws the QR code itself and shows the key for typing
    page = client.get(reverse("signin:two-factor-setup")).content.decode()
    assert "<svg" in page
    assert "设置两步验证" in page
    key = client.session["portal_2fa_pending_key"]
    pending = twofactor.enrolment_device(supervisor, key)
    assert twofactor.secret_for_typing(pending) in page
    assert not TOTPDevice.objects.filter(user=supervisor).exists()  # opening saved nothing

    # a wrong code does not enrol
    response = client.post(reverse("signin:two-factor-setup"), {"code": "000000"})
    assert WRONG_CODE in response.content.decode()

    # the right one does, and the recovery codes are shown once
    response = client.post(reverse("signin:two-factor-setup"), {"code": code_for(pending)})
    page = response.content.decode()
    assert "恢复码" in page
    codes = list(
        StaticToken.objects.filter(device__user=supervisor).values_list("token", flat=True)
    )
    assert len(codes) == 10
    assert all(code in page for code in codes)
    supervisor.refresh_from_db()
    assert supervisor.two_factor_enabled
    assert client.get(reverse("supervision:index")).status_code == 200
    # shown once: the two-factor page counts them, it does not show them again
    status = client.get(reverse("signin:two-factor")).content.decode()
    assert "剩余 10 个恢复码" in status
    assert not any(code in status for code in codes)


def test_others_sign_in_with_the_password_alone_and_may_enrol(client, world, require_2fa):
    helper = world.user("helper")
    response = sign_in(client, "helper")
    assert response["Location"] == reverse("home")
    # the preferences page offers the second factor
    page = client.get(reverse("reminders:preferences")).content.decode()
    assert reverse("signin:two-factor-setup") in page

    client.get(reverse("signin:two-factor-setup"))
    pending = twofactor.enrolment_device(helper, client.session["portal_2fa_pending_key"])
    client.post(reverse("signin:two-factor-setup"), {"code": code_for(pending, steps_back=1)})
    client.post(reverse("logout"))

    # once enrolled, the code is asked for at every sign-in
    response = sign_in(client, "helper")
    assert response["Location"].startswith(reverse("signin:two-factor-verify"))
    client.post(
        reverse("signin:two-factor-verify"),
        {"code": code_for(TOTPDevice.objects.get(user=helper))},
    )
    assert client.get(reverse("home")).status_code == 200

    # and they may turn it off again; a required role may not
    client.post(reverse("signin:two-factor-disable"))
    helper.refresh_from_db()
    assert not helper.two_factor_enabled
    assert not TOTPDevice.objects.filter(user=helper).exists()


def test_a_required_role_cannot_turn_it_off(client, world, require_2fa):
    staff = world.user("staff")
    device, _ = enrol(staff)
    sign_in(client, "staff")
    client.post(reverse("signin:two-factor-verify"), {"code": code_for(device)})

    response = client.post(reverse("signin:two-factor-disable"), follow=True)

    assert "无法关闭" in response.content.decode()
    staff.refresh_from_db()
    assert staff.two_factor_enabled


def test_a_password_alone_cannot_replace_the_second_factor(client, world):
    # given someone who has the password of an enrolled user, but not the phone
    enrol(world.user("staff"))
    sign_in(client, "staff")
    # when they try to set up their own authenticator
    response = client.get(reverse("signin:two-factor-setup"))
    # then they are asked for the code first
    assert response["Location"].startswith(reverse("signin:two-factor-verify"))


def test_an_administrator_resets_a_lost_second_factor(client, world, require_2fa):
    staff = world.user("staff")
    enrol(staff)
    # the administrator has passed their own second step
    admin_client = Client()
    admin_device, _ = enrol(world.user("admin"))
    sign_in(admin_client, "admin")
    admin_client.post(reverse("signin:two-factor-verify"), {"code": code_for(admin_device)})

    response = admin_client.post(
        reverse("admin:portal_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [staff.pk]},
        follow=True,
    )

    assert "已为 1 位用户重置两步验证" in response.content.decode()
    staff.refresh_from_db()
    assert not staff.two_factor_enabled
    assert not TOTPDevice.objects.filter(user=staff).exists()
    event = staff.security_events.get(pgh_label="two_factor_reset")
    assert event.pgh_context.metadata["user"] == world.user("admin").pk
    # the user's next sign-in leads to setting it up again
    assert sign_in(client, "staff")["Location"].startswith(reverse("signin:two-factor-setup"))


def test_the_device_pages_are_not_in_the_admin(client_as):
    page = client_as("admin").get(reverse("admin:index")).content.decode()
    assert "otp_totp" not in page
    assert "otp_static" not in page


def _require_2fa_setting(**env) -> str:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"REQUIRE_2FA", "PORTAL_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.REQUIRE_2FA)",
        ],
        env={**base, "DJANGO_SETTINGS_MODULE": "portal.settings", "DEMO_PASSWORD": "", **env},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_required_by_default_in_production_and_only_on_request_in_development():
    production = {"PORTAL_ENV": "production", "SECRET_KEY": "x" * 50}
    assert _require_2fa_setting(**production) == "True"
    assert _require_2fa_setting(PORTAL_ENV="development") == "False"
    assert _require_2fa_setting(PORTAL_ENV="development", REQUIRE_2FA="true") == "True"
