"""Read-side rules: compliance per period and its rollup, search, the cadre selector."""

import datetime

import pytest

from grassroots import selectors, services
from grassroots.models import ComplianceCell, MeetingKind, MeetingRequirement, PartyMember
from tests.grassroots.factories import PartyMemberFactory

pytestmark = pytest.mark.django_db
Kind = MeetingKind


def status_of(org, kind, day, today):
    cell = (
        ComplianceCell.objects.for_day(day, today=today)
        .filter(organization=org, requirement__kind=kind)
        .get()
    )
    return cell.status


def hold(org, kind, day, **kwargs):
    return services.meeting_record(
        organization=org, kind=kind, date=day, topic="会议", today=day, **kwargs
    )


class TestComplianceStatus:
    def test_due_while_the_period_runs_then_missed(self, world, roster):
        day = datetime.date(2026, 8, 10)
        assert status_of(world.branch_a1, Kind.GENERAL, day, today=day) == "due"
        assert (
            status_of(world.branch_a1, Kind.GENERAL, day, today=datetime.date(2026, 9, 30)) == "due"
        )
        assert (
            status_of(world.branch_a1, Kind.GENERAL, day, today=datetime.date(2026, 10, 1))
            == "missed"
        )

    def test_quarter_end_belongs_to_its_quarter(self, world, roster):
        hold(world.branch_a1, Kind.GENERAL, datetime.date(2026, 9, 30))
        today = datetime.date(2026, 10, 1)
        assert status_of(world.branch_a1, Kind.GENERAL, datetime.date(2026, 7, 1), today) == "met"
        assert status_of(world.branch_a1, Kind.GENERAL, datetime.date(2026, 10, 1), today) == "due"

    def test_year_end_belongs_to_its_year(self, world, roster):
        hold(world.branch_a1, Kind.ORG_LIFE, datetime.date(2025, 12, 31))
        today = datetime.date(2026, 1, 1)
        assert status_of(world.branch_a1, Kind.ORG_LIFE, datetime.date(2025, 1, 1), today) == "met"
        assert status_of(world.branch_a1, Kind.ORG_LIFE, today, today) == "due"

    def test_29_february_counts_for_february(self, world, roster):
        hold(world.branch_a1, Kind.THEME_DAY, datetime.date(2028, 2, 29))
        today = datetime.date(2028, 3, 1)
        assert status_of(world.branch_a1, Kind.THEME_DAY, datetime.date(2028, 2, 1), today) == "met"
        assert status_of(world.branch_a1, Kind.THEME_DAY, today, today) == "due"

    def test_a_planned_meeting_does_not_count(self, world, roster):
        services.meeting_plan(
            organization=world.branch_a1,
            kind=Kind.LECTURE,
            date=datetime.date(2026, 11, 3),
            topic="党课",
            today=datetime.date(2026, 11, 1),
        )
        day = datetime.date(2026, 11, 28)
        assert status_of(world.branch_a1, Kind.LECTURE, day, today=day) == "due"

    def test_a_meeting_below_quorum_does_not_count(self, world, roster):
        absent = {m.pk: ("absent", "外出") for m in roster[:2]}
        hold(world.branch_a1, Kind.GENERAL, datetime.date(2026, 9, 10), attendance=absent)
        today = datetime.date(2026, 10, 1)
        assert (
            status_of(world.branch_a1, Kind.GENERAL, datetime.date(2026, 9, 1), today) == "missed"
        )

    def test_requirements_follow_the_table(self, world, roster):
        # an administrator makes lectures monthly: the next month is then a new period
        MeetingRequirement.objects.filter(kind=Kind.LECTURE).update(frequency="month")
        hold(world.branch_a1, Kind.LECTURE, datetime.date(2026, 10, 5))
        today = datetime.date(2026, 11, 2)
        assert status_of(world.branch_a1, Kind.LECTURE, today, today) == "due"
        # and switching a requirement off removes it from compliance
        MeetingRequirement.objects.filter(kind=Kind.LECTURE).update(is_active=False)
        assert not ComplianceCell.objects.filter(requirement__kind=Kind.LECTURE).exists()

    def test_groups_and_committees_get_their_own_requirements(self, world):
        group = services.party_group_create(branch=world.branch_a1, name="第一党小组")
        kinds = set(
            ComplianceCell.objects.filter(organization=group).values_list(
                "requirement__kind", flat=True
            )
        )
        assert kinds == {Kind.GROUP}
        township_kinds = set(
            ComplianceCell.objects.filter(organization=world.township_a).values_list(
                "requirement__kind", flat=True
            )
        )
        assert township_kinds == {Kind.DEMOCRATIC_LIFE}


