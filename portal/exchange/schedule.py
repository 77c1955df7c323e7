"""Celery beat's entries for the data exchange (read by portal/settings.py; no models)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Hourly, at minute 40: delete export files past their time (EXPORT_FILE_HOURS) and give
    # up on jobs a lost worker left waiting. Runs on the exchange queue (task routes).
    "exchange-purge-exports": {
        "task": "portal.exchange.tasks.exports_purge_task",
        "schedule": crontab(minute=40),
    },
}
