"""The deadline and reminder engine (issue #7; DOMAIN.md §6).

    apps' deadlines.py ──rows(today)──▶ sweep (services/sweep.py: one INSERT … SELECT per
    deadline, ON CONFLICT DO NOTHING, advisory lock) ──▶ Reminder rows ──▶ delivery
    (services/delivery.py: SKIP LOCKED claims; in-app at once, e-mail immediately or in the
    morning digest, retried with backoff) ──▶ the bell, /notifications/, e-mail.

Read side: /deadlines/ and the iCal feed (selectors.py) use the same rows and the same
responsibility rule (rows.py). Tasks (tasks.py) are thin; beat's schedule is schedule.py.
"""
