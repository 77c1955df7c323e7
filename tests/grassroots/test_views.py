"""Pages: what a secretary, staff and leaders see and do; query counts pinned."""

import datetime
import io

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from grassroots import services
from grassroots.models import Meeting, MeetingKind
from portal.models import RevealLog
from tests.factories import OrganizationFactory, UserFactory
from tests.grassroots.factories import PartyMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def photo():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="JPEG")
    buffer.seek(0)
    buffer.name = "签到表.jpg"
    return buffer


class TestLogAMeeting:
    def test_secretary_logs_a_meeting_with_absences_and_a_photo(self, client_as, world, roster):
        client = client_as("secretary")
        url = reverse("grassroots:meeting-create", kwargs={"pk": world.branch_a1.pk})
        # the form lists today's roster, everyone present; the quarter's meeting is still due
        assert (
            'data-kind="general" data-status="due"'
            in client.get(reverse("grassroots:index")).content.decode()
        )
        page = client.get(url)
        assert page.status_code == 200
        assert page.content.decode().count('value="present" checked') == 5
        today = timezone.localdate()
        data = {
            "held": "True",
            "kind": MeetingKind.GENERAL,
            "date": today.isoformat(),
            "topic": "学习二十大精神",
            f"att-{roster[0].pk}": "absent",
            f"reason-{roster[0].pk}": "外出务工",
            f"att-{roster[4].pk}": "leave",
            f"reason-{roster[4].pk}": "生病",
            "attachments": photo(),
        }
        response = client.post(url, data)
        assert response.status_code == 302
        meeting = Meeting.objects.get()
        # 3 of 4 voting members present (the probationary member on leave has no vote)
        assert (meeting.present_count, meeting.due_count, meeting.is_valid) == (3, 5, True)
        assert meeting.attachments.count() == 1
        branch_page = client.get(response["Location"]).content.decode()
        assert 'data-kind="general" data-status="met"' in branch_page

    def test_the_sign_in_sheet_is_served_only_within_the_subtree(self, client_as, world, roster):
        # given a meeting of branch A1 with a scanned sign-in sheet
        meeting = services.meeting_record(
            organization=world.branch_a1,
            kind="lecture",
            date=datetime.date(2026, 11, 2),
            topic="党课",
        )
        sheet = photo()
        upload = SimpleUploadedFile(sheet.name, sheet.getvalue(), content_type="image/jpeg")
        attachment = services.meeting_attachment_add(meeting=meeting, file=upload)
        url = reverse("grassroots:attachment-file", kwargs={"pk": attachment.pk})
        # the meeting page links to the scoped URL, not to a public /media/ path
        page = client_as("secretary").get(reverse("grassroots:meeting-detail", args=[meeting.pk]))
        assert url in page.content.decode() and "/media/" not in page.content.decode()
        # when the branch's secretary opens it, the picture comes back (re-encoded: the same
        # white 8 x 8 picture, see tests/portal/test_uploads.py)
        response = client_as("secretary").get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        served = Image.open(io.BytesIO(b"".join(response.streaming_content)))
        assert (served.format, served.size) == ("JPEG", (8, 8))
        assert served.convert("RGB").getpixel((4, 4)) == (255, 255, 255)
        # a secretary of another township's branch gets a 404
        outsider = UserFactory(role="secretary", organization=world.branch_b1)
        client = Client()
        client.force_login(outsider)
        assert client.get(url).status_code == 404

    def test_the_same_kind_twice_a_day_asks_for_confirmation(self, client_as, world, roster):
        client = client_as("secretary")
        url = reverse("grassroots:meeting-create", kwargs={"pk": world.branch_a1.pk})
        data = {"held": "True", "kind": "lecture", "date": "2026-11-02", "topic": "党课"}
        assert client.post(url, data).status_code == 302
        again = client.post(url, data)
        assert again.status_code == 200
        assert "仍然登记" in again.content.decode()  # "log it anyway"
        assert Meeting.objects.count() == 1
        assert client.post(url, {**data, "confirm_duplicate": "on"}).status_code == 302
        assert Meeting.objects.count() == 2

    def test_a_future_held_meeting_is_refused_with_a_message(self, client_as, world, roster):
        client = client_as("secretary")
        url = reverse("grassroots:meeting-create", kwargs={"pk": world.branch_a1.pk})
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        response = client.post(
            url, {"held": "True", "kind": "lecture", "date": tomorrow.isoformat(), "topic": "x"}
        )
        assert response.status_code == 200
        assert "不能晚于今天" in response.content.decode()  # "cannot be dated in the future"
        assert not Meeting.objects.exists()

    def test_secretary_posting_to_another_branch_gets_404(self, client_as, world):
        client = client_as("secretary")
        url = reverse("grassroots:meeting-create", kwargs={"pk": world.branch_b1.pk})
        response = client.post(
            url, {"held": "True", "kind": "lecture", "date": "2026-11-02", "topic": "x"}
        )
        assert response.status_code == 404
        assert not Meeting.objects.exists()

    def test_the_roster_fragment_follows_the_date(self, client_as, world, roster):
        client = client_as("secretary")
        url = reverse("grassroots:meeting-create", kwargs={"pk": world.branch_a1.pk})
        # the probationary member joined on 2026-03-01: not on a February roster
        response = client.get(
            url, {"date": "2026-02-10", "kind": "general"}, HTTP_HX_REQUEST="true"
        )
        body = response.content.decode()
        assert 'id="attendance"' in body and "<html" not in body
        assert body.count('value="present" checked') == 4


