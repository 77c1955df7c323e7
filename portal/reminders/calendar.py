"""The personal calendar feed (iCalendar): one all-day event per open deadline.

Phones poll the feed every few minutes to hours, and it rarely changes. The items are read
(one query), and their fingerprint is the feed's ETag: a client that has this version gets
304 Not Modified, and the rendered body of a version is cached, so only a changed feed is
rendered again (rendering 500 events cost more than reading them).
"""

import contextlib
import datetime
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from portal.reminders.selectors import ResponsibleItems

# A phone refetches the whole feed; 500 events cover any one person's open items.
FEED_LIMIT = 500


# How long a rendered version stays cached (a changed feed has another key anyway).
CACHE_SECONDS = 6 * 3600


@dataclass(frozen=True)
class Feed:
    etag: str  # quoted, as in the ETag header
    items: list
    base_url: str
    today: date

    def body(self) -> bytes:
        key = f"ical:{self.etag.strip(chr(34))}"
        try:
            body = cache.get(key)
        except Exception:  # Redis down: the feed still answers, only slower
            body = None
        if body is None:
            body = _render(self.items, base_url=self.base_url, today=self.today)
            # A cache that cannot store only makes the next fetch render again.
            with contextlib.suppress(Exception):
                cache.set(key, body, CACHE_SECONDS)
        return body


def feed_for(user, *, today: date, base_url: str) -> Feed:
    """The user's items (one query) and their version's ETag; the body renders on demand."""
    items = list(ResponsibleItems(user, today=today)[:FEED_LIMIT])
    digest = hashlib.sha256()
    for part in (settings.LANGUAGE_CODE, base_url, today.isoformat()):
        digest.update(part.encode() + b"\0")
    for item in items:
        digest.update(f"{item.uid}\0{item.due_date}\0{item.title}\n".encode())
    return Feed(f'"{digest.hexdigest()[:32]}"', items, base_url, today)


def feed(user, *, today: date, base_url: str) -> bytes:
    return feed_for(user, today=today, base_url=base_url).body()


def _render(items, *, base_url: str, today: date) -> bytes:
    base = base_url.rstrip("/")
    # The day's start, not the clock: the same items give the same bytes all day.
    stamp = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    calendar = Calendar()
    calendar.add("prodid", "-//Organization Department portal//deadlines//ZH")
    calendar.add("version", "2.0")
    with translation.override(settings.LANGUAGE_CODE):
        calendar.add("x-wr-calname", _("My deadlines"))
        for item in items:
            event = Event()
            event.add("uid", f"{item.uid}@portal")
            event.add("dtstamp", stamp)
            event.add("dtstart", item.due_date)
            event.add("dtend", item.due_date + timedelta(days=1))
            event.add("summary", item.title)
            event.add("categories", [str(item.deadline.label)])
            if item.url:
                event.add("url", f"{base}{item.url}")
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", item.title)
            alarm.add("trigger", timedelta(days=-1))
            event.add_component(alarm)
            calendar.add_component(event)
    return calendar.to_ical()
