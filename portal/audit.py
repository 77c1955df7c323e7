"""Audit trail: PostgreSQL triggers (django-pghistory) record every insert, update and
delete of a tracked model, including bulk and queryset updates that bypass save(). The
HistoryMiddleware attaches the acting user and URL as context; services that run outside a
request (tasks, commands) wrap their work in `pghistory.context(...)`.
"""

import pghistory
from pghistory.middleware import HistoryMiddleware as BaseHistoryMiddleware

from portal.clientip import client_ip
from portal.history import annotate as readable
from portal.masking import mask

# Personal fields shown masked everywhere (ID numbers), history included.
MASKED_FIELDS = {"id_number"}


def track(**kwargs):
    """Decorator for domain models: keep a full snapshot on every insert, update and delete."""
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **kwargs
    )


class HistoryMiddleware(BaseHistoryMiddleware):
    """pghistory's context (user, URL) plus the client's address, by the one rule for it."""

    def get_context(self, request):
        return {**super().get_context(request), "ip": client_ip(request)}


def history_for(obj, limit: int = 50) -> list:
    """The record's events, newest first, each with `actor_name` from the context's user.

    Two queries whatever the number of events: the events, then the users they name.
    """
    from pghistory.models import Events

    from portal.models import User

    # Events of one transaction share pgh_created_at; pgh_id breaks the tie in order.
    events = list(Events.objects.tracks(obj).order_by("-pgh_created_at", "-pgh_id")[:limit])
    user_ids = {(e.pgh_context or {}).get("user") for e in events} - {None}
    names = {u.pk: u.display_name for u in User.objects.filter(pk__in=user_ids)}
    for event in events:
        event.actor_name = names.get((event.pgh_context or {}).get("user"), "")
        # Changes made by an import say which one ("import #12 by 李书记").
        event.import_job = (event.pgh_context or {}).get("import_job")
        # Masked fields stay masked in the history too; only a recorded reveal shows them.
        event.pgh_diff = masked_event_data(event.pgh_diff)
    return readable(events)


def masked_event_data(data):
    """An event's snapshot ({"id_number": "…"}) or diff ({"id_number": [old, new]}) with the
    personal fields masked, for every page that shows events (records' history, admin)."""
    if not isinstance(data, dict):
        return data
    masked = dict(data)
    for field in MASKED_FIELDS & masked.keys():
        value = masked[field]
        masked[field] = [mask(v) for v in value] if isinstance(value, list) else mask(value)
    return masked
