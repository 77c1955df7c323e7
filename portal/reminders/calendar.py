"""The personal calendar feed (iCalendar): one all-day event per open deadline."""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from portal.reminders.selectors import ResponsibleItems

# A phone refetches the whole feed; 500 events cover any one person's open items.
FEED_LIMIT = 500


def feed(user, *, today: date, base_url: str) -> bytes:
    base = base_url.rstrip("/")
    stamp = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//Organization Department portal//deadlines//ZH")
    calendar.add("version", "2.0")
    with translation.override(settings.LANGUAGE_CODE):
        calendar.add("x-wr-calname", _("My deadlines"))
        for item in ResponsibleItems(user, today=today)[:FEED_LIMIT]:
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
