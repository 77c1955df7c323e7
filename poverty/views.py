"""Pages of the poverty app. Objects come only from `visible_to(request.user)` querysets.

Who does what: staff and administrators edit; the county leadership reads; a helper
(assistance official) reaches only the households paired with them now and logs visits and
measures there. Staff-only workflows (pairings, five ones, exit moves, reveals) answer 403 to
a helper. A helper-role user must have a cadre record linked to their account
(Cadre.user; the administrator links it): pairings point at cadres.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from cadres.models import Cadre
from portal import params
from portal.access import AreaAccessMixin, allowed, require_access
from portal.charts import AsOfForm, home_organization
from portal.clientip import client_ip
from portal.forms import attach_error
from portal.models import Organization
from portal.replica import reads_from_replica
from portal.reveals import reveal_response
from portal.roles import Access, Area, Capability, can, may
from portal.services import reveal_record
from portal.submissions import once_per_key
from portal.uploads import upload_response
from poverty import dashboard as poverty_charts
from poverty import lists, selectors, services
from poverty.forms import (
    FiveOnesForm,
    GuaranteesForm,
    HouseholdForm,
    IncomeForm,
    MeasureForm,
    MemberForm,
    PairingForm,
    VisitForm,
)
from poverty.models import (
    ExitStage,
    Household,
    HouseholdStatus,
    Member,
    Pairing,
    Village,
    Visit,
    VisitPhoto,
)
from poverty.models.households import GUARANTEES

# Helpers (without ALL_HOUSEHOLDS) work on their own pairings only; the department's
# workflows need the capability (portal/roles.py).
ALL_HOUSEHOLDS = Capability.ALL_HOUSEHOLDS


def _can_manage(user) -> bool:
    return allowed(user, Area.POVERTY, Access.EDIT, ALL_HOUSEHOLDS)


def households_for(user):
    return Household.objects.visible_to(user)


def pairings_for(user):
    return Pairing.objects.visible_to(user)


# --- Landing -------------------------------------------------------------------------------


@require_access(Area.POVERTY, Access.READ)
def index(request):
    today = timezone.localdate()
    if not may(request.user, ALL_HOUSEHOLDS):
        # A helper: my households, the next visit due first (phone-first list).
        pairings = (
            pairings_for(request.user)
            .active()
            .with_next_visit_due()
            .with_overdue_flag(today)
            .with_head()
            .select_related("household__village")
            .order_by("next_visit_due", "pk")
        )
        return render(request, "poverty/index_helper.html", {"pairings": pairings, "today": today})
    households = households_for(request.user)
    by_status = dict(
        households.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    pairings = pairings_for(request.user)
    by_stage = dict(
        households.exclude(exit_stage="")
        .order_by()
        .values_list("exit_stage")
        .annotate(n=Count("pk"))
        .values_list("exit_stage", "n")
    )
    townships = _township_rollup(pairings, today)
    context = {
        "today": today,
        "dashboard_org": home_organization(request.user),
        "status_counts": [(s.label, by_status.get(s.value, 0), s.value) for s in HouseholdStatus],
        "household_total": sum(by_status.values()),
        # The rollup's overdue pairings, added up: the same rule over the same pairings (every
        # village lies in a township), without reading every pairing's visits a second time.
        "overdue_count": sum(row["overdue"] for row in townships),
        "incomplete_count": Village.objects.visible_to(request.user).incomplete().count(),
        "under_quota_count": selectors.officials_with_coverage(
            Cadre.objects.visible_to(request.user), today
        )
        .filter(under_quota=True)
        .count(),
        "stage_counts": [(s.label, by_stage.get(s.value, 0)) for s in ExitStage if s.value],
        "townships": townships,
    }
    return render(request, "poverty/index.html", context)


def _township_rollup(pairings, today):
    """Coverage and overdue visits by township: one GROUP BY and one query for the names."""
    rows = list(pairings.with_township_path().rollup("township_path", today))
    names = dict(
        Organization.objects.filter(path__in=[r["township_path"] for r in rows]).values_list(
            "path", "name"
        )
    )
    for row in rows:
        row["name"] = names.get(row["township_path"], row["township_path"])
    return rows


# --- Households ----------------------------------------------------------------------------


class HouseholdListView(AreaAccessMixin, ListView):
    area = Area.POVERTY
    template_name = "poverty/household_list.html"
    paginate_by = 25

    def get_queryset(self):
        self.filterset = lists.households(self.request.user, self.request.GET)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=self.filterset, can_manage=_can_manage(self.request.user), **kwargs
        )


@require_access(Area.POVERTY, Access.READ)
def household_detail(request, pk):
    household = get_object_or_404(
        households_for(request.user)
        .with_exit_gate()
        .with_head()
        .select_related("village__organization"),
        pk=pk,
    )
    today = timezone.localdate()
    pairings = (
        household.pairings.with_next_visit_due()
        .with_overdue_flag(today)
        .select_related("official__organization")
    )
    visits = (
        Visit.objects.filter(pairing__household=household)
        .select_related("pairing__official", "logged_by")
        .prefetch_related("photos")
    )
    context = {
        "household": household,
        "members": household.members.all(),
        "incomes": household.incomes.all(),
        "pairings": pairings,
        "active_pairing": next((p for p in pairings if p.end is None), None),
        "visits": visits,
        "measures": household.measures.all(),
        "can_manage": _can_manage(request.user),
        "can_reveal": may(request.user, Capability.REVEAL_ID_NUMBER),
        "can_edit": can(request.user, Area.POVERTY, Access.EDIT),
        "exit_stages": [s for s in ExitStage if s.value],
        "today": today,
    }
    return render(request, "poverty/household_detail.html", context)


@require_access(Area.POVERTY, Access.EDIT, ALL_HOUSEHOLDS)
@once_per_key
def household_create(request):
    return _household_form(request, None)


@require_access(Area.POVERTY, Access.EDIT, ALL_HOUSEHOLDS)
def household_update(request, pk):
    household = get_object_or_404(households_for(request.user), pk=pk)
    return _household_form(request, household)


def _household_form(request, household):
    villages = Village.objects.visible_to(request.user)
    form = HouseholdForm(request.POST or None, instance=household, villages=villages)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if household is None:
                household = services.household_register(**fields)
            else:
                household = services.household_update(household=household, **fields)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The household record was saved."))
            return redirect("poverty:household-detail", pk=household.pk)
    return render(request, "poverty/household_form.html", {"form": form, "household": household})


def _service_form(request, *, form, template, household, save, success, extra=None):
    """A workflow page: validate the shape, call the service, attach its error, re-render."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, success)
            return redirect("poverty:household-detail", pk=household.pk)
    return render(request, template, {"form": form, "household": household, **(extra or {})})


