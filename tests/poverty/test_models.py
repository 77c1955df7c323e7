"""The read-side rules at their edges: visit interval, five ones, income, quotas."""

import datetime
from decimal import Decimal

import pytest

from cadres.models import Cadre
from poverty import services
from poverty.models import Household, Pairing, PairingQuota, PovertyRules, Village
from poverty.selectors import officials_with_coverage, pairings_for_cadre, visits_by_cadre
from tests.poverty.factories import make_cadre, make_household, make_pairing, make_village

D = datetime.date


@pytest.fixture
def household(world):
    return make_household(make_village(parent=world.township_a))


def overdue_ids(today):
    return set(Pairing.objects.overdue(today).values_list("pk", flat=True))


def log(pairing, day):
    return services.visit_log(pairing=pairing, date=day, kind="home", findings="正常", today=day)


class TestVisitInterval:
    def test_due_one_calendar_month_after_the_start_and_overdue_the_day_after(
        self, world, household
    ):
        # given a pairing from 15 March and no visit
        pairing = make_pairing(household, make_cadre(world.township_a), start=D(2026, 3, 15))
        row = Pairing.objects.with_next_visit_due().get(pk=pairing.pk)
        # then the visit is due on 15 April: on time that day, overdue the day after
        assert row.next_visit_due == D(2026, 4, 15)
        assert pairing.pk not in overdue_ids(D(2026, 4, 15))
        assert pairing.pk in overdue_ids(D(2026, 4, 16))

    def test_a_visit_restarts_the_interval(self, world, household):
        pairing = make_pairing(household, make_cadre(world.township_a), start=D(2026, 1, 10))
        log(pairing, D(2026, 2, 20))
        row = Pairing.objects.with_next_visit_due().get(pk=pairing.pk)
        assert row.last_visit_on == D(2026, 2, 20)
        assert row.next_visit_due == D(2026, 3, 20)
        assert pairing.pk not in overdue_ids(D(2026, 3, 20))
        assert pairing.pk in overdue_ids(D(2026, 3, 21))

    def test_month_end_is_clamped_to_the_shorter_month(self, world, household):
        pairing = make_pairing(household, make_cadre(world.township_a), start=D(2026, 1, 5))
        log(pairing, D(2026, 1, 31))
        row = Pairing.objects.with_next_visit_due().get(pk=pairing.pk)
        assert row.next_visit_due == D(2026, 2, 28)

    def test_the_interval_is_configurable(self, world, household):
        PovertyRules.objects.update_or_create(pk=1, defaults={"visit_interval_months": 2})
        pairing = make_pairing(household, make_cadre(world.township_a), start=D(2026, 3, 15))
        assert pairing.pk not in overdue_ids(D(2026, 5, 15))
        assert pairing.pk in overdue_ids(D(2026, 5, 16))

    def test_reassignment_mid_interval_gives_the_new_official_a_full_interval(
        self, world, household
    ):
        # given an official who visited on 1 March, and a reassignment on 20 March
        first = make_pairing(household, make_cadre(world.township_a), start=D(2026, 1, 1))
        log(first, D(2026, 3, 1))
        second = services.pairing_reassign(
            household=household,
            official=make_cadre(world.township_a),
            on=D(2026, 3, 20),
            today=D(2026, 3, 20),
        )
        # then the old pairing is history (never overdue) and the new one is due on 20 April
        first.refresh_from_db()
        assert first.end == D(2026, 3, 20)
        assert Pairing.objects.filter(household=household).count() == 2
        assert overdue_ids(D(2026, 4, 20)) == set()
        assert overdue_ids(D(2026, 4, 21)) == {second.pk}

    def test_exited_households_are_not_visited_but_at_risk_ones_are(self, world, household):
        pairing = make_pairing(household, make_cadre(world.township_a), start=D(2025, 1, 1))
        Household.objects.filter(pk=household.pk).update(status="exited", exited_on=D(2025, 6, 1))
        assert overdue_ids(D(2026, 1, 1)) == set()
        household.refresh_from_db()
        services.household_flag_at_risk(household=household, today=D(2025, 12, 1))
        assert overdue_ids(D(2026, 1, 1)) == {pairing.pk}


class TestRollups:
    def test_coverage_and_overdue_roll_up_by_township(self, world):
        official = make_cadre(world.county)
        late = make_household(make_village(parent=world.township_a))
        on_time = make_household(make_village(parent=world.township_b))
        make_pairing(late, official, start=D(2026, 1, 1))
        make_pairing(on_time, official, start=D(2026, 3, 1))
        rows = {
            row["township_path"]: row
            for row in Pairing.objects.with_township_path().rollup("township_path", D(2026, 3, 15))
        }
        assert rows[world.township_a.path] == {
            "township_path": world.township_a.path,
            "pairings": 1,
            "overdue": 1,
        }
        assert rows[world.township_b.path]["overdue"] == 0

    def test_by_unit(self, world):
        unit_a = make_cadre(world.township_a)
        make_pairing(
            make_household(make_village(parent=world.township_a)), unit_a, start=D(2026, 1, 1)
        )
        rows = list(Pairing.objects.rollup("official__organization", D(2026, 3, 15)))
        assert rows == [
            {"official__organization": world.township_a.pk, "pairings": 1, "overdue": 1}
        ]


