"""The grassroots app's deadlines for the reminder engine (contract: portal/deadlines.py).

* grassroots.meeting_due — a required meeting not yet held in its period, due at the
  period's end. It reuses ComplianceCellQuerySet.for_day(), the expression behind the
  compliance table, so the reminder and the table cannot disagree.
* grassroots.probation_end — a probationary member's year ends (joined + GrassrootsRules).
* grassroots.term_end — the latest committee term of an organisation ends.
* grassroots.activist_assessment — an activist's half-yearly assessment is due.
* grassroots.decision_notice — a village matter's decision (四议两公开) not yet made public,
  due DecisionRules.decision_notice_days after it was taken.
* grassroots.result_notice — a village matter carried out whose result is not yet public,
  due DecisionRules.result_notice_days after it was carried out.
  Both read VillageMatterQuerySet.with_due(), the expression behind the matter's page and
  the township rollup.
* grassroots.secretary_lecture — a branch secretary has not given a Party lecture to the
  branch this year (a held lecture with the secretary recorded as its speaker member).

A missed period's meeting_due item leaves "My deadlines" after its escalation
(Deadline.closes_when_due); the compliance table keeps the period as missed.

Responsible: the branch's secretaries (user_id NULL, roles ("secretary",)); the engine
escalates to the organisation above when a deadline is missed.
"""

import datetime

