"""Selection and appointment (干部选拔任用): the workflow, the four musts, public notice."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from portal import majorities
from portal.audit import track
from portal.models import TimeStampedModel
from portal.scoping import scope_to_subtree

from .records import Cadre, PostLevel


class Stage(models.TextChoices):
    """Where an appointment stands: the step in progress (or the outcome)."""

    MOTION = "motion", _("Motion")
    RECOMMENDATION = "recommendation", _("Democratic recommendation")
    INSPECTION = "inspection", _("Inspection")
    DECIDED = "decided", _("Decided")
    NOTICE = "notice", _("Public notice")
    PROBATION = "probation", _("Probation")
    APPOINTED = "appointed", _("Appointed")
    CONFIRMED = "confirmed", _("Confirmed")
    RETURNED = "returned", _("Returned to previous rank")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The legal moves. Every status change goes through Appointment.move_to(), which checks it.
MOVES: dict[str, tuple[str, ...]] = {
    Stage.MOTION: (Stage.RECOMMENDATION, Stage.WITHDRAWN),
    Stage.RECOMMENDATION: (Stage.INSPECTION, Stage.WITHDRAWN),
    Stage.INSPECTION: (Stage.DECIDED, Stage.REJECTED, Stage.WITHDRAWN),
    Stage.DECIDED: (Stage.NOTICE, Stage.WITHDRAWN),
    Stage.NOTICE: (Stage.PROBATION, Stage.APPOINTED, Stage.WITHDRAWN),
    Stage.PROBATION: (Stage.CONFIRMED, Stage.RETURNED),
    Stage.APPOINTED: (),
    Stage.CONFIRMED: (),
    Stage.RETURNED: (),
    Stage.REJECTED: (),
    Stage.WITHDRAWN: (),
}
IN_PROGRESS = (
    Stage.MOTION,
    Stage.RECOMMENDATION,
    Stage.INSPECTION,
    Stage.DECIDED,
    Stage.NOTICE,
    Stage.PROBATION,
)


class FourMust(models.TextChoices):
    """凡提四必: all four are required before the decision."""

    FILE_REVIEWED = "file", _("Personnel file reviewed (干部人事档案必审)")
    MATTERS_VERIFIED = "matters", _("Personal-matters report verified (个人有关事项报告必核)")
    DISCIPLINE_HEARD = "discipline", _("Discipline inspection opinion heard (纪检监察机关意见必听)")
    COMPLAINTS_CHECKED = (
        "complaints",
        _("Complaints with specific clues investigated (线索具体的信访举报必查)"),
    )


class AppointmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_to_subtree(self, user, field="cadre__organization")

    def in_progress(self):
        return self.filter(stage__in=IN_PROGRESS)

    def with_blockers(self):
        """Annotate what holds each appointment back, in SQL: `open_musts` (four-musts items
        not done) and `open_objection` (an unresolved objection to the public notice).

        A running notice period is read from `notice_ends_on`; complaints come from the
        supervision app (cadres.selectors.blocking_complaints_by_cadre).
        """
        return self.annotate(
            open_musts=Count("four_musts", filter=Q(four_musts__checked_on__isnull=True)),
            open_objection=Exists(
                NoticeObjection.objects.filter(appointment=OuterRef("pk"), resolved_on__isnull=True)
            ),
        )


@track()
class Appointment(TimeStampedModel):
    """One selection and appointment of one cadre to one post, from motion to confirmation."""

    Stage = Stage

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="appointments"
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.MOTION, editable=False
    )
    proposed_unit = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("proposed unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_title = models.CharField(_("proposed post"), max_length=100)
    proposed_level = models.CharField(
        _("proposed post level"), max_length=16, choices=PostLevel.choices
    )
    proposed_rank = models.CharField(_("proposed rank"), max_length=50, blank=True)
    is_concurrent = models.BooleanField(_("concurrent post"), default=False)
    post_to_remove = models.ForeignKey(
        "cadres.PostRecord",
        verbose_name=_("post to be removed"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason for appointment"), blank=True)
    with_probation = models.BooleanField(
        _("with probation"),
        default=True,
        help_text=_("A non-elected promotion serves a probation year."),
    )
    # Motion (动议)
    motion_on = models.DateField(_("motion made on"))
    # Democratic recommendation (民主推荐)
    recommended_on = models.DateField(_("recommended on"), null=True, blank=True)
    recommendation_note = models.TextField(_("recommendation result"), blank=True)
    # Inspection (考察)
    inspection_started_on = models.DateField(_("inspection started on"), null=True, blank=True)
    # Discussion and decision (讨论决定)
    meeting_on = models.DateField(_("committee meeting on"), null=True, blank=True)
    members_due = models.PositiveSmallIntegerField(_("members due"), null=True, blank=True)
    members_present = models.PositiveSmallIntegerField(_("members present"), null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    # Public notice (任前公示): the start day is not counted (see services.workflow)
    notice_starts_on = models.DateField(_("notice published on"), null=True, blank=True)
    notice_ends_on = models.DateField(_("notice ends on"), null=True, blank=True)
    # Appointment (任职) and probation (试用期)
    appointed_on = models.DateField(_("appointed on"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    probation_ends_on = models.DateField(_("probation ends on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_note = models.TextField(_("closing note"), blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["-motion_on", "-pk"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.CheckConstraint(
                condition=Q(members_present__lte=models.F("members_due"))
                | Q(members_present__isnull=True),
                name="appointment_present_within_due",
                violation_error_message=_("More members present than due to attend."),
            ),
            models.CheckConstraint(
                condition=Q(votes_for__lte=models.F("members_present")) | Q(votes_for__isnull=True),
                name="appointment_votes_within_present",
                violation_error_message=_("More votes for than members present."),
            ),
            models.CheckConstraint(
                condition=Q(notice_ends_on__gt=models.F("notice_starts_on"))
                | Q(notice_starts_on__isnull=True),
                name="appointment_notice_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["stage"], name="appointment_stage")]

    def __str__(self):
        return f"{self.cadre} → {self.proposed_title}"

    @property
    def proposed_post(self) -> str:
        """The post as pages show it: "青龙镇党委 · 青龙镇副镇长", never run together."""
        return f"{self.proposed_unit.name} · {self.proposed_title}"

    def move_to(self, stage: str) -> None:
        """Change the stage, refusing a move the workflow does not allow (STYLE rule 4)."""
        if stage not in MOVES[self.stage]:
            raise ValidationError(
                _(
                    "An appointment at the stage “%(current)s” cannot move to “%(target)s”; "
                    "finish the current step first."
                ),
                code="illegal_move",
                params={"current": self.get_stage_display(), "target": Stage(stage).label},
            )
        self.stage = stage

    def decision_passes(self) -> bool:
        """More than half of the members due to attend voted for (2019 regulations, art. 30)."""
        return self.votes_for is not None and majorities.more_than_half(
            self.votes_for, self.members_due
        )


class FourMustCheckQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_to_subtree(self, user, field="appointment__cadre__organization")

    def open(self):
        return self.filter(checked_on__isnull=True)


@track()
class FourMustCheck(TimeStampedModel):
    """One of the four musts for one appointment: who checked, when, and what they found."""

    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment"),
        on_delete=models.CASCADE,
        related_name="four_musts",
    )
    item = models.CharField(_("check"), max_length=16, choices=FourMust.choices)
    checked_by = models.CharField(_("checked by"), max_length=50, blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = FourMustCheckQuerySet.as_manager()

    class Meta:
        ordering = ["appointment", "item"]
        verbose_name = _("four-musts check")
        verbose_name_plural = _("four-musts checks")
        constraints = [
            models.UniqueConstraint(fields=["appointment", "item"], name="one_check_per_item"),
        ]

    def __str__(self):
        return self.get_item_display()


class ObjectionOutcome(models.TextChoices):
    DISMISSED = "dismissed", _("Not substantiated: the appointment goes on")
    UPHELD = "upheld", _("Substantiated: the appointment is withdrawn")


@track()
class NoticeObjection(TimeStampedModel):
    """An objection raised during the public notice; it pauses the process until resolved."""

    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment"),
        on_delete=models.CASCADE,
        related_name="objections",
    )
    received_on = models.DateField(_("received on"))
    summary = models.TextField(_("objection"))
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=ObjectionOutcome.choices, blank=True
    )
    resolution = models.TextField(_("findings"), blank=True)

    class Meta:
        ordering = ["appointment", "received_on", "pk"]
        verbose_name = _("objection to a public notice")
        verbose_name_plural = _("objections to public notices")
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True, outcome="")
                | Q(resolved_on__isnull=False) & ~Q(outcome=""),
                name="objection_resolved_with_outcome",
            ),
        ]

    def __str__(self):
        return f"{self.appointment} · {self.received_on:%Y-%m-%d}"
