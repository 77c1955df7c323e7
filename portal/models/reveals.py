from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class RevealLog(models.Model):
    """One row per time a user was shown a masked personal field in full.

    Written only by portal.services.reveal_record() (one record) and reveal_many_record()
    (an export with full ID numbers: the row points at the ExportJob and names the count);
    append-only, never shown in lists.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="reveals",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("field"), max_length=64)
    # An export that shows a column in full reveals it for many records at once: one row
    # names the export (the record) and how many records it revealed.
    count = models.PositiveIntegerField(_("records revealed"), null=True, blank=True)
    revealed_at = models.DateTimeField(_("revealed at"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-revealed_at"]
        verbose_name = _("reveal of personal data")
        verbose_name_plural = _("reveals of personal data")
        indexes = [models.Index(fields=["content_type", "object_id"], name="reveal_record")]

    def __str__(self):
        return f"{self.user} · {self.field} · {self.revealed_at:%Y-%m-%d %H:%M}"
