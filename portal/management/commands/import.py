"""manage.py import KIND FILE --as USERNAME [--dry-run]: the web import's code path
(portal.exchange.importing.engine) from the command line.

Prints the counts and every row error; exits 1 when any row is rejected (the valid rows
are still imported unless --dry-run), 2 when the file cannot be read at all.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from portal.exchange.importing import engine
from portal.exchange.importing.kinds import columns_markdown, registry
from portal.exchange.importing.models import ImportJob
from portal.models import User


class Command(BaseCommand):
    help = "Import a spreadsheet or CSV file of KIND as USERNAME (checked first, like the web)."

    def add_arguments(self, parser):
        parser.add_argument("kind", nargs="?", help="one of: " + ", ".join(sorted(registry())))
        parser.add_argument("file", nargs="?", type=Path)
        parser.add_argument("--as", dest="username", help="the acting user")
        parser.add_argument(
            "--columns", action="store_true", help="print every kind's columns (Markdown)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check and report, save nothing")

    def handle(self, *args, kind, file, username, dry_run, columns, **options):
        translation.activate("zh-hans")
        if columns:
            self.stdout.write(columns_markdown(), ending="")
            return
        if not (kind and file and username):
            raise CommandError("give KIND, FILE and --as USERNAME (or --columns)")
        kinds = registry()
        if kind not in kinds:
            raise CommandError(f"unknown kind {kind!r}; one of: {', '.join(sorted(kinds))}")
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        if not kinds[kind].allowed(user):
            raise CommandError(f"{username} may not import {kind}")
        if user.organization is None:
            raise CommandError(f"{username} belongs to no organisation")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from None
        job = ImportJob.objects.create(
            kind=kind, user=user, organization=user.organization, filename=file.name, data=data
        )
        job = engine.run(job, apply=False)
        if job.status == ImportJob.Status.READY and not dry_run and engine.importable(job):
            engine.claim_for_apply(job)
            job = engine.run(job, apply=True, user=user)
        self._report(job, dry_run=dry_run)
        if job.status == ImportJob.Status.FAILED and not job.errors:
            raise SystemExit(2)
        if job.rejected_rows or job.status == ImportJob.Status.FAILED:
            raise SystemExit(1)

    def _report(self, job: ImportJob, *, dry_run: bool) -> None:
        out = self.stdout
        if job.status == ImportJob.Status.FAILED:
            out.write(self.style.ERROR(job.message))
        for warning in job.warnings:
            out.write(self.style.WARNING(warning))
        if job.applied_at:
            verb = _("imported")
        else:
            verb = _("checked, nothing saved") if dry_run else _("checked")
        out.write(
            _(
                "Import #%(n)s %(verb)s: %(total)s rows · new %(new)s · updated %(updated)s · "
                "unchanged %(unchanged)s · rejected %(rejected)s · %(seconds)s s"
            )
            % {
                "n": job.pk,
                "verb": verb,
                "total": job.total_rows,
                "new": job.new_rows,
                "updated": job.updated_rows,
                "unchanged": job.unchanged_rows,
                "rejected": job.rejected_rows,
                "seconds": f"{job.apply_seconds or job.validation_seconds or 0:.1f}",
            }
        )
        for error in job.errors:
            where = f"{error['column']}：" if error["column"] else ""
            out.write(
                _("Row %(row)s · %(where)s%(message)s")
                % {"row": error["row"], "where": where, "message": error["message"]}
            )
