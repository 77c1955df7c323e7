"""Read-side functions that cross app boundaries: what the cadres app reads from the
supervision, poverty and grassroots apps, in one place.

Complaints are read through supervision.selectors only, which returns the safe fields
(tracking code, category, dates, status) and never the reporter's identity.
"""

import math
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from cadres.models import Appointment, Cadre, CadreRules, PostLevel, ReserveEntry
from grassroots.selectors import meetings_attended_by_cadre
from portal.roles import Access, Area, can
from poverty.selectors import pairings_for_cadre, visits_by_cadre
from supervision.selectors import complaints_about_cadre, complaints_blocking_appointment


def blocking_complaints(cadre) -> QuerySet:
    """Open complaints with specific clues about `cadre`: the fourth of the four musts."""
    return complaints_blocking_appointment(cadre)


def with_blocking_complaint(appointments: QuerySet[Appointment]) -> QuerySet[Appointment]:
    """Annotate `blocking_complaint_code`: the oldest open complaint with specific clues
    about the appointment's cadre (NULL when none), as one subquery per page."""
    blocking = complaints_blocking_appointment(OuterRef("cadre"))
    return appointments.annotate(
        blocking_complaint_code=Subquery(blocking.values("tracking_code")[:1]),
        has_blocking_complaint=Exists(blocking),
    )


@dataclass
class Timeline:
    cadre: Cadre
    posts: QuerySet
    assessments: QuerySet
    trainings: QuerySet
    merits: QuerySet
    appointments: QuerySet
    pairings: QuerySet
    visits: QuerySet
    meetings: QuerySet
    complaints: QuerySet | None  # None: the viewer may not see complaints


def timeline_for(cadre: Cadre, user) -> Timeline:
    """Everything about a person across the apps. Complaints about them appear only for
    roles that read the supervision area (the complaint office and administrators)."""
    sees_complaints = can(user, Area.SUPERVISION, Access.READ)
    return Timeline(
        cadre=cadre,
        posts=cadre.posts.select_related("unit").order_by("-start_date", "-pk"),
        assessments=cadre.assessments.order_by("-year"),
        trainings=cadre.trainings.order_by("-start_date"),
        merits=cadre.merits.order_by("-decided_on"),
        appointments=cadre.appointments.select_related("proposed_unit").order_by("-motion_on"),
        pairings=pairings_for_cadre(cadre),
        visits=visits_by_cadre(cadre)[:50],
        meetings=meetings_attended_by_cadre(cadre)[:50],
        complaints=complaints_about_cadre(cadre) if sees_complaints else None,
    )


@dataclass
class ReserveRow:
    level: str
    label: str
    posts: int
    reserves: int
    women: int
    max_reserves: int
    min_women: int

    @property
    def over_ratio(self) -> bool:
        return self.reserves > self.max_reserves

    @property
    def too_few_women(self) -> bool:
        return self.women < self.min_women


def reserve_report(cadres: QuerySet[Cadre], *, on=None) -> list[ReserveRow]:
    """Per post level: posts held, reserve cadres, women among them, against the configured
    ratios (at most `reserve_max_per_post` reserves per post, at least a share of women)."""
    on = on or timezone.localdate()
    rules = CadreRules.current()
    posts = dict(
        cadres.with_current_post(on)
        .filter(current_level__isnull=False)
        .values_list("current_level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    pool = {
        row["level"]: row
        for row in ReserveEntry.objects.active(on)
        .filter(cadre__in=cadres)
        .values("level")
        .annotate(n=Count("pk"), women=Count("pk", filter=Q(cadre__gender="female")))
        .order_by()
    }
    rows = []
    for level in PostLevel:
        held = posts.get(level.value, 0)
        reserves = pool.get(level.value, {}).get("n", 0)
        rows.append(
            ReserveRow(
                level=level.value,
                label=level.label,
                posts=held,
                reserves=reserves,
                women=pool.get(level.value, {}).get("women", 0),
                max_reserves=math.floor(held * rules.reserve_max_per_post),
                min_women=math.ceil(reserves * rules.reserve_min_women_share),
            )
        )
    return rows
