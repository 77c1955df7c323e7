"""What only grows is deleted daily: expired sessions and old sign-in records."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal import housekeeping
from portal.celery import app
from portal.tasks import clear_sessions_task, sign_in_logs_purge_task


def test_beat_runs_both_daily_and_the_worker_knows_the_tasks():
    schedule = settings.CELERY_BEAT_SCHEDULE
    for entry, task in [
        ("housekeeping-clear-sessions", clear_sessions_task),
        ("housekeeping-sign-in-logs", sign_in_logs_purge_task),
    ]:
        assert schedule[entry]["task"] == task.name
        cron = schedule[entry]["schedule"]
        assert len(cron.hour) == 1 and len(cron.minute) == 1  # once a day
        assert task.name in app.tasks


@pytest.mark.django_db
def test_expired_sessions_go_and_live_ones_stay(client, world):
    client.force_login(world.user("staff"))
    live = Session.objects.get()
    Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - timedelta(days=1)
    )
    assert clear_sessions_task() == 1
    assert list(Session.objects.all()) == [live]
    # the signed-in user is still signed in
    assert client.get("/").status_code == 200
    assert clear_sessions_task() == 0


@pytest.mark.django_db
def test_sign_in_records_past_their_retention_go(settings):
    settings.AXES_LOG_RETENTION_DAYS = 90
    now = timezone.now()
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        for age in (91, 10):
            row = model.objects.create(
                username=f"u{age}",
                ip_address="10.0.0.1",
                user_agent="t",
                **({"failures_since_start": 1} if model is AccessAttempt else {}),
            )
            # attempt_time is auto_now_add: set the age afterwards
            model.objects.filter(pk=row.pk).update(attempt_time=now - timedelta(days=age))
    assert housekeeping.sign_in_logs_purge(now=now) == 3
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        assert list(model.objects.values_list("username", flat=True)) == ["u10"]
