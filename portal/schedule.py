"""Celery beat's entries for the core's housekeeping (read by portal/settings.py; no models)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Daily at 03:20: forget form submission keys older than SUBMISSION_KEEP_DAYS.
    "portal-purge-submissions": {
        "task": "portal.tasks.submissions_purge_task",
        "schedule": crontab(hour=3, minute=20),
    },
}
