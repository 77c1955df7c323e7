"""Celery beat's entries for the core's housekeeping (read by portal/settings.py; no models)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Daily at 03:10: delete expired sessions (Django's clearsessions). Sessions live in the
    # database and every visit without a session cookie leaves a row behind.
    "housekeeping-clear-sessions": {
        "task": "portal.tasks.clear_sessions_task",
        "schedule": crontab(hour=3, minute=10),
    },
    # Daily at 03:20: forget form submission keys older than SUBMISSION_KEEP_DAYS.
    "portal-purge-submissions": {
        "task": "portal.tasks.submissions_purge_task",
        "schedule": crontab(hour=3, minute=20),
    },
    # Daily at 03:30: delete django-axes' records of sign-in attempts older than
    # AXES_LOG_RETENTION_DAYS (every sign-in writes one; axes never deletes them itself).
    "housekeeping-sign-in-logs": {
        "task": "portal.tasks.sign_in_logs_purge_task",
        "schedule": crontab(hour=3, minute=30),
    },
}
