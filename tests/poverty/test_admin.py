"""What the admin writes goes through the poverty services."""

import pytest
from django.urls import reverse

from poverty.models import Household
from tests.poverty.factories import make_village

pytestmark = pytest.mark.django_db


def household_form(village, **changes):
    return {
        "village": village.pk,
        "number": "HX-1",
        "address": "",
        "standard": "national",
        "kind": "ordinary",
        "main_cause": "illness",
        "extra_causes": "",
        "housing": "brick_concrete",
        "water": "piped",
        "electricity": "grid",
        "members-TOTAL_FORMS": 0,
        "members-INITIAL_FORMS": 0,
        "incomes-TOTAL_FORMS": 0,
        "incomes-INITIAL_FORMS": 0,
    } | changes


def test_a_household_added_in_the_admin_follows_the_causes_rule(client_as, world):
    village = make_village(parent=world.township_a)
    client = client_as("admin")
    url = reverse("admin:poverty_household_add")

    # the main cause repeated among the others is refused with the service's message
    response = client.post(url, household_form(village, extra_causes="illness"), follow=True)
    assert "其他致贫原因不能与主要致贫原因相同" in response.content.decode()
    assert not Household.objects.exists()


def test_visits_and_measures_are_not_written_in_the_admin(client_as):
    client = client_as("admin")
    assert client.get(reverse("admin:poverty_visit_add")).status_code == 403
    assert client.get(reverse("admin:poverty_measure_add")).status_code == 403
