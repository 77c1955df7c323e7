"""What the complaint queue shows, written once for the page and for its exports: the page
renders a page of these rows, the export writes all of them, with the same filters.

Never the reporter's identity: these rows load only the fields named below (`.only`), and
nothing here joins ReporterIdentity (supervision/models.py)."""

from supervision import forms
from supervision.models import Complaint

# What the queue's page shows of a matter.
QUEUE_FIELDS = (
    "tracking_code",
    "summary",
    "status",
    "channel",
    "category",
    "received_on",
    "is_anonymous",
    "has_specific_clues",
    "subject_cadre__name",
    "subject_organization__name",
    "handler__full_name",
    "handler__username",
)
# What the register (信访登记簿) prints beside them: the handling's dates and outcome.
REGISTER_FIELDS = (
    "decided_on",
    "accepted_on",
    "outside_remit",
    "concluded_on",
    "finding",
    "extension_days",
    "replied_on",
    "closed_on",
)


def complaint_rows(user, fields=QUEUE_FIELDS):
    return (
        Complaint.objects.visible_to(user)
        .with_deadlines()
        # Subject and handler in the same query: the page costs the same for 1 or 50 rows.
        .select_related("subject_cadre", "subject_organization", "handler")
        .only(*fields)
        .overdue_first()
    )


def complaints(user, params, fields=QUEUE_FIELDS) -> forms.ComplaintFilter:
    """The queue with the page's filters (filterset.qs). The page binds the filter only when
    the query string has something (`request.GET or None`); so does this."""
    return forms.ComplaintFilter(params or None, queryset=complaint_rows(user, fields), user=user)


def complaint_register_rows(user, params):
    return complaints(user, params, fields=QUEUE_FIELDS + REGISTER_FIELDS).qs
