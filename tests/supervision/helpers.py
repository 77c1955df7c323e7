"""Helpers for the supervision tests: dates and taking a matter through its stages."""

import datetime

from supervision import services
from supervision.models import Complaint, Finding


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def handle(complaint, user, *, accepted_on, until="concluded", concluded_on=None, today=None):
    """Take a received matter through acceptance, assignment, investigation, conclusion."""
    today = today or d("2026-06-30")
    complaint = services.complaint_decide(
        complaint=complaint, user=user, accept=True, decided_on=accepted_on, today=today
    )
    if until == "accepted":
        return complaint
    complaint = services.complaint_assign(
        complaint=complaint, user=user, handler=user, assigned_on=accepted_on, today=today
    )
    complaint = services.complaint_start_investigation(
        complaint=complaint, user=user, started_on=accepted_on, today=today
    )
    if until == "investigating":
        return complaint
    return services.complaint_conclude(
        complaint=complaint,
        user=user,
        finding=Finding.PARTLY,
        findings="部分属实。",
        concluded_on=concluded_on or accepted_on,
        today=today,
    )


def deadlines(complaint, today=None) -> Complaint:
    return Complaint.objects.with_deadlines(today or d("2026-06-30")).get(pk=complaint.pk)
