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

import logging
import time
from collections.abc import Callable

import pghistory
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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


def _save_rows(kind, rows, *, user, job_pk, total, outcome, on_progress):
    done = total - len(rows)
    today = timezone.localdate()
    context = kind.prepare(rows, user=user)
    for row in rows:
        done += 1
        if done % PROGRESS_EVERY == 0:
            on_progress(done, total)
        try:
            with transaction.atomic():
                result = kind.save(row, user=user, context=context, today=today)
        except RowError as error:
            outcome.reject(row.number, error.column, error.message)
            continue
        except CellError as error:
            outcome.reject(row.number, "", str(error))
            continue
        except ValidationError as error:
            for header, message in _messages(error, kind):
                outcome.reject(row.number, header, message)
            continue
        except DatabaseError as error:
            logger.warning("import %s row %s: %s", job_pk, row.number, error)
            outcome.reject(
                row.number, "", _("The database refused this row; check it for duplicates.")
            )
            continue
        outcome.counts[result] += 1
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
            # The audit triggers ask whether they are to be ignored in a block that traps the
            # error of an unset setting: one subtransaction rolled back per written row,
            # each scanning the deferred foreign-key checks queued so far (quadratic in the
            # import's size). With the setting present and empty, nothing is ignored and no
            # subtransaction aborts (issue #12).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL pgtrigger.ignore = '{}'")
            with pghistory.context(user=user.pk, import_job=job.pk, source="import"):
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
