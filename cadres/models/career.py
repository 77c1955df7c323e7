"""Assessments, training, rewards and penalties, fault tolerance, the reserve pool."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.audit import track
from portal.models import TimeStampedModel
from portal.scoping import scope_to_subtree

from .records import Cadre, PostLevel, StaffCategory


class CadreOwnedQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_to_subtree(self, user, field="cadre__organization")


class AssessmentGrade(models.TextChoices):
    # Civil servants (公务员)
    EXCELLENT = "excellent", _("Excellent")
    COMPETENT = "competent", _("Competent")
    BASICALLY_COMPETENT = "basically_competent", _("Basically competent")
    INCOMPETENT = "incompetent", _("Incompetent")
    # Public-institution staff (事业单位) share "excellent"
    QUALIFIED = "qualified", _("Qualified")
    BASICALLY_QUALIFIED = "basically_qualified", _("Basically qualified")
    UNQUALIFIED = "unqualified", _("Unqualified")
    # Not graded (e.g. new recruits within the year): 不定等次
    NOT_GRADED = "not_graded", _("Not graded")


GRADES_FOR = {
    StaffCategory.CIVIL_SERVANT: (
        AssessmentGrade.EXCELLENT,
        AssessmentGrade.COMPETENT,
        AssessmentGrade.BASICALLY_COMPETENT,
        AssessmentGrade.INCOMPETENT,
        AssessmentGrade.NOT_GRADED,
    ),
    StaffCategory.INSTITUTION: (
        AssessmentGrade.EXCELLENT,
        AssessmentGrade.QUALIFIED,
        AssessmentGrade.BASICALLY_QUALIFIED,
        AssessmentGrade.UNQUALIFIED,
        AssessmentGrade.NOT_GRADED,
    ),
}


@track()
class Assessment(TimeStampedModel):
    """Annual assessment (年度考核): one per cadre per year."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1950)])
    grade = models.CharField(_("result"), max_length=24, choices=AssessmentGrade.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = CadreOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["cadre", "-year"]
        verbose_name = _("annual assessment")
        verbose_name_plural = _("annual assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["cadre", "year"],
                name="one_assessment_per_cadre_year",
                violation_error_message=_(
                    "This cadre already has an assessment for that year; correct that one "
                    "instead of adding a second."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.cadre} {self.year}: {self.get_grade_display()}"


class TrainingQuerySet(CadreOwnedQuerySet):
    def hours_per_year(self):
        """Total class hours and courses per cadre and year."""
        return (
            self.values("cadre_id", "start_date__year")
            .annotate(hours=Sum("class_hours"), courses=Count("pk"))
            .order_by("-start_date__year")
        )


@track()
class Training(TimeStampedModel):
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="trainings"
    )
    course = models.CharField(_("course"), max_length=150)
    organizer = models.CharField(_("organised by"), max_length=100, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    class_hours = models.DecimalField(
        _("class hours"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)]
    )

    objects = TrainingQuerySet.as_manager()

    class Meta:
        ordering = ["cadre", "-start_date", "pk"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="training_ends_after_start",
                violation_error_message=_("A course cannot end before it starts."),
            ),
            models.CheckConstraint(condition=Q(class_hours__gt=0), name="training_has_hours"),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.course}"


class MeritKind(models.TextChoices):
    REWARD = "reward", _("Reward")
    PENALTY = "penalty", _("Penalty")
    PARTY_DISCIPLINE = "party_discipline", _("Party discipline")
    ADMIN_DISCIPLINE = "admin_discipline", _("Administrative discipline")


@track()
class Merit(TimeStampedModel):
    """A reward, penalty, or Party or administrative discipline (奖惩情况)."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="merits"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeritKind.choices)
    decided_on = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=200)
    authority = models.CharField(_("decided by"), max_length=100, blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)

    objects = CadreOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["cadre", "-decided_on", "pk"]
        verbose_name = _("reward or penalty")
        verbose_name_plural = _("rewards and penalties")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.description}"


@track()
class FaultToleranceCase(TimeStampedModel):
    """容错纠错: an error made while boldly reforming, and the decision to excuse it."""

    cadre = models.ForeignKey(
        Cadre,
        verbose_name=_("cadre"),
        on_delete=models.CASCADE,
        related_name="fault_tolerance_cases",
    )
    error = models.TextField(_("the error"))
    decision = models.TextField(pgettext_lazy("fault tolerance", "decision"))
    decided_on = models.DateField(_("decided on"))
    correction = models.TextField(_("correction measures"), blank=True)

    objects = CadreOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["cadre", "-decided_on", "pk"]
        verbose_name = _("fault-tolerance case")
        verbose_name_plural = _("fault-tolerance cases")

    def __str__(self):
        return f"{self.cadre} · {self.decided_on:%Y-%m-%d}"


class ReserveEntryQuerySet(CadreOwnedQuerySet):
    def active(self, on):
        return self.filter(Q(removed_on__isnull=True) | Q(removed_on__gt=on), added_on__lte=on)


@track()
class ReserveEntry(TimeStampedModel):
    """A cadre in the reserve pool (后备干部) for a post level, over a period."""

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="reserve_entries"
    )
    level = models.CharField(_("reserve for post level"), max_length=16, choices=PostLevel.choices)
    added_on = models.DateField(_("added on"))
    removed_on = models.DateField(_("removed on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ReserveEntryQuerySet.as_manager()

    class Meta:
        ordering = ["level", "cadre__name", "pk"]
        verbose_name = _("reserve-pool entry")
        verbose_name_plural = _("reserve-pool entries")
        constraints = [
            models.UniqueConstraint(
                fields=["cadre"],
                condition=Q(removed_on__isnull=True),
                name="one_open_reserve_entry",
                violation_error_message=_(
                    "This cadre is already in the reserve pool; remove the current entry first."
                ),
            ),
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=models.F("added_on")),
                name="reserve_removed_after_added",
            ),
        ]

    def __str__(self):
        return f"{self.cadre} · {self.get_level_display()}"
