"""My deadlines reuses the compiled SQL of a deadline for the same day (portal/reminders/
selectors.py): an administrator's change to a rule that the deadline reads in Python must
still move its items on the very next page, in the same process."""

import dataclasses
from datetime import timedelta

import pytest
from django.db.models import CharField, DateField, F
from django.db.models.functions import Cast, Substr
from django.urls import reverse
from django.utils import timezone

import portal.deadlines
from portal.dates import AddDays
from portal.models import User
from portal.roles import Role
from poverty.models import PovertyRules
from tests.reminders.deadlines import PERSONAL, _window
from tests.reminders.factories import personal_item

pytestmark = pytest.mark.usefixtures("test_deadlines")


def _rows_after_the_notice(today, lookahead_days, lookback_days):
    """A personal item due the rules' exit-notice days after the user's date, the number read
    in Python as cadres' four-musts deadline reads its days."""
    days = PovertyRules.current().exit_notice_days
    rows = (
        User.objects.filter(phone__regex=r"^due:\d{4}-\d{2}-\d{2}$")
        .annotate(due_date=AddDays(Cast(Substr("phone", 5, 10), DateField()), days))
        .values(
            "due_date",
            "organization_id",
            item_key=Cast("id", CharField()),
            user_id=F("id"),
            title=F("username"),
        )
    )
    return _window(rows, today, lookahead_days, lookback_days)


def test_a_changed_rule_moves_the_item_on_the_next_page(client, world):
    deadline = dataclasses.replace(PERSONAL, rows=_rows_after_the_notice)
    portal.deadlines._REGISTRY[deadline.key] = deadline
    PovertyRules.objects.update_or_create(pk=1, defaults={"exit_notice_days": 5})
    today = timezone.localdate()
    secretary = personal_item(world.user(Role.SECRETARY), today)
    client.force_login(secretary)
    first = client.get(reverse("reminders:my-deadlines")).content.decode()
    assert f"{today + timedelta(days=5):%Y-%m-%d}" in first
    # when an administrator lengthens the notice (an UPDATE, no save(): nothing is signalled)
    PovertyRules.objects.filter(pk=1).update(exit_notice_days=9)
    # then the next page shows the new due date, not the one compiled before
    second = client.get(reverse("reminders:my-deadlines")).content.decode()
    assert f"{today + timedelta(days=9):%Y-%m-%d}" in second
    assert f"{today + timedelta(days=5):%Y-%m-%d}" not in second
