"""Every write of the grassroots app (STYLE.md rule 2): members, committees, meetings."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.models import (
    ActivistAssessment,
    Attendance,
    AttendanceStatus,
    CommitteeSeat,
    CommitteeTerm,
    GrassrootsRules,
    Meeting,
    MeetingAttachment,
    MeetingRequirement,
    Membership,
    Motion,
    PartyMember,
    Post,
    QuorumRule,
    Stage,
    quorum_reached,
)
from portal import dates
from portal import services as portal_services
from portal.idnumbers import check_agrees
from portal.locks import serialize
from portal.models import Organization
from portal.pinyin import initials
from portal.uploads import clean_upload

# The pipeline's legal moves, in order (DOMAIN.md §2), and the date field each move sets.
NEXT_STAGE = {
    Stage.APPLICANT: Stage.ACTIVIST,
    Stage.ACTIVIST: Stage.TARGET,
    Stage.TARGET: Stage.PROBATIONARY,
    Stage.PROBATIONARY: Stage.FULL,
}
STAGE_DATE_FIELD = {
    Stage.ACTIVIST: "activist_on",
    Stage.TARGET: "target_on",
    Stage.PROBATIONARY: "joined_on",
    Stage.FULL: "full_on",
}


# "At least one year" of training is the Party's rule (发展党员工作细则 art. 12), not a county's
# choice, so it is not in GrassrootsRules.
ACTIVIST_TRAINING_MONTHS = 12


def member_probation_ends(member: PartyMember) -> datetime.date:
    """The last day of a probationary member's probation (GrassrootsRules.probation_months
    after joining); its SQL twin is grassroots.deadlines.probation_end_rows' due_date."""
    return dates.add_months(member.joined_on, GrassrootsRules.current().probation_months)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def committee_term_years(organization: Organization) -> int:
    """Village and community committees serve 5 years, the others 3 (DOMAIN.md §1)."""
    village_like = (Organization.Category.VILLAGE, Organization.Category.COMMUNITY)
    return 5 if organization.category in village_like else 3


# --- Members -------------------------------------------------------------------------------


@transaction.atomic
def member_create(
    *,
    name: str,
    gender: str,
    birth_date: datetime.date,
    id_number: str,
    branch: Organization,
    stage: str = Stage.APPLICANT,
    since: datetime.date | None = None,
    today: datetime.date | None = None,
    **fields,
) -> PartyMember:
    """Register a person with a branch: a member, or someone entering the pipeline.

    `since` is the day they started belonging to the branch (defaults to the day they
    joined the Party, or applied, or today); it opens their first Membership row."""
    today = _today(today)
    if not branch.is_branch:
        raise ValidationError(_("Members belong to a Party branch; choose a branch."))
    check_agrees(id_number, birth_date=birth_date, gender=gender)
    member = PartyMember(
        name=name,
        name_initials=initials(name),
        gender=gender,
        birth_date=birth_date,
        id_number=id_number,
        branch=branch,
        stage=stage,
        **fields,
    )
    member.full_clean()
    _check_dates(member, today=today)
    member.save()
    start = since or member.joined_on or member.applied_on or today
    Membership.objects.create(member=member, organization=branch, starts_on=start)
    return member


# What member_update may change: personal details, never the branch or the stage (their own
# services keep the membership rows and the pipeline's order).
MEMBER_UPDATE_FIELDS = [
    "name_initials",  # derived from the name, here
    *(
        field.name
        for field in PartyMember._meta.concrete_fields
        if field.editable
        and field.name not in ("id", "branch", "stage", "is_deceased", "is_transferred_out")
    ),
]


def _check_dates(member: PartyMember, *, today: datetime.date) -> None:
    dated = [member.applied_on, member.activist_on, member.target_on, member.joined_on]
    dated = [d for d in dated + [member.full_on] if d]
    if any(d > today for d in dated):
        raise ValidationError(_("Pipeline dates cannot lie in the future."))
    if dated != sorted(dated):
        raise ValidationError(
            _("Pipeline dates must follow the order: applied, activist, target, joined, full.")
        )
    if member.party_group_id and member.party_group.parent_id != member.branch_id:
        raise ValidationError(
            {"party_group": _("The Party group must be one of the member's own branch.")}
        )


