"""Delivery: recorded reminders become in-app notifications, then e-mails.

In-app, exactly once: a batch of pending rows is claimed with SELECT ... FOR UPDATE SKIP
LOCKED and marked delivered (or skipped, with the reason) in the same transaction. Two
workers never claim the same row; a worker killed mid-batch rolls back, and the next run
claims the rows again.

E-mail, once: a row that should be mailed waits as "queued". A sender claims it (FOR
UPDATE SKIP LOCKED, state "sending", claim time, attempts + 1) and commits *before* it
talks to the mail server, then marks it "sent" right after. An SMTP error puts the row
back to "queued" (or "failed" after the last attempt) and the task retries with backoff.
A worker killed while it holds a claim leaves the row "sending"; after
REMINDERS_EMAIL_CLAIM_TIMEOUT (longer than the task's hard time limit, so the sender is
surely dead) the claim is released and the mail goes out from another worker. The one
window this cannot close is a kill after the mail server accepted the message and before
"sent" was committed: the mail then goes out twice. We chose that (at least once, with a
window of one UPDATE) over the alternative (marking "sent" before sending, which loses the
mail whenever the kill lands inside the SMTP conversation): a duplicate reminder is
harmless, a lost one is not.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.models import User
from portal.reminders.models import EmailState, Reminder, ReminderState, SkipReason

logger = logging.getLogger(__name__)

# A batch's ids and row locks stay in memory and in the transaction; 500 keeps both small.
DELIVERY_BATCH = 500
# The most reminders one digest lists; the rest go out in the next digest.
DIGEST_LIMIT = 200

# What counts as "the mail server is not available": retried with backoff.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


@dataclass
class DeliveryResult:
    delivered: int = 0
    skipped: int = 0


def _wants_mail():
    """Recipients who receive e-mail: active, with an address, e-mail reminders on."""
    return Q(recipient__is_active=True, recipient__email_reminders=True) & ~Q(recipient__email="")


def _enqueue_immediate(ids: list[int]) -> None:
    from portal.reminders.tasks import send_reminder_email_task

    for reminder_id in ids:
        send_reminder_email_task.delay(reminder_id)


def reminders_deliver(*, now: datetime | None = None) -> DeliveryResult:
    """Deliver every pending reminder in-app, batch by batch; queue the e-mails."""
    result = DeliveryResult()
    while True:
        delivered, skipped = _deliver_batch(now=now or timezone.now())
        if not delivered and not skipped:
            return result
        result.delivered += delivered
        result.skipped += skipped


@transaction.atomic
def _deliver_batch(*, now: datetime) -> tuple[int, int]:
    claimed = list(
        Reminder.objects.claimable()
        .select_for_update(skip_locked=True)
        .order_by("id")
        .values_list("id", flat=True)[:DELIVERY_BATCH]
    )
    if not claimed:
        return 0, 0
    batch = Reminder.objects.filter(pk__in=claimed)
    skipped = batch.filter(recipient__isnull=True).update(
        state=ReminderState.SKIPPED, skip_reason=SkipReason.RECIPIENT_DELETED, updated_at=now
    )
    skipped += batch.filter(recipient__is_active=False).update(
        state=ReminderState.SKIPPED, skip_reason=SkipReason.RECIPIENT_INACTIVE, updated_at=now
    )
    delivered = batch.filter(_wants_mail()).update(
        state=ReminderState.DELIVERED,
        notified_at=now,
        email_state=EmailState.QUEUED,
        updated_at=now,
    )
    delivered += batch.filter(state=ReminderState.PENDING).update(
        state=ReminderState.DELIVERED, notified_at=now, updated_at=now
    )
    immediate = list(
        batch.filter(
            email_state=EmailState.QUEUED, recipient__email_mode=User.EmailMode.IMMEDIATE
        ).values_list("id", flat=True)
    )
    if immediate:
        # robust: with Redis down the rows stay queued and reminders_email_recover
        # queues them again; the in-app notification is already committed.
        transaction.on_commit(lambda: _enqueue_immediate(immediate), robust=True)
    return delivered, skipped


# --- E-mail -----------------------------------------------------------------------------


class EmailNotSent(Exception):
    """The mail server failed; `retry` says whether another attempt is due."""

    def __init__(self, *, attempts: int, retry: bool, error: Exception):
        super().__init__(str(error))
        self.attempts = attempts
        self.retry = retry


def email_retry_delay(attempts: int) -> int:
    """Seconds before the next attempt: exponential backoff, at most five minutes (no long
    countdowns: the Redis broker may run a long-delayed task twice)."""
    return min(300, settings.REMINDERS_EMAIL_RETRY_BASE * 2 ** max(0, attempts - 1))


@transaction.atomic
def _claim(queryset, *, now: datetime) -> list[int]:
    """Claim queued rows for sending; rows whose recipient no longer wants mail are cancelled."""
    ids = list(
        queryset.filter(email_state=EmailState.QUEUED)
        .select_for_update(skip_locked=True)
        .order_by("due_date", "id")
        .values_list("id", flat=True)[:DIGEST_LIMIT]
    )
    if not ids:
        return []
    rows = Reminder.objects.filter(pk__in=ids)
    rows.exclude(_wants_mail()).update(email_state=EmailState.CANCELLED, updated_at=now)
    claimed = rows.filter(email_state=EmailState.QUEUED)
    claimed_ids = list(claimed.values_list("id", flat=True))
    claimed.update(
        email_state=EmailState.SENDING,
        email_claimed_at=now,
        email_attempts=F("email_attempts") + 1,
        updated_at=now,
    )
    return claimed_ids


@transaction.atomic
def _mark_sent(ids: list[int], *, now: datetime) -> None:
    Reminder.objects.filter(pk__in=ids, email_state=EmailState.SENDING).update(
        email_state=EmailState.SENT, emailed_at=now, email_error="", updated_at=now
    )


@transaction.atomic
def _release(ids: list[int], *, error: Exception, now: datetime) -> int:
    """Give the claim back after a failure; the last allowed attempt marks the rows failed."""
    rows = Reminder.objects.filter(pk__in=ids, email_state=EmailState.SENDING)
    message = f"{error.__class__.__name__}: {error}"[:200]
    attempts = max(rows.values_list("email_attempts", flat=True), default=0)
    final = attempts >= settings.REMINDERS_EMAIL_MAX_ATTEMPTS
    rows.update(
        email_state=EmailState.FAILED if final else EmailState.QUEUED,
        email_claimed_at=None,
        email_error=message,
        updated_at=now,
    )
    return attempts


def _send(*, ids: list[int], subject: str, template: str, recipient: User, context: dict):
    now = timezone.now()
    try:
        body = render_to_string(template, context)
        EmailMessage(subject=subject, body=body, from_email=None, to=[recipient.email]).send(
            fail_silently=False
        )
    except MAIL_ERRORS as exc:
        attempts = _release(ids, error=exc, now=now)
        retry = attempts < settings.REMINDERS_EMAIL_MAX_ATTEMPTS
        logger.warning(
            "reminders: mail to user %s failed (attempt %d): %s: %s",
            recipient.pk,
            attempts,
            exc.__class__.__name__,
            exc,
        )
        raise EmailNotSent(attempts=attempts, retry=retry, error=exc) from exc
    except Exception as exc:  # a bug: give the claim back at once, then let it surface
        _release(ids, error=exc, now=now)
        raise
    _mark_sent(ids, now=timezone.now())


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url


def reminder_email_send(*, reminder_id: int) -> bool:
    """Send one reminder's e-mail (immediate mode). False if there was nothing to send."""
    ids = _claim(Reminder.objects.filter(pk=reminder_id), now=timezone.now())
    if not ids:
        return False
    reminder = Reminder.objects.select_related("recipient").get(pk=reminder_id)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Reminder: %(title)s (%(stage)s)") % {
            "title": reminder.title,
            "stage": reminder.get_stage_display(),
        }
        _send(
            ids=ids,
            subject=subject,
            template="reminders/email/reminder.txt",
            recipient=reminder.recipient,
            context={
                "reminder": reminder,
                "link": _absolute(reminder.link),
                "notifications": _absolute("/notifications/"),
            },
        )
    return True


