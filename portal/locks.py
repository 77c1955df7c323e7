"""Business duplicates that a read-then-write cannot keep out under concurrency.

"One appointment in progress per cadre", "a second meeting of the same kind on the same day
only when confirmed": the service reads, then writes. Two concurrent requests both read
"none yet" and both write. `serialize(...)` takes a PostgreSQL transaction-level advisory lock
on the rule's key first, so the second request waits for the first to commit and its read
sees the first one's row. The lock is released at the end of the transaction.
"""

from django.db import connection


def serialize(rule: str, *parts) -> None:
    """Serialise writers of `rule` for the key `parts` until the transaction ends.

    Call it inside the service's transaction, before the duplicate check."""
    key = ":".join([rule, *(str(part) for part in parts)])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [key])
