"""Selection and appointment (干部选拔任用, 2019 regulations): every move of the workflow.

Each service checks its move with Appointment.move_to() and the rules of its step, and
raises ValidationError with a sentence saying what to do. Nothing is half-saved: each runs
in one transaction.

Public notice (任前公示): the notice is published on `notice_starts_on`; that day is not
counted (a notice put up during a day does not give the public a whole day). The period
then runs for the configured number of working days on the PRC calendar
(portal.workdays: holidays and adjusted weekend workdays included) and ends at the close of
`notice_ends_on` = dates.notice_ends(start, days, working_days=True). The appointment may be
made from the next day on (dates.notice_allows).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres import selectors
from cadres.models import (
    Appointment,
    Cadre,
    CadreRules,
    FourMust,
    FourMustCheck,
    NoticeObjection,
    ObjectionOutcome,
    PostRecord,
    Stage,
)
from cadres.services.posts import post_record_add
from grassroots.decisions.models import MatterCategory, team_quorum_reached
from portal import dates, majorities
from portal.locks import serialize
from portal.models import Organization


def _locked(appointment: Appointment) -> Appointment:
    """Re-read the row under a lock so that two clicks cannot make the same move twice."""
    return Appointment.objects.select_for_update().get(pk=appointment.pk)


def _not_before(day: datetime.date, earlier: datetime.date | None, message: str) -> None:
    if earlier is not None and day < earlier:
        raise ValidationError(message)


@transaction.atomic
def appointment_propose(
    *,
    cadre: Cadre,
    proposed_unit: Organization,
    proposed_title: str,
    proposed_level: str,
    motion_on: datetime.date,
    reason: str = "",
    proposed_rank: str = "",
    is_concurrent: bool = False,
    with_probation: bool = True,
    post_to_remove: PostRecord | None = None,
    today: datetime.date | None = None,
) -> Appointment:
    """Analysis and motion (动议): the process starts."""
    today = today or timezone.localdate()
    if motion_on > today:
        raise ValidationError({"motion_on": _("The motion date cannot be in the future.")})
    if post_to_remove is not None and post_to_remove.cadre_id != cadre.pk:
        raise ValidationError({"post_to_remove": _("The post to remove is not this cadre's.")})
    serialize("appointment-in-progress", cadre.pk)
    if Appointment.objects.in_progress().filter(cadre=cadre).exists():
        raise ValidationError(
            _(
                "%(name)s already has an appointment in progress; finish or withdraw it "
                "before starting another."
            )
            % {"name": cadre.name}
        )
    appointment = Appointment(
        cadre=cadre,
        proposed_unit=proposed_unit,
        proposed_title=proposed_title.strip(),
        proposed_level=proposed_level,
        proposed_rank=proposed_rank.strip(),
        is_concurrent=is_concurrent,
        with_probation=with_probation,
        post_to_remove=post_to_remove,
        reason=reason.strip(),
        motion_on=motion_on,
    )
    appointment.full_clean()
    appointment.save()
    return appointment


@transaction.atomic
def appointment_record_recommendation(
    *, appointment: Appointment, recommended_on: datetime.date, note: str
) -> Appointment:
    """Democratic recommendation (民主推荐) held."""
    appointment = _locked(appointment)
    appointment.move_to(Stage.RECOMMENDATION)
    _not_before(
        recommended_on,
        appointment.motion_on,
        _("The recommendation cannot come before the motion; check the date."),
    )
    if not note.strip():
        raise ValidationError({"recommendation_note": _("Record the recommendation's result.")})
    appointment.recommended_on = recommended_on
    appointment.recommendation_note = note.strip()
    appointment.full_clean()
    appointment.save()
    return appointment


@transaction.atomic
def appointment_start_inspection(
    *, appointment: Appointment, started_on: datetime.date
) -> Appointment:
    """Inspection (考察) begins; the four musts are opened, all to be done before the decision."""
    appointment = _locked(appointment)
    appointment.move_to(Stage.INSPECTION)
    _not_before(
        started_on,
        appointment.recommended_on,
        _("The inspection cannot start before the recommendation; check the date."),
    )
    appointment.inspection_started_on = started_on
    appointment.full_clean()
    appointment.save()
    FourMustCheck.objects.bulk_create(
        FourMustCheck(appointment=appointment, item=item) for item in FourMust.values
    )
    return appointment


@transaction.atomic
def four_must_complete(
    *,
    check: FourMustCheck,
    checked_by: str,
    checked_on: datetime.date,
    note: str = "",
    user=None,
    today: datetime.date | None = None,
) -> FourMustCheck:
    """Mark one of the four musts as done: who checked, when, what they found."""
    today = today or timezone.localdate()
    check = (
        FourMustCheck.objects.select_for_update()
        .select_related("appointment__cadre")
        .get(pk=check.pk)
    )
    appointment = check.appointment
    if appointment.stage != Stage.INSPECTION:
        raise ValidationError(_("The four musts are recorded during the inspection only."))
    if not checked_by.strip():
        raise ValidationError({"checked_by": _("Enter who carried out the check.")})
    if checked_on > today:
        raise ValidationError({"checked_on": _("The check date cannot be in the future.")})
    _not_before(
        checked_on,
        appointment.inspection_started_on,
        _("The check cannot come before the inspection started; check the date."),
    )
    if check.item == FourMust.COMPLAINTS_CHECKED:
        open_complaint = selectors.blocking_complaints(appointment.cadre).first()
        if open_complaint is not None:
            raise ValidationError(
                _(
                    "Complaint %(code)s about this cadre is still open; it must be "
                    "investigated and closed in the supervision app before this check is done."
                )
                % {"code": open_complaint.tracking_code}
            )
    check.checked_by = checked_by.strip()
    check.checked_on = checked_on
    check.note = note.strip()
    check.recorded_by = user
    check.full_clean()
    check.save()
    return check


@transaction.atomic
def appointment_decide(
    *,
    appointment: Appointment,
    meeting_on: datetime.date,
    members_due: int,
    members_present: int,
    votes_for: int,
    today: datetime.date | None = None,
) -> Appointment:
    """Discussion and decision (讨论决定) by the committee meeting.

    Refused while any of the four musts is open or a complaint with specific clues about
    the cadre is open. Passes when the votes for exceed half of the members due to attend;
    otherwise the appointment is not approved.
    """
    today = today or timezone.localdate()
    appointment = _locked(appointment)
    if appointment.stage != Stage.INSPECTION:
        appointment.move_to(Stage.DECIDED)  # raises: says which stage it is in
    open_items = [c.get_item_display() for c in appointment.four_musts.open()]
    if open_items:
        raise ValidationError(
            _(
                "The decision cannot be taken while a four-musts check is open: %(items)s. "
                "Record those checks first."
            )
            % {"items": "；".join(str(item) for item in open_items)}
        )
    complaint = selectors.blocking_complaints(appointment.cadre).first()
    if complaint is not None:
        raise ValidationError(
            _(
                "Complaint %(code)s (%(category)s, received %(received)s) about this cadre is "
                "still open; it must be investigated and closed before the decision."
            )
            % {
                "code": complaint.tracking_code,
                "category": complaint.get_category_display(),
                "received": complaint.received_on.isoformat(),
            }
        )
    if meeting_on > today:
        raise ValidationError({"meeting_on": _("The meeting date cannot be in the future.")})
    _not_before(
        meeting_on,
        appointment.inspection_started_on,
        _("The meeting cannot come before the inspection started; check the date."),
    )
    if members_due < 1:
        raise ValidationError({"members_due": _("Enter the number of members due to attend.")})
    if members_present > members_due:
        raise ValidationError(
            {"members_present": _("More members present than due to attend; check the numbers.")}
        )
    if votes_for > members_present:
        raise ValidationError(
            {"votes_for": _("More votes for than members present; check the numbers.")}
        )
    # The meeting may discuss appointments only with two thirds of its members present.
    if not team_quorum_reached(
        MatterCategory.APPOINTMENT, due=members_due, present=members_present
    ):
        raise ValidationError(
            {
                "members_present": _(
                    "Fewer than two thirds of the members were present; the meeting cannot "
                    "decide appointments. Hold it again with enough members."
                )
            }
        )
    appointment.meeting_on = meeting_on
    appointment.members_due = members_due
    appointment.members_present = members_present
    appointment.votes_for = votes_for
    if appointment.decision_passes():
        appointment.move_to(Stage.DECIDED)
    else:
        appointment.move_to(Stage.REJECTED)
        appointment.closed_on = meeting_on
        appointment.close_note = _(
            "Not approved: %(votes)s votes for; more than half (at least %(needed)s of "
            "%(due)s) needed."
        ) % {"votes": votes_for, "needed": majorities.half_needed(members_due), "due": members_due}
    appointment.full_clean()
    appointment.save()
    return appointment


@transaction.atomic
def appointment_start_notice(*, appointment: Appointment, starts_on: datetime.date) -> Appointment:
    """Pre-appointment public notice (任前公示) published; its end is computed once, here."""
    appointment = _locked(appointment)
    appointment.move_to(Stage.NOTICE)
    _not_before(
        starts_on,
        appointment.meeting_on,
        _("The notice cannot be published before the decision; check the date."),
    )
    days = CadreRules.current().notice_working_days
    appointment.notice_starts_on = starts_on
    appointment.notice_ends_on = dates.notice_ends(starts_on, days, working_days=True)
    appointment.full_clean()
    appointment.save()
    return appointment


@transaction.atomic
def objection_record(
    *, appointment: Appointment, received_on: datetime.date, summary: str
) -> NoticeObjection:
    """An objection to the notice: the process pauses until it is resolved."""
    appointment = _locked(appointment)
    if appointment.stage != Stage.NOTICE:
        raise ValidationError(_("Objections are recorded while the public notice runs."))
    _not_before(
        received_on,
        appointment.notice_starts_on,
        _("The objection cannot come before the notice was published; check the date."),
    )
    objection = NoticeObjection(
        appointment=appointment, received_on=received_on, summary=summary.strip()
    )
    objection.full_clean()
    objection.save()
    return objection


@transaction.atomic
def objection_resolve(
    *,
    objection: NoticeObjection,
    resolved_on: datetime.date,
    outcome: str,
    findings: str,
) -> NoticeObjection:
    """Resolve an objection. Substantiated: the appointment is withdrawn."""
    objection = NoticeObjection.objects.select_for_update().get(pk=objection.pk)
    if objection.resolved_on is not None:
        raise ValidationError(_("This objection has already been resolved."))
    if not findings.strip():
        raise ValidationError({"resolution": _("Record what the check of the objection found.")})
    _not_before(
        resolved_on,
        objection.received_on,
        _("An objection cannot be resolved before it was received; check the date."),
    )
    objection.resolved_on = resolved_on
    objection.outcome = outcome
    objection.resolution = findings.strip()
    objection.full_clean()
    objection.save()
    if outcome == ObjectionOutcome.UPHELD:
        appointment_withdraw(
            appointment=objection.appointment,
            closed_on=resolved_on,
            note=_("Withdrawn: an objection to the public notice was substantiated."),
        )
    return objection


@transaction.atomic
def appointment_appoint(
    *,
    appointment: Appointment,
    appointed_on: datetime.date,
    document_number: str,
    today: datetime.date | None = None,
) -> Appointment:
    """Appointment (任职): writes the post history and, for a promotion, starts probation."""
    today = today or timezone.localdate()
    appointment = _locked(appointment)
    if appointment.stage != Stage.NOTICE:
        appointment.move_to(Stage.APPOINTED)  # raises: says which stage it is in
    if not dates.notice_allows(appointment.notice_ends_on, appointed_on):
        raise ValidationError(
            {
                "appointed_on": _(
                    "The public notice runs until %(end)s; the appointment can be made from "
                    "the next day on."
                )
                % {"end": appointment.notice_ends_on.isoformat()}
            }
        )
    if appointment.objections.filter(resolved_on__isnull=True).exists():
        raise ValidationError(
            _("An objection to the public notice is still open; resolve it before the appointment.")
        )
    if appointed_on > today:
        raise ValidationError({"appointed_on": _("The appointment date cannot be in the future.")})
    if not document_number.strip():
        raise ValidationError(
            {"document_number": _("Enter the appointment's document number (文号).")}
        )
    if appointment.post_to_remove_id and appointment.post_to_remove.end_date is None:
        removed = appointment.post_to_remove
        removed.end_date = appointed_on
        removed.full_clean()
        removed.save(update_fields=["end_date", "updated_at"])
    post_record_add(
        cadre=appointment.cadre,
        unit=appointment.proposed_unit,
        post_title=appointment.proposed_title,
        level=appointment.proposed_level,
        rank=appointment.proposed_rank,
        start_date=appointed_on,
        document_number=document_number,
        is_concurrent=appointment.is_concurrent,
        end_previous=not appointment.is_concurrent,
        appointment=appointment,
        today=today,
    )
    appointment.appointed_on = appointed_on
    appointment.document_number = document_number.strip()
    if appointment.with_probation:
        appointment.move_to(Stage.PROBATION)
        months = CadreRules.current().probation_months
        appointment.probation_ends_on = dates.add_months(appointed_on, months)
    else:
        appointment.move_to(Stage.APPOINTED)
    appointment.full_clean()
    appointment.save()
    return appointment


@transaction.atomic
def appointment_confirm(
    *, appointment: Appointment, confirmed_on: datetime.date, note: str = ""
) -> Appointment:
    """Probation passed: the appointment is confirmed (转正)."""
    appointment = _locked(appointment)
    appointment.move_to(Stage.CONFIRMED)
    if confirmed_on < appointment.probation_ends_on:
        raise ValidationError(
            {
                "closed_on": _(
                    "The probation year runs until %(end)s; confirm on or after that day."
                )
                % {"end": appointment.probation_ends_on.isoformat()}
            }
        )
    appointment.closed_on = confirmed_on
    appointment.close_note = note.strip()
    appointment.full_clean()
    appointment.save()
    return appointment


@transaction.atomic
def appointment_return(
    *,
    appointment: Appointment,
    returned_on: datetime.date,
    document_number: str,
    note: str,
    today: datetime.date | None = None,
) -> Appointment:
    """Probation not passed: the cadre returns to the previous post and rank."""
    appointment = _locked(appointment)
    appointment.move_to(Stage.RETURNED)
    if not note.strip():
        raise ValidationError({"close_note": _("Record why the probation was not passed.")})
    new_post = appointment.post_records.filter(end_date__isnull=True).first()
    previous = (
        PostRecord.objects.principal()
        .filter(cadre=appointment.cadre, start_date__lt=appointment.appointed_on)
        .order_by("-start_date")
        .first()
    )
    if previous is None:
        raise ValidationError(
            _("No earlier principal post is on record to return to; record it first.")
        )
    _not_before(
        returned_on,
        dates.first_day_after(appointment.appointed_on),
        _("The return must come after the appointment; check the date."),
    )
    if new_post is not None:
        new_post.end_date = returned_on
        new_post.full_clean()
        new_post.save(update_fields=["end_date", "updated_at"])
    post_record_add(
        cadre=appointment.cadre,
        unit=previous.unit,
        post_title=previous.post_title,
        level=previous.level,
        rank=previous.rank,
        start_date=returned_on,
        document_number=document_number,
        appointment=appointment,
        today=today,
    )
    appointment.closed_on = returned_on
    appointment.close_note = note.strip()
    appointment.full_clean()
    appointment.save()
    return appointment


@transaction.atomic
def appointment_withdraw(
    *, appointment: Appointment, closed_on: datetime.date, note: str
) -> Appointment:
    """Stop the process (the motion is dropped, an objection was substantiated, ...)."""
    appointment = _locked(appointment)
    appointment.move_to(Stage.WITHDRAWN)
    if not note.strip():
        raise ValidationError({"close_note": _("Record why the appointment is withdrawn.")})
    appointment.closed_on = closed_on
    appointment.close_note = note.strip()
    appointment.full_clean()
    appointment.save()
    return appointment
