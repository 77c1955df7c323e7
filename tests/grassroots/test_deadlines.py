"""The grassroots deadlines honour the engine's contract and yield the right items."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from grassroots import deadlines, services
from portal.deadlines import check_rows, registry
from tests.grassroots.factories import PartyMemberFactory

pytestmark = pytest.mark.django_db


def items(rows):
    check_rows(rows)
    return {row["item_key"]: row for row in rows}


def test_all_five_are_registered():
    keys = {k for k in registry() if k.startswith("grassroots.")}
    assert keys == {
        "grassroots.meeting_due",
        "grassroots.probation_end",
        "grassroots.term_end",
        "grassroots.secretary_lecture",
        "grassroots.activist_assessment",
        "grassroots.decision_notice",
        "grassroots.result_notice",
    }


class TestProbationEnd:
    def test_due_one_year_after_joining_until_made_full(self, world):
        member = PartyMemberFactory(
            branch=world.branch_a1, stage="probationary", joined_on=datetime.date(2025, 12, 5)
        )
        today = datetime.date(2026, 11, 28)
        # lookahead 7 days reaches 5 December, 6 days does not
        found = items(deadlines.probation_end_rows(today, 7, 0))
        assert found[str(member.pk)]["due_date"] == datetime.date(2026, 12, 5)
        assert found[str(member.pk)]["organization_id"] == world.branch_a1.pk
        assert "预备期满" in found[str(member.pk)]["title"]
        assert not items(deadlines.probation_end_rows(today, 6, 0))
        # once full, the item is closed
        services.member_advance(
            member=member, on=datetime.date(2026, 12, 5), today=datetime.date(2026, 12, 5)
        )
        assert not items(deadlines.probation_end_rows(today, 7, 0))

    def test_29_february_ends_on_28_february(self, world):
        member = PartyMemberFactory(
            branch=world.branch_a1, stage="probationary", joined_on=datetime.date(2024, 2, 29)
        )
        found = items(deadlines.probation_end_rows(datetime.date(2025, 2, 28), 0, 0))
        assert found[str(member.pk)]["due_date"] == datetime.date(2025, 2, 28)

    def test_a_member_who_left_the_county_is_not_reminded(self, world):
        member = PartyMemberFactory(
            branch=world.branch_a1, stage="probationary", joined_on=datetime.date(2025, 12, 5)
        )
        today = datetime.date(2026, 11, 28)
        assert str(member.pk) in items(deadlines.probation_end_rows(today, 7, 0))
        # when the member is transferred to an organisation outside the county
        services.member_remove(
            member=member,
            reason="transferred_out",
            on=datetime.date(2026, 11, 20),
            destination="邻县城关镇党委",
            today=today,
        )
        # then the branch's secretary is no longer reminded of the probation year
        assert str(member.pk) not in items(deadlines.probation_end_rows(today, 7, 0))


class TestTermEnd:
    def test_latest_term_only(self, world, roster):
        old = services.committee_term_create(
            organization=world.branch_a1,
            starts_on=datetime.date(2021, 12, 1),
            seats=[(roster[0], "secretary")],
        )
        today = datetime.date(2026, 11, 28)
        found = items(deadlines.term_end_rows(today, 3, 0))
        assert found[str(old.pk)]["due_date"] == datetime.date(2026, 12, 1)
        assert not items(deadlines.term_end_rows(today, 2, 0))
        # a new term is elected: the old one's end is no longer a deadline
        services.committee_term_create(
            organization=world.branch_a1,
            starts_on=datetime.date(2026, 11, 20),
            seats=[(roster[1], "secretary")],
        )
        assert not items(deadlines.term_end_rows(today, 3, 0))


class TestActivistAssessment:
    def test_half_a_year_after_the_last_assessment(self, world):
        person = PartyMemberFactory(
            branch=world.branch_a1,
            stage="activist",
            applied_on=datetime.date(2025, 1, 10),
            activist_on=datetime.date(2025, 5, 31),
        )
        # 31 May + 6 months = 30 November (PostgreSQL clamps to the month's end)
        found = items(deadlines.activist_assessment_rows(datetime.date(2025, 11, 30), 0, 0))
        assert found[f"{person.pk}:2025-11-30"]["due_date"] == datetime.date(2025, 11, 30)
        services.member_assess_activist(
            member=person,
            assessed_on=datetime.date(2025, 11, 30),
            notes="学习认真，表现良好",
            today=datetime.date(2025, 11, 30),
        )
        assert not items(deadlines.activist_assessment_rows(datetime.date(2025, 11, 30), 0, 0))
        later = items(deadlines.activist_assessment_rows(datetime.date(2026, 5, 30), 0, 0))
        assert list(later) == [f"{person.pk}:2026-05-30"]


class TestMeetingDue:
    def test_open_requirements_are_due_at_the_period_end(self, world, roster):
        today = datetime.date(2026, 11, 28)
        found = items(deadlines.meeting_due_rows(today, 3, 0))
        # within 3 days: the monthly requirements of November (ends 30 November) only
        a1 = {k: v for k, v in found.items() if v["organization_id"] == world.branch_a1.pk}
        assert len(a1) == 2  # committee meeting and theme Party day
        assert {row["due_date"] for row in a1.values()} == {datetime.date(2026, 11, 30)}
        assert any("主题党日" in row["title"] for row in a1.values())

    def test_a_held_meeting_closes_the_item_the_same_expression_as_the_table(self, world, roster):
        today = datetime.date(2026, 11, 28)
        services.meeting_record(
            organization=world.branch_a1,
            kind="theme_day",
            date=today,
            topic="主题党日",
            today=today,
        )
        found = items(deadlines.meeting_due_rows(today, 3, 0))
        titles = [r["title"] for r in found.values() if r["organization_id"] == world.branch_a1.pk]
        assert len(titles) == 1 and "支部委员会会议" in titles[0]

    def test_a_missed_period_stays_in_the_look_back(self, world, roster):
        today = datetime.date(2026, 12, 2)
        found = items(deadlines.meeting_due_rows(today, 0, 5))
        november = [
            r
            for r in found.values()
            if r["organization_id"] == world.branch_a1.pk
            and r["due_date"] == datetime.date(2026, 11, 30)
        ]
        assert len(november) == 2
        assert all(key.endswith(":2026-11-01") for key, r in found.items() if r in november)


class TestMembershipRules:
    def test_an_administrator_changes_the_intervals_without_code(self, world, client_as):
        from django.urls import reverse

        from grassroots.models import GrassrootsRules

        member = PartyMemberFactory(
            branch=world.branch_a1, stage="probationary", joined_on=datetime.date(2025, 12, 5)
        )
        activist = PartyMemberFactory(
            branch=world.branch_a1,
            stage="activist",
            applied_on=datetime.date(2025, 1, 10),
            activist_on=datetime.date(2025, 5, 31),
        )
        # given the administrator sets 18 months of probation and assessments every 3 months
        response = client_as("admin").post(
            reverse("admin:grassroots_grassrootsrules_change", args=[1]),
            {"probation_months": 18, "activist_assessment_months": 3},
        )
        assert response.status_code == 302
        assert GrassrootsRules.current().probation_months == 18

        # then the reminder and the service both count 18 months from 5 December 2025
        found = items(deadlines.probation_end_rows(datetime.date(2027, 6, 5), 0, 0))
        assert found[str(member.pk)]["due_date"] == datetime.date(2027, 6, 5)
        with pytest.raises(ValidationError, match="2027-06-05"):
            services.member_advance(
                member=member, on=datetime.date(2026, 12, 5), today=datetime.date(2027, 1, 1)
            )
        # and the activist is due for assessment 3 months after 31 May: 31 August
        found = items(deadlines.activist_assessment_rows(datetime.date(2025, 8, 31), 0, 0))
        assert found[f"{activist.pk}:2025-08-31"]["due_date"] == datetime.date(2025, 8, 31)


class TestMissedPeriodsLeaveMyDeadlines:
    """A period that can no longer be met stays on the secretary's list through its missed
    reminder and its escalation, then leaves it; the compliance table keeps it as missed."""

    def _november(self, secretary, today):
        from portal.reminders.selectors import ResponsibleItems

        return [
            item
            for item in ResponsibleItems(secretary, today=today)[:200]
            if item.deadline.key == "grassroots.meeting_due"
            and item.due_date == datetime.date(2026, 11, 30)
        ]

    def test_shown_until_the_escalation_day_then_gone(self, world, roster):
        secretary = world.user("secretary")
        assert len(self._november(secretary, datetime.date(2026, 12, 1))) == 2  # missed
        assert len(self._november(secretary, datetime.date(2026, 12, 3))) == 2  # escalated
        assert self._november(secretary, datetime.date(2026, 12, 4)) == []
        assert self._november(secretary, datetime.date(2027, 6, 1)) == []

    def test_the_escalation_rule_decides_how_long(self, world, roster):
        from portal.reminders.models import ReminderRule

        ReminderRule.objects.update_or_create(
            deadline_key="grassroots.meeting_due", defaults={"escalate_after_days": 10}
        )
        secretary = world.user("secretary")
        assert len(self._november(secretary, datetime.date(2026, 12, 10))) == 2
        assert self._november(secretary, datetime.date(2026, 12, 11)) == []
        # no escalation at all: gone the day after the missed reminder
        ReminderRule.objects.filter(deadline_key="grassroots.meeting_due").update(
            escalate_after_days=None
        )
        assert len(self._november(secretary, datetime.date(2026, 12, 1))) == 2
        assert self._november(secretary, datetime.date(2026, 12, 2)) == []

    def test_items_that_can_still_be_done_stay(self, world, roster):
        from portal.reminders.selectors import ResponsibleItems

        # the probationary member joined 2026-03-01: the year ended 2027-03-01, still open
        items = ResponsibleItems(world.user("secretary"), today=datetime.date(2027, 6, 1))[:200]
        assert any(i.deadline.key == "grassroots.probation_end" for i in items)

    def test_the_compliance_table_keeps_the_missed_period(self, world, roster):
        from grassroots.models import ComplianceCell, ComplianceStatus

        cells = ComplianceCell.objects.for_day(
            datetime.date(2026, 11, 15), today=datetime.date(2027, 6, 1)
        ).filter(organization=world.branch_a1, period_end=datetime.date(2026, 11, 30))
        assert cells.count() == 2
        assert set(cells.values_list("status", flat=True)) == {ComplianceStatus.MISSED}
