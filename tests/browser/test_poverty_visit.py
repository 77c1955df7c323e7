"""A helper on a phone logs a visit with a photo; the household leaves the overdue list."""

import datetime

import pytest
from django.utils import timezone
from PIL import Image

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
    assert late_row.locator(".overdue-badge").is_visible()
    # the overdue household is first: its visit was due longest ago
    assert page.locator("#my-households > li").first.get_attribute("data-household") == late.number

    late_row.locator("a.btn").click()
    page.locator("textarea[name=findings]").fill("户主身体好转，已按时服药。")
    page.locator("input[name=photos]").set_input_files(str(photo))
    page.locator("main button[type=submit]").click()

    page.wait_for_url("**/poverty/")
    late_row = page.locator(f"[data-household='{late.number}']")
    assert late_row.count() == 1
    assert late_row.locator(".overdue-badge").count() == 0
    assert not Pairing.objects.overdue(today).exists()
    assert VisitPhoto.objects.filter(visit__pairing__household=late).count() == 1
    # the page fits a phone: no horizontal scrolling
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
