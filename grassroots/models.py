"""Party members, branch committees and the "three sessions and one lesson" meeting log.

DOMAIN.md §1–§2. The read-side rules live in the QuerySet classes below; writes go through
grassroots/services.py.

Two ideas carry most of the app:

* Membership is effective-dated (`Membership`: member, organisation, start, end), so the
  roster of a branch on any day is one query, and a transfer closes one row and opens
  another. Quorum is decided from that roster on the meeting's date and frozen into the
  attendance rows when the meeting is recorded: a later roster edit cannot change it.
* Compliance is computed in SQL over `ComplianceCell`, a database view that pairs every
  active organisation with every requirement that applies to it (organisation kind ×
  category). `ComplianceCellQuerySet.for_day()` annotates each cell with its period and
  met / due / missed; the list, the branch page, the rollup and the reminders all use it.
"""

import datetime

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import EmptyResultSet
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import majorities
from portal.audit import track
from portal.choices import Education, Gender
from portal.idnumbers import IdNumberField
from portal.majorities import MoreThanHalf
from portal.models import Organization, SingletonRules, TimeStampedModel
from portal.models.organizations import PATH_STEP
from portal.periods import Frequency, Period
from portal.pinyin import initials_match, typed_as_initials
from portal.scoping import in_subtree, scope_to_subtree
from portal.uploads import stored_name

# --- Choices -------------------------------------------------------------------------------


class MeetingKind(models.TextChoices):
    GENERAL = "general", _("Branch general meeting")
    COMMITTEE = "committee", _("Branch committee meeting")
    GROUP = "group", _("Party group meeting")
    LECTURE = "lecture", _("Party lecture")
    THEME_DAY = "theme_day", _("Theme Party day")
    ORG_LIFE = "org_life", _("Organisational life meeting")
    APPRAISAL = "appraisal", _("Democratic appraisal of members")
    DEMOCRATIC_LIFE = "democratic_life", _("Democratic life meeting")
    ELECTION = "election", _("Election")


# Meetings attended by the committee rather than by every member.
COMMITTEE_MEETINGS = (MeetingKind.COMMITTEE, MeetingKind.DEMOCRATIC_LIFE)


class QuorumRule(models.TextChoices):
    NONE = "none", _("No quorum")
    VOTING_MAJORITY = "voting_majority", _("More than half of the voting members")
    COMMITTEE_MAJORITY = "committee_majority", _("More than half of the committee")
    TWO_THIRDS = "two_thirds", _("At least two thirds of those due to attend")
    FOUR_FIFTHS = "four_fifths", _("More than four fifths of the voting members")


def quorum_reached(rule: str, *, due: int, voting: int, present: int, present_voting: int) -> bool:
    """The quorum rules of DOMAIN.md §2, on the counts frozen at the meeting's date."""
    if rule == QuorumRule.VOTING_MAJORITY:
        return majorities.more_than_half(present_voting, voting)
    if rule == QuorumRule.COMMITTEE_MAJORITY:
        return majorities.more_than_half(present, due)
    if rule == QuorumRule.TWO_THIRDS:
        return majorities.at_least_two_thirds(present, due)
    if rule == QuorumRule.FOUR_FIFTHS:
        return majorities.more_than_four_fifths(present_voting, voting)
    return True


class Stage(models.TextChoices):
    """The membership pipeline (发展党员), in order."""

    APPLICANT = "applicant", _("Applicant")
    ACTIVIST = "activist", _("Activist")
    TARGET = "target", _("Development target")
    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")


MEMBER_STAGES = (Stage.PROBATIONARY, Stage.FULL)


