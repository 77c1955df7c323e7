"""Dashboards in Chromium (issue #11): every chart is drawn (its canvas has paint on it) from
the numbers its table shows, a click on a township's bar opens that township's dashboard, and
the page prints to A4 with the charts on it; at desktop and phone width, under the strict
Content-Security-Policy (any violation fails the test, tests/browser/conftest.py)."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.grassroots.factories import PartyMemberFactory, ensure_requirements

pytestmark = pytest.mark.browser

# For each [data-chart]: the painted pixels of its canvas, the numbers ECharts was given
# (per series) and the numbers of the table beside it (per row, one per series).
READ_CHARTS = """() => [...document.querySelectorAll("[data-chart]")].map((element) => {
  const chart = echarts.getInstanceByDom(element);
  const canvas = element.querySelector("canvas");
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted += 1; }
  const figure = element.closest("figure");
  const rows = [...figure.querySelectorAll("tbody tr")].map(
    (row) => [...row.querySelectorAll("td[data-value]")].map((cell) => Number(cell.dataset.value))
  ).filter((row) => row.length);
  const series = chart.getOption().series.map(
    (s) => s.data.map((point) => typeof point === "object" ? point.value : point));
  return {id: figure.id, painted, width: canvas.width, series, rows};
})"""

# The centre of a category's whole stacked bar in the horizontal compliance chart, in page
# coordinates.
BAR_CENTRE = """([id, index]) => {
  const element = document.querySelector(`#${id} [data-chart]`);
  const chart = echarts.getInstanceByDom(element);
  const series = chart.getOption().series;
  const total = series.reduce((sum, s) => sum + s.data[index], 0);
  const [x, y] = chart.convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [total / 2, index]);
  const box = element.getBoundingClientRect();
  return {x: box.left + x, y: box.top + y};
}"""


def assert_drawn_from_table(chart):
    """The numbers ECharts draws, series by series, are the table's columns."""
    by_series = [list(values) for values in zip(*chart["rows"], strict=True)]
    if not chart["rows"]:  # an empty table: every series is empty too
        by_series = [[] for _series in chart["series"]]
    assert chart["series"] == by_series, chart["id"]


@pytest.fixture
def county(world):
    ensure_requirements()  # an earlier transactional test's flush may have emptied them
    for branch in (world.branch_a1, world.branch_a2, world.branch_b1):
        for n in range(3):
            PartyMemberFactory(branch=branch, gender="female" if n else "male")
    return world


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_the_grassroots_dashboard_draws_its_tables_and_drills_down(browser_page_for, county, phone):
    # given the department's staff on the county's dashboard
    page = browser_page_for(county.user("staff"), phone=phone)
    page.goto(reverse("grassroots:dashboard", args=[county.county.pk]))
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart]')].every("
        "(e) => e.querySelector('canvas'))"
    )
    charts = page.evaluate(READ_CHARTS)
    # then every chart is drawn, from exactly the numbers of its table
    assert len(charts) == 8
    for chart in charts:
        assert chart["painted"] > 500, chart["id"]
        assert_drawn_from_table(chart)
    # and the page is no wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate(
        "document.documentElement.clientWidth"
    )

    # when she clicks township A's bar
    point = page.evaluate(BAR_CENTRE, ["compliance-by-child", 0])
    with page.expect_navigation():
        page.mouse.click(point["x"], point["y"])
    # then township A's dashboard opens
    assert reverse("grassroots:dashboard", args=[county.township_a.pk]) in page.url
    assert county.township_a.name in page.locator("main").inner_text()
    # and the gender table's number leads to the list of exactly those members
    female_link = page.locator("#members-by-gender tbody tr").nth(1).locator("a").first
    with page.expect_navigation():
        female_link.click()
    assert page.locator("table tbody tr").count() == 4  # township A's two branches, 2 × 2


def test_charts_swapped_in_by_htmx_are_drawn_too(browser_page_for, county):
    # given the county's dashboard, drawn
    page = browser_page_for(county.user("staff"))
    page.goto(reverse("grassroots:dashboard", args=[county.county.pk]))
    page.wait_for_function("() => document.querySelectorAll('[data-chart] canvas').length === 8")
    # when htmx swaps township A's dashboard into the page
    url = reverse("grassroots:dashboard", args=[county.township_a.pk])
    page.evaluate(
        "(url) => htmx.ajax('GET', url, {target: 'main', select: 'main', swap: 'outerHTML'})", url
    )
    page.wait_for_function(
        "() => document.querySelector('#compliance-by-child tbody').textContent.includes("
        f"'{county.branch_a1.name}')"
    )
    # then its charts are drawn from its tables like a loaded page's
    page.wait_for_function("() => document.querySelectorAll('[data-chart] canvas').length === 8")
    for chart in page.evaluate(READ_CHARTS):
        assert_drawn_from_table(chart)


