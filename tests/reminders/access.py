"""The reminder pages are personal: any logged-in user reaches their own (area None).

A notification belonging to someone else is a 404 for every role, the county's included;
that is tested in tests/reminders/test_views.py, since the matrix's "outside" means another
subtree.
"""

from portal.deadlines import registry
from tests.access import Entry
from tests.reminders.factories import delivered_notification


def own_notification(world, user):
    return {"pk": delivered_notification(user).pk}


def any_deadline(world, user):
    # Any registered deadline: the view redirects to its record, or back to the list with
    # a message when the record does not exist (the record's page checks access itself).
    return {"key": sorted(registry())[0], "item_key": "0"}


def own_token(world, user):
    return {"token": user.calendar_token}


ENTRIES = [
    Entry("reminders:my-deadlines", area=None),
    Entry("reminders:deadline-open", area=None, make=any_deadline, ok_statuses=(302,)),
    Entry("reminders:notification-list", area=None),
    # Opening a notification marks it read and redirects to the record.
    Entry("reminders:notification-open", area=None, make=own_notification, ok_statuses=(302,)),
    Entry(
        "reminders:notification-read",
        area=None,
        make=own_notification,
        method="post",
        ok_statuses=(302,),
    ),
    Entry("reminders:notification-read-all", area=None, method="post", ok_statuses=(302,)),
    Entry("reminders:preferences", area=None),
    Entry("reminders:calendar-renew", area=None, method="post", ok_statuses=(302,)),
    # The feed is fetched by phones without a session: the secret token is the key.
    Entry("reminders:calendar-feed", area=None, make=own_token, public=True),
]
