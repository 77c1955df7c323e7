from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel


class CalendarOverride(TimeStampedModel):
    """A day whose status an administrator sets by hand.

    The chinese-calendar package knows the State Council's holiday arrangements only up to
    the year it was released; for later years (or a local adjustment) an administrator adds
    the holidays and the adjusted workdays here without touching code.
    """

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("is a working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.note}"
