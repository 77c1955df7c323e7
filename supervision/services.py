"""Every write of the supervision app (STYLE.md rule 2): `complaint_<verb>(*, ..., today=None)`.

Date limits are read from `Complaint.objects.with_deadlines()` (the one place they are
computed), never re-derived here.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.roles import Access, Area, Capability, can, may
from portal.services import reveal_record
from portal.workdays import add_working_days
from supervision.models import (
    HANDLING_STATUSES,
    Complaint,
    Finding,
    HandlingRules,
    Hearing,
    HearingStage,
    Move,
    ReporterIdentity,
    Status,
)

# Readable characters only: no 0/O, 1/I/L, so a code read out on the phone is not misheard.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _random(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_tracking_code(year: int) -> str:
    return f"XF{year}-{_random(5)}"


def new_secret() -> str:
    return f"{_random(4)}-{_random(4)}"


def normalize_code(value: str) -> str:
    """What the requester typed -> the stored form (case and spaces do not matter)."""
    return "".join(value.split()).upper()


def canonical_secret(value: str) -> str:
    """The secret as hashed: letters and digits only, upper case ("4kd9 m2qx" = "4KD9-M2QX")."""
    return "".join(ch for ch in value.upper() if ch.isalnum())


def _require_office(user) -> None:
    if not can(user, Area.SUPERVISION, Access.EDIT):
        raise ValidationError(_("Only the complaint-handling office can change a matter."))


def _check_date(day: datetime.date, *, not_before: datetime.date | None, today, label) -> None:
    if day > today:
        raise ValidationError(
            _("The %(what)s date cannot be in the future; enter the day it happened.")
            % {"what": label}
        )
    if not_before is not None and day < not_before:
        raise ValidationError(
            _("The %(what)s date cannot be before %(day)s; check the date.")
            % {"what": label, "day": not_before.isoformat()}
        )


def _with_deadlines(complaint: Complaint, today) -> Complaint:
    """The matter, locked for the update, with its deadlines annotated."""
    Complaint.objects.select_for_update().filter(pk=complaint.pk).first()
    return Complaint.objects.with_deadlines(today).get(pk=complaint.pk)


def _save(complaint: Complaint, fields: list[str]) -> Complaint:
    complaint.full_clean()
    complaint.save(update_fields=[*fields, "updated_at"])
    return complaint


# --- Intake ---------------------------------------------------------------------------------


@transaction.atomic
def complaint_record(
    *,
    receiver,
    channel: str,
    category: str,
    summary: str,
    description: str,
    subject_cadre=None,
    subject_organization=None,
    has_specific_clues: bool = False,
    materials: str = "",
    reporter: dict | None = None,
    received_on: datetime.date | None = None,
    same_matter_as: Complaint | None = None,
    handling_organization=None,
    today: datetime.date | None = None,
) -> tuple[Complaint, str]:
    """Record a matter received by `receiver`, its first receiver and owner (首问负责制).

    Returns the matter and its secret in clear, to be printed once on the receipt.
    `reporter` is None for an anonymous report, else {name, unit, address, contact}.
    """
    today = today or timezone.localdate()
    received_on = received_on or today
    _require_office(receiver)
    _check_date(received_on, not_before=None, today=today, label=_("receipt"))
    if subject_cadre is None and subject_organization is None:
        raise ValidationError(_("Name the cadre or the organisation the matter is about."))
    if same_matter_as is not None and same_matter_as.status == Status.REREVIEWED:
        raise ValidationError(
            _(
                "Matter %(code)s on the same facts has been through review and re-review; "
                "under the Regulations it is not accepted again. Tell the requester so and do "
                "not record it."
            )
            % {"code": same_matter_as.tracking_code}
        )
    if reporter is not None and not (reporter.get("name") or "").strip():
        raise ValidationError(_("Enter the reporter's name, or mark the report as anonymous."))
    rules = HandlingRules.current()
    secret = new_secret()
    complaint = Complaint(
        secret_hash=make_password(canonical_secret(secret)),
        handling_organization=handling_organization or receiver.organization,
        first_receiver=receiver,
        channel=channel,
        category=category,
        subject_cadre=subject_cadre,
        subject_organization=subject_organization,
        has_specific_clues=has_specific_clues,
        is_anonymous=reporter is None,
        summary=summary,
        description=description,
        materials=materials,
        same_matter_as=same_matter_as,
        received_on=received_on,
        remit_objection_due=add_working_days(received_on, rules.remit_working_days),
    )
    for _attempt in range(5):
        complaint.tracking_code = new_tracking_code(received_on.year)
        if not Complaint.objects.filter(tracking_code=complaint.tracking_code).exists():
            break
    complaint.full_clean()
    try:
        with transaction.atomic():
            complaint.save()
    except IntegrityError as exc:  # a concurrent intake drew the same code
        raise ValidationError(_("Please submit the form again.")) from exc
    if reporter is not None:
        identity = ReporterIdentity(
            complaint=complaint,
            name=reporter["name"].strip(),
            unit=reporter.get("unit", ""),
            address=reporter.get("address", ""),
            contact=reporter.get("contact", ""),
        )
        identity.full_clean()
        identity.save()
    return complaint, secret


@transaction.atomic
def complaint_reissue_secret(*, complaint: Complaint, user) -> str:
    """A new secret for a new receipt; the old one stops working."""
    _require_office(user)
    secret = new_secret()
    complaint.secret_hash = make_password(canonical_secret(secret))
    complaint.save(update_fields=["secret_hash", "updated_at"])
    return secret


# --- Acceptance -----------------------------------------------------------------------------


@transaction.atomic
def complaint_decide(
    *,
    complaint: Complaint,
    user,
    accept: bool,
    reason: str = "",
    outside_remit: bool = False,
    decided_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Complaint:
    """Accept or refuse the matter. A decision after its limit is allowed and marked late
    (the `decision_late` annotation)."""
    today = today or timezone.localdate()
    decided_on = decided_on or today
    _require_office(user)
    complaint = _with_deadlines(complaint, today)
    complaint.move(Move.ACCEPT if accept else Move.REFUSE)
    _check_date(decided_on, not_before=complaint.received_on, today=today, label=_("decision"))
    if not accept and not reason.strip():
        raise ValidationError(
            _("Give the reason for not accepting the matter; it is told to the requester.")
        )
    if accept and outside_remit:
        raise ValidationError(
            _("A matter outside the office's remit cannot be accepted; refuse it and transfer it.")
        )
    complaint.decided_on = decided_on
    complaint.accepted_on = decided_on if accept else None
    complaint.decision_reason = reason
    complaint.outside_remit = outside_remit
    return _save(
        complaint, ["status", "decided_on", "accepted_on", "decision_reason", "outside_remit"]
    )


# --- Handling -------------------------------------------------------------------------------


@transaction.atomic
def complaint_assign(
    *,
    complaint: Complaint,
    user,
    handler,
    assigned_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Complaint:
    today = today or timezone.localdate()
    assigned_on = assigned_on or today
    _require_office(user)
    complaint = _with_deadlines(complaint, today)
    complaint.move(Move.ASSIGN)
    if not can(handler, Area.SUPERVISION, Access.EDIT):
        raise ValidationError(_("Assign the matter to a member of the complaint-handling office."))
    _check_date(assigned_on, not_before=complaint.accepted_on, today=today, label=_("assignment"))
    complaint.handler = handler
    complaint.assigned_on = assigned_on
    return _save(complaint, ["status", "handler", "assigned_on"])


@transaction.atomic
def complaint_start_investigation(
    *,
    complaint: Complaint,
    user,
    started_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Complaint:
    today = today or timezone.localdate()
    started_on = started_on or today
    _require_office(user)
    complaint = _with_deadlines(complaint, today)
    complaint.move(Move.INVESTIGATE)
    _check_date(started_on, not_before=complaint.assigned_on, today=today, label=_("investigation"))
    complaint.investigation_started_on = started_on
    return _save(complaint, ["status", "investigation_started_on"])


@transaction.atomic
def complaint_conclude(
    *,
    complaint: Complaint,
    user,
    finding: str,
    findings: str,
    concluded_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Complaint:
    today = today or timezone.localdate()
    concluded_on = concluded_on or today
    _require_office(user)
    complaint = _with_deadlines(complaint, today)
    complaint.move(Move.CONCLUDE)
    if finding not in Finding.values:
        raise ValidationError(_("Choose whether the matter was substantiated, partly or not."))
    if not findings.strip():
        raise ValidationError(_("Write down the findings of the investigation."))
    _check_date(
        concluded_on,
        not_before=complaint.investigation_started_on,
        today=today,
        label=_("conclusion"),
    )
    if complaint.hearings.filter(ended_on__isnull=True).exists():
        raise ValidationError(_("End the hearing before concluding the matter."))
    complaint.finding = finding
    complaint.findings = findings
    complaint.concluded_on = concluded_on
    return _save(complaint, ["status", "finding", "findings", "concluded_on"])


@transaction.atomic
def complaint_extend(
    *,
    complaint: Complaint,
    user,
    days: int,
    reason: str,
    approved_by,
    extended_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Complaint:
    """The one extension of the reply limit, approved by the head of the office."""
    today = today or timezone.localdate()
    extended_on = extended_on or today
    _require_office(user)
    complaint = _with_deadlines(complaint, today)
    rules = HandlingRules.current()
    if complaint.status not in HANDLING_STATUSES:
        raise ValidationError(
            _("Only a matter being handled, before the reply, can be extended; it is “%(status)s”.")
            % {"status": complaint.get_status_display()}
        )
    if complaint.extension_days is not None:
        raise ValidationError(
            _(
                "The handling limit has already been extended once; the Regulations allow only one extension."
            )
        )
    if not 1 <= days <= rules.max_extension_days:
        raise ValidationError(
            _("An extension is between 1 and %(max)d days; enter a shorter extension.")
            % {"max": rules.max_extension_days}
        )
    if not reason.strip():
        raise ValidationError(_("Give the reason for the extension; it is told to the requester."))
    if approved_by is None or not can(approved_by, Area.SUPERVISION, Access.EDIT):
        raise ValidationError(_("Name the head of the office who approved the extension."))
    _check_date(extended_on, not_before=complaint.accepted_on, today=today, label=_("extension"))
    if extended_on > complaint.reply_due:
        raise ValidationError(
            _("The extension must be approved by the reply deadline (%(due)s); it has passed.")
            % {"due": complaint.reply_due.isoformat()}
        )
    complaint.extension_days = days
    complaint.extension_reason = reason
    complaint.extension_approved_by = approved_by
    complaint.extended_on = extended_on
    return _save(
        complaint, ["extension_days", "extension_reason", "extension_approved_by", "extended_on"]
    )


HEARING_STAGE_FOR = {
    Status.INVESTIGATING: HearingStage.HANDLING,
    Status.REVIEW: HearingStage.REVIEW,
    Status.REREVIEW: HearingStage.REREVIEW,
}


@transaction.atomic
def hearing_start(
    *,
    complaint: Complaint,
    user,
    started_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Hearing:
    """A hearing pauses the stage's limit until it ends."""
    today = today or timezone.localdate()
    started_on = started_on or today
    _require_office(user)
    complaint = _with_deadlines(complaint, today)
    stage = HEARING_STAGE_FOR.get(complaint.status)
    if stage is None:
        raise ValidationError(
            _(
                "A hearing can be held during the investigation, the review or the re-review; the matter is “%(status)s”."
            )
            % {"status": complaint.get_status_display()}
        )
    if complaint.hearings.filter(ended_on__isnull=True).exists():
        raise ValidationError(_("A hearing is already under way; end it first."))
    # Its days are added to this stage's limit, so it cannot begin before the stage did.
    stage_began = {
        HearingStage.HANDLING: complaint.investigation_started_on,
        HearingStage.REVIEW: complaint.review_requested_on,
        HearingStage.REREVIEW: complaint.rereview_requested_on,
    }[stage]
    _check_date(started_on, not_before=stage_began, today=today, label=_("hearing"))
    hearing = Hearing(complaint=complaint, stage=stage, started_on=started_on)
    hearing.full_clean()
    hearing.save()
    return hearing


