"""Under the strict Content-Security-Policy the pages still behave (behaviour comes from
static/js/portal.js through data- attributes), and a violation is caught by the watch every
browser test runs under (tests/browser/conftest.py)."""

import pytest
from django.urls import reverse

from supervision.models import Category
from tests.cadres.factories import make_cadre
from tests.supervision.factories import ComplaintFactory

pytestmark = pytest.mark.browser


def test_inline_code_is_refused_and_the_watch_reports_it(browser_page_for, world, csp_violations):
    # given a page of the portal
    page = browser_page_for(world.user("staff"))
    page.goto("/")
    assert csp_violations == []
    # when markup with an inline handler, an inline style and an inline script is injected
    page.evaluate(
        """() => {
            document.body.insertAdjacentHTML("beforeend",
                '<img src="/static/none.png" onerror="window.ran = 1">'
                + '<div id="styled" style="width: 123px">x</div>');
            const script = document.createElement("script");
            script.textContent = "window.ran = 2";
            document.body.append(script);
        }"""
    )
    page.wait_for_timeout(300)
    # then none of it ran or applied, and each refusal was reported
    assert page.evaluate("window.ran") is None
    assert page.evaluate("getComputedStyle(document.getElementById('styled')).width") != "123px"
    reported = " ".join(csp_violations)
    assert "script-src" in reported and "style-src" in reported
    csp_violations.clear()  # seen and asserted: this test's teardown must not fail on them


def test_tabs_filters_bars_and_print_work_without_inline_code(browser_page_for, world):
    staff = world.user("staff")
    cadre = make_cadre(world.township_a)
    page = browser_page_for(staff)
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; }")

    # the tab named in the address is shown (after a save the page comes back on it)
    page.goto(reverse("cadres:cadre-detail", args=[cadre.pk]) + "#posts")
    page.wait_for_selector("#posts.show.active")
    assert page.locator("#basic").is_hidden()

    # the print button prints
    page.goto(reverse("cadres:cadre-print", args=[cadre.pk]))
    page.locator("[data-print]").click()
    assert page.evaluate("window.printed") == 1

    # choosing a stage filters the appointments at once (no button)
    page.goto(reverse("cadres:appointment-list"))
    with page.expect_navigation():
        page.select_option("select[name=stage]", "all")
    assert "stage=all" in page.url


def test_statistics_bars_are_as_wide_as_their_share(browser_page_for, world):
    supervisor = world.user("supervisor")
    for category in (Category.FORMALISM, Category.FORMALISM, Category.FORMALISM, Category.HEDONISM):
        ComplaintFactory(
            receiver=supervisor, subject_organization=world.branch_a1, category=category
        )
    page = browser_page_for(supervisor)
    page.goto(reverse("supervision:complaint-statistics"))
    bars = page.locator("#by-category .progress-bar")
    widths = sorted(
        bars.nth(i).evaluate(
            "bar => bar.getBoundingClientRect().width / bar.parentElement.getBoundingClientRect().width"
        )
        for i in range(bars.count())
    )
    assert [round(width, 2) for width in widths] == [0.25, 0.75]


def test_the_admin_runs_under_the_policy(browser_page_for, world):
    # Django's admin ships no inline code: its pages, widgets included, raise no violation
    # (the watch fails the test otherwise).
    page = browser_page_for(world.user("admin"))
    for url in ("/admin/", "/admin/grassroots/meetingattachment/add/", "/admin/portal/user/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
    assert page.locator("#content").is_visible()