class Post(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    ORGANISATION = "organisation", _("Organisation member")
    PROPAGANDA = "propaganda", _("Propaganda member")
    DISCIPLINE = "discipline", _("Discipline member")
    MEMBER = "member", _("Committee member")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    LEAVE = "leave", _("On leave")


class AppraisalGrade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    QUALIFIED = "qualified", _("Qualified")
    BASIC = "basic", _("Basically qualified")
    UNQUALIFIED = "unqualified", _("Unqualified")


class ComplianceStatus(models.TextChoices):
    MET = "met", _("Met")
    DUE = "due", _("Due")
    MISSED = "missed", _("Missed")


# --- Rules table ---------------------------------------------------------------------------


# --- Rules (admin-editable numbers) ---------------------------------------------------------


def _months_field(label, default):
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )


class GrassrootsRules(SingletonRules):
    """The membership pipeline's fixed intervals (DOMAIN.md §2), one row, beside the cadres'
    probation_months: an administrator changes them in the admin without code."""

    probation_months = _months_field(_("probationary membership (months)"), 12)
    activist_assessment_months = _months_field(_("activist assessment interval (months)"), 6)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("membership rules")
        verbose_name_plural = _("membership rules")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="grassroots_rules_single_row"),
        ]

    def __str__(self):
        return str(_("Membership rules"))


class MeetingRequirement(TimeStampedModel):
    """Which organisations must hold which meeting how often, and its quorum rule.

    Seeded with DOMAIN.md's defaults by a data migration; administrators edit it in the
    admin. A row without a frequency (the election) only carries the quorum rule.
    """

    kind = models.CharField(_("meeting kind"), max_length=20, choices=MeetingKind.choices)
    applies_to_kinds = ArrayField(
        models.CharField(max_length=24, choices=Organization.Kind.choices),
        verbose_name=_("organisation kinds"),
        help_text=_("The requirement applies to organisations of these kinds."),
    )
    applies_to_categories = ArrayField(
        models.CharField(max_length=24, choices=Organization.Category.choices),
        verbose_name=_("organisation categories"),
        blank=True,
        default=list,
        help_text=_("Leave empty for every category."),
    )
    frequency = models.CharField(
        _("frequency"),
        max_length=12,
        choices=Frequency.choices,
        blank=True,
        help_text=_("Leave empty for meetings without a fixed frequency (elections)."),
    )
    quorum = models.CharField(
        _("quorum rule"), max_length=20, choices=QuorumRule.choices, default=QuorumRule.NONE
    )
    is_active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("meeting requirement")
        verbose_name_plural = _("meeting requirements")
        constraints = [
            models.CheckConstraint(
                condition=Q(applies_to_kinds__len__gt=0), name="requirement_has_kinds"
            ),
        ]

    def __str__(self):
        frequency = self.get_frequency_display() or _("no fixed frequency")
        return f"{self.get_kind_display()} · {frequency}"

    @classmethod
    def for_meeting(cls, *, kind: str, organization: Organization) -> "MeetingRequirement | None":
        """The active rule that governs a meeting of `kind` held by `organization`."""
        return (
            cls.objects.filter(
                kind=kind, is_active=True, applies_to_kinds__contains=[organization.kind]
            )
            .filter(
                Q(applies_to_categories=[])
                | Q(applies_to_categories__contains=[organization.category])
            )
            .first()
        )


# --- Committees ----------------------------------------------------------------------------


class CommitteeTermQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_to_subtree(self, user, field="organization")

    def on(self, day: datetime.date):
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def latest_per_organization(self):
        """Terms with no later term for the same organisation (the one whose end matters)."""
        later = CommitteeTerm.objects.filter(
            organization=OuterRef("organization"), starts_on__gt=OuterRef("starts_on")
        )
        return self.exclude(Exists(later))