class TestRollup:
    def test_rollup_across_three_levels(self, world, roster):
        # county → township A → branch A1 → a Party group (and branch A2, township B)
        group = services.party_group_create(branch=world.branch_a1, name="第一党小组")
        day = datetime.date(2026, 11, 10)
        hold(world.branch_a1, Kind.THEME_DAY, day)
        hold(group, Kind.GROUP, day)
        today = datetime.date(2026, 12, 1)  # November is over: what was not held is missed
        cells = ComplianceCell.objects.for_day(day, today=today)

        by_township = {r["child_path"]: r for r in cells.rollup(world.county)}
        a = by_township[world.township_a.path]
        # township A: its own democratic life meeting + 2 branches × 6 requirements + 1 group.
        # met: A1's theme day and the group's meeting; missed: the monthly committee meetings
        # of A1 and A2 and A2's theme day; due: the quarterly and yearly ones (Q4 runs on).
        assert (a["met"], a["due"], a["missed"]) == (2, 1 + 2 * 4, 3)
        b = by_township[world.township_b.path]
        assert b["met"] == 0

        by_branch = {r["child_path"]: r for r in cells.rollup(world.township_a)}
        assert by_branch[world.branch_a1.path]["met"] == 2  # the group's meeting rolls up
        assert by_branch[world.branch_a2.path]["met"] == 0
        # committee (monthly) is missed in A1 and A2; quarterly and yearly ones are still due
        assert by_branch[world.branch_a1.path]["missed"] == 1
        assert by_branch[world.branch_a2.path]["missed"] == 2

        by_group = {r["child_path"]: r for r in cells.rollup(world.branch_a1)}
        assert by_group == {group.path: {"child_path": group.path, "met": 1, "due": 0, "missed": 0}}

    def test_rollup_is_one_query(self, world, roster, django_assert_num_queries):
        cells = ComplianceCell.objects.for_day(
            datetime.date(2026, 11, 1), today=datetime.date(2026, 11, 1)
        )
        with django_assert_num_queries(1):
            list(cells.rollup(world.county))


class TestSearchAndSelectors:
    def test_search_by_name_or_pinyin_initials(self, world):
        PartyMemberFactory(branch=world.branch_a1, name="张三丰")
        PartyMemberFactory(branch=world.branch_a1, name="李四")
        found = lambda text: list(PartyMember.objects.search(text).values_list("name", flat=True))  # noqa: E731
        assert found("zsf") == ["张三丰"]
        assert found("ZS") == ["张三丰"]
        assert found("三") == ["张三丰"]
        assert found("sf") == []

    def test_meetings_attended_by_cadre(self, world, roster, django_assert_num_queries):
        from cadres.models import Cadre

        cadre = Cadre.objects.create(
            name=roster[0].name,
            gender=roster[0].gender,
            birth_date=roster[0].birth_date,
            id_number=roster[0].id_number,
            organization=world.branch_a1,
        )
        PartyMember.objects.filter(pk=roster[0].pk).update(cadre=cadre)
        older = hold(world.branch_a1, Kind.GENERAL, datetime.date(2026, 9, 1))
        newer = hold(world.branch_a1, Kind.LECTURE, datetime.date(2026, 10, 1))
        hold(
            world.branch_a1,
            Kind.THEME_DAY,
            datetime.date(2026, 11, 1),
            attendance={roster[0].pk: ("leave", "病假")},
        )
        with django_assert_num_queries(1):
            rows = [
                (a.meeting.pk, a.meeting.organization.name)
                for a in selectors.meetings_attended_by_cadre(cadre)
            ]
        assert rows == [(newer.pk, "甲一村党支部"), (older.pk, "甲一村党支部")]
