"""Every write of the reminder engine (STYLE.md rule 2)."""

from .delivery import (
    EmailNotSent,
    digest_recipient_ids,
    email_retry_delay,
    reminder_email_send,
    reminders_deliver,
    reminders_digest_send,
    reminders_email_recover,
)
from .notifications import (
    notification_mark_read,
    notification_send,
    notifications_mark_all_read,
)
from .sweep import SweepResult, reminder_rules_sync, reminders_sweep
from .users import calendar_token_renew, calendar_tokens_revoke, user_preferences_update

__all__ = [
    "EmailNotSent",
    "SweepResult",
    "calendar_token_renew",
    "calendar_tokens_revoke",
    "digest_recipient_ids",
    "email_retry_delay",
    "notification_mark_read",
    "notification_send",
    "notifications_mark_all_read",
    "reminder_email_send",
    "reminder_rules_sync",
    "reminders_deliver",
    "reminders_digest_send",
    "reminders_email_recover",
    "reminders_sweep",
    "user_preferences_update",
]
