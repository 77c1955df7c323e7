"""Post and rank history (effective-dated), and the rules an administrator can change."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.audit import track
from portal.models import SingletonRules, TimeStampedModel
from portal.scoping import scope_to_subtree

from .records import Cadre, PostLevel


class PostRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_to_subtree(self, user, field="cadre__organization")

    def principal(self):
        """Principal posts (a cadre holds one at a time); concurrent posts (兼职) excluded."""
        return self.filter(is_concurrent=False)

    def in_force(self, day):
        """Posts held on `day`: started on or before it, ended after it (end is exclusive)."""
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gt=day), start_date__lte=day)

    def overlapping(self, *, start, end):
        """Posts whose period [start_date, end_date) meets [start, end); open ends are open."""
        rows = self.filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
        return rows if end is None else rows.filter(start_date__lt=end)


@track()
class PostRecord(TimeStampedModel):
    """One post held over a period, with the document (文号) that made it so.

    `end_date` is exclusive: the day the next post began, or the removal's date. An open
    `end_date` is a post still held. A cadre holds one principal post at a time; a
    concurrent post (兼职) may overlap it.
    """

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="posts"
    )
    unit = models.ForeignKey(
        "portal.Organization",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="cadre_posts",
    )
    post_title = models.CharField(_("post"), max_length=100)
    level = models.CharField(_("post level"), max_length=16, choices=PostLevel.choices)
    rank = models.CharField(_("rank"), max_length=50, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until (exclusive)"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=60)
    is_concurrent = models.BooleanField(_("concurrent post"), default=False)
    appointment = models.ForeignKey(
        "cadres.Appointment",
        verbose_name=_("appointment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="post_records",
    )

    objects = PostRecordQuerySet.as_manager()

    class Meta:
        ordering = ["cadre", "-start_date", "-pk"]
        verbose_name = _("post record")
        verbose_name_plural = _("post records")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="post_ends_after_start",
                violation_error_message=_("A post must end after the day it began."),
            ),
            # The database's last word on the rule the service checks in full (periods that
            # overlap): at most one open principal post per cadre.
            models.UniqueConstraint(
                fields=["cadre"],
                condition=Q(end_date__isnull=True, is_concurrent=False),
                name="one_open_principal_post",
                violation_error_message=_(
                    "This cadre already holds an open principal post; end it first or mark "
                    "the new post as concurrent."
                ),
            ),
        ]
        indexes = [models.Index(fields=["cadre", "start_date"], name="post_cadre_start")]

    def __str__(self):
        return f"{self.cadre} · {self.post_title} ({self.start_date:%Y-%m-%d})"


class CadreRules(SingletonRules):
    """The configurable numbers of the cadre work (DOMAIN.md §3), one row.

    Seeded by a data migration with the defaults; an administrator changes them in the
    admin without code.
    """

    probation_months = models.PositiveSmallIntegerField(
        _("probation (months)"), default=12, validators=[MinValueValidator(1)]
    )
    notice_working_days = models.PositiveSmallIntegerField(
        _("public notice (working days)"),
        default=5,
        # The 2019 regulations: the notice runs at least 5 working days; a locality may
        # lengthen it, never shorten it.
        validators=[MinValueValidator(5)],
    )
    reserve_max_per_post = models.DecimalField(
        _("reserve cadres per post, at most"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    reserve_min_women_share = models.DecimalField(
        _("share of women in the reserve pool, at least"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.25"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    four_musts_days = models.PositiveSmallIntegerField(
        _("four musts: days allowed after the inspection starts"),
        default=30,
        validators=[MinValueValidator(1)],
    )
    assessment_due_month = models.PositiveSmallIntegerField(
        _("last year's assessment due: month"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    assessment_due_day = models.PositiveSmallIntegerField(
        _("last year's assessment due: day"),
        default=31,
        validators=[MinValueValidator(1), MaxValueValidator(28 + 3)],
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("cadre work rules")
        verbose_name_plural = _("cadre work rules")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="cadre_rules_single_row"),
        ]

    def __str__(self):
        return str(_("Cadre work rules"))
