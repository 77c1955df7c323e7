import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from cadres import services
from cadres.models import (
    Appointment,
    Assessment,
    AssessmentGrade,
    Cadre,
    FourMust,
    PostLevel,
    PostRecord,
    Stage,
)
from portal.models import RevealLog
from supervision import services as supervision_services
from supervision.models import Category, Channel
from tests.cadres.factories import make_cadre
from tests.cadres.workflow import TODAY, complete_musts, propose, walk
from tests.factories import id_number_for

pytestmark = pytest.mark.django_db
D = datetime.date


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Records --------------------------------------------------------------------------------


def test_an_invalid_id_number_is_refused_and_nothing_is_saved(world):
    good = id_number_for(D(1980, 5, 17), "male")
    typo = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError) as error:
        services.cadre_create(
            name="张三",
            gender="male",
            birth_date=D(1980, 5, 17),
            id_number=typo,
            organization=world.township_a,
        )
    assert "check digit" in messages(error.value)
    assert "id_number" in error.value.message_dict
    assert not Cadre.objects.exists()


def test_birth_date_and_gender_must_agree_with_the_id_number(world):
    number = id_number_for(D(1980, 5, 17), "male")
    with pytest.raises(ValidationError) as error:
        services.cadre_create(
            name="张三",
            gender="female",
            birth_date=D(1980, 5, 18),
            id_number=number,
            organization=world.township_a,
        )
    assert set(error.value.message_dict) == {"birth_date", "gender"}
    assert not Cadre.objects.exists()


def test_name_initials_are_set_by_the_service(world):
    cadre = make_cadre(world.township_a, name="欧阳明日")
    assert cadre.name_initials == "oymr"


