"""A person logs in on a phone, finds their areas in the menu, switches language, logs out."""

import pytest

from tests.conftest import BROWSER_TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_logs_in_on_a_phone_and_sees_only_grassroots(browser, live_server, world):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    try:
        # given the login page, in Chinese by default
        page.goto(f"{live_server.url}/grassroots/")
        assert "/accounts/login/" in page.url
        assert page.get_by_role("heading", name="登录").is_visible()

        # when the secretary logs in
        page.fill("input[name=username]", "secretary")
        page.fill("input[name=password]", "pw-for-tests-1")
        page.get_by_role("button", name="登录").click()

        # then they land where they were going, and the menu offers grassroots only
        page.wait_for_url(f"{live_server.url}/grassroots/")
        page.get_by_role("button", name="菜单").click()
        menu = page.locator("#mainnav")
        assert menu.get_by_role("link", name="基层党建").is_visible()
        assert menu.get_by_role("link", name="干部").count() == 0

        # and English is one tap away
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
        page.get_by_role("button", name="Menu").click()
        assert page.locator("#mainnav").get_by_role("link", name="Grassroots").is_visible()
    finally:
        context.close()


def test_wrong_password_says_so_and_stays_on_the_login_page(browser, live_server, world):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "staff")
        page.fill("input[name=password]", "wrong")
        page.get_by_role("button", name="登录").click()
        assert "/accounts/login/" in page.url
        assert page.locator(".alert, .invalid-feedback, .errorlist").first.is_visible()
    finally:
        context.close()