@require_access(Area.POVERTY, Access.EDIT, ALL_HOUSEHOLDS)
@once_per_key
def member_create(request, pk):
    household = get_object_or_404(households_for(request.user), pk=pk)
    form = MemberForm(request.POST or None)

    def save(data):
        services.member_add(household=household, **data)

    return _service_form(
        request,
        form=form,
        template="poverty/member_form.html",
        household=household,
        save=save,
        success=_("The member was added."),
    )


@require_access(Area.POVERTY, Access.EDIT, Capability.REVEAL_ID_NUMBER)
@require_POST
def member_reveal(request, pk):
    """The full ID number, for staff; every reveal is recorded (portal.services)."""
    member = get_object_or_404(
        Member.objects.filter(household__in=households_for(request.user)), pk=pk
    )
    value = reveal_record(
        user=request.user, obj=member, field="id_number", ip_address=client_ip(request)
    )
    return reveal_response(
        request,
        value=value,
        back_url=reverse("poverty:household-detail", args=[member.household_id]),
    )


@require_access(Area.POVERTY, Access.EDIT, ALL_HOUSEHOLDS)
def income_update(request, pk):
    household = get_object_or_404(households_for(request.user), pk=pk)
    initial = {i.source: i.amount for i in household.incomes.all()}
    form = IncomeForm(request.POST or None, initial=initial)
    return _service_form(
        request,
        form=form,
        template="poverty/income_form.html",
        household=household,
        save=lambda data: services.income_record(household=household, amounts=data),
        success=_("The income was saved."),
    )


