"""Read-side functions other apps call (cadres: the four-musts check and the timeline).

They return only the safe fields of a matter — never the reporter's identity, never the
content — and never join ReporterIdentity.
"""

from django.db.models import QuerySet

from supervision.models import OPEN_STATUSES, Complaint

SAFE_FIELDS = ("pk", "tracking_code", "category", "received_on", "status")


def complaints_blocking_appointment(cadre) -> QuerySet[Complaint]:
    """Open matters with specific clues about `cadre`: they block the appointment decision
    (凡提四必: 线索具体的信访举报必查)."""
    return (
        Complaint.objects.filter(
            subject_cadre=cadre, has_specific_clues=True, status__in=OPEN_STATUSES
        )
        .only(*SAFE_FIELDS)
        .order_by("received_on", "pk")
    )


def complaints_about_cadre(cadre) -> QuerySet[Complaint]:
    """Every matter about `cadre`, newest first (the cadre timeline, supervision role only)."""
    return (
        Complaint.objects.filter(subject_cadre=cadre)
        .only(*SAFE_FIELDS)
        .order_by("-received_on", "-pk")
    )
