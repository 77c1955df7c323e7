"""Collective decisions (DOMAIN.md §8): the records and their read-side rules.

三重一大 (MajorMatter): a leadership team's matter of one of the four categories, decided at a
meeting of the team's committee seats (MatterOpinion: who was due, who was present, each
present member's opinion in speaking order, the principal leader last).

四议两公开一监督 (VillageMatter): a village matter moving through six steps in order
(VillageStep), with documents and scans (StepAttachment) and the village affairs supervision
committee's remarks on any step (StepRemark).

The numbers an administrator may change are rows: DecisionRules (the Party members' meeting's
quorum rule, the days to make a decision and a result public) and LargeSumThreshold (what a
"large sum" is, per kind of organisation). Imported into grassroots/models.py, so that Django
counts these models among the grassroots app's.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from grassroots.models import CommitteeSeat, Meeting, PartyMember, QuorumRule
from portal import majorities
from portal.audit import track
from portal.dates import AddDays, DaysBetween
from portal.models import Organization, SingletonRules, TimeStampedModel
from portal.models.organizations import BRANCH_KINDS, PATH_STEP
from portal.scoping import in_subtree, scope_to_subtree
from portal.uploads import stored_name

# --- Rules ------------------------------------------------------------------------------------

# The Party members' meeting of a village matter (审议): at least a general meeting's quorum;
# many counties ask two thirds (DOMAIN.md §8).
PARTY_MEETING_QUORUMS = [
    (QuorumRule.TWO_THIRDS, QuorumRule.TWO_THIRDS.label),
    (QuorumRule.VOTING_MAJORITY, QuorumRule.VOTING_MAJORITY.label),
    (QuorumRule.FOUR_FIFTHS, QuorumRule.FOUR_FIFTHS.label),
]


def _days_field(label, default, help_text):
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=help_text,
    )


class DecisionRules(SingletonRules):
    """The configurable numbers of §8, one row (seeded by migration; an administrator edits it)."""

    party_meeting_quorum = models.CharField(
        _("quorum of the Party members' meeting (四议 step 3)"),
        max_length=20,
        choices=PARTY_MEETING_QUORUMS,
        default=QuorumRule.TWO_THIRDS,
    )
    decision_notice_days = _days_field(
        _("days to make a village decision public"),
        7,
        _("Counted from the day after the villagers' (representatives') meeting decided."),
    )
    result_notice_days = _days_field(
        _("days to make a village result public"),
        15,
        _("Counted from the day after the matter was marked as carried out."),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("collective-decision rules")
        verbose_name_plural = _("collective-decision rules")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="decision_rules_single_row"),
        ]

    def __str__(self):
        return str(_("Collective-decision rules"))


# What a "large sum" is where no LargeSumThreshold row applies (the rows were emptied); the
# seeded row for every organisation says the same.
DEFAULT_LARGE_SUM = Decimal(100_000)


class LargeSumThresholdQuerySet(models.QuerySet):
    def for_organization(self, organization: Organization) -> "LargeSumThreshold | None":
        """The most specific row that applies: kind and category, then category, then kind,
        then the row for every organisation (both left empty)."""
        return (
            self.filter(Q(organization_kind="") | Q(organization_kind=organization.kind))
            .filter(Q(category="") | Q(category=organization.category))
            .annotate(
                specificity=Case(
                    When(~Q(organization_kind="") & ~Q(category=""), then=Value(3)),
                    When(~Q(category=""), then=Value(2)),
                    When(~Q(organization_kind=""), then=Value(1)),
                    default=Value(0),
                )
            )
            .order_by("-specificity", "pk")
            .first()
        )


class LargeSumThreshold(TimeStampedModel):
    """From which amount a use of funds is a "large sum" (大额资金) that the leadership team must
    decide collectively; below it the matter is ordinary business. Set locally, per kind of
    organisation (DOMAIN.md §8)."""

    organization_kind = models.CharField(
        _("organisation kind"),
        max_length=24,
        choices=Organization.Kind.choices,
        blank=True,
        help_text=_("Leave empty for every kind."),
    )
    category = models.CharField(
        _("organisation category"),
        max_length=24,
        choices=Organization.Category.choices,
        blank=True,
        help_text=_("Leave empty for every category."),
    )
    amount = models.DecimalField(
        _("large sum from (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(1)],
    )

    objects = LargeSumThresholdQuerySet.as_manager()

    class Meta:
        ordering = ["organization_kind", "category", "pk"]
        verbose_name = _("large-sum threshold")
        verbose_name_plural = _("large-sum thresholds")
        constraints = [
            models.UniqueConstraint(
                fields=["organization_kind", "category"],
                name="large_sum_threshold_once",
                violation_error_message=_(
                    "A threshold for this kind and category exists already; change that one."
                ),
            ),
        ]

    def __str__(self):
        kind = self.get_organization_kind_display() or _("every kind")
        category = self.get_category_display() or _("every category")
        return f"{kind} · {category} · {self.amount:,.0f}"


# --- 三重一大 -----------------------------------------------------------------------------------


class MatterCategory(models.TextChoices):
    DECISION = "decision", _("Major decision (重大决策)")
    APPOINTMENT = "appointment", _("Important appointment or removal (重要干部任免)")
    PROJECT = "project", _("Major project (重大项目安排)")
    LARGE_SUM = "large_sum", _("Use of a large sum (大额资金使用)")


class MatterStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the team's meeting")
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Not adopted")


class Stance(models.TextChoices):
    AGREE = "agree", _("Agrees")
    DISAGREE = "disagree", _("Disagrees")
    ABSTAIN = "abstain", _("Abstains")


class Presence(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    LEAVE = "leave", _("On leave")


# Who holds 三重一大 meetings: Party committees of every level, and the leadership teams of
# departments, public institutions and state enterprises. Villages and communities decide
# their matters by 四议两公开 (VillageMatter); Party groups decide nothing of the kind.
TEAM_KINDS = (
    Organization.Kind.COUNTY_COMMITTEE,
    Organization.Kind.PARTY_COMMITTEE,
    Organization.Kind.WORKING_COMMITTEE,
)
TEAM_CATEGORIES = (
    Organization.Category.ORGAN,
    Organization.Category.INSTITUTION,
    Organization.Category.STATE_ENTERPRISE,
)
TEAMS = Q(kind__in=TEAM_KINDS) | (
    Q(kind__in=[Organization.Kind.GENERAL_BRANCH, *BRANCH_KINDS]) & Q(category__in=TEAM_CATEGORIES)
)
VILLAGES = Q(kind__in=BRANCH_KINDS, category=Organization.Category.VILLAGE)


def team_quorum_reached(category: str, *, due: int, present: int) -> bool:
    """A leadership team's meeting may decide: at least two thirds of its members present for
    an appointment or removal, more than half otherwise (DOMAIN.md §8). The cadres workflow's
    appointment decision keeps the same rule through this function."""
    if category == MatterCategory.APPOINTMENT:
        return majorities.at_least_two_thirds(present, due)
    return majorities.more_than_half(present, due)


class MajorMatterQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_to_subtree(self, user, field="organization")

    def in_subtree(self, organization: Organization):
        return in_subtree(self, organization)

    def without_meeting(self):
        """Matters of the four categories no team meeting has decided (yet): the rollup's
        "recorded without a meeting"; carried out so, a violation."""
        return self.filter(status=MatterStatus.PENDING)


@track()
class MajorMatter(TimeStampedModel):
    """One 三重一大 matter of a leadership team, and the meeting that decided it."""

    Category = MatterCategory
    Status = MatterStatus

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("leadership team"),
        on_delete=models.PROTECT,
        related_name="major_matters",
    )
    category = models.CharField(_("category"), max_length=16, choices=MatterCategory.choices)
    title = models.CharField(_("matter"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # The cadres workflow's appointment this matter is (never recorded twice: its decision is
    # the appointment's "discussion and decision" step).
    appointment = models.OneToOneField(
        "cadres.Appointment",
        verbose_name=_("appointment in the cadres workflow"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="major_matter",
    )
    raised_on = models.DateField(_("raised on"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MatterStatus.choices,
        default=MatterStatus.PENDING,
        editable=False,
    )
    # The team's meeting, frozen when the decision is recorded (services.major_matter_decide).
    meeting_on = models.DateField(_("meeting on"), null=True, blank=True)
    members_due = models.PositiveSmallIntegerField(_("members due"), null=True, blank=True)
    members_present = models.PositiveSmallIntegerField(_("members present"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    result = models.TextField(_("result of the decision"), blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    carried_out_on = models.DateField(_("carried out on"), null=True, blank=True)

    objects = MajorMatterQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_on", "-pk"]
        verbose_name = _("三重一大 matter")
        verbose_name_plural = _("三重一大 matters")
        indexes = [
            models.Index(fields=["organization", "status"], name="major_matter_org_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(category=MatterCategory.LARGE_SUM) | Q(amount__isnull=False),
                name="major_matter_large_sum_has_amount",
                violation_error_message=_("A use of a large sum needs its amount."),
            ),
            models.CheckConstraint(
                condition=Q(appointment__isnull=True) | Q(category=MatterCategory.APPOINTMENT),
                name="major_matter_appointment_category",
                violation_error_message=_(
                    "Only an appointment or removal links to the cadres workflow."
                ),
            ),
            models.CheckConstraint(
                condition=Q(members_present__lte=F("members_due"))
                | Q(members_present__isnull=True),
                name="major_matter_present_within_due",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_decided(self) -> bool:
        return self.status != MatterStatus.PENDING


@track()
class MatterOpinion(TimeStampedModel):
    """One committee seat at the meeting on a 三重一大 matter: present (with the opinion stated,
    in speaking order) or absent with a reason."""

    matter = models.ForeignKey(
        MajorMatter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="opinions"
    )
    seat = models.ForeignKey(
        CommitteeSeat, verbose_name=_("seat"), on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        PartyMember, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+"
    )
    is_principal = models.BooleanField(_("principal leader"), default=False)
    presence = models.CharField(
        _("attendance"), max_length=8, choices=Presence.choices, default=Presence.PRESENT
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("speaking order"), null=True, blank=True)
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices, blank=True)
    opinion = models.TextField(_("opinion stated"), blank=True)

    class Meta:
        ordering = ["matter", F("position").asc(nulls_last=True), "pk"]
        verbose_name = _("stated opinion")
        verbose_name_plural = _("stated opinions")
        constraints = [
            models.UniqueConstraint(fields=["matter", "seat"], name="opinion_once_per_seat"),
            models.UniqueConstraint(
                fields=["matter", "position"], name="opinion_one_speaker_per_turn"
            ),
            models.CheckConstraint(
                condition=Q(presence="present", position__isnull=False) & ~Q(stance="")
                | ~Q(presence="present") & Q(position__isnull=True, stance="") & ~Q(reason=""),
                name="opinion_present_speaks_absent_explained",
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.get_stance_display() or self.get_presence_display()}"


# --- 四议两公开一监督 ------------------------------------------------------------------------------


class Subject(models.TextChoices):
    LAND = "land", _("Land")
    PROJECT = "project", _("Project")
    FUNDS = "funds", _("Collective funds and assets")
    WELFARE = "welfare", _("Welfare list (subsidies, allowances)")
    OTHER = "other", _("Other matter of collective interest")


class StepKind(models.TextChoices):
    """The steps, in their order (the values sort as they follow)."""

    PROPOSAL = "1_proposal", _("Proposal by the branch committee (党支部提议)")
    CONSULTATION = "2_consultation", _("Joint discussion of the two committees (两委商议)")
    DELIBERATION = "3_deliberation", _("Deliberation by the Party members' meeting (党员大会审议)")
    RESOLUTION = "4_resolution", _("Decision by the villagers' (representatives') meeting (决议)")
    DECISION_NOTICE = "5_decision_notice", _("Decision made public (决议公开)")
    RESULT_NOTICE = "6_result_notice", _("Result made public (实施结果公开)")


STEP_ORDER = list(StepKind)
NOTICE_STEPS = (StepKind.DECISION_NOTICE, StepKind.RESULT_NOTICE)


def step_after(step: str | None) -> StepKind | None:
    """The step that follows `step` (the first one after none); None after the last."""
    if not step:
        return STEP_ORDER[0]
    index = STEP_ORDER.index(StepKind(step)) + 1
    return STEP_ORDER[index] if index < len(STEP_ORDER) else None


class ResolutionBody(models.TextChoices):
    """Who decides in step 4 and what its quorum counts (村民委员会组织法 arts. 22, 26)."""

    VILLAGERS_ADULTS = "villagers_adults", _("Villagers' meeting: villagers aged 18 or over")
    VILLAGERS_HOUSEHOLDS = (
        "villagers_households",
        _("Villagers' meeting: household representatives"),
    )
    REPRESENTATIVES = "representatives", _("Villagers' representatives' meeting")


class VillageMatterQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_to_subtree(self, user, field="organization")

    def in_subtree(self, organization: Organization):
        return in_subtree(self, organization)

    def with_due(self, today: datetime.date):
        """Annotate what the matter waits for and by when, in SQL (the list, the rollup, the
        detail page and the reminders read this one expression):

        `next_due_on`: the decision must be made public within DecisionRules
        .decision_notice_days after it was taken; the result within .result_notice_days after
        the matter was marked carried out. `overdue`: that day is past. `skipped_notice`: the
        matter was carried out before its decision was made public."""
        decision_due = AddDays("decided_on", DecisionRules.sql("decision_notice_days"))
        result_due = AddDays("carried_out_on", DecisionRules.sql("result_notice_days"))
        return self.annotate(
            next_due_on=Case(
                When(
                    stage=StepKind.RESOLUTION,
                    adopted=True,
                    then=decision_due,
                ),
                When(
                    stage=StepKind.DECISION_NOTICE,
                    carried_out_on__isnull=False,
                    then=result_due,
                ),
                default=Value(None),
                output_field=models.DateField(),
            ),
        ).annotate(
            days_left=DaysBetween(F("next_due_on"), Value(today)),
            overdue=Case(
                When(next_due_on__lt=today, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
            skipped_notice=Case(
                When(
                    Q(carried_out_on__isnull=False)
                    & (
                        Q(decision_published_on__isnull=True)
                        | Q(decision_published_on__gt=F("carried_out_on"))
                    ),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
        )

    def decision_notice_due(self):
        """Adopted, not yet made public (after with_due())."""
        return self.filter(stage=StepKind.RESOLUTION, adopted=True)

    def result_notice_due(self):
        """Carried out, result not yet made public (after with_due())."""
        return self.filter(stage=StepKind.DECISION_NOTICE, carried_out_on__isnull=False)

    def rollup(self, parent: Organization, today: datetime.date):
        """Per child of `parent` (a township's villages): matters, finished ones, the
        not adopted, the overdue and the carried out without their decision made public.
        Grouped in SQL by the child's path prefix, like the compliance rollup."""
        prefix_length = (parent.depth + 2) * PATH_STEP
        return (
            self.in_subtree(parent)
            .with_due(today)
            .annotate(child_path=Substr("organization__path", 1, prefix_length))
            .values("child_path")
            .annotate(
                matters=models.Count("pk"),
                finished=models.Count("pk", filter=Q(stage=StepKind.RESULT_NOTICE)),
                not_adopted=models.Count("pk", filter=Q(adopted=False)),
                overdue_count=models.Count("pk", filter=Q(overdue=True)),
                skipped=models.Count("pk", filter=Q(skipped_notice=True)),
            )
            .order_by("child_path")
        )


@track()
class VillageMatter(TimeStampedModel):
    """A village matter of collective interest decided by 四议两公开一监督.

    `stage` (the last step recorded), `decided_on`, `adopted` and `decision_published_on`
    are kept in step with the VillageStep rows by services.village_step_record only: they
    let the lists, the rollup and the reminders read one row per matter."""

    Subject = Subject

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("village branch"),
        on_delete=models.PROTECT,
        related_name="village_matters",
    )
    subject = models.CharField(_("subject"), max_length=10, choices=Subject.choices)
    topic = models.CharField(_("matter"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    stage = models.CharField(
        _("last step"), max_length=20, choices=StepKind.choices, editable=False
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True, editable=False)
    adopted = models.BooleanField(_("adopted"), null=True, blank=True, editable=False)
    decision_published_on = models.DateField(
        _("decision made public on"), null=True, blank=True, editable=False
    )
    carried_out_on = models.DateField(_("carried out on"), null=True, blank=True)

    objects = VillageMatterQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("village matter (四议两公开)")
        verbose_name_plural = _("village matters (四议两公开)")
        indexes = [
            models.Index(fields=["organization", "stage"], name="village_matter_org_stage"),
        ]

    def __str__(self):
        return self.topic

    @property
    def next_step(self) -> StepKind | None:
        if self.adopted is False:
            return None
        return step_after(self.stage)


@track()
class VillageStep(TimeStampedModel):
    """One step of a village matter: its date, its meeting, what was said or published."""

    Kind = StepKind

    matter = models.ForeignKey(
        VillageMatter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="steps"
    )
    step = models.CharField(_("step"), max_length=20, choices=StepKind.choices)
    done_on = models.DateField(_("date"))
    # Step 3 (and, when logged, step 1): the meeting of the grassroots log, with its quorum.
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting in the log"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    participants = models.CharField(_("participants"), max_length=300, blank=True)
    summary = models.TextField(_("what was discussed or decided"), blank=True)
    notice_text = models.TextField(_("text of the notice"), blank=True)
    notice_place = models.CharField(_("where it was posted"), max_length=100, blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    # Step 4: the villagers' or representatives' meeting's own attendance and vote.
    body = models.CharField(
        _("deciding meeting"), max_length=24, choices=ResolutionBody.choices, blank=True
    )
    eligible_count = models.PositiveIntegerField(_("due to attend"), null=True, blank=True)
    present_count = models.PositiveIntegerField(_("present"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["matter", "step"]
        verbose_name = _("step of a village matter")
        verbose_name_plural = _("steps of village matters")
        constraints = [
            models.UniqueConstraint(fields=["matter", "step"], name="village_step_once"),
            models.CheckConstraint(
                condition=Q(present_count__isnull=True)
                | Q(eligible_count__isnull=True)
                | Q(present_count__lte=F("eligible_count")),
                name="village_step_present_within_due",
            ),
            models.CheckConstraint(
                condition=Q(votes_for__isnull=True)
                | Q(present_count__isnull=True)
                | Q(votes_for__lte=F("present_count")),
                name="village_step_votes_within_present",
            ),
        ]

    def __str__(self):
        return f"{self.matter} · {self.get_step_display()}"

    @property
    def is_notice(self) -> bool:
        return self.step in NOTICE_STEPS


def step_attachment_path(instance, filename):
    return stored_name(f"grassroots/decisions/{instance.step.matter_id}", filename)


class StepAttachment(TimeStampedModel):
    """A document of a step: minutes, a sign-in sheet, the photo or scan of a posted notice."""

    step = models.ForeignKey(
        VillageStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=step_attachment_path)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size in bytes"))

    class Meta:
        ordering = ["step", "pk"]
        verbose_name = _("step document")
        verbose_name_plural = _("step documents")

    def __str__(self):
        return self.file.name.rsplit("/", 1)[-1]

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


@track()
class StepRemark(TimeStampedModel):
    """The village affairs supervision committee's remark on a step (一监督)."""

    step = models.ForeignKey(
        VillageStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="remarks"
    )
    remarked_on = models.DateField(_("date"))
    author = models.CharField(_("supervision committee member"), max_length=50)
    text = models.TextField(_("remark"))

    class Meta:
        ordering = ["step", "remarked_on", "pk"]
        verbose_name = _("supervision remark")
        verbose_name_plural = _("supervision remarks")

    def __str__(self):
        return f"{self.author} · {self.remarked_on:%Y-%m-%d}"
