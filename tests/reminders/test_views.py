"""The user's pages: bell, notifications, My deadlines, preferences, calendar feed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from portal.models import User
from portal.reminders.models import Reminder
from portal.reminders.services import reminders_deliver, reminders_sweep
from portal.roles import Role
from tests.reminders.factories import (
    branch_item,
    delivered_notification,
    personal_item,
    secretary_of,
)

pytestmark = pytest.mark.usefixtures("test_deadlines")


@pytest.fixture
def secretary(world):
    return world.user(Role.SECRETARY)


def test_the_bell_shows_the_unread_count(client, secretary):
    for _n in range(3):
        delivered_notification(secretary, item_key=str(_n))
    delivered_notification(secretary, item_key="read", read_at=timezone.now())
    client.force_login(secretary)

    page = client.get(reverse("home")).content.decode()

    assert 'data-testid="unread-count">3<' in page


def test_the_bell_has_no_count_when_all_is_read(client, secretary):
    delivered_notification(secretary, read_at=timezone.now())
    client.force_login(secretary)

    page = client.get(reverse("home")).content.decode()

    assert "unread-count" not in page


def test_the_bell_keeps_working_when_redis_is_down(client, secretary, settings):
    # the bell must not use the cache: point the cache at a closed port
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    delivered_notification(secretary)
    client.force_login(secretary)

    response = client.get(reverse("reminders:notification-list"))

    assert response.status_code == 200
    assert 'data-testid="unread-count">1<' in response.content.decode()


def _notifications(user, count):
    for n in range(count):
        delivered_notification(user, item_key=f"n{n}")


@pytest.mark.parametrize("rows", [1, 50])
def test_notification_list_query_count_does_not_grow(
    client, secretary, rows, django_assert_num_queries
):
    _notifications(secretary, rows)
    client.force_login(secretary)
    # session, user, the page's count and rows, the bell's count, the user menu's organisation
    with django_assert_num_queries(6):
        response = client.get(reverse("reminders:notification-list"))
    assert response.status_code == 200


def test_notifications_list_unread_first_and_only_ones_own(client, secretary, world):
    read = delivered_notification(secretary, item_key="1", title="已读", read_at=timezone.now())
    unread = delivered_notification(secretary, item_key="2", title="未读")
    delivered_notification(world.user(Role.STAFF), title="别人的提醒")
    client.force_login(secretary)

    response = client.get(reverse("reminders:notification-list"))

    assert list(response.context["notifications"]) == [unread, read]
    assert "别人的提醒" not in response.content.decode()


def test_opening_a_notification_marks_it_read_and_lands_on_the_record(client, secretary):
    reminder = delivered_notification(secretary)
    client.force_login(secretary)
    url = reverse("reminders:notification-open", args=[reminder.pk])
    # the list opens it with a POST (a button styled as the notification's title)
    listed = client.get(reverse("reminders:notification-list")).content.decode()
    assert f'<form method="post" action="{url}"' in listed

    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"] == f"/?branch={secretary.organization_id}"
    reminder.refresh_from_db()
    assert reminder.read_at is not None


def test_a_get_of_the_open_link_lands_on_the_record_and_changes_nothing(client, secretary):
    # given an unread notification whose address a prefetch, a crawler or a mail scanner GETs
    reminder = delivered_notification(secretary)
    client.force_login(secretary)

    response = client.get(reverse("reminders:notification-open", args=[reminder.pk]))

    # then it still leads to the record, and the notification stays unread
    assert response.status_code == 302
    assert response["Location"] == f"/?branch={secretary.organization_id}"
    reminder.refresh_from_db()
    assert reminder.read_at is None


def test_another_users_notification_is_not_found_even_for_the_county(client, secretary, world):
    reminder = delivered_notification(secretary)
    client.force_login(world.user(Role.ADMIN))

    opened = client.post(reverse("reminders:notification-open", args=[reminder.pk]))
    read = client.post(reverse("reminders:notification-read", args=[reminder.pk]))

    assert (opened.status_code, read.status_code) == (404, 404)
    reminder.refresh_from_db()
    assert reminder.read_at is None


def test_mark_read_with_htmx_returns_the_row(client, secretary):
    reminder = delivered_notification(secretary)
    client.force_login(secretary)

    response = client.post(
        reverse("reminders:notification-read", args=[reminder.pk]), HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert f'id="notification-{reminder.pk}"' in body
    assert "<html" not in body
    # the bell is swapped out of band: no unread count left
    assert 'id="notification-bell" hx-swap-oob="true"' in body
    assert "unread-count" not in body
    reminder.refresh_from_db()
    assert reminder.read_at is not None


def test_mark_all_read(client, secretary, world):
    _notifications(secretary, 3)
    others = delivered_notification(world.user(Role.STAFF))
    client.force_login(secretary)

    client.post(reverse("reminders:notification-read-all"))

    assert not Reminder.objects.visible_to(secretary).unread().exists()
    others.refresh_from_db()
    assert others.read_at is None


def test_my_deadlines_lists_what_i_am_responsible_for_overdue_first(client, world):
    today = timezone.localdate()
    # given Zhang, secretary of a branch two days late, with a personal item due tomorrow
    late = branch_item(world.township_a, today - timedelta(days=2), name="逾期")
    zhang = secretary_of(late, username="zhang")
    personal_item(zhang, today + timedelta(days=1))
    # and other secretaries' items
    secretary_of(branch_item(world.township_a, today + timedelta(days=5), name="下周"))
    secretary_of(branch_item(world.township_b, today, name="别的支部"))
    client.force_login(zhang)

    response = client.get(reverse("reminders:my-deadlines"))

    # then both of hers are listed, the overdue one first, and nobody else's
    items = response.context["items"]
    assert [item.title for item in items] == [late.name, "个人事项 zhang"]
    assert items[0].overdue and items[0].days_overdue == 2
    assert items[0].url == f"/deadlines/tests.branch_due/{late.pk}"
    body = response.content.decode()
    assert "别的支部" not in body and "下周" not in body
    assert f'href="/deadlines/tests.branch_due/{late.pk}"' in body


@pytest.mark.parametrize("rows", [1, 50])
def test_my_deadlines_query_count_does_not_grow(client, world, rows, django_assert_num_queries):
    today = timezone.localdate()
    secretary = world.user(Role.SECRETARY)
    for n in range(rows):
        branch = branch_item(world.branch_a1, today + timedelta(days=n % 20), name=f"小组{n}")
        User.objects.create(username=f"s{n}", role=Role.SECRETARY, organization=branch)
    personal_item(secretary, today)
    client.force_login(secretary)
    # session, user, the page's items with their total (one UNION over all deadlines,
    # count(*) OVER (): 6 - 1 since the count and the page became one query), the bell's
    # count, the user menu's organisation
    with django_assert_num_queries(5):
        response = client.get(reverse("reminders:my-deadlines"))
    assert len(response.context["items"]) == 1


def test_preferences_are_saved(client, secretary):
    client.force_login(secretary)

    response = client.post(
        reverse("reminders:preferences"),
        {"email_reminders": "on", "email_mode": User.EmailMode.IMMEDIATE},
    )

    assert response.status_code == 302
    secretary.refresh_from_db()
    assert secretary.email_mode == User.EmailMode.IMMEDIATE
    client.post(reverse("reminders:preferences"), {"email_mode": User.EmailMode.DIGEST})
    secretary.refresh_from_db()
    assert secretary.email_reminders is False


def test_a_bad_choice_is_refused_and_nothing_saved(client, secretary):
    client.force_login(secretary)

    response = client.post(reverse("reminders:preferences"), {"email_mode": "hourly"})

    assert response.status_code == 200
    assert response.context["form"].errors
    secretary.refresh_from_db()
    assert secretary.email_mode == User.EmailMode.DIGEST


def test_the_calendar_feed_lists_my_deadlines(client, world):
    today = timezone.localdate()
    helper = personal_item(world.user(Role.HELPER), today + timedelta(days=3))

    response = client.get(reverse("reminders:calendar-feed", args=[helper.calendar_token]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["个人事项 helper"]
    assert events[0].decoded("DTSTART") == today + timedelta(days=3)
    assert str(events[0]["URL"]).endswith(f"/deadlines/tests.personal_due/{helper.pk}")


def test_a_wrong_or_renewed_calendar_token_is_not_found(client, world):
    helper = world.user(Role.HELPER)
    old = helper.calendar_token
    client.force_login(helper)

    client.post(reverse("reminders:calendar-renew"))
    client.logout()

    helper.refresh_from_db()
    assert helper.calendar_token != old
    assert client.get(reverse("reminders:calendar-feed", args=[old])).status_code == 404
    assert client.get(reverse("reminders:calendar-feed", args=["guess"])).status_code == 404
    assert (
        client.get(reverse("reminders:calendar-feed", args=[helper.calendar_token])).status_code
        == 200
    )


def test_a_deactivated_users_feed_is_gone(client, world):
    helper = world.user(Role.HELPER)
    User.objects.filter(pk=helper.pk).update(is_active=False)

    response = client.get(reverse("reminders:calendar-feed", args=[helper.calendar_token]))

    assert response.status_code == 404


def test_a_swept_deadline_reaches_the_bell(client, world):
    # given a branch item due in three days and its secretary
    today = timezone.localdate()
    branch = branch_item(world.township_a, today + timedelta(days=3))
    secretary = secretary_of(branch)
    client.force_login(secretary)
    assert "unread-count" not in client.get(reverse("home")).content.decode()

    # when the sweep and delivery run
    reminders_sweep(today=today)
    reminders_deliver()

    # then the bell shows one, and the list says what is due
    response = client.get(reverse("reminders:notification-list"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert 'data-testid="unread-count">1<' in page
    assert branch.name in page
    assert "Due within 3 days" in page


def test_a_deadline_link_leads_to_the_record(client, secretary):
    client.force_login(secretary)

    response = client.get(reverse("reminders:deadline-open", args=["tests.branch_due", "17"]))

    assert response.status_code == 302
    assert response["Location"] == "/?branch=17"


def test_a_link_to_a_vanished_record_goes_back_to_the_list(client, secretary, test_deadlines):
    import dataclasses

    import portal.deadlines

    def gone(item_key):
        raise Reminder.DoesNotExist

    deadline = dataclasses.replace(test_deadlines["tests.branch_due"], url=gone)
    portal.deadlines._REGISTRY["tests.branch_due"] = deadline
    client.force_login(secretary)

    response = client.get(reverse("reminders:deadline-open", args=["tests.branch_due", "17"]))

    assert response["Location"] == reverse("reminders:my-deadlines")


def test_an_unknown_deadline_is_not_found(client, secretary):
    client.force_login(secretary)

    response = client.get(reverse("reminders:deadline-open", args=["nowhere.none", "1"]))

    assert response.status_code == 404


def test_the_calendar_feed_answers_not_modified_until_an_item_changes(client, world):
    today = timezone.localdate()
    helper = personal_item(world.user(Role.HELPER), today + timedelta(days=3))
    url = reverse("reminders:calendar-feed", args=[helper.calendar_token])
    first = client.get(url)
    etag = first["ETag"]
    assert "no-store" not in first["Cache-Control"] and "private" in first["Cache-Control"]

    # the phone asks again with the version it has: nothing to send
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""

    # the item moves: a new version, sent in full
    personal_item(helper, today + timedelta(days=5))
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    events = Calendar.from_ical(changed.content).walk("VEVENT")
    assert [e.decoded("DTSTART") for e in events] == [today + timedelta(days=5)]


@pytest.mark.django_db
def test_my_deadlines_offers_the_calendar_link(client_as, world):
    from django.urls import reverse

    secretary = world.user("secretary")
    html = client_as("secretary").get(reverse("reminders:my-deadlines")).content.decode()
    feed = reverse("reminders:calendar-feed", kwargs={"token": secretary.calendar_token})
    assert feed in html
    assert "在手机日历中查看这些期限" in html
