"""A record's change history as a person reads it (one renderer for every app).

The audit trail (portal/audit.py) keeps raw snapshots: column names (`handler_id`), codes
(`received`), ISO values. Here each change becomes the field's verbose name, the choice's
label, the related record's name, a local date or time and 是 / 否; bookkeeping (timestamps,
derived counters, search keys) is left out. Related names are read in one query per related
model, whatever the number of events.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.masking import mask

ACTIONS = {
    "insert": gettext_lazy("Created"),
    "update": gettext_lazy("Changed"),
    "delete": gettext_lazy("Deleted"),
}
# Fields no reader needs in a history: bookkeeping every record has. A model adds its own
# derived fields (counters frozen from other rows) as `history_hidden = (...)`.
HIDDEN = {"id", "created_at", "updated_at", "name_initials", "path", "depth"}
MASKED = {"id_number"}
EMPTY = "—"


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def _fields(model) -> dict[str, models.Field]:
    """Concrete fields by the names a snapshot uses (the column's attname: `handler_id`)."""
    hidden = HIDDEN | set(getattr(model, "history_hidden", ()))
    found = {}
    for field in model._meta.concrete_fields:
        if field.name in hidden or field.attname in hidden:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        found[field.attname] = field
    return found


def _display(field: models.Field, value, names: dict) -> str:
    if value is None or value == "":
        return EMPTY
    if field.attname in MASKED or field.name in MASKED:
        return mask(str(value))
    if field.is_relation:
        return names.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is None:
            return str(value)
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "Y-m-d H:i")
    if isinstance(field, models.DateField):
        day = parse_date(str(value)[:10])
        return day.isoformat() if isinstance(day, datetime.date) else str(value)
    if isinstance(field, models.DecimalField | models.FloatField):
        return formats.number_format(value, use_l10n=False)
    return str(value)


def _related_names(wanted: dict) -> dict:
    """{(model, pk): name} for every related record the changes name, one query per model."""
    names = {}
    for model, pks in wanted.items():
        for obj in model._base_manager.filter(pk__in=pks):
            names[(model, obj.pk)] = str(obj)
    return names


def annotate(events: list) -> list:
    """Give each audit event `action` (新建 / 修改 / 删除), `when` (local time) and
    `changes` (a list of Change), reading related names in bulk."""
    per_event = []
    wanted = defaultdict(set)
    for event in events:
        model = apps.get_model(event.pgh_obj_model)
        fields = _fields(model)
        diff = event.pgh_diff if isinstance(event.pgh_diff, dict) else {}
        rows = [
            (fields[name], values[0], values[1])
            for name, values in diff.items()
            if name in fields and isinstance(values, list | tuple) and len(values) == 2
        ]
        for field, old, new in rows:
            if field.is_relation:
                wanted[field.related_model].update(v for v in (old, new) if v is not None)
        per_event.append(rows)
    names = _related_names(wanted)
    for event, rows in zip(events, per_event, strict=True):
        event.action = ACTIONS.get(event.pgh_label, event.pgh_label)
        event.when = timezone.localtime(event.pgh_created_at)
        event.changes = [
            Change(
                label=str(field.verbose_name),
                old=_display(field, old, names),
                new=_display(field, new, names),
            )
            for field, old, new in rows
        ]
    return events
