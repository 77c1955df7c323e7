from django.urls import path

from grassroots import views
from grassroots.decisions import urls as decisions
from portal.exchange.urls import export_path

app_name = "grassroots"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/<int:pk>/", views.dashboard, name="dashboard"),
    path("yearend/<int:pk>/", views.yearend_report, name="yearend"),
    path("compliance/<int:pk>/", views.organization_compliance, name="organization-compliance"),
    path("branches/<int:pk>/", views.branch_detail, name="branch-detail"),
    path("branches/<int:pk>/meetings/new/", views.meeting_create, name="meeting-create"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/record/", views.meeting_record, name="meeting-record"),
    path("meetings/<int:pk>/motions/new/", views.motion_create, name="motion-create"),
    path("meetings/<int:pk>/attachments/new/", views.attachment_create, name="attachment-create"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment-file"),
    path("members/", views.MemberListView.as_view(), name="member-list"),
    path("members/new/", views.member_create, name="member-create"),
    path("members/<int:pk>/", views.MemberDetailView.as_view(), name="member-detail"),
    path("members/<int:pk>/edit/", views.member_update, name="member-update"),
    path("members/<int:pk>/transfer/", views.member_transfer, name="member-transfer"),
    path("members/<int:pk>/advance/", views.member_advance, name="member-advance"),
    path("members/<int:pk>/assess/", views.member_assess, name="member-assess"),
    path("members/<int:pk>/status/", views.member_remove, name="member-remove"),
    path("members/<int:pk>/reveal/", views.member_reveal, name="member-reveal"),
    # Exports (grassroots/exports.py): each list with its page's filters, and the registers.
    export_path("members/export/", "members", name="member-export"),
    export_path("meetings/export/", "meetings", name="meeting-export"),
    export_path("compliance/<int:pk>/export/", "compliance", name="compliance-export"),
    export_path("compliance/<int:pk>/report/", "compliance-report", name="compliance-report"),
    export_path("registers/members/<int:pk>/", "member-register", name="member-register"),
    export_path("yearend/<int:pk>/export/", "yearend", name="yearend-export"),
    # The tree below the user's organisation (portal/exports.py), as the import reads it.
    export_path("organizations/export/", "organizations", name="organization-export"),
]
# Collective decisions (三重一大, 四议两公开一监督): grassroots/decisions/urls.py.
urlpatterns += decisions.urlpatterns
