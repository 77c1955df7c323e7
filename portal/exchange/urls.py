from django.urls import path

from portal.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.export_list, name="export-list"),
    path("<int:pk>/", views.export_detail, name="export-detail"),
    path("<int:pk>/download/", views.export_download, name="export-download"),
]


def export_path(route: str, kind: str, name: str):
    """An app's export URL for one of its exports: `route` may carry the record's `<int:pk>`
    like its list page (a compliance page's organisation)."""
    return path(route, views.export, {"kind": kind}, name=name)