@transaction.atomic
def member_update(
    *, member: PartyMember, today: datetime.date | None = None, **fields
) -> PartyMember:
    """Change personal details (not the branch: use member_transfer; not the stage: use
    member_advance)."""
    for name in ("branch", "branch_id", "stage"):
        if name in fields:
            raise ValidationError(_("Use the transfer or the stage action to change this."))

    data = {**fields, "name_initials": initials(fields.get("name", member.name))}
    return portal_services.model_update(
        instance=member,
        data=data,
        fields=MEMBER_UPDATE_FIELDS,
        check=lambda member: member_check(member, today=today),
    )


def member_check(member: PartyMember, *, today: datetime.date | None = None) -> None:
    """The rules a member's details keep (member_update; the admin's form shows them)."""
    check_agrees(member.id_number, birth_date=member.birth_date, gender=member.gender)
    member.full_clean()
    _check_dates(member, today=_today(today))


@transaction.atomic
def member_advance(
    *, member: PartyMember, on: datetime.date, today: datetime.date | None = None
) -> PartyMember:
    """Move a person one step along the pipeline, dated `on`."""
    today = _today(today)
    target = NEXT_STAGE.get(member.stage)
    if target is None:
        raise ValidationError(_("A full member has no further stage."))
    if on > today:
        raise ValidationError(_("The date of the step cannot lie in the future."))
    if (
        target == Stage.TARGET
        and member.activist_on
        and on < dates.add_months(member.activist_on, ACTIVIST_TRAINING_MONTHS)
    ):
        raise ValidationError(
            _(
                "An activist needs at least one year of training before becoming a development target."
            )
        )
    if target == Stage.TARGET:
        _check_contacts(list(member.contacts.all()), member=member, on=on)
    if target == Stage.PROBATIONARY and not _trained(member):
        raise ValidationError(
            _(
                "A development target needs at least 3 days or 24 class hours of training "
                "before admission; %(days)s days and %(hours)s class hours are recorded. "
                "Record the training on the member's details first."
            )
            % {"days": member.training_days, "hours": member.training_hours}
        )
    if target == Stage.FULL and on < (probation_ends := member_probation_ends(member)):
        raise ValidationError(
            _("The probation year ends on %(date)s; a member can be made full only after it.")
            % {"date": probation_ends.isoformat()}
        )
    member.stage = target
    setattr(member, STAGE_DATE_FIELD[target], on)
    member.full_clean()
    _check_dates(member, today=today)
    member.save(update_fields=["stage", STAGE_DATE_FIELD[target], "updated_at"])
    return member


# A development target's training before admission (DOMAIN.md §2): 3 days or 24 class hours.
TRAINING_DAYS = 3
TRAINING_HOURS = 24
# An activist's contacts (培养联系人): one or two full members.
CONTACTS = (1, 2)


def _trained(member: PartyMember) -> bool:
    return member.training_days >= TRAINING_DAYS or member.training_hours >= TRAINING_HOURS


def _check_contacts(contacts: list[PartyMember], *, member: PartyMember, on: datetime.date):
    """One or two full members of the person's own branch, on its books, as contacts."""
    low, high = CONTACTS
    if not low <= len(contacts) <= high:
        raise ValidationError(
            {
                "contacts": _(
                    "An activist has one or two full members as contacts; %(n)s are named."
                )
                % {"n": len(contacts)}
            }
        )
    for contact in contacts:
        if contact.pk == member.pk:
            raise ValidationError({"contacts": _("A person cannot be their own contact.")})
        if not (contact.full_on and contact.full_on <= on and contact.is_on_the_books):
            raise ValidationError(
                {
                    "contacts": _(
                        "%(name)s is not a full member on the books; contacts are full members."
                    )
                    % {"name": contact.name}
                }
            )
        if contact.branch_id != member.branch_id:
            raise ValidationError(
                {
                    "contacts": _(
                        "%(name)s belongs to another branch; contacts come from the "
                        "person's own branch."
                    )
                    % {"name": contact.name}
                }
            )


@transaction.atomic
def member_set_contacts(
    *, member: PartyMember, contacts: list[PartyMember], today: datetime.date | None = None
) -> PartyMember:
    """Name an applicant's or activist's one or two contacts (培养联系人, DOMAIN.md §2)."""
    if member.stage not in (Stage.APPLICANT, Stage.ACTIVIST, Stage.TARGET):
        raise ValidationError(
            {"contacts": _("Contacts are named for people in the pipeline, not for members.")}
        )
    member_contacts_check(member=member, contacts=contacts, today=today)
    member.contacts.set(contacts)
    return member


