"""Test-only deadlines, kept in the database so a separate worker process sees them too.

    tests.branch_due     an organisation whose name ends in "@YYYY-MM-DD" is due that day;
                         responsible: the organisation's secretaries (user_id NULL)
    tests.personal_due   a user whose phone is "due:YYYY-MM-DD" is due that day;
                         responsible: that user (user_id set)

The `test_deadlines` fixture (conftest.py) makes them the only registered deadlines; the
worker started by the tests does the same in tests/reminders/worker_app.py.
"""

from datetime import timedelta

from django.db.models import CharField, DateField, F, Value
from django.db.models.functions import Cast, Concat, Right, Substr
from django.urls import reverse

from portal.deadlines import Deadline
from portal.models import Organization, User
from portal.roles import Role


def _window(queryset, today, lookahead_days, lookback_days):
    return queryset.filter(
        due_date__gte=today - timedelta(days=lookback_days),
        due_date__lte=today + timedelta(days=lookahead_days),
    )


def branch_rows(today, lookahead_days, lookback_days):
    rows = (
        Organization.objects.filter(name__regex=r"@\d{4}-\d{2}-\d{2}$")
        .annotate(due_date=Cast(Right("name", 10), DateField()))
        .values(
            "due_date",
            item_key=Cast("id", CharField()),
            organization_id=F("id"),
            user_id=Value(None, output_field=CharField()),
            title=F("name"),
        )
    )
    return _window(rows, today, lookahead_days, lookback_days)


def personal_rows(today, lookahead_days, lookback_days):
    rows = (
        User.objects.filter(phone__regex=r"^due:\d{4}-\d{2}-\d{2}$")
        .annotate(due_date=Cast(Substr("phone", 5, 10), DateField()))
        .values(
            "due_date",
            "organization_id",
            item_key=Cast("id", CharField()),
            user_id=F("id"),
            title=Concat(Value("个人事项 "), "username"),
        )
    )
    return _window(rows, today, lookahead_days, lookback_days)


BRANCH = Deadline(
    key="tests.branch_due",
    label="Branch item due",
    app="tests",
    rows=branch_rows,
    url=lambda item_key: reverse("home") + f"?branch={item_key}",
    roles=(Role.SECRETARY,),
)
PERSONAL = Deadline(
    key="tests.personal_due",
    label="Personal item due",
    app="tests",
    rows=personal_rows,
    url=lambda item_key: reverse("home") + f"?user={item_key}",
)
TEST_DEADLINES = (BRANCH, PERSONAL)