def _png(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_photo_that_is_not_an_image_is_refused(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cadre = make_cadre(world.township_a)
    fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not a picture", "image/jpeg")
    with pytest.raises(ValidationError) as error:
        services.cadre_set_photo(cadre=cadre, photo=fake)
    assert "not a picture" in messages(error.value)
    cadre.refresh_from_db()
    assert not cadre.photo


def test_a_photo_over_10_mb_is_refused_and_a_real_one_is_kept(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MAX_UPLOAD_SIZE = 100
    cadre = make_cadre(world.township_a)
    with pytest.raises(ValidationError, match="10 MB"):
        services.cadre_set_photo(cadre=cadre, photo=SimpleUploadedFile("a.png", _png((64, 64))))
    settings.MAX_UPLOAD_SIZE = 10 * 1024 * 1024
    services.cadre_set_photo(cadre=cadre, photo=SimpleUploadedFile("a.png", _png()))
    cadre.refresh_from_db()
    assert cadre.photo.name.endswith(".png")


def test_reveal_is_logged_and_refused_to_readers(world):
    cadre = make_cadre(world.township_a)
    number = services.cadre_reveal_id_number(cadre=cadre, user=world.user("staff"))
    assert number == cadre.id_number
    log = RevealLog.objects.get()
    assert (log.user, log.field, log.object_id) == (world.user("staff"), "id_number", str(cadre.pk))
    with pytest.raises(ValidationError, match="may not see ID numbers in full"):
        services.cadre_reveal_id_number(cadre=cadre, user=world.user("leader"))
    assert RevealLog.objects.count() == 1


# --- Posts ----------------------------------------------------------------------------------


def test_overlapping_principal_posts_are_refused_but_concurrent_posts_allowed(world):
    cadre = make_cadre(world.township_a, post="副镇长", post_start=D(2020, 3, 1))
    with pytest.raises(ValidationError) as error:
        services.post_record_add(
            cadre=cadre,
            unit=world.township_b,
            post_title="副乡长",
            level=PostLevel.SECTION_DEPUTY,
            start_date=D(2022, 1, 1),
            end_date=D(2023, 1, 1),
            document_number="云组干〔2022〕1号",
        )
    assert "one principal post at a time" in messages(error.value)
    assert "副镇长" in messages(error.value)
    services.post_record_add(
        cadre=cadre,
        unit=world.township_a,
        post_title="镇党委委员",
        level=PostLevel.SECTION_DEPUTY,
        start_date=D(2022, 1, 1),
        document_number="云组干〔2022〕2号",
        is_concurrent=True,
    )
    assert cadre.posts.count() == 2


def test_the_database_refuses_a_second_open_principal_post(world):
    from django.db import IntegrityError

    cadre = make_cadre(world.township_a)
    with pytest.raises(IntegrityError):
        PostRecord.objects.create(
            cadre=cadre,
            unit=world.township_a,
            post_title="x",
            level=PostLevel.STAFF,
            start_date=D(2025, 1, 1),
            document_number="1",
        )


# --- Assessments, reserve -------------------------------------------------------------------


def test_a_second_assessment_for_the_same_year_is_refused(world):
    cadre = make_cadre(world.township_a)
    services.assessment_record(cadre=cadre, year=2025, grade=AssessmentGrade.EXCELLENT)
    with pytest.raises(ValidationError) as error:
        services.assessment_record(cadre=cadre, year=2025, grade=AssessmentGrade.COMPETENT)
    assert "already has an assessment for 2025" in messages(error.value)
    assert Assessment.objects.get().grade == AssessmentGrade.EXCELLENT


def test_assessment_grade_must_belong_to_the_cadres_grade_set(world):
    civil = make_cadre(world.township_a)
    institution = make_cadre(
        world.township_a, name="李医生", staff_category="institution", birth_date=D(1982, 2, 3)
    )
    with pytest.raises(ValidationError, match="not a grade"):
        services.assessment_record(cadre=civil, year=2025, grade=AssessmentGrade.QUALIFIED)
    services.assessment_record(cadre=institution, year=2025, grade=AssessmentGrade.QUALIFIED)
    with pytest.raises(ValidationError, match="future"):
        services.assessment_record(
            cadre=civil, year=2027, grade=AssessmentGrade.EXCELLENT, today=TODAY
        )


def test_reserve_pool_holds_a_cadre_once(world):
    cadre = make_cadre(world.township_a)
    entry = services.reserve_add(cadre=cadre, level=PostLevel.SECTION_CHIEF, added_on=D(2026, 1, 1))
    with pytest.raises(ValidationError, match="already in the reserve pool"):
        services.reserve_add(cadre=cadre, level=PostLevel.SECTION_CHIEF)
    services.reserve_remove(entry=entry, removed_on=D(2026, 6, 1))
    services.reserve_add(cadre=cadre, level=PostLevel.SECTION_CHIEF, added_on=D(2026, 7, 1))


# --- The workflow ---------------------------------------------------------------------------


@pytest.fixture
def cadre(world):
    return make_cadre(world.township_a, post="副镇长", post_start=D(2020, 3, 1))


def test_the_whole_workflow_to_confirmation(world, cadre):
    appointment = propose(cadre, world.township_a)
    assert appointment.stage == Stage.MOTION
    appointment = walk(appointment, Stage.NOTICE)
    # Published Wed 30 Sep 2026: Oct 1-7 are National Day holidays, Sat 10 Oct is a workday.
    assert appointment.notice_ends_on == D(2026, 10, 13)
    appointment = services.appointment_appoint(
        appointment=appointment,
        appointed_on=D(2026, 10, 14),
        document_number="云委干〔2026〕45号",
        today=TODAY,
    )
    assert appointment.stage == Stage.PROBATION
    assert appointment.probation_ends_on == D(2027, 10, 14)
    # the post history has the new post; the old one ended that day
    current = Cadre.objects.with_current_post(D(2026, 10, 14)).get(pk=cadre.pk)
    assert (current.current_title, current.current_level) == ("镇长", PostLevel.SECTION_CHIEF)
    assert cadre.posts.get(post_title="副镇长").end_date == D(2026, 10, 14)
    with pytest.raises(ValidationError, match="2027-10-14"):
        services.appointment_confirm(appointment=appointment, confirmed_on=D(2027, 10, 1))
    appointment = services.appointment_confirm(
        appointment=appointment, confirmed_on=D(2027, 10, 14)
    )
    assert appointment.stage == Stage.CONFIRMED


def test_probation_not_passed_returns_the_cadre_to_the_previous_post(world, cadre):
    appointment = walk(propose(cadre, world.township_b), Stage.PROBATION)
    services.appointment_return(
        appointment=appointment,
        returned_on=D(2027, 10, 20),
        document_number="云委干〔2027〕3号",
        note="试用期考核不合格",
        today=D(2027, 10, 20),
    )
    appointment.refresh_from_db()
    assert appointment.stage == Stage.RETURNED
    current = Cadre.objects.with_current_post(D(2027, 10, 21)).get(pk=cadre.pk)
    assert current.current_title == "副镇长"
    cadre.refresh_from_db()
    assert cadre.organization == world.township_a


def test_moves_out_of_order_are_refused(world, cadre):
    appointment = propose(cadre, world.township_a)
    with pytest.raises(ValidationError) as error:
        services.appointment_start_notice(appointment=appointment, starts_on=D(2026, 9, 1))
    assert "cannot move" in messages(error.value)
    with pytest.raises(ValidationError, match="cannot move"):
        services.appointment_decide(
            appointment=appointment,
            meeting_on=D(2026, 9, 1),
            members_due=9,
            members_present=9,
            votes_for=9,
            today=TODAY,
        )
    appointment.refresh_from_db()
    assert appointment.stage == Stage.MOTION


def test_the_decision_is_refused_while_a_four_musts_item_is_open(world, cadre):
    appointment = walk(propose(cadre, world.township_a), Stage.INSPECTION)
    first = appointment.four_musts.get(item=FourMust.FILE_REVIEWED)
    services.four_must_complete(
        check=first, checked_by="刘明", checked_on=D(2026, 8, 20), today=TODAY
    )
    with pytest.raises(ValidationError) as error:
        services.appointment_decide(
            appointment=appointment,
            meeting_on=D(2026, 9, 1),
            members_due=11,
            members_present=11,
            votes_for=11,
            today=TODAY,
        )
    text = messages(error.value)
    assert "four-musts check is open" in text
    assert "个人有关事项报告必核" in text and "干部人事档案必审" not in text
    appointment.refresh_from_db()
    assert appointment.stage == Stage.INSPECTION and appointment.meeting_on is None


def test_an_open_complaint_with_clues_blocks_the_decision_and_is_named(world, cadre):
    appointment = walk(propose(cadre, world.township_a), Stage.INSPECTION)
    supervisor = world.user("supervisor")
    complaint, _secret = supervision_services.complaint_record(
        receiver=supervisor,
        channel=Channel.PHONE,
        category=Category.FORMALISM,
        summary="反映其违规提拔亲属",
        description="具体线索……",
        subject_cadre=cadre,
        has_specific_clues=True,
        reporter={"name": "举报人王某", "contact": "13900000000"},
        received_on=D(2026, 8, 12),
        today=D(2026, 8, 12),
    )
    # the fourth must cannot be ticked while the complaint is open
    fourth = appointment.four_musts.get(item=FourMust.COMPLAINTS_CHECKED)
    with pytest.raises(ValidationError) as error:
        services.four_must_complete(
            check=fourth, checked_by="刘明", checked_on=D(2026, 8, 20), today=TODAY
        )
    assert complaint.tracking_code in messages(error.value)
    assert "举报人王某" not in messages(error.value)
    # once it is closed, the checks and the decision go through
    supervision_services.complaint_decide(
        complaint=complaint,
        user=supervisor,
        accept=False,
        reason="线索不实",
        decided_on=D(2026, 8, 14),
        today=D(2026, 8, 14),
    )
    complete_musts(appointment)
    appointment = services.appointment_decide(
        appointment=appointment,
        meeting_on=D(2026, 9, 1),
        members_due=11,
        members_present=10,
        votes_for=6,
        today=TODAY,
    )
    assert appointment.stage == Stage.DECIDED


def test_a_complaint_opened_after_the_checks_still_blocks_the_decision(world, cadre):
    appointment = walk(propose(cadre, world.township_a), Stage.INSPECTION)
    complete_musts(appointment)
    complaint, _secret = supervision_services.complaint_record(
        receiver=world.user("supervisor"),
        channel=Channel.LETTER,
        category=Category.FORMALISM,
        summary="反映问题",
        description="具体线索",
        subject_cadre=cadre,
        has_specific_clues=True,
        received_on=D(2026, 8, 25),
        today=D(2026, 8, 25),
    )
    with pytest.raises(ValidationError) as error:
        services.appointment_decide(
            appointment=appointment,
            meeting_on=D(2026, 9, 1),
            members_due=11,
            members_present=10,
            votes_for=9,
            today=TODAY,
        )
    assert f"Complaint {complaint.tracking_code}" in messages(error.value)
    appointment.refresh_from_db()
    assert appointment.stage == Stage.INSPECTION


@pytest.mark.parametrize(
    ("due", "present", "votes", "stage"),
    [(11, 10, 6, Stage.DECIDED), (11, 11, 5, Stage.REJECTED), (10, 10, 5, Stage.REJECTED)],
)
def test_the_decision_passes_when_votes_for_exceed_half_of_those_due(
    world, cadre, due, present, votes, stage
):
    appointment = walk(propose(cadre, world.township_a), Stage.INSPECTION)
    complete_musts(appointment)
    appointment = services.appointment_decide(
        appointment=appointment,
        meeting_on=D(2026, 9, 1),
        members_due=due,
        members_present=present,
        votes_for=votes,
        today=TODAY,
    )
    assert appointment.stage == stage


def test_a_rejection_says_how_many_votes_were_needed_in_whole_people(world, cadre):
    appointment = walk(propose(cadre, world.township_a), Stage.INSPECTION)
    complete_musts(appointment)
    # given 7 members due and 3 votes for (recorded by an English-speaking user)
    with translation.override("en"):
        appointment = services.appointment_decide(
            appointment=appointment,
            meeting_on=D(2026, 9, 1),
            members_due=7,
            members_present=7,
            votes_for=3,
            today=TODAY,
        )
    # then the closing note names 4 of 7, never "3.5"
    assert appointment.stage == Stage.REJECTED
    assert "more than half (at least 4 of 7)" in appointment.close_note
    assert "3.5" not in appointment.close_note


def test_a_meeting_without_two_thirds_present_cannot_decide(world, cadre):
    appointment = walk(propose(cadre, world.township_a), Stage.INSPECTION)
    complete_musts(appointment)
    with pytest.raises(ValidationError, match="two thirds"):
        services.appointment_decide(
            appointment=appointment,
            meeting_on=D(2026, 9, 1),
            members_due=12,
            members_present=7,
            votes_for=7,
            today=TODAY,
        )


def test_appointment_before_the_notice_has_ended_is_refused(world, cadre):
    appointment = walk(propose(cadre, world.township_a), Stage.NOTICE)
    with pytest.raises(ValidationError) as error:
        services.appointment_appoint(
            appointment=appointment,
            appointed_on=D(2026, 10, 13),
            document_number="云委干〔2026〕45号",
            today=TODAY,
        )
    assert "runs until 2026-10-13" in messages(error.value)
    appointment.refresh_from_db()
    assert appointment.stage == Stage.NOTICE
    assert not appointment.post_records.exists()


def test_notice_spanning_an_adjusted_sunday_and_a_holiday(world, cadre):
    # Fri 18 Sep 2026 published: Sun 20 Sep is a workday, Fri 25 Sep is Mid-Autumn.
    appointment = walk(propose(cadre, world.township_a), Stage.NOTICE, notice_start=D(2026, 9, 18))
    assert appointment.notice_ends_on == D(2026, 9, 24)


def test_notice_length_follows_the_rules_table(world, cadre):
    from cadres.models import CadreRules

    rules = CadreRules.current()
    rules.notice_working_days = 7
    rules.save()
    appointment = walk(propose(cadre, world.township_a), Stage.NOTICE, notice_start=D(2026, 9, 30))
    assert appointment.notice_ends_on == D(2026, 10, 15)


def test_an_objection_pauses_the_appointment_until_resolved(world, cadre):
    appointment = walk(propose(cadre, world.township_a), Stage.NOTICE)
    objection = services.objection_record(
        appointment=appointment, received_on=D(2026, 10, 9), summary="反映其作风问题"
    )
    with pytest.raises(ValidationError, match="objection"):
        services.appointment_appoint(
            appointment=appointment,
            appointed_on=D(2026, 10, 20),
            document_number="云委干〔2026〕45号",
            today=TODAY,
        )
    services.objection_resolve(
        objection=objection,
        resolved_on=D(2026, 10, 16),
        outcome="dismissed",
        findings="经核查不属实",
    )
    appointment = services.appointment_appoint(
        appointment=appointment,
        appointed_on=D(2026, 10, 20),
        document_number="云委干〔2026〕45号",
        today=TODAY,
    )
    assert appointment.stage == Stage.PROBATION


def test_an_upheld_objection_withdraws_the_appointment(world, cadre):
    appointment = walk(propose(cadre, world.township_a), Stage.NOTICE)
    objection = services.objection_record(
        appointment=appointment, received_on=D(2026, 10, 9), summary="反映其作风问题"
    )
    services.objection_resolve(
        objection=objection, resolved_on=D(2026, 10, 16), outcome="upheld", findings="经核查属实"
    )
    appointment.refresh_from_db()
    assert appointment.stage == Stage.WITHDRAWN


def test_without_probation_the_appointment_is_final(world, cadre):
    appointment = walk(propose(cadre, world.township_a, with_probation=False), Stage.NOTICE)
    appointment = services.appointment_appoint(
        appointment=appointment,
        appointed_on=D(2026, 10, 14),
        document_number="云委干〔2026〕46号",
        today=TODAY,
    )
    assert appointment.stage == Stage.APPOINTED and appointment.probation_ends_on is None


def test_one_appointment_in_progress_per_cadre(world, cadre):
    propose(cadre, world.township_a)
    with pytest.raises(ValidationError, match="already has an appointment in progress"):
        propose(cadre, world.township_b)


# --- Training, fault tolerance, withdrawal --------------------------------------------------


def test_a_training_course_needs_a_sane_span_and_hours(world):
    cadre = make_cadre(world.township_a)
    with pytest.raises(ValidationError) as error:
        services.training_record(
            cadre=cadre,
            course="乡村振兴专题班",
            start_date=datetime.date(2026, 5, 10),
            end_date=datetime.date(2026, 5, 9),
            class_hours=Decimal("24"),
        )
    assert error.value.message_dict == {"end_date": ["A course cannot end before it starts."]}
    with pytest.raises(ValidationError) as error:
        services.training_record(
            cadre=cadre,
            course="乡村振兴专题班",
            start_date=datetime.date(2026, 5, 10),
            end_date=datetime.date(2026, 5, 12),
            class_hours=Decimal("0"),
        )
    assert list(error.value.message_dict) == ["class_hours"]
    assert not cadre.trainings.exists()

    training = services.training_record(
        cadre=cadre,
        course=" 乡村振兴专题班 ",
        start_date=datetime.date(2026, 5, 10),
        end_date=datetime.date(2026, 5, 12),
        class_hours=Decimal("24"),
        organizer="县委党校",
    )
    assert (training.course, training.class_hours) == ("乡村振兴专题班", Decimal("24"))


def test_a_fault_tolerance_case_needs_the_error_and_the_decision(world):
    cadre = make_cadre(world.township_a)
    with pytest.raises(ValidationError) as error:
        services.fault_tolerance_record(
            cadre=cadre, error="", decision="", decided_on=datetime.date(2026, 4, 1)
        )
    assert set(error.value.message_dict) == {"error", "decision"}
    assert not cadre.fault_tolerance_cases.exists()

    case = services.fault_tolerance_record(
        cadre=cadre,
        error="项目验收程序不全",
        decision="予以容错免责",
        decided_on=datetime.date(2026, 4, 1),
        correction="补齐验收手续",
    )
    assert cadre.fault_tolerance_cases.get() == case


def test_withdrawing_needs_a_reason_and_ends_the_process(world):
    appointment = walk(propose(make_cadre(world.township_a), world.township_a), Stage.INSPECTION)
    with pytest.raises(ValidationError) as error:
        services.appointment_withdraw(
            appointment=appointment, closed_on=datetime.date(2026, 8, 25), note="  "
        )
    assert error.value.message_dict == {"close_note": ["Record why the appointment is withdrawn."]}
    assert Appointment.objects.get(pk=appointment.pk).stage == Stage.INSPECTION

    services.appointment_withdraw(
        appointment=appointment, closed_on=datetime.date(2026, 8, 25), note="动议撤回"
    )
    appointment = Appointment.objects.get(pk=appointment.pk)
    assert (appointment.stage, appointment.closed_on, appointment.close_note) == (
        Stage.WITHDRAWN,
        datetime.date(2026, 8, 25),
        "动议撤回",
    )
    # a closed process cannot be withdrawn again
    with pytest.raises(ValidationError) as error:
        services.appointment_withdraw(
            appointment=appointment, closed_on=datetime.date(2026, 8, 26), note="再撤回"
        )
    assert error.value.code == "illegal_move"
