"""The sweep: which reminders are recorded, for whom, and only once."""

from datetime import timedelta

import psycopg
import pytest
from django.db import connection

from portal.deadlines import Deadline
from portal.reminders.models import Reminder, ReminderRule
from portal.reminders.rows import escalation_roles
from portal.reminders.services import reminders_sweep
from portal.reminders.services.sweep import SWEEP_LOCK_KEY
from portal.roles import Role
from tests.factories import UserFactory
from tests.reminders.conftest import TODAY
from tests.reminders.factories import branch_item, personal_item, secretary_of

pytestmark = pytest.mark.usefixtures("test_deadlines")


def stages_of(user):
    return sorted(Reminder.objects.filter(recipient=user).values_list("stage", flat=True))


def sweep_days(first, last):
    day = first
    while day <= last:
        reminders_sweep(today=day)
        day += timedelta(days=1)


def test_a_week_ahead_the_secretary_is_reminded_once(world):
    # given a branch item due in 7 days with a secretary
    branch = branch_item(world.township_a, TODAY + timedelta(days=7))
    secretary = secretary_of(branch)

    # when the sweep runs twice that day
    first = reminders_sweep(today=TODAY)
    second = reminders_sweep(today=TODAY)

    # then exactly one reminder, "7 days ahead", is recorded for the secretary
    assert stages_of(secretary) == ["ahead_7"]
    assert first.inserted["tests.branch_due"] == 1
    assert second.total == 0
    reminder = Reminder.objects.get(recipient=secretary)
    assert reminder.state == Reminder.State.PENDING
    assert reminder.due_date == TODAY + timedelta(days=7)
    assert reminder.organization == branch
    assert reminder.title == branch.name
    assert reminder.url == f"/?branch={branch.pk}"


def test_daily_sweeps_record_each_stage_once_up_to_escalation(world):
    due = TODAY + timedelta(days=7)
    branch = branch_item(world.township_a, due)
    secretary = secretary_of(branch)
    township_staff = UserFactory(role=Role.STAFF, organization=world.township_a)

    # when the sweep runs every day from a week ahead to five days after
    sweep_days(TODAY, due + timedelta(days=5))

    # then the secretary was reminded ahead, on the day and when missed, once each
    assert stages_of(secretary) == ["ahead_3", "ahead_7", "due", "missed"]
    # and three days late (the default) the township above was told
    assert stages_of(township_staff) == ["escalated"]
    escalated = Reminder.objects.get(recipient=township_staff)
    assert escalated.due_date == due
    # the county's staff is not told: the township, nearer, has staff
    assert stages_of(world.user(Role.STAFF)) == []


def test_escalation_goes_further_up_when_the_organisation_above_has_nobody(world):
    # township A has only the helper: nobody in the secretary or staff role
    branch = branch_item(world.township_a, TODAY - timedelta(days=3))
    secretary_of(branch)

    reminders_sweep(today=TODAY)

    assert stages_of(world.user(Role.STAFF)) == ["escalated"]
    assert stages_of(world.user(Role.HELPER)) == []
    assert stages_of(world.user(Role.LEADER)) == []


def test_a_missed_sweep_is_caught_up(world):
    # given an item due yesterday, and no sweep ran yesterday or the day before
    due = TODAY - timedelta(days=1)
    branch = branch_item(world.township_a, due)
    secretary = secretary_of(branch)
    reminders_sweep(today=due - timedelta(days=3))

    # when the sweep runs today
    reminders_sweep(today=TODAY)

    # then the "missed" reminder is there; the "on the day" one is not sent late
    assert stages_of(secretary) == ["ahead_3", "missed"]


def test_an_item_created_late_gets_only_the_nearest_reminder_ahead(world):
    branch = branch_item(world.township_a, TODAY + timedelta(days=2))
    secretary = secretary_of(branch)

    reminders_sweep(today=TODAY)

    assert stages_of(secretary) == ["ahead_3"]


