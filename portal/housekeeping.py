"""Deleting what only grows: expired sessions and old sign-in logs (the daily tasks)."""

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone


def sessions_clear(*, now=None) -> int:
    """What `manage.py clearsessions` does for the database backend, counted."""
    deleted, _ = Session.objects.filter(expire_date__lt=now or timezone.now()).delete()
    return deleted


def sign_in_logs_purge(*, now=None, days: int | None = None) -> int:
    """Sign-in records older than AXES_LOG_RETENTION_DAYS. A running lockout is an
    AccessAttempt younger than the cool-off (minutes): never touched by a limit in days."""
    days = settings.AXES_LOG_RETENTION_DAYS if days is None else days
    before = (now or timezone.now()) - timedelta(days=days)
    deleted = 0
    for model, field in [
        (AccessLog, "attempt_time"),
        (AccessFailureLog, "attempt_time"),
        (AccessAttempt, "attempt_time"),
    ]:
        count, _ = model.objects.filter(**{f"{field}__lt": before}).delete()
        deleted += count
    return deleted
