"""Thin Celery tasks: they take a job id and run the engine. Routed to the `exchange` queue
(settings.CELERY_TASK_ROUTES), so a big import never delays the reminders."""

from celery import shared_task
from django.utils import translation

from . import engine
from .models import ImportJob


def _job(job_pk: int, status: str) -> ImportJob | None:
    return ImportJob.objects.filter(pk=job_pk, status=status).select_related("user").first()


# Long imports need more than the default limits (300 s hard, 240 s soft).
LIMITS = {"time_limit": 1800, "soft_time_limit": 1700}


@shared_task(**LIMITS)
def import_validate_task(job_pk: int, language: str = "zh-hans") -> None:
    updated = ImportJob.objects.filter(pk=job_pk, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.VALIDATING
    )
    if not updated:
        return  # already taken by another delivery of this message
    job = _job(job_pk, ImportJob.Status.VALIDATING)
    with translation.override(language):
        engine.run(job, apply=False)


@shared_task(**LIMITS)
def import_apply_task(job_pk: int, user_pk: int, language: str = "zh-hans") -> None:
    job = _job(job_pk, ImportJob.Status.APPLYING)
    if job is None:
        return
    from portal.models import User

    with translation.override(language):
        engine.run(job, apply=True, user=User.objects.get(pk=user_pk))
