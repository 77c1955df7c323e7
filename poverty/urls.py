from django.urls import path

from portal.exchange.urls import export_path
from poverty import views

app_name = "poverty"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/<int:pk>/", views.dashboard, name="dashboard"),
    path("households/", views.HouseholdListView.as_view(), name="household-list"),
    path("households/new/", views.household_create, name="household-create"),
    path("households/<int:pk>/", views.household_detail, name="household-detail"),
    path("households/<int:pk>/edit/", views.household_update, name="household-update"),
    path("households/<int:pk>/members/new/", views.member_create, name="member-create"),
    path("households/<int:pk>/income/", views.income_update, name="income-update"),
    path("households/<int:pk>/guarantees/", views.guarantees_update, name="guarantees-update"),
    path("households/<int:pk>/exit/", views.household_exit, name="household-exit"),
    path("households/<int:pk>/pairing/", views.pairing_create, name="pairing-create"),
    path("households/<int:pk>/visits/new/", views.visit_create, name="visit-create"),
    path("households/<int:pk>/measures/new/", views.measure_create, name="measure-create"),
    path("members/<int:pk>/reveal/", views.member_reveal, name="member-reveal"),
    path("photos/<int:pk>/", views.visit_photo, name="visit-photo"),
    path("villages/", views.VillageListView.as_view(), name="village-list"),
    path("villages/<int:pk>/five-ones/", views.village_update, name="village-update"),
    path("officials/", views.official_list, name="official-list"),
    path("overdue/", views.pairing_overdue, name="pairing-overdue"),
    path("exit/", views.exit_list, name="exit-list"),
    # Exports (poverty/exports.py): each list with its page's filters, and the register.
    export_path("households/export/", "households", name="household-export"),
    export_path("households/members/export/", "household-members", name="member-export"),
    export_path("households/pairings/export/", "pairings", name="pairing-export"),
    export_path("households/register/", "household-register", name="household-register"),
    export_path("villages/export/", "villages", name="village-export"),
    export_path("officials/export/", "officials", name="official-export"),
    export_path("overdue/export/", "overdue-visits", name="pairing-overdue-export"),
    export_path("exit/export/", "exits", name="exit-export"),
]
