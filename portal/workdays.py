"""The PRC working-day calendar, in one place for every app (cadres' public notice,
supervision's 5-working-day limit).

A day is a working day when an administrator's CalendarOverride says so; otherwise the
chinese-calendar package decides (it knows the State Council's holidays and the weekend
days made workdays around them); for a year it does not cover yet, Monday to Friday.
"""

import datetime
import logging

import chinese_calendar

logger = logging.getLogger(__name__)


def _overrides(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    from portal.models import CalendarOverride

    return dict(
        CalendarOverride.objects.filter(date__range=(start, end)).values_list("date", "is_workday")
    )


def _package_says(day: datetime.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        logger.warning("chinese-calendar has no data for %s; counting Mon-Fri only", day.year)
        return day.weekday() < 5


def is_workday(day: datetime.date) -> bool:
    override = _overrides(day, day).get(day)
    return override if override is not None else _package_says(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date that is `days` working days after `start` (start itself not counted).

    add_working_days(Friday, 1) is the next working day, usually Monday.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    # One query for the overrides of the whole stretch (a holiday run is at most ~9 days).
    overrides = _overrides(start, start + datetime.timedelta(days=days * 3 + 30))
    day, counted = start, 0
    while counted < days:
        day += datetime.timedelta(days=1)
        workday = overrides.get(day)
        if workday is None:
            workday = _package_says(day)
        counted += workday
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    overrides = _overrides(start, end)
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        workday = overrides.get(day)
        count += workday if workday is not None else _package_says(day)
    return count
