"""A helper on a phone logs a visit with a photo; the household leaves the overdue list."""

import datetime
import re

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from poverty.models import Pairing, VisitPhoto
from tests.conftest import build_world
from tests.poverty.factories import make_cadre, make_household, make_pairing, make_village


@pytest.mark.browser
def test_helper_logs_a_visit_on_a_phone(browser_page_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    helper = world.user("helper")
    official = make_cadre(world.township_a, user=helper)
    village = make_village(world.branch_a1)
    today = timezone.localdate()
    late = make_household(village)
    make_pairing(late, official, start=today - datetime.timedelta(days=45))
    on_time = make_household(village)
    make_pairing(on_time, official, start=today - datetime.timedelta(days=3))
    photo = tmp_path / "visit.jpg"
    Image.new("RGB", (32, 32), "green").save(photo, "JPEG")

    page = browser_page_for(helper, phone=True, locale="en-US")
    page.goto("/poverty/")
    late_row = page.locator(f"[data-household='{late.number}']")
    expect(late_row.locator(".overdue-badge")).to_be_visible()
    # the overdue household is first: its visit was due longest ago
    expect(page.locator("#my-households > li").first).to_have_attribute(
        "data-household", late.number
    )

    late_row.locator("a.btn").click()
    page.locator("textarea[name=findings]").fill("户主身体好转，已按时服药。")
    page.locator("input[name=photos]").set_input_files(str(photo))
    page.locator("main button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/poverty/$"))
    late_row = page.locator(f"[data-household='{late.number}']")
    expect(late_row).to_have_count(1)
    expect(late_row.locator(".overdue-badge")).to_have_count(0)
    assert not Pairing.objects.overdue(today).exists()
    assert VisitPhoto.objects.filter(visit__pairing__household=late).count() == 1
    # the page fits a phone: no horizontal scrolling
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
