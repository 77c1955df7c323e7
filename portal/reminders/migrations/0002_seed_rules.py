"""Seed one reminder rule per deadline of DOMAIN.md §6 with its default numbers.

Reminded 7 and 3 days ahead, on the day and when missed; escalated to the organisation above
after 3 days. Deadlines that need preparation get a longer first notice: a committee term's
end (an election to organise) and a probation year's end (a general meeting to convert the
member) are announced 30 days ahead. A deadline registered later gets its rule, with the
model's defaults, from its first sweep; an administrator edits any rule in the admin.
"""

from django.db import migrations

DEFAULT = {"lead_days": [7, 3], "escalate_after_days": 3}
LONG_NOTICE = {"lead_days": [30, 7, 3], "escalate_after_days": 3}

RULES = {
    "grassroots.meeting_due": DEFAULT,
    "grassroots.probation_end": LONG_NOTICE,
    "grassroots.term_end": LONG_NOTICE,
    "grassroots.activist_assessment": DEFAULT,
    "cadres.notice_end": DEFAULT,
    "cadres.probation_end": LONG_NOTICE,
    "cadres.assessment_missing": DEFAULT,
    "cadres.four_musts_open": DEFAULT,
    "poverty.visit_overdue": DEFAULT,
    "poverty.village_incomplete": DEFAULT,
    "poverty.exit_notice_end": DEFAULT,
    "supervision.accept_due": DEFAULT,
    "supervision.reply_due": DEFAULT,
    "supervision.review_due": DEFAULT,
    "supervision.rereview_due": DEFAULT,
}


def seed(apps, schema_editor):
    ReminderRule = apps.get_model("reminders", "ReminderRule")
    ReminderRule.objects.bulk_create(
        [ReminderRule(deadline_key=key, **numbers) for key, numbers in RULES.items()],
        ignore_conflicts=True,
    )


def unseed(apps, schema_editor):
    apps.get_model("reminders", "ReminderRule").objects.filter(deadline_key__in=RULES).delete()


class Migration(migrations.Migration):
    dependencies = [("reminders", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