class TestMembers:
    def test_search_by_pinyin_initials(self, client_as, world, roster):
        response = client_as("staff").get(reverse("grassroots:member-list"), {"q": "zsf"})
        names = [m.name for m in response.context["page_obj"]]
        assert names == ["张三丰"]

    def test_secretary_sees_ids_masked_and_cannot_reveal(self, client_as, world, roster):
        client = client_as("secretary")
        member = roster[0]
        page = client.get(reverse("grassroots:member-detail", kwargs={"pk": member.pk}))
        assert member.id_number not in page.content.decode()
        assert member.id_number[-4:] in page.content.decode()
        response = client.post(reverse("grassroots:member-reveal", kwargs={"pk": member.pk}))
        assert response.status_code == 403
        assert not RevealLog.objects.exists()

    def test_staff_reveal_is_recorded(self, client_as, world, roster):
        member = roster[0]
        response = client_as("staff").post(
            reverse("grassroots:member-reveal", kwargs={"pk": member.pk}), HTTP_HX_REQUEST="true"
        )
        assert member.id_number in response.content.decode()
        log = RevealLog.objects.get()
        assert (log.user, log.field, log.object_id) == (
            world.user("staff"),
            "id_number",
            str(member.pk),
        )

    def test_a_revealed_number_never_travels_in_a_cookie(self, client_as, world, roster):
        # given staff revealing a member's ID number
        member = roster[0]
        client = client_as("staff")
        response = client.post(reverse("grassroots:member-reveal", kwargs={"pk": member.pk}))
        assert member.id_number in response.content.decode()
        # then no cookie of the response carries it
        assert not any(member.id_number in c.value for c in response.cookies.values())
        # and a flash message (which may quote what a page showed) is kept in the session:
        # no `messages` cookie, signed but readable, is ever set
        advance = client.post(
            reverse("grassroots:member-advance", kwargs={"pk": roster[4].pk}),
            {"on": timezone.localdate().isoformat()},
        )
        assert advance.status_code == 302
        assert "messages" not in advance.cookies
        texts = [cookie.value for cookie in advance.cookies.values()]
        if "messages" in advance.cookies:
            stored = CookieStorage(HttpRequest())._decode(advance.cookies["messages"].value)
            texts += [str(message) for message in stored or []]
        assert not any(roster[4].name in text for text in texts)
        assert client.get(advance["Location"]).context["messages"]

    def test_transfer_through_the_page(self, client_as, world, roster):
        client = client_as("staff")
        member = roster[0]
        client.post(
            reverse("grassroots:member-transfer", kwargs={"pk": member.pk}),
            {"to_branch": world.branch_b1.pk, "on": timezone.localdate().isoformat()},
        )
        member.refresh_from_db()
        assert member.branch == world.branch_b1


