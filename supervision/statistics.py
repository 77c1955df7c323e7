"""Aggregates for staff and leaders: counts in SQL only, never a single matter."""

from django.db.models import Case, Count, IntegerField, Q, Value, When

from portal.dates import DaysBetween
from supervision.models import OVERDUE, Category, Channel, Status

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
