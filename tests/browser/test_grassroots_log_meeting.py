"""A branch secretary on a phone logs a meeting and sees the period's status change."""

import datetime
import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from grassroots.models import Meeting
from tests.grassroots.factories import PartyMemberFactory, ensure_requirements

pytestmark = pytest.mark.browser


def sign_in_sheet_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_secretary_logs_a_meeting_with_two_absences_and_a_photo(
    browser_page_for, world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    ensure_requirements()
    # given branch A1 with four full members and one probationary member
    for name in ("张三丰", "李四", "王五", "赵六"):
        PartyMemberFactory(branch=world.branch_a1, name=name)
    PartyMemberFactory(
        branch=world.branch_a1,
        name="钱七",
        stage="probationary",
        joined_on=datetime.date(2026, 3, 1),
    )
    page = browser_page_for(world.user("secretary"), phone=True)

    # the dashboard shows this quarter's general meeting as due
    page.goto("/grassroots/")
    general = page.locator('#period-status [data-kind="general"]')
    expect(general).to_have_attribute("data-status", "due")

    # when the secretary taps "log a meeting"
    page.locator("#log-meeting").click()
    # choosing the kind reloads that day's roster (htmx): wait for it before tapping
    with page.expect_response(lambda response: "/meetings/new/" in response.url):
        page.locator("#id_kind").select_option("general")
    rows = page.locator(".attendance-row")
    expect(rows).to_have_count(5)
    page.locator("#id_topic").fill("学习二十大精神")
    # present members are collapsed: a tap on the name opens the row's choices
    rows.filter(has_text="张三丰").locator("summary").click()
    rows.filter(has_text="钱七").locator("summary").click()
    # the touch targets are big enough and the page does not scroll sideways at 390px
    absent = rows.filter(has_text="张三丰").get_by_text("缺席", exact=True).last
    assert absent.bounding_box()["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # two absences with their reasons
    absent.click()
    rows.filter(has_text="张三丰").locator(".attendance-reason").fill("外出务工")
    rows.filter(has_text="钱七").get_by_text("请假", exact=True).last.click()
    rows.filter(has_text="钱七").locator(".attendance-reason").fill("生病住院")
    page.locator("#id_attachments").set_input_files(
        files=[{"name": "签到表.png", "mimeType": "image/png", "buffer": sign_in_sheet_png()}]
    )
    page.locator("#save-meeting").click()

    # then the branch page shows the general meeting as met for this period
    page.wait_for_url(f"**/grassroots/branches/{world.branch_a1.pk}/")
    general = page.locator('#period-status [data-kind="general"]')
    assert general.get_attribute("data-status") == "met"
    meeting = Meeting.objects.get()
    assert (meeting.present_count, meeting.due_count, meeting.is_valid) == (3, 5, True)
    assert set(meeting.attendances.exclude(status="present").values_list("reason", flat=True)) == {
        "外出务工",
        "生病住院",
    }
    assert meeting.attachments.count() == 1
