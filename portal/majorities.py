"""How many is enough (DOMAIN.md §2, §3, §8): "more than half", "at least two thirds" and
"more than four fifths", written once, in Python and as their SQL twins.

Counts are whole people, so every rule is an integer comparison (no 3.5 of 7): more than half
of 7 is at least 4, two thirds of 12 is at least 8.

| rule | Python | smallest count that meets it | SQL |
|---|---|---|---|
| more than half of `total` | more_than_half | half_needed | MoreThanHalf |
| at least two thirds of `total` (and `total` > 0) | at_least_two_thirds | two_thirds_needed | — |
| more than four fifths of `total` | more_than_four_fifths | — | — |
"""

from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.db.models.lookups import GreaterThan


def more_than_half(count: int, total: int) -> bool:
    return count * 2 > total


def half_needed(total: int) -> int:
    """The smallest count that is more than half of `total` (7 → 4, 10 → 6)."""
    return total // 2 + 1


def at_least_two_thirds(count: int, total: int) -> bool:
    return total > 0 and count * 3 >= total * 2


def two_thirds_needed(total: int) -> int:
    """The smallest count that is at least two thirds of `total` (12 → 8, 7 → 5)."""
    return -(-total * 2 // 3)


def more_than_four_fifths(count: int, total: int) -> bool:
    return count * 5 > total * 4


def MoreThanHalf(count: str, total: str):  # noqa: N802 (an expression factory)
    """The SQL twin of more_than_half, on two fields (or expressions) of the row."""
    count = F(count) if isinstance(count, str) else count
    total = F(total) if isinstance(total, str) else total
    return ExpressionWrapper(Q(GreaterThan(count * 2, total)), output_field=BooleanField())
