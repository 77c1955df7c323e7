from django.urls import path

from portal.exchange.urls import export_path
from supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.index, name="index"),
    path("statistics/", views.complaint_statistics, name="complaint-statistics"),
    path("complaints/", views.complaint_list, name="complaint-list"),
    path("complaints/new/", views.complaint_create, name="complaint-create"),
    # Exports (supervision/exports.py): the queue with its filters, and the register.
    export_path("complaints/export/", "complaints", name="complaint-export"),
    export_path("complaints/register/", "complaint-register", name="complaint-register"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint-detail"),
    path("complaints/<int:pk>/receipt/", views.complaint_receipt, name="complaint-receipt"),
    path("complaints/<int:pk>/reissue/", views.complaint_reissue, name="complaint-reissue"),
    path("complaints/<int:pk>/reveal/", views.complaint_reveal, name="complaint-reveal"),
    path(
        "complaints/<int:pk>/do/<slug:action>/",
        views.complaint_action,
        name="complaint-action",
    ),
]
