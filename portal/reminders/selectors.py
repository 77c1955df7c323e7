"""Read side: what one user is responsible for, across the apps ("My deadlines", iCal).

The same rows() querysets and the same responsibility rule as the sweep
(portal/reminders/rows.py), so the page, the feed and the reminders cannot disagree.
"""

import logging
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Paginator
from django.db import connection
from django.urls import reverse

from portal.deadlines import Deadline, registry
from portal.models import SingletonRules
from portal.reminders.models import (
    DEFAULT_ESCALATE_AFTER_DAYS,
    MAX_ESCALATE_AFTER_DAYS,
    ReminderRule,
)
from portal.reminders.rows import RESPONSIBLE_SQL, responsible_roles, rows_sql

logger = logging.getLogger(__name__)

# How far "My deadlines" and the calendar feed look ahead and back.
LOOKAHEAD_DAYS = 90
LOOKBACK_DAYS = 365

# The first condition is implied by RESPONSIBLE_SQL (a responsible user is the row's user or
# sits in the row's organisation) and decides nothing on its own; being a plain comparison with
# constants, PostgreSQL pushes it down into each deadline's query, so a deadline's per-row work
# (next visits, compliance cells) is done for the user's own organisation only, not county-wide
# and filtered afterwards. The EXISTS stays the rule. Parameters: user id, organisation id.
ITEM_SQL = """
    SELECT %s::text AS deadline_key, r.item_key, r.due_date, r.title
    FROM ({rows}) AS r
    WHERE (r.user_id = %s OR r.organization_id = %s)
      AND EXISTS (SELECT 1 FROM ({responsible}) AS who WHERE who.id = %s)
"""
# For a deadline whose items close when due (Deadline.closes_when_due): an item is shown until
# its escalation day (the rule's escalate_after_days; the day after the due date, when the
# missed reminder goes out, if the rule escalates nothing), then it leaves a person's lists.
# Parameters: today, the deadline's key, the default escalation days.
CLOSING_SQL = """
      AND r.due_date >= %s::date - COALESCE(
        (SELECT COALESCE(rule.escalate_after_days, 1) FROM {rules} AS rule
         WHERE rule.deadline_key = %s), %s)
"""


# Compiled rows() SQL per (deadline, day, window), with the rules rows it was built from.
# Building and compiling the 15 deadlines' querysets cost more than running them for most
# users; the SQL only changes with the day and the rules (the contract in portal/deadlines.py),
# so a page re-reads those rules, as rows() would, and reuses the SQL while they are unchanged.
_COMPILED: dict[tuple, tuple[list, str, list]] = {}
_COMPILED_MAX = 256


def compiled_rows(deadline: Deadline, today: date, lookahead: int, lookback: int):
    """rows_sql(deadline, ...), reused while the rules rows it read are unchanged. The same
    queries run whether it is reused or built (each rules row is read once either way)."""
    key = (deadline.key, deadline.rows, today, lookahead, lookback)
    cached = _COMPILED.get(key)
    if cached is not None:
        reads, sql, params = cached
        if all(cls.current().rule_values() == values for cls, values in reads):
            return sql, list(params)
    with SingletonRules.recording() as reads:
        sql, params = rows_sql(deadline, today, lookahead, lookback)
    if len(_COMPILED) >= _COMPILED_MAX:
        _COMPILED.clear()
    _COMPILED[key] = (reads, sql, list(params))
    return sql, list(params)


@dataclass(frozen=True)
class DeadlineItem:
    deadline: Deadline
    item_key: str
    due_date: date
    title: str
    today: date

    @property
    def url(self) -> str:
        """The link to the record, through reminders:deadline-open (no query per item)."""
        return reverse("reminders:deadline-open", args=[self.deadline.key, self.item_key])

    @property
    def days_left(self) -> int:
        return (self.due_date - self.today).days

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def overdue(self) -> bool:
        return self.due_date < self.today

    @property
    def uid(self) -> str:
        return f"{self.deadline.key}:{self.item_key}"


class ResponsibleItems:
    """A user's open items, earliest due date (so the overdue ones) first.

    Sliceable and countable, for Paginator: a page is one query however many items and apps
    there are (the rows carry the total, `count(*) OVER ()`, which count() then reuses).
    """

    def __init__(self, user, *, today: date, lookahead=LOOKAHEAD_DAYS, lookback=LOOKBACK_DAYS):
        self.user = user
        self.today = today
        self.deadlines = registry()
        parts, self.params = [], []
        # Each rules row is read once for the page, whether the SQL is reused or built.
        with SingletonRules.reading():
            for key, deadline in sorted(self.deadlines.items()):
                days_back = (
                    min(lookback, MAX_ESCALATE_AFTER_DAYS) if deadline.closes_when_due else lookback
                )
                try:
                    rows, params = compiled_rows(deadline, today, lookahead, days_back)
                except Exception:  # one app's broken rows() must not take the page down
                    logger.exception("reminders: rows() of %s failed", key)
                    continue
                part = ITEM_SQL.format(rows=rows, responsible=RESPONSIBLE_SQL)
                self.params += [
                    key,
                    *params,
                    user.pk,
                    user.organization_id,
                    responsible_roles(deadline),
                    user.pk,
                ]
                if deadline.closes_when_due:
                    part += CLOSING_SQL.format(rules=ReminderRule._meta.db_table)
                    self.params += [today, key, DEFAULT_ESCALATE_AFTER_DAYS]
                parts.append(part)
        self.sql = " UNION ALL ".join(parts)
        self._count = None
        self._slices = {}

    def count(self) -> int:
        if not self.sql:
            return 0
        if self._count is None:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) FROM ({self.sql}) AS items", self.params)  # noqa: S608 - our own fragments
                self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        if not self.sql:
            return []
        start, stop = index.start or 0, index.stop
        for (cached_start, cached_stop), rows in self._slices.items():
            # Paginator asks for [0:count] on a short last page after page() fetched [0:25].
            ends_within = cached_stop is None or (stop is not None and stop <= cached_stop)
            if cached_start == start and (ends_within or len(rows) < cached_stop - start):
                return rows[: None if stop is None else stop - start]
        rows = self._slices[start, stop] = self._fetch(int(start), stop)
        return rows

    def _fetch(self, start: int, stop):
        limit = "" if stop is None else f"LIMIT {int(stop) - start}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT *, count(*) OVER () AS total FROM ({self.sql}) AS items "  # noqa: S608 - our own fragments
                f"ORDER BY due_date, deadline_key, item_key {limit} OFFSET {start}",
                self.params,
            )
            rows = cursor.fetchall()
        if rows:
            self._count = rows[0][-1]
        elif start == 0:
            self._count = 0
        return [
            DeadlineItem(self.deadlines[key], item_key, due_date, title, self.today)
            for key, item_key, due_date, title, _total in rows
        ]

    def page(self, number, per_page: int):
        """Paginator's page `number` (clamped like get_page), in one query when it exists."""
        try:
            number = max(1, int(number))
        except (TypeError, ValueError):
            number = 1
        self[(number - 1) * per_page : number * per_page]  # fetches the rows and the total
        return Paginator(self, per_page).get_page(number)
