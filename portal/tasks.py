"""The core's housekeeping tasks (scheduled in portal/schedule.py)."""

from celery import shared_task

from portal import submissions


@shared_task
def submissions_purge_task() -> int:
    return submissions.purge()
