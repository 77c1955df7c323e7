"""The organisation filter is a searchable picker: the office types part of a name, picks the
branch by its path and the list shows that branch's matters only."""

import pytest

from tests.browser.pickers import pick
from tests.conftest import build_world
from tests.factories import OrganizationFactory
from tests.supervision.factories import ComplaintFactory


@pytest.mark.browser
def test_type_pick_and_the_filter_applies(browser_page_for):
    world = build_world()
    office = world.user("supervisor")
    for n in range(30):
        OrganizationFactory(name=f"丙{n}村党支部", parent=world.township_b)
    ComplaintFactory(
        summary="甲一村的会议太多", subject_organization=world.branch_a1, receiver=office
    )
    ComplaintFactory(
        summary="乙一村的材料太多", subject_organization=world.branch_b1, receiver=office
    )

    page = browser_page_for(office)
    page.goto("/supervision/complaints/")
    page.locator("details summary").first.click()
    pick(page, "id_subject_organization", "甲一", "甲镇 / 甲一村党支部")
    page.locator("form:has(#id_subject_organization) button[type=submit]").click()
    page.wait_for_url(f"**subject_organization={world.branch_a1.pk}**")

    assert "甲一村的会议太多" in page.content()
    assert "乙一村的材料太多" not in page.content()
    # The chosen branch stays shown in the picker after the page reloads.
    assert "甲镇 / 甲一村党支部" in page.locator(".ts-control").first.inner_text()
