"""What each grassroots list page shows, written once for the page and for its export: the
page renders these rows (a page at a time), the export writes all of them, with the same
filters, so the two cannot differ."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from grassroots.forms import MeetingFilter, MemberFilter
from grassroots.models import ComplianceCell, Meeting, PartyMember, branch_size_rollup
from portal.models import Organization
from portal.params import date as read_date


def day_from(params, today: datetime.date, name: str = "day", *, request=None) -> datetime.date:
    """The day a compliance page is about (?day=YYYY-MM-DD), today when absent or not a date
    (with a message when there is a `request` to tell: portal/params.py)."""
    return read_date(request, name, today, source=params, label=_("Day"))


def members(user, params) -> MemberFilter:
    """The member list: the user's members with the page's filters (filterset.qs)."""
    base = PartyMember.objects.visible_to(user).select_related("branch", "party_group")
    return MemberFilter(params, queryset=base, user=user)


def meetings(user, params) -> MeetingFilter:
    base = Meeting.objects.visible_to(user).select_related("organization")
    return MeetingFilter(params, queryset=base, user=user)


def compliance_organization(user, pk) -> Organization:
    """The organisation of a compliance page, looked up in the user's subtree (else 404)."""
    return get_object_or_404(Organization.objects.visible_to(user), pk=pk)


def requirement_cells(organization: Organization, day, today) -> list:
    """The organisation's requirements with their status (one query), and the days left."""
    cells = list(
        ComplianceCell.objects.filter(organization=organization)
        .for_day(day, today=today)
        .select_related("requirement")
        .order_by("requirement__kind")
    )
    for cell in cells:
        cell.days_left = (cell.period_end - today).days
    return cells


def rollup_rows(parent: Organization, day, today) -> list[dict]:
    """The compliance rollup per child of `parent` for the periods containing `day`, with
    what was missed in the periods before them, the child organisations, and the branches
    off the branch-size rule beneath each (4 queries)."""
    cells = ComplianceCell.objects.all()
    rows = list(cells.for_day(day, today=today).rollup(parent))
    before = {
        row["child_path"]: row["missed"]
        for row in cells.for_day(day, today=today, previous=True).rollup(parent)
    }
    children = {
        org.path: org
        for org in Organization.objects.filter(path__in=[row["child_path"] for row in rows])
    }
    sizes = {row["child_path"]: row for row in branch_size_rollup(parent)}
    for row in rows:
        row["organization"] = children.get(row["child_path"])
        row["missed_before"] = before.get(row["child_path"], 0)
        row["size"] = sizes.get(row["child_path"])
    return [row for row in rows if row["organization"] is not None]


def subtree_cells(organization: Organization, day, today):
    """Every organisation × requirement cell in the subtree for the periods containing `day`
    (the township's compliance report), in tree order."""
    return (
        ComplianceCell.objects.in_subtree(organization)
        .for_day(day, today=today)
        .select_related("organization", "requirement")
        .order_by("organization__path", "requirement__kind")
    )


def roster_below(organization: Organization, day) -> "PartyMember.objects":
    """Party members (probationary and full) on the roster of any branch in the subtree on
    `day`: the 党员花名册 of a branch or a township."""
    return (
        PartyMember.objects.on_roster_below(organization, day)
        .select_related("branch", "party_group")
        .order_by("branch__path", "name", "pk")
    )
