"""Factories for the reminder engine's tests: items due on a day, for the test deadlines."""

from datetime import date

from portal.models import Organization, User
from portal.roles import Role
from tests.factories import OrganizationFactory, UserFactory


def branch_item(parent: Organization, due: date, name: str = "测试支部") -> Organization:
    """A branch whose test deadline (tests.branch_due) falls on `due`."""
    return OrganizationFactory(name=f"{name}@{due.isoformat()}", parent=parent)


def secretary_of(branch: Organization, **kwargs) -> User:
    return UserFactory(role=Role.SECRETARY, organization=branch, **kwargs)


def personal_item(user: User, due: date) -> User:
    """Make `user` responsible for a personal test deadline (tests.personal_due) on `due`."""
    user.phone = f"due:{due.isoformat()}"
    user.save(update_fields=["phone"])
    return user


def delivered_notification(recipient: User, *, title: str = "支部委员会会议将到期", **kwargs):
    """A delivered, unread notification for `recipient` (as delivery would leave it)."""
    from django.utils import timezone

    from portal.reminders.models import Reminder

    fields = {
        "deadline_key": "tests.branch_due",
        "item_key": str(recipient.organization_id),
        "stage": "ahead_7",
        "due_date": date(2026, 12, 8),
        "organization_id": recipient.organization_id,
        "state": Reminder.State.DELIVERED,
        "notified_at": timezone.now(),
    }
    fields.update(kwargs)
    return Reminder.objects.create(recipient=recipient, title=title, **fields)
