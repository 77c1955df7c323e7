"""The poverty dashboard (issue #11): households by status and cause, visits in time and
overdue per township, five-ones completeness, exits by month; each table against records
built here, the drill-down lists, reach (helpers never; a township user its township) and
the query count."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portal import dates
from poverty import services
from poverty.models import Household
from tests.factories import OrganizationFactory
from tests.poverty.factories import make_cadre, make_household, make_pairing, make_village

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def dashboard(client, org, **params):
    response = client.get(reverse("poverty:dashboard", args=[org.pk]), params)
    assert response.status_code == 200
    return response


def chart(response, chart_id):
    return next(found for found in response.context["charts"] if found.id == chart_id)


def table(response, chart_id) -> dict[str, list]:
    return {
        str(row["label"]): [c["value"] for c in row["cells"]]
        for row in chart(response, chart_id).rows()
    }


@pytest.fixture
def county(world):
    today = timezone.localdate()
    village_a = make_village(parent=world.township_a)
    village_b = make_village(parent=world.township_b)
    official = make_cadre(world.township_a)
    late = make_household(village_a, main_cause="illness")
    visited = make_household(village_a, main_cause="schooling")
    make_household(village_b, main_cause="illness")
    start = dates.add_months(today, -3)
    make_pairing(late, official, start=start)
    pairing = make_pairing(visited, official, start=start)
    services.visit_log(pairing=pairing, date=today, kind="home", findings="家中一切正常")
    return {"village_a": village_a, "late": late, "visited": visited}


def test_households_by_status_and_cause(client_as, world, county):
    response = dashboard(client_as("staff"), world.township_a)
    assert table(response, "households-by-status")["In poverty"] == [2]
    causes = table(response, "households-by-cause")
    assert causes == {"Illness": [1], "Schooling": [1]}  # township B's illness not counted


def test_visits_and_five_ones_per_township(client_as, world, county):
    response = dashboard(client_as("staff"), world.county)
    visits = table(response, "visits-by-child")
    assert visits == {world.township_a.name: [1, 1]}  # in time, overdue
    five_ones = table(response, "five-ones-by-child")
    assert five_ones[world.township_a.name] == [0, 1]  # complete, incomplete
    assert five_ones[world.township_b.name] == [0, 1]


def test_each_household_number_links_to_a_list_of_exactly_those(client_as, world, county):
    client = client_as("staff")
    response = dashboard(client, world.township_a)
    followed = 0
    for chart_id in ("households-by-status", "households-by-cause"):
        series = chart(response, chart_id).series[0]
        for value, link in zip(series.values, series.links, strict=True):
            listed = client.get(link)
            assert listed.status_code == 200
            assert listed.context["paginator"].count == value, link
            followed += 1
    assert followed == 5


def test_exits_by_month(client_as, world, county):
    today = timezone.localdate()
    # given a household that exited last month (set directly: the exit procedure's own
    # tests walk the steps; this one is about counting)
    exited_on = dates.add_months(today.replace(day=1), -1)
    Household.objects.filter(pk=county["visited"].pk).update(status="exited", exited_on=exited_on)
    response = dashboard(client_as("leader"), world.township_a)
    exits = table(response, "exits-by-month")
    assert exits[f"{exited_on:%Y-%m}"] == [1]
    assert sum(value for values in exits.values() for value in values) == 1


def test_reach(client, world, county):
    client.force_login(world.user("helper"))
    assert client.get(reverse("poverty:dashboard", args=[world.township_a.pk])).status_code == 403
    client.force_login(world.user("staff@township"))
    assert client.get(reverse("poverty:dashboard", args=[world.township_b.pk])).status_code == 404
    assert table(dashboard(client, world.township_a), "households-by-status")["In poverty"] == [2]


@pytest.mark.parametrize("count", [1, 30])
def test_the_query_count_is_the_same_for_one_village_as_for_thirty(
    client_as, world, count, django_assert_num_queries
):
    for n in range(count):
        village = make_village(OrganizationFactory(name=f"村{n}", parent=world.township_b))
        make_household(village, members=1)
    client = client_as("staff")
    # 4 (session, user, organisation, bell) + the organisation + its children (the
    # selector, and the names of the rows) + households by status and cause (one query of
    # conditional counts) + visits + five ones + exits
    with django_assert_num_queries(10):
        dashboard(client, world.county)