@require_access(Area.POVERTY, Access.EDIT, ALL_HOUSEHOLDS)
def guarantees_update(request, pk):
    household = get_object_or_404(households_for(request.user), pk=pk)
    initial = {field: getattr(household, field) for field, _label in GUARANTEES}
    form = GuaranteesForm(request.POST or None, initial=initial)
    return _service_form(
        request,
        form=form,
        template="poverty/guarantees_form.html",
        household=household,
        save=lambda data: services.guarantees_record(household=household, **data),
        success=_("The guarantees were recorded."),
    )


EXIT_ACTIONS = {
    "advance": lambda household, today: services.household_exit_advance(
        household=household, today=today
    ),
    "withdraw": lambda household, today: services.household_exit_withdraw(household=household),
    "flag_at_risk": lambda household, today: services.household_flag_at_risk(
        household=household, today=today
    ),
    "clear_risk": lambda household, today: services.household_clear_risk(household=household),
}


@require_access(Area.POVERTY, Access.EDIT, ALL_HOUSEHOLDS)
def household_exit(request, pk):
    """The exit procedure and monitoring: one step per POST; the service checks the move."""
    household = get_object_or_404(households_for(request.user), pk=pk)
    if request.method != "POST":
        return redirect("poverty:household-detail", pk=household.pk)
    action = EXIT_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Choose a step of the exit procedure."))
    else:
        try:
            action(household, timezone.localdate())
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The exit procedure was updated."))
    return redirect("poverty:household-detail", pk=household.pk)


@require_access(Area.POVERTY, Access.EDIT, ALL_HOUSEHOLDS)
@once_per_key
def pairing_create(request, pk):
    """Pair the household with an official, or reassign it (the old pairing is kept)."""
    household = get_object_or_404(households_for(request.user), pk=pk)
    form = PairingForm(request.POST or None, officials=Cadre.objects.visible_to(request.user))
    current = household.pairings.active().select_related("official").first()

    def save(data):
        if current is None:
            services.pairing_assign(
                household=household, official=data["official"], start=data["start"]
            )
        else:
            services.pairing_reassign(
                household=household, official=data["official"], on=data["start"]
            )

    return _service_form(
        request,
        form=form,
        template="poverty/pairing_form.html",
        household=household,
        save=save,
        success=_("The responsible official was saved."),
        extra={"current": current},
    )


@require_access(Area.POVERTY, Access.EDIT)
@once_per_key
def visit_create(request, pk):
    """Log a visit (the helper's phone journey): on the household's current pairing."""
    household = get_object_or_404(households_for(request.user), pk=pk)
    pairing = household.pairings.active().select_related("official").first()
    form = VisitForm(request.POST or None, request.FILES or None)
    if pairing is None:
        form.add_error(None, _("This household has no responsible official; pair it first."))

    def save(data):
        services.visit_log(pairing=pairing, logged_by=request.user, **data)

    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The visit was logged."))
            if not may(request.user, ALL_HOUSEHOLDS):
                return redirect("poverty:index")
            return redirect("poverty:household-detail", pk=household.pk)
    return render(
        request,
        "poverty/visit_form.html",
        {"form": form, "household": household, "pairing": pairing},
    )


@require_access(Area.POVERTY, Access.EDIT)
@once_per_key
def measure_create(request, pk):
    household = get_object_or_404(households_for(request.user), pk=pk)
    form = MeasureForm(request.POST or None)
    return _service_form(
        request,
        form=form,
        template="poverty/measure_form.html",
        household=household,
        save=lambda data: services.measure_record(household=household, **data),
        success=_("The assistance measure was recorded."),
    )


@require_access(Area.POVERTY, Access.READ)
def visit_photo(request, pk):
    """A visit's photo, served only to those who see the household (never a public URL)."""
    photo = get_object_or_404(
        VisitPhoto.objects.filter(visit__pairing__household__in=households_for(request.user)),
        pk=pk,
    )
    return upload_response(photo.image)


