"""Audit trail: PostgreSQL triggers (django-pghistory) record every insert, update and
delete of a tracked model, including bulk and queryset updates that bypass save(). The
HistoryMiddleware attaches the acting user and URL as context; services that run outside a
request (tasks, commands) wrap their work in `pghistory.context(...)`.
"""

import pghistory


def track(**kwargs):
    """Decorator for domain models: keep a full snapshot on every insert, update and delete."""
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **kwargs
    )


def history_for(obj, limit: int = 50):
    """The record's events, newest first, with the acting user from the context."""
    from pghistory.models import Events

    return Events.objects.tracks(obj).order_by("-pgh_created_at")[:limit]
