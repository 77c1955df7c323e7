"""Pages of the complaint-handling office. Matters: supervision role only (and admin);
department staff and leaders reach the statistics and nothing else."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal import params
from portal.access import require_access
from portal.charts import AsOfForm
from portal.clientip import client_ip
from portal.forms import attach_error
from portal.replica import reads_from_replica
from portal.roles import Access, Area, Capability, can
from portal.submissions import once_per_key
from supervision import forms, lists, services, statistics
from supervision.models import (
    HANDLING_STATUSES,
    OVERDUE,
    Complaint,
    HandlingRules,
    Move,
    ReporterIdentity,
    Status,
)

QUEUE_PAGE_SIZE = 25


def _session_key(complaint) -> str:
    return f"supervision-receipt-secret-{complaint.pk}"


def _stage_counts(user) -> list[dict]:
    """Matters per stage, with how many are overdue: one grouped query."""
    rows = (
        Complaint.objects.visible_to(user)
        .with_deadlines()
        .order_by()
        .values("status")
        .annotate(total=Count("pk"), overdue=Count("pk", filter=OVERDUE))
    )
    by_status = {row["status"]: row for row in rows}
    return [
        {
            "status": status,
            "label": label,
            "total": by_status.get(status, {}).get("total", 0),
            "overdue": by_status.get(status, {}).get("overdue", 0),
        }
        for status, label in Status.choices
    ]


# --- Landing and statistics -----------------------------------------------------------------


@require_access(Area.SUPERVISION, Access.STATS)
def index(request):
    office = can(request.user, Area.SUPERVISION, Access.EDIT)
    context = {"office": office}
    if office:
        context["stages"] = _stage_counts(request.user)
        context["overdue"] = sum(stage["overdue"] for stage in context["stages"])
    context["summary"] = statistics.summary(Complaint.objects.for_statistics(request.user))
    return render(request, "supervision/index.html", context)


@require_access(Area.SUPERVISION, Access.STATS)
@reads_from_replica
def complaint_statistics(request):
    """Counts only: never a single matter, never an identity."""
    queryset = Complaint.objects.for_statistics(request.user)
    form = AsOfForm(request.GET, today=timezone.localdate())
    summary = statistics.summary(queryset)
    charts = statistics.charts(
        queryset,
        summary,
        today=form.as_of,
        # Links to the matters behind a number only for the office, which reads them.
        office=can(request.user, Area.SUPERVISION, Access.READ),
    )
    context = {
        "stats": statistics.full(queryset),
        "summary": summary,
        "charts": charts,
        "form": form,
        "day": form.as_of,
    }
    return render(request, "supervision/complaint_statistics.html", context)


# --- The queue ------------------------------------------------------------------------------


@require_access(Area.SUPERVISION, Access.READ)
def complaint_list(request):
    filterset = lists.complaints(request.user, request.GET)
    page_obj = Paginator(filterset.qs, QUEUE_PAGE_SIZE).get_page(params.page(request))
    return render(
        request,
        "supervision/complaint_list.html",
        {
            "filter": filterset,
            "page_obj": page_obj,
            "complaints": page_obj.object_list,
            "stages": _stage_counts(request.user),
        },
    )


# --- Intake and receipt ---------------------------------------------------------------------


@require_access(Area.SUPERVISION, Access.EDIT)
@once_per_key
def complaint_create(request):
    form = forms.ComplaintIntakeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint, secret = services.complaint_record(
                receiver=request.user,
                channel=data["channel"],
                category=data["category"],
                summary=data["summary"],
                description=data["description"],
                materials=data["materials"],
                subject_cadre=data["subject_cadre"],
                subject_organization=data["subject_organization"],
                has_specific_clues=data["has_specific_clues"],
                reporter=form.reporter(),
                received_on=data["received_on"],
                same_matter_as=data["same_matter_code"],
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            # The secret is shown once, on the receipt; only its hash is stored.
            request.session[_session_key(complaint)] = secret
            messages.success(request, _("The matter is recorded. Print the receipt now."))
            return redirect("supervision:complaint-receipt", pk=complaint.pk)
    return render(request, "supervision/complaint_form.html", {"form": form})


@require_access(Area.SUPERVISION, Access.READ)
def complaint_receipt(request, pk):
    complaint = get_object_or_404(
        Complaint.objects.visible_to(request.user).with_deadlines(), pk=pk
    )
    secret = request.session.pop(_session_key(complaint), None)
    return render(
        request,
        "supervision/complaint_receipt.html",
        {
            "complaint": complaint,
            "secret": secret,
            "track_url": request.build_absolute_uri(reverse("track:lookup")),
        },
    )


@require_POST
@require_access(Area.SUPERVISION, Access.EDIT)
def complaint_reissue(request, pk):
    complaint = get_object_or_404(Complaint.objects.visible_to(request.user), pk=pk)
    secret = services.complaint_reissue_secret(complaint=complaint, user=request.user)
    request.session[_session_key(complaint)] = secret
    messages.warning(request, _("A new secret was issued; the old receipt no longer works."))
    return redirect("supervision:complaint-receipt", pk=complaint.pk)


# --- The matter page and its actions --------------------------------------------------------

# action slug -> (form, the service call made with the form's cleaned data)
ACTIONS = {
    "decide": (
        forms.DecideForm,
        lambda c, u, d: services.complaint_decide(
            complaint=c,
            user=u,
            accept=d["accept"],
            reason=d["reason"],
            outside_remit=d["outside_remit"],
            decided_on=d["decided_on"],
        ),
    ),
    "assign": (
        forms.AssignForm,
        lambda c, u, d: services.complaint_assign(
            complaint=c, user=u, handler=d["handler"], assigned_on=d["assigned_on"]
        ),
    ),
    "investigate": (
        forms.InvestigateForm,
        lambda c, u, d: services.complaint_start_investigation(
            complaint=c, user=u, started_on=d["started_on"]
        ),
    ),
    "conclude": (
        forms.ConcludeForm,
        lambda c, u, d: services.complaint_conclude(
            complaint=c,
            user=u,
            finding=d["finding"],
            findings=d["findings"],
            concluded_on=d["concluded_on"],
        ),
    ),
    "extend": (
        forms.ExtendForm,
        lambda c, u, d: services.complaint_extend(
            complaint=c,
            user=u,
            days=d["days"],
            reason=d["reason"],
            approved_by=d["approved_by"],
            extended_on=d["extended_on"],
        ),
    ),
    "hearing-start": (
        forms.HearingStartForm,
        lambda c, u, d: services.hearing_start(complaint=c, user=u, started_on=d["started_on"]),
    ),
    "hearing-end": (
        forms.HearingEndForm,
        lambda c, u, d: services.hearing_end(complaint=c, user=u, ended_on=d["ended_on"]),
    ),
    "reply": (
        forms.ReplyForm,
        lambda c, u, d: services.complaint_reply(
            complaint=c, user=u, reply=d["reply"], replied_on=d["replied_on"]
        ),
    ),
    "close": (
        forms.CloseForm,
        lambda c, u, d: services.complaint_close(complaint=c, user=u, closed_on=d["closed_on"]),
    ),
    "review-request": (
        forms.RequestForm,
        lambda c, u, d: services.complaint_request_review(
            complaint=c, user=u, requested_on=d["requested_on"]
        ),
    ),
    "review-answer": (
        forms.AnswerForm,
        lambda c, u, d: services.complaint_answer_review(
            complaint=c, user=u, answer=d["answer"], answered_on=d["answered_on"]
        ),
    ),
    "rereview-request": (
        forms.RequestForm,
        lambda c, u, d: services.complaint_request_rereview(
            complaint=c, user=u, requested_on=d["requested_on"]
        ),
    ),
    "rereview-answer": (
        forms.AnswerForm,
        lambda c, u, d: services.complaint_answer_rereview(
            complaint=c, user=u, answer=d["answer"], answered_on=d["answered_on"]
        ),
    ),
}

# The status moves (models.MOVES) behind the action buttons.
MOVE_ACTIONS = {
    Move.ACCEPT: "decide",
    Move.ASSIGN: "assign",
    Move.INVESTIGATE: "investigate",
    Move.CONCLUDE: "conclude",
    Move.REPLY: "reply",
    Move.CLOSE: "close",
    Move.REQUEST_REVIEW: "review-request",
    Move.ANSWER_REVIEW: "review-answer",
    Move.REQUEST_REREVIEW: "rereview-request",
    Move.ANSWER_REREVIEW: "rereview-answer",
}

ACTION_TITLES = {
    "decide": gettext_lazy("Accept or refuse"),
    "assign": gettext_lazy("Assign"),
    "investigate": gettext_lazy("Start the investigation"),
    "conclude": gettext_lazy("Conclude"),
    "extend": gettext_lazy("Extend the handling limit (once, at most %(days)d days)"),
    "hearing-start": gettext_lazy("Start a hearing (its days are not counted)"),
    "hearing-end": gettext_lazy("End the hearing"),
    "reply": gettext_lazy("Reply to the requester"),
    "close": gettext_lazy("Close the matter"),
    "review-request": gettext_lazy("Record a review request"),
    "review-answer": gettext_lazy("Answer the review"),
    "rereview-request": gettext_lazy("Record a re-review request"),
    "rereview-answer": gettext_lazy("Answer the re-review"),
}


def _title(action: str) -> str:
    """The action's title; the extension's limit is the rules table's, not a second copy."""
    title = ACTION_TITLES[action]
    if action == "extend":
        return title % {"days": HandlingRules.current().max_extension_days}
    return str(title)


