"""The collective decisions' URLs, in the grassroots namespace (grassroots/urls.py adds them)."""

from django.urls import path

from grassroots.decisions import views
from portal.exchange.urls import export_path

urlpatterns = [
    path("decisions/org/<int:pk>/", views.decision_list, name="decision-list"),
    path("decisions/below/<int:pk>/", views.decision_rollup, name="decision-rollup"),
    export_path("decisions/below/<int:pk>/export/", "decisions", name="decision-export"),
    path(
        "decisions/org/<int:pk>/major/new/",
        views.major_matter_create,
        name="major-matter-create",
    ),
    path("decisions/major/<int:pk>/", views.major_matter_detail, name="major-matter-detail"),
    path("decisions/major/<int:pk>/decide/", views.major_matter_decide, name="major-matter-decide"),
    path(
        "decisions/major/<int:pk>/carried-out/",
        views.major_matter_carry_out,
        name="major-matter-carry-out",
    ),
    path(
        "decisions/org/<int:pk>/village/new/",
        views.village_matter_create,
        name="village-matter-create",
    ),
    path("decisions/village/<int:pk>/", views.village_matter_detail, name="village-matter-detail"),
    path("decisions/village/<int:pk>/step/", views.village_step_create, name="village-step-create"),
    path(
        "decisions/village/<int:pk>/carried-out/",
        views.village_matter_carry_out,
        name="village-matter-carry-out",
    ),
    path(
        "decisions/village/<int:pk>/notices/",
        views.village_matter_notices,
        name="village-matter-notices",
    ),
    path("decisions/steps/<int:pk>/remark/", views.village_step_remark, name="village-step-remark"),
    path("decisions/documents/<int:pk>/", views.step_attachment_file, name="step-attachment-file"),
]
