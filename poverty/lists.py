"""What each poverty list page shows, written once for the page and for its export: the page
renders a page of these rows, the export writes all of them, with the same filters, so the
two cannot differ."""

import datetime

from django.db.models import Case, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre
from portal import params as parameters
from poverty import selectors
from poverty.forms import HouseholdFilter, VillageFilter
from poverty.models import ExitStage, Household, HouseholdStatus, Member, Pairing, Village
from poverty.models.households import Income, IncomeSource, Relation

# The official list's ?show=: all, under quota, with overdue visits.
OFFICIAL_VIEWS = [("under_quota", _("Under quota")), ("overdue", _("With overdue visits"))]


def household_rows(user):
    """The user's households with the head, the income figures and the official."""
    return (
        Household.objects.visible_to(user)
        .with_head()
        .with_income()
        .with_official()
        .select_related("village__organization__parent")
    )


def households(user, params) -> HouseholdFilter:
    """The household list with the page's filters (filterset.qs)."""
    return HouseholdFilter(params, queryset=household_rows(user), user=user)


def household_register_rows(user, params):
    """The listed households with what the 建档立卡 register prints beside the list's
    columns: the head's ID number."""
    heads = Member.objects.filter(household=OuterRef("pk"), relation=Relation.HEAD)
    return households(user, params).qs.annotate(
        head_id_number=Subquery(heads.values("id_number")[:1])
    )


def household_members(user, params):
    """The members of the households the list shows with the same filters, household by
    household in the list's order, the head first."""
    shown = households(user, params).qs.values("pk")
    head_first = Case(
        When(relation=Relation.HEAD, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Member.objects.filter(household__in=shown)
        .select_related("household")
        .order_by("household__village__organization__path", "household__number", head_first, "pk")
    )


def head_name_of_household():
    """For member rows: the name of their household's head."""
    heads = Member.objects.filter(household=OuterRef("household"), relation=Relation.HEAD)
    return Subquery(heads.values("name")[:1])


def pairings(user, params):
    """The current pairings of the households the list shows with the same filters."""
    shown = households(user, params).qs.values("pk")
    return (
        Pairing.objects.active()
        .filter(household__in=shown)
        .with_next_visit_due()
        .with_head()
        .select_related("household__village", "official__organization")
        .order_by("household__village__organization__path", "household__number", "pk")
    )


def villages(user, params) -> VillageFilter:
    base = (
        Village.objects.visible_to(user)
        .with_five_ones()
        .with_household_count()
        .order_by("organization__path")
        .select_related(
            "organization__parent",
            "responsible_leader",
            "assisting_unit",
            "first_secretary",
        )
        .prefetch_related("work_team")
    )
    return VillageFilter(params, queryset=base)


def official_view(params, request=None) -> str:
    """The official list's ?show=; a value it does not know is ignored, with a message when
    there is a `request` to tell (the page, not its export)."""
    return parameters.choice(request, "show", OFFICIAL_VIEWS, label=_("Show"), source=params)


def officials(user, params, today: datetime.date):
    """Officials with their quota, households and overdue visits (?show= narrows them)."""
    rows = (
        selectors.officials_with_coverage(Cadre.objects.visible_to(user), today)
        .filter(Q(quota__isnull=False) | Q(households__gt=0))
        .select_related("organization")
    )
    show = official_view(params)
    if show == "under_quota":
        rows = rows.filter(under_quota=True)
    elif show == "overdue":
        rows = rows.filter(overdue__gt=0)
    return rows.order_by("-under_quota", "-overdue", "name", "pk")


def overdue_pairings(user, today: datetime.date):
    """Pairings whose visit is overdue, the longest overdue first."""
    return (
        Pairing.objects.visible_to(user)
        .overdue(today)
        .with_head()
        .select_related("household__village", "official__organization")
        .order_by("next_visit_due", "pk")
    )


def exit_stage(params, request=None) -> str:
    """The exit list's ?stage= (one stage of the procedure, or all)."""
    return parameters.choice(request, "stage", ExitStage.choices, label=_("Stage"), source=params)


def exits(user, params):
    """The exit pipeline: households in the procedure, by stage (?stage= one of them)."""
    rows = (
        Household.objects.visible_to(user)
        .exclude(exit_stage="")
        .with_head()
        .with_exit_gate()
        .select_related("village__organization")
        .order_by("exit_stage", "exit_notice_ends_on", "pk")
    )
    stage = exit_stage(params)
    return rows.filter(exit_stage=stage) if stage else rows


def at_risk_count(user) -> int:
    return Household.objects.visible_to(user).filter(status=HouseholdStatus.AT_RISK).count()


def with_incomes(households_qs):
    """Annotate `income_<source>`: the household's yearly amount from each source (the
    household import's income columns)."""
    annotations = {
        f"income_{source}": Subquery(
            Income.objects.filter(household=OuterRef("pk"), source=source).values("amount")[:1]
        )
        for source in IncomeSource.values
    }
    return households_qs.annotate(**annotations)