@transaction.atomic
def hearing_end(
    *,
    complaint: Complaint,
    user,
    ended_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Hearing:
    today = today or timezone.localdate()
    ended_on = ended_on or today
    _require_office(user)
    hearing = complaint.hearings.select_for_update().filter(ended_on__isnull=True).first()
    if hearing is None:
        raise ValidationError(_("No hearing is under way for this matter."))
    _check_date(ended_on, not_before=hearing.started_on, today=today, label=_("hearing end"))
    hearing.ended_on = ended_on
    hearing.full_clean()
    hearing.save(update_fields=["ended_on", "updated_at"])
    return hearing


# --- Reply and closing ----------------------------------------------------------------------


@transaction.atomic
def complaint_reply(
    *,
    complaint: Complaint,
    user,
    reply: str,
    replied_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Complaint:
    """Reply to the requester. After the limit it is allowed and marked late (`reply_late`)."""
    today = today or timezone.localdate()
    replied_on = replied_on or today
    _require_office(user)
    complaint = _with_deadlines(complaint, today)
    complaint.move(Move.REPLY)
    if not reply.strip():
        raise ValidationError(_("Write the reply given to the requester."))
    _check_date(replied_on, not_before=complaint.concluded_on, today=today, label=_("reply"))
    complaint.reply = reply
    complaint.replied_on = replied_on
    return _save(complaint, ["status", "reply", "replied_on"])


@transaction.atomic
def complaint_close(
    *,
    complaint: Complaint,
    user,
    closed_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Complaint:
    today = today or timezone.localdate()
    closed_on = closed_on or today
    _require_office(user)
    complaint = _with_deadlines(complaint, today)
    complaint.move(Move.CLOSE)
    _check_date(closed_on, not_before=complaint.replied_on, today=today, label=_("closing"))
    complaint.closed_on = closed_on
    return _save(complaint, ["status", "closed_on"])


# --- Review (复查) and re-review (复核) -------------------------------------------------------


def _check_window(requested_on, *, opened_on, window_ends, days, what) -> None:
    if requested_on > window_ends:
        # The window is with_deadlines()'s (the rules table's length, its last day moved off a
        # weekend or holiday): say it, never recompute it.
        raise ValidationError(
            _(
                "The %(what)s had to be requested by %(day)s (%(days)d days after %(opened)s); "
                "the request came too late and cannot be recorded."
            )
            % {
                "what": what,
                "day": window_ends.isoformat(),
                "days": days,
                "opened": opened_on.isoformat(),
            }
        )


@dataclass(frozen=True)
class _Appeal:
    """A review (复查) or a re-review (复核): the same two steps on different fields."""

    request_move: str
    answer_move: str
    opened_on: str  # the date the request window opens (the answer it appeals against)
    window_ends: str  # with_deadlines()'s last day to request
    window_days: str  # the HandlingRules field of the window's length
    requested_on: str
    answer: str
    answered_on: str
    what: object  # lazy translatable: "review" / "re-review"
    request_label: object
    answer_label: object
    empty_answer: object


REVIEW = _Appeal(
    request_move=Move.REQUEST_REVIEW,
    answer_move=Move.ANSWER_REVIEW,
    opened_on="replied_on",
    window_ends="review_window_ends",
    window_days="review_request_days",
    requested_on="review_requested_on",
    answer="review_answer",
    answered_on="review_answered_on",
    what=gettext_lazy("review"),
    request_label=gettext_lazy("review request"),
    answer_label=gettext_lazy("review answer"),
    empty_answer=gettext_lazy("Write the review's answer given to the requester."),
)
REREVIEW = _Appeal(
    request_move=Move.REQUEST_REREVIEW,
    answer_move=Move.ANSWER_REREVIEW,
    opened_on="review_answered_on",
    window_ends="rereview_window_ends",
    window_days="rereview_request_days",
    requested_on="rereview_requested_on",
    answer="rereview_answer",
    answered_on="rereview_answered_on",
    what=gettext_lazy("re-review"),
    request_label=gettext_lazy("re-review request"),
    answer_label=gettext_lazy("re-review answer"),
    empty_answer=gettext_lazy("Write the re-review's answer given to the requester."),
)


def _request_appeal(appeal: _Appeal, *, complaint, user, requested_on, today) -> Complaint:
    today = today or timezone.localdate()
    requested_on = requested_on or today
    _require_office(user)
    complaint = _with_deadlines(complaint, today)
    complaint.move(appeal.request_move)
    opened_on = getattr(complaint, appeal.opened_on)
    _check_date(requested_on, not_before=opened_on, today=today, label=appeal.request_label)
    _check_window(
        requested_on,
        opened_on=opened_on,
        window_ends=getattr(complaint, appeal.window_ends),
        days=getattr(HandlingRules.current(), appeal.window_days),
        what=appeal.what,
    )
    setattr(complaint, appeal.requested_on, requested_on)
    return _save(complaint, ["status", appeal.requested_on])


def _answer_appeal(appeal: _Appeal, *, complaint, user, answer, answered_on, today) -> Complaint:
    today = today or timezone.localdate()
    answered_on = answered_on or today
    _require_office(user)
    complaint = _with_deadlines(complaint, today)
    complaint.move(appeal.answer_move)
    if not answer.strip():
        raise ValidationError(appeal.empty_answer)
    _check_date(
        answered_on,
        not_before=getattr(complaint, appeal.requested_on),
        today=today,
        label=appeal.answer_label,
    )
    if complaint.hearings.filter(ended_on__isnull=True).exists():
        raise ValidationError(_("End the hearing before answering."))
    setattr(complaint, appeal.answer, answer)
    setattr(complaint, appeal.answered_on, answered_on)
    return _save(complaint, ["status", appeal.answer, appeal.answered_on])


@transaction.atomic
def complaint_request_review(
    *,
    complaint: Complaint,
    user,
    requested_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Complaint:
    return _request_appeal(
        REVIEW, complaint=complaint, user=user, requested_on=requested_on, today=today
    )


@transaction.atomic
def complaint_answer_review(
    *,
    complaint: Complaint,
    user,
    answer: str,
    answered_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Complaint:
    return _answer_appeal(
        REVIEW, complaint=complaint, user=user, answer=answer, answered_on=answered_on, today=today
    )


@transaction.atomic
def complaint_request_rereview(
    *,
    complaint: Complaint,
    user,
    requested_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Complaint:
    return _request_appeal(
        REREVIEW, complaint=complaint, user=user, requested_on=requested_on, today=today
    )


@transaction.atomic
def complaint_answer_rereview(
    *,
    complaint: Complaint,
    user,
    answer: str,
    answered_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Complaint:
    return _answer_appeal(
        REREVIEW,
        complaint=complaint,
        user=user,
        answer=answer,
        answered_on=answered_on,
        today=today,
    )


# --- The requester (public /track/) ----------------------------------------------------------

RATEABLE_STATUSES = (Status.REPLIED, Status.CLOSED, Status.REVIEWED, Status.REREVIEWED)


@transaction.atomic
def complaint_rate(*, complaint: Complaint, rating: int) -> Complaint:
    """The requester rates the handling once the matter has been replied to."""
    if complaint.status not in RATEABLE_STATUSES:
        raise ValidationError(_("The handling can be rated once you have received the reply."))
    if not 1 <= rating <= 5:
        raise ValidationError(_("Choose a rating from 1 to 5."))
    complaint.rating = rating
    return _save(complaint, ["rating"])


# --- The reporter's identity ----------------------------------------------------------------


def reporter_reveal(*, user, complaint: Complaint, ip_address: str | None = None) -> dict | None:
    """The reporter's identity in full, for the supervision role only; every call is logged."""
    if not may(user, Capability.REVEAL_REPORTER):
        raise ValidationError(_("Only the complaint-handling office can see who reported."))
    identity = ReporterIdentity.objects.filter(complaint=complaint).first()
    if identity is None:
        return None
    with transaction.atomic():
        return reveal_record(user=user, obj=identity, field="identity", ip_address=ip_address)
