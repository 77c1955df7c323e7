"""Validation (a dry run) and application of an import job: one code path for the web
(through the Celery tasks) and the command line.

Both run every row through the kind's `save`, which calls the same services as the forms,
inside one transaction with a savepoint per row:

* validation rolls the transaction back at the end, so what the preview counts and rejects
  is exactly what the services said, with no second copy of any rule;
* application commits it, all rows or none. A row rejected in the preview is rejected
  again and skipped; a row that passed the preview but fails now (the data changed
  meanwhile) rolls the whole import back.

Progress (rows done / total) goes to the cache, outside the transaction, for the progress
bar; the counts and row errors are stored on the job when the transaction has ended.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pghistory import config as pghistory_config

from .kinds import NEW, UNCHANGED, UPDATED, ImportKind, Row, RowError, get_kind
from .kinds import validation_messages as _messages
from .models import ImportJob
from .reading import FileProblem, read_table
from .values import CellError, is_blank

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 50  # rows between two progress writes to the cache


class ImportFailed(Exception):
    """The import as a whole cannot go on (a changed row at apply time)."""


def progress_key(job_pk: int) -> str:
    return f"imports:progress:{job_pk}"


def progress_of(job: ImportJob) -> tuple[int, int]:
    done, total = cache.get(progress_key(job.pk), (0, job.total_rows))
    return done, total


def _set_progress(job_pk: int, done: int, total: int) -> None:
    try:
        cache.set(progress_key(job_pk), (done, total), 3600)
    except Exception:  # noqa: BLE001 - the progress bar must never fail an import
        logger.warning("import %s: progress not stored", job_pk)


class Outcome:
    def __init__(self):
        self.counts = {NEW: 0, UPDATED: 0, UNCHANGED: 0}
        self.errors: list[dict] = []
        self.rejected: set[int] = set()

    def snapshot(self):
        return dict(self.counts), len(self.errors), set(self.rejected)

    def restore(self, snapshot) -> None:
        counts, errors, rejected = snapshot
        self.counts = dict(counts)
        del self.errors[errors:]
        self.rejected = set(rejected)

    def reject(self, number: int, column: str, message: str) -> None:
        self.errors.append({"row": number, "column": column, "message": str(message)})
        self.rejected.add(number)


def _parse(kind: ImportKind, table, outcome: Outcome) -> tuple[list[Row], list[str]]:
    """Cells → values, column by column; rows with unreadable cells are rejected here."""
    positions = {}
    warnings = []
    for index, header in enumerate(table.headers):
        if not header:
            continue
        if kind.column(header) is None:
            warnings.append(
                _("The column “%(name)s” is not part of this import and was ignored.")
                % {"name": header}
            )
        elif header in positions:
            warnings.append(
                _("The column “%(name)s” appears twice; the first one was used.") % {"name": header}
            )
        else:
            positions[header] = index
    missing = [c.header for c in kind.columns if c.required and c.header not in positions]
    if missing:
        raise FileProblem(
            _("The file lacks required columns: %(names)s. Start from the template.")
            % {"names": "、".join(missing)}
        )
    rows = []
    seen: dict[tuple, int] = {}
    for number, cells in table.rows:
        parsed, raw, bad = {}, {}, False
        for header, index in positions.items():
            column = kind.column(header)
            cell = cells[index] if index < len(cells) else None
            raw[header] = cell
            if column.required and is_blank(cell):
                outcome.reject(number, header, _("This column is required."))
                bad = True
                continue
            try:
                parsed[column.field] = column.read(cell)
            except CellError as error:
                outcome.reject(number, header, str(error))
                bad = True
        if bad:
            continue
        if kind.key_fields and all(parsed.get(f) for f in kind.key_fields):
            key = tuple(parsed[f] for f in kind.key_fields)
            if key in seen:
                header = kind.column_for_field(kind.key_fields[0]).header
                outcome.reject(
                    number,
                    header,
                    _("The same record as row %(row)s; each record may appear only once.")
                    % {"row": seen[key]},
                )
                continue
            seen[key] = number
        rows.append(Row(number=number, values=parsed, raw=raw))
    if kind.order is not None:
        rows.sort(key=kind.order)
    return rows, warnings


# Rows saved between two savepoints. Each savepoint in which rows are written becomes a
# subtransaction; PostgreSQL keeps 64 of them in a per-backend cache, beyond which every
# snapshot check also reads pg_subtrans. One savepoint per row (plus the nested one of every
# service, plus Django's around each CheckConstraint query) would mean about ten extra
# statements a row and tens of thousands of subtransactions per import.
BATCH = 500


class _BatchFailed(Exception):
    """A database error inside a batch without savepoints: replay it row by row."""


@contextmanager
def _without_savepoints():
    """Nested atomic blocks (the services', Django's constraint checks) run without a
    savepoint of their own; the batch's savepoint stands for all of them."""
    features = connection.features
    features.uses_savepoints = False
    try:
        yield
    finally:
        features.uses_savepoints = True


