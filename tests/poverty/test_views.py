"""Pages: query counts flat in the number of rows, the helper's scope, errors re-rendered."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from poverty import services
from poverty.models import Pairing, Visit
from tests.factories import OrganizationFactory
from tests.poverty.factories import make_cadre, make_household, make_pairing, make_village


def populate(world, n, *, helper=None):
    """n households in A1's village, each paired and overdue, plus an incomplete village."""
    village = make_village(world.branch_a1) if not hasattr(world, "_village") else world._village
    world._village = village
    official = make_cadre(world.township_a, user=helper) if helper else make_cadre(world.county)
    start = timezone.localdate() - datetime.timedelta(days=90)
    for _ in range(n):
        make_pairing(make_household(village), official, start=start)
    return official


# Every page costs 4 queries before its own: session, user, the user's organisation (its
# path scopes the rows) and the notification bell's count.
LIST_PAGES = [
    # (url name, role, pinned query count and why)
    # + count, the page of rows (head, income and official are subqueries in the same
    #   SELECT); the township and village filters are searchable pickers (no choices query)
    ("poverty:household-list", "staff", 6),
    # + count, the page of villages with five-ones annotation, the prefetched work teams
    ("poverty:village-list", "staff", 7),
    # + count, the page of overdue pairings
    ("poverty:pairing-overdue", "staff", 6),
    # + count, the page of officials (quota/households/overdue subqueries), unit rollup
    ("poverty:official-list", "staff", 7),
    # + at-risk count, count, the page of households in the procedure
    ("poverty:exit-list", "staff", 6),
    # + by status, by stage, township rollup and names, incomplete, under quota (the overdue
    #   figure adds up the rollup's)
    ("poverty:index", "staff", 10),
    # + the helper's pairings, with next-due and overdue flags in the same SELECT
    ("poverty:index", "helper", 5),
]


def _numbers(world):
    from poverty.models import Household

    return list(Household.objects.filter(village=world._village).values_list("number", flat=True))


def _households_listed(world, official, page):
    numbers = _numbers(world)
    assert len(numbers) == 50
    assert sum(number in page for number in numbers) == 25  # the first page of 25


def _official_listed(world, official, page):
    assert official.name in page


def _village_listed(world, official, page):
    assert world._village.name in page


def _nothing_in_the_exit_procedure(world, official, page):
    assert "成员0" not in page  # no household (head 成员0) has started its exit
    assert not any(number in page for number in _numbers(world))


def _overdue_counted(world, official, page):
    assert ">50<" in page.replace(" ", "")  # 50 households, all overdue


def _helpers_households(world, official, page):
    assert all(f'data-household="{number}"' in page for number in _numbers(world))


SHOWN = {
    ("poverty:index", "helper"): _helpers_households,
    "poverty:household-list": _households_listed,
    "poverty:village-list": _village_listed,
    "poverty:pairing-overdue": _official_listed,
    "poverty:official-list": _official_listed,
    "poverty:exit-list": _nothing_in_the_exit_procedure,
    "poverty:index": _overdue_counted,
}


@pytest.mark.parametrize(("name", "role", "expected"), LIST_PAGES)
def test_list_query_count_is_flat(
    world, client_as, django_assert_max_num_queries, name, role, expected
):
    helper = world.user("helper") if role == "helper" else None
    official = populate(world, 1, helper=helper)
    client = client_as(role)
    # a session's first request writes its sign-in bookkeeping (portal/signin): not the page's
    assert client.get(reverse(name)).status_code == 200
    with django_assert_max_num_queries(50) as one:
        assert client.get(reverse(name)).status_code == 200
    village = world._village
    start = timezone.localdate() - datetime.timedelta(days=90)
    for _ in range(49):
        make_pairing(make_household(village), official, start=start)
    with django_assert_max_num_queries(50) as fifty:
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert len(fifty.captured_queries) == len(one.captured_queries)
    # and what the user sees grew with the rows
    SHOWN.get((name, role), SHOWN.get(name))(world, official, response.content.decode())
    assert len(one.captured_queries) == expected, "\n".join(
        q["sql"][:150] for q in one.captured_queries
    )


def test_the_helper_sees_only_their_households_ordered_by_next_visit(world, client_as):
    helper = world.user("helper")
    mine = make_cadre(world.township_a, user=helper)
    village = make_village(world.branch_a1)
    today = timezone.localdate()
    later = make_household(village)
    sooner = make_household(village)
    make_pairing(later, mine, start=today - datetime.timedelta(days=10))
    make_pairing(sooner, mine, start=today - datetime.timedelta(days=40))
    other = make_household(village)
    make_pairing(other, make_cadre(world.township_a), start=today)
    page = client_as("helper").get(reverse("poverty:index")).content.decode()
    assert page.index(sooner.number) < page.index(later.number)
    assert other.number not in page
    assert (
        client_as("helper")
        .get(reverse("poverty:household-detail", kwargs={"pk": other.pk}))
        .status_code
        == 404
    )