def reminders_digest_send(*, user_id: int, today: date | None = None) -> int:
    """Send one user's digest of queued reminders; the number of reminders it listed."""
    today = today or timezone.localdate()
    ids = _claim(Reminder.objects.filter(recipient_id=user_id), now=timezone.now())
    if not ids:
        return 0
    recipient = User.objects.get(pk=user_id)
    reminders = Reminder.objects.filter(pk__in=ids).order_by("due_date", "id")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your reminders for %(day)s: %(count)d") % {
            "day": today.isoformat(),
            "count": len(ids),
        }
        _send(
            ids=ids,
            subject=subject,
            template="reminders/email/digest.txt",
            recipient=recipient,
            context={
                "recipient": recipient,
                "today": today,
                "items": [(r, _absolute(r.link)) for r in reminders],
                "notifications": _absolute("/notifications/"),
            },
        )
    return len(ids)


def digest_recipient_ids():
    """Users who prefer a digest and have queued reminders (an iterator of ids)."""
    return (
        User.objects.filter(
            email_mode=User.EmailMode.DIGEST, reminders__email_state=EmailState.QUEUED
        )
        .order_by("id")
        .values_list("id", flat=True)
        .distinct()
        .iterator()
    )


@dataclass
class RecoveryResult:
    released: int
    immediate: list[int]
    digests: list[int]


@transaction.atomic
def reminders_email_recover(*, now: datetime | None = None) -> RecoveryResult:
    """Release the claims of senders that died, and find queued mail that nobody will send.

    Returns what to queue again: reminder ids (immediate mode) and user ids (digests). A
    released claim is queued again at once; other queued rows only when they have waited
    longer than REMINDERS_EMAIL_REQUEUE_AFTER (a message lost with a killed worker, or
    while Redis was down). Digests not
    yet tried (no attempt) wait for the morning run. Queuing twice is harmless: only one
    sender can claim a row.
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.REMINDERS_EMAIL_CLAIM_TIMEOUT)
    released = list(
        Reminder.objects.filter(email_state=EmailState.SENDING, email_claimed_at__lt=stale)
        .select_for_update(skip_locked=True)
        .order_by("id")
        .values_list("id", flat=True)[:DELIVERY_BATCH]
    )
    Reminder.objects.filter(pk__in=released).update(
        email_state=EmailState.QUEUED, email_claimed_at=None, updated_at=now
    )
    requeue_after = timedelta(seconds=settings.REMINDERS_EMAIL_REQUEUE_AFTER)
    waiting = Reminder.objects.filter(email_state=EmailState.QUEUED).filter(
        Q(pk__in=released) | Q(updated_at__lt=now - requeue_after)
    )
    immediate = list(
        waiting.filter(recipient__email_mode=User.EmailMode.IMMEDIATE)
        .order_by("id")
        .values_list("id", flat=True)[:DELIVERY_BATCH]
    )
    digests = list(
        waiting.filter(recipient__email_mode=User.EmailMode.DIGEST, email_attempts__gt=0)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()[:DELIVERY_BATCH]
    )
    return RecoveryResult(released=len(released), immediate=immediate, digests=digests)
