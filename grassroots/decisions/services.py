"""Every write of collective decisions (DOMAIN.md §8), and every rule a write keeps.

三重一大 — major_matter_record, major_matter_decide, major_matter_carry_out:
* a use of funds is a "large sum" from the organisation's LargeSumThreshold on; below it the
  matter is ordinary business and is refused as a 三重一大 matter;
* the team's meeting is its committee seats in force on the meeting's date: at least two
  thirds present to decide an appointment or removal, more than half otherwise
  (team_quorum); every present member states an opinion, in speaking order, the principal
  leader (the secretary's seat) last (末位表态);
* it is adopted when the votes for exceed half of the members due (democratic centralism,
  as for the appointment decision of the cadres workflow);
* an appointment-or-removal matter linked to the cadres workflow's Appointment is decided
  by that workflow's own step (cadres.services.appointment_decide) in the same transaction:
  one event, recorded once, seen from both sides.

四议两公开一监督 — village_matter_propose, village_step_record, village_matter_carry_out,
village_step_remark, village_step_attach:
* the steps in their order, each dated no earlier than the one before and never in the
  future;
* step 3 is a held general meeting of the branch from the meeting log: its quorum as frozen
  on its date, against DecisionRules.party_meeting_quorum (grassroots.models.quorum_reached);
* step 4 has its own attendance: a villagers' meeting needs more than half of the adult
  villagers, or at least two thirds of the households; a representatives' meeting at least
  two thirds of the representatives; either decides by more than half of those present;
* the public notices (steps 5 and 6) need a photo or scan of the notice as posted; the result
  is made public once the matter is carried out.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grassroots.decisions.models import (
    DEFAULT_LARGE_SUM,
    NOTICE_STEPS,
    STEP_ORDER,
    TEAMS,
    VILLAGES,
    DecisionRules,
    LargeSumThreshold,
    MajorMatter,
    MatterCategory,
    MatterOpinion,
    MatterStatus,
    Presence,
    ResolutionBody,
    Stance,
    StepAttachment,
    StepKind,
    StepRemark,
    VillageMatter,
    VillageStep,
    step_after,
    team_quorum_reached,
)
from grassroots.models import CommitteeSeat, Meeting, MeetingKind, Post, QuorumRule, quorum_reached
from portal import majorities
from portal.locks import serialize
from portal.models import Organization
from portal.uploads import clean_upload


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _yuan(amount: Decimal) -> str:
    return number_format(amount, decimal_pos=0, use_l10n=True, force_grouping=True)


def _not_future(day: datetime.date, today: datetime.date, field: str) -> None:
    if day > today:
        raise ValidationError(
            {field: _("The date cannot lie in the future; enter the day it happened.")}
        )


# --- 三重一大 -----------------------------------------------------------------------------------


def large_sum_threshold(organization: Organization) -> Decimal:
    """From which amount a use of funds is a large sum for `organization` (the most specific
    LargeSumThreshold row; DEFAULT_LARGE_SUM when no row applies)."""
    row = LargeSumThreshold.objects.for_organization(organization)
    return row.amount if row is not None else DEFAULT_LARGE_SUM


def is_leadership_team(organization: Organization) -> bool:
    return Organization.objects.filter(TEAMS, pk=organization.pk).exists()


@transaction.atomic
def major_matter_record(
    *,
    organization: Organization,
    category: str,
    title: str,
    raised_on: datetime.date,
    description: str = "",
    amount: Decimal | None = None,
    appointment=None,
    carried_out_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> MajorMatter:
    """Record a 三重一大 matter of a leadership team, to be decided at its meeting."""
    today = _today(today)
    if not is_leadership_team(organization):
        raise ValidationError(
            _(
                "三重一大 matters are decided by a leadership team (a Party committee, a "
                "department's, institution's or state enterprise's leadership); a village "
                "decides its matters by 四议两公开."
            )
        )
    _not_future(raised_on, today, "raised_on")
    if category == MatterCategory.LARGE_SUM:
        if amount is None:
            raise ValidationError({"amount": _("Enter the amount of the funds to be used.")})
        threshold = large_sum_threshold(organization)
        if amount < threshold:
            raise ValidationError(
                {
                    "amount": _(
                        "%(amount)s yuan is below the large-sum threshold of %(threshold)s "
                        "yuan for this organisation: it belongs to ordinary business and is "
                        "not a 三重一大 matter."
                    )
                    % {"amount": _yuan(amount), "threshold": _yuan(threshold)}
                }
            )
    if appointment is not None:
        if category != MatterCategory.APPOINTMENT:
            raise ValidationError(
                {"appointment": _("Only an appointment or removal links to the cadres workflow.")}
            )
        serialize("major-matter-appointment", appointment.pk)
        if MajorMatter.objects.filter(appointment=appointment).exists():
            raise ValidationError(
                {
                    "appointment": _(
                        "This appointment is already a 三重一大 matter; open that matter "
                        "instead of recording it twice."
                    )
                }
            )
    if carried_out_on is not None:
        _not_future(carried_out_on, today, "carried_out_on")
    matter = MajorMatter(
        organization=organization,
        category=category,
        title=title.strip(),
        description=description.strip(),
        amount=amount,
        appointment=appointment,
        raised_on=raised_on,
        carried_out_on=carried_out_on,
    )
    matter.full_clean()
    matter.save()
    return matter


def team_seats(organization: Organization, day: datetime.date) -> list[CommitteeSeat]:
    """The leadership team on `day`: the seats of the committee term then in force, the
    principal leader (the secretary) first."""
    seats = (
        CommitteeSeat.objects.filter(
            term__organization=organization, term__starts_on__lte=day, term__ends_on__gte=day
        )
        .select_related("member")
        .order_by("term__starts_on", "pk")
    )
    rows = list(seats)
    return sorted(rows, key=lambda seat: seat.post != Post.SECRETARY)


@transaction.atomic
def major_matter_decide(
    *,
    matter: MajorMatter,
    meeting_on: datetime.date,
    speakers: list[dict],
    result: str,
    document_number: str = "",
    today: datetime.date | None = None,
) -> MajorMatter:
    """The team's meeting decides the matter.

    `speakers` lists every seat of the team on `meeting_on`, the present ones in the order
    they spoke: {"seat": seat_id, "presence": ..., "reason": ..., "stance": ..., "opinion": ...}.
    """
    today = _today(today)
    matter = MajorMatter.objects.select_for_update().get(pk=matter.pk)
    if matter.status != MatterStatus.PENDING:
        raise ValidationError(
            _("This matter was already decided on %(date)s; a decision is recorded once.")
            % {"date": matter.meeting_on.isoformat()}
        )
    _not_future(meeting_on, today, "meeting_on")
    if meeting_on < matter.raised_on:
        raise ValidationError(
            {
                "meeting_on": _(
                    "The meeting cannot come before the matter was raised; check the date."
                )
            }
        )
    if not result.strip():
        raise ValidationError({"result": _("Record what the meeting decided.")})

    seats = {seat.pk: seat for seat in team_seats(matter.organization, meeting_on)}
    if not seats:
        raise ValidationError(
            _(
                "No committee term of this team is in force on %(date)s; record the team's "
                "committee and its seats first."
            )
            % {"date": meeting_on.isoformat()}
        )
    listed = [row.get("seat") for row in speakers]
    if len(listed) != len(set(listed)) or set(listed) != set(seats):
        raise ValidationError(
            _(
                "List every member of the team on %(date)s once, present or absent; "
                "reload the form for that date."
            )
            % {"date": meeting_on.isoformat()}
        )

    rows, present = [], []
    for row in speakers:
        seat = seats[row["seat"]]
        presence = row.get("presence") or Presence.PRESENT
        opinion = MatterOpinion(
            matter=matter,
            seat=seat,
            member=seat.member,
            is_principal=seat.post == Post.SECRETARY,
            presence=presence,
        )
        if presence == Presence.PRESENT:
            if row.get("stance") not in Stance.values:
                raise ValidationError(
                    _(
                        "Record the stance of %(name)s, who was present: every member present states an opinion."
                    )
                    % {"name": seat.member.name}
                )
            present.append(opinion)
            opinion.position = len(present)
            opinion.stance = row["stance"]
            opinion.opinion = (row.get("opinion") or "").strip()
        else:
            opinion.reason = (row.get("reason") or "").strip()
            if not opinion.reason:
                raise ValidationError(
                    _("Give the reason why %(name)s was absent.") % {"name": seat.member.name}
                )
        rows.append(opinion)

    due = len(seats)
    if not team_quorum_reached(matter.category, due=due, present=len(present)):
        if matter.category == MatterCategory.APPOINTMENT:
            message = _(
                "%(present)s of %(due)s members were present; a decision on appointments and "
                "removals needs at least two thirds (%(needed)s). Hold the meeting again with "
                "enough members."
            ) % {"present": len(present), "due": due, "needed": majorities.two_thirds_needed(due)}
        else:
            message = _(
                "%(present)s of %(due)s members were present; a 三重一大 decision needs more "
                "than half (%(needed)s). Hold the meeting again with enough members."
            ) % {"present": len(present), "due": due, "needed": majorities.half_needed(due)}
        raise ValidationError(message)
    principal = next((o for o in present if o.is_principal), None)
    if principal is not None and principal is not present[-1]:
        raise ValidationError(
            _(
                "The principal leader %(name)s spoke in turn %(turn)s of %(count)s; the "
                "principal leader states an opinion last (末位表态). Put the members in the "
                "order they spoke."
            )
            % {"name": principal.member.name, "turn": principal.position, "count": len(present)}
        )

    matter.meeting_on = meeting_on
    matter.members_due = due
    matter.members_present = len(present)
    matter.votes_for = sum(1 for o in present if o.stance == Stance.AGREE)
    matter.votes_against = sum(1 for o in present if o.stance == Stance.DISAGREE)
    matter.votes_abstain = sum(1 for o in present if o.stance == Stance.ABSTAIN)
    matter.result = result.strip()
    matter.document_number = document_number.strip()
    adopted = majorities.more_than_half(matter.votes_for, due)
    matter.status = MatterStatus.ADOPTED if adopted else MatterStatus.REJECTED
    matter.full_clean()
    matter.save()
    MatterOpinion.objects.bulk_create(rows)
    if matter.appointment_id:
        _decide_appointment(matter)
    return matter


def _decide_appointment(matter: MajorMatter) -> None:
    """The linked appointment's "discussion and decision" is this meeting: it moves in the
    cadres workflow with these figures (which refuses while a four-musts check or a complaint
    is open), or, decided there already, must be this very meeting."""
    from cadres.models import Stage
    from cadres.services import appointment_decide

    appointment = matter.appointment
    if appointment.stage == Stage.INSPECTION:
        appointment_decide(
            appointment=appointment,
            meeting_on=matter.meeting_on,
            members_due=matter.members_due,
            members_present=matter.members_present,
            votes_for=matter.votes_for,
            today=matter.meeting_on,
        )
        return
    if appointment.meeting_on is None:
        raise ValidationError(
            _(
                "The appointment is at the stage “%(stage)s” in the cadres workflow; the team "
                "decides it after the inspection, with the four musts done."
            )
            % {"stage": appointment.get_stage_display()}
        )
    recorded = (
        appointment.meeting_on,
        appointment.members_due,
        appointment.members_present,
        appointment.votes_for,
    )
    here = (matter.meeting_on, matter.members_due, matter.members_present, matter.votes_for)
    if recorded != here:
        raise ValidationError(
            _(
                "The cadres workflow recorded this appointment's decision on %(date)s with "
                "%(present)s of %(due)s present and %(votes)s votes for; the team's record is "
                "that same meeting and must agree with it."
            )
            % {
                "date": appointment.meeting_on.isoformat(),
                "present": appointment.members_present,
                "due": appointment.members_due,
                "votes": appointment.votes_for,
            }
        )


@transaction.atomic
def major_matter_carry_out(
    *, matter: MajorMatter, on: datetime.date, today: datetime.date | None = None
) -> MajorMatter:
    """The adopted matter has been carried out."""
    matter = MajorMatter.objects.select_for_update().get(pk=matter.pk)
    if matter.status != MatterStatus.ADOPTED:
        raise ValidationError(
            _("Only an adopted matter is carried out; this one has not been adopted by the team.")
        )
    _not_future(on, _today(today), "carried_out_on")
    if on < matter.meeting_on:
        raise ValidationError(
            {"carried_out_on": _("A matter cannot be carried out before the team decided it.")}
        )
    matter.carried_out_on = on
    matter.full_clean()
    matter.save(update_fields=["carried_out_on", "updated_at"])
    return matter


# --- 四议两公开一监督 ------------------------------------------------------------------------------


def _attach(step: VillageStep, files) -> None:
    for file in files:
        village_step_attach(step=step, file=file)


@transaction.atomic
def village_step_attach(*, step: VillageStep, file: UploadedFile) -> StepAttachment:
    clean = clean_upload(file, allow_pdf=True, field="attachments")
    attachment = StepAttachment(
        step=step, file=clean, content_type=clean.content_type, size=clean.size
    )
    attachment.save()
    return attachment


@transaction.atomic
def village_matter_propose(
    *,
    organization: Organization,
    subject: str,
    topic: str,
    proposed_on: datetime.date,
    summary: str,
    description: str = "",
    amount: Decimal | None = None,
    participants: str = "",
    meeting: Meeting | None = None,
    document_number: str = "",
    attachments=(),
    user=None,
    today: datetime.date | None = None,
) -> VillageMatter:
    """Step 1: the village branch committee proposes a matter (党支部提议)."""
    if not Organization.objects.filter(VILLAGES, pk=organization.pk).exists():
        raise ValidationError(
            _("四议两公开 matters are proposed by a village Party branch; choose a village branch.")
        )
    matter = VillageMatter(
        organization=organization,
        subject=subject,
        topic=topic.strip(),
        description=description.strip(),
        amount=amount,
    )
    matter.full_clean(exclude=["stage"])
    matter.save()
    village_step_record(
        matter=matter,
        step=StepKind.PROPOSAL,
        done_on=proposed_on,
        summary=summary,
        participants=participants,
        meeting=meeting,
        document_number=document_number,
        attachments=attachments,
        user=user,
        today=today,
    )
    matter.refresh_from_db()
    return matter


def _check_order(matter: VillageMatter, step: str, done_on: datetime.date) -> VillageStep | None:
    """The step follows the last one recorded, and not before its date. Returns the previous
    step (None for the proposal)."""
    if matter.adopted is False:
        raise ValidationError(
            _(
                "The villagers' meeting did not adopt this matter; it ends there and nothing "
                "further is recorded."
            )
        )
    expected = step_after(matter.stage)
    if step == matter.stage or (
        matter.stage and STEP_ORDER.index(StepKind(step)) < STEP_ORDER.index(StepKind(matter.stage))
    ):
        raise ValidationError(
            _("The step “%(step)s” is already recorded for this matter.")
            % {"step": StepKind(step).label}
        )
    if expected is None:
        raise ValidationError(_("Every step of this matter is recorded."))
    if step != expected:
        raise ValidationError(
            _(
                "The step “%(step)s” cannot be recorded before “%(expected)s”: the steps of "
                "四议两公开 follow one another in order."
            )
            % {"step": StepKind(step).label, "expected": expected.label}
        )
    if not matter.stage:
        return None
    previous = matter.steps.get(step=matter.stage)
    if done_on < previous.done_on:
        raise ValidationError(
            {
                "done_on": _(
                    "This step cannot be dated before %(date)s, the date of “%(previous)s”."
                )
                % {"date": previous.done_on.isoformat(), "previous": previous.get_step_display()}
            }
        )
    return previous


def _check_party_meeting(matter: VillageMatter, meeting: Meeting | None, done_on) -> None:
    """Step 3: a held general meeting of the matter's branch on the step's date, whose quorum
    (frozen when it was recorded) meets the administrator's rule."""
    if meeting is None:
        raise ValidationError(
            {
                "meeting": _(
                    "Choose the Party members' meeting from the branch's meeting log (log it "
                    "first if it is not there)."
                )
            }
        )
    if (
        meeting.organization_id != matter.organization_id
        or meeting.kind != MeetingKind.GENERAL
        or meeting.status != Meeting.Status.HELD
    ):
        raise ValidationError(
            {"meeting": _("The deliberation is a held general meeting of this village's branch.")}
        )
    if meeting.date != done_on:
        raise ValidationError(
            {
                "done_on": _("The step's date is the meeting's date, %(date)s.")
                % {"date": meeting.date.isoformat()}
            }
        )
    rule = DecisionRules.current().party_meeting_quorum
    if not quorum_reached(
        rule,
        due=meeting.due_count,
        voting=meeting.voting_count,
        present=meeting.present_count,
        present_voting=meeting.present_voting_count,
    ):
        raise ValidationError(
            {
                "meeting": _(
                    "The Party members' meeting of %(date)s had %(present)s of %(due)s members "
                    "present (%(voting_present)s of %(voting)s voting members); the rule is "
                    "“%(rule)s”. It cannot deliberate the matter: hold it again with enough "
                    "members."
                )
                % {
                    "date": meeting.date.isoformat(),
                    "present": meeting.present_count,
                    "due": meeting.due_count,
                    "voting_present": meeting.present_voting_count,
                    "voting": meeting.voting_count,
                    "rule": QuorumRule(rule).label,
                }
            }
        )


