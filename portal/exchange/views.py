"""The export pages: one view behind every list's and register's export button, the
progress page of a large export written in the background, and its download.

Access: the export needs what its list page needs (the area's level and any capability,
checked by the registry's `Export.permits`), and reaches only the rows that page shows: the
export's `tables` are built from the page's own queryset and filters, so a record outside
the user's subtree is a 404 here as there. An export in the background is personal: its page
and file answer 404 to everyone but the user who asked for it.
"""

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.exchange import registry, services
from portal.exchange.forms import ExportForm, filter_params
from portal.models import ExportJob

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _bad_request(request, message: str):
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = reverse("home")
    context = {"message": message, "back": back}
    return render(request, "exchange/export_error.html", context, status=400)


@require_http_methods(["GET", "POST"])
def export(request, kind: str, **kwargs):
    """Export what the list page shows with the same query string. GET gives ID numbers
    masked; the export button POSTs, and only a POST may ask for them in full."""
    spec = registry.get(kind)
    if spec is None:
        raise Http404
    if not spec.permits(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    form = ExportForm(data, formats=spec.formats)
    if not form.is_valid():
        return _bad_request(
            request,
            _("This export is available as: %(formats)s.")
            % {"formats": "、".join(str(label) for _value, label in form.fields["format"].choices)},
        )
    fmt = form.cleaned_data["format"]
    full_ids = request.method == "POST" and form.cleaned_data["full_ids"]
    query = services.export_query(user=request.user, params=filter_params(data), kwargs=kwargs)
    try:
        started = services.export_start(
            export=spec,
            query=query,
            fmt=fmt,
            full_ids=full_ids,
            ip_address=request.META.get("REMOTE_ADDR"),
        )
    except ValidationError as error:
        return _bad_request(request, " ".join(error.messages))
    job = started.job
    if started.in_background:
        messages.info(
            request,
            _(
                "%(rows)s rows: the file is being written in the background. You will get a "
                "notification when it is ready."
            )
            % {"rows": f"{job.rows_total:,}"},
        )
        return redirect("exchange:export-detail", pk=job.pk)
    if fmt == ExportJob.Format.CSV:
        response = StreamingHttpResponse(
            services.export_stream(started.tables, reveal=full_ids), content_type=CSV_TYPE
        )
    else:
        # Written to an anonymous temporary file (write-only mode, flat memory), then sent
        # in blocks; the file disappears when the response closes it.
        scratch = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
        services.export_write(started.tables, fmt, scratch, reveal=full_ids)
        scratch.seek(0)
        response = FileResponse(scratch, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, job.filename)
    response["Cache-Control"] = "no-store"
    return response


def _own_job(request, pk) -> ExportJob:
    return get_object_or_404(ExportJob.objects.visible_to(request.user), pk=pk)


def export_list(request):
    """The user's own exports of the last days, with their files while they last."""
    jobs = ExportJob.objects.visible_to(request.user)[:50]
    return render(request, "exchange/export_list.html", {"jobs": jobs, "now": timezone.now()})


def export_detail(request, pk):
    """Progress of an export written in the background; htmx asks again every two seconds
    until it is done, then the download button appears."""
    job = _own_job(request, pk)
    template = "exchange/_export_progress.html" if request.htmx else "exchange/export_detail.html"
    return render(request, template, {"job": job, "now": timezone.now()})


def export_download(request, pk):
    """The file, to the user who asked for it, until it expires."""
    job = _own_job(request, pk)
    if not ExportJob.objects.filter(pk=job.pk).downloadable(timezone.now()).exists():
        messages.warning(request, _("This file is no longer available; please export again."))
        return redirect("exchange:export-detail", pk=job.pk)
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=job.filename)
    response["Cache-Control"] = "no-store"
    return response
