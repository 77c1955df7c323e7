"""The recipient's side of a notification: reading it."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from portal.models import User
from portal.reminders.models import Reminder, ReminderState, Stage


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


@transaction.atomic
def notification_send(
    *, recipient: User, key: str, item_key: str, title: str, until: date, now=None
) -> Reminder:
    """A one-off notification for one user (a registered notice kind, `key`), delivered at
    once: it is in the bell as soon as this commits. Sending it again for the same item is a
    no-op (the reminders' unique key)."""
    reminder, _created = Reminder.objects.get_or_create(
        deadline_key=key,
        item_key=item_key,
        stage=Stage.NOTICE,
        recipient=recipient,
        defaults={
            "organization_id": recipient.organization_id,
            "due_date": until,
            "title": title[:200],
            "state": ReminderState.DELIVERED,
            "notified_at": now or timezone.now(),
        },
    )
    return reminder