def resolution_quorum_reached(body: str, *, eligible: int, present: int) -> bool:
    """Step 4's quorum (村民委员会组织法 arts. 22, 26): more than half of the adult villagers,
    or at least two thirds of the households; two thirds of the representatives."""
    if body == ResolutionBody.VILLAGERS_ADULTS:
        return majorities.more_than_half(present, eligible)
    return majorities.at_least_two_thirds(present, eligible)


RESOLUTION_QUORUM_TEXT = {
    ResolutionBody.VILLAGERS_ADULTS: (
        gettext_lazy("more than half of the villagers aged 18 or over"),
        majorities.half_needed,
    ),
    ResolutionBody.VILLAGERS_HOUSEHOLDS: (
        gettext_lazy("at least two thirds of the households"),
        majorities.two_thirds_needed,
    ),
    ResolutionBody.REPRESENTATIVES: (
        gettext_lazy("at least two thirds of the representatives"),
        majorities.two_thirds_needed,
    ),
}


def _check_resolution(body, eligible, present, votes_for) -> bool:
    """Step 4's figures; returns whether the meeting adopted the matter."""
    if body not in ResolutionBody.values:
        raise ValidationError({"body": _("Choose which meeting decided.")})
    if not eligible or eligible < 1:
        raise ValidationError({"eligible_count": _("Enter how many were due to attend.")})
    if present is None or present > eligible:
        raise ValidationError(
            {"present_count": _("Enter how many attended: at most the number due to attend.")}
        )
    if votes_for is None or votes_for > present:
        raise ValidationError({"votes_for": _("Enter the votes for: at most the number present.")})
    if not resolution_quorum_reached(body, eligible=eligible, present=present):
        text, needed = RESOLUTION_QUORUM_TEXT[ResolutionBody(body)]
        raise ValidationError(
            {
                "present_count": _(
                    "%(present)s of %(eligible)s attended; %(body)s needs %(rule)s (%(needed)s). "
                    "It cannot decide: hold it again with enough people."
                )
                % {
                    "present": present,
                    "eligible": eligible,
                    "body": ResolutionBody(body).label,
                    "rule": text,
                    "needed": needed(eligible),
                }
            }
        )
    return majorities.more_than_half(votes_for, present)


