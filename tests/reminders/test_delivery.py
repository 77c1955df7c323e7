"""Delivery in-app and by e-mail (in-process; tests/reminders/test_worker.py runs a worker)."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from portal.models import User
from portal.reminders.models import EmailState, Reminder
from portal.reminders.services import (
    EmailNotSent,
    email_retry_delay,
    reminder_email_send,
    reminders_deliver,
    reminders_digest_send,
    reminders_email_recover,
    reminders_sweep,
)
from portal.roles import Role
from tests.reminders.conftest import TODAY
from tests.reminders.factories import branch_item, personal_item, secretary_of

pytestmark = pytest.mark.usefixtures("test_deadlines")


class RefusingBackend(BaseEmailBackend):
    """The mail server is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")


@pytest.fixture
def due_today(world):
    branch = branch_item(world.township_a, TODAY)
    secretary = secretary_of(branch, email="li@example.test")
    reminders_sweep(today=TODAY)
    return secretary


def test_delivery_makes_an_unread_notification_and_queues_the_mail(due_today):
    result = reminders_deliver()

    reminder = Reminder.objects.get(recipient=due_today)
    assert result.delivered == 1
    assert reminder.state == Reminder.State.DELIVERED
    assert reminder.notified_at is not None
    assert reminder.email_state == EmailState.QUEUED
    assert list(Reminder.objects.unread()) == [reminder]
    # a second run finds nothing left to deliver
    assert reminders_deliver().delivered == 0


def test_a_user_without_mail_gets_the_notification_only(due_today):
    due_today.email_reminders = False
    due_today.save(update_fields=["email_reminders"])

    reminders_deliver()

    reminder = Reminder.objects.get(recipient=due_today)
    assert reminder.state == Reminder.State.DELIVERED
    assert reminder.email_state == EmailState.NONE


def test_a_deactivated_recipient_is_skipped_with_the_reason(world):
    helper = personal_item(world.user(Role.HELPER), TODAY)
    reminders_sweep(today=TODAY)
    User.objects.filter(pk=helper.pk).update(is_active=False)

    result = reminders_deliver()

    reminder = Reminder.objects.get(recipient=helper)
    assert (result.delivered, result.skipped) == (0, 1)
    assert reminder.state == Reminder.State.SKIPPED
    assert reminder.skip_reason == Reminder.SkipReason.RECIPIENT_INACTIVE


def test_a_deleted_recipient_is_skipped_and_the_others_delivered(world):
    branch = branch_item(world.township_a, TODAY)
    leaving, staying = secretary_of(branch), secretary_of(branch)
    reminders_sweep(today=TODAY)
    leaving.delete()

    result = reminders_deliver()

    assert (result.delivered, result.skipped) == (1, 1)
    skipped = Reminder.objects.get(state=Reminder.State.SKIPPED)
    assert skipped.recipient is None
    assert skipped.skip_reason == Reminder.SkipReason.RECIPIENT_DELETED
    assert Reminder.objects.get(state=Reminder.State.DELIVERED).recipient == staying


def test_no_mail_task_is_queued_before_the_delivery_commits(due_today, monkeypatch):
    due_today.email_mode = User.EmailMode.IMMEDIATE
    due_today.save(update_fields=["email_mode"])
    queued = []
    from portal.reminders import tasks

    monkeypatch.setattr(tasks.send_reminder_email_task, "delay", queued.append)

    reminders_deliver()

    # the test's transaction has not committed: a worker could not see the row yet
    assert queued == []


def test_immediate_mode_queues_one_mail_task_per_reminder(
    due_today, monkeypatch, django_capture_on_commit_callbacks
):
    due_today.email_mode = User.EmailMode.IMMEDIATE
    due_today.save(update_fields=["email_mode"])
    queued = []
    from portal.reminders import tasks

    monkeypatch.setattr(tasks.send_reminder_email_task, "delay", queued.append)

    with django_capture_on_commit_callbacks(execute=True):
        reminders_deliver()

    assert queued == [Reminder.objects.get(recipient=due_today).pk]


def test_the_mail_is_sent_once(due_today, settings):
    settings.SITE_URL = "https://portal.example"
    reminders_deliver()
    reminder = Reminder.objects.get(recipient=due_today)

    assert reminder_email_send(reminder_id=reminder.pk) is True
    assert reminder_email_send(reminder_id=reminder.pk) is False

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["li@example.test"]
    assert reminder.title in message.subject
    link = f"https://portal.example/deadlines/tests.branch_due/{reminder.organization_id}"
    assert link in message.body
    reminder.refresh_from_db()
    assert reminder.email_state == EmailState.SENT
    assert reminder.emailed_at is not None
    assert reminder.email_attempts == 1


def test_mail_turned_off_after_queuing_is_not_sent(due_today):
    reminders_deliver()
    due_today.email_reminders = False
    due_today.save(update_fields=["email_reminders"])
    reminder = Reminder.objects.get(recipient=due_today)

    assert reminder_email_send(reminder_id=reminder.pk) is False

    assert mail.outbox == []
    reminder.refresh_from_db()
    assert reminder.email_state == EmailState.CANCELLED


