import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from portal import areas
from portal.areas import today_figures
from portal.reminders.selectors import ResponsibleItems
from portal.roles import Access, access
from portal.search import SearchForm
from portal.search import search as find

# How many of the user's deadlines the start page lists (the rest are one click away).
HOME_DEADLINES = 5


def search(request):
    """The navigation bar's search (portal/search.py): the hits of every kind the user's role
    may search, grouped; the box's dropdown (an htmx request) or a page of its own."""
    form = SearchForm(request.GET)
    groups = []
    text = ""
    if form.is_valid():
        text = form.cleaned_data["q"]
        groups = find(request.user, text) if text else []
    partial = request.headers.get("HX-Request") == "true"
    template = "portal/_search_results.html" if partial else "portal/search.html"
    return render(request, template, {"form": form, "groups": groups, "text": text})


def home(request):
    """The start page: a card per area the role reaches, with a few figures the role may
    see, and the user's most urgent deadlines. A fixed number of queries, whatever the data."""
    user = request.user
    today = timezone.localdate()
    cards = [
        {
            "area": entry.area,
            "label": entry.label,
            "url": reverse(entry.url_name),
            "figures": today_figures(entry, user, today),
        }
        for entry in areas.entries()
        if access(user, entry.area) > Access.NONE
    ]
    deadlines = ResponsibleItems(user, today=today)[:HOME_DEADLINES]
    return render(
        request,
        "portal/home.html",
        {"cards": cards, "deadlines": deadlines, "today": today},
    )


@login_not_required
@never_cache
def healthz_live(request):
    """Liveness: the process answers. Touches no dependency, so a database outage never gets
    a healthy web process restarted."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
def healthz_ready(request):
    """Readiness: 200 while PostgreSQL answers, else 503. Redis down is reported as
    "degraded" but still 200: pages, sessions and sign-in keep working without it (only
    reminders wait for the broker to come back)."""
    status = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        status["database"] = f"error: {exc.__class__.__name__}"
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1).ping()
        status["redis"] = "ok"
    except Exception as exc:  # noqa: BLE001
        status["redis"] = f"error: {exc.__class__.__name__}"
    if status["database"] != "ok":
        overall = "error"
    elif status["redis"] != "ok":
        overall = "degraded"
    else:
        overall = "ok"
    return JsonResponse({"status": overall, **status}, status=503 if overall == "error" else 200)
