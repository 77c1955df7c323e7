"""Every grassroots model has a working admin; attendance edited there is recounted."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from grassroots import services
from grassroots.decisions.models import MajorMatter, StepRemark, VillageMatter
from grassroots.models import Meeting, Membership, PartyMember
from portal.models import SingletonRules
from tests import uploads

pytestmark = pytest.mark.django_db

MODELS = [m for m in admin.site._registry if m._meta.app_label == "grassroots"]
# The branch history, and collective decisions (grassroots.decisions.services checks §8).
WRITTEN_BY_SERVICES_ONLY = {Membership, MajorMatter, StepRemark, VillageMatter}


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
    if issubclass(model, SingletonRules):
        # its one row is edited, never added again
        page = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[1])
    else:
        page = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    # written by their services only
    expected = 403 if model in WRITTEN_BY_SERVICES_ONLY else 200
    assert client.get(page).status_code == expected


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
    errors = response.context and response.context["adminform"].form.errors
    assert response.status_code == 302, errors
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


# --- A member's details edited in the admin keep the service's rules -------------------------


def _admin_form_data(response) -> dict:
    """The POST a browser would send back from an admin change/add page, unchanged."""

    def fields(form, prefixed) -> dict:
        data = {}
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False or value == "":
                continue
            if value is True:
                value = "on"
            key = form.add_prefix(name) if prefixed else name
            data[key] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
        return data

    data = fields(response.context["adminform"].form, prefixed=False)
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for form in inline.formset.initial_forms:
            data.update(fields(form, prefixed=True))
    return data


def test_an_admin_edit_of_a_member_is_checked_like_the_page(client_as, roster):
    from grassroots.models import Membership, PartyMember

    member = roster[0]
    client = client_as("admin")
    url = reverse("admin:grassroots_partymember_change", args=[member.pk])
    data = _admin_form_data(client.get(url))

    refused = client.post(url, {**data, "birth_date": "1971-06-01"}, HTTP_ACCEPT_LANGUAGE="en")

    assert refused.status_code == 200
    assert "The birth date does not match the ID number" in refused.content.decode()
    assert PartyMember.objects.get(pk=member.pk).birth_date == member.birth_date

    refused = client.post(url, {**data, "applied_on": "2015-09-01"}, HTTP_ACCEPT_LANGUAGE="en")

    assert "Pipeline dates must follow the order" in refused.content.decode()
    assert PartyMember.objects.get(pk=member.pk).applied_on is None

    saved = client.post(url, {**data, "name": "张无忌"})

    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    member = PartyMember.objects.get(pk=member.pk)
    assert (member.name, member.name_initials) == ("张无忌", "zwj")
    assert Membership.objects.filter(member=member).count() == 1  # no branch change slipped in


def test_a_member_added_in_the_admin_gets_the_services_membership(client_as, world):
    from grassroots.models import Membership, PartyMember
    from tests.grassroots.factories import id_number_for

    client = client_as("admin")
    url = reverse("admin:grassroots_partymember_add")
    data = _admin_form_data(client.get(url))
    birth = datetime.date(1990, 4, 5)
    data.update(
        name="孙八",
        gender="female",
        birth_date=birth.isoformat(),
        id_number=id_number_for(birth, "female"),
        branch=str(world.branch_a1.pk),
        stage="full",
        joined_on="2018-07-01",
        full_on="2019-07-01",
    )

    response = client.post(url, data)

    errors = response.context and response.context["adminform"].form.errors
    assert response.status_code == 302, errors
    member = PartyMember.objects.get(name="孙八")
    assert member.name_initials == "sb"
    assert list(
        Membership.objects.filter(member=member).values_list("organization", "starts_on")
    ) == [(world.branch_a1.pk, datetime.date(2018, 7, 1))]


def _member_data(member, **changes):
    data = {
        "name": member.name,
        "gender": member.gender,
        "ethnicity": member.ethnicity,
        "birth_date": member.birth_date.isoformat(),
        "id_number": member.id_number,
        "phone": member.phone,
        "education": member.education,
        "joined_on": member.joined_on.isoformat(),
        "full_on": member.full_on.isoformat(),
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
        "appraisals-TOTAL_FORMS": 0,
        "appraisals-INITIAL_FORMS": 0,
        "activist_assessments-TOTAL_FORMS": 0,
        "activist_assessments-INITIAL_FORMS": 0,
    }
    return data | changes


def test_the_member_admin_goes_through_the_services(client_as, world, roster):
    member = roster[0]
    client = client_as("admin")
    url = reverse("admin:grassroots_partymember_change", args=[member.pk])
    page = client.get(url).content.decode()
    # the branch and the stage are not fields here: they move with their own actions
    assert 'name="branch"' not in page and 'name="stage"' not in page

    # an ID number whose check digit is right but whose birth date contradicts the record is
    # refused by the service's check, with its message, and nothing is saved
    other = "110105199001010010"
    response = client.post(url, _member_data(member, id_number=other), follow=True)
    assert "出生日期与身份证号码不一致" in response.content.decode()
    assert PartyMember.objects.get(pk=member.pk).id_number == member.id_number

    # a name change is saved through member_update: the pinyin initials follow
    response = client.post(url, _member_data(member, name="欧阳修"))
    assert response.status_code == 302
    assert PartyMember.objects.get(pk=member.pk).name_initials == "oyx"
