"""The year-end Party statistics of a subtree (党内统计年报-style tables, issue #11): the
Party members on the rosters on 31 December of a year by gender, ethnic group, age band and
education; the members admitted in that year; the organisations by kind and category.

The members' tables are the dashboard's (grassroots/dashboard.py, `member_structure` read on
31 December: the same rules, SQL aggregates); the page prints them and the export writes the
same tables to .xlsx (grassroots/exports.py, "yearend").
"""

import datetime

from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from grassroots import dashboard
from grassroots.models import PartyMember, Stage
from portal.charts import Chart, Series
from portal.choices import MAJORITY_ETHNICITY, Education, Gender
from portal.models import Organization

FIRST_YEAR = 1921
COLLEGE_AND_ABOVE = (Education.COLLEGE, Education.BACHELOR, Education.MASTER, Education.DOCTOR)
YOUNG = 35  # "35 and under", as the statistical tables count young members


class YearForm(forms.Form):
    """?year=YYYY: the last full year when absent; a bad year is a message (and the last
    full year is shown meanwhile)."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=FIRST_YEAR)

    def __init__(self, data, *, today: datetime.date):
        super().__init__(data)
        self.today = today

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year and year > self.today.year:
            raise forms.ValidationError(
                _("Choose a year up to this one: the statistics count what has happened.")
            )
        return year

    @property
    def chosen(self) -> int:
        return (self.is_valid() and self.cleaned_data["year"]) or self.today.year - 1


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def admitted(organization: Organization, year: int) -> Chart:
    """Members admitted in `year` (joined the Party: the pipeline's probationary stage) in the
    subtree's branches, and how many of them are women, of an ethnic minority, 35 and under
    on 31 December, with junior college or above (1 query)."""
    field = dashboard.STAGE_REACHED_ON[Stage.PROBATIONARY]
    people = PartyMember.objects.filter(
        branch__path__startswith=organization.path, **{f"{field}__year": year}
    )
    young_from = dashboard._born_range(year_end(year), None, YOUNG)[0]
    totals = people.aggregate(
        total=Count("pk"),
        women=Count("pk", filter=Q(gender=Gender.FEMALE)),
        minorities=Count("pk", filter=~Q(ethnicity=MAJORITY_ETHNICITY)),
        young=Count("pk", filter=Q(birth_date__gte=young_from)),
        college=Count("pk", filter=Q(education__in=COLLEGE_AND_ABOVE)),
    )
    rows = [
        (_("Admitted in the year"), "total"),
        (_("of whom women"), "women"),
        (_("of whom ethnic minorities"), "minorities"),
        (_("of whom 35 and under"), "young"),
        (_("of whom junior college or above"), "college"),
    ]
    return Chart(
        id="admitted",
        title=_("Members admitted in %(year)s") % {"year": year},
        kind="bar",
        category_label=_("Members admitted"),
        categories=[label for label, _key in rows],
        series=[Series(_("People"), [totals[key] for _label, key in rows])],
    )


def organizations(organization: Organization) -> Chart:
    """The active organisations of the subtree by kind (rows) and category (columns), the
    organisation itself included (1 query)."""
    counts = {
        (kind, category): n
        for kind, category, n in Organization.objects.subtree_of(organization)
        .filter(is_active=True)
        .order_by()
        .values_list("kind", "category")
        .annotate(n=Count("pk"))
    }
    kinds = [
        (k, label) for k, label in Organization.Kind.choices if any(key[0] == k for key in counts)
    ]
    categories = [
        (c, label)
        for c, label in Organization.Category.choices
        if any(key[1] == c for key in counts)
    ]
    return Chart(
        id="organizations",
        title=_("Party organisations by kind and category"),
        kind="hstacked",
        category_label=_("Kind"),
        categories=[label for _k, label in kinds],
        series=[
            Series(label, [counts.get((kind, category), 0) for kind, _l in kinds])
            for category, label in categories
        ],
    )


def tables(organization: Organization, year: int) -> list[Chart]:
    """Every table of the report, in its order (the members' four, admitted, organisations:
    4 queries)."""
    members = dashboard.member_structure(organization, year_end(year))
    return [*members, admitted(organization, year), organizations(organization)]