def _open_actions(complaint, open_hearing) -> list[str]:
    """The forms to offer; the services still decide (they raise if the move is wrong)."""
    actions = list(dict.fromkeys(MOVE_ACTIONS[m] for m in complaint.moves() if m in MOVE_ACTIONS))
    if complaint.status in HANDLING_STATUSES and complaint.extension_days is None:
        actions.append("extend")
    if open_hearing is not None:
        actions.append("hearing-end")
    elif complaint.status in services.HEARING_STAGE_FOR:
        actions.append("hearing-start")
    return actions


def _detail(request, complaint, *, bound=None, identity=None, status=200):
    """The matter page. `bound`: (action, form) re-shown with its errors."""
    hearings = list(complaint.hearings.all())
    open_hearing = next((h for h in hearings if h.ended_on is None), None)
    actions = _open_actions(complaint, open_hearing)
    if bound is not None and bound[0] not in actions:
        actions.append(bound[0])  # posted anyway (stale page): show why it was refused
    action_forms = []
    for action in actions:
        if bound is not None and bound[0] == action:
            form = bound[1]
        else:
            form = ACTIONS[action][0](user=request.user, complaint=complaint, prefix=action)
        action_forms.append({"action": action, "title": _title(action), "form": form})
    context = {
        "complaint": complaint,
        "hearings": hearings,
        "action_forms": action_forms,
        "has_reporter": ReporterIdentity.objects.filter(complaint=complaint).exists(),
        "identity": identity,
    }
    return render(request, "supervision/complaint_detail.html", context, status=status)