@transaction.atomic
def village_step_record(
    *,
    matter: VillageMatter,
    step: str,
    done_on: datetime.date,
    summary: str = "",
    participants: str = "",
    meeting: Meeting | None = None,
    body: str = "",
    eligible_count: int | None = None,
    present_count: int | None = None,
    votes_for: int | None = None,
    notice_text: str = "",
    notice_place: str = "",
    document_number: str = "",
    attachments=(),
    user=None,
    today: datetime.date | None = None,
) -> VillageStep:
    """Record the next step of a village matter, with the rules of that step."""
    today = _today(today)
    matter = VillageMatter.objects.select_for_update().get(pk=matter.pk)
    if step not in StepKind.values:
        raise ValidationError({"step": _("Choose a step of 四议两公开.")})
    _not_future(done_on, today, "done_on")
    _check_order(matter, step, done_on)
    attachments = list(attachments)
    record = VillageStep(
        matter=matter,
        step=step,
        done_on=done_on,
        summary=summary.strip(),
        participants=participants.strip(),
        document_number=document_number.strip(),
        recorded_by=user,
    )
    adopted = None
    if step == StepKind.PROPOSAL and meeting is not None:
        if (
            meeting.organization_id != matter.organization_id
            or meeting.kind != MeetingKind.COMMITTEE
        ):
            raise ValidationError(
                {
                    "meeting": _(
                        "The proposal is made at a committee meeting of this village's branch."
                    )
                }
            )
        record.meeting = meeting
    elif step == StepKind.DELIBERATION:
        _check_party_meeting(matter, meeting, done_on)
        record.meeting = meeting
    elif step == StepKind.RESOLUTION:
        adopted = _check_resolution(body, eligible_count, present_count, votes_for)
        record.body = body
        record.eligible_count = eligible_count
        record.present_count = present_count
        record.votes_for = votes_for
    if step in NOTICE_STEPS:
        if step == StepKind.RESULT_NOTICE:
            if matter.carried_out_on is None:
                raise ValidationError(
                    _(
                        "The result is made public once the matter is carried out; mark it as "
                        "carried out first."
                    )
                )
            if done_on < matter.carried_out_on:
                raise ValidationError(
                    {
                        "done_on": _(
                            "The result cannot be made public before the matter was carried "
                            "out on %(date)s."
                        )
                        % {"date": matter.carried_out_on.isoformat()}
                    }
                )
        if not notice_text.strip():
            raise ValidationError({"notice_text": _("Enter the text of the notice as posted.")})
        if not attachments:
            raise ValidationError(
                {
                    "attachments": _(
                        "A public notice needs a photo or scan of the notice as posted; attach one."
                    )
                }
            )
        record.notice_text = notice_text.strip()
        record.notice_place = notice_place.strip()
    elif not record.summary:
        raise ValidationError({"summary": _("Record what was discussed or decided.")})
    record.full_clean()
    record.save()
    _attach(record, attachments)

    matter.stage = step
    fields = ["stage", "updated_at"]
    if step == StepKind.RESOLUTION:
        matter.decided_on = done_on
        matter.adopted = adopted
        fields += ["decided_on", "adopted"]
    if step == StepKind.DECISION_NOTICE:
        matter.decision_published_on = done_on
        fields.append("decision_published_on")
    matter.save(update_fields=fields)
    return record


