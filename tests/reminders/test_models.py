"""The rule's stage windows and the reminder's labels."""

from django.utils import translation

from portal.reminders.models import Reminder, ReminderRule, stage_label


def test_default_rule_reminds_a_week_and_three_days_ahead_then_on_the_day_then_late():
    rule = ReminderRule(deadline_key="x")

    assert rule.stage_windows() == [
        ("ahead_7", -7, -3, False),
        ("ahead_3", -3, 0, False),
        ("due", 0, 1, False),
        ("missed", 1, None, False),
        ("escalated", 3, None, True),
    ]
    assert rule.lookahead_days == 7


def test_a_rule_without_lead_days_or_escalation_has_only_the_day_and_missed():
    rule = ReminderRule(deadline_key="x", lead_days=[], escalate_after_days=None)

    assert [stage for stage, *_ in rule.stage_windows()] == ["due", "missed"]
    assert rule.lookahead_days == 0


def test_lead_days_are_ordered_and_deduplicated():
    rule = ReminderRule(deadline_key="x", lead_days=[1, 14, 1])

    assert rule.stage_windows()[:2] == [("ahead_14", -14, -1, False), ("ahead_1", -1, 0, False)]


def test_stage_labels_read_well():
    with translation.override("en"):
        assert stage_label("ahead_7") == "Due within 7 days"
        assert stage_label("ahead_1") == "Due within 1 day"
        assert stage_label("missed") == "Missed"
        assert Reminder(stage="due").get_stage_display() == "Due today"
    with translation.override("zh-hans"):
        assert stage_label("ahead_3") == "3 天内到期"
