"""What the pages and the export of collective decisions read, written once for both."""

import datetime

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grassroots.decisions.models import (
    STEP_ORDER,
    TEAMS,
    VILLAGES,
    MajorMatter,
    MatterStatus,
    Presence,
    Stance,
    VillageMatter,
)
from portal.charts import STATUS_COLOURS, Chart, Series
from portal.models import Organization


def organization(user, pk) -> Organization:
    return get_object_or_404(Organization.objects.visible_to(user), pk=pk)


def team(user, pk) -> Organization:
    """A leadership team in the user's subtree (another organisation: 404)."""
    return get_object_or_404(Organization.objects.visible_to(user).filter(TEAMS), pk=pk)


def village(user, pk) -> Organization:
    """A village branch in the user's subtree (another organisation: 404)."""
    return get_object_or_404(Organization.objects.visible_to(user).filter(VILLAGES), pk=pk)


def is_team(org: Organization) -> bool:
    return Organization.objects.filter(TEAMS, pk=org.pk).exists()


def is_village(org: Organization) -> bool:
    return Organization.objects.filter(VILLAGES, pk=org.pk).exists()


def major_matters_of(org: Organization):
    return MajorMatter.objects.filter(organization=org).order_by("-raised_on", "-pk")


def village_matters_of(org: Organization, today: datetime.date):
    return (
        VillageMatter.objects.filter(organization=org)
        .with_due(today)
        .order_by("-created_at", "-pk")
    )


def village_rollup(parent: Organization, today: datetime.date) -> list[dict]:
    """The villages below `parent`, grouped per child (a township's villages): counts of
    matters, finished, not adopted, overdue and skipped (2 queries)."""
    rows = list(VillageMatter.objects.rollup(parent, today))
    children = {
        org.path: org
        for org in Organization.objects.filter(path__in=[row["child_path"] for row in rows])
    }
    for row in rows:
        row["organization"] = children.get(row["child_path"])
    return [row for row in rows if row["organization"] is not None]


def village_chart(rows: list[dict]) -> Chart:
    """The villages' rollup as a chart (the dashboards' component): the same numbers as the
    table, each bar leading to the village's decisions. No query of its own."""
    links = [reverse("grassroots:decision-list", args=[row["organization"].pk]) for row in rows]
    figures = [
        (_("Matters recorded"), "matters", ""),
        (_("Finished"), "finished", STATUS_COLOURS["met"]),
        (_("Notice overdue"), "overdue_count", STATUS_COLOURS["missed"]),
        (_("Notice skipped"), "skipped", STATUS_COLOURS["due"]),
    ]
    return Chart(
        id="decisions-villages",
        title=_("Village matters (四议两公开) by organisation"),
        kind="hbar",
        category_label=_("Organisation"),
        categories=[row["organization"].name for row in rows],
        series=[
            Series(label=label, values=[row[key] for row in rows], links=links, colour=colour)
            for label, key, colour in figures
        ],
    )


def team_rollup(parent: Organization) -> list[dict]:
    """Leadership teams in the subtree with their 三重一大 matters: decided, awaiting a
    meeting, carried out without one (the violation §8 names), by team (1 query)."""
    return list(
        MajorMatter.objects.in_subtree(parent)
        .values("organization_id", "organization__name")
        .annotate(
            matters=Count("pk"),
            decided=Count("pk", filter=~Q(status=MatterStatus.PENDING)),
            without_meeting=Count("pk", filter=Q(status=MatterStatus.PENDING)),
            violations=Count(
                "pk", filter=Q(status=MatterStatus.PENDING, carried_out_on__isnull=False)
            ),
        )
        .order_by("-violations", "-without_meeting", "organization__name")
    )


def late_village_matters(parent: Organization, today: datetime.date):
    """The matters behind: a notice overdue, or carried out before the decision was public."""
    return (
        VillageMatter.objects.in_subtree(parent)
        .with_due(today)
        .filter(Q(overdue=True) | Q(skipped_notice=True))
        .select_related("organization")
        .order_by("next_due_on", "pk")
    )


def steps_to_come(matter: VillageMatter) -> list:
    """The steps not yet recorded, in order (none after a matter not adopted)."""
    if matter.adopted is False:
        return []
    done = STEP_ORDER.index(matter.stage) + 1 if matter.stage else 0
    return STEP_ORDER[done:]


def speaker_rows(seats, posted=None) -> list[dict]:
    """The decision form's rows, one per seat: the principal leader's turn defaults to last
    (末位表态), the others in the order of their seats."""
    rows = []
    count = len(seats)
    for index, seat in enumerate(seats):
        default_turn = count if index == 0 else index
        get = (posted or {}).get
        rows.append(
            {
                "seat": seat,
                "presence": get(f"presence-{seat.pk}", Presence.PRESENT),
                "turn": get(f"turn-{seat.pk}", default_turn),
                "stance": get(f"stance-{seat.pk}", Stance.AGREE),
                "opinion": get(f"opinion-{seat.pk}", ""),
                "reason": get(f"reason-{seat.pk}", ""),
            }
        )
    return rows
