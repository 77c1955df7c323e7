"""Counting periods (DOMAIN.md): each rule at its edges, and its SQL twin agreeing with it."""

import datetime

import pytest
from django.db import connection
from django.db.models import Value
from django.db.models.fields import DateField, IntegerField

from portal import dates
from portal.models import CalendarOverride

pytestmark = pytest.mark.django_db

D = datetime.date


def sql_value(expression):
    """Evaluate one expression in PostgreSQL (against a single row)."""
    anchor, _ = CalendarOverride.objects.get_or_create(
        date=D(1990, 1, 1), defaults={"is_workday": True, "note": "test anchor"}
    )
    return (
        CalendarOverride.objects.filter(pk=anchor.pk)
        .annotate(result=expression)
        .values_list("result", flat=True)
        .get()
    )


def day(value):
    return Value(value, output_field=DateField())


def number(value):
    return Value(value, output_field=IntegerField())


class TestDays:
    def test_the_start_day_is_not_counted(self):
        # received on 3 March, 15 days: the last day is 18 March
        assert dates.add_days(D(2025, 3, 3), 15) == D(2025, 3, 18)
        assert sql_value(dates.AddDays(day(D(2025, 3, 3)), number(15))) == D(2025, 3, 18)

    def test_days_between_is_negative_once_past(self):
        assert dates.days_between(D(2025, 3, 1), D(2025, 3, 3)) == -2
        assert sql_value(dates.DaysBetween(day(D(2025, 3, 1)), day(D(2025, 3, 3)))) == -2


class TestMonths:
    @pytest.mark.parametrize(
        ("start", "months", "end"),
        [
            (D(2025, 1, 31), 1, D(2025, 2, 28)),
            (D(2024, 1, 31), 1, D(2024, 2, 29)),
            (D(2024, 2, 29), 12, D(2025, 2, 28)),
            (D(2025, 5, 31), 6, D(2025, 11, 30)),
            (D(2025, 3, 15), 12, D(2026, 3, 15)),
            (D(2025, 12, 31), 2, D(2026, 2, 28)),
        ],
    )
    def test_the_corresponding_day_or_the_months_last(self, start, months, end):
        assert dates.add_months(start, months) == end
        assert sql_value(dates.AddMonths(day(start), number(months))) == end

    def test_python_and_sql_agree_on_every_day_of_a_leap_year(self):
        starts = [D(2024, 1, 1) + datetime.timedelta(days=n) for n in range(366)]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d::date, CAST(d::date + make_interval(months => m) AS date) "
                "FROM generate_series(DATE '2024-01-01', DATE '2024-12-31', interval '1 day') d,"
                " unnest(ARRAY[1, 6, 12, 13]) m ORDER BY 1, m"
            )
            rows = cursor.fetchall()
        expected = [(s, dates.add_months(s, m)) for s in starts for m in (1, 6, 12, 13)]
        assert rows == expected


class TestRollOver:
    def test_a_limit_ending_on_a_sunday_moves_to_monday(self):
        # 3 March 2025 + 20 days = Sunday 23 March → Monday 24 March
        assert dates.deadline(D(2025, 3, 3), 20) == D(2025, 3, 24)
        assert sql_value(dates.Deadline(day(D(2025, 3, 3)), number(20))) == D(2025, 3, 24)

    def test_a_limit_ending_in_a_holiday_moves_past_the_whole_holiday(self):
        # 1 May 2025 + 30 days = Saturday 31 May, Dragon Boat holiday to 2 June → 3 June
        assert dates.deadline(D(2025, 5, 1), 30) == D(2025, 6, 3)
        assert sql_value(dates.Deadline(day(D(2025, 5, 1)), number(30))) == D(2025, 6, 3)

    def test_a_limit_ending_on_an_adjusted_working_sunday_stays(self):
        # Sunday 28 September 2025 was made a working day before National Day
        assert dates.deadline(D(2025, 9, 13), 15) == D(2025, 9, 28)
        assert sql_value(dates.Deadline(day(D(2025, 9, 13)), number(15))) == D(2025, 9, 28)

    def test_a_limit_ending_on_a_working_day_stays(self):
        assert dates.deadline(D(2025, 3, 3), 15) == D(2025, 3, 18)
        assert sql_value(dates.Deadline(day(D(2025, 3, 3)), number(15))) == D(2025, 3, 18)

    def test_an_administrators_override_moves_the_limit_in_both(self):
        # Friday 1 January 2027 (a year the package does not know) declared a holiday
        CalendarOverride.objects.create(date=D(2027, 1, 1), is_workday=False, note="元旦")
        assert dates.deadline(D(2026, 12, 2), 30) == D(2027, 1, 4)
        assert sql_value(dates.Deadline(day(D(2026, 12, 2)), number(30))) == D(2027, 1, 4)

    def test_python_and_sql_agree_on_every_day_the_package_knows_and_after(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d::date, portal_roll_to_workday(d::date) FROM generate_series("
                "DATE '2024-01-01', DATE '2027-12-31', interval '1 day') d ORDER BY 1"
            )
            rows = cursor.fetchall()
        assert len(rows) == 1461
        assert rows == [(start, dates.roll_to_workday(start)) for start, _ in rows]


class TestPauses:
    def test_a_pause_counts_both_its_days(self):
        assert dates.pause_days(D(2025, 4, 1), D(2025, 4, 1)) == 1
        assert dates.pause_days(D(2025, 4, 1), D(2025, 4, 11)) == 11
        assert sql_value(dates.PauseDays(day(D(2025, 4, 1)), day(D(2025, 4, 1)))) == 1
        assert sql_value(dates.PauseDays(day(D(2025, 4, 1)), day(D(2025, 4, 11)))) == 11


class TestNotices:
    def test_a_notice_allows_its_action_only_after_its_last_day(self):
        # a 7-day notice published on 1 March runs to 8 March; the action is allowed from 9 March
        ends = dates.notice_ends(D(2026, 3, 1), 7)
        assert ends == D(2026, 3, 8)
        assert not dates.notice_allows(ends, D(2026, 3, 8))
        assert dates.notice_allows(ends, D(2026, 3, 9))

    def test_a_notice_in_working_days_skips_the_holiday(self):
        # 5 working days from Wednesday 30 September 2026: 8, 9, 10 (adjusted Saturday), 12, 13
        assert dates.notice_ends(D(2026, 9, 30), 5, working_days=True) == D(2026, 10, 13)
