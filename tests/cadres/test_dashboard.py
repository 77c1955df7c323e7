"""The cadres dashboard (issue #11): the structure per post level and age band and its
shares, appointments in progress, assessment grades; each table against cadres built here;
the drill-down lists; a township user's reach; the query count."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres import services
from cadres.models import PostLevel
from portal import dates
from tests.cadres.factories import make_cadre
from tests.cadres.workflow import propose
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
CHIEF = PostLevel.SECTION_CHIEF


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def dashboard(client, org, **params):
    response = client.get(reverse("cadres:dashboard", args=[org.pk]), params)
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
def corps(world):
    today = timezone.localdate()
    young = dates.add_months(today, -12 * 30)  # 30 today
    return {
        "young_woman": make_cadre(
            world.township_a, name="李丽", gender="female", birth_date=young, level=CHIEF
        ),
        "older_man": make_cadre(
            world.township_a,
            name="王强",
            birth_date=datetime.date(1975, 1, 1),
            level=CHIEF,
            ethnicity="苗族",
        ),
        "deputy": make_cadre(world.township_a, name="赵刚", birth_date=datetime.date(1965, 6, 1)),
        "outside": make_cadre(
            world.township_b, name="钱多", gender="female", birth_date=young, level=CHIEF
        ),
    }


def test_the_structure_counts_each_level_by_age_and_its_shares(client_as, world, corps):
    response = dashboard(client_as("staff"), world.township_a)
    by_age = table(response, "cadres-by-level-and-age")
    assert by_age["Section level, chief"] == [1, 0, 1, 0]  # under 35, 35–44, 45–54, 55+
    assert by_age["Section level, deputy"] == [0, 0, 0, 1]
    shares = table(response, "cadres-shares")
    # women, ethnic minorities, under 35, under 40 (per cent of the level's cadres)
    assert shares["Section level, chief"] == [50, 50, 50, 50]
    assert shares["Section level, deputy"] == [0, 0, 0, 0]


def test_each_number_links_to_a_list_of_exactly_those_cadres(client_as, world, corps):
    client = client_as("staff")
    found = chart(dashboard(client, world.county), "cadres-by-level-and-age")
    followed = 0
    for series in found.series:
        for value, link in zip(series.values, series.links, strict=True):
            if link and value:
                listed = client.get(link)
                assert listed.status_code == 200
                assert listed.context["page_obj"].paginator.count == value, link
                followed += 1
    assert followed == 3  # chief under 35 (2, both townships), chief 45–54, deputy 55+


def test_appointments_in_progress_and_assessment_grades(client_as, world, corps):
    propose(corps["older_man"], world.township_a)
    year = timezone.localdate().year - 1
    services.assessment_record(cadre=corps["young_woman"], year=year, grade="excellent")
    services.assessment_record(cadre=corps["older_man"], year=year, grade="competent")
    services.assessment_record(cadre=corps["outside"], year=year, grade="excellent")
    response = dashboard(client_as("staff"), world.township_a)
    assert table(response, "appointments-by-stage")["Motion"] == [1]
    grades = table(response, "assessment-grades")
    assert grades["Excellent"] == [1] and grades["Competent"] == [1]


def test_a_township_user_reaches_only_the_township(client, world, corps):
    client.force_login(world.user("staff@township"))
    assert client.get(reverse("cadres:dashboard", args=[world.county.pk])).status_code == 404
    assert client.get(reverse("cadres:dashboard", args=[world.township_b.pk])).status_code == 404
    response = dashboard(client, world.township_a)
    assert sum(table(response, "cadres-by-level-and-age")["Section level, chief"]) == 2


def test_a_past_day_reads_the_posts_then(client_as, world, corps):
    # before 2020-03-01 (the posts' start) nobody held a post
    response = dashboard(client_as("staff"), world.township_a, day="2019-12-31")
    by_age = table(response, "cadres-by-level-and-age")
    assert sum(by_age["Section level, chief"]) == 0
    assert sum(by_age["No current post"]) == 3


@pytest.mark.parametrize("count", [1, 30])
def test_the_query_count_is_the_same_for_one_unit_as_for_thirty(
    client_as, world, count, django_assert_num_queries
):
    for n in range(count):
        make_cadre(OrganizationFactory(name=f"单位{n}", parent=world.township_b), name=f"干部{n}")
    client = client_as("staff")
    # 4 (session, user, organisation, bell) + the organisation + its children + the
    # structure (one GROUP BY) + appointments + assessments
    with django_assert_num_queries(9):
        dashboard(client, world.county)
