"""Thin views: objects come only from `visible_to(user)` (outside the subtree → 404), the
role's access to the area is checked first (→ 403), writes go through grassroots.services."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from grassroots import dashboard as charts
from grassroots import lists, services, yearend
from grassroots.forms import (
    AdvanceForm,
    AssessmentForm,
    AttachmentForm,
    MeetingForm,
    MemberForm,
    MotionForm,
    RemovalForm,
    TransferForm,
    parse_attendance,
)
from grassroots.models import (
    AttendanceStatus,
    Meeting,
    MeetingAttachment,
    MeetingKind,
    Membership,
    Motion,
    PartyMember,
    with_branch_size,
)
from portal import params
from portal.access import AreaAccessMixin, require_access
from portal.charts import AsOfForm
from portal.clientip import client_ip
from portal.forms import attach_error
from portal.models import Organization
from portal.replica import reads_from_replica
from portal.reveals import reveal_response
from portal.roles import Access, Area, Capability, can, may
from portal.scoping import in_subtree
from portal.services import reveal_record
from portal.submissions import once_per_key
from portal.uploads import upload_response

PAGE_SIZE = 50
# Organisations that hold meetings of their own (a county committee's are the townships').
MEETING_ORG_KINDS = [
    Organization.Kind.BRANCH,
    Organization.Kind.JOINT_BRANCH,
    Organization.Kind.GENERAL_BRANCH,
    Organization.Kind.PARTY_GROUP,
    Organization.Kind.PARTY_COMMITTEE,
    Organization.Kind.WORKING_COMMITTEE,
]


def _day(request, name="day") -> datetime.date:
    return lists.day_from(request.GET, timezone.localdate(), name, request=request)


def _home_org(user) -> Organization:
    return user.organization or Organization.objects.get(parent__isnull=True)


# --- Dashboard and compliance ------------------------------------------------------------------


@require_access(Area.GRASSROOTS, Access.READ)
@reads_from_replica
def index(request):
    today = timezone.localdate()
    home = _home_org(request.user)
    context = {"home": home, "today": today, "can_edit": _can_edit(request.user)}
    if home.kind in MEETING_ORG_KINDS and home.kind != Organization.Kind.PARTY_COMMITTEE:
        context["cells"] = lists.requirement_cells(home, today, today)
        context["recent"] = in_subtree(Meeting.objects, home)[:5]
    else:
        context["rollup"] = lists.rollup_rows(home, today, today)
    return render(request, "grassroots/index.html", context)


@require_access(Area.GRASSROOTS, Access.READ)
@reads_from_replica
def dashboard(request, pk):
    """The subtree's charts as of a day (grassroots/dashboard.py), each beside its table."""
    organization = lists.compliance_organization(request.user, pk)
    today = timezone.localdate()
    form = AsOfForm(request.GET, today=today)
    day = form.as_of
    by_child = charts.compliance_by_child(organization, day, today)
    trend, by_kind = charts.compliance_trend(organization, day, today)
    context = {
        "organization": organization,
        "form": form,
        "day": day,
        "ancestors": organization.ancestors().visible_to(request.user),
        "compliance": [by_child, trend, by_kind],
        "structure": charts.member_structure(organization, day),
        "pipeline": charts.pipeline_funnel(organization, day.year),
    }
    return render(request, "grassroots/dashboard.html", context)


@require_access(Area.GRASSROOTS, Access.READ)
@reads_from_replica
def yearend_report(request, pk):
    """The year-end Party statistics of the subtree on 31 December (grassroots/yearend.py):
    on screen, printable, and as .xlsx (the export "yearend")."""
    organization = lists.compliance_organization(request.user, pk)
    form = yearend.YearForm(request.GET, today=timezone.localdate())
    year = form.chosen
    context = {
        "organization": organization,
        "form": form,
        "year": year,
        "day": yearend.year_end(year),
        "ancestors": organization.ancestors().visible_to(request.user),
        "tables": yearend.tables(organization, year),
    }
    return render(request, "grassroots/yearend.html", context)


@require_access(Area.GRASSROOTS, Access.READ)
def organization_compliance(request, pk):
    """Compliance of a subtree for the period containing `day`, with drill-down."""
    organization = lists.compliance_organization(request.user, pk)
    today = timezone.localdate()
    day = _day(request)
    context = {
        "organization": organization,
        "day": day,
        "today": today,
        "ancestors": organization.ancestors().visible_to(request.user),
        "rows": lists.rollup_rows(organization, day, today),
        "own_cells": lists.requirement_cells(organization, day, today),
    }
    return render(request, "grassroots/organization_compliance.html", context)