def member_contacts_check(
    *, member: PartyMember, contacts, today: datetime.date | None = None
) -> None:
    """The contact rules, for a form that shows them before saving (the admin's)."""
    _check_contacts(list(contacts), member=member, on=_today(today))


@transaction.atomic
def member_assess_activist(
    *,
    member: PartyMember,
    assessed_on: datetime.date,
    notes: str,
    today: datetime.date | None = None,
) -> ActivistAssessment:
    """Record the half-yearly assessment of an activist (入党积极分子考察) with its result;
    the next assessment falls due half a year after the latest one."""
    if member.stage != Stage.ACTIVIST:
        raise ValidationError(
            _("Only activists are assessed every half year; this person is not an activist.")
        )
    if not member.is_on_the_books:
        raise ValidationError(
            _("This person is no longer on a branch's roster and cannot be assessed.")
        )
    if assessed_on > _today(today):
        raise ValidationError(
            {
                "assessed_on": _(
                    "The assessment date cannot lie in the future; enter the day it was held."
                )
            }
        )
    if member.activist_on and assessed_on < member.activist_on:
        raise ValidationError(
            {
                "assessed_on": _(
                    "The assessment cannot be dated before %(date)s, when the person became an activist."
                )
                % {"date": member.activist_on.isoformat()}
            }
        )
    serialize("activist-assessment", member.pk, assessed_on)
    if ActivistAssessment.objects.filter(member=member, assessed_on=assessed_on).exists():
        raise ValidationError(
            {
                "assessed_on": _(
                    "An assessment is already recorded on this day; choose another date."
                )
            }
        )
    assessment = ActivistAssessment(member=member, assessed_on=assessed_on, notes=notes.strip())
    assessment.full_clean()
    assessment.save()
    if member.last_assessed_on is None or assessed_on > member.last_assessed_on:
        member.last_assessed_on = assessed_on
        member.full_clean()
        member.save(update_fields=["last_assessed_on", "updated_at"])
    return assessment


@transaction.atomic
def member_transfer(
    *,
    member: PartyMember,
    to_branch: Organization,
    on: datetime.date,
    note: str = "",
    today: datetime.date | None = None,
) -> PartyMember:
    """Move a member to another branch from `on`: close the open membership the day before
    and open a new one, so rosters of earlier days stay as they were."""
    if not to_branch.is_branch:
        raise ValidationError(_("Members can only be transferred to a Party branch."))
    if to_branch.pk == member.branch_id:
        raise ValidationError(_("The member already belongs to this branch."))
    if on > _today(today):
        raise ValidationError(_("A transfer cannot be dated in the future."))
    current = Membership.objects.select_for_update().get(member=member, ends_on__isnull=True)
    if on <= current.starts_on:
        raise ValidationError(
            _("The transfer must be dated after %(date)s, when the current membership began.")
            % {"date": current.starts_on.isoformat()}
        )
    current.ends_on = on - datetime.timedelta(days=1)
    current.save(update_fields=["ends_on", "updated_at"])
    Membership.objects.create(member=member, organization=to_branch, starts_on=on, note=note)
    member.branch = to_branch
    member.party_group = None
    member.save(update_fields=["branch", "party_group", "updated_at"])
    return member


@transaction.atomic
def member_remove(
    *,
    member: PartyMember,
    reason: str,
    on: datetime.date,
    destination: str = "",
    today: datetime.date | None = None,
) -> PartyMember:
    """A member leaves the county's rosters from `on`: died ("deceased") or moved to an
    organisation outside the county ("transferred_out", to `destination`, kept as the note of
    the closed membership). The open membership closes the day before, so earlier rosters
    (and past meetings' quorums) stay as they were."""
    flags = {"deceased": "is_deceased", "transferred_out": "is_transferred_out"}
    if reason not in flags:
        raise ValidationError(_("Say whether the member died or was transferred out."))
    destination = destination.strip()
    if reason == "transferred_out" and not destination:
        raise ValidationError(
            {"destination": _("Name the organisation outside the county the member moves to.")}
        )
    if on > _today(today):
        raise ValidationError(_("The date cannot lie in the future."))
    current = Membership.objects.select_for_update().filter(member=member, ends_on__isnull=True)
    current = current.first()
    if current is None:
        raise ValidationError(_("The member is no longer on any branch's roster."))
    if on <= current.starts_on:
        raise ValidationError(
            _("The date must be after %(date)s, when the current membership began.")
            % {"date": current.starts_on.isoformat()}
        )
    current.ends_on = on - datetime.timedelta(days=1)
    if reason == "transferred_out":
        current.note = destination
    current.full_clean()
    current.save(update_fields=["ends_on", "note", "updated_at"])
    setattr(member, flags[reason], True)
    member.save(update_fields=[flags[reason], "updated_at"])
    return member


