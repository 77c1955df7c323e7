"""Read side: what one user is responsible for, across the apps ("My deadlines", iCal).

The same rows() querysets and the same responsibility rule as the sweep
(portal/reminders/rows.py), so the page, the feed and the reminders cannot disagree.
"""

import logging
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.urls import reverse

from portal.deadlines import Deadline, registry
from portal.reminders.rows import RESPONSIBLE_SQL, responsible_roles, rows_sql

logger = logging.getLogger(__name__)

# How far "My deadlines" and the calendar feed look ahead and back.
LOOKAHEAD_DAYS = 90
LOOKBACK_DAYS = 365

ITEM_SQL = """
    SELECT %s::text AS deadline_key, r.item_key, r.due_date, r.title
    FROM ({rows}) AS r
    WHERE EXISTS (SELECT 1 FROM ({responsible}) AS who WHERE who.id = %s)
"""


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

    Sliceable and countable, for Paginator: a page is two queries (count and rows) however
    many items and apps there are.
    """

    def __init__(self, user, *, today: date, lookahead=LOOKAHEAD_DAYS, lookback=LOOKBACK_DAYS):
        self.user = user
        self.today = today
        self.deadlines = registry()
        parts, self.params = [], []
        for key, deadline in sorted(self.deadlines.items()):
            try:
                rows, params = rows_sql(deadline, today, lookahead, lookback)
            except Exception:  # one app's broken rows() must not take the page down
                logger.exception("reminders: rows() of %s failed", key)
                continue
            parts.append(ITEM_SQL.format(rows=rows, responsible=RESPONSIBLE_SQL))
            self.params += [key, *params, responsible_roles(deadline), user.pk]
        self.sql = " UNION ALL ".join(parts)
        self._count = None

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
        start = index.start or 0
        limit = "" if index.stop is None else f"LIMIT {int(index.stop) - int(start)}"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT * FROM ({self.sql}) AS items "  # noqa: S608 - our own fragments
                f"ORDER BY due_date, deadline_key, item_key {limit} OFFSET {int(start)}",
                self.params,
            )
            return [
                DeadlineItem(self.deadlines[key], item_key, due_date, title, self.today)
                for key, item_key, due_date, title in cursor.fetchall()
            ]
