"""The navigation bar's search from the keyboard (issue #11): type, the grouped hits drop
down, ↓ to the first hit, Enter opens the record; Enter in the box opens the results page.
On a desktop and on a phone (where the box sits in the collapsed menu)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.grassroots.factories import PartyMemberFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_type_arrow_enter_opens_the_member(browser_page_for, world, phone):
    member = PartyMemberFactory(branch=world.branch_a1, name="赵明")
    PartyMemberFactory(branch=world.branch_b1, name="赵明远")  # outside the secretary's branch
    page = browser_page_for(world.user("secretary"), phone=phone)
    page.goto("/")
    if phone:
        page.locator(".navbar-toggler").click()
    box = page.locator("[data-search] input[name=q]")
    # when she types the initials
    box.fill("zhm")
    results = page.locator("#search-results")
    expect(results).to_be_visible()
    expect(results.locator("a.search-hit")).to_have_count(1)
    assert "赵明远" not in results.inner_text()
    # then ↓ and Enter open the member's page
    box.press("ArrowDown")
    expect(results.locator("a.search-hit").first).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert reverse("grassroots:member-detail", args=[member.pk]) in page.url
    # Escape closes the dropdown; Enter in the box opens the results page
    page.goto("/")
    if phone:
        page.locator(".navbar-toggler").click()
    box.fill("赵")
    expect(results).to_be_visible()
    box.press("Escape")
    expect(results).to_be_hidden()
    box.fill("赵")  # (Escape also empties a search box)
    with page.expect_navigation():
        box.press("Enter")
    assert reverse("search") in page.url
    expect(page.locator("main a.search-hit")).to_have_count(1)