# --- Committees and groups ---------------------------------------------------------------------


@transaction.atomic
def party_group_create(*, branch: Organization, name: str) -> Organization:
    if not branch.is_branch:
        raise ValidationError(_("Party groups are formed inside a Party branch."))
    return portal_services.organization_create(
        name=name, kind=Organization.Kind.PARTY_GROUP, category=branch.category, parent=branch
    )


# A branch with at least this many full members elects a committee (DOMAIN.md §1).
COMMITTEE_MIN_FULL_MEMBERS = 7
COMMITTEE_SEATS = (3, 7)  # 3 to 5 as a rule, never more than 7


def _check_seats(organization: Organization, starts_on: datetime.date, posts: list[str]) -> None:
    """The committee-size rule of DOMAIN.md §1 on a term's seats, against the number of full
    members on the branch's roster on the day the term starts (the election)."""
    if sum(1 for post in posts if post == Post.SECRETARY) != 1:
        raise ValidationError(_("A committee needs exactly one secretary."))
    if not organization.is_branch:
        # A Party committee's size is set by its congress, not by a branch roster.
        if len(posts) > COMMITTEE_SEATS[1]:
            raise ValidationError(_("A committee has at most 7 members."))
        return
    full = (
        PartyMember.objects.on_roster(organization, starts_on)
        .filter(full_on__lte=starts_on)
        .count()
    )
    if full < COMMITTEE_MIN_FULL_MEMBERS:
        deputies = sum(1 for post in posts if post == Post.DEPUTY_SECRETARY)
        if len(posts) - 1 - deputies or deputies > 1:
            raise ValidationError(
                _(
                    "A branch with fewer than 7 full members elects no committee, only a "
                    "secretary and at most one deputy secretary; on %(date)s this branch had "
                    "%(full)s full members."
                )
                % {"date": starts_on.isoformat(), "full": full}
            )
        return
    low, high = COMMITTEE_SEATS
    if not low <= len(posts) <= high:
        raise ValidationError(
            _(
                "A branch with 7 or more full members elects a committee of 3 to 5 members "
                "(at most 7); on %(date)s this branch had %(full)s full members, and the "
                "committee has %(seats)s seats."
            )
            % {"date": starts_on.isoformat(), "full": full, "seats": len(posts)}
        )


def committee_term_check(*, term: CommitteeTerm) -> None:
    """The committee rules on a term's seats as stored (for the admin, which edits a term's
    seats one by one)."""
    _check_seats(term.organization, term.starts_on, list(term.seats.values_list("post", flat=True)))


@transaction.atomic
def committee_term_create(
    *,
    organization: Organization,
    starts_on: datetime.date,
    seats: list[tuple[PartyMember, str]],
    ends_on: datetime.date | None = None,
) -> CommitteeTerm:
    """A new committee term with its seats; the end defaults to the term's statutory length."""
    ends_on = ends_on or dates.add_months(starts_on, 12 * committee_term_years(organization))
    _check_seats(organization, starts_on, [post for _member, post in seats])
    term = CommitteeTerm(organization=organization, starts_on=starts_on, ends_on=ends_on)
    term.full_clean()
    term.save()
    CommitteeSeat.objects.bulk_create(
        CommitteeSeat(term=term, member=member, post=post) for member, post in seats
    )
    return term


# --- Meetings ------------------------------------------------------------------------------

REASON_MAX_LENGTH = Attendance._meta.get_field("reason").max_length


