"""The cadres dashboard's charts (issue #11): the structure of the cadre corps per post level
as a 干部队伍结构分析 shows it (age bands; the shares of women, ethnic minorities, under-35s
and under-40s), appointments in progress by stage, and last year's assessment grades.

SQL aggregates through the app's own rules: the current post of a day is
`with_current_post(day)` (the effective-dated post history), an age band is
`age_band_q()` (the list's age filter reads the same), appointments in progress are
`in_progress()`. No loop over records; each chart's links open the cadre or appointment list
filtered to what the number counts.
"""

import datetime
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cadres.models import Appointment, Assessment, AssessmentGrade, Cadre, PostLevel
from cadres.models.appointments import IN_PROGRESS
from cadres.models.records import AgeBand, age_band_q, born_after_age
from portal.charts import Chart, Series
from portal.choices import MAJORITY_ETHNICITY
from portal.models import Organization
from portal.scoping import in_subtree

# The ages whose shares a structure analysis reports (under 35, under 40).
YOUNG_AGES = (35, 40)
NO_LEVEL = "none"


def _url(name, **params) -> str:
    params = {key: value for key, value in params.items() if value not in (None, "")}
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def _share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def structure(organization: Organization, day: datetime.date) -> list[Chart]:
    """Cadres of the subtree per current post level on `day`: by age band (stacked) and the
    shares per level (one query, grouped by the level)."""
    cadres = in_subtree(Cadre.objects.all(), organization).with_current_post(day)
    counts = {"total": Count("pk"), "women": Count("pk", filter=Q(gender="female"))}
    counts["minorities"] = Count("pk", filter=~Q(ethnicity=MAJORITY_ETHNICITY))
    for band in AgeBand.values:
        counts[f"age_{band}"] = Count("pk", filter=age_band_q(band, on=day))
    for age in YOUNG_AGES:
        counts[f"under_{age}"] = Count("pk", filter=Q(birth_date__gt=born_after_age(day, age)))
    rows = {
        row["current_level"] or NO_LEVEL: row
        for row in cadres.order_by().values("current_level").annotate(**counts)
    }
    levels = [(value, label) for value, label in PostLevel.choices]
    if NO_LEVEL in rows:
        levels.append((NO_LEVEL, _("No current post")))

    def zero(key):
        return [rows.get(level, {}).get(key, 0) for level, _label in levels]

    def list_url(level, **filters):
        return _url(
            "cadres:cadre-list",
            unit=organization.pk,
            level=level if level != NO_LEVEL else None,
            **filters,
        )

    by_age = Chart(
        id="cadres-by-level-and-age",
        title=_("Cadres by post level and age"),
        kind="hstacked",
        category_label=_("Post level"),
        categories=[label for _level, label in levels],
        category_links=[list_url(level) for level, _label in levels],
        series=[
            Series(
                label,
                zero(f"age_{band}"),
                [
                    list_url(level, age=band) if level != NO_LEVEL else None
                    for level, _label in levels
                ],
            )
            for band, label in AgeBand.choices
        ],
    )
    totals = zero("total")
    shares = Chart(
        id="cadres-shares",
        title=_("Women, ethnic minorities and young cadres per post level"),
        kind="bar",
        category_label=_("Post level"),
        categories=[label for _level, label in levels],
        category_links=[list_url(level) for level, _label in levels],
        unit="%",
        series=[
            Series(_("Women"), [_share(n, t) for n, t in zip(zero("women"), totals, strict=True)]),
            Series(
                _("Ethnic minorities"),
                [_share(n, t) for n, t in zip(zero("minorities"), totals, strict=True)],
            ),
            *[
                Series(
                    _("Under %(age)s") % {"age": age},
                    [_share(n, t) for n, t in zip(zero(f"under_{age}"), totals, strict=True)],
                )
                for age in YOUNG_AGES
            ],
        ],
        note=_("Shares of each level's cadres, in per cent."),
    )
    return [by_age, shares]


def appointments(organization: Organization) -> Chart:
    """Appointments in progress by stage (1 query)."""
    rows = dict(
        in_subtree(Appointment.objects.in_progress(), organization, field="cadre__organization")
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
    )
    stages = [stage for stage in Appointment.Stage if stage in IN_PROGRESS]
    return Chart(
        id="appointments-by-stage",
        title=_("Appointments in progress by stage"),
        kind="bar",
        category_label=_("Stage"),
        categories=[stage.label for stage in stages],
        series=[
            Series(
                _("Appointments"),
                [rows.get(stage, 0) for stage in stages],
                [_url("cadres:appointment-list", stage=stage.value) for stage in stages],
            )
        ],
    )


def assessments(organization: Organization, year: int) -> Chart:
    """The annual assessment grades of `year` (1 query)."""
    rows = dict(
        in_subtree(Assessment.objects.filter(year=year), organization, field="cadre__organization")
        .order_by()
        .values_list("grade")
        .annotate(n=Count("pk"))
    )
    grades = [grade for grade in AssessmentGrade if rows.get(grade)] or list(AssessmentGrade)[:4]
    return Chart(
        id="assessment-grades",
        title=_("Annual assessment grades, %(year)s") % {"year": year},
        kind="pie",
        category_label=_("Result"),
        categories=[grade.label for grade in grades],
        series=[Series(_("Cadres"), [rows.get(grade, 0) for grade in grades])],
    )
