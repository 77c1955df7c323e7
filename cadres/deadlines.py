"""The cadres app's deadlines for the reminder engine (contract: portal/deadlines.py).

* cadres.notice_end — the public notice (任前公示) of an appointment ends; from the next
  day the appointment can be made.
* cadres.probation_end — the probation year ends: confirm or return to the previous rank.
* cadres.assessment_missing — last year's annual assessment is not recorded for a cadre who
  held a post at the end of that year; due on the configured day (31 January).
* cadres.four_musts_open — a four-musts check still open, due the configured number of days
  after the inspection started.

Responsible: the department's staff. Cadre work is the county department's, so every row
names the root of the tree (depth 0) and leaves user_id NULL; the engine reminds the staff
users there (roles ("staff",)).
"""

import datetime

from django.db.models import CharField, DateField, F, IntegerField, Subquery, Value
from django.db.models.expressions import Case, When
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cadres.models import Appointment, CadreRules, FourMust, FourMustCheck, PostRecord, Stage
from portal.dates import AddDays
from portal.deadlines import Deadline, register, window
from portal.models import Organization

ROLES = ("staff",)
FIELDS = ("item_key", "due_date", "organization_id", "user_id", "title")


def _root():
    return Subquery(Organization.objects.filter(depth=0).order_by("pk").values("pk")[:1])


def _row(queryset, *, key, due, title):
    return queryset.annotate(
        item_key=key,
        due_date=due,
        organization_id=_root(),
        user_id=Value(None, output_field=IntegerField()),
        title=title,
    ).values(*FIELDS)


# --- Public notice and probation ------------------------------------------------------------


def notice_rows(today, lookahead_days, lookback_days):
    rows = Appointment.objects.filter(
        stage=Stage.NOTICE, notice_ends_on__range=window(today, lookahead_days, lookback_days)
    )
    return _row(
        rows,
        key=Cast("pk", CharField()),
        due=F("notice_ends_on"),
        title=Concat(
            Value("任前公示期结束："),
            "cadre__name",
            Value("（拟任"),
            "proposed_title",
            Value("）"),
            output_field=CharField(),
        ),
    )


def probation_rows(today, lookahead_days, lookback_days):
    rows = Appointment.objects.filter(
        stage=Stage.PROBATION,
        probation_ends_on__range=window(today, lookahead_days, lookback_days),
    )
    return _row(
        rows,
        key=Cast("pk", CharField()),
        due=F("probation_ends_on"),
        title=Concat(
            Value("试用期满，需转正或恢复原职级："),
            "cadre__name",
            Value("（"),
            "proposed_title",
            Value("）"),
            output_field=CharField(),
        ),
    )


def _appointment_url(item_key: str) -> str:
    return reverse("cadres:appointment-detail", args=[int(item_key.split(":")[0])])


register(
    Deadline(
        key="cadres.notice_end",
        label=_("Public notice ends"),
        app="cadres",
        rows=notice_rows,
        url=_appointment_url,
        roles=ROLES,
    )
)
register(
    Deadline(
        key="cadres.probation_end",
        label=_("Probation year ends"),
        app="cadres",
        rows=probation_rows,
        url=_appointment_url,
        roles=ROLES,
    )
)


# --- Annual assessment ----------------------------------------------------------------------


def assessment_year_due(today, lookahead_days, lookback_days, rules) -> int | None:
    """The latest assessment year whose due day falls in the window (one a year)."""
    start, end = window(today, lookahead_days, lookback_days)
    for year in range(end.year - 1, start.year - 2, -1):
        due = datetime.date(year + 1, rules.assessment_due_month, rules.assessment_due_day)
        if start <= due <= end:
            return year
    return None


def assessment_rows(today, lookahead_days, lookback_days):
    rules = CadreRules.current()
    year = assessment_year_due(today, lookahead_days, lookback_days, rules)
    if year is None:
        return _row(PostRecord.objects.none(), key=Value(""), due=Value(today), title=Value(""))
    due = datetime.date(year + 1, rules.assessment_due_month, rules.assessment_due_day)
    # One principal post per cadre at a time: one row per cadre who held a post at the
    # year's end. (Rows start from the post, because Cadre has its own organization_id.)
    rows = (
        PostRecord.objects.principal()
        .in_force(datetime.date(year, 12, 31))
        .exclude(cadre__assessments__year=year)
    )
    return _row(
        rows,
        key=Concat(Cast("cadre_id", CharField()), Value(f":{year}"), output_field=CharField()),
        due=Value(due, output_field=DateField()),
        title=Concat(
            Value("年度考核结果未录入："),
            "cadre__name",
            Value(f"（{year}年度）"),
            output_field=CharField(),
        ),
    )


register(
    Deadline(
        key="cadres.assessment_missing",
        label=_("Annual assessment not recorded"),
        app="cadres",
        rows=assessment_rows,
        url=lambda item_key: (
            reverse("cadres:cadre-detail", args=[int(item_key.split(":")[0])]) + "#career"
        ),
        roles=ROLES,
    )
)


# --- Four musts -----------------------------------------------------------------------------


def _item_label_zh():
    """The check's Chinese name, in SQL (titles are stored in Chinese)."""
    with translation.override("zh-hans"):
        whens = [When(item=item, then=Value(str(item.label))) for item in FourMust]
    return Case(*whens, default=F("item"), output_field=CharField())


def four_musts_rows(today, lookahead_days, lookback_days):
    days = CadreRules.current().four_musts_days
    start, end = window(today, lookahead_days, lookback_days)
    # due = inspection start + days, so the window on the due day is a window on the start
    rows = FourMustCheck.objects.open().filter(
        appointment__stage=Stage.INSPECTION,
        appointment__inspection_started_on__range=(
            start - datetime.timedelta(days=days),
            end - datetime.timedelta(days=days),
        ),
    )
    return _row(
        rows,
        key=Concat(
            Cast("appointment_id", CharField()), Value(":"), "item", output_field=CharField()
        ),
        due=AddDays("appointment__inspection_started_on", days),
        title=Concat(
            Value("凡提四必未完成："),
            "appointment__cadre__name",
            Value(" · "),
            _item_label_zh(),
            output_field=CharField(),
        ),
    )


register(
    Deadline(
        key="cadres.four_musts_open",
        label=_("Four-musts check open"),
        app="cadres",
        rows=four_musts_rows,
        url=_appointment_url,
        roles=ROLES,
    )
)
