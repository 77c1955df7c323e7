"""Pages of the cadres app. Thin: look the record up in `visible_to(user)`, check the
role, call the service, attach its ValidationError to the form (STYLE.md rule 6)."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cadres import dashboard as cadre_charts
from cadres import export, forms, lists, selectors, services
from cadres.models import (
    IN_PROGRESS,
    Appointment,
    Cadre,
    FourMust,
    FourMustCheck,
    NoticeObjection,
    PostRecord,
    ReserveEntry,
    Stage,
    Training,
)
from portal import params
from portal.access import require_access
from portal.charts import AsOfForm, home_organization
from portal.clientip import client_ip
from portal.forms import attach_error
from portal.models import Organization
from portal.replica import reads_from_replica
from portal.reveals import reveal_response
from portal.roles import Access, Area, Capability, can, may
from portal.submissions import once_per_key
from portal.uploads import upload_response

READ = require_access(Area.CADRES, Access.READ)
EDIT = require_access(Area.CADRES, Access.EDIT)
PAGE_SIZE = 50


def _cadre(request, pk: int) -> Cadre:
    return get_object_or_404(Cadre.objects.visible_to(request.user), pk=pk)


def _appointment(request, pk: int) -> Appointment:
    return get_object_or_404(
        Appointment.objects.visible_to(request.user).select_related(
            "cadre", "proposed_unit", "major_matter__organization"
        ),
        pk=pk,
    )


def cadre_posts():
    return PostRecord.objects.select_related("unit").order_by("-start_date", "-pk")


def _in_progress(user):
    """Appointments in progress with what blocks each: one query, whatever their number."""
    rows = (
        Appointment.objects.visible_to(user)
        .in_progress()
        .with_blockers()
        .select_related("cadre", "proposed_unit")
        .order_by("stage", "-motion_on", "-pk")
    )
    return selectors.with_blocking_complaint(rows)


# --- Dashboard and lists --------------------------------------------------------------------


@READ
def index(request):
    today = timezone.localdate()
    cadres = Cadre.objects.visible_to(request.user)
    appointments = list(_in_progress(request.user))
    by_stage = [
        (Stage(stage).label, [a for a in appointments if a.stage == stage]) for stage in IN_PROGRESS
    ]
    context = {
        "today": today,
        "dashboard_org": home_organization(request.user),
        "cadre_count": cadres.count(),
        "reserve_count": ReserveEntry.objects.visible_to(request.user).active(today).count(),
        "appointment_count": len(appointments),
        "by_stage": by_stage,
        "can_edit": can(request.user, Area.CADRES, Access.EDIT),
    }
    return render(request, "cadres/index.html", context)


@READ
def cadre_list(request):
    filterset = lists.cadres(request.user, request.GET)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(params.page(request))
    return render(
        request,
        "cadres/cadre_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "today": timezone.localdate(),
            "can_edit": can(request.user, Area.CADRES, Access.EDIT),
        },
    )


@READ
def reserve_list(request):
    rows = lists.reserve_entries(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(params.page(request))
    return render(
        request,
        "cadres/reserveentry_list.html",
        {"page_obj": page, "can_edit": can(request.user, Area.CADRES, Access.EDIT)},
    )


@READ
@reads_from_replica
def reserve_report(request):
    return render(
        request, "cadres/reserve_report.html", {"rows": lists.reserve_report(request.user)}
    )


@READ
def appointment_list(request):
    """The workflow page: where each appointment stands and what blocks it."""
    # In progress by default, "all", or one stage; an unknown one is ignored, with a message.
    stage = params.choice(
        request, "stage", [("all", _("All")), *Stage.choices], "", label=_("Stage")
    )
    rows = lists.appointments(request.user, {"stage": stage})
    page = Paginator(rows, PAGE_SIZE).get_page(params.page(request))
    return render(
        request,
        "cadres/appointment_list.html",
        {
            "page_obj": page,
            "stage": stage,
            "stages": Stage.choices,
            "today": timezone.localdate(),
        },
    )


# --- The cadre ------------------------------------------------------------------------------


@READ
def cadre_detail(request, pk: int):
    today = timezone.localdate()
    cadre = get_object_or_404(
        Cadre.objects.visible_to(request.user)
        .with_current_post(today)
        .select_related("organization")
        .prefetch_related(
            "resume_lines",
            "family_members",
            "assessments",
            "merits",
            "fault_tolerance_cases",
            Prefetch("posts", queryset=cadre_posts()),
            Prefetch("trainings", queryset=Training.objects.order_by("-start_date")),
            Prefetch("reserve_entries", queryset=ReserveEntry.objects.order_by("-added_on")),
            Prefetch(
                "appointments",
                queryset=Appointment.objects.select_related("proposed_unit").order_by("-motion_on"),
            ),
        ),
        pk=pk,
    )
    hours = Training.objects.filter(cadre=cadre).hours_per_year()
    return render(
        request,
        "cadres/cadre_detail.html",
        {
            "cadre": cadre,
            "today": today,
            "hours_per_year": hours,
            "can_edit": can(request.user, Area.CADRES, Access.EDIT),
            "can_reveal": may(request.user, Capability.REVEAL_ID_NUMBER),
        },
    )


@transaction.atomic  # a refused photo leaves no half-saved record behind
def _save_cadre(request, form, cadre=None):
    data = dict(form.cleaned_data)
    photo = data.pop("photo", None)
    if cadre is None:
        cadre = services.cadre_create(**data)
    else:
        cadre = services.cadre_update(cadre=cadre, **data)
    if photo:
        services.cadre_set_photo(cadre=cadre, photo=photo)
    return cadre


@EDIT
@once_per_key
def cadre_create(request):
    form = forms.CadreForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cadre = _save_cadre(request, form)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The cadre record was created."))
            return redirect("cadres:cadre-detail", pk=cadre.pk)
    return render(request, "cadres/cadre_form.html", {"form": form})


@EDIT
def cadre_update(request, pk: int):
    cadre = _cadre(request, pk)
    form = forms.CadreForm(
        request.POST or None, request.FILES or None, instance=cadre, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            _save_cadre(request, form, cadre=Cadre.objects.get(pk=cadre.pk))
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The cadre record was saved."))
            return redirect("cadres:cadre-detail", pk=cadre.pk)
    return render(request, "cadres/cadre_form.html", {"form": form, "cadre": cadre})


@READ
def cadre_photo(request, pk: int):
    """The photo, served only to those who may see the record (not from a public /media/)."""
    cadre = _cadre(request, pk)
    if not cadre.photo:
        raise Http404
    return upload_response(cadre.photo)


@require_access(Area.CADRES, Access.EDIT, Capability.REVEAL_ID_NUMBER)
@require_POST
def cadre_reveal(request, pk: int):
    cadre = _cadre(request, pk)
    number = services.cadre_reveal_id_number(
        cadre=cadre, user=request.user, ip_address=client_ip(request)
    )
    return reveal_response(
        request, value=number, back_url=reverse("cadres:cadre-detail", args=[cadre.pk])
    )


@READ
def cadre_print(request, pk: int):
    cadre = _cadre(request, pk)
    return render(request, "cadres/cadre_form_print.html", {"form": export.form_data(cadre)})


@READ
@reads_from_replica
def cadre_xlsx(request, pk: int):
    cadre = _cadre(request, pk)
    content = export.form_xlsx(export.form_data(cadre))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="cadre-{cadre.pk}.xlsx"'
    return response


@READ
def cadre_timeline(request, pk: int):
    cadre = _cadre(request, pk)
    return render(
        request,
        "cadres/cadre_timeline.html",
        {"timeline": selectors.timeline_for(cadre, request.user), "cadre": cadre},
    )


# --- Records under a cadre (one view, one form and one service per kind) --------------------


@dataclass(frozen=True)
class ChildKind:
    form: type
    service: Any
    title: Any
    tab: str


CHILDREN = {
    "post": ChildKind(
        forms.PostRecordForm, services.post_record_add, gettext_lazy("Add a post"), "posts"
    ),
    "assessment": ChildKind(
        forms.AssessmentForm,
        services.assessment_record,
        gettext_lazy("Record an annual assessment"),
        "career",
    ),
    "training": ChildKind(
        forms.TrainingForm,
        services.training_record,
        gettext_lazy("Record a training course"),
        "career",
    ),
    "merit": ChildKind(
        forms.MeritForm, services.merit_record, gettext_lazy("Record a reward or penalty"), "career"
    ),
    "fault_tolerance": ChildKind(
        forms.FaultToleranceForm,
        services.fault_tolerance_record,
        gettext_lazy("Record a fault-tolerance case"),
        "career",
    ),
    "resume_line": ChildKind(
        forms.ResumeLineForm, services.resume_line_add, gettext_lazy("Add a résumé line"), "resume"
    ),
    "family_member": ChildKind(
        forms.FamilyMemberForm,
        services.family_member_add,
        gettext_lazy("Add a family member or social relation"),
        "resume",
    ),
    "reserve": ChildKind(
        forms.ReserveForm, services.reserve_add, gettext_lazy("Add to the reserve pool"), "career"
    ),
}


@EDIT
@once_per_key
def child_create(request, pk: int, kind: str):
    cadre = _cadre(request, pk)
    spec = CHILDREN[kind]
    form = spec.form(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            spec.service(cadre=cadre, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("cadres:cadre-detail", args=[cadre.pk]) + f"#{spec.tab}")
    return render(
        request,
        "cadres/record_form.html",
        {"form": form, "cadre": cadre, "title": spec.title},
    )


@EDIT
@require_POST
def reserve_remove(request, pk: int):
    entry = get_object_or_404(ReserveEntry.objects.visible_to(request.user), pk=pk)
    try:
        services.reserve_remove(entry=entry)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The cadre left the reserve pool."))
    return redirect(reverse("cadres:cadre-detail", args=[entry.cadre_id]) + "#career")


# --- The appointment workflow ---------------------------------------------------------------


@EDIT
@once_per_key
def appointment_create(request, pk: int):
    cadre = _cadre(request, pk)
    form = forms.AppointmentForm(request.POST or None, user=request.user, cadre=cadre)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.appointment_propose(cadre=cadre, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The motion was recorded."))
            return redirect("cadres:appointment-detail", pk=appointment.pk)
    return render(
        request,
        "cadres/record_form.html",
        {"form": form, "cadre": cadre, "title": _("Propose an appointment (motion)")},
    )


@dataclass(frozen=True)
class Step:
    form: type
    service: Any
    label: Any
    stages: tuple[str, ...]  # where the step is offered


STEPS = {
    "recommend": Step(
        forms.RecommendationForm,
        lambda a, d: services.appointment_record_recommendation(appointment=a, **d),
        gettext_lazy("Record the democratic recommendation"),
        (Stage.MOTION,),
    ),
    "inspect": Step(
        forms.InspectionForm,
        lambda a, d: services.appointment_start_inspection(appointment=a, **d),
        gettext_lazy("Start the inspection"),
        (Stage.RECOMMENDATION,),
    ),
    "decide": Step(
        forms.DecisionForm,
        lambda a, d: services.appointment_decide(appointment=a, **d),
        gettext_lazy("Record the committee's decision"),
        (Stage.INSPECTION,),
    ),
    "notice": Step(
        forms.NoticeForm,
        lambda a, d: services.appointment_start_notice(appointment=a, **d),
        gettext_lazy("Publish the public notice"),
        (Stage.DECIDED,),
    ),
    "appoint": Step(
        forms.AppointForm,
        lambda a, d: services.appointment_appoint(appointment=a, **d),
        gettext_lazy("Appoint"),
        (Stage.NOTICE,),
    ),
    "confirm": Step(
        forms.ConfirmForm,
        lambda a, d: services.appointment_confirm(appointment=a, **d),
        gettext_lazy("Confirm after probation"),
        (Stage.PROBATION,),
    ),
    "return": Step(
        forms.ReturnForm,
        lambda a, d: services.appointment_return(appointment=a, **d),
        gettext_lazy("Return to the previous post"),
        (Stage.PROBATION,),
    ),
    "withdraw": Step(
        forms.WithdrawForm,
        lambda a, d: services.appointment_withdraw(appointment=a, **d),
        gettext_lazy("Withdraw"),
        (Stage.MOTION, Stage.RECOMMENDATION, Stage.INSPECTION, Stage.DECIDED, Stage.NOTICE),
    ),
}


def _appointment_page(request, appointment, *, step_forms=None, must_forms=None, status=200):
    appointment = (
        selectors.with_blocking_complaint(
            Appointment.objects.with_blockers().filter(pk=appointment.pk)
        )
        .select_related("cadre", "proposed_unit", "post_to_remove")
        .get()
    )
    can_edit = can(request.user, Area.CADRES, Access.EDIT)
    step_forms = step_forms or {}
    steps = [
        (name, step.label, step_forms.get(name) or step.form(prefix=name))
        for name, step in STEPS.items()
        if appointment.stage in step.stages
    ]
    # In the regulations' order (file, personal matters, discipline opinion, complaints).
    checks = sorted(appointment.four_musts.all(), key=lambda c: FourMust.values.index(c.item))
    musts = [
        (check, (must_forms or {}).get(check.pk) or forms.FourMustForm(prefix=f"must{check.pk}"))
        for check in checks
    ]
    context = {
        "appointment": appointment,
        "steps": steps if can_edit else [],
        "musts": musts,
        "complaints": list(selectors.blocking_complaints(appointment.cadre)),
        "objections": appointment.objections.all(),
        "objection_form": forms.ObjectionForm(prefix="objection"),
        "resolve_form": forms.ObjectionResolveForm(prefix="resolve"),
        "can_edit": can_edit,
        "today": timezone.localdate(),
        "stage_order": [Stage(s).label for s in IN_PROGRESS],
    }
    return render(request, "cadres/appointment_detail.html", context, status=status)


@READ
def appointment_detail(request, pk: int):
    return _appointment_page(request, _appointment(request, pk))


@EDIT
@require_POST
@once_per_key
def appointment_step(request, pk: int, step: str):
    appointment = _appointment(request, pk)
    spec = STEPS.get(step)
    if spec is None:
        raise Http404
    form = spec.form(request.POST, prefix=step)
    if form.is_valid():
        try:
            spec.service(appointment, form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("cadres:appointment-detail", pk=appointment.pk)
    return _appointment_page(request, appointment, step_forms={step: form})


@EDIT
@require_POST
def fourmust_complete(request, pk: int):
    check = get_object_or_404(
        FourMustCheck.objects.visible_to(request.user).select_related("appointment"), pk=pk
    )
    form = forms.FourMustForm(request.POST, prefix=f"must{check.pk}")
    if form.is_valid():
        try:
            services.four_must_complete(check=check, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The check was recorded."))
            return redirect("cadres:appointment-detail", pk=check.appointment_id)
    return _appointment_page(request, check.appointment, must_forms={check.pk: form})


@EDIT
@require_POST
@once_per_key
def objection_create(request, pk: int):
    appointment = _appointment(request, pk)
    form = forms.ObjectionForm(request.POST, prefix="objection")
    if form.is_valid():
        try:
            services.objection_record(appointment=appointment, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The objection was recorded; the process is paused."))
    else:
        messages.error(request, _("Enter the date and the objection."))
    return redirect("cadres:appointment-detail", pk=appointment.pk)


@EDIT
@require_POST
def objection_resolve(request, pk: int):
    objection = get_object_or_404(
        NoticeObjection.objects.filter(
            appointment__in=Appointment.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    form = forms.ObjectionResolveForm(request.POST, prefix="resolve")
    if form.is_valid():
        try:
            services.objection_resolve(objection=objection, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The objection was resolved."))
    else:
        messages.error(request, _("Enter the date, the outcome and the findings."))
    return redirect("cadres:appointment-detail", pk=objection.appointment_id)


# --- Dashboard (issue #11) ---------------------------------------------------------------------


@require_access(Area.CADRES, Access.READ)
@reads_from_replica
def dashboard(request, pk):
    """The structure of the corps in the subtree as of a day, beside its tables
    (cadres/dashboard.py); the children are the subtree selector."""
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    form = AsOfForm(request.GET, today=timezone.localdate())
    day = form.as_of
    charts = [
        *cadre_charts.structure(organization, day),
        cadre_charts.appointments(organization),
        cadre_charts.assessments(organization, day.year - 1),
    ]
    context = {
        "organization": organization,
        "form": form,
        "day": day,
        "ancestors": organization.ancestors().visible_to(request.user),
        "children": organization.children.exclude(kind=Organization.Kind.PARTY_GROUP).order_by(
            "path"
        ),
        "charts": charts,
    }
    return render(request, "cadres/dashboard.html", context)
