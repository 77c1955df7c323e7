"""The start page: a card per area the role reaches, figures only where the role may see
them, the user's most urgent deadlines, and a fixed number of queries."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portal import dates
from portal.roles import Role
from tests.poverty.factories import make_cadre, make_household, make_pairing, make_village
from tests.supervision.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

AREAS = {
    Role.ADMIN: ["grassroots", "cadres", "poverty", "supervision"],
    Role.STAFF: ["grassroots", "cadres", "poverty", "supervision"],
    Role.LEADER: ["grassroots", "cadres", "poverty", "supervision"],
    Role.SECRETARY: ["grassroots"],
    Role.HELPER: ["poverty"],
    Role.SUPERVISOR: ["cadres", "supervision"],
}


def _cards(response) -> list[str]:
    html = response.content.decode()
    return [area for area in AREAS[Role.ADMIN] if f'data-area="{area}"' in html]


def _pairings(world, *, count: int):
    """`count` overdue pairings in township A for the helper, one in township B for another
    official (outside the helper's and the secretary's reach)."""
    helper_cadre = make_cadre(world.township_a, user=world.user(Role.HELPER))
    other = make_cadre(world.township_b)
    village_a = make_village(world.branch_a1)
    village_b = make_village(world.branch_b1)
    start = timezone.localdate() - datetime.timedelta(days=200)
    for _ in range(count):
        make_pairing(make_household(village_a, members=1), helper_cadre, start=start)
    make_pairing(make_household(village_b, members=1), other, start=start)


def _complaints(world, *, count: int):
    for _ in range(count):
        ComplaintFactory(
            receiver=world.user(Role.SUPERVISOR),
            subject_organization=world.branch_a1,
            summary="某村账目不公开",
            received_on=timezone.localdate() - datetime.timedelta(days=3),
            today=timezone.localdate(),
        )


@pytest.mark.parametrize("role", list(AREAS))
def test_each_role_sees_a_card_for_exactly_its_areas(world, client_as, role):
    # when
    response = client_as(role).get(reverse("home"))
    # then
    assert response.status_code == 200
    assert _cards(response) == AREAS[role]
    assert reverse("reminders:my-deadlines") in response.content.decode()


def test_the_secretary_sees_no_cadre_poverty_or_supervision_figures(world, client_as):
    # given records in every area
    _pairings(world, count=2)
    _complaints(world, count=1)
    # when
    response = client_as(Role.SECRETARY).get(reverse("home"))
    html = response.content.decode()
    # then: the grassroots figures only
    [card] = response.context["cards"]
    assert card["area"] == "grassroots"
    assert len(card["figures"]) == 2
    for link in ("cadres:appointment-list", "poverty:pairing-overdue", "supervision:index"):
        assert reverse(link) not in html


def test_staff_see_supervision_counts_but_no_matter(world, client_as):
    # given an open matter
    _complaints(world, count=1)
    # when
    response = client_as(Role.STAFF).get(reverse("home"))
    html = response.content.decode()
    # then: the counts, leading to the statistics, never to the queue or the matter
    supervision = next(c for c in response.context["cards"] if c["area"] == "supervision")
    assert [f["value"] for f in supervision["figures"]] == [1, 0]
    assert reverse("supervision:complaint-statistics") in html
    assert reverse("supervision:complaint-list") not in html
    assert "某村账目不公开" not in html


def test_the_supervision_office_sees_its_open_matters_and_reaches_the_queue(world, client_as):
    # given
    _complaints(world, count=2)
    # when
    response = client_as(Role.SUPERVISOR).get(reverse("home"))
    # then
    supervision = next(c for c in response.context["cards"] if c["area"] == "supervision")
    assert supervision["figures"][0]["value"] == 2
    assert supervision["figures"][0]["url"] == reverse("supervision:complaint-list")


def test_a_helper_counts_only_their_own_households(world, client_as):
    # given two overdue pairings of the helper's, one of another official's in township B
    _pairings(world, count=2)
    # when
    helper = client_as(Role.HELPER).get(reverse("home")).context["cards"]
    # then
    assert [(f["value"], f["warn"]) for f in helper[0]["figures"]] == [(2, False), (2, True)]


def test_staff_count_the_whole_county(world, client_as):
    _pairings(world, count=2)
    poverty = next(
        c
        for c in client_as(Role.STAFF).get(reverse("home")).context["cards"]
        if c["area"] == "poverty"
    )
    assert [f["value"] for f in poverty["figures"]] == [3, 3]


def test_my_deadlines_lists_the_five_most_urgent_from_the_reminder_engine(world, client_as):
    # given seven matters received one to seven days ago: each must be decided on within 15
    # days of receipt (DOMAIN.md), so the oldest is the most urgent
    today = timezone.localdate()
    matters = [
        ComplaintFactory(
            receiver=world.user(Role.SUPERVISOR),
            subject_organization=world.branch_a1,
            summary="某村账目不公开",
            received_on=today - datetime.timedelta(days=days),
            today=today,
        )
        for days in range(1, 8)
    ]
    # A last day on a weekend or holiday moves to the next working day (DOMAIN.md), so two
    # matters may share a due date: the five shown are five with the earliest ones.
    due = {m.pk: dates.deadline(m.received_on, 15) for m in matters}
    # when
    html = client_as(Role.SUPERVISOR).get(reverse("home")).content.decode()
    # then: five of the most urgent, most urgent first, and a link to all of them
    shown = [int(pk) for pk in re.findall(r'data-item="supervision\.accept_due:(\d+)"', html)]
    assert len(shown) == 5
    assert html.count("data-item=") == 5
    assert sorted(due[pk] for pk in shown) == sorted(due.values())[:5]
    assert [due[pk] for pk in shown] == sorted(due[pk] for pk in shown)
    assert reverse("reminders:my-deadlines") in html


# Pinned: session + user (2), the layout (2, as on every page: the user menu's organisation,
# the bell), deadlines (2: the cadres rules row their SQL depends on, read once a page, then
# the items), then per area the role's figures: grassroots due + missed (2), appointments (1),
# pairings (1), supervision summary (1).
@pytest.mark.parametrize("records", [1, 12])
@pytest.mark.parametrize("role", [Role.STAFF, Role.HELPER, Role.SUPERVISOR])
def test_the_start_page_costs_the_same_for_few_and_many_records(
    world, client_as, django_assert_num_queries, role, records
):
    # given
    _pairings(world, count=records)
    _complaints(world, count=records)
    client = client_as(role)
    expected = {Role.STAFF: QUERIES_STAFF, Role.HELPER: QUERIES_HELPER}.get(
        role, QUERIES_SUPERVISOR
    )
    # when / then
    with django_assert_num_queries(expected):
        client.get(reverse("home"))


QUERIES_STAFF = 2 + 2 + 2 + 2 + 1 + 1 + 1  # all four areas
QUERIES_HELPER = 2 + 2 + 2 + 1  # poverty only
QUERIES_SUPERVISOR = 2 + 2 + 2 + 1 + 1  # cadres and supervision