@transaction.atomic
def village_matter_carry_out(
    *, matter: VillageMatter, on: datetime.date, today: datetime.date | None = None
) -> VillageMatter:
    """The adopted matter has been carried out: its result is now to be made public.

    Carrying it out before the decision was made public is recorded as it happened (the
    rollup shows the notice as skipped)."""
    matter = VillageMatter.objects.select_for_update().get(pk=matter.pk)
    if not matter.adopted:
        raise ValidationError(_("Only a matter the villagers' meeting adopted can be carried out."))
    if matter.carried_out_on is not None:
        raise ValidationError(_("The matter is already marked as carried out."))
    _not_future(on, _today(today), "on")
    if on < matter.decided_on:
        raise ValidationError(
            {
                "on": _("A matter cannot be carried out before it was decided on %(date)s.")
                % {"date": matter.decided_on.isoformat()}
            }
        )
    matter.carried_out_on = on
    matter.save(update_fields=["carried_out_on", "updated_at"])
    return matter


@transaction.atomic
def village_step_remark(
    *,
    step: VillageStep,
    remarked_on: datetime.date,
    author: str,
    text: str,
    today: datetime.date | None = None,
) -> StepRemark:
    """The village affairs supervision committee's remark on a step (一监督)."""
    _not_future(remarked_on, _today(today), "remarked_on")
    if remarked_on < step.done_on:
        raise ValidationError(
            {"remarked_on": _("A remark cannot come before the step it is about; check the date.")}
        )
    remark = StepRemark(
        step=step, remarked_on=remarked_on, author=author.strip(), text=text.strip()
    )
    remark.full_clean()
    remark.save()
    return remark