@track()
class CommitteeTerm(TimeStampedModel):
    """A branch (or Party committee) committee's term: 5 years in villages and communities,
    3 elsewhere (services.committee_term_years)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="committee_terms",
    )
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"))

    objects = CommitteeTermQuerySet.as_manager()

    class Meta:
        ordering = ["organization__path", "-starts_on"]
        verbose_name = _("committee term")
        verbose_name_plural = _("committee terms")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="term_ends_after_start"
            ),
            models.UniqueConstraint(fields=["organization", "starts_on"], name="term_unique_start"),
        ]

    def __str__(self):
        return f"{self.organization} {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"


@track()
class CommitteeSeat(TimeStampedModel):
    term = models.ForeignKey(
        CommitteeTerm, verbose_name=_("term"), on_delete=models.CASCADE, related_name="seats"
    )
    member = models.ForeignKey(
        "grassroots.PartyMember",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="committee_seats",
    )
    post = models.CharField(_("post"), max_length=20, choices=Post.choices)

    class Meta:
        ordering = ["term", "post", "pk"]
        verbose_name = _("committee seat")
        verbose_name_plural = _("committee seats")
        constraints = [
            models.UniqueConstraint(fields=["term", "member"], name="seat_one_per_member"),
            models.UniqueConstraint(
                fields=["term"], condition=Q(post="secretary"), name="seat_one_secretary"
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.get_post_display()}"


# --- Members -------------------------------------------------------------------------------


ON_THE_BOOKS = Q(is_deceased=False, is_transferred_out=False)


class PartyMemberQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_to_subtree(self, user, field="branch")

    def on_the_books(self):
        """People still on a branch's books: neither deceased nor transferred out of the
        county (the Python twin is PartyMember.is_on_the_books)."""
        return self.filter(ON_THE_BOOKS)

    def members(self):
        """Party members proper (probationary and full), not people still in the pipeline."""
        return self.filter(stage__in=MEMBER_STAGES)

    def on_roster(self, organization: Organization, day: datetime.date):
        """Party members (joined by `day`) who belonged to the organisation on `day`.

        For a Party group: the members of its branch on `day` who sit in the group."""
        branch_id = organization.pk
        rows = self
        if organization.kind == Organization.Kind.PARTY_GROUP:
            branch_id = organization.parent_id
            rows = rows.filter(party_group=organization)
        belonged = Membership.objects.on(day).filter(
            member=OuterRef("pk"), organization_id=branch_id
        )
        return rows.filter(Exists(belonged), joined_on__lte=day)

    def on_roster_below(self, organization: Organization | None, day: datetime.date):
        """Party members (probationary and full, joined by `day`) on the roster of any branch
        in the organisation's subtree on `day` (any branch when `organization` is None): the
        党员花名册 of a branch or a township, and the dashboard's members as of a day."""
        belonged = Membership.objects.on(day).filter(member=OuterRef("pk"))
        if organization is not None:
            belonged = belonged.filter(organization__path__startswith=organization.path)
        return self.members().filter(Exists(belonged), joined_on__lte=day)

    def on_committee(self, organization: Organization, day: datetime.date):
        """Members holding a seat in the organisation's committee term in force on `day`."""
        seats = CommitteeSeat.objects.filter(
            member=OuterRef("pk"),
            term__organization=organization,
            term__starts_on__lte=day,
            term__ends_on__gte=day,
        )
        return self.filter(Exists(seats))

    def due_at(self, organization: Organization, kind: str, day: datetime.date):
        """Who is due to attend a meeting of `kind` on `day`, with `voting` (a full member
        on that day; probationary members attend without a vote)."""
        if kind in COMMITTEE_MEETINGS:
            rows = self.on_committee(organization, day)
        else:
            rows = self.on_roster(organization, day)
        return rows.annotate(
            voting=Case(
                When(full_on__lte=day, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        ).order_by("name", "pk")

    def speakers_for(self, organization: Organization):
        """Who may be recorded as a meeting's speaker member: the members on the books of the
        organisation's branch (a Party group's: its branch) and its committee's seat holders."""
        branch_id = organization.pk
        if organization.kind == Organization.Kind.PARTY_GROUP:
            branch_id = organization.parent_id
        seated = CommitteeSeat.objects.filter(
            member=OuterRef("pk"), term__organization=organization
        )
        return (
            self.members()
            .on_the_books()
            .filter(Q(branch_id=branch_id) | Q(Exists(seated)))
            .order_by("name", "pk")
        )

    def search(self, text: str):
        """Name contains the text, or the pinyin initials start with it ("zsf" → 张三丰; "zhm" → 赵明)."""
        text = (text or "").strip()
        if not text:
            return self
        if typed_as_initials(text):
            # Initials only: a prefix scan of their index, not a scan of every name.
            return self.filter(initials_match(text))
        return self.filter(Q(name__icontains=text) | initials_match(text))


@track()
class PartyMember(TimeStampedModel):
    """A Party member, or a person in the membership pipeline (applicant to development
    target) of a branch. `branch` is the current branch, kept in step with the open
    `Membership` row by services.member_transfer."""

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    name_initials = models.CharField(_("pinyin initials"), max_length=50, editable=False)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    birth_date = models.DateField(_("birth date"))
    id_number = IdNumberField(_("ID number"), unique=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    education = models.CharField(
        _("education"), max_length=12, choices=Education.choices, blank=True
    )
    branch = models.ForeignKey(
        Organization,
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="party_members",
    )
    party_group = models.ForeignKey(
        Organization,
        verbose_name=_("Party group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_members",
    )
    stage = models.CharField(
        _("stage"), max_length=14, choices=Stage.choices, default=Stage.APPLICANT
    )
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    activist_on = models.DateField(_("activist since"), null=True, blank=True)
    target_on = models.DateField(_("development target since"), null=True, blank=True)
    joined_on = models.DateField(_("joined the Party"), null=True, blank=True)
    full_on = models.DateField(_("full member since"), null=True, blank=True)
    last_assessed_on = models.DateField(_("last activist assessment"), null=True, blank=True)
    # A development target's training before admission (DOMAIN.md §2): at least 3 days or
    # 24 class hours; services.member_advance checks it.
    training_days = models.PositiveSmallIntegerField(
        _("development target training (days)"), default=0
    )
    training_hours = models.PositiveSmallIntegerField(
        _("development target training (class hours)"), default=0
    )
    contacts = models.ManyToManyField(
        "self",
        verbose_name=_("contact members"),
        blank=True,
        symmetrical=False,
        related_name="contact_for",
    )
    is_flowing = models.BooleanField(_("flowing member"), default=False)
    is_retired = models.BooleanField(_("retired"), default=False)
    is_deceased = models.BooleanField(_("deceased"), default=False)
    is_transferred_out = models.BooleanField(_("transferred out"), default=False)
    cadre = models.OneToOneField(
        "cadres.Cadre",
        verbose_name=_("cadre record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_member",
    )

    objects = PartyMemberQuerySet.as_manager()

    class Meta:
        ordering = ["branch__path", "name", "pk"]
        verbose_name = _("Party member")
        verbose_name_plural = _("Party members")
        indexes = [
            models.Index(
                fields=["name_initials"],
                name="member_initials_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
            models.Index(fields=["branch", "stage"], name="member_branch_stage"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage__in=MEMBER_STAGES) | Q(joined_on__isnull=False),
                name="member_has_joined_on",
                violation_error_message=_(
                    "A probationary or full member needs the date they joined the Party."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(stage=Stage.FULL) | Q(full_on__isnull=False),
                name="full_member_has_full_on",
                violation_error_message=_(
                    "A full member needs the date they became a full member."
                ),
            ),
            models.CheckConstraint(
                condition=Q(full_on__isnull=True) | Q(full_on__gt=F("joined_on")),
                name="full_after_joined",
                violation_error_message=_(
                    "The date of becoming a full member must come after the date of joining."
                ),
            ),
        ]

    @property
    def is_on_the_books(self) -> bool:
        """ON_THE_BOOKS for one member."""
        return not (self.is_deceased or self.is_transferred_out)

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def on(self, day: datetime.date):
        """Rows in force on `day` (start and end both inclusive)."""
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


@track()
class Membership(TimeStampedModel):
    """One stretch of a person's belonging to a branch; moves close one row and open another."""

    member = models.ForeignKey(
        PartyMember, verbose_name=_("member"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="memberships"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["member", "-starts_on"]
        verbose_name = _("branch membership")
        verbose_name_plural = _("branch memberships")
        indexes = [models.Index(fields=["organization", "starts_on"], name="membership_org_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="membership_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["member"], condition=Q(ends_on__isnull=True), name="membership_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.organization}"


@track()
class Appraisal(TimeStampedModel):
    """Democratic appraisal of a member (民主评议党员) for one year."""

    member = models.ForeignKey(
        PartyMember, verbose_name=_("member"), on_delete=models.CASCADE, related_name="appraisals"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    grade = models.CharField(_("grade"), max_length=12, choices=AppraisalGrade.choices)

    class Meta:
        ordering = ["-year", "member"]
        verbose_name = _("democratic appraisal")
        verbose_name_plural = _("democratic appraisals")
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="appraisal_once_a_year"),
        ]

    def __str__(self):
        return f"{self.member} {self.year} {self.get_grade_display()}"


@track()
class ActivistAssessment(TimeStampedModel):
    """The half-yearly assessment of an activist (入党积极分子考察) and its result. The
    latest date is kept on the member too (`last_assessed_on`), which the reminder reads."""

    member = models.ForeignKey(
        PartyMember,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="activist_assessments",
    )
    assessed_on = models.DateField(_("assessed on"))
    notes = models.TextField(_("result and notes"))

    class Meta:
        ordering = ["member", "-assessed_on"]
        verbose_name = _("activist assessment")
        verbose_name_plural = _("activist assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "assessed_on"], name="activist_assessment_once_a_day"
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.assessed_on:%Y-%m-%d}"


# --- Meetings ------------------------------------------------------------------------------


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_to_subtree(self, user, field="organization")

    def held(self):
        return self.filter(status=Meeting.Status.HELD)

    def counting(self):
        """Held meetings that reached their quorum: the only ones that count for compliance."""
        return self.held().filter(is_valid=True)


@track()
class Meeting(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")

    Kind = MeetingKind
    # Frozen from the attendance rows (meeting_recount): the history shows the rows' changes.
    history_hidden = ("due_count", "voting_count", "present_count", "present_voting_count")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.HELD
    )
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    host = models.CharField(_("host"), max_length=50, blank=True)
    speaker = models.CharField(_("speaker"), max_length=50, blank=True)
    # The speaker as a member, when the speaker is one (a Party lecture by the secretary
    # meets the secretary's yearly lecture: grassroots.deadlines.secretary_lecture_rows).
    speaker_member = models.ForeignKey(
        "grassroots.PartyMember",
        verbose_name=_("speaker (member)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lectures_given",
    )
    topic = models.CharField(_("topic"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    quorum = models.CharField(
        _("quorum rule"), max_length=20, choices=QuorumRule.choices, default=QuorumRule.NONE
    )
    # Frozen when the meeting is recorded (services.meeting_record): the roster on the
    # meeting's date, so that later roster edits never change a past meeting's quorum.
    due_count = models.PositiveIntegerField(_("due to attend"), default=0)
    voting_count = models.PositiveIntegerField(_("voting members"), default=0)
    present_count = models.PositiveIntegerField(_("present"), default=0)
    present_voting_count = models.PositiveIntegerField(_("voting members present"), default=0)
    is_valid = models.BooleanField(_("quorum reached"), default=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-time", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["organization", "kind", "date"], name="meeting_org_kind_date"),
            # The list's default order: its first page is read from the index, not sorted.
            models.Index(fields=["-date", "-time", "-id"], name="meeting_list_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(present_count__lte=F("due_count"))
                & Q(present_voting_count__lte=F("voting_count"))
                & Q(voting_count__lte=F("due_count")),
                name="meeting_counts_consistent",
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_kind_display()} · {self.date:%Y-%m-%d}"


@track()
class Attendance(TimeStampedModel):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        PartyMember, verbose_name=_("member"), on_delete=models.PROTECT, related_name="attendances"
    )
    status = models.CharField(
        _("attendance"),
        max_length=8,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.PRESENT,
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    # Whether the member had a vote on the meeting's date (a full member then).
    is_voting = models.BooleanField(_("voting member"), default=False)

    class Meta:
        ordering = ["meeting", "member__name", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once"),
            models.CheckConstraint(
                condition=Q(status="present") | ~Q(reason=""), name="absence_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.get_status_display()}"


def attachment_path(instance, filename):
    # `filename` is the cleaned file's (portal.uploads): a harmless stem of the uploaded name
    # (a sheet's title people recognise) and the extension of the type written.
    return stored_name(f"grassroots/meetings/{instance.meeting_id}", filename)


class MeetingAttachment(TimeStampedModel):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path)
    content_type = models.CharField(pgettext_lazy("file", "content type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.file.name.rsplit("/", 1)[-1]

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class MotionQuerySet(models.QuerySet):
    def with_result(self):
        """A motion passes when "yes" exceeds half of the voting members due to attend."""
        return self.annotate(passed=MoreThanHalf("yes", "meeting__voting_count"))


@track()
class Motion(TimeStampedModel):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="motions"
    )
    title = models.CharField(_("motion"), max_length=200)
    yes = models.PositiveIntegerField(_("yes"))
    no = models.PositiveIntegerField(_("no"))
    abstain = models.PositiveIntegerField(_("abstain"))

    objects = MotionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("motion")
        verbose_name_plural = _("motions")

    def __str__(self):
        return self.title


# --- Compliance ----------------------------------------------------------------------------


class ComplianceCellQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_to_subtree(self, user, field="organization")

    def in_subtree(self, organization: Organization):
        return in_subtree(self, organization)

    def for_day(self, day: datetime.date, *, today: datetime.date, previous: bool = False):
        """Each cell's period (its requirement's frequency, containing `day`, or the one
        before it if `previous`) and status.

        met: a held meeting of the kind reached its quorum within the period;
        due: not yet, and the period has not ended by `today`;
        missed: not held, and the period is over.

        A period counts only if the organisation existed through all of it (DOMAIN.md §1):
        founded on or before its first day and not dissolved before its last. Cells of
        other periods are left out, so no page, rollup or reminder counts them.
        """
        periods = {f: Period.containing(f, day) for f in Frequency.values}
        if previous:
            periods = {f: period.previous() for f, period in periods.items()}

        def bound(attr):
            return Case(
                *[
                    When(requirement__frequency=f, then=Value(getattr(p, attr)))
                    for f, p in periods.items()
                ],
                output_field=models.DateField(),
            )

        held = Meeting.objects.counting().filter(
            organization=OuterRef("organization_id"),
            kind=OuterRef("requirement__kind"),
            date__gte=OuterRef("period_start"),
            date__lte=OuterRef("period_end"),
        )
        existed = (
            Q(organization__founded_on__isnull=True)
            | Q(organization__founded_on__lte=F("period_start"))
        ) & (
            Q(organization__dissolved_on__isnull=True)
            | Q(organization__dissolved_on__gte=F("period_end"))
        )
        cells = self.annotate(period_start=bound("start"), period_end=bound("end"))
        return cells.filter(existed).annotate(
            status=Case(
                When(Exists(held), then=Value(ComplianceStatus.MET)),
                When(period_end__gte=today, then=Value(ComplianceStatus.DUE)),
                default=Value(ComplianceStatus.MISSED),
                output_field=models.CharField(),
            )
        )

    def rollup(self, parent: Organization) -> list[dict]:
        """Counts of met / due / missed cells per child of `parent` (after for_day()), as
        dicts {child_path, met, due, missed} in path order.

        Grouped in SQL by the child's materialized-path prefix, so a township's figure
        covers every branch and group beneath it. Each cell's status (its EXISTS over the
        meetings) is evaluated once, in a materialized CTE, then counted three ways; counting
        the queryset's `status` annotation three times evaluated it three times a cell."""
        prefix_length = (parent.depth + 2) * PATH_STEP
        cells = (
            self.in_subtree(parent)
            .exclude(organization=parent)
            .annotate(child_path=Substr("organization__path", 1, prefix_length))
            .values("child_path", "status")
            .order_by()
        )
        try:
            inner, params = cells.query.sql_with_params()
        except EmptyResultSet:
            return []
        sql = f"""
            WITH cells AS MATERIALIZED ({inner})
            SELECT child_path,
                   count(*) FILTER (WHERE status = %s) AS met,
                   count(*) FILTER (WHERE status = %s) AS due,
                   count(*) FILTER (WHERE status = %s) AS missed
            FROM cells GROUP BY child_path ORDER BY child_path
        """  # noqa: S608 - the queryset's own SQL
        statuses = [ComplianceStatus.MET, ComplianceStatus.DUE, ComplianceStatus.MISSED]
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, [*params, *statuses])
            columns = [column.name for column in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


# --- Branch size -----------------------------------------------------------------------------

# A branch needs at least 3 full members and generally has at most 50 members (DOMAIN.md §1).
BRANCH_MIN_FULL_MEMBERS = 3
BRANCH_MAX_MEMBERS = 50


def with_branch_size(organizations):
    """Annotate organisations with `full_members` and `members` (probationary and full) now on
    their books, and `too_small` / `too_large` against the branch-size rule: one correlated
    count each on the (branch, stage) index, in the same query."""

    def count(*stages):
        rows = (
            PartyMember.objects.on_the_books()
            .filter(branch=OuterRef("pk"), stage__in=stages)
            .order_by()
            .values("branch")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows, output_field=models.IntegerField()), 0)

    return organizations.annotate(
        full_members=count(Stage.FULL), members=count(*MEMBER_STAGES)
    ).annotate(
        too_small=Q(full_members__lt=BRANCH_MIN_FULL_MEMBERS),
        too_large=Q(members__gt=BRANCH_MAX_MEMBERS),
    )


def branch_size_rollup(parent: Organization):
    """Per child of `parent` (grouped like ComplianceCellQuerySet.rollup, by path prefix): its
    active branches below 3 full members and above 50 members, and the members counted."""
    prefix_length = (parent.depth + 2) * PATH_STEP
    branches = Organization.objects.branches().filter(is_active=True, path__startswith=parent.path)
    return (
        with_branch_size(branches.exclude(pk=parent.pk))
        .annotate(child_path=Substr("path", 1, prefix_length))
        .values("child_path")
        .annotate(
            small_branches=Count("pk", filter=Q(too_small=True)),
            large_branches=Count("pk", filter=Q(too_large=True)),
            full_total=Sum("full_members"),
        )
        .order_by("child_path")
    )


class ComplianceCell(models.Model):
    """One (organisation, requirement) pair that applies: a row of a database view.

    The view (migration 0002) joins every active organisation with every active
    requirement with a frequency whose kinds and categories include it, so compliance is
    a plain queryset rather than a loop over organisations.
    """

    id = models.CharField(primary_key=True, max_length=40)
    organization = models.ForeignKey(
        Organization, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    requirement = models.ForeignKey(
        MeetingRequirement, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )

    objects = ComplianceCellQuerySet.as_manager()

    class Meta:
        managed = False
        db_table = "grassroots_compliancecell"
        ordering = ["organization__path", "requirement__kind"]
        verbose_name = _("compliance cell")
        verbose_name_plural = _("compliance cells")

    def __str__(self):
        return self.id


# Collective decisions (DOMAIN.md §8) live in their own module; imported here so that Django
# counts them among the grassroots app's models.
from grassroots.decisions.models import (  # noqa: E402, F401  (isort: skip)
    DecisionRules,
    LargeSumThreshold,
    MajorMatter,
    MatterOpinion,
    StepAttachment,
    StepRemark,
    VillageMatter,
    VillageStep,
)