class TestMemberActions:
    # The pages speak Chinese (the default language): assertions read what the user sees.
    def _activist(self, world, branch=None):
        return PartyMemberFactory(
            branch=branch or world.branch_a1,
            name="孙八",
            stage="activist",
            applied_on=datetime.date(2025, 3, 1),
            activist_on=datetime.date(2026, 5, 20),
        )

    def test_secretary_records_an_assessment_from_the_member_page(self, client_as, world):
        client = client_as("secretary")
        person = self._activist(world)
        detail = reverse("grassroots:member-detail", kwargs={"pk": person.pk})
        page = client.get(detail).content.decode()
        assert "登记入党积极分子考察" in page
        assert "尚无考察记录。" in page
        today = timezone.localdate()
        response = client.post(
            reverse("grassroots:member-assess", kwargs={"pk": person.pk}),
            {"assessed_on": today.isoformat(), "notes": "思想进步，表现良好。"},
        )
        assert response.status_code == 302
        page = client.get(detail).content.decode()
        assert "思想进步，表现良好。" in page
        assert "考察已登记。" in page

    def test_a_refused_assessment_is_shown_on_the_form_and_saves_nothing(self, client_as, world):
        person = self._activist(world)
        response = client_as("secretary").post(
            reverse("grassroots:member-assess", kwargs={"pk": person.pk}),
            {"assessed_on": "2026-05-01", "notes": "良好"},
        )
        assert response.status_code == 200
        assert "确定为入党积极分子的日期" in response.content.decode()
        assert not person.activist_assessments.exists()

    def test_a_leader_may_read_but_not_record(self, client_as, world):
        person = self._activist(world)
        client = client_as("leader")
        page = client.get(reverse("grassroots:member-detail", kwargs={"pk": person.pk}))
        assert "登记入党积极分子考察" not in page.content.decode()
        for name in ("grassroots:member-assess", "grassroots:member-remove"):
            response = client.post(
                reverse(name, kwargs={"pk": person.pk}),
                {
                    "assessed_on": "2026-11-20",
                    "notes": "良好",
                    "reason": "deceased",
                    "on": "2026-11-20",
                },
            )
            assert response.status_code == 403
        assert not person.activist_assessments.exists()

    def test_another_branchs_member_is_not_found(self, client_as, world):
        person = self._activist(world, branch=world.branch_b1)
        response = client_as("secretary").post(
            reverse("grassroots:member-assess", kwargs={"pk": person.pk}),
            {"assessed_on": "2026-11-20", "notes": "良好"},
        )
        assert response.status_code == 404
        assert not person.activist_assessments.exists()

    def test_secretary_records_a_transfer_out_of_the_county(self, client_as, world, roster):
        client = client_as("secretary")
        member = roster[0]
        url = reverse("grassroots:member-remove", kwargs={"pk": member.pk})
        # without a destination the form comes back with the reason, nothing saved
        today = timezone.localdate().isoformat()
        response = client.post(url, {"reason": "transferred_out", "on": today})
        assert response.status_code == 200
        assert "请填写党员转往的县外党组织名称" in response.content.decode()
        member.refresh_from_db()
        assert not member.is_transferred_out
        # with it, the member leaves the branch's roster from that day
        response = client.post(
            url, {"reason": "transferred_out", "on": today, "destination": "邻县城关镇党委"}
        )
        assert response.status_code == 302
        page = client.get(reverse("grassroots:member-detail", kwargs={"pk": member.pk}))
        assert "已转出本县" in page.content.decode()
        assert "邻县城关镇党委" in page.content.decode()
        branch = client.get(reverse("grassroots:branch-detail", kwargs={"pk": world.branch_a1.pk}))
        assert member not in branch.context["roster"]


def _many_members(world, count):
    for _ in range(count):
        PartyMemberFactory(branch=world.branch_a1)


def _many_meetings(world, count):
    for n in range(count):
        services.meeting_plan(
            organization=world.branch_a1,
            kind="lecture",
            date=datetime.date(2027, 1, 1) + datetime.timedelta(days=n),
            topic="党课",
        )