def test_a_visit_in_the_future_is_shown_as_an_error_and_nothing_is_saved(world, client_as):
    helper = world.user("helper")
    household = make_household(make_village(world.branch_a1))
    make_pairing(
        household, make_cadre(world.township_a, user=helper), start=datetime.date(2026, 1, 1)
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_as("helper").post(
        reverse("poverty:visit-create", kwargs={"pk": household.pk}),
        {"date": tomorrow.isoformat(), "kind": "home", "findings": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "cannot be dated in the future" in response.content.decode()
    assert not Visit.objects.exists()


def test_a_second_official_through_the_page_reassigns_and_keeps_history(world, client_as):
    household = make_household(make_village(world.branch_a1))
    first = make_cadre(world.township_a)
    make_pairing(household, first, start=datetime.date(2026, 1, 1))
    second = make_cadre(world.township_a)
    response = client_as("staff").post(
        reverse("poverty:pairing-create", kwargs={"pk": household.pk}),
        {"official": second.pk, "start": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert list(Pairing.objects.filter(household=household).values_list("official", "end")) == [
        (second.pk, None),
        (first.pk, timezone.localdate()),
    ]


def test_exit_with_a_guarantee_unmet_shows_the_reason(world, client_as):
    household = make_household(make_village(world.branch_a1))
    client = client_as("staff")
    response = client.post(
        reverse("poverty:household-exit", kwargs={"pk": household.pk}),
        {"action": "advance"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "guarantees are not recorded as met" in response.content.decode()
    household.refresh_from_db()
    assert household.exit_stage == ""


def _household_form(household, **changes):
    fields = ("number", "address", "standard", "kind", "main_cause", "housing", "water")
    data = {name: getattr(household, name) for name in fields + ("electricity",)}
    data.update(village=household.village_id)
    data["extra_causes"] = list(household.extra_causes or [])
    data.update(changes)
    return {key: value for key, value in data.items() if value not in ("", None)}


def test_editing_a_household_keeps_the_cause_rules(world, client_as):
    household = make_household(make_village(world.branch_a1), main_cause="illness")
    url = reverse("poverty:household-update", kwargs={"pk": household.pk})
    client = client_as("staff")

    refused = client.post(
        url, _household_form(household, extra_causes=["illness"]), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert refused.status_code == 200
    assert "Choose other causes that differ from the main cause" in refused.content.decode()
    household.refresh_from_db()
    assert household.extra_causes in ([], None)

    saved = client.post(
        url,
        _household_form(household, extra_causes=["disability"], address="三组12号"),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "三组12号" in saved.content.decode()
    household.refresh_from_db()
    assert (household.extra_causes, household.address) == (["disability"], "三组12号")


def test_clearing_the_risk_flag_from_the_household_page(world, client_as):

    household = make_household(make_village(world.branch_a1))
    url = reverse("poverty:household-exit", kwargs={"pk": household.pk})
    client = client_as("staff")

    refused = client.post(url, {"action": "clear_risk"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "This household is not flagged as at risk." in refused.content.decode()

    services.guarantees_record(
        household=household,
        **dict.fromkeys(
            ["food_met", "clothing_met", "education_met", "medical_met", "housing_met"], True
        ),
        water_met=True,
    )
    services.income_record(household=household, amounts={"wages": Decimal("15000")})
    # the notice ends on 8 March; the exit is allowed from the next day (DOMAIN.md)
    for day in [datetime.date(2026, 3, 1)] * 4 + [datetime.date(2026, 3, 9)]:
        household = services.household_exit_advance(household=household, today=day)
    assert household.status == "exited"
    services.household_flag_at_risk(household=household, today=datetime.date(2026, 4, 1))
    page = client.get(reverse("poverty:household-detail", kwargs={"pk": household.pk}))
    assert 'value="clear_risk"' in page.content.decode()

    cleared = client.post(url, {"action": "clear_risk"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert "The exit procedure was updated." in cleared.content.decode()
    assert 'value="clear_risk"' not in cleared.content.decode()
    household.refresh_from_db()
    assert (household.status, household.at_risk_since) == ("exited", None)


def test_revealing_an_id_number_is_recorded(world, client_as):
    household = make_household(make_village(world.branch_a1))
    member = household.members.first()
    response = client_as("staff").post(reverse("poverty:member-reveal", kwargs={"pk": member.pk}))
    assert member.id_number in response.content.decode()
    from portal.models import RevealLog

    assert RevealLog.objects.filter(object_id=str(member.pk), field="id_number").count() == 1
    detail = client_as("staff").get(
        reverse("poverty:household-detail", kwargs={"pk": household.pk})
    )
    assert member.id_number not in detail.content.decode()


@pytest.mark.parametrize("role", ["leader", "helper"])
def test_a_refused_reveal_leaves_no_trace(world, client_as, role):
    household = make_household(make_village(world.branch_a1))
    member = household.members.first()
    response = client_as(role).post(reverse("poverty:member-reveal", kwargs={"pk": member.pk}))
    assert response.status_code == 403
    assert member.id_number not in response.content.decode()
    from portal.models import RevealLog

    assert not RevealLog.objects.exists()


def test_a_negative_income_through_the_page_changes_nothing(world, client_as):
    household = make_household(make_village(world.branch_a1))
    services.income_record(household=household, amounts={"wages": 100})
    response = client_as("staff").post(
        reverse("poverty:income-update", kwargs={"pk": household.pk}),
        {"wages": "-5", "transfer": "100"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "cannot be negative" in response.content.decode()
    assert list(household.incomes.values_list("source", "amount")) == [("wages", 100)]


def test_two_units_with_the_same_name_are_two_rows_of_the_unit_rollup(world, client_as):
    # given each township has its own 党政办, each with an official pairing one household
    for township in (world.township_a, world.township_b):
        office = OrganizationFactory(
            name="党政办", parent=township, kind="branch", category="organ"
        )
        village = make_village(parent=township)
        make_pairing(make_household(village), make_cadre(office), start=datetime.date(2026, 1, 1))
    # when the county's staff open the officials page
    response = client_as("staff").get(reverse("poverty:official-list"))
    # then the unit rollup shows each office on its own row, not one merged row of 2
    offices = [
        row for row in response.context["units"] if row["official__organization__name"] == "党政办"
    ]
    assert [row["pairings"] for row in offices] == [1, 1]
