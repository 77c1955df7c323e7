"""A read replica for dashboards and exports, enabled by DATABASE_REPLICA_URL.

Dashboards (rollups, statistics) and exports read many rows and write none: with a replica
configured they read from it, and the primary keeps its capacity for the daily work. Every
other read stays on the primary, so a user never misses their own write because of replication
lag. A view opts in with `@reads_from_replica`; without the `replica` alias (no
DATABASE_REPLICA_URL) the decorator changes nothing. Writes always go to the primary.
"""

import contextvars
from functools import wraps

from django.db import connections

REPLICA = "replica"
_use_replica = contextvars.ContextVar("use_replica", default=False)


def reads_from_replica(view):
    """Decorator for a dashboard or export view: its queries read from the replica."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        token = _use_replica.set(True)
        try:
            return view(*args, **kwargs)
        finally:
            _use_replica.reset(token)

    return wrapped


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _use_replica.get() and REPLICA in connections.settings:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
