"""Walk an appointment through the workflow to a given stage (for tests)."""

import datetime

from cadres import services
from cadres.models import FourMust, PostLevel, Stage

D = datetime.date
TODAY = D(2026, 11, 28)
MOTION_ON = D(2026, 8, 3)
CHECKED_ON = D(2026, 8, 20)
NOTICE_START = D(2026, 9, 30)  # Wednesday before National Day


def propose(cadre, unit, *, motion_on=MOTION_ON, with_probation=True):
    return services.appointment_propose(
        cadre=cadre,
        proposed_unit=unit,
        proposed_title="镇长",
        proposed_level=PostLevel.SECTION_CHIEF,
        motion_on=motion_on,
        reason="工作需要，该同志条件成熟。",
        with_probation=with_probation,
        today=TODAY,
    )


def complete_musts(appointment, *, on=CHECKED_ON):
    for check in appointment.four_musts.all():
        services.four_must_complete(
            check=check, checked_by="干部一科 刘明", checked_on=on, note="无问题", today=TODAY
        )


def walk(appointment, to: str, *, notice_start=NOTICE_START):
    """Make the moves up to stage `to` with plausible dates."""
    order = [Stage.RECOMMENDATION, Stage.INSPECTION, Stage.DECIDED, Stage.NOTICE, Stage.PROBATION]
    for stage in order[: order.index(to) + 1]:
        if stage == Stage.RECOMMENDATION:
            appointment = services.appointment_record_recommendation(
                appointment=appointment, recommended_on=D(2026, 8, 10), note="得票率 85%"
            )
        elif stage == Stage.INSPECTION:
            appointment = services.appointment_start_inspection(
                appointment=appointment, started_on=D(2026, 8, 17)
            )
        elif stage == Stage.DECIDED:
            complete_musts(appointment)
            appointment = services.appointment_decide(
                appointment=appointment,
                meeting_on=D(2026, 9, 1),
                members_due=11,
                members_present=10,
                votes_for=9,
                today=TODAY,
            )
        elif stage == Stage.NOTICE:
            appointment = services.appointment_start_notice(
                appointment=appointment, starts_on=notice_start
            )
        elif stage == Stage.PROBATION:
            appointment = services.appointment_appoint(
                appointment=appointment,
                appointed_on=appointment.notice_ends_on + datetime.timedelta(days=1),
                document_number="云委干〔2026〕45号",
                today=TODAY,
            )
    return appointment


__all__ = ["D", "TODAY", "FourMust", "complete_musts", "propose", "walk"]
