"""What each cadres list page shows, written once for the page and for its export (the
page renders a page of these rows, the export all of them, with the same filters)."""

from django.db.models import Exists, OuterRef
from django.utils import timezone

from cadres import forms, selectors
from cadres.models import Appointment, Cadre, PostRecord, ReserveEntry, Stage


def cadre_rows(user):
    """The user's cadres with the current post (in SQL) and whether they are in the pool."""
    today = timezone.localdate()
    in_pool = ReserveEntry.objects.filter(cadre=OuterRef("pk")).active(today)
    return (
        Cadre.objects.visible_to(user)
        .with_current_post(today)
        .annotate(in_reserve=Exists(in_pool))
        .select_related("organization")
    )


def cadres(user, params) -> forms.CadreFilter:
    """The cadre list with the page's filters (filterset.qs). The page binds the filter only
    when the query string has something (`request.GET or None`); so does this."""
    return forms.CadreFilter(params or None, queryset=cadre_rows(user), user=user)


def posts(user, params):
    """The post history of the cadres the cadre list shows with the same filters, each
    cadre's posts newest first."""
    shown = cadres(user, params).qs.values("pk")
    return (
        PostRecord.objects.filter(cadre__in=shown)
        .select_related("cadre", "unit")
        .order_by("cadre__name", "cadre_id", "-start_date", "-pk")
    )


def appointments(user, params):
    """The appointment workflow list: in progress by default, ?stage=all or one stage."""
    stage = params.get("stage", "")
    rows = selectors.with_blocking_complaint(
        Appointment.objects.visible_to(user)
        .with_blockers()
        .select_related("cadre", "proposed_unit")
        .order_by("-motion_on", "-pk")
    )
    if stage in Stage.values:
        return rows.filter(stage=stage)
    if stage != "all":
        return rows.in_progress()
    return rows


def reserve_entries(user):
    return (
        ReserveEntry.objects.visible_to(user)
        .active(timezone.localdate())
        .select_related("cadre__organization")
        .order_by("level", "cadre__name", "pk")
    )


def reserve_report(user):
    return selectors.reserve_report(Cadre.objects.visible_to(user))


def selected_cadres(user, ids):
    """Cadres picked on the list (their ids), among those the user may see, in list order."""
    return (
        Cadre.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("organization")
        .prefetch_related("resume_lines", "family_members")
        .order_by("name", "pk")
    )
