"""Villages and their "five ones" (五个一)."""

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from portal.audit import track
from portal.models import Organization, TimeStampedModel
from portal.roles import Capability, may
from portal.scoping import scope_to_subtree


class VillageStatus(models.TextChoices):
    POOR = "poor", _("Poor village (贫困村)")
    EXITED = "exited", _("Exited poor village (出列村)")
    NOT_POOR = "not_poor", _("Not a poor village")


# Poor villages get the five ones; exited villages keep them through the transition period.
FIVE_ONES_STATUSES = (VillageStatus.POOR, VillageStatus.EXITED)


class VillageQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_authenticated and not may(user, Capability.ALL_HOUSEHOLDS):
            # A helper reaches the villages of the households paired with them.
            return self.filter(
                households__pairings__official__user=user,
                households__pairings__end__isnull=True,
            ).distinct()
        return scope_to_subtree(self, user, field="organization")

    def with_household_count(self):
        """Annotate `household_count`, a count per village row (a subquery on the household's
        village index): a list page counts its 25 villages, not a GROUP BY over every
        household before the sort."""
        from .households import Household

        counts = (
            Household.objects.filter(village=OuterRef("pk"))
            .order_by()
            .values("village")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(
            household_count=Coalesce(Subquery(counts, output_field=models.IntegerField()), 0)
        )

    def with_five_ones(self):
        """Annotate `has_team` and `five_ones_complete`: the one definition of completeness."""
        team = Village.work_team.through.objects.filter(village_id=OuterRef("pk"))
        return self.annotate(has_team=Exists(team)).annotate(
            five_ones_complete=models.ExpressionWrapper(
                Q(responsible_leader__isnull=False)
                & Q(assisting_unit__isnull=False)
                & Q(first_secretary__isnull=False)
                & Q(has_team=True)
                & ~Q(technician_name=""),
                output_field=models.BooleanField(),
            )
        )

    def needing_five_ones(self):
        return self.filter(status__in=FIVE_ONES_STATUSES)

    def incomplete(self):
        """Villages that need the five ones and miss at least one."""
        return self.needing_five_ones().with_five_ones().filter(five_ones_complete=False)


@track()
class Village(TimeStampedModel):
    organization = models.OneToOneField(
        Organization,
        verbose_name=_("village organisation"),
        on_delete=models.PROTECT,
        related_name="poverty_village",
        limit_choices_to={"category": Organization.Category.VILLAGE},
    )
    name = models.CharField(_("name"), max_length=50)
    status = models.CharField(
        _("poverty status"),
        max_length=12,
        choices=VillageStatus.choices,
        default=VillageStatus.POOR,
    )
    # The five ones.
    responsible_leader = models.ForeignKey(
        "cadres.Cadre",
        verbose_name=_("responsible county-level leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="villages_led",
    )
    assisting_unit = models.ForeignKey(
        Organization,
        verbose_name=_("assisting unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="villages_assisted",
    )
    first_secretary = models.ForeignKey(
        "cadres.Cadre",
        verbose_name=_("first secretary (第一书记)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="villages_as_first_secretary",
    )
    work_team = models.ManyToManyField(
        "cadres.Cadre",
        verbose_name=_("village work team (驻村工作队)"),
        blank=True,
        related_name="village_teams",
    )
    technician_name = models.CharField(_("agricultural technician"), max_length=50, blank=True)
    technician_phone = models.CharField(_("technician's phone"), max_length=20, blank=True)

    objects = VillageQuerySet.as_manager()

    class Meta:
        ordering = ["organization__path"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")

    def __str__(self):
        return self.name
