"""Pairings (结对帮扶): an official responsible for a household, and the visits (走访)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Greatest
from django.utils.translation import gettext_lazy as _

from portal.audit import track
from portal.dates import AddMonths
from portal.models import TimeStampedModel
from portal.roles import Capability, may
from portal.scoping import scope_to_subtree
from portal.uploads import stored_name

from .households import VISITED_STATUSES, Household, Member, Relation
from .rules import rule_value

# The township is the second level of the tree: the first two path segments (county/township/).
TOWNSHIP_PATH_LENGTH = 2 * 7


class PairingQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_authenticated and not may(user, Capability.ALL_HOUSEHOLDS):
            return self.filter(official__user=user)
        return scope_to_subtree(self, user, field="household__village__organization")

    def active(self):
        return self.filter(end__isnull=True)

    def requiring_visits(self):
        """Active pairings of households in poverty or at risk: these must be visited."""
        return self.active().filter(household__status__in=VISITED_STATUSES)

    def with_next_visit_due(self):
        """Annotate `last_visit_on` and `next_visit_due`: THE visit-interval rule.

        Due = the later of the pairing's start and its last visit, plus the configured
        interval in calendar months. A reassigned household starts a fresh interval with its
        new official (visits belong to the pairing that made them).
        """
        # The newest visit straight from the visit_pairing_date index (pairing, -date): one
        # index probe a pairing. (Max() with GROUP BY read every visit of the pairing.)
        last_visit = (
            Visit.objects.filter(pairing=OuterRef("pk")).order_by("-date").values("date")[:1]
        )
        return self.annotate(last_visit_on=Subquery(last_visit)).annotate(
            next_visit_due=AddMonths(
                Greatest(F("start"), F("last_visit_on")), rule_value("visit_interval_months")
            )
        )

    def overdue(self, today):
        """Pairings that required a visit and had none within the interval before `today`."""
        return self.requiring_visits().with_next_visit_due().filter(next_visit_due__lt=today)

    def with_overdue_flag(self, today):
        """Annotate `is_overdue` from the same rule as `overdue()` (no Python twin)."""
        overdue = Pairing.objects.overdue(today).filter(pk=OuterRef("pk"))
        return self.annotate(is_overdue=Exists(overdue))

    def with_head(self):
        heads = Member.objects.filter(household=OuterRef("household"), relation=Relation.HEAD)
        return self.annotate(head_name=Subquery(heads.values("name")[:1]))

    def rollup(self, group_by: str, today, *, labels: tuple[str, ...] = ()):
        """Coverage and overdue counts grouped by `group_by` (one GROUP BY query); `labels`
        are fields that depend on it (a unit's name), fetched in the same query."""
        return (
            self.requiring_visits()
            .with_next_visit_due()
            .values(group_by, *labels)
            .annotate(
                pairings=Count("pk"),
                overdue=Count("pk", filter=Q(next_visit_due__lt=today)),
            )
            .order_by(*labels, group_by)
        )

    def with_township_path(self):
        return self.annotate(
            township_path=models.functions.Left(
                "household__village__organization__path", TOWNSHIP_PATH_LENGTH
            )
        )


def count_per_official(pairings: PairingQuerySet):
    """A scalar subquery counting `pairings` of the outer cadre (for Cadre annotations)."""
    counted = (
        pairings.filter(official=OuterRef("pk"))
        .order_by()
        .values("official")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return models.functions.Coalesce(Subquery(counted), 0)


@track()
class Pairing(TimeStampedModel):
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="pairings"
    )
    official = models.ForeignKey(
        "cadres.Cadre",
        verbose_name=_("responsible official"),
        on_delete=models.PROTECT,
        related_name="poverty_pairings",
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)

    objects = PairingQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(end__isnull=True),
                name="pairing_one_active_per_household",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="pairing_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["official", "end"], name="pairing_official_end")]

    def __str__(self):
        return f"{self.official} → {self.household}"


class VisitKind(models.TextChoices):
    HOME = "home", _("Home visit")
    PHONE = "phone", _("Phone call")


@track()
class Visit(TimeStampedModel):
    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="visits"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=VisitKind.choices)
    findings = models.TextField(_("what was found"))
    actions = models.TextField(_("what was done"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["pairing", "-date"], name="visit_pairing_date")]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()}"


def visit_photo_path(instance, filename: str) -> str:
    # A random name: the file's name never carries the household's or the person's identity.
    # `filename` is the cleaned file's (portal.uploads): its extension names the type written.
    directory = f"poverty/visits/{instance.visit.date:%Y/%m}"
    return stored_name(directory, filename, stem=uuid.uuid4().hex)


class VisitPhoto(TimeStampedModel):
    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to=visit_photo_path)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self):
        return self.image.name
