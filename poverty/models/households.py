"""Registered households (建档立卡贫困户): members, income, assistance measures, exit."""

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.audit import track
from portal.choices import Education
from portal.idnumbers import IdNumberField
from portal.models import TimeStampedModel
from portal.roles import Capability, may
from portal.scoping import scope_to_subtree

from .rules import rule_value


class HouseholdStatus(models.TextChoices):
    POOR = "poor", _("In poverty")
    EXITED = "exited", _("Exited")
    AT_RISK = "at_risk", _("At risk of falling back")


# At-risk households (防止返贫监测) are visited like households in poverty.
VISITED_STATUSES = (HouseholdStatus.POOR, HouseholdStatus.AT_RISK)


class HouseholdKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary")
    DIBAO = "dibao", _("Minimum living allowance (低保)")
    WUBAO = "wubao", _("Five guarantees (五保)")


class Standard(models.TextChoices):
    NATIONAL = "national", _("National standard")
    PROVINCIAL = "provincial", _("Provincial standard")


class Cause(models.TextChoices):
    ILLNESS = "illness", _("Illness")
    DISABILITY = "disability", _("Disability")
    SCHOOLING = "schooling", _("Schooling")
    DISASTER = "disaster", _("Disaster")
    LAND = "land", _("Lack of land")
    WATER = "water", _("Lack of water")
    SKILLS = "skills", _("Lack of skills")
    LABOUR = "labour", _("Lack of labour")
    FUNDS = "funds", _("Lack of funds")
    TRANSPORT = "transport", _("Poor transport")
    MOTIVATION = "motivation", _("Lack of motivation")
    OTHER = "other", _("Other")


class Housing(models.TextChoices):
    BRICK_CONCRETE = "brick_concrete", _("Brick and concrete")
    BRICK_WOOD = "brick_wood", _("Brick and wood")
    EARTH_WOOD = "earth_wood", _("Earth and wood")
    OTHER = "other", _("Other")


class Water(models.TextChoices):
    PIPED = "piped", _("Piped water")
    WELL = "well", _("Well")
    SPRING = "spring", _("Spring or stream")
    DELIVERED = "delivered", _("Delivered by truck")


class Electricity(models.TextChoices):
    GRID = "grid", _("Grid")
    OFF_GRID = "off_grid", _("Off-grid (solar)")
    NONE = "none", pgettext_lazy("electricity", "None")


class ExitStage(models.TextChoices):
    """The exit procedure, in order; a household leaves it as exited (or back to none)."""

    NONE = "", _("Not in the exit procedure")
    VILLAGE_REVIEW = "village_review", _("Village review")
    CHECKS = "checks", _("Checks by the village committees and work team")
    AGREEMENT = "agreement", _("Household's agreement")
    NOTICE = "notice", pgettext_lazy("exit", "Public notice")


