"""Pages of collective decisions. Thin: objects only from `visible_to(user)` (outside the
subtree → 404), the area's access first (→ 403), every write through
grassroots.decisions.services, whose refusals land on the form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.decisions import selectors, services
from grassroots.decisions.forms import (
    CarryOutForm,
    MajorDecisionForm,
    MajorMatterForm,
    RemarkForm,
    StepFields,
    VillageMatterForm,
    parse_speakers,
)
from grassroots.decisions.models import (
    MajorMatter,
    MatterOpinion,
    StepAttachment,
    StepKind,
    VillageMatter,
    VillageStep,
)
from grassroots.lists import day_from
from portal.access import require_access
from portal.forms import attach_error
from portal.roles import Access, Area, can
from portal.submissions import once_per_key
from portal.uploads import upload_response

PAGE_SIZE = 50


def _can_edit(user) -> bool:
    return can(user, Area.GRASSROOTS, Access.EDIT)


def _page(request, queryset, name):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(name))


# --- Per organisation and per township ---------------------------------------------------------


@require_access(Area.GRASSROOTS, Access.READ)
def decision_list(request, pk):
    """An organisation's collective decisions: its 三重一大 matters (a leadership team) or its
    四议两公开 matters (a village branch), newest first, with their status."""
    organization = selectors.organization(request.user, pk)
    today = timezone.localdate()
    context = {
        "organization": organization,
        "today": today,
        "is_team": selectors.is_team(organization),
        "is_village": selectors.is_village(organization),
        "can_edit": _can_edit(request.user),
        "major": _page(request, selectors.major_matters_of(organization), "mpage"),
        "village": _page(request, selectors.village_matters_of(organization, today), "page"),
    }
    return render(request, "grassroots/decisions/decision_list.html", context)


@require_access(Area.GRASSROOTS, Access.READ)
def decision_rollup(request, pk):
    """A township (or any organisation above villages): which villages decided what, what is
    overdue or skipped, which leadership teams have matters without a meeting."""
    organization = selectors.organization(request.user, pk)
    today = timezone.localdate()
    rows = selectors.village_rollup(organization, today)
    context = {
        "organization": organization,
        "today": today,
        "ancestors": organization.ancestors().visible_to(request.user),
        "rows": rows,
        "chart": selectors.village_chart(rows) if rows else None,
        "teams": selectors.team_rollup(organization),
        "late": selectors.late_village_matters(organization, today)[:PAGE_SIZE],
    }
    return render(request, "grassroots/decisions/decision_rollup.html", context)


# --- 三重一大 -----------------------------------------------------------------------------------


@require_access(Area.GRASSROOTS, Access.EDIT)
@once_per_key
def major_matter_create(request, pk):
    organization = selectors.team(request.user, pk)
    initial = {"raised_on": timezone.localdate()}
    form = MajorMatterForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            matter = services.major_matter_record(organization=organization, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The matter has been recorded."))
            return redirect("grassroots:major-matter-detail", pk=matter.pk)
    context = {"organization": organization, "form": form}
    return render(request, "grassroots/decisions/major_matter_form.html", context)


def _major_matter(request, pk):
    return get_object_or_404(
        MajorMatter.objects.visible_to(request.user).select_related(
            "organization", "appointment__cadre"
        ),
        pk=pk,
    )


@require_access(Area.GRASSROOTS, Access.READ)
def major_matter_detail(request, pk):
    matter = _major_matter(request, pk)
    opinions = MatterOpinion.objects.filter(matter=matter).select_related("member")
    context = {
        "matter": matter,
        "opinions": opinions,
        "can_edit": _can_edit(request.user),
        "carry_out_form": CarryOutForm(initial={"on": timezone.localdate()}),
        "sees_cadres": can(request.user, Area.CADRES, Access.READ),
    }
    return render(request, "grassroots/decisions/major_matter_detail.html", context)


@require_access(Area.GRASSROOTS, Access.EDIT)
@once_per_key
def major_matter_decide(request, pk):
    """The team's meeting: who was there, who said what in which turn, the principal leader
    last. The seats are the team's on the meeting's date (?meeting_on= reloads them)."""
    matter = _major_matter(request, pk)
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else request.GET
    day = day_from(source, today, name="meeting_on")
    seats = services.team_seats(matter.organization, day)
    form = MajorDecisionForm(request.POST or None, initial={"meeting_on": day})
    if request.method == "POST" and form.is_valid():
        speakers, errors = parse_speakers(request.POST, seats)
        for error in errors:
            form.add_error(None, error)
        if not errors:
            try:
                services.major_matter_decide(matter=matter, speakers=speakers, **form.cleaned_data)
            except ValidationError as error:
                attach_error(form, error)
            else:
                messages.success(request, _("The team's decision has been recorded."))
                return redirect("grassroots:major-matter-detail", pk=matter.pk)
    rows = selectors.speaker_rows(seats, request.POST if request.method == "POST" else None)
    context = {"matter": matter, "form": form, "rows": rows, "day": day}
    return render(request, "grassroots/decisions/major_matter_decide.html", context)


@require_POST
@require_access(Area.GRASSROOTS, Access.EDIT)
def major_matter_carry_out(request, pk):
    matter = _major_matter(request, pk)
    form = CarryOutForm(request.POST)
    if form.is_valid():
        try:
            services.major_matter_carry_out(matter=matter, on=form.cleaned_data["on"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The matter is marked as carried out."))
    else:
        messages.error(request, _("Enter the date the matter was carried out."))
    return redirect("grassroots:major-matter-detail", pk=matter.pk)


# --- 四议两公开一监督 ------------------------------------------------------------------------------


@require_access(Area.GRASSROOTS, Access.EDIT)
@once_per_key
def village_matter_create(request, pk):
    """A new village matter with its first step, the branch committee's proposal."""
    organization = selectors.village(request.user, pk)
    today = timezone.localdate()
    form = VillageMatterForm(
        request.POST or None,
        request.FILES or None,
        organization=organization,
        today=today,
        initial={"done_on": today},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            matter = services.village_matter_propose(
                organization=organization,
                proposed_on=data.pop("done_on"),
                user=request.user,
                **data,
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The matter and the branch's proposal have been recorded."))
            return redirect("grassroots:village-matter-detail", pk=matter.pk)
    context = {"organization": organization, "form": form}
    return render(request, "grassroots/decisions/village_matter_form.html", context)


def _village_matter(request, pk, *, for_update=False):
    return get_object_or_404(
        VillageMatter.objects.visible_to(request.user)
        .with_due(timezone.localdate())
        .select_related("organization"),
        pk=pk,
    )


@require_access(Area.GRASSROOTS, Access.READ)
def village_matter_detail(request, pk):
    matter = _village_matter(request, pk)
    steps = matter.steps.select_related("meeting").prefetch_related("attachments", "remarks")
    context = {
        "matter": matter,
        "steps": steps,
        "missing": selectors.steps_to_come(matter),
        "can_edit": _can_edit(request.user),
        "carry_out_form": CarryOutForm(initial={"on": timezone.localdate()}),
        "remark_form": RemarkForm(initial={"remarked_on": timezone.localdate()}),
    }
    return render(request, "grassroots/decisions/village_matter_detail.html", context)


@require_access(Area.GRASSROOTS, Access.EDIT)
@once_per_key
def village_step_create(request, pk):
    """The next step of a village matter, on a page of its own (works on a phone). The step
    posted is the one the page offered: a stale page asking for a step out of order is
    refused by the service with the rule."""
    matter = _village_matter(request, pk)
    today = timezone.localdate()
    posted_step = request.POST.get("step") if request.method == "POST" else None
    step = posted_step if posted_step in StepKind.values else matter.next_step
    if step is None:
        messages.info(request, _("Every step of this matter is recorded."))
        return redirect("grassroots:village-matter-detail", pk=matter.pk)
    form = StepFields(
        request.POST or None,
        request.FILES or None,
        step=step,
        organization=matter.organization,
        today=today,
        initial={"done_on": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.village_step_record(
                matter=matter, step=step, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The step has been recorded."))
            return redirect("grassroots:village-matter-detail", pk=matter.pk)
    context = {"matter": matter, "form": form, "step": StepKind(step)}
    return render(request, "grassroots/decisions/village_step_form.html", context)


@require_POST
@require_access(Area.GRASSROOTS, Access.EDIT)
def village_matter_carry_out(request, pk):
    matter = _village_matter(request, pk)
    form = CarryOutForm(request.POST)
    if form.is_valid():
        try:
            services.village_matter_carry_out(matter=matter, on=form.cleaned_data["on"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The matter is marked as carried out; its result is now to be made public."),
            )
    else:
        messages.error(request, _("Enter the date the matter was carried out."))
    return redirect("grassroots:village-matter-detail", pk=matter.pk)


@require_POST
@require_access(Area.GRASSROOTS, Access.EDIT)
@once_per_key
def village_step_remark(request, pk):
    step = get_object_or_404(
        VillageStep.objects.filter(matter__in=VillageMatter.objects.visible_to(request.user)), pk=pk
    )
    form = RemarkForm(request.POST)
    if form.is_valid():
        try:
            services.village_step_remark(step=step, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The supervision committee's remark has been recorded."))
    else:
        messages.error(
            request, _("Give the date, the supervision committee member and the remark.")
        )
    return redirect("grassroots:village-matter-detail", pk=step.matter_id)


@require_access(Area.GRASSROOTS, Access.READ)
def village_matter_notices(request, pk):
    """The public part of a village matter (the decision and its result), one A4 page for the
    village notice board."""
    matter = _village_matter(request, pk)
    notices = matter.steps.filter(step__in=[StepKind.DECISION_NOTICE, StepKind.RESULT_NOTICE])
    resolution = matter.steps.filter(step=StepKind.RESOLUTION).first()
    context = {"matter": matter, "notices": list(notices), "resolution": resolution}
    return render(request, "grassroots/decisions/village_notices.html", context)


@require_access(Area.GRASSROOTS, Access.READ)
def step_attachment_file(request, pk):
    """A step's document, served only to those who see the matter."""
    attachment = get_object_or_404(
        StepAttachment.objects.filter(
            step__matter__in=VillageMatter.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    return upload_response(attachment.file, download_name=str(attachment))
