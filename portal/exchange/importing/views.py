"""Import pages: pick a kind, download its template, upload, watch the check, read the
preview, confirm. The work runs in Celery (tasks.py); these views only start it and show
where it stands. A job is looked up in `ImportJob.objects.visible_to(user)` (outside the
user's subtree: 404) after the kind's access is checked (403)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.submissions import once_per_key

from . import engine, tasks, workbook
from .kinds import ImportKind, get_kind, registry
from .models import ImportJob

ERRORS_SHOWN = 500  # the preview lists this many row errors; the error file has them all


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in file"),
        help_text=gettext_lazy("Excel (.xlsx or .xls) or CSV (UTF-8 or GBK), at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.xls,.csv,.txt", "class": "form-control"}
        ),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > settings.IMPORT_MAX_SIZE:
            raise forms.ValidationError(
                _("The file is larger than %(size)s; split it into smaller files.")
                % {"size": filesizeformat(settings.IMPORT_MAX_SIZE)}
            )
        return file


def _kind_for(user, key: str) -> ImportKind:
    kind = get_kind(key)
    if kind is None:
        raise Http404
    if not kind.allowed(user):
        raise PermissionDenied
    return kind


def _job_for(request, pk: int) -> tuple[ImportJob, ImportKind]:
    job = get_object_or_404(ImportJob.objects.only("pk", "kind"), pk=pk)
    kind = _kind_for(request.user, job.kind)
    job = get_object_or_404(ImportJob.objects.visible_to(request.user).defer("data"), pk=pk)
    return job, kind


def index(request):
    kinds = [kind for kind in registry().values() if kind.allowed(request.user)]
    allowed = [kind.key for kind in kinds]
    jobs = (
        ImportJob.objects.visible_to(request.user)
        .filter(kind__in=allowed)
        .defer("data", "errors")
        .select_related("user")[:20]
    )
    labels = {kind.key: kind.label for kind in kinds}
    for job in jobs:
        job.kind_label = labels.get(job.kind, job.kind)
    return render(request, "imports/index.html", {"kinds": kinds, "jobs": jobs})


@once_per_key
def upload(request, kind):
    kind = _kind_for(request.user, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        job = ImportJob.objects.create(
            kind=kind.key,
            user=request.user,
            organization=request.user.organization,
            filename=file.name[:200],
            data=file.read(),
        )
        language = get_language()
        transaction.on_commit(lambda: tasks.import_validate_task.delay(job.pk, language))
        return redirect("imports:job", pk=job.pk)
    return render(request, "imports/upload.html", {"kind": kind, "form": form})


def template(request, kind):
    kind = _kind_for(request.user, kind)
    response = HttpResponse(
        workbook.template(kind),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = _attachment(f"{kind.key}-template.xlsx")
    return response


def _attachment(filename: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename*=UTF-8''{quote(filename)}"


def _context(job: ImportJob, kind: ImportKind) -> dict:
    done, total = engine.progress_of(job)
    percent = int(done * 100 / total) if total else 0
    return {
        "job": job,
        "kind": kind,
        "done": done,
        "total": total,
        "percent": percent,
        "step": percent - percent % 5,
        "errors": job.errors[:ERRORS_SHOWN],
        "more_errors": max(0, len(job.errors) - ERRORS_SHOWN),
        "importable": engine.importable(job),
        "importing": job.new_rows + job.updated_rows,
        "list_url": reverse(kind.list_url) if kind.list_url else "",
    }


def job(request, pk):
    job, kind = _job_for(request, pk)
    return render(request, "imports/job.html", _context(job, kind))


def progress(request, pk):
    """The progress bar, polled by htmx; once the job is done the page reloads."""
    job, kind = _job_for(request, pk)
    response = render(request, "imports/_progress.html", _context(job, kind))
    if job.is_finished and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def confirm(request, pk):
    job, kind = _job_for(request, pk)
    if not engine.importable(job) or not engine.claim_for_apply(job):
        messages.error(request, _("This import cannot be confirmed (again); see its state below."))
        return redirect("imports:job", pk=job.pk)
    language = get_language()
    user_pk = request.user.pk
    transaction.on_commit(lambda: tasks.import_apply_task.delay(job.pk, user_pk, language))
    return redirect("imports:job", pk=job.pk)


def errors(request, pk):
    job, kind = _job_for(request, pk)
    if not job.errors:
        raise Http404
    job = ImportJob.objects.get(pk=job.pk)
    content, filename = workbook.error_file(job, kind)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = _attachment(filename)
    return response
