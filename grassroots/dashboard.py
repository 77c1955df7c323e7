"""The grassroots dashboard's charts (issue #11): compliance per child organisation, its trend
over thirteen periods per meeting kind, the members' structure and the membership pipeline.

Every number is an SQL aggregate over the app's own querysets and rules: compliance is
`ComplianceCell.for_day()` / `rollup()` (the rule written once, in grassroots/models.py), the
roster on a day is `PartyMember.on_roster_below()`, the pipeline's dates are the services'
STAGE_DATE_FIELD. No function here loops over records; the loops below run over the handful
of aggregated rows (thirteen snapshots × nine kinds at most). Each chart's links lead to the
lists that show what a number counts, filtered the same way (grassroots/forms.py).
"""

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Q, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.models import ComplianceCell, ComplianceStatus, MeetingKind, PartyMember, Stage
from grassroots.services import STAGE_DATE_FIELD
from portal import dates
from portal.charts import STATUS_COLOURS, Chart, Series
from portal.choices import Education, Gender
from portal.models import Organization

# The compliance trend: the period containing the dashboard's day and the twelve before it,
# each read on the last day of its month (a month is the shortest requirement's period).
TREND_MONTHS = 13
# Age bands of the Party's statistical tables (党内统计: 30 and under, then by decade).
AGE_BANDS = [(None, 30), (31, 40), (41, 50), (51, 60), (61, 70), (71, None)]
# Ethnic groups shown by name; the rest are summed as "other".
ETHNIC_GROUPS_SHOWN = 8
# The pipeline's stages with the date each was reached on.
STAGE_REACHED_ON = {Stage.APPLICANT: "applied_on", **STAGE_DATE_FIELD}
STATUSES = [
    (ComplianceStatus.MET, _("Met")),
    (ComplianceStatus.DUE, _("Due")),
    (ComplianceStatus.MISSED, _("Missed")),
]


def _url(name, *args, **params) -> str:
    url = reverse(name, args=args)
    params = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def _iso(day: datetime.date) -> str:
    return day.isoformat()


def _drill(org: Organization, day: datetime.date) -> str:
    """Where a child organisation drills down to: its own dashboard, or a branch's page."""
    if org.is_branch:
        return _url("grassroots:branch-detail", org.pk, day=_iso(day))
    return _url("grassroots:dashboard", org.pk, day=_iso(day))


# --- Compliance ------------------------------------------------------------------------------


def compliance_by_child(organization: Organization, day, today) -> Chart:
    """Met / due / missed requirement cells per child organisation in the periods containing
    `day`, stacked: the compliance rollup (1 query) and the children's names (1)."""
    rows = list(ComplianceCell.objects.for_day(day, today=today).rollup(organization))
    children = {
        org.path: org
        for org in Organization.objects.filter(path__in=[row["child_path"] for row in rows])
    }
    rows = [row for row in rows if row["child_path"] in children]
    links = [_drill(children[row["child_path"]], day) for row in rows]
    return Chart(
        id="compliance-by-child",
        title=_("Meetings held per organisation, this period"),
        kind="hstacked",
        category_label=_("Organisation"),
        categories=[children[row["child_path"]].name for row in rows],
        category_links=links,
        series=[
            Series(label, [row[status] for row in rows], links, STATUS_COLOURS[status])
            for status, label in STATUSES
        ],
        note=_("Each required meeting kind of each organisation beneath counts once."),
    )


def trend_days(day: datetime.date) -> list[datetime.date]:
    """The thirteen days the trend reads: the last day of each of the twelve months before
    `day`'s, oldest first, then `day` itself."""
    first = day.replace(day=1)
    months = [dates.add_months(first, -i) for i in range(TREND_MONTHS - 1, 0, -1)]
    return [dates.add_months(month, 1) - dates.ONE_DAY for month in months] + [day]


