"""Complaints, letters and visits, reports (信访举报): DOMAIN.md §5.

The statutory deadlines are computed in SQL in ONE place, `ComplaintQuerySet.with_deadlines`
(read by the queue, the matter page, the services' window checks, the statistics and the
reminder engine). The numbers come from `HandlingRules`, an admin-editable single row
seeded with the 2022 regulation's defaults; the SQL falls back to the same defaults when
the row is missing.

The reporter's identity lives in `ReporterIdentity`, a separate table that no list, export,
notification or cross-app selector joins; only the matter page reads it, masked, and a
recorded reveal (portal.services.reveal_record) shows it in full.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    Case,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.audit import track
from portal.dates import DaysBetween, Deadline, PauseDays
from portal.models import SingletonRules, TimeStampedModel
from portal.roles import Access, Area, can
from portal.scoping import scope_to_subtree

DESCRIPTION_MAX_LENGTH = 5000


# --- Choices --------------------------------------------------------------------------------


class Channel(models.TextChoices):
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit in person")
    PHONE = "phone", pgettext_lazy("channel", "Phone")
    HOTLINE_12380 = "hotline_12380", _("12380 reporting line")
    ONLINE = "online", _("Online")
    MASSES = "masses", _("Feedback from the masses")


class Category(models.TextChoices):
    # The "four winds" (四风)
    FORMALISM = "formalism", _("Four winds: formalism")
    BUREAUCRATISM = "bureaucratism", _("Four winds: bureaucratism")
    HEDONISM = "hedonism", _("Four winds: hedonism")
    EXTRAVAGANCE = "extravagance", _("Four winds: extravagance")
    # Irregular selection of cadres
    SEEKING_OFFICE = "seeking_office", _("Seeking office (跑官要官)")
    BUYING_OFFICE = "buying_office", _("Buying and selling office (买官卖官)")
    VOTE_BUYING = "vote_buying", _("Canvassing and bribery in elections (拉票贿选)")
    PROMOTION_WITH_ILLNESS = "promotion_with_illness", _("Promotion with illness (带病提拔)")
    CRONYISM = "cronyism", _("Caring for relatives (任人唯亲)")
    FACTIONALISM = "factionalism", _("Organising gangs (拉帮结派)")
    RUSHED_PROMOTION = "rushed_promotion", _("Rushed promotion (突击提拔)")
    PROCEDURE_VIOLATION = "procedure_violation", _("Violation of procedure (违反程序)")
    # Others
    POOR_WORK_STYLE = "poor_work_style", _("Poor work style")
    FALSIFIED_WORK = "falsified_work", _("Falsified work")
    UNFAIR_TREATMENT = "unfair_treatment", _("Unfair treatment")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    ASSIGNED = "assigned", _("Assigned")
    INVESTIGATING = "investigating", _("Investigating")
    CONCLUDED = "concluded", _("Concluded")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")
    REVIEW = "review", _("Under review")
    REVIEWED = "reviewed", _("Review answered")
    REREVIEW = "rereview", _("Under re-review")
    REREVIEWED = "rereviewed", _("Re-review answered")


# Stages in which the handling office still has to act on the matter itself.
HANDLING_STATUSES = (Status.ACCEPTED, Status.ASSIGNED, Status.INVESTIGATING, Status.CONCLUDED)
# "Open" for the four-musts check: not yet concluded, closed or refused.
OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.ASSIGNED, Status.INVESTIGATING)


class Finding(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("Substantiated")
    PARTLY = "partly", _("Partly substantiated")
    UNSUBSTANTIATED = "unsubstantiated", _("Not substantiated")


class Move(models.TextChoices):
    """The status changes of a matter (STYLE.md rule 4)."""

    ACCEPT = "accept", _("Accept")
    REFUSE = "refuse", _("Do not accept")
    ASSIGN = "assign", _("Assign")
    INVESTIGATE = "investigate", _("Start the investigation")
    CONCLUDE = "conclude", _("Conclude")
    REPLY = "reply", _("Reply")
    CLOSE = "close", pgettext_lazy("complaint", "Close")
    REQUEST_REVIEW = "request_review", _("Record a review request")
    ANSWER_REVIEW = "answer_review", _("Answer the review")
    REQUEST_REREVIEW = "request_rereview", _("Record a re-review request")
    ANSWER_REREVIEW = "answer_rereview", _("Answer the re-review")


# move -> (statuses it may start from, the status it leads to, why it is refused otherwise)
MOVES = {
    Move.ACCEPT: (
        (Status.RECEIVED,),
        Status.ACCEPTED,
        _(
            "Only a newly received matter can be accepted or refused; this one is already “%(status)s”."
        ),
    ),
    Move.REFUSE: (
        (Status.RECEIVED,),
        Status.NOT_ACCEPTED,
        _(
            "Only a newly received matter can be accepted or refused; this one is already “%(status)s”."
        ),
    ),
    Move.ASSIGN: (
        (Status.ACCEPTED, Status.ASSIGNED),
        Status.ASSIGNED,
        _("Accept the matter before assigning it; it is “%(status)s”."),
    ),
    Move.INVESTIGATE: (
        (Status.ASSIGNED,),
        Status.INVESTIGATING,
        _("Assign the matter to a handler before the investigation starts; it is “%(status)s”."),
    ),
    Move.CONCLUDE: (
        (Status.INVESTIGATING,),
        Status.CONCLUDED,
        _("Only a matter under investigation can be concluded; it is “%(status)s”."),
    ),
    Move.REPLY: (
        (Status.CONCLUDED,),
        Status.REPLIED,
        _("Record the findings before replying to the requester; the matter is “%(status)s”."),
    ),
    Move.CLOSE: (
        (Status.REPLIED,),
        Status.CLOSED,
        _(
            "A matter can be closed only after the requester has been replied to; record the reply first (it is “%(status)s”)."
        ),
    ),
    Move.REQUEST_REVIEW: (
        (Status.REPLIED, Status.CLOSED),
        Status.REVIEW,
        _("A review can be requested only after the reply; the matter is “%(status)s”."),
    ),
    Move.ANSWER_REVIEW: (
        (Status.REVIEW,),
        Status.REVIEWED,
        _("Only a matter under review can have its review answered; it is “%(status)s”."),
    ),
    Move.REQUEST_REREVIEW: (
        (Status.REVIEWED,),
        Status.REREVIEW,
        _(
            "A re-review can be requested only after the review has been answered; the matter is “%(status)s”."
        ),
    ),
    Move.ANSWER_REREVIEW: (
        (Status.REREVIEW,),
        Status.REREVIEWED,
        _("Only a matter under re-review can have its re-review answered; it is “%(status)s”."),
    ),
}


class HearingStage(models.TextChoices):
    HANDLING = "handling", _("Handling")
    REVIEW = "review", _("Review")
    REREVIEW = "rereview", _("Re-review")


# --- Rules (admin-editable numbers) ---------------------------------------------------------


def _days_field(label, default):
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MinValueValidator(1), MaxValueValidator(366)]
    )


class HandlingRules(SingletonRules):
    """The limits of the Regulations on Letters and Visits (信访工作条例, 2022), one row."""

    accept_days = _days_field(_("days to decide on acceptance"), 15)
    remit_working_days = _days_field(_("working days to object to a matter outside the remit"), 5)
    reply_days = _days_field(_("days to handle and reply"), 60)
    max_extension_days = _days_field(_("longest extension, in days"), 30)
    review_request_days = _days_field(_("days to request a review after the reply"), 30)
    review_answer_days = _days_field(_("days to answer a review"), 30)
    rereview_request_days = _days_field(_("days to request a re-review after the review"), 30)
    rereview_answer_days = _days_field(_("days to answer a re-review"), 30)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("handling time limits")
        verbose_name_plural = _("handling time limits")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="handling_rules_single_row")]

    def __str__(self):
        return str(_("Handling time limits"))


# --- Complaints -----------------------------------------------------------------------------

# "Overdue": the current limit has passed (days_left from with_deadlines(); negative once the
# last day is behind). The one definition, for filters, counts and the Python twin below.
OVERDUE = Q(days_left__lt=0)


class ComplaintQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Matters are for the handling office only (and administrators), in its subtree."""
        if not can(user, Area.SUPERVISION, Access.READ):
            return self.none()
        return scope_to_subtree(self, user, field="handling_organization")

    def for_statistics(self, user):
        """Rows the user may count (never see one by one): STATS access, same subtree."""
        if not can(user, Area.SUPERVISION, Access.STATS):
            return self.none()
        return scope_to_subtree(self, user, field="handling_organization")

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def with_deadlines(self, today: datetime.date | None = None):
        """Every statutory date of the matter, and the days left on the current one.

        accept_due            received + 15 days
        reply_due             accepted + 60 days + extension (≤ 30) + days in hearings
        review_window_ends    replied + 30 days (last day to request a review)
        review_due            review requested + 30 days + days in hearings
        rereview_window_ends  review answered + 30 days
        rereview_due          re-review requested + 30 days + days in hearings
        current_due           the date the office must meet in the current stage
        days_left             current_due - today (negative: overdue)

        Counted as portal/dates.py counts (DOMAIN.md, "Counting periods"): the start day is
        not counted, a last day on a weekend or holiday moves to the next working day, and a
        hearing from A to B (both included; an open one up to today) adds B − A + 1 days.
        """
        today = today or timezone.localdate()
        today_sql = Value(today, output_field=DateField())

        def hearing_days(stage):
            hearings = (
                Hearing.objects.filter(complaint=OuterRef("pk"), stage=stage)
                .values("complaint")
                .annotate(days=Sum(PauseDays("started_on", Coalesce("ended_on", today_sql))))
                .values("days")
            )
            return Coalesce(Subquery(hearings, output_field=IntegerField()), Value(0))

        qs = self.annotate(
            accept_due=Deadline("received_on", HandlingRules.sql("accept_days")),
            reply_due=Deadline(
                "accepted_on",
                ExpressionWrapper(
                    HandlingRules.sql("reply_days")
                    + Coalesce("extension_days", Value(0))
                    + hearing_days(HearingStage.HANDLING),
                    output_field=IntegerField(),
                ),
            ),
            review_window_ends=Deadline("replied_on", HandlingRules.sql("review_request_days")),
            review_due=Deadline(
                "review_requested_on",
                ExpressionWrapper(
                    HandlingRules.sql("review_answer_days") + hearing_days(HearingStage.REVIEW),
                    output_field=IntegerField(),
                ),
            ),
            rereview_window_ends=Deadline(
                "review_answered_on", HandlingRules.sql("rereview_request_days")
            ),
            rereview_due=Deadline(
                "rereview_requested_on",
                ExpressionWrapper(
                    HandlingRules.sql("rereview_answer_days") + hearing_days(HearingStage.REREVIEW),
                    output_field=IntegerField(),
                ),
            ),
        )
        return qs.annotate(
            current_due=Case(
                When(status=Status.RECEIVED, then=F("accept_due")),
                When(status__in=HANDLING_STATUSES, then=F("reply_due")),
                When(status=Status.REVIEW, then=F("review_due")),
                When(status=Status.REREVIEW, then=F("rereview_due")),
                default=None,
                output_field=DateField(),
            ),
            days_left=DaysBetween("current_due", today_sql),
            # A decision after its limit is allowed but marked late; a refusal because the
            # matter lies outside the remit has the shorter working-day limit.
            decision_late=Case(
                When(decided_on__isnull=True, then=Value(False)),
                When(outside_remit=True, then=Q(decided_on__gt=F("remit_objection_due"))),
                default=Q(decided_on__gt=F("accept_due")),
            ),
            reply_late=Case(
                When(replied_on__isnull=True, then=Value(False)),
                default=Q(replied_on__gt=F("reply_due")),
            ),
        )

    def overdue(self, today: datetime.date | None = None):
        return self.with_deadlines(today).filter(OVERDUE)

    def overdue_first(self):
        """The queue's order: overdue first, then fewest days left, then oldest."""
        return self.order_by(F("days_left").asc(nulls_last=True), "received_on", "pk")


