from django import template

from portal.reminders.models import Reminder

register = template.Library()


@register.simple_tag
def unread_notification_count(user) -> int:
    """The bell's number: one COUNT on a partial index, never the cache (the page must keep
    working while Redis is down)."""
    if not user.is_authenticated:
        return 0
    return Reminder.objects.visible_to(user).unread().count()