def _trend_rows(organization: Organization, days, today) -> list[dict]:
    """Met / due / missed per (snapshot, meeting kind) in the subtree: one query, a UNION ALL
    of the compliance rule read at each day."""
    parts = [
        ComplianceCell.objects.in_subtree(organization)
        .for_day(day, today=today)
        .values("requirement__kind")
        .annotate(
            snapshot=Value(index),
            met=Count("pk", filter=Q(status=ComplianceStatus.MET)),
            due=Count("pk", filter=Q(status=ComplianceStatus.DUE)),
            missed=Count("pk", filter=Q(status=ComplianceStatus.MISSED)),
        )
        .order_by()
        for index, day in enumerate(days)
    ]
    return list(parts[0].union(*parts[1:], all=True))


def compliance_trend(organization: Organization, day, today) -> tuple[Chart, Chart]:
    """The subtree's met / due / missed over thirteen periods (stacked), and the share met
    per meeting kind (lines), from one query."""
    days = trend_days(day)
    rows = _trend_rows(organization, days, today)
    labels = [f"{d:%Y-%m}" for d in days]
    totals = {status: [0] * len(days) for status, _label in STATUSES}
    by_kind: dict[str, dict[str, list[int]]] = {}
    for row in rows:
        kind = by_kind.setdefault(
            row["requirement__kind"], {status: [0] * len(days) for status, _l in STATUSES}
        )
        for status, _label in STATUSES:
            totals[status][row["snapshot"]] += row[status]
            kind[status][row["snapshot"]] += row[status]
    snapshot_links = [
        _url("grassroots:organization-compliance", organization.pk, day=_iso(d)) for d in days
    ]
    totals_chart = Chart(
        id="compliance-trend",
        title=_("Required meetings over the last thirteen periods"),
        kind="stacked",
        category_label=_("Month"),
        categories=labels,
        category_links=snapshot_links,
        series=[
            Series(label, totals[status], snapshot_links, STATUS_COLOURS[status])
            for status, label in STATUSES
        ],
        note=_("Each month's column shows the periods running on its last day."),
    )
    kinds = [kind for kind in MeetingKind if kind in by_kind]
    month_bounds = [(d.replace(day=1), d) for d in days]
    kind_series = []
    for kind in kinds:
        counts = by_kind[kind]
        shares = []
        for index in range(len(days)):
            total = sum(counts[status][index] for status, _label in STATUSES)
            met = counts[ComplianceStatus.MET][index]
            shares.append(round(100 * met / total) if total else 0)
        links = [
            _url(
                "grassroots:meeting-list",
                kind=kind.value,
                organization=organization.pk,
                date_from=_iso(start),
                date_to=_iso(end),
            )
            for start, end in month_bounds
        ]
        kind_series.append(Series(kind.label, shares, links))
    kinds_chart = Chart(
        id="compliance-by-kind",
        title=_("Share of requirements met, per meeting kind"),
        kind="line",
        category_label=_("Month"),
        categories=labels,
        series=kind_series,
        unit="%",
    )
    return totals_chart, kinds_chart


# --- Members -----------------------------------------------------------------------------------


def _born_range(day: datetime.date, youngest, oldest) -> tuple:
    """Birth dates of the people aged `youngest`..`oldest` (either may be open) on `day`."""
    born_from = born_to = None
    if oldest is not None:  # not yet oldest + 1 on `day`
        born_from = dates.add_months(day, -12 * (oldest + 1)) + dates.ONE_DAY
    if youngest is not None:  # at least `youngest` on `day`
        born_to = dates.add_months(day, -12 * youngest)
    return born_from, born_to


def _band_label(youngest, oldest) -> str:
    if youngest is None:
        return str(_("%(age)s and under") % {"age": oldest})
    if oldest is None:
        return str(_("%(age)s and over") % {"age": youngest})
    return f"{youngest}–{oldest}"


