from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .base import TimeStampedModel


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (.xlsx)")
    CSV = "csv", _("CSV")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class ExportSource(models.TextChoices):
    WEB = "web", _("Web page")
    COMMAND = "command", _("Command line")


class ExportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An export is personal: only the user who asked for it sees it (whatever the role)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def downloadable(self, now):
        return self.filter(status=ExportStatus.DONE, expires_at__gt=now).exclude(file="")

    def expired(self, now):
        return self.filter(expires_at__lte=now).exclude(status=ExportStatus.EXPIRED)


def export_path(instance, filename: str) -> str:
    # A random name under a private folder: never served from a public URL, only by the
    # scoped download view, and the name carries nothing of its content.
    return f"exports/{filename}"


class ExportJob(TimeStampedModel):
    """One export a user asked for: what (kind, filters), how many rows, and, for a large
    one written in the background, its progress and the file until it expires.

    Every export is recorded here, the ones streamed at once as well: the department can see
    who exported what, and a reveal of full ID numbers points at this row (RevealLog).
    """

    Status = ExportStatus
    Format = ExportFormat
    Source = ExportSource

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="exports",
    )
    kind = models.CharField(_("export"), max_length=40)
    title = models.CharField(_("title"), max_length=100)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    kwargs = models.JSONField(_("record"), default=dict, blank=True)
    format = models.CharField(_("format"), max_length=8, choices=ExportFormat.choices)
    full_ids = models.BooleanField(_("full ID numbers"), default=False)
    source = models.CharField(
        pgettext_lazy("export", "source"),
        max_length=10,
        choices=ExportSource.choices,
        default=ExportSource.WEB,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to=export_path, blank=True)
    filename = models.CharField(_("file name"), max_length=150)
    error = models.CharField(_("error"), max_length=300, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("available until"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [models.Index(fields=["user", "-created_at"], name="export_user_recent")]

    def __str__(self):
        return f"{self.title} · {self.user} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED, ExportStatus.EXPIRED)
