"""The reminder engine's records (issue #7, DOMAIN.md §6).

`ReminderRule` holds the numbers an administrator may change per deadline (lead days,
escalation delay). `Reminder` is one reminder for one recipient and doubles as the in-app
notification: the sweep inserts it (the unique key makes a second insert a no-op), delivery
marks it delivered or skipped, the recipient reads it, and e-mail has its own small state
machine on the same row (see portal/reminders/services/delivery.py for why).
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.audit import track
from portal.models import TimeStampedModel

DEFAULT_LEAD_DAYS = [7, 3]
DEFAULT_ESCALATE_AFTER_DAYS = 3
MAX_ESCALATE_AFTER_DAYS = 90


def default_lead_days() -> list[int]:
    return list(DEFAULT_LEAD_DAYS)


class Stage(models.TextChoices):
    """A reminder's stage; "ahead_<n>" stages are spelt from the rule's lead days."""

    DUE = "due", _("Due today")
    # A one-off notification (portal/reminders/notices.py), not a stage of a deadline.
    NOTICE = "notice", pgettext_lazy("reminder stage", "Notice")
    MISSED = "missed", pgettext_lazy("reminder stage", "Missed")
    ESCALATED = "escalated", _("Escalated")

    @staticmethod
    def ahead(days: int) -> str:
        return f"ahead_{days}"


class ReminderRuleQuerySet(models.QuerySet):
    def enabled(self):
        return self.filter(enabled=True)


@track()
class ReminderRule(TimeStampedModel):
    """When to remind about one kind of deadline (one row per registered deadline key)."""

    deadline_key = models.CharField(_("deadline"), max_length=64, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    lead_days = ArrayField(
        models.PositiveSmallIntegerField(validators=[MinValueValidator(1)]),
        verbose_name=_("remind this many days ahead"),
        default=default_lead_days,
        blank=True,
        size=5,
        help_text=_("For example 7, 3: a reminder a week ahead and another three days ahead."),
    )
    on_the_day = models.BooleanField(_("remind on the day"), default=True)
    when_missed = models.BooleanField(_("remind when missed"), default=True)
    escalate_after_days = models.PositiveSmallIntegerField(
        _("escalate after (days overdue)"),
        null=True,
        blank=True,
        default=DEFAULT_ESCALATE_AFTER_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ESCALATE_AFTER_DAYS)],
        help_text=_(
            "Tell the organisation above once the deadline is missed by this many days; "
            "leave empty for no escalation."
        ),
    )

    objects = ReminderRuleQuerySet.as_manager()

    class Meta:
        ordering = ["deadline_key"]
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")

    def __str__(self):
        deadline = self.deadline
        return str(deadline.label) if deadline else self.deadline_key

    @cached_property
    def deadline(self):
        from portal.deadlines import registry

        return registry().get(self.deadline_key)

    def stage_windows(self) -> list[tuple[str, int, int | None, bool]]:
        """(stage, first day, day after the last, escalated) with days relative to the due date.

        A stage is due while `due_date + first <= today < due_date + end`; each stage ends
        where the next begins, so a sweep that skipped a day still records the stage that
        applies now, and a late-created item gets only the nearest ahead-reminder.
        """
        windows: list[tuple[str, int, int | None, bool]] = []
        leads = sorted(set(self.lead_days or []), reverse=True)
        for index, days in enumerate(leads):
            end = -leads[index + 1] if index + 1 < len(leads) else 0
            windows.append((Stage.ahead(days), -days, end, False))
        if self.on_the_day:
            windows.append((Stage.DUE, 0, 1, False))
        if self.when_missed:
            windows.append((Stage.MISSED, 1, None, False))
        if self.escalate_after_days:
            windows.append((Stage.ESCALATED, self.escalate_after_days, None, True))
        return windows

    @property
    def lookahead_days(self) -> int:
        return max(self.lead_days or [0])


class SkipReason(models.TextChoices):
    NONE = "", _("Not skipped")
    RECIPIENT_DELETED = "recipient_deleted", _("The recipient's account was deleted.")
    RECIPIENT_INACTIVE = "recipient_inactive", _("The recipient's account is deactivated.")


class ReminderState(models.TextChoices):
    PENDING = "pending", _("Waiting for delivery")
    DELIVERED = "delivered", _("Delivered")
    SKIPPED = "skipped", _("Skipped")


class EmailState(models.TextChoices):
    NONE = "", _("No e-mail")
    QUEUED = "queued", _("E-mail waiting")
    SENDING = "sending", _("E-mail being sent")
    SENT = "sent", _("E-mail sent")
    FAILED = "failed", _("E-mail failed")
    CANCELLED = "cancelled", _("E-mail not wanted")


class ReminderQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user's own notifications: reminders are personal, whatever the role."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def delivered(self):
        return self.filter(state=ReminderState.DELIVERED)

    def unread(self):
        return self.delivered().filter(read_at__isnull=True)

    def notifications_for(self, user):
        """What the notification list shows: delivered, unread first, newest first."""
        return (
            self.visible_to(user)
            .delivered()
            .order_by(models.F("read_at").desc(nulls_first=True), "-notified_at", "-id")
        )

    def claimable(self):
        return self.filter(state=ReminderState.PENDING)


class Reminder(TimeStampedModel):
    """One reminder for one recipient, and the in-app notification it becomes.

    Not audited with pghistory: rows are written in bulk by the sweep, carry no decision,
    and their own timestamps (notified_at, read_at, emailed_at) are the history.
    """

    State = ReminderState
    EmailState = EmailState
    SkipReason = SkipReason

    deadline_key = models.CharField(_("deadline"), max_length=64)
    item_key = models.CharField(_("item"), max_length=200)
    stage = models.CharField(_("stage"), max_length=16)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,  # a deleted user leaves the row behind, skipped with a reason
        on_delete=models.SET_NULL,
        related_name="reminders",
    )
    organization = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("organisation"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_date = models.DateField(_("due date"))
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(
        _("state"), max_length=12, choices=ReminderState.choices, default=ReminderState.PENDING
    )
    skip_reason = models.CharField(
        _("reason skipped"), max_length=24, choices=SkipReason.choices, default="", blank=True
    )
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_state = models.CharField(
        _("e-mail"), max_length=12, choices=EmailState.choices, default=EmailState.NONE, blank=True
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_claimed_at = models.DateTimeField(_("e-mail claimed at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_error = models.CharField(_("last e-mail error"), max_length=200, blank=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            # The sweep's INSERT ... ON CONFLICT DO NOTHING relies on this key: a second sweep
            # (or a second beat) inserting the same reminder is a no-op.
            models.UniqueConstraint(
                fields=["deadline_key", "item_key", "stage", "recipient"],
                name="reminder_once_per_recipient",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=ReminderState.DELIVERED)
                | models.Q(notified_at__isnull=False),
                name="reminder_delivered_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(email_state=EmailState.SENT)
                | models.Q(emailed_at__isnull=False),
                name="reminder_sent_has_time",
            ),
        ]
        indexes = [
            # Delivery claims pending rows in id order.
            models.Index(
                fields=["id"],
                name="reminder_pending",
                condition=models.Q(state=ReminderState.PENDING),
            ),
            # The bell's count: one index-only lookup per page.
            models.Index(
                fields=["recipient"],
                name="reminder_unread",
                condition=models.Q(state=ReminderState.DELIVERED, read_at__isnull=True),
            ),
            models.Index(fields=["recipient", "-notified_at"], name="reminder_recipient_list"),
            # Mail work: queued and in-flight rows only.
            models.Index(
                fields=["email_state", "recipient"],
                name="reminder_email_open",
                condition=models.Q(email_state__in=[EmailState.QUEUED, EmailState.SENDING]),
            ),
        ]

    def __str__(self):
        return f"{self.title} · {self.get_stage_display()}"

    @cached_property
    def deadline(self):
        from portal.deadlines import registry

        return registry().get(self.deadline_key)

    @cached_property
    def kind(self):
        """The deadline, or the notice kind of a one-off notification (portal/reminders/
        notices.py): either has a label and a url(item_key)."""
        from portal.reminders.notices import notices

        return self.deadline or notices().get(self.deadline_key)

    @property
    def url(self) -> str:
        """The record's page, from the deadline's url(item_key) (not stored: URLs may move)."""
        kind = self.kind
        if kind is None:
            return ""
        try:
            return kind.url(self.item_key)
        except (NoReverseMatch, ValueError, ObjectDoesNotExist):  # the record has gone
            return ""

    @property
    def link(self) -> str:
        """The record's link through reminders:deadline-open: no query until followed."""
        return reverse("reminders:deadline-open", args=[self.deadline_key, self.item_key])

    def get_stage_display(self) -> str:
        return stage_label(self.stage)


def stage_label(stage: str) -> str:
    from django.utils.translation import ngettext

    if stage.startswith("ahead_"):
        days = int(stage.removeprefix("ahead_"))
        # "within": the stage is recorded on any day of its window, not only N days before.
        return ngettext("Due within %(days)d day", "Due within %(days)d days", days) % {
            "days": days
        }
    try:
        return str(Stage(stage).label)
    except ValueError:
        return stage