def member_structure(organization: Organization, day) -> list[Chart]:
    """The Party members on the subtree's rosters on `day`, by age band, gender, education
    and ethnicity (2 queries: one of conditional counts, one grouped by ethnicity)."""
    roster = PartyMember.objects.on_roster_below(organization, day)
    counts = {f"gender_{gender}": Count("pk", filter=Q(gender=gender)) for gender in Gender.values}
    counts.update(
        {f"edu_{level}": Count("pk", filter=Q(education=level)) for level in Education.values}
    )
    counts["edu_unknown"] = Count("pk", filter=Q(education=""))
    bands = [
        (youngest, oldest, *_born_range(day, youngest, oldest)) for youngest, oldest in AGE_BANDS
    ]
    for index, (_y, _o, born_from, born_to) in enumerate(bands):
        condition = Q()
        if born_from:
            condition &= Q(birth_date__gte=born_from)
        if born_to:
            condition &= Q(birth_date__lte=born_to)
        counts[f"age_{index}"] = Count("pk", filter=condition)
    totals = roster.aggregate(**counts)

    def members_url(**filters):
        return _url("grassroots:member-list", organization=organization.pk, on=_iso(day), **filters)

    age = Chart(
        id="members-by-age",
        title=_("Party members by age"),
        kind="bar",
        category_label=_("Age"),
        categories=[_band_label(y, o) for y, o, _f, _t in bands],
        series=[
            Series(
                _("Number of members"),
                [totals[f"age_{i}"] for i in range(len(bands))],
                [
                    members_url(born_from=f and _iso(f), born_to=t and _iso(t))
                    for _y, _o, f, t in bands
                ],
            )
        ],
    )
    gender = Chart(
        id="members-by-gender",
        title=_("Party members by gender"),
        kind="pie",
        category_label=_("Gender"),
        categories=[label for _value, label in Gender.choices],
        series=[
            Series(
                _("Number of members"),
                [totals[f"gender_{value}"] for value in Gender.values],
                [members_url(gender=value) for value in Gender.values],
            )
        ],
    )
    education = Chart(
        id="members-by-education",
        title=_("Party members by education"),
        kind="hbar",
        category_label=_("Education"),
        categories=[label for _value, label in Education.choices] + [_("Not recorded")],
        series=[
            Series(
                _("Number of members"),
                [totals[f"edu_{value}"] for value in Education.values] + [totals["edu_unknown"]],
                [members_url(education=value) for value in Education.values] + [None],
            )
        ],
    )
    groups = list(roster.values("ethnicity").annotate(n=Count("pk")).order_by("-n", "ethnicity"))
    shown, rest = groups[:ETHNIC_GROUPS_SHOWN], groups[ETHNIC_GROUPS_SHOWN:]
    categories = [row["ethnicity"] for row in shown]
    values = [row["n"] for row in shown]
    links = [members_url(ethnicity=row["ethnicity"]) for row in shown]
    if rest:
        categories.append(_("Other groups"))
        values.append(sum(row["n"] for row in rest))
        links.append(None)
    ethnicity = Chart(
        id="members-by-ethnicity",
        title=_("Party members by ethnic group"),
        kind="pie",
        category_label=_("Ethnic group"),
        categories=categories,
        series=[Series(_("Number of members"), values, links)],
    )
    return [age, gender, education, ethnicity]


def pipeline_funnel(organization: Organization, year: int) -> Chart:
    """How many people of the subtree's branches reached each stage of the membership
    pipeline in `year` (1 query)."""
    people = PartyMember.objects.filter(branch__path__startswith=organization.path)
    totals = people.aggregate(
        **{
            stage: Count("pk", filter=Q(**{f"{field}__year": year}))
            for stage, field in STAGE_REACHED_ON.items()
        }
    )
    stages = list(STAGE_REACHED_ON)
    return Chart(
        id="pipeline",
        title=_("Membership pipeline in %(year)s") % {"year": year},
        kind="funnel",
        category_label=_("Stage reached"),
        categories=[Stage(stage).label for stage in stages],
        series=[
            Series(
                _("People"),
                [totals[stage] for stage in stages],
                [
                    _url(
                        "grassroots:member-list",
                        organization=organization.pk,
                        reached=stage,
                        year=year,
                    )
                    for stage in stages
                ],
            )
        ],
    )
