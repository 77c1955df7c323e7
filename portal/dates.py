"""Counting periods (DOMAIN.md, "Counting periods"): every app's date arithmetic, written once.

Each rule has a Python form (for services, which decide one record at a time) and its SQL
twin (for querysets, lists and the reminder sweep); tests/portal/test_dates.py checks that
the two agree.

| rule | Python | SQL |
|---|---|---|
| N days from a day, that day not counted (民法典 art. 201) | add_days | AddDays |
| N months / years, month-end clamp (art. 202) | add_months | AddMonths |
| a limit in calendar days whose last day is a rest day ends on the next working day (art. 203) | deadline | Deadline |
| a pause from A to B, both included, adds B − A + 1 days | pause_days | PauseDays |
| a public notice of N days (calendar or working) runs N full days after publication | notice_ends | — |
| the action a notice guards is allowed from the day after its last day | notice_allows | — |
| days from one day to another (negative: already past) | days_between | DaysBetween |

Working days themselves (which days are rest days) are portal/workdays.py's.
"""

import calendar
import datetime

from django.db import models
from django.db.models.functions import Cast

from portal import workdays

ONE_DAY = datetime.timedelta(days=1)


# --- Python -----------------------------------------------------------------------------------


def add_days(start: datetime.date, days: int) -> datetime.date:
    """The last day of a period of `days` days from `start` (start itself not counted):
    received on 3 March, 15 days → 18 March."""
    return start + datetime.timedelta(days=days)


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The corresponding day `months` later, or that month's last day when there is none:
    31 January + 1 month → 28 (29) February; 29 February 2024 + 12 months → 28 February 2025."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def roll_to_workday(day: datetime.date) -> datetime.date:
    """`day` itself when it is a working day, else the next working day."""
    while not workdays.is_workday(day):
        day += ONE_DAY
    return day


def deadline(start: datetime.date, days: int) -> datetime.date:
    """The last day of a limit of `days` calendar days from `start`: a weekend day or public
    holiday moves it to the next working day (for a requester's window as for an office's
    answer)."""
    return roll_to_workday(add_days(start, days))


def pause_days(started_on: datetime.date, ended_on: datetime.date) -> int:
    """Days a pause from `started_on` to `ended_on` (both included) adds to a limit."""
    return (ended_on - started_on).days + 1


def notice_ends(published_on: datetime.date, days: int, *, working_days=False) -> datetime.date:
    """The last day of a public notice of `days` days (or working days) published on
    `published_on`: the day of publication is not counted."""
    if working_days:
        return workdays.add_working_days(published_on, days)
    return add_days(published_on, days)


def notice_allows(ends_on: datetime.date, day: datetime.date) -> bool:
    """The action a notice guards may be taken on `day`: only after the notice's last day."""
    return day > ends_on


def first_day_after(ends_on: datetime.date) -> datetime.date:
    return ends_on + ONE_DAY


def days_between(later: datetime.date, earlier: datetime.date) -> int:
    return (later - earlier).days


# --- SQL (PostgreSQL) -------------------------------------------------------------------------


class AddDays(models.Func):
    """date + n days, as a date (the SQL twin of add_days)."""

    arg_joiner = " + "
    template = "(%(expressions)s)"
    output_field = models.DateField()

    def __init__(self, date, days, **extra):
        # PostgreSQL has date + integer but no date + bigint (what SUM returns).
        super().__init__(date, Cast(days, models.IntegerField()), **extra)


class AddMonths(models.Func):
    """date + n calendar months, as a date (the SQL twin of add_months: PostgreSQL clamps to
    the month's last day, 31 January + 1 month = 28/29 February)."""

    output_field = models.DateField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        date_sql, date_params = compiler.compile(self.source_expressions[0])
        months_sql, months_params = compiler.compile(self.source_expressions[1])
        sql = f"CAST(({date_sql}) + make_interval(months => ({months_sql})::integer) AS date)"
        return sql, (*date_params, *months_params)


class RollToWorkday(models.Func):
    """The SQL twin of roll_to_workday (the function portal/workdays.py installs)."""

    function = workdays.SQL_ROLL_FUNCTION
    output_field = models.DateField()
    arity = 1


def Deadline(start, days):  # noqa: N802 (an expression factory, read like a class)
    """The SQL twin of deadline(): start + days, rolled to the next working day."""
    return RollToWorkday(AddDays(start, days))


class DaysBetween(models.Func):
    """later date - earlier date = integer days (the SQL twin of days_between)."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = models.IntegerField()


def PauseDays(started_on, ended_on):  # noqa: N802
    """The SQL twin of pause_days: B − A + 1."""
    return models.ExpressionWrapper(
        DaysBetween(ended_on, started_on) + 1, output_field=models.IntegerField()
    )
