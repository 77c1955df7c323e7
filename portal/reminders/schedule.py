"""Celery beat's schedule for the reminder engine, in code (read by portal/settings.py).

Run exactly one beat. If two run by mistake nothing is done twice: the sweep takes a
PostgreSQL advisory lock and inserts with ON CONFLICT DO NOTHING, and delivery and e-mail
claim rows with SELECT ... FOR UPDATE SKIP LOCKED. No entry uses an ETA or a countdown:
the Redis broker may run a long-delayed task twice. Times are in CELERY_TIMEZONE
(Asia/Shanghai). This module must not import Django models: settings import it.
"""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Every 15 minutes: work out in SQL which reminders are due and record them. Each sweep
    # looks at a window of dates, so a sweep missed while Redis or beat was down is caught up.
    "reminders-sweep": {
        "task": "portal.reminders.tasks.sweep_reminders_task",
        "schedule": crontab(minute="*/15"),
    },
    # Every minute: deliver recorded reminders in-app, queue immediate e-mails, and release
    # e-mail claims left behind by a worker that died.
    "reminders-deliver": {
        "task": "portal.reminders.tasks.deliver_reminders_task",
        "schedule": crontab(),
    },
    # Daily at 07:30: one digest e-mail per user who prefers digests.
    "reminders-digest": {
        "task": "portal.reminders.tasks.send_digests_task",
        "schedule": crontab(hour=7, minute=30),
    },
}