# "Two no-worries, three guarantees" (两不愁三保障) and safe drinking water: all must be met.
GUARANTEES = (
    ("food_met", _("Food")),
    ("clothing_met", _("Clothing")),
    ("education_met", _("Compulsory education")),
    ("medical_met", _("Basic medical care")),
    ("housing_met", _("Safe housing")),
    ("water_met", _("Safe drinking water")),
)


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user.is_authenticated and not may(user, Capability.ALL_HOUSEHOLDS):
            # A helper reaches only the households paired with them now.
            return self.filter(pairings__official__user=user, pairings__end__isnull=True)
        return scope_to_subtree(self, user, field="village__organization")

    def with_head(self):
        heads = Member.objects.filter(household=OuterRef("pk"), relation=Relation.HEAD)
        return self.annotate(head_name=Subquery(heads.values("name")[:1]))

    def with_official(self):
        """Annotate `official_name`: the current responsible official."""
        from .pairings import Pairing

        current = Pairing.objects.filter(household=OuterRef("pk"), end__isnull=True)
        return self.annotate(official_name=Subquery(current.values("official__name")[:1]))

    def with_income(self):
        """Annotate `member_count`, `total_income` and `net_income_per_head` (never stored)."""
        members = (
            Member.objects.filter(household=OuterRef("pk"))
            .values("household")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        incomes = (
            Income.objects.filter(household=OuterRef("pk"))
            .values("household")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        money = DecimalField(max_digits=12, decimal_places=2)
        return self.annotate(
            member_count=Coalesce(Subquery(members), 0),
            total_income=Coalesce(Subquery(incomes, output_field=money), 0, output_field=money),
        ).annotate(
            net_income_per_head=ExpressionWrapper(
                F("total_income") / NullIf(F("member_count"), 0), output_field=money
            )
        )

    def with_exit_gate(self):
        """Annotate `guarantees_met`, `income_above_line` and `exit_gate_open`: the exit rule."""
        all_met = Q()
        for field, _label in GUARANTEES:
            all_met &= Q(**{field: True})
        return (
            self.with_income()
            .annotate(
                guarantees_met=ExpressionWrapper(all_met, output_field=models.BooleanField()),
                income_above_line=ExpressionWrapper(
                    Q(net_income_per_head__gt=rule_value("poverty_line")),
                    output_field=models.BooleanField(),
                ),
            )
            .annotate(
                exit_gate_open=ExpressionWrapper(
                    Q(guarantees_met=True) & Q(income_above_line=True),
                    output_field=models.BooleanField(),
                )
            )
        )

    def with_cause(self, cause: str):
        return self.filter(Q(main_cause=cause) | Q(extra_causes__contains=[cause]))

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        heads = Member.objects.filter(
            household=OuterRef("pk"), relation=Relation.HEAD, name__contains=text
        )
        return self.filter(
            Q(number__icontains=text) | Q(village__name__contains=text) | models.Exists(heads)
        )


@track()
class Household(TimeStampedModel):
    Status = HouseholdStatus

    number = models.CharField(_("registration number"), max_length=30, unique=True)
    village = models.ForeignKey(
        "poverty.Village",
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="households",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    standard = models.CharField(
        _("standard used"), max_length=12, choices=Standard.choices, default=Standard.NATIONAL
    )
    kind = models.CharField(
        _("type"), max_length=12, choices=HouseholdKind.choices, default=HouseholdKind.ORDINARY
    )
    main_cause = models.CharField(_("main cause of poverty"), max_length=12, choices=Cause.choices)
    extra_causes = ArrayField(
        models.CharField(max_length=12, choices=Cause.choices),
        verbose_name=_("other causes"),
        size=2,
        default=list,
        blank=True,
    )
    housing = models.CharField(
        _("housing"), max_length=16, choices=Housing.choices, default=Housing.BRICK_WOOD
    )
    water = models.CharField(_("water"), max_length=12, choices=Water.choices, default=Water.PIPED)
    electricity = models.CharField(
        _("electricity"), max_length=12, choices=Electricity.choices, default=Electricity.GRID
    )
    status = models.CharField(
        _("status"), max_length=12, choices=HouseholdStatus.choices, default=HouseholdStatus.POOR
    )
    # Two no-worries, three guarantees, as recorded by the checks.
    food_met = models.BooleanField(_("food: no worries"), default=False)
    clothing_met = models.BooleanField(_("clothing: no worries"), default=False)
    education_met = models.BooleanField(_("compulsory education guaranteed"), default=False)
    medical_met = models.BooleanField(_("basic medical care guaranteed"), default=False)
    housing_met = models.BooleanField(_("safe housing guaranteed"), default=False)
    water_met = models.BooleanField(_("safe drinking water guaranteed"), default=False)
    # The exit procedure.
    exit_stage = models.CharField(
        _("exit procedure"), max_length=16, choices=ExitStage.choices, default="", blank=True
    )
    exit_notice_ends_on = models.DateField(_("public notice ends on"), null=True, blank=True)
    exited_on = models.DateField(_("exited on"), null=True, blank=True)
    at_risk_since = models.DateField(_("flagged at risk on"), null=True, blank=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["village__organization__path", "number"]
        verbose_name = _("registered household")
        verbose_name_plural = _("registered households")
        constraints = [
            models.CheckConstraint(
                condition=Q(exit_stage="") | Q(status=HouseholdStatus.POOR),
                name="household_exit_procedure_only_in_poverty",
            ),
            models.CheckConstraint(
                condition=~Q(exit_stage=ExitStage.NOTICE) | Q(exit_notice_ends_on__isnull=False),
                name="household_notice_has_end",
            ),
            models.CheckConstraint(
                condition=Q(status=HouseholdStatus.POOR) | Q(exited_on__isnull=False),
                name="household_exited_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=HouseholdStatus.AT_RISK) | Q(at_risk_since__isnull=False),
                name="household_at_risk_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.number} · {self.village}"

    @property
    def causes_display(self) -> list[str]:
        labels = dict(Cause.choices)
        return [labels[self.main_cause], *(labels.get(c, c) for c in self.extra_causes)]

    @property
    def guarantee_rows(self) -> list[tuple[str, bool]]:
        return [(label, getattr(self, field)) for field, label in GUARANTEES]


class Relation(models.TextChoices):
    HEAD = "head", _("Household head")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    GRANDCHILD = "grandchild", _("Grandchild")
    OTHER = "other", _("Other relative")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("Healthy")
    CHRONIC = "chronic", _("Chronic illness")
    SERIOUS = "serious", _("Serious illness")
    DISABLED = "disabled", pgettext_lazy("health", "Disabled")


class Labour(models.TextChoices):
    NORMAL = "normal", _("Ordinary labour")
    SKILLED = "skilled", _("Skilled labour")
    WEAK = "weak", _("Weak labour")
    LOST = "lost", _("Lost labour capacity")
    NONE = "none", _("No labour (child, student or elderly)")


@track()
class Member(TimeStampedModel):
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    id_number = IdNumberField(_("ID number"), unique=True)
    relation = models.CharField(_("relation to the head"), max_length=12, choices=Relation.choices)
    education = models.CharField(
        _("education"), max_length=16, choices=Education.choices, blank=True
    )
    health = models.CharField(
        _("health"), max_length=12, choices=Health.choices, default=Health.HEALTHY
    )
    labour = models.CharField(
        _("labour capacity"), max_length=12, choices=Labour.choices, default=Labour.NORMAL
    )
    migrant_worker = models.BooleanField(_("works away from home"), default=False)
    medical_insurance = models.BooleanField(_("basic medical insurance"), default=True)
    pension_insurance = models.BooleanField(_("basic pension insurance"), default=False)

    class Meta:
        ordering = ["household", "relation", "pk"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(relation=Relation.HEAD),
                name="member_one_head_per_household",
            ),
        ]

    def __str__(self):
        return self.name


class IncomeSource(models.TextChoices):
    WAGES = "wages", _("Wages (工资性收入)")
    PRODUCTION = "production", _("Production and business, net of costs (生产经营性收入)")
    PROPERTY = "property", _("Property (财产性收入)")
    TRANSFER = "transfer", _("Transfers (转移性收入)")


@track()
class Income(TimeStampedModel):
    """The household's yearly income from one source; net income per head is computed."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="incomes"
    )
    source = models.CharField(_("source"), max_length=12, choices=IncomeSource.choices)
    amount = models.DecimalField(
        _("amount per year (yuan)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        ordering = ["household", "source"]
        verbose_name = _("income")
        verbose_name_plural = _("incomes")
        constraints = [
            models.UniqueConstraint(fields=["household", "source"], name="income_one_per_source"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="income_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_source_display()}: {self.amount}"


class MeasureKind(models.TextChoices):
    INDUSTRY = "industry", _("Industry")
    EMPLOYMENT = "employment", _("Employment")
    EDUCATION = "education", pgettext_lazy("assistance", "Education")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing")
    RELOCATION = "relocation", _("Relocation")
    FINANCE = "finance", _("Finance")


@track()
class Measure(TimeStampedModel):
    """An assistance measure given to a household."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="measures"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MeasureKind.choices)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    date = models.DateField(_("date"))
    note = models.CharField(_("what was done"), max_length=200, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("assistance measure")
        verbose_name_plural = _("assistance measures")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="measure_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} ({self.date})"
