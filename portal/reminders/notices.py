"""Notifications that are not deadlines: a one-off message to one user ("your export is
ready"). A kind registers its label and how to link an item, like a Deadline without rows:
nothing is swept or escalated. The notification itself is an ordinary Reminder row, created
delivered (portal.reminders.services.notification_send), so the bell, the list and "mark as
read" treat it like every other notification.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    key: str  # "<area>.<name>", stored in the reminder row's deadline_key
    label: str  # translatable, shown under the title
    url: Callable[[str], str]  # url(item_key) -> the page the notification opens


_NOTICES: dict[str, Notice] = {}


def register_notice(notice: Notice) -> Notice:
    _NOTICES[notice.key] = notice
    return notice


def notices() -> dict[str, Notice]:
    return dict(_NOTICES)