def _reject(outcome, kind, row, error) -> None:
    if isinstance(error, RowError):
        outcome.reject(row.number, error.column, error.message)
    elif isinstance(error, CellError):
        outcome.reject(row.number, "", str(error))
    else:
        for header, message in _messages(error, kind):
            outcome.reject(row.number, header, message)


def _save_batch(kind, batch, *, user, context, today, outcome, careful: bool) -> None:
    for row in batch:
        try:
            if careful:
                with transaction.atomic():
                    result = kind.save(row, user=user, context=context, today=today)
            else:
                result = kind.save(row, user=user, context=context, today=today)
        except (RowError, CellError, ValidationError) as error:
            # A rule refused the row: no database error, the transaction goes on. (A service
            # that wrote before refusing leaves its writes in the batch: a check is rolled
            # back whole, and at apply time any refusal rolls the whole import back.)
            connection.needs_rollback = False
            _reject(outcome, kind, row, error)
            continue
        except DatabaseError as error:
            if not careful:
                raise _BatchFailed from error
            outcome.reject(
                row.number, "", _("The database refused this row; check it for duplicates.")
            )
            logger.warning("import row %s: %s", row.number, error)
            continue
        outcome.counts[result] += 1


def _save_rows(kind, rows, *, user, job_pk, total, outcome, on_progress):
    done = total - len(rows)
    today = timezone.localdate()
    context = kind.prepare(rows, user=user)
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        before = outcome.snapshot()
        savepoint = connection.savepoint()
        try:
            with _without_savepoints():
                for chunk in range(0, len(batch), PROGRESS_EVERY):
                    part = batch[chunk : chunk + PROGRESS_EVERY]
                    _save_batch(
                        kind,
                        part,
                        user=user,
                        context=context,
                        today=today,
                        outcome=outcome,
                        careful=False,
                    )
                    done += len(part)
                    on_progress(done, total)
        except _BatchFailed:
            # Back to the batch's start, then one savepoint per row to find the culprit.
            connection.needs_rollback = False
            connection.savepoint_rollback(savepoint)
            outcome.restore(before)
            context = kind.prepare(rows, user=user)
            _save_batch(
                kind,
                batch,
                user=user,
                context=context,
                today=today,
                outcome=outcome,
                careful=True,
            )
            done = total - len(rows) + start + len(batch)
        else:
            connection.savepoint_commit(savepoint)
    on_progress(total, total)


