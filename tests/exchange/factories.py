"""Export jobs as the background task leaves them."""

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from portal.models import ExportJob


def finished_job(
    user, *, expires_in=datetime.timedelta(hours=24), body=b"id,name\r\n"
) -> ExportJob:
    """A finished background export of `user`, its file in storage (a temporary MEDIA_ROOT)."""
    name = default_storage.save("exports/test-export.csv", ContentFile(body))
    now = timezone.now()
    return ExportJob.objects.create(
        user=user,
        kind="members",
        title="党员名单",
        format="csv",
        status=ExportJob.Status.DONE,
        rows_total=1,
        rows_done=1,
        file=name,
        filename="党员名单-20260101.csv",
        finished_at=now,
        expires_at=now + expires_in,
    )