def _check_duplicate(*, organization, kind, date, exclude_pk=None, confirm_duplicate: bool) -> None:
    # One writer at a time per organisation, kind and day: the read below then sees a
    # meeting logged by a concurrent request (portal/locks.py).
    serialize("meeting", organization.pk, kind, date)
    same = Meeting.objects.filter(organization=organization, kind=kind, date=date)
    if exclude_pk:
        same = same.exclude(pk=exclude_pk)
    if same.exists() and not confirm_duplicate:
        raise ValidationError(
            _(
                "A meeting of this kind is already logged for this organisation on this day. "
                "Tick “log it anyway” if this really is a second meeting."
            ),
            code="duplicate",
        )


def _check_speaker(organization: Organization, details: dict) -> None:
    """A speaker member is one of the organisation's people; their name fills the speaker."""
    speaker = details.get("speaker_member")
    if speaker is None:
        return
    if not PartyMember.objects.speakers_for(organization).filter(pk=speaker.pk).exists():
        raise ValidationError(
            {
                "speaker_member": _(
                    "%(name)s is not a member of this organisation; leave the member empty "
                    "and type the speaker's name instead."
                )
                % {"name": speaker.name}
            }
        )
    if not (details.get("speaker") or "").strip():
        details["speaker"] = speaker.name


@transaction.atomic
def meeting_attachment_add(*, meeting: Meeting, file: UploadedFile) -> MeetingAttachment:
    clean = clean_upload(file, allow_pdf=True)
    attachment = MeetingAttachment(
        meeting=meeting, file=clean, content_type=clean.content_type, size=clean.size
    )
    attachment.save()
    return attachment


@transaction.atomic
def meeting_plan(
    *,
    organization: Organization,
    kind: str,
    date: datetime.date,
    topic: str,
    confirm_duplicate: bool = False,
    today: datetime.date | None = None,
    **details,
) -> Meeting:
    """Put a meeting in the plan; it is recorded with meeting_record once held."""
    _check_duplicate(
        organization=organization, kind=kind, date=date, confirm_duplicate=confirm_duplicate
    )
    _check_speaker(organization, details)
    meeting = Meeting(
        organization=organization,
        kind=kind,
        date=date,
        topic=topic,
        status=Meeting.Status.PLANNED,
        **details,
    )
    meeting.full_clean()
    meeting.save()
    return meeting


@dataclass(frozen=True)
class MeetingCounts:
    """The counts of a meeting recorded without attendance rows (a past meeting's minutes):
    those due, those present, and of them the voting members (full members)."""

    due: int
    present: int
    voting: int
    present_voting: int

    def check(self) -> None:
        if self.present > self.due:
            raise ValidationError(
                {"present_count": _("More people are present than were due to attend.")}
            )
        if self.voting > self.due:
            raise ValidationError(
                {"voting_count": _("More voting members than people due to attend.")}
            )
        if self.present_voting > min(self.voting, self.present):
            raise ValidationError(
                {
                    "present_voting_count": _(
                        "More voting members are present than were due, or than were present."
                    )
                }
            )


