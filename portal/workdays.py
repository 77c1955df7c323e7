"""The PRC working-day calendar, in one place for every app (cadres' public notice,
supervision's 5-working-day limit, the roll-over of calendar-day limits in portal/dates.py).

A day is a working day when an administrator's CalendarOverride says so; otherwise the
chinese-calendar package decides (it knows the State Council's holidays and the weekend
days made workdays around them); for a year it does not cover yet, Monday to Friday.

The same rule in SQL is the function `portal_is_workday(date)` (and
`portal_roll_to_workday(date)`), installed by install_sql() from the package's data: by the
migration that created it and again after every `migrate`, so a newer chinese-calendar's
years reach SQL too. tests/portal/test_dates.py checks Python and SQL agree day by day.
"""

import datetime
import logging

import chinese_calendar

SQL_WORKDAY_FUNCTION = "portal_is_workday"
SQL_ROLL_FUNCTION = "portal_roll_to_workday"

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


def _sql_dates(days) -> str:
    return "ARRAY[" + ",".join(f"DATE '{day:%Y-%m-%d}'" for day in sorted(days)) + "]::date[]"


def install_sql(connection) -> None:
    """(Re)create the SQL twin of is_workday() from the installed package's data."""
    # Only the exceptions to Monday-Friday matter: weekday holidays and weekend workdays.
    holidays = [day for day in chinese_calendar.holidays if day.weekday() < 5]
    weekend_workdays = [day for day in chinese_calendar.workdays if day.weekday() >= 5]
    # Monday-Friday with the package's exceptions, on `day` (one expression for both functions).
    package_says = f"""(CASE
                  WHEN day = ANY({_sql_dates(weekend_workdays)}) THEN true
                  WHEN day = ANY({_sql_dates(holidays)}) THEN false
                  ELSE EXTRACT(ISODOW FROM day) < 6
                END)"""
    # Every value spliced in is a date this module formats (no outside input). The roll is
    # one PL/pgSQL loop that reads the override and the package's days itself, rather than
    # calling portal_is_workday() per day: a list ordering or counting matters by their
    # statutory dates calls it several times a row, and the nested SQL-function call cost
    # 3-4 times as much as the day's own test.
    sql = f"""
            CREATE OR REPLACE FUNCTION {SQL_WORKDAY_FUNCTION}(day date) RETURNS boolean
            LANGUAGE sql STABLE AS $$
              SELECT COALESCE(
                (SELECT o.is_workday FROM portal_calendaroverride o WHERE o.date = day),
                {package_says})
            $$;
            CREATE OR REPLACE FUNCTION {SQL_ROLL_FUNCTION}(day date) RETURNS date
            LANGUAGE plpgsql STABLE AS $$
            DECLARE
              workday boolean;
            BEGIN
              IF day IS NULL THEN RETURN NULL; END IF;
              LOOP
                SELECT o.is_workday INTO workday FROM portal_calendaroverride o
                WHERE o.date = day;
                IF NOT FOUND THEN
                  workday := {package_says};
                END IF;
                IF workday THEN RETURN day; END IF;
                day := day + 1;
              END LOOP;
            END
            $$;
            """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)


def drop_sql(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP FUNCTION IF EXISTS {SQL_ROLL_FUNCTION}(date)")
        cursor.execute(f"DROP FUNCTION IF EXISTS {SQL_WORKDAY_FUNCTION}(date)")