def run(job: ImportJob, *, apply: bool, user=None) -> ImportJob:
    """Validate (apply=False) or apply the job; the job is saved with the result."""
    kind = get_kind(job.kind)
    user = user or job.user
    started = time.monotonic()
    outcome = Outcome()
    warnings: list[str] = []
    previously_rejected = job.rejected_row_numbers if apply else set()
    preview_errors = list(job.errors) if apply else []

    def on_progress(done, total):
        _set_progress(job.pk, done, total)

    try:
        table = read_table(bytes(job.data), known_headers=kind.headers)
        job.file_format = table.format
        job.total_rows = len(table.rows)
        on_progress(0, job.total_rows)
        rows, warnings = _parse(kind, table, outcome)
        # At apply time the rows the preview rejected stay out, whatever they say now.
        rows = [row for row in rows if row.number not in previously_rejected]
        with transaction.atomic():
            # Every connection sets pgtrigger.ignore (portal/settings.py), so the audit
            # triggers open no subtransaction per row: a 10,000-row import stays linear.
            with connection.cursor() as cursor:
                _audit_context(cursor, user=user, job=job)
            _save_rows(
                kind,
                rows,
                user=user,
                job_pk=job.pk,
                total=job.total_rows,
                outcome=outcome,
                on_progress=on_progress,
            )
            if apply:
                changed = sorted(outcome.rejected - previously_rejected)
                if changed:
                    raise ImportFailed(changed)
            else:
                transaction.set_rollback(True)
    except FileProblem as problem:
        job.status = ImportJob.Status.FAILED
        job.message = str(problem)
        job.errors = []
        _finish(job, apply=apply, seconds=time.monotonic() - started)
        return job
    except ImportFailed as failure:
        rows = "、".join(str(n) for n in failure.args[0][:10])
        job.status = ImportJob.Status.FAILED
        job.message = _(
            "Nothing was imported: rows %(rows)s no longer pass the checks (the records "
            "changed after the file was checked). Upload the file again to check it anew."
        ) % {"rows": rows}
        job.errors = sorted(outcome.errors, key=lambda e: e["row"])
        _finish(job, apply=apply, seconds=time.monotonic() - started)
        return job

    job.warnings = warnings
    job.new_rows = outcome.counts[NEW]
    job.updated_rows = outcome.counts[UPDATED]
    job.unchanged_rows = outcome.counts[UNCHANGED]
    if apply:
        job.status = ImportJob.Status.APPLIED
        job.applied_at = timezone.now()
        job.applied_by = user
        job.errors = preview_errors
        job.rejected_rows = len(previously_rejected)
    else:
        job.errors = sorted(outcome.errors, key=lambda e: e["row"])
        job.rejected_rows = len(outcome.rejected)
        job.status = ImportJob.Status.READY
    _finish(job, apply=apply, seconds=time.monotonic() - started)
    return job


def _audit_context(cursor, *, user, job: ImportJob) -> None:
    """The audit trail's context ("import #N by user") for the whole transaction.

    pghistory's `context()` prepends a set_config() to every statement (for autocommit
    requests); an import runs in one transaction, where the transaction-local settings the
    audit triggers read need setting only once: 10,000 rows make some 100,000 statements."""
    metadata = {"user": user.pk, "import_job": job.pk, "source": "import"}
    cursor.execute(
        "SELECT set_config('pghistory.context_id', %s, true), "
        "set_config('pghistory.context_metadata', %s, true)",
        [str(uuid.uuid4()), json.dumps(metadata, cls=pghistory_config.json_encoder())],
    )


def _finish(job: ImportJob, *, apply: bool, seconds: float) -> None:
    if apply:
        job.apply_seconds = seconds
    else:
        job.validation_seconds = seconds
    job.save()


def claim_for_apply(job: ImportJob) -> bool:
    """Move a checked job to "being imported" exactly once (a double click confirms once)."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.READY).update(
        status=ImportJob.Status.APPLYING, updated_at=timezone.now()
    )
    if claimed:
        job.status = ImportJob.Status.APPLYING
    return bool(claimed)


def importable(job: ImportJob) -> bool:
    return job.status == ImportJob.Status.READY and (job.new_rows + job.updated_rows) > 0


Progress = Callable[[int, int], None]
