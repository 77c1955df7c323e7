"""Read-side functions other apps call (cadres: the four-musts check and the timeline).

They return only the safe fields of a matter — never the reporter's identity, never the
content — and never join ReporterIdentity.
"""

from django.contrib.auth.hashers import check_password, make_password
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


# A hash to check a wrong code against, so that an unknown code costs the same time as a
# known one with a wrong secret (no timing oracle for which codes exist).
_DUMMY_HASH: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(make_password("not-a-secret"))
    return _DUMMY_HASH[0]


def complaint_for_requester(code: str, secret: str) -> Complaint | None:
    """The matter whose tracking code and secret both match, with its deadlines, or None.

    `code` and `secret` are already normalised (supervision.forms.TrackForm).
    """
    complaint = (
        Complaint.objects.with_deadlines()
        .only(*SAFE_FIELDS, "secret_hash", *PUBLIC_DATES)
        .filter(tracking_code=code)
        .first()
    )
    if complaint is None:
        check_password(secret, _dummy_hash())
        return None
    return complaint if check_password(secret, complaint.secret_hash) else None


# What the requester sees at /track/: the stage and its dates, nothing else.
PUBLIC_DATES = (
    "received_on",
    "decided_on",
    "accepted_on",
    "extension_days",
    "replied_on",
    "closed_on",
    "review_requested_on",
    "review_answered_on",
    "rereview_requested_on",
    "rereview_answered_on",
    "rating",
)
