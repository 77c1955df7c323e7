"""Majorities (DOMAIN.md §2, §3, §8) at their edges, and the SQL twin agreeing."""

import pytest
from django.db.models import IntegerField, Value

from portal import majorities
from portal.models import CalendarOverride

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("count", "total", "expected"), [(4, 7, True), (3, 7, False), (5, 10, False), (6, 10, True)]
)
def test_more_than_half_in_python_and_sql(count, total, expected):
    assert majorities.more_than_half(count, total) is expected
    row = CalendarOverride.objects.create(date="1990-01-01", is_workday=True)
    sql = (
        CalendarOverride.objects.filter(pk=row.pk)
        .annotate(
            passed=majorities.MoreThanHalf(
                Value(count, output_field=IntegerField()), Value(total, output_field=IntegerField())
            )
        )
        .values_list("passed", flat=True)
        .get()
    )
    assert sql is expected


def test_the_smallest_counts_that_meet_each_rule():
    assert [majorities.half_needed(n) for n in (1, 2, 7, 10)] == [1, 2, 4, 6]
    assert [majorities.two_thirds_needed(n) for n in (3, 7, 12)] == [2, 5, 8]
    for total in range(1, 40):
        needed = majorities.half_needed(total)
        assert majorities.more_than_half(needed, total)
        assert not majorities.more_than_half(needed - 1, total)
        needed = majorities.two_thirds_needed(total)
        assert majorities.at_least_two_thirds(needed, total)
        assert not majorities.at_least_two_thirds(needed - 1, total)


def test_two_thirds_of_nobody_is_not_a_quorum():
    assert not majorities.at_least_two_thirds(0, 0)
    assert majorities.more_than_four_fifths(9, 11)
    assert not majorities.more_than_four_fifths(8, 10)