@track(exclude=["secret_hash"])
class Complaint(TimeStampedModel):
    Channel = Channel
    Category = Category
    Status = Status
    Finding = Finding

    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    # Like a password: only the hash is stored; the secret is printed once on the receipt.
    secret_hash = models.CharField(_("secret (hashed)"), max_length=128, editable=False)
    handling_organization = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("handling office"),
        on_delete=models.PROTECT,
        related_name="handled_complaints",
    )
    first_receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first receiver"),
        on_delete=models.PROTECT,
        related_name="received_complaints",
        help_text=_("The first person who received the matter owns it (首问负责制)."),
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_complaints",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    category = models.CharField(
        pgettext_lazy("complaint", "category"), max_length=32, choices=Category.choices
    )
    subject_cadre = models.ForeignKey(
        "cadres.Cadre",
        verbose_name=_("cadre complained about"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    subject_organization = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("organisation complained about"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_about",
    )
    has_specific_clues = models.BooleanField(
        _("has specific, checkable clues"),
        default=False,
        help_text=_("A matter about a cadre with specific clues blocks their appointment."),
    )
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    summary = models.CharField(_("summary"), max_length=120)
    description = models.TextField(
        pgettext_lazy("complaint", "description"),
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )
    materials = models.TextField(
        _("materials received"), blank=True, max_length=1000, validators=[MaxLengthValidator(1000)]
    )
    same_matter_as = models.ForeignKey(
        "self",
        verbose_name=_("same matter as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    received_on = models.DateField(pgettext_lazy("complaint", "received on"))
    remit_objection_due = models.DateField(
        _("object to a matter outside the remit by"),
        help_text=_("Five working days after receipt, counted on the PRC calendar."),
    )
    # Acceptance decision
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    outside_remit = models.BooleanField(_("outside the office's remit"), default=False)
    decision_reason = models.TextField(
        _("reason for the decision"),
        blank=True,
        max_length=2000,
        validators=[MaxLengthValidator(2000)],
    )
    # Handling
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    investigation_started_on = models.DateField(
        _("investigation started on"), null=True, blank=True
    )
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    finding = models.CharField(_("finding"), max_length=16, choices=Finding.choices, blank=True)
    findings = models.TextField(
        pgettext_lazy("complaint", "findings"),
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )
    # The one extension
    extension_days = models.PositiveSmallIntegerField(_("extension (days)"), null=True, blank=True)
    extension_reason = models.TextField(
        _("reason for the extension"),
        blank=True,
        max_length=1000,
        validators=[MaxLengthValidator(1000)],
    )
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("extension approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_extensions",
    )
    extended_on = models.DateField(_("extended on"), null=True, blank=True)
    # Reply and closing
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    reply = models.TextField(
        _("reply"),
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )
    closed_on = models.DateField(pgettext_lazy("complaint", "closed on"), null=True, blank=True)
    # Review (复查) and re-review (复核)
    review_requested_on = models.DateField(_("review requested on"), null=True, blank=True)
    review_answered_on = models.DateField(_("review answered on"), null=True, blank=True)
    review_answer = models.TextField(
        _("review answer"),
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )
    rereview_requested_on = models.DateField(_("re-review requested on"), null=True, blank=True)
    rereview_answered_on = models.DateField(_("re-review answered on"), null=True, blank=True)
    rereview_answer = models.TextField(
        _("re-review answer"),
        blank=True,
        max_length=DESCRIPTION_MAX_LENGTH,
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )
    # The requester's rating of the handling, given at /track/ after the reply.
    rating = models.PositiveSmallIntegerField(
        _("requester's rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["status", "received_on"], name="complaint_status_received"),
            # The queue's default order: its first page is read from the index, not sorted.
            models.Index(fields=["-received_on", "-id"], name="complaint_list_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject_cadre__isnull=False) | Q(subject_organization__isnull=False),
                name="complaint_has_subject",
            ),
            models.CheckConstraint(
                condition=Q(extension_days__isnull=True) | Q(extension_days__gte=1),
                name="complaint_extension_positive",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="complaint_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("received_on")),
                name="complaint_decided_after_receipt",
            ),
        ]

    @property
    def is_overdue(self) -> bool:
        """OVERDUE for a row annotated by with_deadlines()."""
        days_left = getattr(self, "days_left", None)
        return days_left is not None and days_left < 0

    def __str__(self):
        return self.tracking_code

    @property
    def subject(self):
        return self.subject_cadre or self.subject_organization

    def moves(self) -> list[str]:
        """The moves open from the current status (for the matter page's buttons)."""
        return [move for move, (sources, _to, _why) in MOVES.items() if self.status in sources]

    def move(self, move: str) -> None:
        """Change the status by `move`, or raise ValidationError saying why not."""
        sources, target, why = MOVES[move]
        if self.status not in sources:
            raise ValidationError(why % {"status": self.get_status_display()})
        self.status = target


class ReporterIdentity(TimeStampedModel):
    """Who reported (confidential). Absent for an anonymous report.

    Not tracked by pghistory on purpose: an audit snapshot would copy the identity into a
    second table; the reveal log records every reading instead.
    """

    complaint = models.OneToOneField(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.CASCADE,
        related_name="reporter",
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=50, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("reporter's identity")
        verbose_name_plural = _("reporters' identities")

    def __str__(self):
        return str(_("Reporter of %(code)s") % {"code": self.complaint.tracking_code})

    @property
    def identity(self) -> dict:
        """All four fields at once: what a recorded reveal shows."""
        return {
            "name": self.name,
            "unit": self.unit,
            "address": self.address,
            "contact": self.contact,
        }


@track()
class Hearing(TimeStampedModel):
    """A hearing (听证): its days are not counted towards the stage's limit."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="hearings"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=HearingStage.choices)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["started_on", "pk"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="hearing_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["complaint"],
                condition=Q(ended_on__isnull=True),
                name="one_open_hearing_per_complaint",
            ),
        ]

    def __str__(self):
        return f"{self.complaint} · {self.get_stage_display()} · {self.started_on}"


__all__ = [
    "Category",
    "Channel",
    "Complaint",
    "Finding",
    "HandlingRules",
    "Hearing",
    "Move",
    "HearingStage",
    "ReporterIdentity",
    "Status",
]
