"""Write-side rules: recording meetings, attendance, quorum frozen on the meeting's date."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from grassroots import services
from grassroots.models import (
    ActivistAssessment,
    Attendance,
    Meeting,
    MeetingKind,
    Membership,
    Motion,
    PartyMember,
)
from portal import deadlines
from tests import uploads
from tests.grassroots.conftest import TODAY
from tests.grassroots.factories import PartyMemberFactory

pytestmark = pytest.mark.django_db

Kind = MeetingKind


def png_file(name="sheet.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def record(world, day=datetime.date(2026, 11, 2), kind=Kind.GENERAL, **kwargs):
    kwargs.setdefault("topic", "学习党章")
    return services.meeting_record(
        organization=kwargs.pop("organization", world.branch_a1),
        kind=kind,
        date=day,
        today=TODAY,
        **kwargs,
    )


class TestQuorum:
    def test_exactly_half_of_the_voting_members_is_not_a_quorum(self, world, roster):
        # given four full members (and one probationary member, who has no vote)
        # when two full members are absent
        absent = {m.pk: ("absent", "外出务工") for m in roster[:2]}
        meeting = record(world, attendance=absent)
        # then 2 of 4 voting members is exactly half: recorded, but not valid
        assert (meeting.voting_count, meeting.present_voting_count) == (4, 2)
        assert meeting.due_count == 5
        assert meeting.is_valid is False
        assert Meeting.objects.filter(pk=meeting.pk, status="held").exists()

    def test_one_more_than_half_is_a_quorum(self, world, roster):
        meeting = record(world, attendance={roster[0].pk: ("leave", "生病住院")})
        assert meeting.present_voting_count == 3
        assert meeting.is_valid is True

    def test_probationary_members_attend_without_a_vote(self, world, roster):
        # the probationary member is present but only full members count for the vote
        absent = {m.pk: ("absent", "外出") for m in roster[:2]}
        meeting = record(world, attendance=absent)
        assert meeting.present_count == 3
        probationer = Attendance.objects.get(meeting=meeting, member=roster[4])
        assert (probationer.status, probationer.is_voting) == ("present", False)

    def test_a_committee_meeting_counts_the_committee_not_the_branch(self, world, roster):
        # seven full members elect a committee (DOMAIN.md §1)
        PartyMemberFactory.create_batch(3, branch=world.branch_a1)
        services.committee_term_create(
            organization=world.branch_a1,
            starts_on=datetime.date(2024, 1, 1),
            seats=[
                (roster[0], "secretary"),
                (roster[1], "organisation"),
                (roster[2], "propaganda"),
            ],
        )
        meeting = record(world, kind=Kind.COMMITTEE, attendance={roster[2].pk: ("absent", "出差")})
        assert (meeting.due_count, meeting.present_count, meeting.is_valid) == (3, 2, True)

    def test_motion_passes_only_when_yes_exceeds_half_of_those_due(self, world, roster):
        meeting = record(world)  # 4 voting members due
        services.motion_record(meeting=meeting, title="发展对象", yes=2, no=1, abstain=1)
        services.motion_record(meeting=meeting, title="换届方案", yes=3, no=1, abstain=0)
        results = dict(Motion.objects.with_result().values_list("title", "passed"))
        assert results == {"发展对象": False, "换届方案": True}

    def test_more_votes_than_voting_members_present_is_refused(self, world, roster):
        meeting = record(world, attendance={roster[0].pk: ("absent", "外出")})
        with pytest.raises(ValidationError, match="more than the 3 voting members"):
            services.motion_record(meeting=meeting, title="x", yes=3, no=1, abstain=0)


class TestRosterAsOfDate:
    def test_roster_is_the_one_on_the_meeting_date(self, world, roster):
        # given a member who moved to branch A2 on 1 October
        services.member_transfer(
            member=roster[0], to_branch=world.branch_a2, on=datetime.date(2026, 10, 1), today=TODAY
        )
        # and a member who joined A1 only in November
        PartyMemberFactory(
            branch=world.branch_a1, stage="probationary", joined_on=datetime.date(2026, 11, 5)
        )
        # when a September meeting is recorded now
        september = record(world, day=datetime.date(2026, 9, 30))
        november = record(world, day=datetime.date(2026, 11, 10))
        # then September still had the mover and not the newcomer
        assert set(september.attendances.values_list("member_id", flat=True)) == {
            m.pk for m in roster
        }
        assert november.due_count == 5  # mover gone, newcomer there
        assert roster[0].pk not in november.attendances.values_list("member_id", flat=True)

    def test_editing_the_roster_never_changes_a_past_meeting(self, world, roster):
        meeting = record(world, attendance={roster[0].pk: ("absent", "外出")})
        before = (meeting.due_count, meeting.voting_count, meeting.present_voting_count)
        # when two members move away and the meeting is recounted
        for member in roster[1:3]:
            services.member_transfer(
                member=member,
                to_branch=world.branch_a2,
                on=datetime.date(2026, 11, 20),
                today=TODAY,
            )
        services.meeting_recount(meeting=Meeting.objects.get(pk=meeting.pk))
        meeting.refresh_from_db()
        assert (meeting.due_count, meeting.voting_count, meeting.present_voting_count) == before
        assert meeting.is_valid is True

    def test_transfer_keeps_the_history(self, world, roster):
        services.member_transfer(
            member=roster[0], to_branch=world.branch_b1, on=datetime.date(2026, 10, 1), today=TODAY
        )
        rows = list(
            Membership.objects.filter(member=roster[0])
            .order_by("starts_on")
            .values_list("organization_id", "ends_on")
        )
        assert rows == [
            (world.branch_a1.pk, datetime.date(2026, 9, 30)),
            (world.branch_b1.pk, None),
        ]
        assert PartyMember.objects.get(pk=roster[0].pk).branch == world.branch_b1

    def test_a_member_who_leaves_stays_on_earlier_rosters(self, world, roster):
        services.member_remove(
            member=roster[0], reason="deceased", on=datetime.date(2026, 10, 1), today=TODAY
        )
        assert record(world, day=datetime.date(2026, 9, 30)).due_count == 5
        assert record(world, day=datetime.date(2026, 10, 1)).due_count == 4
        assert PartyMember.objects.get(pk=roster[0].pk).is_deceased is True
        with pytest.raises(ValidationError, match="no longer on any branch"):
            services.member_remove(
                member=roster[0], reason="deceased", on=datetime.date(2026, 11, 1), today=TODAY
            )


class TestBadInputChangesNothing:
    def test_a_held_meeting_cannot_be_in_the_future(self, world, roster):
        with pytest.raises(ValidationError, match="future"):
            record(world, day=TODAY + datetime.timedelta(days=1))
        assert not Meeting.objects.exists()

    def test_a_planned_meeting_may_be_in_the_future_and_recorded_later(self, world, roster):
        planned = services.meeting_plan(
            organization=world.branch_a1,
            kind=Kind.LECTURE,
            date=datetime.date(2026, 12, 3),
            topic="党课",
            today=TODAY,
        )
        assert planned.status == "planned"
        held = record(world, kind=Kind.LECTURE, day=datetime.date(2026, 11, 27), meeting=planned)
        assert (held.pk, held.status, held.due_count) == (planned.pk, "held", 5)

    def test_attendance_for_someone_not_on_that_dates_roster(self, world, roster):
        stranger = PartyMemberFactory(branch=world.branch_b1)
        with pytest.raises(ValidationError, match="not on the roster"):
            record(world, attendance={stranger.pk: ("absent", "外出")})
        assert not Meeting.objects.exists()
        assert not Attendance.objects.exists()

    def test_an_absence_needs_a_reason(self, world, roster):
        with pytest.raises(ValidationError, match="reason"):
            record(world, attendance={roster[0].pk: ("absent", " ")})
        assert not Meeting.objects.exists()

    def test_same_kind_same_day_warns_and_is_allowed_on_confirmation(self, world, roster):
        record(world)
        with pytest.raises(ValidationError) as error:
            record(world)
        assert error.value.error_list[0].code == "duplicate"
        assert Meeting.objects.count() == 1
        record(world, confirm_duplicate=True)
        assert Meeting.objects.count() == 2

    def test_an_attachment_that_is_not_an_image_by_content(self, world, roster):
        fake = SimpleUploadedFile("sheet.jpg", b"just some text, not a photo", "image/jpeg")
        with pytest.raises(ValidationError, match="not a photo or a PDF"):
            record(world, attachments=[fake])
        assert not Meeting.objects.exists()

    def test_an_attachment_over_10_mb(self, world, roster, settings):
        settings.MAX_UPLOAD_SIZE = 50
        with pytest.raises(ValidationError, match="larger than 10 MB"):
            record(world, attachments=[png_file()])
        assert not Meeting.objects.exists()

    def test_a_photo_and_a_pdf_are_accepted(self, world, roster, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        pdf = SimpleUploadedFile("scan.pdf", uploads.pdf())
        meeting = record(world, attachments=[png_file(), pdf])
        assert sorted(meeting.attachments.values_list("content_type", flat=True)) == [
            "application/pdf",
            "image/png",
        ]


class TestPipeline:
    def test_full_membership_only_after_the_probation_year(self, world):
        member = PartyMemberFactory(
            branch=world.branch_a1, stage="probationary", joined_on=datetime.date(2025, 11, 1)
        )
        with pytest.raises(ValidationError, match="2026-11-01"):
            services.member_advance(member=member, on=datetime.date(2026, 10, 31), today=TODAY)
        member.refresh_from_db()
        assert member.stage == "probationary"
        services.member_advance(member=member, on=datetime.date(2026, 11, 1), today=TODAY)
        assert PartyMember.objects.get(pk=member.pk).full_on == datetime.date(2026, 11, 1)

    def test_each_step_sets_its_date(self, world):
        person = PartyMemberFactory(
            branch=world.branch_a1, stage="applicant", applied_on=datetime.date(2024, 3, 1)
        )
        services.member_advance(member=person, on=datetime.date(2024, 6, 1), today=TODAY)
        contact = PartyMemberFactory(branch=world.branch_a1)
        services.member_set_contacts(member=person, contacts=[contact], today=TODAY)
        with pytest.raises(ValidationError, match="one year of training"):
            services.member_advance(member=person, on=datetime.date(2025, 5, 31), today=TODAY)
        services.member_advance(member=person, on=datetime.date(2025, 6, 1), today=TODAY)
        person.refresh_from_db()
        assert (person.stage, person.activist_on, person.target_on) == (
            "target",
            datetime.date(2024, 6, 1),
            datetime.date(2025, 6, 1),
        )

    def test_an_id_number_is_stored_normalised_by_create_and_update_alike(self, world):
        # given a member whose ID number is typed with spaces and a small x
        member = services.member_create(
            name="张三",
            gender="male",
            birth_date=datetime.date(1980, 1, 1),
            id_number=" 11010519800101069x ",
            branch=world.branch_a1,
            today=TODAY,
        )
        assert PartyMember.objects.get(pk=member.pk).id_number == "11010519800101069X"
        # when it is corrected the same way through member_update
        member = services.member_update(member=member, id_number="11010519800101069x ", today=TODAY)
        # then it is stored with a capital X, no spaces
        assert PartyMember.objects.get(pk=member.pk).id_number == "11010519800101069X"

    def test_id_number_must_agree_with_birth_date(self, world):
        with pytest.raises(ValidationError) as error:
            PartyMemberFactory(branch=world.branch_a1, id_number="110105197001010038")
        assert "birth_date" in error.value.message_dict
        assert "does not match the ID number" in error.value.message_dict["birth_date"][0]
        assert not PartyMember.objects.exists()

    def test_term_length_by_category(self, world, roster):
        village = services.committee_term_create(
            organization=world.branch_a1,
            starts_on=datetime.date(2024, 2, 29),
            seats=[(roster[0], "secretary")],
        )
        assert village.ends_on == datetime.date(2029, 2, 28)
        organ = services.committee_term_create(
            organization=world.township_a,
            starts_on=datetime.date(2024, 1, 1),
            seats=[(roster[1], "secretary")],
        )
        assert organ.ends_on == datetime.date(2027, 1, 1)


def _due_keys(key: str, today: datetime.date, ahead=30, back=30) -> set[str]:
    """The item keys the reminder engine would see for deadline `key` on `today`."""
    rows = deadlines.registry()[key].rows(today, ahead, back)
    return {row["item_key"] for row in rows}


class TestActivistAssessment:
    def _activist(self, world):
        return PartyMemberFactory(
            branch=world.branch_a1,
            name="孙八",
            stage="activist",
            applied_on=datetime.date(2025, 3, 1),
            activist_on=datetime.date(2026, 5, 20),
        )

    def test_an_assessment_moves_the_reminder_to_the_next_half_year(self, world):
        # given an activist since 20 May: the assessment is due on 20 November
        person = self._activist(world)
        assert _due_keys("grassroots.activist_assessment", TODAY) == {f"{person.pk}:2026-11-20"}
        # when the branch records the assessment on 25 November
        assessment = services.member_assess_activist(
            member=person,
            assessed_on=datetime.date(2026, 11, 25),
            notes="  学习认真，积极参加志愿服务。 ",
            today=TODAY,
        )
        # then the item is closed, and the next one falls due half a year later
        assert _due_keys("grassroots.activist_assessment", TODAY) == set()
        assert _due_keys("grassroots.activist_assessment", datetime.date(2027, 5, 25), 0, 0) == {
            f"{person.pk}:2027-05-25"
        }
        assert assessment.notes == "学习认真，积极参加志愿服务。"
        assert PartyMember.objects.get(pk=person.pk).last_assessed_on == datetime.date(2026, 11, 25)

    def test_an_older_assessment_recorded_late_does_not_move_the_reminder_back(self, world):
        person = self._activist(world)
        for day in (datetime.date(2026, 11, 25), datetime.date(2026, 6, 1)):
            services.member_assess_activist(
                member=person, assessed_on=day, notes="良好", today=TODAY
            )
        assert PartyMember.objects.get(pk=person.pk).last_assessed_on == datetime.date(2026, 11, 25)
        assert person.activist_assessments.count() == 2

    @pytest.mark.parametrize(
        ("stage", "day", "message"),
        [
            ("full", datetime.date(2026, 11, 1), "not an activist"),
            ("activist", TODAY + datetime.timedelta(days=1), "cannot lie in the future"),
            ("activist", datetime.date(2026, 5, 19), "before 2026-05-20"),
        ],
    )
    def test_bad_assessments_are_refused_and_change_nothing(self, world, stage, day, message):
        person = (
            self._activist(world)
            if stage == "activist"
            else PartyMemberFactory(branch=world.branch_a1)
        )
        with pytest.raises(ValidationError, match=message):
            services.member_assess_activist(
                member=person, assessed_on=day, notes="良好", today=TODAY
            )
        assert not ActivistAssessment.objects.exists()
        assert PartyMember.objects.get(pk=person.pk).last_assessed_on is None


class TestStatusChange:
    def test_a_member_transferred_out_leaves_the_roster_but_not_past_meetings(self, world, roster):
        # given a valid general meeting on 2 November with the whole roster present
        meeting = record(world)
        before = (meeting.due_count, meeting.present_voting_count, meeting.is_valid)
        assert before == (5, 4, True)
        # when a full member is transferred out of the county from 10 November
        services.member_remove(
            member=roster[0],
            reason="transferred_out",
            on=datetime.date(2026, 11, 10),
            destination="邻县城关镇党委",
            today=TODAY,
        )
        # then they are on the roster until 9 November and off it from 10 November
        assert roster[0] in PartyMember.objects.on_roster(
            world.branch_a1, datetime.date(2026, 11, 9)
        )
        assert roster[0] not in PartyMember.objects.on_roster(
            world.branch_a1, datetime.date(2026, 11, 10)
        )
        closed = Membership.objects.get(member=roster[0])
        assert (closed.ends_on, closed.note) == (datetime.date(2026, 11, 9), "邻县城关镇党委")
        # and the meeting held before keeps its counts and its quorum, even when recounted
        services.meeting_recount(meeting=Meeting.objects.get(pk=meeting.pk))
        meeting = Meeting.objects.get(pk=meeting.pk)
        assert (meeting.due_count, meeting.present_voting_count, meeting.is_valid) == before
        assert record(world, day=datetime.date(2026, 11, 12)).due_count == 4

    def test_a_deceased_member_is_no_longer_reminded(self, world, roster):
        # given a probationary member whose year ends soon, and an activist due for assessment
        probationary = PartyMemberFactory(
            branch=world.branch_a1,
            stage="probationary",
            joined_on=datetime.date(2025, 12, 10),
        )
        activist = PartyMemberFactory(
            branch=world.branch_a1,
            stage="activist",
            applied_on=datetime.date(2025, 3, 1),
            activist_on=datetime.date(2026, 5, 20),
        )
        assert str(probationary.pk) in _due_keys("grassroots.probation_end", TODAY)
        assert f"{activist.pk}:2026-11-20" in _due_keys("grassroots.activist_assessment", TODAY)
        # when both are recorded as deceased
        for person in (probationary, activist):
            services.member_remove(
                member=person, reason="deceased", on=datetime.date(2026, 11, 20), today=TODAY
            )
        # then neither reminder is sent any more
        assert str(probationary.pk) not in _due_keys("grassroots.probation_end", TODAY)
        assert _due_keys("grassroots.activist_assessment", TODAY) == set()
        assert PartyMember.objects.get(pk=activist.pk).is_deceased is True
        with pytest.raises(ValidationError, match="no longer on a branch's roster"):
            services.member_assess_activist(
                member=PartyMember.objects.get(pk=activist.pk),
                assessed_on=datetime.date(2026, 11, 20),
                notes="良好",
                today=TODAY,
            )

    def test_a_transfer_out_needs_its_destination(self, world, roster):
        with pytest.raises(ValidationError, match="Name the organisation outside the county"):
            services.member_remove(
                member=roster[0],
                reason="transferred_out",
                on=datetime.date(2026, 11, 10),
                destination=" ",
                today=TODAY,
            )
        assert Membership.objects.get(member=roster[0]).ends_on is None
        assert PartyMember.objects.get(pk=roster[0].pk).is_transferred_out is False


class TestMemberUpdate:
    def test_branch_and_stage_change_only_through_their_actions(self, world, roster):
        for fields in ({"branch": world.branch_a2}, {"stage": "applicant"}):
            with pytest.raises(ValidationError, match="Use the transfer or the stage action"):
                services.member_update(member=roster[0], today=TODAY, **fields)
        member = PartyMember.objects.get(pk=roster[0].pk)
        assert (member.branch_id, member.stage) == (world.branch_a1.pk, "full")

    def test_details_must_agree_with_the_id_number_and_dates_keep_their_order(self, roster):
        member = roster[0]
        before = (member.birth_date, None, member.full_on)
        with pytest.raises(ValidationError) as error:
            services.member_update(member=member, birth_date=datetime.date(1971, 6, 1), today=TODAY)
        assert list(error.value.message_dict) == ["birth_date"]
        with pytest.raises(ValidationError, match="follow the order"):
            services.member_update(
                member=PartyMember.objects.get(pk=member.pk),
                applied_on=datetime.date(2015, 9, 1),  # after joining
                today=TODAY,
            )
        with pytest.raises(ValidationError, match="cannot lie in the future"):
            services.member_update(
                member=PartyMember.objects.get(pk=member.pk),
                full_on=TODAY + datetime.timedelta(days=1),
                today=TODAY,
            )
        unchanged = PartyMember.objects.get(pk=member.pk)
        assert (unchanged.birth_date, unchanged.applied_on, unchanged.full_on) == before

    def test_a_new_name_brings_new_initials(self, roster):
        services.member_update(member=roster[0], name="张无忌", phone="13800000000", today=TODAY)
        member = PartyMember.objects.get(pk=roster[0].pk)
        assert (member.name, member.name_initials, member.phone) == ("张无忌", "zwj", "13800000000")
