"""A secretary sees the bell's count rise after a sweep, opens the notification and lands
on the record (at a phone's width)."""

import dataclasses
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

import portal.deadlines
from portal.deadlines import registry
from portal.reminders.services import reminders_deliver, reminders_sweep
from tests.reminders.deadlines import BRANCH
from tests.reminders.factories import branch_item, secretary_of

pytestmark = pytest.mark.browser


@pytest.fixture
def branch_deadline(monkeypatch):
    """The test deadline "a branch is due", linking to the grassroots branch page."""
    registry()
    deadline = dataclasses.replace(
        BRANCH, url=lambda item_key: reverse("grassroots:branch-detail", args=[int(item_key)])
    )
    monkeypatch.setattr(portal.deadlines, "_REGISTRY", {deadline.key: deadline})


def test_the_bell_rises_after_a_sweep_and_leads_to_the_record(
    browser_page_for, world, branch_deadline
):
    today = timezone.localdate()
    # given a branch whose deadline is three days away, and its secretary on her phone
    branch = branch_item(world.township_a, today + timedelta(days=3), name="青山村党支部")
    secretary = secretary_of(branch)
    page = browser_page_for(secretary, phone=True)
    page.goto("/")
    bell = page.locator("#notification-bell")
    expect(bell).to_be_visible()
    expect(page.get_by_test_id("unread-count")).to_have_count(0)

    # when the sweep and delivery run, and she reloads the page
    reminders_sweep(today=today)
    reminders_deliver()
    page.reload()

    # then the bell shows one unread notification
    expect(page.get_by_test_id("unread-count")).to_have_text(re.compile(r"^1"))

    # and opening it takes her to the branch's page, and the bell is quiet again
    bell.click()
    page.get_by_role("button", name=branch.name).click()
    expect(page).to_have_url(re.compile(rf"/grassroots/branches/{branch.pk}/$"))
    expect(page.get_by_role("heading", name="青山村党支部").first).to_be_visible()
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