# --- Villages, officials, overdue, exit pipeline -------------------------------------------


class VillageListView(AreaAccessMixin, ListView):
    area = Area.POVERTY
    capability = ALL_HOUSEHOLDS
    required_access = Access.READ
    template_name = "poverty/village_list.html"
    paginate_by = 25

    def get_queryset(self):
        self.filterset = lists.villages(self.request.user, self.request.GET)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=self.filterset, can_manage=_can_manage(self.request.user), **kwargs
        )


@require_access(Area.POVERTY, Access.EDIT, ALL_HOUSEHOLDS)
def village_update(request, pk):
    village = get_object_or_404(Village.objects.visible_to(request.user), pk=pk)
    officials = Cadre.objects.all()  # leaders and first secretaries come from across the county
    form = FiveOnesForm(
        request.POST or None,
        instance=village,
        officials=officials,
        units=Organization.objects.filter(is_active=True),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.village_set_five_ones(village=village, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("The five ones were saved."))
            return redirect(reverse("poverty:village-list") + f"?name={village.name}")
    return render(request, "poverty/village_form.html", {"form": form, "village": village})


@require_access(Area.POVERTY, Access.READ, ALL_HOUSEHOLDS)
def official_list(request):
    """Officials with their quota, households and overdue visits; unit rollup below."""
    today = timezone.localdate()
    officials = lists.officials(request.user, request.GET, today)
    show = lists.official_view(request.GET, request)
    page = Paginator(officials, 25).get_page(params.page(request))
    # Grouped by the unit itself: two units may share a name (each township's 党政办).
    units = list(
        pairings_for(request.user).rollup(
            "official__organization", today, labels=("official__organization__name",)
        )
    )
    return render(
        request,
        "poverty/official_list.html",
        {"page_obj": page, "officials": page.object_list, "show": show, "units": units},
    )


@require_access(Area.POVERTY, Access.READ, ALL_HOUSEHOLDS)
def pairing_overdue(request):
    """Pairings whose visit is overdue, the longest overdue first."""
    today = timezone.localdate()
    pairings = lists.overdue_pairings(request.user, today)
    page = Paginator(pairings, 25).get_page(params.page(request))
    return render(
        request,
        "poverty/pairing_overdue.html",
        {"page_obj": page, "pairings": page.object_list, "today": today},
    )


@require_access(Area.POVERTY, Access.READ, ALL_HOUSEHOLDS)
def exit_list(request):
    """The exit pipeline: households in the procedure, by stage; exited and at-risk counts."""
    households = lists.exits(request.user, request.GET)
    stage = lists.exit_stage(request.GET, request)
    at_risk = lists.at_risk_count(request.user)
    page = Paginator(households, 25).get_page(params.page(request))
    return render(
        request,
        "poverty/exit_list.html",
        {
            "page_obj": page,
            "households": page.object_list,
            "stages": [s for s in ExitStage if s.value],
            "stage": stage,
            "at_risk": at_risk,
            "today": timezone.localdate(),
        },
    )


# --- Dashboard (issue #11) ---------------------------------------------------------------------


@require_access(Area.POVERTY, Access.READ, ALL_HOUSEHOLDS)
@reads_from_replica
def dashboard(request, pk):
    """The subtree's households, visits, five ones and exits as of a day, beside their
    tables (poverty/dashboard.py); the children are the subtree selector."""
    organization = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    form = AsOfForm(request.GET, today=timezone.localdate())
    day = form.as_of
    children = list(
        organization.children.exclude(kind=Organization.Kind.PARTY_GROUP).order_by("path")
    )
    by_path = {child.path: child for child in children}
    charts = [
        *poverty_charts.households(organization),
        poverty_charts.visits_by_child(organization, by_path, day),
        poverty_charts.five_ones_by_child(organization, by_path, day),
        poverty_charts.exits_by_month(organization, day),
    ]
    context = {
        "organization": organization,
        "form": form,
        "day": day,
        "ancestors": organization.ancestors().visible_to(request.user),
        "children": children,
        "charts": charts,
    }
    return render(request, "poverty/dashboard.html", context)
