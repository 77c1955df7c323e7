"""A secretary on a phone moves a development target to the next stage: the button names the
stage, the date has its label and today's date, and nothing happens without a confirmation."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from grassroots.models import PartyMember
from tests.grassroots.factories import PartyMemberFactory

pytestmark = pytest.mark.browser


def test_admitting_a_target_names_the_stage_and_asks_first(browser_page_for, world):
    today = timezone.localdate()
    target = PartyMemberFactory(
        branch=world.branch_a1,
        name="孙八",
        stage="target",
        applied_on=today - datetime.timedelta(days=900),
        activist_on=today - datetime.timedelta(days=800),
        target_on=today - datetime.timedelta(days=300),
        training_days=3,
    )
    page = browser_page_for(world.user("secretary"), phone=True)
    page.goto(f"/grassroots/members/{target.pk}/")

    button = page.locator("#advance-button")
    expect(button).to_have_text("转为预备党员")
    date = page.get_by_label("决定日期")
    expect(date).to_have_value(today.isoformat())
    # the whole form fits a 390 px phone and the button is a full-width touch target
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert button.bounding_box()["height"] >= 44

    # when the secretary taps, then declines: nothing changes, the button stays usable
    questions = []

    def decline(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    button.click()
    expect(button).to_be_enabled()
    assert "孙八" in questions[0] and "转为预备党员" in questions[0]
    assert today.isoformat() in questions[0]
    assert PartyMember.objects.get(pk=target.pk).stage == "target"

    # when a date is chosen and the secretary confirms
    chosen = today - datetime.timedelta(days=2)
    date.fill(chosen.isoformat())

    def accept(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    button.click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert chosen.isoformat() in questions[1]
    person = PartyMember.objects.get(pk=target.pk)
    assert (person.stage, person.joined_on) == ("probationary", chosen)
    # and the next button names the step after
    expect(page.locator("#advance-button")).to_have_text("转为正式党员")


def test_a_refused_step_says_why(browser_page_for, world):
    today = timezone.localdate()
    target = PartyMemberFactory(
        branch=world.branch_a1,
        name="周九",
        stage="target",
        applied_on=today - datetime.timedelta(days=900),
        activist_on=today - datetime.timedelta(days=800),
        target_on=today - datetime.timedelta(days=300),
    )
    page = browser_page_for(world.user("secretary"), phone=True)
    page.goto(f"/grassroots/members/{target.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#advance-button").click()
    expect(page.locator(".alert-danger")).to_contain_text("24 学时")
    assert PartyMember.objects.get(pk=target.pk).stage == "target"
