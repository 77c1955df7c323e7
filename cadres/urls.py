from django.urls import path

from cadres import views
from portal.exchange.urls import export_path

app_name = "cadres"


def child(route: str, kind: str, name: str):
    return path(f"<int:pk>/{route}/add/", views.child_create, {"kind": kind}, name=name)


urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/<int:pk>/", views.dashboard, name="dashboard"),
    path("list/", views.cadre_list, name="cadre-list"),
    path("new/", views.cadre_create, name="cadre-create"),
    path("<int:pk>/", views.cadre_detail, name="cadre-detail"),
    path("<int:pk>/edit/", views.cadre_update, name="cadre-update"),
    path("<int:pk>/photo/", views.cadre_photo, name="cadre-photo"),
    path("<int:pk>/reveal/", views.cadre_reveal, name="cadre-reveal"),
    path("<int:pk>/print/", views.cadre_print, name="cadre-print"),
    path("<int:pk>/form.xlsx", views.cadre_xlsx, name="cadre-xlsx"),
    path("<int:pk>/timeline/", views.cadre_timeline, name="cadre-timeline"),
    child("posts", "post", "postrecord-create"),
    child("assessments", "assessment", "assessment-create"),
    child("trainings", "training", "training-create"),
    child("merits", "merit", "merit-create"),
    child("fault-tolerance", "fault_tolerance", "faulttolerancecase-create"),
    child("resume", "resume_line", "resumeline-create"),
    child("family", "family_member", "familymember-create"),
    child("reserve", "reserve", "reserveentry-create"),
    path("reserve/", views.reserve_list, name="reserveentry-list"),
    path("reserve/report/", views.reserve_report, name="reserveentry-report"),
    path("reserve/<int:pk>/remove/", views.reserve_remove, name="reserveentry-remove"),
    path("appointments/", views.appointment_list, name="appointment-list"),
    path("<int:pk>/appointments/new/", views.appointment_create, name="appointment-create"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment-detail"),
    path(
        "appointments/<int:pk>/objections/",
        views.objection_create,
        name="noticeobjection-create",
    ),
    # After the fixed routes above: any other last segment is a workflow step.
    path("appointments/<int:pk>/<slug:step>/", views.appointment_step, name="appointment-step"),
    path("checks/<int:pk>/", views.fourmust_complete, name="fourmustcheck-complete"),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="noticeobjection-resolve"),
    # Exports (cadres/exports.py): each list with its page's filters, and the registers.
    export_path("list/export/", "cadres", name="cadre-export"),
    export_path("list/posts/export/", "posts", name="postrecord-export"),
    export_path("list/register/", "cadre-register", name="cadre-register"),
    export_path("list/forms.xlsx", "cadre-forms", name="cadre-forms"),
    export_path("appointments/export/", "appointments", name="appointment-export"),
    export_path("reserve/export/", "reserve", name="reserveentry-export"),
    export_path("reserve/report/export/", "reserve-report", name="reserveentry-report-export"),
]