def test_the_rule_decides_the_lead_days_and_escalation(world):
    due = TODAY + timedelta(days=10)
    branch = branch_item(world.township_a, due)
    secretary = secretary_of(branch)
    reminders_sweep(today=TODAY - timedelta(days=30))  # creates the rules with defaults
    ReminderRule.objects.filter(deadline_key="tests.branch_due").update(
        lead_days=[10], on_the_day=False, escalate_after_days=None
    )

    sweep_days(TODAY, due + timedelta(days=10))

    assert stages_of(secretary) == ["ahead_10", "missed"]
    assert not Reminder.objects.filter(stage="escalated").exists()


def test_a_disabled_rule_records_nothing(world):
    branch = branch_item(world.township_a, TODAY)
    secretary_of(branch)
    ReminderRule.objects.create(deadline_key="tests.branch_due", enabled=False)

    reminders_sweep(today=TODAY)

    assert not Reminder.objects.exists()


def test_only_active_secretaries_of_that_branch_are_responsible(world):
    branch = branch_item(world.township_a, TODAY)
    active = secretary_of(branch)
    secretary_of(branch, is_active=False)
    UserFactory(role=Role.STAFF, organization=branch)  # not the deadline's role

    reminders_sweep(today=TODAY)

    assert list(Reminder.objects.values_list("recipient", flat=True)) == [active.pk]


def test_a_named_user_is_responsible_even_when_deactivated(world):
    # the row is kept so that delivery can record why it was skipped
    helper = personal_item(world.user(Role.HELPER), TODAY + timedelta(days=3))
    helper.is_active = False
    helper.save(update_fields=["is_active"])

    reminders_sweep(today=TODAY)

    assert stages_of(helper) == ["ahead_3"]


def test_a_personal_deadline_escalates_to_staff_above(world):
    helper = personal_item(world.user(Role.HELPER), TODAY - timedelta(days=4))

    reminders_sweep(today=TODAY)

    assert stages_of(helper) == ["missed"]
    assert stages_of(world.user(Role.STAFF)) == ["escalated"]


def test_a_broken_deadline_does_not_stop_the_sweep(world, test_deadlines, monkeypatch):
    def broken_rows(today, lookahead_days, lookback_days):
        raise RuntimeError("this app's query is broken")

    broken = Deadline(
        key="tests.broken", label="broken", app="tests", rows=broken_rows, url=str, roles=()
    )
    monkeypatch.setitem(test_deadlines, broken.key, broken)
    import portal.deadlines

    monkeypatch.setitem(portal.deadlines._REGISTRY, broken.key, broken)
    branch = branch_item(world.township_a, TODAY)
    secretary = secretary_of(branch)

    result = reminders_sweep(today=TODAY)

    assert "tests.broken" in result.failed
    assert stages_of(secretary) == ["due"]


@pytest.mark.django_db(transaction=True)
def test_a_second_sweep_while_one_runs_does_nothing(world):
    branch = branch_item(world.township_a, TODAY)
    secretary_of(branch)
    params = connection.settings_dict
    # given another process holds the sweep's lock
    with psycopg.connect(
        dbname=params["NAME"],
        user=params["USER"],
        host=params["HOST"],
        port=params["PORT"] or None,
        password=params["PASSWORD"] or None,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [SWEEP_LOCK_KEY])
        # when this sweep runs
        result = reminders_sweep(today=TODAY)
    # then it backs off and records nothing
    assert result is None
    assert not Reminder.objects.exists()


def test_escalation_reaches_only_roles_that_may_read_the_record():
    # a complaint's deadline: staff see supervision as statistics only
    complaint = Deadline(
        key="x.c", label="c", app="supervision", rows=None, url=str, roles=("supervisor",)
    )
    meeting = Deadline(
        key="x.m", label="m", app="grassroots", rows=None, url=str, roles=("secretary",)
    )

    assert escalation_roles(complaint) == ["supervisor"]
    assert escalation_roles(meeting) == ["secretary", "staff"]