@transaction.atomic
def meeting_record(
    *,
    organization: Organization,
    kind: str,
    date: datetime.date,
    topic: str,
    attendance: dict[int, tuple[str, str]] | None = None,
    attachments: list[UploadedFile] = (),
    meeting: Meeting | None = None,
    confirm_duplicate: bool = False,
    counts: MeetingCounts | None = None,
    today: datetime.date | None = None,
    **details,
) -> Meeting:
    """Record a held meeting (new, or a planned one): attendance from the roster on `date`.

    `attendance` is {member_id: (status, reason)}; everyone due to attend on `date` who is
    not in it is present. Counts and validity are frozen in the meeting.

    A meeting of the past kept on paper (the historical meetings import) comes with its
    `counts` instead: they are frozen as given, without attendance rows (the roster of that
    day may never have been recorded), and the same quorum rule decides its validity.
    """
    today = _today(today)
    attendance = attendance or {}
    if date > today:
        raise ValidationError(
            {"date": _("A held meeting cannot be dated in the future; plan it instead.")}
        )
    if meeting is not None and meeting.status == Meeting.Status.HELD:
        raise ValidationError(_("This meeting has already been recorded as held."))
    _check_duplicate(
        organization=organization,
        kind=kind,
        date=date,
        exclude_pk=meeting.pk if meeting else None,
        confirm_duplicate=confirm_duplicate,
    )
    if counts is not None:
        counts.check()
        due = []
    else:
        due = list(PartyMember.objects.due_at(organization, kind, date).only("pk", "name"))
        due_ids = {member.pk for member in due}
        strangers = set(attendance) - due_ids
        if strangers:
            raise ValidationError(
                _(
                    "Attendance lists someone who was not on the roster on %(date)s; "
                    "reload the form for that date."
                )
                % {"date": date.isoformat()}
            )
        # Errors name their rows (params["members"]), so that a form shows each beside its
        # row. The form's toggles come as loose fields (forms.parse_attendance): their length
        # and a NUL byte (which no text column holds) are checked here, for every caller.
        absent = {
            pk: reason.strip()
            for pk, (status, reason) in attendance.items()
            if status != AttendanceStatus.PRESENT
        }
        missing = [pk for pk, reason in absent.items() if not reason]
        if missing:
            raise ValidationError(
                _("Give a reason for every absence or leave."),
                code="reason_missing",
                params={"members": missing},
            )
        unfit = [
            pk
            for pk, reason in absent.items()
            if len(reason) > REASON_MAX_LENGTH or "\x00" in reason
        ]
        if unfit:
            raise ValidationError(
                _("A reason for an absence or leave is at most %(n)s characters of text.")
                % {"n": REASON_MAX_LENGTH},
                code="reason_too_long",
                params={"members": unfit},
            )

    _check_speaker(organization, details)
    requirement = MeetingRequirement.for_meeting(kind=kind, organization=organization)
    meeting = meeting or Meeting(organization=organization)
    meeting.kind = kind
    meeting.date = date
    meeting.topic = topic
    meeting.status = Meeting.Status.HELD
    meeting.quorum = requirement.quorum if requirement else QuorumRule.NONE
    for name, value in details.items():
        setattr(meeting, name, value)
    if counts is not None:
        meeting.due_count, meeting.present_count = counts.due, counts.present
        meeting.voting_count, meeting.present_voting_count = counts.voting, counts.present_voting
        meeting.is_valid = quorum_reached(
            meeting.quorum,
            due=counts.due,
            voting=counts.voting,
            present=counts.present,
            present_voting=counts.present_voting,
        )
    meeting.full_clean(exclude=["organization"])
    meeting.save()
    if counts is not None:
        return meeting

    rows = []
    for member in due:
        status, reason = attendance.get(member.pk, (AttendanceStatus.PRESENT, ""))
        rows.append(
            Attendance(
                meeting=meeting,
                member=member,
                status=status,
                reason=reason.strip() if status != AttendanceStatus.PRESENT else "",
                is_voting=member.voting,
            )
        )
    Attendance.objects.bulk_create(rows)
    meeting_recount(meeting=meeting)
    for file in attachments:
        meeting_attachment_add(meeting=meeting, file=file)
    return meeting


@transaction.atomic
def meeting_recount(*, meeting: Meeting) -> Meeting:
    """Freeze the counts and the quorum from the meeting's attendance rows.

    Called after recording, and after an administrator edits attendance in the admin;
    it never reads today's roster, so roster changes leave past meetings alone."""
    rows = list(meeting.attendances.values_list("status", "is_voting"))
    meeting.due_count = len(rows)
    meeting.voting_count = sum(1 for _status, voting in rows if voting)
    meeting.present_count = sum(1 for status, _voting in rows if status == AttendanceStatus.PRESENT)
    meeting.present_voting_count = sum(
        1 for status, voting in rows if voting and status == AttendanceStatus.PRESENT
    )
    meeting.is_valid = meeting.status == Meeting.Status.HELD and quorum_reached(
        meeting.quorum,
        due=meeting.due_count,
        voting=meeting.voting_count,
        present=meeting.present_count,
        present_voting=meeting.present_voting_count,
    )
    meeting.save(
        update_fields=[
            "due_count",
            "voting_count",
            "present_count",
            "present_voting_count",
            "is_valid",
            "updated_at",
        ]
    )
    return meeting


@transaction.atomic
def motion_record(*, meeting: Meeting, title: str, yes: int, no: int, abstain: int) -> Motion:
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Motions are recorded on a meeting that has been held."))
    if yes + no + abstain > meeting.present_voting_count:
        raise ValidationError(
            _("Yes, no and abstain add up to more than the %(n)s voting members present.")
            % {"n": meeting.present_voting_count}
        )
    motion = Motion(meeting=meeting, title=title, yes=yes, no=no, abstain=abstain)
    motion.full_clean()
    motion.save()
    return motion
