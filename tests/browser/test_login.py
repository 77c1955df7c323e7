"""A person logs in on a phone, finds their areas in the menu, switches language, logs out."""

import re

import pytest
from playwright.sync_api import expect

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
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
        expect(page.get_by_role("heading", name="登录")).to_be_visible()

        # when the secretary logs in
        page.fill("input[name=username]", "secretary")
        page.fill("input[name=password]", "pw-for-tests-1")
        page.get_by_role("button", name="登录").click()

        # then they land where they were going, and the menu offers grassroots only
        expect(page).to_have_url(f"{live_server.url}/grassroots/")
        page.get_by_role("button", name="菜单").click()
        menu = page.locator("#mainnav")
        expect(menu.get_by_role("link", name="基层党建")).to_be_visible()
        expect(menu.get_by_role("link", name="干部")).to_have_count(0)

        # and English is one tap away
        page.get_by_role("button", name="English").click()
        expect(page.get_by_role("button", name="Menu")).to_be_visible()
        page.get_by_role("button", name="Menu").click()
        expect(page.locator("#mainnav").get_by_role("link", name="Grassroots")).to_be_visible()
    finally:
        context.close()


def test_wrong_password_says_so_and_stays_on_the_login_page(browser, live_server, world):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", "staff")
        page.fill("input[name=password]", "wrong")
        page.get_by_role("button", name="登录").click()
        # Django's own words, in Chinese: a correct user name and password, case-sensitive
        expect(
            page.get_by_text("请输入一个正确的用户名和密码。注意，两者都区分大小写。")
        ).to_be_visible()
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
        expect(page.locator("input[name=username]")).to_have_value("staff")
    finally:
        context.close()
