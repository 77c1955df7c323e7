"""Every write of the export side (STYLE.md rule 2): recording an export, revealing ID
numbers for it, writing a large one in the background, offering it, and clearing old files.

One path for every caller: the export buttons of the list pages and registers
(portal/exchange/views.py), the background task (tasks.py) and `manage.py export` all call
`export_start` and `export_write`.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, QueryDict
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.exchange import registry as exports
from portal.exchange.registry import Export, ExportQuery
from portal.exchange.writer import Table, csv_chunks, write_csv, write_xlsx
from portal.models import ExportJob
from portal.services import reveal_many_record

logger = logging.getLogger(__name__)

EXPORT_READY = "exchange.export_ready"
# The field a reveal of ID numbers names in the RevealLog.
ID_NUMBER = "id_number"


@dataclass
class Started:
    job: ExportJob
    tables: Sequence[Table]

    @property
    def in_background(self) -> bool:
        return self.job.status == ExportJob.Status.QUEUED


def filename_for(export: Export, fmt: str, today: datetime.date) -> str:
    return f"{export.title}-{today:%Y%m%d}.{fmt}"


def export_query(*, user, params: QueryDict | dict, kwargs: dict | None = None, today=None):
    if not isinstance(params, QueryDict):
        query = QueryDict(mutable=True)
        for key, values in (params or {}).items():
            query.setlist(key, values if isinstance(values, list) else [values])
        params = query
    return ExportQuery(
        user=user, params=params, kwargs=dict(kwargs or {}), today=today or timezone.localdate()
    )


def export_tables(export: Export, query: ExportQuery) -> list[Table]:
    """The export's tables for this query, labels in Chinese whatever the UI language (the
    import reads choices by their Chinese labels)."""
    with translation.override(settings.LANGUAGE_CODE):
        return list(export.tables(query))


@transaction.atomic
def export_start(
    *,
    export: Export,
    query: ExportQuery,
    fmt: str,
    full_ids: bool = False,
    source: str = ExportJob.Source.WEB,
    ip_address: str | None = None,
    background: bool | None = None,
) -> Started:
    """Check the user's right, count the rows, record the export (and the reveal of full ID
    numbers, once, naming the count) and decide where it is written: at once, or, above
    settings.EXPORT_BACKGROUND_ROWS rows, by the `exchange` worker (queued on commit).

    Raises PermissionDenied when the user may not export this or may not see ID numbers in
    full, ValidationError for a format the export does not offer, Http404 for a record
    outside the user's reach (raised by the export's `tables`).
    """
    user = query.user
    if not export.permits(user):
        raise PermissionDenied(_("Your role may not export this list."))
    if fmt not in export.formats:
        raise ValidationError(_("This export is not available as %(format)s.") % {"format": fmt})
    if full_ids and not export.reveals_for(user):
        raise PermissionDenied(_("Your role may not export ID numbers in full."))
    tables = export_tables(export, query)
    total = sum(table.count() for table in tables)
    if background is None:
        background = total > settings.EXPORT_BACKGROUND_ROWS
    now = timezone.now()
    job = ExportJob.objects.create(
        user=user,
        kind=export.kind,
        title=export.title,
        params={key: query.params.getlist(key) for key in query.params},
        kwargs=query.kwargs,
        format=fmt,
        full_ids=full_ids,
        source=source,
        status=ExportJob.Status.QUEUED if background else ExportJob.Status.DONE,
        rows_total=total,
        rows_done=0 if background else total,
        filename=filename_for(export, fmt, query.today),
        finished_at=None if background else now,
    )
    if full_ids:
        reveal_many_record(user=user, obj=job, field=ID_NUMBER, count=total, ip_address=ip_address)
    if background:
        from portal.exchange.tasks import export_run_task

        transaction.on_commit(lambda: export_run_task.delay(job.pk))
    return Started(job=job, tables=tables)


def export_write(tables: Sequence[Table], fmt: str, target, *, reveal: bool, progress=None):
    """Write the tables to a binary file object in the format; returns the rows written."""
    with translation.override(settings.LANGUAGE_CODE):
        if fmt == ExportJob.Format.CSV:
            return write_csv(tables[0], target, reveal=reveal, progress=progress)
        return write_xlsx(tables, target, reveal=reveal, progress=progress)


def export_stream(tables: Sequence[Table], *, reveal: bool):
    """CSV chunks for a StreamingHttpResponse; the labels stay Chinese while it streams."""
    with translation.override(settings.LANGUAGE_CODE):
        yield from csv_chunks(tables[0], reveal=reveal)


# --- In the background ---------------------------------------------------------------------


def _claim(job_id: int) -> ExportJob | None:
    """Take a queued job (or one whose worker died while running it: the message came back)."""
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update(skip_locked=True)
            .filter(pk=job_id, status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING])
            .select_related("user")
            .first()
        )
        if job is None:
            return None
        job.status = ExportJob.Status.RUNNING
        job.rows_done = 0
        job.save(update_fields=["status", "rows_done", "updated_at"])
        return job


def _notify(job: ExportJob, title: str) -> None:
    from portal.reminders.services import notification_send

    until = timezone.localdate(job.expires_at) if job.expires_at else timezone.localdate()
    notification_send(
        recipient=job.user, key=EXPORT_READY, item_key=str(job.pk), title=title, until=until
    )


def _fail(job: ExportJob, message: str) -> ExportJob:
    job.status = ExportJob.Status.FAILED
    job.error = message[:300]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at", "updated_at"])
    with translation.override(settings.LANGUAGE_CODE):
        _notify(job, _("Export failed: %(title)s") % {"title": job.title})
    return job


def export_run(*, job_id: int) -> ExportJob | None:
    """Write a queued export to a private file, telling its progress, then offer it to the
    user who asked with a notification. The same tables and writer as an immediate export;
    the user's right is checked again, as it stands now."""
    job = _claim(job_id)
    if job is None:
        return None
    export = exports.get(job.kind)
    if export is None or not job.user.is_active or not export.permits(job.user):
        return _fail(job, _("You may no longer export this list."))
    if job.full_ids and not export.reveals_for(job.user):
        return _fail(job, _("You may no longer export ID numbers in full."))
    query = export_query(user=job.user, params=job.params, kwargs=job.kwargs)
    try:
        tables = export_tables(export, query)
    except Http404:
        return _fail(job, _("The record of this export is no longer within your reach."))
    total = sum(table.count() for table in tables)
    ExportJob.objects.filter(pk=job.pk).update(rows_total=total)

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=done, updated_at=timezone.now())

    name = f"exports/{uuid.uuid4().hex}.{job.format}"
    try:
        with tempfile.TemporaryFile() as scratch:
            written = export_write(
                tables, job.format, scratch, reveal=job.full_ids, progress=progress
            )
            scratch.seek(0)
            name = default_storage.save(name, File(scratch, name=name))
    except Exception as exc:
        logger.exception("export %s (%s) failed", job.pk, job.kind)
        return _fail(job, f"{exc.__class__.__name__}: {exc}")
    now = timezone.now()
    job.file.name = name
    job.status = ExportJob.Status.DONE
    job.rows_total = max(total, written)
    job.rows_done = written
    job.finished_at = now
    job.expires_at = now + datetime.timedelta(hours=settings.EXPORT_FILE_HOURS)
    job.save(
        update_fields=[
            "file",
            "status",
            "rows_total",
            "rows_done",
            "finished_at",
            "expires_at",
            "updated_at",
        ]
    )
    with translation.override(settings.LANGUAGE_CODE):
        _notify(
            job,
            _("Your export is ready: %(title)s (%(rows)s rows)")
            % {"title": job.title, "rows": f"{written:,}"},
        )
    return job


def exports_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of exports past their time, and give up on jobs that a lost worker
    left waiting for more than a day. Returns how many files were deleted."""
    now = now or timezone.now()
    deleted = 0
    for job in ExportJob.objects.expired(now).only("pk", "file"):
        if job.file:
            default_storage.delete(job.file.name)
            deleted += 1
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.EXPIRED, file="", updated_at=now
        )
    stale = now - datetime.timedelta(hours=24)
    ExportJob.objects.filter(
        status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING], updated_at__lt=stale
    ).update(
        status=ExportJob.Status.FAILED,
        error=_("The export was interrupted; please ask for it again."),
        finished_at=now,
        updated_at=now,
    )
    return deleted
