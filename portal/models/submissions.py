from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """A form submission that created something, keyed by the one-time key its form carried.

    The key's primary-key constraint is the guarantee that one tap makes one record: the row
    is inserted in the same transaction as the record, so a second request with the same key
    waits for the first to commit and then finds its result (portal/submissions.py).
    """

    key = models.UUIDField(_("submission key"), primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    # What the first request answered, replayed to every later one with the same key.
    location = models.CharField(_("result address"), max_length=500)
    messages = models.JSONField(_("messages"), default=list, blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self):
        return f"{self.key} → {self.location}"