def _get_complaint(request, pk):
    return get_object_or_404(
        Complaint.objects.visible_to(request.user)
        .with_deadlines()
        .select_related(
            "subject_cadre",
            "subject_organization",
            "handler",
            "first_receiver",
            "extension_approved_by",
            "same_matter_as",
            "handling_organization",
        ),
        pk=pk,
    )


@require_access(Area.SUPERVISION, Access.READ)
def complaint_detail(request, pk):
    return _detail(request, _get_complaint(request, pk))


@require_POST
@require_access(Area.SUPERVISION, Access.EDIT)
@once_per_key
def complaint_action(request, pk, action):
    complaint = _get_complaint(request, pk)
    if action not in ACTIONS:
        raise Http404
    form_class, call = ACTIONS[action]
    form = form_class(request.POST, user=request.user, complaint=complaint, prefix=action)
    if form.is_valid():
        try:
            call(complaint, request.user, form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("Saved: %(what)s.") % {"what": _title(action)})
            return redirect("supervision:complaint-detail", pk=complaint.pk)
    return _detail(request, complaint, bound=(action, form))


@require_POST
@require_access(Area.SUPERVISION, Access.EDIT, Capability.REVEAL_REPORTER)
def complaint_reveal(request, pk):
    """Show the reporter's identity in full; each showing is recorded (RevealLog)."""
    complaint = _get_complaint(request, pk)
    identity = services.reporter_reveal(
        user=request.user, complaint=complaint, ip_address=client_ip(request)
    )
    return _detail(request, complaint, identity=identity)