def test_smtp_down_keeps_the_mail_queued_for_a_retry_then_gives_up(due_today, settings):
    settings.EMAIL_BACKEND = "tests.reminders.test_delivery.RefusingBackend"
    settings.REMINDERS_EMAIL_MAX_ATTEMPTS = 3
    reminders_deliver()
    reminder = Reminder.objects.get(recipient=due_today)

    with pytest.raises(EmailNotSent) as first:
        reminder_email_send(reminder_id=reminder.pk)

    assert first.value.retry is True
    reminder.refresh_from_db()
    assert reminder.email_state == EmailState.QUEUED
    assert reminder.email_attempts == 1
    assert "SMTPServerDisconnected" in reminder.email_error
    # the notification itself did not wait for the mail
    assert reminder.state == Reminder.State.DELIVERED

    for _attempt in range(2):
        with pytest.raises(EmailNotSent) as last:
            reminder_email_send(reminder_id=reminder.pk)
    assert last.value.retry is False
    reminder.refresh_from_db()
    assert reminder.email_state == EmailState.FAILED


def test_retries_back_off_exponentially_up_to_five_minutes(settings):
    settings.REMINDERS_EMAIL_RETRY_BASE = 30
    assert [email_retry_delay(n) for n in range(1, 7)] == [30, 60, 120, 240, 300, 300]


def test_one_digest_lists_all_of_a_users_reminders(world):
    helper = personal_item(world.user(Role.HELPER), TODAY + timedelta(days=3))
    branch = branch_item(world.township_a, TODAY)
    secretary = secretary_of(branch)
    # the helper is also the branch's secretary's colleague: give her a second reminder
    helper.role = Role.SECRETARY
    helper.organization = branch
    helper.save(update_fields=["role", "organization"])
    reminders_sweep(today=TODAY)
    reminders_deliver()

    listed = reminders_digest_send(user_id=helper.pk, today=TODAY)
    again = reminders_digest_send(user_id=helper.pk, today=TODAY)

    assert (listed, again) == (2, 0)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [helper.email]
    assert "2026-12-01" in mail.outbox[0].subject
    assert secretary.email not in mail.outbox[0].to


def test_a_dead_senders_claim_is_released_and_queued_again(due_today, settings):
    reminders_deliver()
    reminder = Reminder.objects.get(recipient=due_today)
    claimed_long_ago = timezone.now() - timedelta(
        seconds=settings.REMINDERS_EMAIL_CLAIM_TIMEOUT + 1
    )
    Reminder.objects.filter(pk=reminder.pk).update(
        email_state=EmailState.SENDING, email_claimed_at=claimed_long_ago, email_attempts=1
    )
    due_today.email_mode = User.EmailMode.IMMEDIATE
    due_today.save(update_fields=["email_mode"])

    recovered = reminders_email_recover()

    assert recovered.released == 1
    assert recovered.immediate == [reminder.pk]
    assert reminder_email_send(reminder_id=reminder.pk) is True
    assert len(mail.outbox) == 1


def test_a_living_senders_claim_is_left_alone(due_today):
    reminders_deliver()
    Reminder.objects.update(email_state=EmailState.SENDING, email_claimed_at=timezone.now())

    recovered = reminders_email_recover()

    assert (recovered.released, recovered.immediate, recovered.digests) == (0, [], [])


def test_digests_waiting_for_the_morning_are_not_sent_by_the_recovery(due_today):
    reminders_deliver()

    recovered = reminders_email_recover(now=timezone.now() + timedelta(hours=1))

    assert recovered.digests == []


def test_the_morning_digest_goes_to_digest_users_with_queued_mail_only(world, client, monkeypatch):
    from portal.reminders import tasks
    from portal.reminders.services import digest_recipient_ids

    branch = branch_item(world.township_a, TODAY)
    by_digest = secretary_of(branch, email="a@example.test")
    at_once = secretary_of(branch, email="b@example.test")
    nothing_due = secretary_of(world.branch_b1, email="c@example.test")
    # the users choose on their preferences page
    for user, mode in ((by_digest, "digest"), (at_once, "immediate"), (nothing_due, "digest")):
        client.force_login(user)
        client.post(reverse("reminders:preferences"), {"email_reminders": "on", "email_mode": mode})
    reminders_sweep(today=TODAY)
    reminders_deliver()
    queued = set(
        Reminder.objects.filter(email_state=EmailState.QUEUED).values_list("recipient", flat=True)
    )
    assert queued == {by_digest.pk, at_once.pk}

    assert list(digest_recipient_ids()) == [by_digest.pk]
    sent = []
    monkeypatch.setattr(tasks.send_digest_task, "delay", lambda *args: sent.append(args))
    assert tasks.send_digests_task.run(TODAY.isoformat()) == 1
    assert sent == [(by_digest.pk, TODAY.isoformat())]

    reminders_digest_send(user_id=by_digest.pk, today=TODAY)

    assert list(digest_recipient_ids()) == []
    assert [message.to for message in mail.outbox] == [["a@example.test"]]
