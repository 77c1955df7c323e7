"""The supervision statistics' charts (issue #11): matters per month and channel counted
from matters built here, statistics-only users (staff, leaders) get numbers without any link
to a matter, the office also sees the overdue per handler; a bad day is a message."""

import pytest
from django.urls import reverse
from django.utils import timezone

from portal import dates
from tests.supervision.factories import ComplaintFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def page(client, **params):
    response = client.get(reverse("supervision:complaint-statistics"), params)
    assert response.status_code == 200
    return response


def chart(response, chart_id):
    return next(found for found in response.context["charts"] if found.id == chart_id)


@pytest.fixture
def matters(world):
    today = timezone.localdate()
    last_month = dates.add_months(today.replace(day=1), -1)
    office = world.user("supervisor")
    made = [
        ComplaintFactory(
            receiver=office,
            subject_organization=world.branch_a1,
            received_on=day,
            channel=channel,
            today=today,
        )
        for day, channel in ((today, "letter"), (today, "letter"), (last_month, "phone"))
    ]
    return today, last_month, made


def test_matters_per_month_and_channel(client_as, world, matters):
    today, last_month, _made = matters
    found = chart(page(client_as("staff")), "received-by-month")
    rows = {str(row["label"]): [c["value"] for c in row["cells"]] for row in found.rows()}
    labels = [str(series.label) for series in found.series]
    assert labels == ["Letter", "Phone"]
    assert rows[f"{today:%Y-%m}"] == [2, 0]
    assert rows[f"{last_month:%Y-%m}"] == [0, 1]
    assert sum(sum(values) for values in rows.values()) == 3


@pytest.mark.parametrize("role", ["staff", "leader"])
def test_statistics_only_users_get_no_link_to_a_matter(client_as, world, matters, role):
    response = page(client_as(role))
    assert "overdue-by-handler" not in [c.id for c in response.context["charts"]]
    for found in response.context["charts"]:
        assert not any(link for series in found.series for link in series.links)
        assert not any(found.category_links)
    assert reverse("supervision:complaint-list") not in response.content.decode()


def test_the_office_sees_the_overdue_per_handler(client_as, world, matters):
    response = page(client_as("supervisor"))
    assert "overdue-by-handler" in [c.id for c in response.context["charts"]]


def test_a_bad_day_is_a_message(client_as, world):
    response = page(client_as("staff"), day="2026-13-01")
    assert response.context["form"].errors["day"]
