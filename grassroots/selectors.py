"""Read-side helpers that other apps call (HackSoft-style selectors)."""

from django.db.models import QuerySet

from grassroots.models import Attendance, AttendanceStatus, Meeting


def meetings_attended_by_cadre(cadre) -> QuerySet[Attendance]:
    """Attendance rows of held meetings at which the cadre's Party member was present,
    newest first, with the meeting and its organisation joined (one query)."""
    return (
        Attendance.objects.filter(
            member__cadre=cadre,
            status=AttendanceStatus.PRESENT,
            meeting__status=Meeting.Status.HELD,
        )
        .select_related("meeting", "meeting__organization")
        .order_by("-meeting__date", "-meeting__pk")
    )
