"""The 30-member meeting form on a phone (#14): present members collapsed to a line each, a
tap opens a row to mark an absence or leave, one reason serves several absentees, and an
error sent back by the server stands beside its row."""

import pytest
from playwright.sync_api import expect

from grassroots.models import Meeting
from tests.grassroots.factories import PartyMemberFactory, ensure_requirements

pytestmark = pytest.mark.browser

NAMES = [f"党员{n:02d}" for n in range(30)]


def test_thirty_members_on_a_phone(browser_page_for, world):
    ensure_requirements()
    for name in NAMES:
        PartyMemberFactory(branch=world.branch_a1, name=name)
    page = browser_page_for(world.user("secretary"), phone=True)
    page.goto(f"/grassroots/branches/{world.branch_a1.pk}/meetings/new/")
    rows = page.locator(".attendance-row")
    expect(rows).to_have_count(30)
    # collapsed: no choice buttons showing, and the whole roster is short on a phone
    expect(page.locator(".attendance-row .btn-group:visible")).to_have_count(0)
    roster_height = page.locator("#attendance").bounding_box()["height"]
    assert roster_height < 30 * 60 + 300, roster_height
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.locator("#id_topic").fill("学习党章")
    # three absences
    for name in (NAMES[3], NAMES[7], NAMES[20]):
        row = rows.filter(has_text=name)
        row.locator("summary").click()
        absent = row.get_by_text("缺席", exact=True).last
        assert absent.bounding_box()["height"] >= 44
        absent.click()
        expect(row.locator("summary")).to_contain_text("缺席")
    # only the first has a reason of their own; the shared reason is left empty
    rows.filter(has_text=NAMES[3]).locator(".attendance-reason").fill("生病住院")
    page.locator("#save-meeting").click()

    # then the server answers with each error beside its row, those rows open, nothing saved
    errors = page.locator(".row-error")
    expect(errors).to_have_count(2)
    for name in (NAMES[7], NAMES[20]):
        expect(rows.filter(has_text=name).locator(".row-error")).to_be_visible()
    expect(rows.filter(has_text=NAMES[3]).locator(".row-error")).to_have_count(0)
    expect(page.locator("#attendance-errors")).to_be_visible()
    assert not Meeting.objects.exists()

    # when one shared reason is given for the two, the meeting is saved
    page.locator("#reason-all").fill("外出务工")
    page.locator("#save-meeting").click()
    page.wait_for_url(f"**/grassroots/branches/{world.branch_a1.pk}/")
    meeting = Meeting.objects.get()
    reasons = dict(
        meeting.attendances.exclude(status="present").values_list("member__name", "reason")
    )
    assert reasons == {NAMES[3]: "生病住院", NAMES[7]: "外出务工", NAMES[20]: "外出务工"}
    assert (meeting.present_count, meeting.due_count) == (27, 30)
