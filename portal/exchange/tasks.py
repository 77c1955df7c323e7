"""Thin tasks of the data exchange. They run on the `exchange` queue (CELERY_TASK_ROUTES in
settings), served by a worker of their own in production, so that a 100,000-row export
never delays the reminders on the default queue."""

import pghistory
from celery import shared_task

from portal.exchange import services


# Safe to repeat (the job is claimed with SKIP LOCKED and written again from the start), so
# it acknowledges late: a worker killed mid-export leaves the message to run again. The
# time limit leaves room for a few hundred thousand rows on a slow machine.
@shared_task(acks_late=True, time_limit=1800, soft_time_limit=1740)
def export_run_task(job_id: int) -> int:
    with pghistory.context(source="exchange.export"):
        job = services.export_run(job_id=job_id)
    return job.rows_done if job else 0


@shared_task(acks_late=True, time_limit=300, soft_time_limit=270)
def exports_purge_task() -> int:
    """Delete the files of expired exports (beat, hourly)."""
    return services.exports_purge()
