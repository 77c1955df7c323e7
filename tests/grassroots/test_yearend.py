"""The year-end Party statistics (issue #11): every table counted again here, in Python, from
the model rows (members, their dated memberships, organisations), for the demo county and a
township of it; the page, its .xlsx, reach and a bad year."""

import datetime
import random
from collections import Counter

import pytest
from django.urls import reverse

from grassroots import demo as grassroots_demo
from grassroots.models import Membership, PartyMember
from portal import demo as portal_demo
from portal.models import Organization
from tests.exchange.helpers import workbook

pytestmark = pytest.mark.django_db
YEAR = 2025
DEC_31 = datetime.date(YEAR, 12, 31)
BANDS = [(None, 30), (31, 40), (41, 50), (51, 60), (61, 70), (71, None)]


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def demo():
    """The demo county's organisations and grassroots records (seed_demo's loaders, at a
    third of the demo's size to keep the test short)."""
    county = portal_demo.load(rng=random.Random(1), scale=0.3)
    grassroots_demo.load(county=county, rng=random.Random(2), scale=0.3)
    return county


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def band(age: int) -> int:
    for index, (youngest, oldest) in enumerate(BANDS):
        if (youngest is None or age >= youngest) and (oldest is None or age <= oldest):
            return index
    raise AssertionError(age)


def roster_counted_in_python(org: Organization) -> list[PartyMember]:
    """Members (probationary or full, joined by 31 December) with a membership in force on
    31 December in a branch of the subtree: read row by row, no query expression."""
    in_subtree = {o.pk for o in Organization.objects.all() if o.path.startswith(org.path)}
    belonged = {
        m.member_id
        for m in Membership.objects.all()
        if m.organization_id in in_subtree
        and m.starts_on <= DEC_31
        and (m.ends_on is None or m.ends_on >= DEC_31)
    }
    return [
        p
        for p in PartyMember.objects.all()
        if p.pk in belonged
        and p.stage in ("probationary", "full")
        and p.joined_on
        and p.joined_on <= DEC_31
    ]


def page_tables(response) -> dict[str, dict[str, list]]:
    return {
        chart.id: {str(row["label"]): [c["value"] for c in row["cells"]] for row in chart.rows()}
        for chart in response.context["tables"]
    }


def check_tables(tables, org, response):
    roster = roster_counted_in_python(org)
    assert len(roster) > 0
    assert tables["members-by-gender"] == {
        "Male": [sum(p.gender == "male" for p in roster)],
        "Female": [sum(p.gender == "female" for p in roster)],
    }
    by_band = Counter(band(age_on(p.birth_date, DEC_31)) for p in roster)
    assert list(tables["members-by-age"].values()) == [[by_band[i]] for i in range(len(BANDS))]
    education = Counter(p.education for p in roster)
    assert tables["members-by-education"]["Bachelor"] == [education["bachelor"]]
    assert tables["members-by-education"]["Not recorded"] == [education[""]]
    ethnic = Counter(p.ethnicity for p in roster)
    assert tables["members-by-ethnicity"]["汉族"] == [ethnic["汉族"]]
    assert sum(v[0] for v in tables["members-by-ethnicity"].values()) == len(roster)

    subtree = {o.pk: o for o in Organization.objects.all() if o.path.startswith(org.path)}
    admitted = [
        p
        for p in PartyMember.objects.all()
        if p.branch_id in subtree and p.joined_on and p.joined_on.year == YEAR
    ]
    assert tables["admitted"]["Admitted in the year"] == [len(admitted)]
    assert tables["admitted"]["of whom women"] == [sum(p.gender == "female" for p in admitted)]

    organizations = next(c for c in response.context["tables"] if c.id == "organizations")
    categories = [str(series.label) for series in organizations.series]
    counted = Counter(
        (str(o.get_kind_display()), str(o.get_category_display()))
        for o in subtree.values()
        if o.is_active
    )
    shown = {
        (kind, categories[i]): n
        for kind, row in tables["organizations"].items()
        for i, n in enumerate(row)
        if n
    }
    assert shown == dict(counted)


def test_the_demo_countys_year_end_tables_count_what_the_rows_hold(client, demo):
    client.force_login(demo.user("staff"))
    county = Organization.objects.get(parent__isnull=True)
    township = county.children.order_by("path").first()
    for org in (county, township):
        response = client.get(reverse("grassroots:yearend", args=[org.pk]), {"year": YEAR})
        assert response.status_code == 200
        check_tables(page_tables(response), org, response)

    # the workbook holds the page's tables, one sheet each, dated 31 December
    page = page_tables(client.get(reverse("grassroots:yearend", args=[county.pk]), {"year": YEAR}))
    response = client.get(reverse("grassroots:yearend-export", args=[county.pk]), {"year": YEAR})
    book = workbook(response)
    assert len(book.worksheets) == len(page)
    for sheet, (chart_id, table) in zip(book.worksheets, page.items(), strict=True):
        cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
        assert any(f"{YEAR}年12月31日" in str(value) for row in cells for value in row), sheet
        numbers = [row[1:] for row in cells if row and isinstance(row[-1], int)]
        assert numbers == list(table.values()), chart_id


def test_reach_and_a_bad_year(client_as, world):
    client = client_as("secretary")
    url = reverse("grassroots:yearend", args=[world.township_b.pk])
    assert client.get(url).status_code == 404
    own = reverse("grassroots:yearend", args=[world.branch_a1.pk])
    for bad in ("2999", "abc", "1800"):
        response = client.get(own, {"year": bad})
        assert response.status_code == 200
        assert response.context["form"].errors["year"]
        assert response.context["year"] == response.context["form"].today.year - 1
