"""Thin Celery tasks over the services (STYLE.md rule 5).

Tasks take ids and ISO dates, never model instances. Each has a hard and a soft time limit.
All are safe to repeat (the services claim rows with SKIP LOCKED and insert with ON
CONFLICT DO NOTHING), so all acknowledge late: a worker killed mid-task leaves the message
to be run again. No task schedules another with a countdown longer than five minutes.
"""

from datetime import date

import pghistory
from celery import shared_task
from celery.utils.log import get_task_logger

from portal import metrics
from portal.reminders import services

logger = get_task_logger(__name__)


def _day(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def sweep_reminders_task(today: str | None = None) -> int:
    """Record the due reminders (beat, every 15 minutes), then deliver them."""
    with pghistory.context(source="reminders.sweep"):
        result = services.reminders_sweep(today=_day(today))
    if result is None:
        return 0
    for key, error in result.failed.items():
        logger.error("deadline %s could not be swept: %s", key, error)
    # The figures /metrics shows (portal/metrics.py).
    metrics.record_sweep(recorded=result.total, failed=len(result.failed))
    deliver_reminders_task.delay()
    return result.total


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def deliver_reminders_task() -> int:
    """Deliver pending reminders in-app and queue e-mails (beat, every minute)."""
    result = services.reminders_deliver()
    recovered = services.reminders_email_recover()
    for reminder_id in recovered.immediate:
        send_reminder_email_task.delay(reminder_id)
    for user_id in recovered.digests:
        send_digest_task.delay(user_id)
    if recovered.released:
        logger.warning("released %d e-mail claims of a worker that died", recovered.released)
    return result.delivered


# The hard limit (60 s) stays well under REMINDERS_EMAIL_CLAIM_TIMEOUT (600 s): a claim is
# only released when its sender is certainly gone.
@shared_task(bind=True, acks_late=True, time_limit=60, soft_time_limit=45, max_retries=None)
def send_reminder_email_task(self, reminder_id: int) -> bool:
    """One reminder's e-mail, for users who want mail immediately; retried with backoff."""
    try:
        return services.reminder_email_send(reminder_id=reminder_id)
    except services.EmailNotSent as exc:
        if not exc.retry:
            return False
        raise self.retry(countdown=services.email_retry_delay(exc.attempts)) from exc


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def send_digests_task(today: str | None = None) -> int:
    """Queue one digest per user who prefers digests (beat, daily at 07:30)."""
    count = 0
    for user_id in services.digest_recipient_ids():
        send_digest_task.delay(user_id, today)
        count += 1
    return count


@shared_task(bind=True, acks_late=True, time_limit=60, soft_time_limit=45, max_retries=None)
def send_digest_task(self, user_id: int, today: str | None = None) -> int:
    """One user's digest e-mail; retried with backoff."""
    try:
        return services.reminders_digest_send(user_id=user_id, today=_day(today))
    except services.EmailNotSent as exc:
        if not exc.retry:
            return 0
        raise self.retry(countdown=services.email_retry_delay(exc.attempts)) from exc