class TestQueryCounts:
    # Every page: session, user, the user's organisation (scoping) and the notification
    # bell (4); then the page's own queries, the same for 1 row as for 50.
    @pytest.mark.parametrize("count", [1, 50])
    def test_member_list(self, client_as, world, count, django_assert_num_queries):
        _many_members(world, count)
        client = client_as("staff")
        # 4 + count + page (branch and group joined); the branch filter is a searchable
        # picker that lists no branch until one is chosen (7 - 1 for the choices' query)
        with django_assert_num_queries(6):
            response = client.get(reverse("grassroots:member-list"))
        assert len(response.context["page_obj"]) == count

    @pytest.mark.parametrize("count", [1, 50])
    def test_meeting_list(self, client_as, world, count, django_assert_num_queries):
        _many_meetings(world, count)
        client = client_as("staff")
        # 4 + count + page (organisation joined); the organisation filter is a searchable
        # picker that lists none until one is chosen (7 - 1 for the choices' query)
        with django_assert_num_queries(6):
            response = client.get(reverse("grassroots:meeting-list"))
        assert len(response.context["page_obj"]) == count

    @pytest.mark.parametrize("count", [1, 50])
    def test_compliance_rollup(self, client_as, world, count, django_assert_num_queries):
        for n in range(count - 1):
            OrganizationFactory(name=f"支部{n}", parent=world.township_b)
        client = client_as("staff")
        # 4 + the organisation + rollup + the previous periods' rollup + child organisations
        # + the branch sizes below each child + own cells (the county has no ancestors: the
        # empty path list is not queried)
        with django_assert_num_queries(10):
            client.get(
                reverse("grassroots:organization-compliance", kwargs={"pk": world.county.pk})
            )

    @pytest.mark.parametrize("count", [1, 50])
    def test_branch_page_and_dashboard(self, client_as, world, count, django_assert_num_queries):
        _many_members(world, count)
        _many_meetings(world, count)
        client = client_as("secretary")
        # 4 + branch (with parent) + term + cells + groups + meetings + roster
        with django_assert_num_queries(10):
            client.get(reverse("grassroots:branch-detail", kwargs={"pk": world.branch_a1.pk}))
        # 4 + cells + the five recent meetings
        with django_assert_num_queries(6):
            client.get(reverse("grassroots:index"))


def _member_form(member, **changes):
    fields = ("name", "gender", "ethnicity", "birth_date", "phone", "education", "party_group")
    fields += ("applied_on", "activist_on", "target_on", "joined_on", "full_on")
    data = {name: getattr(member, name) for name in fields}
    data["party_group"] = member.party_group_id
    data.update(changes)
    return {key: str(value) for key, value in data.items() if value not in (None, "")}


def test_editing_a_member_through_the_page(client_as, roster):
    member = roster[0]
    client = client_as("secretary")
    url = reverse("grassroots:member-update", kwargs={"pk": member.pk})

    refused = client.post(
        url, _member_form(member, applied_on="2015-09-01"), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert refused.status_code == 200
    assert "Pipeline dates must follow the order" in refused.content.decode()
    member.refresh_from_db()
    assert member.applied_on is None

    refused = client.post(
        url, _member_form(member, birth_date="1971-06-01"), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert "The birth date does not match the ID number" in refused.content.decode()

    saved = client.post(url, _member_form(member, name="张无忌", phone="13800000000"), follow=True)

    page = saved.content.decode()
    assert "张无忌" in page and "13800000000" in page
    member.refresh_from_db()
    assert (member.name, member.name_initials) == ("张无忌", "zwj")


def test_an_impossible_date_on_the_meeting_form_is_a_message_not_an_error(client_as, world, roster):
    client = client_as("secretary")
    url = reverse("grassroots:meeting-create", kwargs={"pk": world.branch_a1.pk})
    # the roster fragment for that day, and the form sent with it
    assert client.get(url, {"date": "2026-02-30", "kind": "general"}).status_code == 200
    response = client.post(
        url, {"held": "True", "kind": "general", "date": "2026-02-30", "topic": "学习"}
    )
    assert response.status_code == 200
    assert "有效的日期" in response.content.decode()  # "Enter a valid date."
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("reason", ["长" * 201, "病假\x00"])
def test_an_absence_reason_too_long_or_with_a_nul_byte_is_a_message(
    client_as, world, roster, reason
):
    client = client_as("secretary")
    url = reverse("grassroots:meeting-create", kwargs={"pk": world.branch_a1.pk})
    absent = roster[0]
    response = client.post(
        url,
        {
            "held": "True",
            "kind": "general",
            "date": "2026-03-02",
            "topic": "学习",
            f"att-{absent.pk}": "absent",
            f"reason-{absent.pk}": reason,
        },
    )
    assert response.status_code == 200
    assert "缺席理由或请假理由最多 200 个字" in response.content.decode()
    assert not Meeting.objects.exists()
