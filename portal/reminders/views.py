"""The user's own pages: My deadlines, notifications, preferences and the calendar feed.

Everything here is personal: any logged-in user reaches their own pages, and a
notification is looked up only among the user's own (another's id is a 404).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import ListView

from portal import params
from portal.deadlines import registry
from portal.models import User
from portal.reminders import calendar, services
from portal.reminders.models import Reminder
from portal.reminders.selectors import ResponsibleItems

PAGE_SIZE = 25


def my_deadlines(request):
    """Everything the user is responsible for across the apps, overdue first."""
    today = timezone.localdate()
    page = ResponsibleItems(request.user, today=today).page(params.page(request), PAGE_SIZE)
    return render(
        request,
        "reminders/deadline_list.html",
        {
            "page_obj": page,
            "items": page.object_list,
            "today": today,
            "feed_url": _feed_url(request),
        },
    )


def _feed_url(request) -> str:
    """The user's private calendar link (shown on My deadlines and the preferences page)."""
    return request.build_absolute_uri(
        reverse("reminders:calendar-feed", kwargs={"token": request.user.calendar_token})
    )


def deadline_open(request, key, item_key):
    """Follow a deadline's link to its record.

    The lists and the calendar link here rather than to the record itself, so that an app's
    url(item_key) (which may need a query) runs once per click, not once per listed item.
    """
    deadline = registry().get(key)
    if deadline is None:
        raise Http404
    try:
        return redirect(deadline.url(item_key))
    except (NoReverseMatch, ValueError, ObjectDoesNotExist):
        messages.warning(request, _("That record no longer exists."))
        return redirect("reminders:my-deadlines")


class NotificationListView(ListView):
    template_name = "reminders/notification_list.html"
    context_object_name = "notifications"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Reminder.objects.notifications_for(self.request.user)


def _own_notification(request, pk) -> Reminder:
    return get_object_or_404(Reminder.objects.visible_to(request.user).delivered(), pk=pk)


@require_http_methods(["GET", "POST"])
def notification_open(request, pk):
    """Open a notification: the user lands on the record. Only the POST of the notification
    list's button marks it read; a GET (a link followed by a browser's prefetch, a crawler or
    an e-mail scanner) changes nothing."""
    reminder = _own_notification(request, pk)
    if request.method == "POST":
        services.notification_mark_read(reminder=reminder)
    return redirect(reminder.url or reverse("reminders:notification-list"))


@require_POST
def notification_read(request, pk):
    reminder = services.notification_mark_read(reminder=_own_notification(request, pk))
    if request.htmx:
        return render(request, "reminders/_notification_row.html", {"reminder": reminder})
    return redirect("reminders:notification-list")


@require_POST
def notification_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("reminders:notification-list")


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email_reminders", "email_mode"]
        widgets = {"email_mode": forms.RadioSelect}


def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_preferences_update(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your reminder preferences are saved."))
            return redirect("reminders:preferences")
    return render(
        request,
        "reminders/preferences_form.html",
        {"form": form, "feed_url": _feed_url(request)},
    )


@require_POST
def calendar_renew(request):
    services.calendar_token_renew(user=request.user)
    messages.success(
        request,
        _(
            "Your calendar link is renewed. Subscribe again with the new link; the old one no longer works."
        ),
    )
    return redirect("reminders:preferences")


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


@login_not_required
# Personal, and revalidated on every fetch (with the ETag: 304 when nothing changed).
@cache_control(private=True, no_cache=True)
def calendar_feed(request, token):
    """The user's deadlines as an iCalendar feed, at a secret URL (no login: phones fetch it)."""
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404
    feed = calendar.feed_for(
        user, today=timezone.localdate(), base_url=request.build_absolute_uri("/")
    )
    if feed.etag in _etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
        response["ETag"] = feed.etag
        return response
    response = HttpResponse(feed.body(), content_type="text/calendar; charset=utf-8")
    response["ETag"] = feed.etag
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    return response
