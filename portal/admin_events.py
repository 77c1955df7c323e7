"""The audit trail's events in Django admin (django-pghistory's events admin), with the
personal fields masked in every snapshot and diff, as on the records' history pages. A full
ID number is shown only by a recorded reveal on the record's own admin page.

Registered by pghistory's admin app through settings.PGHISTORY_ADMIN_CLASS.
"""

import json

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from pghistory.admin import EventsAdmin

from portal.audit import masked_event_data


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)


class MaskedEventsAdmin(EventsAdmin):
    fields = [
        "pgh_created_at",
        "pgh_label",
        "pgh_obj_model",
        "pgh_obj_id",
        "data",
        "changes",
        "context",
    ]
    readonly_fields = fields

    def get_list_display(self, request):
        return ["pgh_created_at", "pgh_label", "pgh_obj_model", "pgh_obj_id", "changes"]

    @admin.display(description=_("changes"))
    def changes(self, obj):
        return _json(masked_event_data(obj.pgh_diff))

    @admin.display(description=_("snapshot"))
    def data(self, obj):
        return _json(masked_event_data(obj.pgh_data))

    @admin.display(description=_("context"))
    def context(self, obj):
        return _json(obj.pgh_context)
