"""The sweep: record every reminder that is due, in SQL, once.

For each registered deadline one statement does the work:

    WITH r AS (<the app's rows(today) queryset>), stages AS (VALUES <the rule's windows>)
    INSERT INTO reminders_reminder (...)
    SELECT ... FROM r JOIN stages ON <the stage's window contains today>
    CROSS JOIN LATERAL (<the responsible users, or for escalation those above>) who
    ON CONFLICT DO NOTHING

Nothing is loaded into Python, so the sweep's memory does not grow with the number of
items. The unique key (deadline, item, stage, recipient) makes a repeated sweep a no-op, and
an advisory lock keeps a second sweep (a second beat started by mistake) from doing the
work twice at the same time.
"""

import logging
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from portal.deadlines import Deadline, registry
from portal.reminders.models import ReminderRule
from portal.reminders.rows import (
    ESCALATION_SQL,
    RESPONSIBLE_SQL,
    escalation_roles,
    responsible_roles,
    rows_sql,
)

logger = logging.getLogger(__name__)

# pg_try_advisory_xact_lock key: any constant bigint that no other code uses.
SWEEP_LOCK_KEY = 7_007_000_001

INSERT_SQL = """
WITH r AS MATERIALIZED ({rows}),
stages (stage, first_day, end_day, escalated) AS (VALUES {stages}),
due AS (
    SELECT r.*, stages.stage, stages.escalated
    FROM r JOIN stages
      ON r.due_date + stages.first_day <= %s::date
     AND (stages.end_day IS NULL OR r.due_date + stages.end_day > %s::date)
)
INSERT INTO reminders_reminder (
    deadline_key, item_key, stage, recipient_id, organization_id, due_date, title,
    state, skip_reason, email_state, email_attempts, email_error, created_at, updated_at
)
SELECT %s, r.item_key, r.stage, who.id, r.organization_id, r.due_date,
       left(coalesce(r.title, ''), 200), 'pending', '', '', 0, '', %s, %s
FROM due AS r
CROSS JOIN LATERAL (
    SELECT responsible.id FROM ({responsible}) AS responsible WHERE NOT r.escalated
    UNION ALL
    SELECT above.id FROM ({escalation}) AS above WHERE r.escalated
) AS who
ON CONFLICT DO NOTHING
"""


@dataclass
class SweepResult:
    today: date
    inserted: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.inserted.values())


@transaction.atomic
def reminder_rules_sync(*, keys) -> dict[str, ReminderRule]:
    """Make sure every registered deadline has its rule (the defaults of DOMAIN.md §6).

    Rules are created lazily because the apps register their deadlines in code; an
    administrator then edits them in the admin.
    """
    keys = sorted(keys)
    ReminderRule.objects.bulk_create(
        [ReminderRule(deadline_key=key) for key in keys], ignore_conflicts=True
    )
    return {rule.deadline_key: rule for rule in ReminderRule.objects.filter(deadline_key__in=keys)}


def _sweep_deadline(deadline: Deadline, rule: ReminderRule, today: date) -> int:
    windows = rule.stage_windows()
    if not windows:
        return 0
    lookahead = rule.lookahead_days
    lookback = (rule.escalate_after_days or 1) + settings.REMINDERS_CATCH_UP_DAYS
    rows, params = rows_sql(deadline, today, lookahead, lookback)
    stages = ", ".join(["(%s::text, %s::int, %s::int, %s::boolean)"] * len(windows))
    for window in windows:
        params.extend(window)
    # The timestamps from Python's clock, like every other row's (never the database's now()).
    now = timezone.now()
    params.extend([today, today, deadline.key, now, now, responsible_roles(deadline)])
    above = escalation_roles(deadline)
    params.extend([above, above])
    sql = INSERT_SQL.format(
        rows=rows, stages=stages, responsible=RESPONSIBLE_SQL, escalation=ESCALATION_SQL
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@transaction.atomic
def reminders_sweep(*, today: date | None = None) -> SweepResult | None:
    """Record the reminders due on `today` for every deadline; None if a sweep is running.

    One broken deadline (an app's rows() raising) is logged and skipped: the others are
    still swept.
    """
    today = today or timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SWEEP_LOCK_KEY])
        if not cursor.fetchone()[0]:
            logger.info("reminders: another sweep holds the lock; this one does nothing")
            return None
    deadlines = registry()
    rules = reminder_rules_sync(keys=deadlines)
    result = SweepResult(today=today)
    for key, deadline in sorted(deadlines.items()):
        rule = rules[key]
        if not rule.enabled:
            continue
        try:
            with transaction.atomic():
                result.inserted[key] = _sweep_deadline(deadline, rule, today)
        except Exception as exc:  # an app's broken query must not stop the others
            logger.exception("reminders: sweeping %s failed", key)
            result.failed[key] = f"{exc.__class__.__name__}: {exc}"[:500]
    logger.info("reminders: sweep for %s recorded %d reminders", today, result.total)
    return result