class TestQuotas:
    def test_quota_by_rank_with_the_seeded_defaults(self, world):
        # given the seeded quotas: county leaders 5, section chiefs 2, section deputies 1
        today = D(2026, 3, 1)
        PairingQuota.objects.update_or_create(level="county_deputy", defaults={"min_households": 5})
        PairingQuota.objects.update_or_create(level="section_chief", defaults={"min_households": 2})
        PairingQuota.objects.update_or_create(
            level="section_deputy", defaults={"min_households": 1}
        )
        leader = make_cadre(world.county, level="county_deputy")
        chief = make_cadre(world.county, level="section_chief")
        deputy = make_cadre(world.county, level="section_deputy")
        staff = make_cadre(world.county, level="staff")
        village = make_village(parent=world.township_a)
        for official, n in ((leader, 4), (chief, 2), (deputy, 0), (staff, 0)):
            for _ in range(n):
                make_pairing(make_household(village), official, start=D(2026, 2, 1))
        rows = {c.pk: c for c in officials_with_coverage(Cadre.objects.all(), today)}
        # then the county leader with 4 and the deputy with 0 are under quota; staff have none
        assert (rows[leader.pk].quota, rows[leader.pk].households) == (5, 4)
        assert rows[leader.pk].under_quota is True
        assert rows[chief.pk].under_quota is False
        assert rows[deputy.pk].under_quota is True
        assert rows[staff.pk].quota is None and rows[staff.pk].under_quota is False

    def test_one_more_household_brings_the_leader_to_quota(self, world):
        PairingQuota.objects.update_or_create(level="county_chief", defaults={"min_households": 5})
        leader = make_cadre(world.county, level="county_chief")
        village = make_village(parent=world.township_a)
        for _ in range(5):
            make_pairing(make_household(village), leader, start=D(2026, 2, 1))
        row = officials_with_coverage(
            type(leader).objects.filter(pk=leader.pk), D(2026, 3, 2)
        ).get()
        assert (row.households, row.overdue, row.under_quota) == (5, 5, False)


class TestFiveOnes:
    def fill(self, village, world, **overrides):
        cadre = make_cadre(world.county)
        values = {
            "status": village.status,
            "responsible_leader": cadre,
            "assisting_unit": world.county,
            "first_secretary": cadre,
            "work_team": [cadre],
            "technician_name": "张农技",
            "technician_phone": "13800000000",
        }
        values.update(overrides)
        return services.village_set_five_ones(village=village, **values)

    def test_a_village_with_all_five_is_complete(self, world):
        village = self.fill(make_village(parent=world.township_a), world)
        assert not Village.objects.incomplete().exists()
        assert Village.objects.with_five_ones().get(pk=village.pk).five_ones_complete is True

    @pytest.mark.parametrize(
        "missing",
        [
            {"responsible_leader": None},
            {"assisting_unit": None},
            {"first_secretary": None},
            {"work_team": []},
            {"technician_name": ""},
        ],
        ids=lambda m: next(iter(m)),
    )
    def test_missing_any_one_makes_it_incomplete(self, world, missing):
        village = self.fill(make_village(parent=world.township_a), world, **missing)
        assert list(Village.objects.incomplete()) == [village]

    def test_a_village_that_is_not_poor_needs_no_five_ones(self, world):
        make_village(parent=world.township_a, status="not_poor")
        assert not Village.objects.incomplete().exists()


class TestIncome:
    def test_net_income_per_head_is_the_sum_over_members(self, world, household):
        services.income_record(
            household=household,
            amounts={"wages": Decimal("9000"), "transfer": Decimal("3000")},
        )
        row = Household.objects.with_income().get(pk=household.pk)
        assert (row.member_count, row.total_income) == (3, Decimal("12000"))
        assert row.net_income_per_head == Decimal("4000")

    def test_no_members_gives_no_figure_rather_than_an_error(self, world):
        household = make_household(make_village(parent=world.township_a), members=0)
        assert Household.objects.with_income().get(pk=household.pk).net_income_per_head is None


class TestSelectors:
    def test_pairings_and_visits_of_a_cadre_newest_first(self, world, household):
        cadre = make_cadre(world.township_a)
        pairing = make_pairing(household, cadre, start=D(2026, 1, 1))
        older = log(pairing, D(2026, 1, 5))
        newer = log(pairing, D(2026, 2, 5))
        assert list(pairings_for_cadre(cadre)) == [pairing]
        assert list(visits_by_cadre(cadre)) == [newer, older]
