"""Every grassroots model has a working admin; attendance edited there is recounted."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from grassroots import services
from grassroots.models import Meeting
from tests import uploads

pytestmark = pytest.mark.django_db

MODELS = [m for m in admin.site._registry if m._meta.app_label == "grassroots"]


def test_every_model_is_registered():
    names = {m.__name__ for m in MODELS}
    assert names >= {
        "MeetingRequirement",
        "CommitteeTerm",
        "CommitteeSeat",
        "PartyMember",
        "Membership",
        "Appraisal",
        "Meeting",
        "Attendance",
        "Motion",
        "MeetingAttachment",
    }


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_and_add_pages_open(client_as, roster, model):
    client = client_as("admin")
    opts = model._meta
    assert (
        client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code
        == 200
    )
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200


def test_requirements_are_editable_without_code(client_as, world):
    from grassroots.models import MeetingRequirement

    lecture = MeetingRequirement.objects.get(kind="lecture")
    url = reverse("admin:grassroots_meetingrequirement_change", args=[lecture.pk])
    response = client_as("admin").post(
        url,
        {
            "kind": "lecture",
            "applies_to_kinds": ["branch", "joint_branch"],
            "frequency": "month",
            "quorum": "none",
            "is_active": "on",
            "note": "每月一次",
        },
    )
    assert response.status_code == 302
    lecture.refresh_from_db()
    assert (lecture.frequency, lecture.applies_to_kinds) == ("month", ["branch", "joint_branch"])


def test_attendance_inline_edit_recounts_the_meeting(client_as, world, roster):
    meeting = services.meeting_record(
        organization=world.branch_a1,
        kind="general",
        date=datetime.date(2026, 11, 2),
        topic="党员大会",
        today=datetime.date(2026, 11, 28),
    )
    rows = list(meeting.attendances.order_by("pk"))
    data = {
        "organization": world.branch_a1.pk,
        "kind": "general",
        "status": "held",
        "date": "2026-11-02",
        "topic": "党员大会",
        "quorum": "voting_majority",
        "attendances-TOTAL_FORMS": len(rows),
        "attendances-INITIAL_FORMS": len(rows),
        "motions-TOTAL_FORMS": 0,
        "motions-INITIAL_FORMS": 0,
        "attachments-TOTAL_FORMS": 0,
        "attachments-INITIAL_FORMS": 0,
    }
    for i, row in enumerate(rows):
        absent = i < 3  # three of the five away: 1 of 4 voting members left, or 2
        data |= {
            f"attendances-{i}-id": row.pk,
            f"attendances-{i}-meeting": meeting.pk,
            f"attendances-{i}-member": row.member_id,
            f"attendances-{i}-status": "absent" if absent else "present",
            f"attendances-{i}-reason": "外出" if absent else "",
            f"attendances-{i}-is_voting": "on" if row.is_voting else "",
        }
    url = reverse("admin:grassroots_meeting_change", args=[meeting.pk])
    response = client_as("admin").post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.present_count == 2
    assert meeting.is_valid is False


def test_attendance_edited_on_its_own_page_recounts_the_meeting(client_as, world, roster):
    # given a general meeting with everyone present (valid)
    meeting = services.meeting_record(
        organization=world.branch_a1,
        kind="general",
        date=datetime.date(2026, 11, 2),
        topic="党员大会",
        today=datetime.date(2026, 11, 28),
    )
    assert meeting.is_valid
    client = client_as("admin")
    # when the administrator marks three voting members absent, one row at a time
    for row in meeting.attendances.filter(is_voting=True).order_by("pk")[:3]:
        url = reverse("admin:grassroots_attendance_change", args=[row.pk])
        data = {
            "meeting": meeting.pk,
            "member": row.member_id,
            "status": "absent",
            "reason": "外出",
            "is_voting": "on",
        }
        assert client.post(url, data).status_code == 302
    # then the meeting's counts follow and it no longer reaches its quorum
    meeting.refresh_from_db()
    assert (meeting.present_count, meeting.present_voting_count) == (2, 1)
    assert meeting.is_valid is False


def test_an_attachment_added_in_the_admin_is_checked_by_content(client_as, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from grassroots.models import MeetingAttachment

    meeting = services.meeting_record(
        organization=world.branch_a1,
        kind="lecture",
        date=datetime.date(2026, 11, 2),
        topic="党课",
        today=datetime.date(2026, 11, 28),
    )
    url = reverse("admin:grassroots_meetingattachment_add")
    # a text file named like a PDF is refused with the upload check's message
    fake = SimpleUploadedFile("签到表.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client_as("admin").post(url, {"meeting": meeting.pk, "file": fake})
    assert response.status_code == 200
    assert not MeetingAttachment.objects.exists()
    # a real PDF is stored with the type read from its content and the size of the file kept
    # (rebuilt from its pages: portal/uploads.py)
    real = SimpleUploadedFile("签到表.pdf", uploads.pdf(), content_type="text/plain")
    response = client_as("admin").post(url, {"meeting": meeting.pk, "file": real})
    assert response.status_code == 302
    attachment = MeetingAttachment.objects.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.size == attachment.file.size > 0
    assert attachment.file.name.endswith("/签到表.pdf")
