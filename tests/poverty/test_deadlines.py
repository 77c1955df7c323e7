"""The deadlines the reminder engine reads: the contract's columns and the rules' edges."""

import datetime
from decimal import Decimal

from portal.deadlines import check_rows, registry
from poverty import deadlines, services
from tests.poverty.factories import make_cadre, make_household, make_pairing, make_village

D = datetime.date


def test_all_three_are_registered():
    keys = set(registry())
    assert {
        "poverty.visit_overdue",
        "poverty.village_incomplete",
        "poverty.exit_notice_end",
    } <= keys


def test_visit_due_rows_name_the_official_and_carry_the_due_date(world):
    helper = world.user("helper")
    official = make_cadre(world.township_a, user=helper)
    pairing = make_pairing(
        make_household(make_village(parent=world.township_a)), official, start=D(2026, 3, 15)
    )
    rows = deadlines.visit_overdue_rows(D(2026, 4, 20), 7, 30)
    check_rows(rows)
    assert list(rows) == [
        {
            "item_key": f"{pairing.pk}:2026-04-15",
            "due_date": D(2026, 4, 15),
            "organization_id": world.township_a.pk,
            "user_id": helper.pk,
            "title": rows[0]["title"],
        }
    ]
    # a visit moves the due date on: a new item; the old one is gone (done)
    services.visit_log(
        pairing=pairing, date=D(2026, 4, 20), kind="phone", findings="好", today=D(2026, 4, 20)
    )
    assert [r["item_key"] for r in deadlines.visit_overdue_rows(D(2026, 4, 20), 30, 30)] == [
        f"{pairing.pk}:2026-05-20"
    ]


def test_visit_due_outside_the_window_is_left_out(world):
    make_pairing(
        make_household(make_village(parent=world.township_a)),
        make_cadre(world.township_a),
        start=D(2026, 3, 15),
    )
    assert not deadlines.visit_overdue_rows(D(2026, 4, 7), 7, 30).exists()  # due 15 April
    assert deadlines.visit_overdue_rows(D(2026, 4, 8), 7, 30).exists()


def test_incomplete_villages_are_a_monthly_item(world):
    village = make_village(parent=world.township_a)
    rows = deadlines.village_incomplete_rows(D(2026, 4, 20), 7, 30)
    check_rows(rows)
    assert [(r["item_key"], r["due_date"], r["organization_id"]) for r in rows] == [
        (f"{village.pk}:2026-04", D(2026, 4, 1), village.organization_id)
    ]


def test_exit_notice_end(world):
    household = make_household(make_village(parent=world.township_a), income=Decimal("20000"))
    services.guarantees_record(
        household=household,
        food_met=True,
        clothing_met=True,
        education_met=True,
        medical_met=True,
        housing_met=True,
        water_met=True,
    )
    for _ in range(4):
        household = services.household_exit_advance(household=household, today=D(2026, 4, 1))
    rows = deadlines.exit_notice_end_rows(D(2026, 4, 1), 7, 30)
    check_rows(rows)
    assert [(r["item_key"], r["due_date"]) for r in rows] == [
        (f"{household.pk}:2026-04-08", D(2026, 4, 8))
    ]
    # the exit is allowed from the day after the notice's last day
    services.household_exit_advance(household=household, today=D(2026, 4, 9))
    assert not deadlines.exit_notice_end_rows(D(2026, 4, 9), 7, 30).exists()
