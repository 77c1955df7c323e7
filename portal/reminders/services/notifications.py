"""The recipient's side of a notification: reading it."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from portal.models import User
from portal.reminders.models import Reminder


@transaction.atomic
def notification_mark_read(*, reminder: Reminder, now: datetime | None = None) -> Reminder:
    """Mark one delivered notification read (reading it again keeps the first time)."""
    if reminder.read_at is None:
        reminder.read_at = now or timezone.now()
        reminder.save(update_fields=["read_at", "updated_at"])
    return reminder


@transaction.atomic
def notifications_mark_all_read(*, user: User, now: datetime | None = None) -> int:
    return Reminder.objects.visible_to(user).unread().update(read_at=now or timezone.now())