def test_the_dashboard_prints_on_a4_with_its_charts(browser_page_for, county):
    page = browser_page_for(county.user("leader"))
    page.goto(reverse("grassroots:dashboard", args=[county.township_a.pk]))
    page.wait_for_selector("[data-chart] canvas")
    page.emulate_media(media="print")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    # on paper: the navigation is gone, each chart keeps a visible, painted box
    assert page.locator("nav.navbar").is_hidden()
    sizes = page.evaluate(
        "() => [...document.querySelectorAll('[data-chart] canvas')].map("
        "(c) => [c.getBoundingClientRect().width, c.getBoundingClientRect().height])"
    )
    assert len(sizes) == 8 and all(w > 300 and h > 200 for w, h in sizes)
    pdf = page.pdf(format="A4", print_background=True)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 2
    # the charts are pictures on the paper, not blank boxes
    assert sum(len(page.images) for page in pages) >= 8


@pytest.fixture
def areas(world):
    from django.utils import timezone

    from tests.cadres.factories import make_cadre
    from tests.poverty.factories import make_household, make_village
    from tests.supervision.factories import ComplaintFactory

    for n in range(3):
        make_cadre(world.township_a, name=f"干部{n}", gender="female" if n else "male")
    village = make_village(parent=world.township_a)
    for cause in ("illness", "schooling", "illness"):
        make_household(village, main_cause=cause, members=1)
    for channel in ("letter", "phone", "letter"):
        ComplaintFactory(
            receiver=world.user("supervisor"),
            subject_organization=world.branch_a1,
            channel=channel,
            received_on=timezone.localdate(),
            today=timezone.localdate(),
        )
    return world


@pytest.mark.parametrize(
    ("role", "url_name", "by_org", "count"),
    [
        ("leader", "cadres:dashboard", True, 4),
        ("staff", "poverty:dashboard", True, 5),
        ("supervisor", "supervision:complaint-statistics", False, 4),
        ("leader", "supervision:complaint-statistics", False, 3),
    ],
)
@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_each_areas_charts_are_drawn_from_their_tables(
    browser_page_for, areas, role, url_name, by_org, count, phone
):
    page = browser_page_for(areas.user(role), phone=phone)
    args = [areas.county.pk] if by_org else []
    page.goto(reverse(url_name, args=args))
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart]')].every("
        "(e) => e.querySelector('canvas'))"
    )
    charts = page.evaluate(READ_CHARTS)
    assert len(charts) == count
    for chart in charts:
        # painted: bars or slices; an empty chart (no overdue handler) still has its axes
        assert chart["painted"] > (500 if chart["rows"] else 100), chart["id"]
        assert_drawn_from_table(chart)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate(
        "document.documentElement.clientWidth"
    )


# The centre of the first category whose stacked bar is not empty, in page coordinates, and
# the link the click should follow (the table row's).
FIRST_BAR = """(id) => {
  const element = document.querySelector(`#${id} [data-chart]`);
  const chart = echarts.getInstanceByDom(element);
  const series = chart.getOption().series;
  const totals = series[0].data.map((_, i) => series.reduce((sum, s) => sum + s.data[i], 0));
  const index = totals.findIndex((total) => total > 0);
  const [x, y] = chart.convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [totals[index] / 2, index]);
  const box = element.getBoundingClientRect();
  const holder = document.querySelector(`template[data-chart-source="${element.dataset.chart}"]`);
  const spec = JSON.parse(holder.content.querySelector("script").textContent);
  const sums = series.map((s) => s.data[index]);
  let running = 0, hit = 0;
  for (let s = 0; s < sums.length; s++) {
    if (running + sums[s] >= totals[index] / 2) { hit = s; break; }
    running += sums[s];
  }
  return {x: box.left + x, y: box.top + y, link: spec.series[hit].links[index]};
}"""


@pytest.mark.parametrize(
    ("role", "url_name", "chart_id"),
    [
        ("staff", "cadres:dashboard", "cadres-by-level-and-age"),
        ("staff", "poverty:dashboard", "five-ones-by-child"),
    ],
)
def test_a_click_on_a_bar_opens_what_it_counts(browser_page_for, areas, role, url_name, chart_id):
    page = browser_page_for(areas.user(role), phone=True)
    page.goto(reverse(url_name, args=[areas.county.pk]))
    page.wait_for_selector(f"#{chart_id} [data-chart] canvas")
    page.locator(f"#{chart_id}").scroll_into_view_if_needed()
    bar = page.evaluate(FIRST_BAR, chart_id)
    assert bar["link"]
    with page.expect_navigation():
        page.mouse.click(bar["x"], bar["y"])
    assert page.url.endswith(bar["link"])