from django.db.models import (
    Case,
    CharField,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from grassroots.decisions.models import VillageMatter
from grassroots.models import (
    CommitteeSeat,
    CommitteeTerm,
    ComplianceCell,
    ComplianceStatus,
    GrassrootsRules,
    Meeting,
    MeetingKind,
    PartyMember,
    Post,
    Stage,
)
from portal.dates import AddMonths
from portal.deadlines import Deadline, register, window

ROLES = ("secretary",)
FIELDS = ("item_key", "due_date", "organization_id", "user_id", "title")


def _kind_label_zh():
    """The meeting kind's Chinese name, in SQL (titles are stored in Chinese)."""
    with translation.override("zh-hans"):
        whens = [When(requirement__kind=kind, then=Value(str(kind.label))) for kind in MeetingKind]
    return Case(*whens, default=F("requirement__kind"), output_field=CharField())


# --- Meetings --------------------------------------------------------------------------------


def _open_cells(day: datetime.date, today: datetime.date, due_window):
    return (
        ComplianceCell.objects.for_day(day, today=today)
        .exclude(status=ComplianceStatus.MET)
        .filter(period_end__range=due_window)
        .annotate(
            item_key=Concat(
                Cast("organization_id", CharField()),
                Value(":"),
                Cast("requirement_id", CharField()),
                Value(":"),
                Cast("period_start", CharField()),
                output_field=CharField(),
            ),
            due_date=F("period_end"),
            user_id=Value(None, output_field=IntegerField()),
            title=Concat(
                F("organization__name"), Value("："), _kind_label_zh(), output_field=CharField()
            ),
        )
        .values(*FIELDS)
        .order_by()
    )


def _month_ends(start: datetime.date, before: datetime.date) -> list[datetime.date]:
    """The last days of months in [start, before): every period (month, quarter, half-year,
    year) ends on one, so the periods that ended in the look-back are the ones holding them."""
    ends = []
    day = before.replace(day=1) - datetime.timedelta(days=1)
    while day >= start:
        ends.append(day)
        day = day.replace(day=1) - datetime.timedelta(days=1)
    return ends


def meeting_due_rows(today, lookahead_days, lookback_days):
    """Each (organisation, requirement) not met in the current period, and in every period
    that ended within the look-back (so a missed period is still reminded and escalated).
    Items found twice are merged by the UNION."""
    due_window = window(today, lookahead_days, lookback_days)
    rows = _open_cells(today, today, due_window)
    for day in _month_ends(due_window[0], today):
        rows = rows.union(_open_cells(day, today, due_window))
    return rows


def meeting_due_url(item_key: str) -> str:
    organization_id = item_key.split(":", 1)[0]
    return reverse("grassroots:branch-detail", kwargs={"pk": int(organization_id)})


# --- Members ---------------------------------------------------------------------------------


def probation_end_rows(today, lookahead_days, lookback_days):
    """Probationary members whose year ends (joined_on + the rules' probation months); open
    until made full."""
    return (
        PartyMember.objects.on_the_books()
        .filter(stage=Stage.PROBATIONARY)
        .annotate(due_date=AddMonths("joined_on", GrassrootsRules.sql("probation_months")))
        .filter(due_date__range=window(today, lookahead_days, lookback_days))
        .annotate(
            item_key=Cast("pk", CharField()),
            organization_id=F("branch_id"),
            user_id=Value(None, output_field=IntegerField()),
            title=Concat(Value("预备党员预备期满："), F("name"), output_field=CharField()),
        )
        .values(*FIELDS)
    )


def activist_assessment_rows(today, lookahead_days, lookback_days):
    """Activists' half-yearly assessment: six months after the last one (or after becoming
    an activist). The key carries the due date, so each half-year is a new item."""
    return (
        # Someone who died or left the county is no longer the branch's to assess.
        PartyMember.objects.on_the_books()
        .filter(stage=Stage.ACTIVIST, activist_on__isnull=False)
        .annotate(
            assessed=Coalesce("last_assessed_on", "activist_on"),
        )
        .annotate(due_date=AddMonths("assessed", GrassrootsRules.sql("activist_assessment_months")))
        .filter(due_date__range=window(today, lookahead_days, lookback_days))
        .annotate(
            item_key=Concat(
                Cast("pk", CharField()),
                Value(":"),
                Cast("due_date", CharField()),
                output_field=CharField(),
            ),
            organization_id=F("branch_id"),
            user_id=Value(None, output_field=IntegerField()),
            title=Concat(Value("入党积极分子半年考察："), F("name"), output_field=CharField()),
        )
        .values(*FIELDS)
    )


def member_url(item_key: str) -> str:
    return reverse("grassroots:member-detail", kwargs={"pk": int(item_key.split(":", 1)[0])})


# --- Committees ------------------------------------------------------------------------------


def term_end_rows(today, lookahead_days, lookback_days):
    """The latest committee term of each organisation ends; a new term closes the item."""
    return (
        CommitteeTerm.objects.latest_per_organization()
        .filter(ends_on__range=window(today, lookahead_days, lookback_days))
        .annotate(
            item_key=Cast("pk", CharField()),
            due_date=F("ends_on"),
            user_id=Value(None, output_field=IntegerField()),
            title=Concat(
                F("organization__name"),
                Value("：委员会任期届满，需换届选举"),
                output_field=CharField(),
            ),
        )
        .values(*FIELDS)
    )


def _secretary_lecture_year(year: int):
    """Secretaries (of a term in force at some time in `year`) without a held Party lecture
    to their organisation in `year` with themselves as the speaker member."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    given = Meeting.objects.held().filter(
        kind=MeetingKind.LECTURE,
        organization=OuterRef("term__organization_id"),
        speaker_member=OuterRef("member_id"),
        date__range=(first, last),
    )
    return (
        CommitteeSeat.objects.filter(
            post=Post.SECRETARY, term__starts_on__lte=last, term__ends_on__gte=first
        )
        .exclude(Exists(given))
        .annotate(
            item_key=Concat(
                Cast("term__organization_id", CharField()),
                Value(":"),
                Cast("member_id", CharField()),
                Value(f":{year}"),
                output_field=CharField(),
            ),
            due_date=Value(last, output_field=DateField()),
            organization_id=F("term__organization_id"),
            user_id=Value(None, output_field=IntegerField()),
            title=Concat(
                F("term__organization__name"),
                Value("：书记年度讲党课（"),
                F("member__name"),
                Value("）"),
                output_field=CharField(),
            ),
        )
        .values(*FIELDS)
        .order_by()
        .distinct()
    )


def secretary_lecture_rows(today, lookahead_days, lookback_days):
    """The secretary gives at least one Party lecture a year (DOMAIN.md §2), due on
    31 December; the years whose end falls in the reminder window."""
    start, end = window(today, lookahead_days, lookback_days)
    years = [y for y in range(start.year, end.year + 1) if start <= datetime.date(y, 12, 31) <= end]
    if not years:
        return _secretary_lecture_year(today.year).none()
    rows = _secretary_lecture_year(years[0])
    for year in years[1:]:
        rows = rows.union(_secretary_lecture_year(year))
    return rows


def organization_url(item_key: str) -> str:
    organization_id = item_key.split(":", 1)[0]
    return reverse("grassroots:branch-detail", kwargs={"pk": int(organization_id)})


def term_url(item_key: str) -> str:
    term = CommitteeTerm.objects.only("organization_id").get(pk=int(item_key))
    return reverse("grassroots:branch-detail", kwargs={"pk": term.organization_id})


# --- Collective decisions (四议两公开) -------------------------------------------------------------


def _village_notice_rows(matters, today, lookahead_days, lookback_days, prefix):
    return (
        matters.filter(next_due_on__range=window(today, lookahead_days, lookback_days))
        .annotate(
            item_key=Cast("pk", CharField()),
            due_date=F("next_due_on"),
            user_id=Value(None, output_field=IntegerField()),
            title=Concat(Value(prefix), F("topic"), output_field=CharField()),
        )
        .values(*FIELDS)
        .order_by()
    )


def decision_notice_rows(today, lookahead_days, lookback_days):
    """Adopted village matters whose decision is not yet public; open until step 5."""
    matters = VillageMatter.objects.with_due(today).decision_notice_due()
    return _village_notice_rows(matters, today, lookahead_days, lookback_days, "村务决议待公开：")


def result_notice_rows(today, lookahead_days, lookback_days):
    """Village matters carried out whose result is not yet public; open until step 6."""
    matters = VillageMatter.objects.with_due(today).result_notice_due()
    return _village_notice_rows(
        matters, today, lookahead_days, lookback_days, "村务实施结果待公开："
    )


def village_matter_url(item_key: str) -> str:
    return reverse("grassroots:village-matter-detail", kwargs={"pk": int(item_key)})


register(
    Deadline(
        key="grassroots.meeting_due",
        label=_("Required meeting not yet held"),
        app="grassroots",
        rows=meeting_due_rows,
        url=meeting_due_url,
        roles=ROLES,
        # a period's meeting cannot be held once the period is over
        closes_when_due=True,
    )
)
register(
    Deadline(
        key="grassroots.probation_end",
        label=pgettext_lazy("party membership", "Probation year ends"),
        app="grassroots",
        rows=probation_end_rows,
        url=member_url,
        roles=ROLES,
    )
)
register(
    Deadline(
        key="grassroots.term_end",
        label=_("Committee term ends"),
        app="grassroots",
        rows=term_end_rows,
        url=term_url,
        roles=ROLES,
    )
)
register(
    Deadline(
        key="grassroots.activist_assessment",
        label=_("Half-yearly activist assessment"),
        app="grassroots",
        rows=activist_assessment_rows,
        url=member_url,
        roles=ROLES,
    )
)
register(
    Deadline(
        key="grassroots.decision_notice",
        label=_("Village decision not yet made public"),
        app="grassroots",
        rows=decision_notice_rows,
        url=village_matter_url,
        roles=ROLES,
    )
)
register(
    Deadline(
        key="grassroots.result_notice",
        label=_("Village result not yet made public"),
        app="grassroots",
        rows=result_notice_rows,
        url=village_matter_url,
        roles=ROLES,
    )
)
register(
    Deadline(
        key="grassroots.secretary_lecture",
        label=_("Secretary's yearly Party lecture"),
        app="grassroots",
        rows=secretary_lecture_rows,
        url=organization_url,
        roles=ROLES,
    )
)
