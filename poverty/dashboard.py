"""The poverty dashboard's charts (issue #11): households by status and main cause, overdue
visits and five-ones completeness per child organisation, exits by month.

SQL aggregates through the app's own rules: a visit is overdue by `Pairing.rollup()` (the
visit-interval rule `with_next_visit_due()`), a village's five ones by `with_five_ones()`; the
groups per child organisation are prefixes of the materialized path, like the grassroots
rollup. Each number links to the list of what it counts (household list filtered by status,
cause or township; the overdue list; the incomplete villages).
"""

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.db.models.functions import Substr, TruncMonth
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import dates
from portal.charts import STATUS_COLOURS, Chart, Series
from portal.models import Organization
from portal.models.organizations import PATH_STEP
from portal.scoping import in_subtree
from poverty.models import Cause, Household, HouseholdStatus, Pairing, Village

EXIT_MONTHS = 12


def _url(name, *args, **params) -> str:
    url = reverse(name, args=args)
    params = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def _township_filter(organization: Organization) -> dict:
    """The household list's township filter, where the organisation is a township."""
    return {"township": organization.pk} if organization.depth == 1 else {}


def households(organization: Organization) -> list[Chart]:
    """Households of the subtree by status, and those in poverty or at risk by main cause
    (one query of conditional counts)."""
    rows = in_subtree(Household.objects.all(), organization, field="village__organization")
    township = _township_filter(organization)
    counts = {
        f"status_{value}": Count("pk", filter=Q(status=value)) for value in HouseholdStatus.values
    }
    not_exited = ~Q(status=HouseholdStatus.EXITED)
    counts.update(
        {
            f"cause_{value}": Count("pk", filter=Q(main_cause=value) & not_exited)
            for value in Cause.values
        }
    )
    totals = rows.aggregate(**counts)
    status = Chart(
        id="households-by-status",
        title=_("Households by status"),
        kind="pie",
        category_label=_("Status"),
        categories=[label for _value, label in HouseholdStatus.choices],
        series=[
            Series(
                _("Households"),
                [totals[f"status_{value}"] for value in HouseholdStatus.values],
                [
                    _url("poverty:household-list", status=value, **township)
                    for value in HouseholdStatus.values
                ],
            )
        ],
    )
    causes = [(value, label) for value, label in Cause.choices if totals[f"cause_{value}"]]
    cause = Chart(
        id="households-by-cause",
        title=_("Households in poverty or at risk by main cause"),
        kind="hbar",
        category_label=_("Main cause"),
        categories=[label for _value, label in causes],
        series=[
            Series(
                _("Households"),
                [totals[f"cause_{value}"] for value, _label in causes],
                [
                    _url("poverty:household-list", cause=value, **township)
                    for value, _label in causes
                ],
            )
        ],
    )
    return [status, cause]


def _drill(org: Organization, day) -> str:
    return _url("poverty:dashboard", org.pk, day=day.isoformat())


def visits_by_child(organization: Organization, children: dict, day: datetime.date) -> Chart:
    """Pairings that require visits per child organisation: visited in time and overdue on
    `day` (the visit-interval rule's rollup: 1 query). `children`: path → child organisation."""
    prefix = (organization.depth + 2) * PATH_STEP
    pairings = in_subtree(
        Pairing.objects.all(), organization, field="household__village__organization"
    ).annotate(child=Substr("household__village__organization__path", 1, prefix))
    rows = [
        row
        for row in pairings.rollup("child", day)
        if row["child"] in children  # not the organisation's own
    ]
    links = [_drill(children[row["child"]], day) for row in rows]
    return Chart(
        id="visits-by-child",
        title=_("Visits per organisation: in time and overdue"),
        kind="hstacked",
        category_label=_("Organisation"),
        categories=[children[row["child"]].name for row in rows],
        category_links=links,
        series=[
            Series(
                _("In time"),
                [row["pairings"] - row["overdue"] for row in rows],
                links,
                STATUS_COLOURS["met"],
            ),
            Series(
                _("Overdue"),
                [row["overdue"] for row in rows],
                [_url("poverty:pairing-overdue")] * len(rows),
                STATUS_COLOURS["missed"],
            ),
        ],
    )


def five_ones_by_child(organization: Organization, children: dict, day: datetime.date) -> Chart:
    """Villages that need the five ones per child organisation: complete and incomplete
    (`with_five_ones()`: 1 query)."""
    prefix = (organization.depth + 2) * PATH_STEP
    rows = list(
        in_subtree(Village.objects.needing_five_ones(), organization)
        .with_five_ones()
        .annotate(child=Substr("organization__path", 1, prefix))
        .order_by("child")
        .values("child")
        .annotate(
            complete=Count("pk", filter=Q(five_ones_complete=True)),
            incomplete=Count("pk", filter=Q(five_ones_complete=False)),
        )
    )
    rows = [row for row in rows if row["child"] in children]
    links = [_drill(children[row["child"]], day) for row in rows]
    return Chart(
        id="five-ones-by-child",
        title=_("Villages with all five ones"),
        kind="hstacked",
        category_label=_("Organisation"),
        categories=[children[row["child"]].name for row in rows],
        category_links=links,
        series=[
            Series(_("Complete"), [row["complete"] for row in rows], links, STATUS_COLOURS["met"]),
            Series(
                _("Incomplete"),
                [row["incomplete"] for row in rows],
                [_url("poverty:village-list", incomplete="true")] * len(rows),
                STATUS_COLOURS["missed"],
            ),
        ],
    )


def exits_by_month(organization: Organization, day: datetime.date) -> Chart:
    """Households that exited in each of the twelve months to `day` (1 query)."""
    first = dates.add_months(day.replace(day=1), -(EXIT_MONTHS - 1))
    months = [dates.add_months(first, i) for i in range(EXIT_MONTHS)]
    rows = dict(
        in_subtree(Household.objects.all(), organization, field="village__organization")
        .filter(exited_on__gte=first, exited_on__lte=day)
        .annotate(month=TruncMonth("exited_on"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    township = _township_filter(organization)
    return Chart(
        id="exits-by-month",
        title=_("Exits from poverty by month"),
        kind="bar",
        category_label=_("Month"),
        categories=[f"{month:%Y-%m}" for month in months],
        series=[
            Series(
                _("Households"),
                [rows.get(month, 0) for month in months],
                [_url("poverty:household-list", status=HouseholdStatus.EXITED, **township)]
                * len(months),
            )
        ],
    )
