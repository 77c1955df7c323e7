"""What the supervision app gives the reminder engine (portal/deadlines.py)."""

import pytest

from portal.deadlines import check_rows, registry
from supervision import services
from tests.supervision.helpers import d, handle

pytestmark = pytest.mark.django_db

KEYS = [
    "supervision.accept_due",
    "supervision.reply_due",
    "supervision.review_due",
    "supervision.rereview_due",
]


@pytest.mark.parametrize("key", KEYS)
def test_each_deadline_has_the_contract_columns(key):
    deadline = registry()[key]

    check_rows(deadline.rows(d("2025-03-10"), 7, 30))


def test_acceptance_rows_name_the_first_receiver_and_only_the_code(make_complaint, supervisor):
    complaint = make_complaint(received_on=d("2025-03-03"))
    rows = registry()["supervision.accept_due"].rows

    [row] = list(rows(d("2025-03-11"), 7, 30))  # due on the 18th: inside the 7-day window

    assert row["item_key"] == str(complaint.pk)
    assert row["due_date"] == d("2025-03-18")
    assert row["user_id"] == supervisor.pk
    assert row["organization_id"] == supervisor.organization_id
    assert complaint.tracking_code in row["title"]
    for private in ("举报人甲", "13900000000", complaint.summary, complaint.description):
        assert private not in row["title"]
    # outside the window: not yet asked for
    assert not rows(d("2025-03-10"), 7, 30).exists()


def test_a_decided_matter_leaves_the_acceptance_rows_for_the_reply_rows(
    make_complaint, supervisor, world
):
    complaint = make_complaint(received_on=d("2025-03-03"))
    handle(complaint, supervisor, accepted_on=d("2025-03-10"), until="accepted")
    services.complaint_extend(
        complaint=complaint,
        user=supervisor,
        days=30,
        reason="复杂。",
        approved_by=supervisor,
        extended_on=d("2025-04-01"),
        today=d("2025-04-01"),
    )

    accept = registry()["supervision.accept_due"].rows(d("2025-03-18"), 7, 30)
    reply = list(registry()["supervision.reply_due"].rows(d("2025-06-05"), 7, 30))

    assert not accept.exists()
    # 60 + 30 days end on Sunday 8 June: the limit moves to Monday 9 June (DOMAIN.md)
    assert [row["due_date"] for row in reply] == [d("2025-06-09")]


def test_review_rows_follow_the_request(make_complaint, supervisor):
    complaint = handle(
        make_complaint(received_on=d("2025-03-03")), supervisor, accepted_on=d("2025-03-10")
    )
    services.complaint_reply(
        complaint=complaint,
        user=supervisor,
        reply="答复。",
        replied_on=d("2025-04-01"),
        today=d("2025-04-01"),
    )
    services.complaint_request_review(
        complaint=complaint, user=supervisor, requested_on=d("2025-04-10"), today=d("2025-04-10")
    )

    rows = list(registry()["supervision.review_due"].rows(d("2025-05-10"), 7, 30))

    # 30 days end on Saturday 10 May: the answer is due on Monday 12 May (DOMAIN.md)
    assert [row["due_date"] for row in rows] == [d("2025-05-12")]
    assert (
        registry()["supervision.review_due"]
        .url(rows[0]["item_key"])
        .endswith(f"/complaints/{complaint.pk}/")
    )
