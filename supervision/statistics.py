"""Aggregates for staff and leaders: counts in SQL only, never a single matter."""

import datetime
from urllib.parse import urlencode

from django.db.models import Avg, Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import dates
from portal.charts import STATUS_COLOURS, Chart, Series
from portal.dates import DaysBetween
from supervision.models import OVERDUE, Category, Channel, Status

RATINGS = range(1, 6)
# Handling time (receipt to reply), in calendar days.
BUCKETS = [
    ("0-15", 0, 15),
    ("16-30", 16, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("90+", 91, None),
]


def summary(queryset) -> dict:
    """Totals for the landing page: one query."""
    return queryset.with_deadlines().aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(current_due__isnull=False)),
        overdue=Count("pk", filter=OVERDUE),
        anonymous=Count("pk", filter=Q(is_anonymous=True)),
        late_decisions=Count("pk", filter=Q(decision_late=True)),
        late_replies=Count("pk", filter=Q(reply_late=True)),
        # the charts' on-time figures, averages and ratings, in the same query
        decided=Count("pk", filter=Q(decided_on__isnull=False)),
        replied=Count("pk", filter=Q(replied_on__isnull=False)),
        days_to_accept=Avg(DaysBetween("accepted_on", "received_on")),
        days_to_reply=Avg(DaysBetween("replied_on", "accepted_on")),
        **{f"rated_{value}": Count("pk", filter=Q(rating=value)) for value in RATINGS},
    )


def _counts(queryset, field: str, choices) -> list[dict]:
    rows = dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))
    total = sum(rows.values()) or 1
    return [
        {
            "key": key,
            "label": label,
            "count": rows.get(key, 0),
            "share": 100 * rows.get(key, 0) // total,
        }
        for key, label in choices
    ]


def _handling_time(queryset) -> list[dict]:
    whens = [
        When(
            Q(handling_days__gte=low) if high is None else Q(handling_days__range=(low, high)),
            then=Value(index),
        )
        for index, (_label, low, high) in enumerate(BUCKETS)
    ]
    rows = dict(
        queryset.filter(replied_on__isnull=False)
        .annotate(handling_days=DaysBetween("replied_on", "received_on"))
        .annotate(bucket=Case(*whens, output_field=IntegerField()))
        .order_by()
        .values_list("bucket")
        .annotate(n=Count("pk"))
    )
    total = sum(rows.values()) or 1
    return [
        {"label": label, "count": rows.get(i, 0), "share": 100 * rows.get(i, 0) // total}
        for i, (label, _low, _high) in enumerate(BUCKETS)
    ]


def _overdue_by_stage(queryset) -> list[dict]:
    rows = dict(queryset.overdue().order_by().values_list("status").annotate(n=Count("pk")))
    return [{"label": label, "count": rows[key]} for key, label in Status.choices if key in rows]


def full(queryset) -> dict:
    """The statistics page: five grouped queries."""
    return {
        "by_category": _counts(queryset, "category", Category.choices),
        "by_channel": _counts(queryset, "channel", Channel.choices),
        "by_stage": _counts(queryset, "status", Status.choices),
        "overdue_by_stage": _overdue_by_stage(queryset),
        "handling_time": _handling_time(queryset),
    }


# --- Charts (issue #11): figures the bars above do not show -----------------------------------

MONTHS = 12
HANDLERS_SHOWN = 10


def _days(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def _handler_name(row) -> str:
    return row["handler__full_name"] or row["handler__username"]


def _url(name, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def charts(queryset, timing: dict, *, today: datetime.date, office: bool) -> list[Chart]:
    """Matters received per month by channel, on time per statutory stage and the
    requesters' ratings (`timing`: summary()'s figures), and (for the office, which reads
    matters) the overdue per handler: one or two grouped queries. Statistics-only users get
    the counts without links to any matter."""
    first = dates.add_months(today.replace(day=1), -(MONTHS - 1))
    months = [dates.add_months(first, i) for i in range(MONTHS)]
    received = {
        (row["month"], row["channel"]): row["n"]
        for row in queryset.filter(received_on__gte=first, received_on__lte=today)
        .annotate(month=TruncMonth("received_on"))
        .order_by()
        .values("month", "channel")
        .annotate(n=Count("pk"))
    }
    channels = [
        (key, label)
        for key, label in Channel.choices
        if any(received.get((month, key)) for month in months)
    ]
    by_month = Chart(
        id="received-by-month",
        title=_("Matters received per month, by channel"),
        kind="stacked",
        category_label=_("Month"),
        categories=[f"{month:%Y-%m}" for month in months],
        series=[
            Series(label, [received.get((month, key), 0) for month in months])
            for key, label in channels
        ],
    )
    stages = [
        (_("Decision to accept"), timing["decided"], timing["late_decisions"]),
        (_("Reply"), timing["replied"], timing["late_replies"]),
    ]
    on_time = Chart(
        id="on-time-by-stage",
        title=_("On time per statutory stage"),
        kind="hstacked",
        category_label=_("Stage"),
        categories=[label for label, _done, _late in stages],
        series=[
            Series(
                _("On time"), [done - late for _l, done, late in stages], [], STATUS_COLOURS["met"]
            ),
            Series(_("Late"), [late for _l, _done, late in stages], [], STATUS_COLOURS["missed"]),
        ],
        note=_(
            "Average days from receipt to acceptance: %(accept)s; from acceptance to reply: "
            "%(reply)s."
        )
        % {
            "accept": _days(timing["days_to_accept"]),
            "reply": _days(timing["days_to_reply"]),
        },
    )
    rated = Chart(
        id="ratings",
        title=_("Requesters' ratings of the handling"),
        kind="bar",
        category_label=_("Rating (1 to 5)"),
        categories=[str(value) for value in RATINGS],
        series=[Series(_("Number of matters"), [timing[f"rated_{value}"] for value in RATINGS])],
    )
    result = [by_month, on_time, rated]
    if office:
        handlers = list(
            queryset.overdue(today)
            .filter(handler__isnull=False)
            .order_by()
            .values("handler", "handler__full_name", "handler__username")
            .annotate(n=Count("pk"))
            .order_by("-n", "handler")[:HANDLERS_SHOWN]
        )
        result.append(
            Chart(
                id="overdue-by-handler",
                title=_("Overdue matters per handler"),
                kind="hbar",
                category_label=_("Handler"),
                categories=[_handler_name(row) for row in handlers],
                series=[
                    Series(
                        _("Overdue"),
                        [row["n"] for row in handlers],
                        [
                            _url("supervision:complaint-list", handler=row["handler"], overdue="on")
                            for row in handlers
                        ],
                        STATUS_COLOURS["missed"],
                    )
                ],
            )
        )
    return result
