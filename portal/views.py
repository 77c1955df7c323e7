import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from cadres.models import Appointment
from grassroots.models import ComplianceCell, ComplianceStatus
from portal.context_processors import AREA_LINKS
from portal.reminders.selectors import ResponsibleItems
from portal.roles import Access, Area, Capability, access, can, may
from poverty.models import Pairing
from supervision import statistics
from supervision.models import Complaint

# How many of the user's deadlines the start page lists (the rest are one click away).
HOME_DEADLINES = 5


def _figure(label, value, url, *, warn=False) -> dict:
    return {"label": label, "value": value, "url": url, "warn": warn and value > 0}


def _grassroots_figures(user, today) -> list[dict]:
    """Organisations in the user's subtree behind on their meetings: the grassroots
    dashboard's compliance queryset (2 queries)."""
    cells = ComplianceCell.objects.visible_to(user)
    due = (
        cells.for_day(today, today=today)
        .filter(status=ComplianceStatus.DUE)
        .aggregate(n=Count("organization", distinct=True))["n"]
    )
    missed = (
        cells.for_day(today, today=today, previous=True)
        .filter(status=ComplianceStatus.MISSED)
        .aggregate(n=Count("organization", distinct=True))["n"]
    )
    url = reverse("grassroots:index")
    return [
        _figure(_("Organisations with a meeting still to hold this period"), due, url),
        _figure(_("Organisations that missed a meeting last period"), missed, url, warn=True),
    ]


def _cadres_figures(user, today) -> list[dict]:
    """Appointments in progress in the user's subtree (1 query)."""
    count = Appointment.objects.visible_to(user).in_progress().count()
    return [_figure(_("Appointments in progress"), count, reverse("cadres:appointment-list"))]


def _poverty_figures(user, today) -> list[dict]:
    """Active pairings and the overdue ones, by the pairings' own overdue rule; a helper's
    are their own households (Pairing.visible_to) (1 query)."""
    counts = (
        Pairing.objects.visible_to(user)
        .active()
        .with_overdue_flag(today)
        .aggregate(active=Count("pk"), overdue=Count("pk", filter=Q(is_overdue=True)))
    )
    helper = not may(user, Capability.ALL_HOUSEHOLDS)
    index = reverse("poverty:index")
    return [
        _figure(_("My households") if helper else _("Active pairings"), counts["active"], index),
        _figure(
            _("Visits overdue"),
            counts["overdue"],
            index if helper else reverse("poverty:pairing-overdue"),
            warn=True,
        ),
    ]


def _supervision_figures(user, today) -> list[dict]:
    """Counts only, from the statistics' summary (1 query). The office's figures lead to its
    queue; staff and leaders (statistics access) reach the statistics page, never a matter."""
    summary = statistics.summary(Complaint.objects.for_statistics(user))
    if can(user, Area.SUPERVISION, Access.READ):
        url = reverse("supervision:complaint-list")
    else:
        url = reverse("supervision:complaint-statistics")
    return [
        _figure(_("Open matters"), summary["open"], url),
        _figure(_("Overdue"), summary["overdue"], url, warn=True),
    ]


AREA_FIGURES = {
    Area.GRASSROOTS: _grassroots_figures,
    Area.CADRES: _cadres_figures,
    Area.POVERTY: _poverty_figures,
    Area.SUPERVISION: _supervision_figures,
}


def home(request):
    """The start page: a card per area the role reaches, with a few figures the role may
    see, and the user's most urgent deadlines. A fixed number of queries, whatever the data."""
    user = request.user
    today = timezone.localdate()
    cards = [
        {
            "area": area,
            "label": label,
            "url": reverse(url_name),
            # Supervision's figures are counts (STATS is enough); the others need READ.
            "figures": AREA_FIGURES[area](user, today)
            if can(user, area, Access.STATS if area == Area.SUPERVISION else Access.READ)
            else [],
        }
        for area, url_name, label in AREA_LINKS
        if access(user, area) > Access.NONE
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
