"""The reminder pages are personal: any logged-in user reaches their own (area None).

A notification belonging to someone else is a 404 for every role, the county's included;
that is tested in tests/reminders/test_views.py, since the matrix's "outside" means another
subtree.
"""

import datetime

from django.urls import reverse

from portal.deadlines import registry
from portal.reminders.models import Reminder
from tests.access import Entry
from tests.reminders.factories import delivered_notification

PERSONAL = "a user's own notifications and settings: someone else's is a 404 (tests/reminders)"


def own_notification(world, user):
    # One per call (several rows open one): each for its own item, as the sweep makes them.
    item = Reminder.objects.filter(recipient=user).count()
    return {"pk": delivered_notification(user, item_key=f"matrix-{item}").pk}


def own_token(world, user):
    return {"token": user.calendar_token}


# --- Following a deadline's link to its record, for every registered deadline ---------------
# Each maker builds a real record in village A1 / township A and returns (item_key, the URL the
# link must lead to). The record's own page checks access (its rows in this matrix); this
# view only redirects, so it answers 302 to everyone.


def _appointment(world):
    from tests.cadres.access import _appointment as appointment

    record = appointment(world.township_a)
    return f"{record.pk}:x", reverse("cadres:appointment-detail", args=[record.pk])


def _cadre(world):
    from tests.cadres.access import _cadre as cadre

    record = cadre(world.township_a)
    return f"{record.pk}:2025", reverse("cadres:cadre-detail", args=[record.pk]) + "#career"


def _branch(world):
    key = f"{world.branch_a1.pk}:2026-Q4"
    return key, reverse("grassroots:branch-detail", kwargs={"pk": world.branch_a1.pk})


def _member(world):
    from tests.grassroots.access import _member as member

    record = member(world.branch_a1)
    return f"{record.pk}:x", reverse("grassroots:member-detail", kwargs={"pk": record.pk})


def _term(world):
    from grassroots import services
    from tests.grassroots.access import _member as member

    term = services.committee_term_create(
        organization=world.branch_a1,
        starts_on=datetime.date(2024, 1, 1),
        seats=[(member(world.branch_a1), "secretary")],
    )
    return str(term.pk), reverse("grassroots:branch-detail", kwargs={"pk": world.branch_a1.pk})


def _village_matter(world):
    from tests.grassroots.access import _village_matter as village_matter

    record = village_matter(world.branch_a1)
    return str(record.pk), reverse("grassroots:village-matter-detail", kwargs={"pk": record.pk})


def _household(world):
    from tests.poverty.access import _household as household

    record = household(world, world.user("staff"), outside=False)
    return f"{record.pk}:x", reverse("poverty:household-detail", kwargs={"pk": record.pk})


def _pairing(world):
    from tests.poverty.access import _household as household

    record = household(world, world.user("staff"), outside=False)
    pairing = record.pairings.get()
    return f"{pairing.pk}:x", reverse("poverty:household-detail", kwargs={"pk": record.pk})


def _village(world):
    from tests.poverty.access import _village as village

    record = village(world.branch_a1)
    return f"{record.pk}:x", reverse("poverty:village-update", kwargs={"pk": record.pk})


def _complaint(world):
    from tests.supervision.access import inside

    pk = inside(world, None)["pk"]
    return str(pk), reverse("supervision:complaint-detail", kwargs={"pk": pk})


DEADLINE_RECORDS = {
    "cadres.notice_end": _appointment,
    "cadres.probation_end": _appointment,
    "cadres.assessment_missing": _cadre,
    "cadres.four_musts_open": _appointment,
    "grassroots.meeting_due": _branch,
    "grassroots.probation_end": _member,
    "grassroots.term_end": _term,
    "grassroots.activist_assessment": _member,
    "grassroots.decision_notice": _village_matter,
    "grassroots.result_notice": _village_matter,
    "grassroots.secretary_lecture": _branch,
    "poverty.visit_overdue": _pairing,
    "poverty.village_incomplete": _village,
    "poverty.exit_notice_end": _household,
    "supervision.accept_due": _complaint,
    "supervision.reply_due": _complaint,
    "supervision.review_due": _complaint,
    "supervision.rereview_due": _complaint,
}
_targets: dict[tuple[int, str], str] = {}


def _deadline(key):
    def make(world, user):
        item_key, target = DEADLINE_RECORDS[key](world)
        _targets[(user.pk, key)] = target
        return {"key": key, "item_key": item_key}

    def leads_to_the_record(response, world, user, kwargs):
        assert response["Location"] == _targets[(user.pk, key)]

    return Entry(
        "reminders:deadline-open",
        area=None,
        make=make,
        ok_statuses=(302,),
        label=key,
        outside_exempt="the link only redirects; the record's own page answers 404 outside",
        check=leads_to_the_record,
    )


ENTRIES = [
    Entry("reminders:my-deadlines", area=None),
    *[_deadline(key) for key in sorted(registry())],
    Entry("reminders:notification-list", area=None),
    # Opening a notification (a POST) marks it read and redirects to the record.
    Entry(
        "reminders:notification-open",
        area=None,
        make=own_notification,
        method="post",
        ok_statuses=(302,),
        outside_exempt=PERSONAL,
    ),
    Entry(
        "reminders:notification-read",
        area=None,
        make=own_notification,
        method="post",
        ok_statuses=(302,),
        outside_exempt=PERSONAL,
    ),
    Entry("reminders:notification-read-all", area=None, method="post", ok_statuses=(302,)),
    Entry("reminders:preferences", area=None),
    Entry("reminders:calendar-renew", area=None, method="post", ok_statuses=(302,)),
    # The feed is fetched by phones without a session: the secret token is the key.
    Entry(
        "reminders:calendar-feed",
        area=None,
        make=own_token,
        public=True,
        outside_exempt="the user's own secret token; another token is tested in tests/reminders",
    ),
]
