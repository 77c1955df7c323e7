"""The supervision app's deadlines for the reminder engine (contract: portal/deadlines.py).

Each reads the dates of `ComplaintQuerySet.with_deadlines` (the one place the statutory
limits are computed); the labels name no number of days, which is HandlingRules'. Titles name only the tracking code and the stage: never the
reporter, never the content of the matter.
"""

from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.deadlines import Deadline, register, window
from supervision.models import HANDLING_STATUSES, Complaint, Status


def _rows(due_field: str, statuses, stage_title: str):
    """rows(today, lookahead_days, lookback_days) for one statutory date."""

    def rows(today, lookahead_days, lookback_days):
        return (
            Complaint.objects.with_deadlines(today)
            .filter(
                status__in=statuses,
                **{f"{due_field}__range": window(today, lookahead_days, lookback_days)},
            )
            .annotate(
                item_key=Cast("pk", CharField()),
                due_date=F(due_field),
                organization_id=F("handling_organization_id"),
                # The handler once assigned, else the first receiver (首问负责制).
                user_id=Coalesce("handler_id", "first_receiver_id"),
                title=Concat(
                    Value("信访事项 "),
                    F("tracking_code"),
                    Value(stage_title),
                    output_field=CharField(),
                ),
            )
            .order_by()
            .values("item_key", "due_date", "organization_id", "user_id", "title")
        )

    return rows


def _url(item_key: str) -> str:
    return reverse("supervision:complaint-detail", kwargs={"pk": int(item_key)})


ACCEPT_DUE = register(
    Deadline(
        key="supervision.accept_due",
        label=_("Decision on accepting a complaint"),
        app="supervision",
        rows=_rows("accept_due", (Status.RECEIVED,), "：受理决定期限"),
        url=_url,
        roles=("supervisor",),
    )
)
REPLY_DUE = register(
    Deadline(
        key="supervision.reply_due",
        label=_("Handling and reply of a complaint"),
        app="supervision",
        rows=_rows("reply_due", HANDLING_STATUSES, "：办理答复期限"),
        url=_url,
        roles=("supervisor",),
    )
)
REVIEW_DUE = register(
    Deadline(
        key="supervision.review_due",
        label=_("Answer to a review request"),
        app="supervision",
        rows=_rows("review_due", (Status.REVIEW,), "：复查答复期限"),
        url=_url,
        roles=("supervisor",),
    )
)
REREVIEW_DUE = register(
    Deadline(
        key="supervision.rereview_due",
        label=_("Answer to a re-review request"),
        app="supervision",
        rows=_rows("rereview_due", (Status.REREVIEW,), "：复核答复期限"),
        url=_url,
        roles=("supervisor",),
    )
)