@require_access(Area.GRASSROOTS, Access.READ)
def branch_detail(request, pk):
    """A branch (or Party group): this period's status per requirement, committee, roster."""
    branch = get_object_or_404(
        with_branch_size(Organization.objects.visible_to(request.user))
        .filter(kind__in=MEETING_ORG_KINDS)
        .select_related("parent"),
        pk=pk,
    )
    today = timezone.localdate()
    day = _day(request)
    term = (
        branch.committee_terms.on(today)
        .prefetch_related("seats__member")
        .order_by("-starts_on")
        .first()
    )
    context = {
        "branch": branch,
        "day": day,
        "today": today,
        "cells": lists.requirement_cells(branch, day, today),
        "term": term,
        "groups": branch.children.filter(kind=Organization.Kind.PARTY_GROUP),
        "roster": PartyMember.objects.on_roster(branch, today).select_related("party_group"),
        "meetings": in_subtree(Meeting.objects, branch).select_related("organization")[:10],
        "can_edit": _can_edit(request.user),
    }
    return render(request, "grassroots/branch_detail.html", context)


def _can_edit(user) -> bool:
    return can(user, Area.GRASSROOTS, Access.EDIT)


# --- Meetings ------------------------------------------------------------------------------


class MeetingListView(AreaAccessMixin, ListView):
    area = Area.GRASSROOTS
    template_name = "grassroots/meeting_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.filterset = lists.meetings(self.request.user, self.request.GET)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


class MeetingDetailView(AreaAccessMixin, DetailView):
    area = Area.GRASSROOTS
    template_name = "grassroots/meeting_detail.html"

    def get_queryset(self):
        return (
            Meeting.objects.visible_to(self.request.user)
            .select_related("organization")
            .prefetch_related(
                "attendances__member",
                "attachments",
                Prefetch("motions", queryset=Motion.objects.with_result()),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_edit=_can_edit(self.request.user),
            motion_form=MotionForm(),
            attachment_form=AttachmentForm(),
            **kwargs,
        )


ROW_ERRORS = {
    "reason_missing": _("Give the reason for this absence, here or in the shared reason below."),
    "reason_too_long": _("At most 200 characters."),
}


def _attendance_rows(organization, kind, day, posted=None, errors=None):
    """The roster due to attend on `day`, each with the status, reason and error to show."""
    posted, errors = posted or {}, errors or {}
    rows = []
    for member in PartyMember.objects.due_at(organization, kind, day):
        status, reason = posted.get(member.pk, (AttendanceStatus.PRESENT, ""))
        rows.append(
            {"member": member, "status": status, "reason": reason, "error": errors.get(member.pk)}
        )
    return rows


def _row_errors(error: ValidationError) -> dict[int, str]:
    """The service's attendance errors by member (their params name the rows)."""
    found = {}
    for item in getattr(error, "error_list", []):
        message = ROW_ERRORS.get(item.code)
        if message and item.params:
            found.update({pk: str(message) for pk in item.params.get("members", [])})
    return found


def _meeting_org(request, pk):
    return get_object_or_404(
        Organization.objects.visible_to(request.user).filter(kind__in=MEETING_ORG_KINDS), pk=pk
    )


@require_access(Area.GRASSROOTS, Access.EDIT)
@once_per_key
def meeting_create(request, pk):
    """Log a meeting (held: with attendance from that day's roster) or plan one."""
    organization = _meeting_org(request, pk)
    return _meeting_form(request, organization=organization, meeting=None)


@require_access(Area.GRASSROOTS, Access.EDIT)
@once_per_key
def meeting_record(request, pk):
    """Record a planned meeting as held."""
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("organization"),
        pk=pk,
        status=Meeting.Status.PLANNED,
    )
    return _meeting_form(request, organization=meeting.organization, meeting=meeting)


