"""An administrator tunes the rules in the admin and can read (not edit) the reminders."""

from django.urls import reverse

from portal.reminders.models import ReminderRule
from portal.roles import Role
from tests.reminders.factories import delivered_notification


def test_an_administrator_changes_a_rules_lead_days(client, world):
    rule = ReminderRule.objects.get(deadline_key="supervision.accept_due")
    client.force_login(world.user(Role.ADMIN))
    url = reverse("admin:reminders_reminderrule_change", args=[rule.pk])
    assert client.get(reverse("admin:reminders_reminderrule_changelist")).status_code == 200

    response = client.post(
        url,
        {
            "enabled": "on",
            "lead_days": "10,5,1",
            "on_the_day": "on",
            "when_missed": "on",
            "escalate_after_days": "5",
        },
    )

    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.lead_days, rule.escalate_after_days) == ([10, 5, 1], 5)


def test_reminders_are_read_only_in_the_admin(client, world):
    reminder = delivered_notification(world.user(Role.SECRETARY))
    client.force_login(world.user(Role.ADMIN))

    listing = client.get(reverse("admin:reminders_reminder_changelist"))
    detail = client.get(reverse("admin:reminders_reminder_change", args=[reminder.pk]))

    assert listing.status_code == detail.status_code == 200
    assert reminder.title in listing.content.decode()
    assert b'name="_save"' not in detail.content
