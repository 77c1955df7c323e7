"""The tasks and beat's schedule keep the issue's rules: ids and ISO dates in, time limits,
late acknowledgement, no long countdowns, a seeded rule per known deadline."""

import pytest
from celery.schedules import crontab
from django.conf import settings

from portal.celery import app
from portal.reminders import tasks
from portal.reminders.models import Reminder, ReminderRule
from tests.reminders.conftest import TODAY
from tests.reminders.factories import branch_item, secretary_of

REMINDER_TASKS = [
    tasks.sweep_reminders_task,
    tasks.deliver_reminders_task,
    tasks.send_reminder_email_task,
    tasks.send_digests_task,
    tasks.send_digest_task,
]


def test_beat_runs_the_sweep_delivery_and_digest_from_code():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["reminders-sweep"]["schedule"] == crontab(minute="*/15")
    assert schedule["reminders-deliver"]["schedule"] == crontab()
    assert schedule["reminders-digest"]["schedule"] == crontab(hour=7, minute=30)
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"
    # the worker imports every app's tasks module at start (autodiscovery); so does this test,
    # rather than relying on another test having imported them first
    app.loader.import_default_modules()
    for entry in schedule.values():
        assert entry["task"] in app.tasks
        assert "options" not in entry  # no ETA or countdown


@pytest.mark.parametrize("task", REMINDER_TASKS, ids=lambda t: t.name.rsplit(".", 1)[-1])
def test_every_task_has_time_limits_and_acks_late(task):
    assert task.name.endswith("_task")
    assert task.time_limit and task.soft_time_limit
    assert task.soft_time_limit < task.time_limit
    assert task.acks_late is True


def test_an_email_claim_outlives_the_email_tasks_hard_limit():
    # otherwise a slow but living sender could see its claim released and the mail doubled
    assert tasks.send_reminder_email_task.time_limit < settings.REMINDERS_EMAIL_CLAIM_TIMEOUT
    assert settings.REMINDERS_EMAIL_REQUEUE_AFTER > 300  # the longest retry countdown


def test_the_sweep_task_takes_an_iso_date(world, test_deadlines, monkeypatch):
    monkeypatch.setattr(tasks.deliver_reminders_task, "delay", lambda: None)
    secretary = secretary_of(branch_item(world.township_a, TODAY))

    recorded = tasks.sweep_reminders_task.run(TODAY.isoformat())

    assert recorded == 1
    assert Reminder.objects.get(recipient=secretary).stage == "due"


def test_rules_are_seeded_for_the_deadlines_of_domain_section_6(db):
    assert ReminderRule.objects.get(deadline_key="supervision.accept_due").lead_days == [7, 3]
    assert ReminderRule.objects.get(deadline_key="grassroots.term_end").lead_days == [30, 7, 3]
    assert ReminderRule.objects.count() >= 15