def _meeting_form(request, *, organization, meeting):
    source = request.POST if request.method == "POST" else request.GET
    # The roster depends on the kind: an unknown one is the default's roster; the form itself
    # says what is wrong with it.
    default_kind = meeting.kind if meeting else MeetingKind.GENERAL
    kind = params.choice(
        request, "kind", MeetingKind.choices, default_kind, source=source, quiet=True
    )
    if organization.kind == Organization.Kind.PARTY_GROUP:
        kind = MeetingKind.GROUP
    # The roster's day: an impossible date ("2026-02-30") falls back like a missing one; the
    # form itself then says what is wrong with it.
    day = lists.day_from(source, meeting.date if meeting else timezone.localdate(), name="date")
    if request.htmx and request.method == "GET":
        # The date or the kind changed: the roster of that day, as a fragment.
        rows = _attendance_rows(organization, kind, day)
        return render(request, "grassroots/_attendance.html", {"rows": rows, "day": day})

    posted = parse_attendance(request.POST) if request.method == "POST" else {}
    row_errors = {}
    form = MeetingForm(
        request.POST or None,
        request.FILES or None,
        instance=meeting,
        organization=organization,
        with_status=meeting is None,
        initial={"kind": kind, "date": day} if meeting is None else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = {
            name: data[name]
            for name in (
                "time",
                "place",
                "host",
                "speaker",
                "speaker_member",
                "agenda",
                "minutes",
            )
        }
        try:
            if meeting is None and not data["held"]:
                services.meeting_plan(
                    organization=organization,
                    kind=data["kind"],
                    date=data["date"],
                    topic=data["topic"],
                    confirm_duplicate=data["confirm_duplicate"],
                    **details,
                )
            else:
                services.meeting_record(
                    organization=organization,
                    meeting=meeting,
                    kind=data["kind"],
                    date=data["date"],
                    topic=data["topic"],
                    attendance=posted,
                    attachments=data["attachments"],
                    confirm_duplicate=data["confirm_duplicate"],
                    **details,
                )
        except ValidationError as error:
            row_errors = _row_errors(error)
            attach_error(form, error)
        else:
            messages.success(request, _("The meeting has been saved."))
            return redirect("grassroots:branch-detail", pk=organization.pk)
    duplicate = any(
        getattr(e, "code", None) == "duplicate" for e in form.non_field_errors().as_data()
    )
    context = {
        "organization": organization,
        "meeting": meeting,
        "form": form,
        "rows": _attendance_rows(organization, kind, day, posted, row_errors),
        "row_errors": len(row_errors),
        "shared_reason": request.POST.get("reason-all", ""),
        "day": day,
        "show_confirm": duplicate or (request.POST.get("confirm_duplicate") == "on"),
    }
    return render(request, "grassroots/meeting_form.html", context)


@require_POST
@require_access(Area.GRASSROOTS, Access.EDIT)
@once_per_key
def motion_create(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    form = MotionForm(request.POST)
    if form.is_valid():
        try:
            services.motion_record(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The motion has been recorded."))
    else:
        messages.error(request, _("Please give the motion and the three counts."))
    return redirect("grassroots:meeting-detail", pk=meeting.pk)


@require_POST
@require_access(Area.GRASSROOTS, Access.EDIT)
@once_per_key
def attachment_create(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            for file in form.cleaned_data["attachments"]:
                services.meeting_attachment_add(meeting=meeting, file=file)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The attachment has been added."))
    else:
        messages.error(request, _("Please choose a photo or a PDF to attach."))
    return redirect("grassroots:meeting-detail", pk=meeting.pk)


@require_access(Area.GRASSROOTS, Access.READ)
def attachment_file(request, pk):
    """An attachment (a sign-in sheet names every member), served only to those who see the
    meeting: never from a public /media/ URL, which production does not serve anyway."""
    attachment = get_object_or_404(
        MeetingAttachment.objects.filter(meeting__in=Meeting.objects.visible_to(request.user)),
        pk=pk,
    )
    return upload_response(attachment.file, download_name=str(attachment))


# --- Members -------------------------------------------------------------------------------


class MemberListView(AreaAccessMixin, ListView):
    area = Area.GRASSROOTS
    template_name = "grassroots/member_list.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.filterset = lists.members(self.request.user, self.request.GET)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=self.filterset, can_edit=_can_edit(self.request.user), **kwargs
        )


class MemberDetailView(AreaAccessMixin, DetailView):
    area = Area.GRASSROOTS
    template_name = "grassroots/member_detail.html"

    def get_queryset(self):
        return (
            PartyMember.objects.visible_to(self.request.user)
            .select_related("branch", "party_group", "cadre")
            .prefetch_related(
                Prefetch("memberships", queryset=Membership.objects.select_related("organization")),
                "appraisals",
                "activist_assessments",
                "committee_seats__term__organization",
            )
        )

    def get_context_data(self, **kwargs):
        attended = (
            self.object.attendances.select_related("meeting__organization")
            .filter(meeting__status=Meeting.Status.HELD)
            .order_by("-meeting__date")[:10]
        )
        return super().get_context_data(
            can_edit=_can_edit(self.request.user),
            can_reveal=may(self.request.user, Capability.REVEAL_ID_NUMBER),
            attended=attended,
            transfer_form=TransferForm(user=self.request.user),
            advance_form=AdvanceForm(initial={"on": timezone.localdate()}, member=self.object),
            # Own ids: the transfer and next-stage forms on this page have an "on" field too.
            assessment_form=AssessmentForm(
                initial={"assessed_on": timezone.localdate()}, auto_id="id_assess_%s"
            ),
            removal_form=RemovalForm(initial={"on": timezone.localdate()}, auto_id="id_remove_%s"),
            **kwargs,
        )


@require_access(Area.GRASSROOTS, Access.EDIT)
@once_per_key
def member_create(request):
    form = MemberForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_create(**form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The member has been registered."))
            return redirect("grassroots:member-detail", pk=member.pk)
    return render(request, "grassroots/member_form.html", {"form": form})


@require_access(Area.GRASSROOTS, Access.EDIT)
def member_update(request, pk):
    member = get_object_or_404(PartyMember.objects.visible_to(request.user), pk=pk)
    form = MemberForm(request.POST or None, instance=member, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(member=member, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The member's details have been saved."))
            return redirect("grassroots:member-detail", pk=member.pk)
    return render(request, "grassroots/member_form.html", {"form": form, "member": member})


@require_POST
@require_access(Area.GRASSROOTS, Access.EDIT)
def member_transfer(request, pk):
    member = get_object_or_404(PartyMember.objects.visible_to(request.user), pk=pk)
    form = TransferForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.member_transfer(member=member, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The member has been transferred."))
    else:
        messages.error(request, _("Please choose the new branch and the date of the move."))
    if PartyMember.objects.visible_to(request.user).filter(pk=member.pk).exists():
        return redirect("grassroots:member-detail", pk=member.pk)
    return redirect("grassroots:member-list")


@require_POST
@require_access(Area.GRASSROOTS, Access.EDIT)
def member_advance(request, pk):
    member = get_object_or_404(PartyMember.objects.visible_to(request.user), pk=pk)
    form = AdvanceForm(request.POST, member=member)
    if not form.is_valid():
        messages.error(request, _("Enter the date of the step as a date, for example 2026-05-01."))
    else:
        try:
            services.member_advance(member=member, on=form.cleaned_data["on"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The member has moved to the next stage."))
    return redirect("grassroots:member-detail", pk=member.pk)


def _member_action(request, pk, *, form_class, date_field, title, save, done):
    """A form page for one action on a member (also posted to from the member page); a
    service ValidationError goes onto the form, which is shown again with nothing saved."""
    member = get_object_or_404(PartyMember.objects.visible_to(request.user), pk=pk)
    form = form_class(request.POST or None, initial={date_field: timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            save(member, form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, done)
            return redirect("grassroots:member-detail", pk=member.pk)
    context = {"member": member, "form": form, "title": title}
    return render(request, "grassroots/member_action_form.html", context)


@require_access(Area.GRASSROOTS, Access.EDIT)
def member_assess(request, pk):
    """Record an activist's half-yearly assessment (入党积极分子考察)."""

    def save(member, data):
        services.member_assess_activist(
            member=member, assessed_on=data["assessed_on"], notes=data["notes"]
        )

    return _member_action(
        request,
        pk,
        form_class=AssessmentForm,
        date_field="assessed_on",
        title=_("Record activist assessment"),
        save=save,
        done=_("The assessment has been recorded."),
    )


@require_access(Area.GRASSROOTS, Access.EDIT)
def member_remove(request, pk):
    """Record that a member died or was transferred out of the county."""

    def save(member, data):
        services.member_remove(
            member=member,
            reason=data["reason"],
            on=data["on"],
            destination=data["destination"],
        )

    return _member_action(
        request,
        pk,
        form_class=RemovalForm,
        date_field="on",
        title=_("Record a status change"),
        save=save,
        done=_("The status change has been recorded; the member has left the roster."),
    )


@require_POST
@require_access(Area.GRASSROOTS, Access.READ, Capability.REVEAL_ID_NUMBER)
def member_reveal(request, pk):
    """Show the ID number in full to staff and administrators; each reveal is recorded."""
    member = get_object_or_404(PartyMember.objects.visible_to(request.user), pk=pk)
    value = reveal_record(
        user=request.user, obj=member, field="id_number", ip_address=client_ip(request)
    )
    return reveal_response(
        request, value=value, back_url=reverse("grassroots:member-detail", args=[member.pk])
    )
