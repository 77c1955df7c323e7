"""The core's housekeeping tasks (scheduled in portal/schedule.py). Each is idempotent: a
repeat deletes nothing."""

from celery import shared_task
from celery.utils.log import get_task_logger

from portal import housekeeping, submissions

logger = get_task_logger(__name__)


@shared_task
def submissions_purge_task() -> int:
    return submissions.purge()


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def clear_sessions_task() -> int:
    deleted = housekeeping.sessions_clear()
    logger.info("deleted %d expired sessions", deleted)
    return deleted


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def sign_in_logs_purge_task() -> int:
    deleted = housekeeping.sign_in_logs_purge()
    logger.info("deleted %d sign-in log records", deleted)
    return deleted
