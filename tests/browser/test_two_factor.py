"""An officer of the supervision office signs in for the first time where two-factor sign-in
is required: password, set-up with the QR code on a phone, recovery codes, then the work;
the next sign-in asks for the code."""

from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.signin import twofactor
from tests.conftest import BROWSER_TIMEOUT_MS, PHONE_VIEWPORT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code(device, steps_back=0) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift=-steps_back):06d}"


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/supervision/")
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", "pw-for-tests-1")
    page.get_by_role("button", name="登录").click()


def test_first_sign_in_sets_up_the_second_factor_then_asks_for_it(
    browser, live_server, world, settings
):
    settings.REQUIRE_2FA = True
    context = browser.new_context(
        viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    try:
        # after the password, the set-up page with its QR code drawn in the page
        sign_in(page, live_server)
        page.wait_for_url("**/accounts/two-factor/setup/**")
        assert page.get_by_role("heading", name="设置两步验证").is_visible()
        assert page.locator("#two-factor-qr svg").is_visible()
        # the phone's app takes the key (read here from the page, as "cannot scan?" offers)
        secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")
        key = b32decode(secret + "=" * (-len(secret) % 8)).hex()
        device = twofactor.enrolment_device(world.user("supervisor"), key)
        page.fill("input[name=code]", code(device, steps_back=1))
        page.get_by_role("button", name="开启两步验证").click()

        # the recovery codes, once, then on to the page they wanted
        assert page.get_by_role("heading", name="您的恢复码").is_visible()
        assert page.locator("#recovery-codes li").count() == 10
        page.get_by_role("link", name="我已保存，继续").click()
        page.wait_for_url(f"{live_server.url}/supervision/")

        # the next sign-in (a new browser session) asks for the code from the app
        context.clear_cookies()
        sign_in(page, live_server)
        page.wait_for_url("**/accounts/two-factor/verify/**")
        assert page.get_by_role("heading", name="输入验证码").is_visible()
        page.fill("input[name=code]", code(TOTPDevice.objects.get(user__username="supervisor")))
        page.get_by_role("button", name="验证").click()
        page.wait_for_url(f"{live_server.url}/supervision/")
    finally:
        context.close()
