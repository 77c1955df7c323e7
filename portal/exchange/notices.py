"""The notification that offers a finished export (portal/reminders/notices.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.exchange.services import EXPORT_READY
from portal.reminders.notices import Notice, register_notice

register_notice(
    Notice(
        key=EXPORT_READY,
        label=_("Export"),
        url=lambda item_key: reverse("exchange:export-detail", args=[int(item_key)]),
    )
)
