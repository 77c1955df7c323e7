"""The office records a matter, prints the receipt, accepts, extends, replies and closes it;
the requester follows it at /track/ on a phone, without logging in."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal import dates
from supervision.models import Complaint, Status
from tests.browser.pickers import pick
from tests.conftest import PHONE_VIEWPORT, build_world


def submit(page, action: str, status: str | None = None) -> None:
    """Submit one action's form and wait for its result: the matter's new stage, or (an
    extension, offered once) the page back without that form."""
    page.locator(f"#action-{action} button[type=submit]").click()
    if status:
        expect(page.locator("#status")).to_have_text(status)
    else:
        expect(page.locator(f"#action-{action}")).to_have_count(0)


@pytest.mark.browser
def test_a_matter_from_intake_to_closing_followed_by_the_requester(
    browser_page_for, browser, live_server
):
    world = build_world()
    supervisor = world.user("supervisor")
    today = timezone.localdate()

    # --- the office records the matter -------------------------------------------------
    page = browser_page_for(supervisor, locale="en-US")
    page.goto("/supervision/")
    page.locator("a[href$='/complaints/new/']").first.click()
    page.select_option("select[name=channel]", "visit")
    page.select_option("select[name=category]", "formalism")
    pick(page, "id_subject_organization", "甲一", "甲镇 / 甲一村党支部")
    page.fill("input[name=summary]", "村里会议太多")
    page.fill("textarea[name=description]", "反映村支部每周召开多次会议，群众有意见。")
    page.fill("input[name=reporter_name]", "柳如烟")
    page.fill("input[name=reporter_contact]", "13611112222")
    page.locator("input[type=submit][name=submit]").click()

    # --- the receipt: tracking code, secret, promised dates -----------------------------
    page.wait_for_url("**/receipt/")
    code = page.locator("#tracking-code").inner_text().strip()
    secret = page.locator("#secret").inner_text().strip()
    # 15 days, moved to the next working day when the 15th is a rest day (DOMAIN.md)
    accept_due = dates.deadline(today, 15).isoformat()
    assert code.startswith(f"XF{today.year}-")
    assert accept_due in page.content()
    complaint = Complaint.objects.get(tracking_code=code)

    # --- accept, extend, assign, investigate, conclude, reply, close -------------------
    page.goto(f"/supervision/complaints/{complaint.pk}/")
    assert "柳如烟" not in page.content()  # masked until revealed
    page.check("#action-decide input[name=decide-accept][value='1']")
    submit(page, "decide", "Accepted")

    page.fill("input[name=extend-days]", "30")
    page.fill("textarea[name=extend-reason]", "需调取会议记录，延期办理。")
    page.select_option("select[name=extend-approved_by]", str(supervisor.pk))
    submit(page, "extend")
    reply_due = dates.deadline(today, 90).isoformat()
    expect(page.get_by_text(reply_due).first).to_be_visible()

    page.select_option("select[name=assign-handler]", str(supervisor.pk))
    submit(page, "assign", "Assigned")
    submit(page, "investigate", "Investigating")
    page.select_option("select[name=conclude-finding]", "partly")
    page.fill("textarea[name=conclude-findings]", "会议偏多情况部分属实，已督促整改。")
    submit(page, "conclude", "Concluded")
    page.fill("textarea[name=reply-reply]", "经核查，已督促该支部精简会议。")
    submit(page, "reply", "Replied")
    submit(page, "close", "Closed")
    assert Complaint.objects.get(pk=complaint.pk).status == Status.CLOSED

    # --- the requester, on a phone, without an account ----------------------------------
    context = browser.new_context(
        viewport=PHONE_VIEWPORT, is_mobile=True, locale="en-US", base_url=live_server.url
    )
    try:
        requester = context.new_page()
        requester.goto("/track/")
        requester.fill("input[name=code]", code.lower())
        requester.fill("input[name=secret]", secret)
        requester.locator("main button[type=submit]").click()
        expect(requester.locator("#track-status")).to_have_text("Closed")
        text = requester.content()
        assert today.isoformat() in text  # received, decided, replied, closed today
        assert "柳如烟" not in text and "会议太多" not in text
        assert requester.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        # the requester rates the handling
        requester.check("input[name=rating][value='5']")
        requester.locator("form[action$='/track/rate/'] button[type=submit]").click()
        expect(requester.get_by_text("Thank you for your rating.")).to_be_visible()
        assert Complaint.objects.get(pk=complaint.pk).rating == 5
    finally:
        context.close()
