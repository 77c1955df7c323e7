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


SQL_COMPILE_FUNCTION = "portal_workdays_compile"
SQL_COMPILE_TRIGGER = "portal_calendaroverride_compile"


def install_sql(connection) -> None:
    """(Re)create the SQL twin of is_workday() from the installed package's data.

    Statutory limits are rolled to a working day several times a row when a list sorts or
    counts matters by them, so the two functions read no table: the administrators'
    CalendarOverride rows are compiled into their text, with the package's days, by
    portal_workdays_compile(), which a statement trigger on the override table runs after
    every change (in the changing transaction: a rolled-back change rolls the functions back).
    """
    # Only the exceptions to Monday-Friday matter: weekday holidays and weekend workdays.
    holidays = [day for day in chinese_calendar.holidays if day.weekday() < 5]
    weekend_workdays = [day for day in chinese_calendar.workdays if day.weekday() >= 5]
    # The package's part of the day's test, after the overrides' WHENs.
    package_says = f"""
                  WHEN day = ANY({_sql_dates(weekend_workdays)}) THEN true
                  WHEN day = ANY({_sql_dates(holidays)}) THEN false
                  ELSE EXTRACT(ISODOW FROM day) < 6"""
    # Every value spliced in is a date this module formats (no outside input); the overrides
    # are dates read from their table, quoted by format(%L).
    sql = f"""
            CREATE OR REPLACE FUNCTION {SQL_COMPILE_FUNCTION}() RETURNS void
            LANGUAGE plpgsql AS $compile$
            DECLARE
              package_says CONSTANT text := $package${package_says}$package$;
              worked date[];
              rested date[];
              test text;
            BEGIN
              SELECT coalesce(array_agg(o.date) FILTER (WHERE o.is_workday), '{{}}'),
                     coalesce(array_agg(o.date) FILTER (WHERE NOT o.is_workday), '{{}}')
              INTO worked, rested FROM portal_calendaroverride o;
              test := format(
                '(CASE WHEN day = ANY(%L::date[]) THEN true'
                ' WHEN day = ANY(%L::date[]) THEN false %s END)',
                worked, rested, package_says);
              EXECUTE format(
                'CREATE OR REPLACE FUNCTION {SQL_WORKDAY_FUNCTION}(day date) RETURNS boolean'
                ' LANGUAGE sql STABLE AS $fn$ SELECT %s $fn$', test);
              EXECUTE format(
                'CREATE OR REPLACE FUNCTION {SQL_ROLL_FUNCTION}(day date) RETURNS date'
                ' LANGUAGE plpgsql STABLE AS $fn$ BEGIN'
                '   IF day IS NULL THEN RETURN NULL; END IF;'
                '   WHILE NOT %s LOOP day := day + 1; END LOOP;'
                '   RETURN day;'
                ' END $fn$', test);
            END
            $compile$;

            CREATE OR REPLACE FUNCTION {SQL_COMPILE_TRIGGER}() RETURNS trigger
            LANGUAGE plpgsql AS $trigger$
            BEGIN
              PERFORM {SQL_COMPILE_FUNCTION}();
              RETURN NULL;
            END
            $trigger$;

            DROP TRIGGER IF EXISTS {SQL_COMPILE_TRIGGER} ON portal_calendaroverride;
            CREATE TRIGGER {SQL_COMPILE_TRIGGER}
              AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON portal_calendaroverride
              FOR EACH STATEMENT EXECUTE FUNCTION {SQL_COMPILE_TRIGGER}();

            SELECT {SQL_COMPILE_FUNCTION}();
            """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)


def drop_sql(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER IF EXISTS {SQL_COMPILE_TRIGGER} ON portal_calendaroverride")
        cursor.execute(f"DROP FUNCTION IF EXISTS {SQL_COMPILE_TRIGGER}()")
        cursor.execute(f"DROP FUNCTION IF EXISTS {SQL_COMPILE_FUNCTION}()")
        cursor.execute(f"DROP FUNCTION IF EXISTS {SQL_ROLL_FUNCTION}(date)")
        cursor.execute(f"DROP FUNCTION IF EXISTS {SQL_WORKDAY_FUNCTION}(date)")
