"""The shared page frame as a user sees it: nothing pushes the page sideways on a phone, the
English navbar keeps to one line there, and the bell's unread count is not cut off at the
right edge of a desktop window."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.reminders.services import reminders_deliver, reminders_sweep
from portal.roles import Role
from tests.browser.test_reminders_bell import branch_deadline  # noqa: F401 - a fixture
from tests.reminders.factories import branch_item, secretary_of

pytestmark = pytest.mark.browser

SCROLL_WIDTH = "document.documentElement.scrollWidth"
CLIENT_WIDTH = "document.documentElement.clientWidth"


def test_a_plain_row_does_not_push_the_page_sideways_on_a_phone(browser_page_for, world):
    # given the secretary on her phone
    page = browser_page_for(world.user(Role.SECRETARY), phone=True)
    # when she opens the password page, whose form sits in a plain .row
    page.goto("/accounts/password_change/")
    # then the page is exactly as wide as the screen
    assert page.evaluate(SCROLL_WIDTH) == page.evaluate(CLIENT_WIDTH)


def test_the_english_navbar_keeps_to_one_line_on_a_phone(browser_page_for, world):
    # given the secretary on her phone, with the portal in English
    page = browser_page_for(world.user(Role.SECRETARY), phone=True, locale="en")
    page.goto("/")
    assert "Organization Department" in page.locator(".navbar-brand").inner_text()
    # then the brand and the bell share one line (not the brand above, the bell below)
    brand = page.locator(".navbar-brand").bounding_box()
    bell = page.locator("#notification-bell").bounding_box()
    assert bell["y"] < brand["y"] + brand["height"]


def test_the_unread_count_is_not_cut_off_on_a_desktop(
    browser_page_for,
    world,
    branch_deadline,  # noqa: F811 - the fixture imported above
):
    today = timezone.localdate()
    # given twelve branches a week overdue, escalated to the township's secretary, who thus
    # has a two-digit unread count, on a desktop screen
    for number in range(12):
        branch_item(world.township_a, today - timedelta(days=7), name=f"第{number}村党支部")
    secretary = secretary_of(world.township_a)
    reminders_sweep(today=today)
    reminders_deliver()
    page = browser_page_for(secretary)
    # when she opens the home page
    page.goto("/")
    # then the count badge lies wholly inside the window, and nothing scrolls sideways
    count = page.get_by_test_id("unread-count")
    assert count.inner_text().startswith("12")
    badge = count.bounding_box()
    assert badge["x"] + badge["width"] <= page.evaluate(CLIENT_WIDTH)
    assert page.evaluate(SCROLL_WIDTH) == page.evaluate(CLIENT_WIDTH)
