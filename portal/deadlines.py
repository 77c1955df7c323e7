"""The contract between the apps and the reminder engine (portal/reminders/).

Each app declares its deadlines in `<app>/deadlines.py` by calling `register(Deadline(...))`
at import time; the engine imports every app's `deadlines` module and asks each Deadline for
its rows. A Deadline's `rows(today)` returns a *values* queryset (so the engine can run it
inside one INSERT ... SELECT, in SQL, without loading rows into Python) with exactly these
columns:

    item_key         text    stable id of the thing that is due, unique within this deadline
                             ("1234", or "branch:17:req:3:2026-10-01" for a period's meeting)
    due_date         date    the day it falls due
    organization_id  bigint  the organisation responsible (for escalation to its parent)
    user_id          bigint  the responsible user, or NULL: then the active users of
                             `organization_id` whose role is in `Deadline.roles` are responsible
    title            text    a short human description, in Chinese, with no personal data
                             that the recipient may not see (never a reporter's identity)

`rows(today)` returns only items that are still open (not done) and whose due date lies in
[today - lookback_days, today + lookahead_days]; the engine computes the reminder stage
(ahead / on the day / missed / escalated) from due_date in SQL.

`rows()` reads nothing in Python but its arguments and the apps' rules rows
(`SingletonRules.current()`); everything else is in the SQL it returns. The read side
("My deadlines", the home page, the calendar) reuses the compiled SQL for the same day while
those rules rows are unchanged (portal/reminders/selectors.py, compiled_rows).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet

ROW_FIELDS = ("item_key", "due_date", "organization_id", "user_id", "title")


@dataclass(frozen=True)
class Deadline:
    key: str  # "<app>.<name>", e.g. "grassroots.probation_end"; stored in reminder rows
    label: str  # translatable label of the rule, e.g. _("Probation year ends")
    app: str  # "grassroots" / "cadres" / "poverty" / "supervision"
    rows: Callable  # rows(today: date, lookahead_days: int, lookback_days: int) -> QuerySet
    url: Callable[[str], str]  # url(item_key) -> the record's page
    roles: tuple[str, ...] = field(default_factory=tuple)  # responsible roles when user_id NULL
    # The item can no longer be done once its due date has passed (a period's meeting: the
    # quarter is over). The pages a person works from ("My deadlines", the home page, the
    # calendar) then drop it after its missed reminder and its escalation; the compliance
    # history keeps it. Other items (a visit, a probation year) stay until done.
    closes_when_due: bool = False


_REGISTRY: dict[str, Deadline] = {}


def register(deadline: Deadline) -> Deadline:
    _REGISTRY[deadline.key] = deadline
    return deadline


def registry() -> dict[str, Deadline]:
    """All registered deadlines, after importing every installed app's deadlines module."""
    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "deadlines"):
            __import__(f"{config.name}.deadlines")
    return dict(_REGISTRY)


def window(today, lookahead_days: int, lookback_days: int) -> tuple:
    """The due dates a rows() call answers for: [today - lookback, today + lookahead]."""
    return (
        today - datetime.timedelta(days=lookback_days),
        today + datetime.timedelta(days=lookahead_days),
    )


def check_rows(queryset: QuerySet) -> None:
    """For tests: the queryset has exactly the contract's columns."""
    names = tuple(queryset.query.values_select) + tuple(queryset.query.annotation_select)
    missing = set(ROW_FIELDS) - set(names)
    if missing:
        raise AssertionError(f"deadline rows lack {sorted(missing)}")
