"""An import job: the uploaded file, its validation (a dry run) and its application.

The file is kept in the database (at most IMPORT_MAX_SIZE): a worker on another machine
reads it without shared storage, and it goes away with the job. Registered in the `portal`
app (portal/models/__init__.py imports it).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models.base import TimeStampedModel
from portal.scoping import scope_to_subtree


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Jobs uploaded within the user's subtree: one's own, and for department staff
        those of the branches beneath them (the same reach as the records they hold)."""
        return scope_to_subtree(self, user, field="organization")


class ImportJob(TimeStampedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be checked")
        VALIDATING = "validating", _("Being checked")
        READY = "ready", _("Checked: ready to import")
        FAILED = "failed", _("Cannot be imported")
        APPLYING = "applying", _("Being imported")
        APPLIED = "applied", _("Imported")

    kind = models.CharField(_("kind"), max_length=30)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    # The uploader's organisation at upload: the job is scoped like the records it holds.
    organization = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="import_jobs",
    )
    filename = models.CharField(_("file name"), max_length=200)
    data = models.BinaryField(_("file"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    file_format = models.CharField(_("format"), max_length=8, blank=True)
    message = models.TextField(_("message"), blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    new_rows = models.PositiveIntegerField(_("new"), default=0)
    updated_rows = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_rows = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected_rows = models.PositiveIntegerField(_("rejected"), default=0)
    # [{"row": 17, "column": "身份证号", "message": "..."}], in row order.
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    validation_seconds = models.FloatField(_("validation time (s)"), null=True, blank=True)
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    apply_seconds = models.FloatField(_("import time (s)"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        app_label = "portal"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"#{self.pk} {self.kind} {self.filename}"

    @property
    def is_finished(self) -> bool:
        return self.status not in (self.Status.QUEUED, self.Status.VALIDATING, self.Status.APPLYING)

    @property
    def rejected_row_numbers(self) -> set[int]:
        return {error["row"] for error in self.errors if error.get("row")}
