"""The workflow and its statutory deadlines, each tested at its edges."""

import pytest
from django.core.exceptions import ValidationError

from supervision import services
from supervision.models import (
    DESCRIPTION_MAX_LENGTH,
    Complaint,
    HandlingRules,
    ReporterIdentity,
    Status,
)
from tests.supervision.helpers import d, deadlines, handle

pytestmark = pytest.mark.django_db


# --- Acceptance: 15 calendar days; outside the remit: 5 working days ------------------------


def test_acceptance_is_due_15_calendar_days_after_receipt(make_complaint):
    complaint = make_complaint(received_on=d("2025-03-03"))

    row = deadlines(complaint, today=d("2025-03-18"))

    assert row.accept_due == d("2025-03-18")
    assert row.current_due == d("2025-03-18")
    assert row.days_left == 0


def test_a_decision_on_the_last_day_is_on_time_and_the_day_after_is_late_but_allowed(
    make_complaint, supervisor
):
    on_time = make_complaint(received_on=d("2025-03-03"))
    late = make_complaint(received_on=d("2025-03-03"))

    services.complaint_decide(
        complaint=on_time,
        user=supervisor,
        accept=True,
        decided_on=d("2025-03-18"),
        today=d("2025-03-20"),
    )
    services.complaint_decide(
        complaint=late,
        user=supervisor,
        accept=True,
        decided_on=d("2025-03-19"),
        today=d("2025-03-20"),
    )

    assert deadlines(on_time).decision_late is False
    assert deadlines(late).decision_late is True
    assert deadlines(late).status == Status.ACCEPTED


def test_outside_remit_objection_counts_working_days_across_national_day(
    make_complaint, supervisor
):
    # given a matter received on Tuesday 30 September 2025: 1–8 October are holidays and
    # Saturday 11 October is a working day, so the 5th working day is Tuesday 14 October.
    complaint = make_complaint(received_on=d("2025-09-30"))
    assert complaint.remit_objection_due == d("2025-10-14")

    # when refused as outside the remit on the 14th: on time
    services.complaint_decide(
        complaint=complaint,
        user=supervisor,
        accept=False,
        outside_remit=True,
        reason="不属于本机关职权范围，已转送。",
        decided_on=d("2025-10-14"),
        today=d("2025-10-20"),
    )
    assert deadlines(complaint).decision_late is False


def test_outside_remit_objection_the_next_working_day_is_late(make_complaint, supervisor):
    complaint = make_complaint(received_on=d("2025-09-30"))

    services.complaint_decide(
        complaint=complaint,
        user=supervisor,
        accept=False,
        outside_remit=True,
        reason="不属于本机关职权范围。",
        decided_on=d("2025-10-15"),
        today=d("2025-10-20"),
    )

    row = deadlines(complaint)
    assert row.decision_late is True
    assert row.status == Status.NOT_ACCEPTED


def test_refusing_needs_a_reason(make_complaint, supervisor):
    complaint = make_complaint(received_on=d("2025-03-03"))

    with pytest.raises(ValidationError, match="reason"):
        services.complaint_decide(
            complaint=complaint,
            user=supervisor,
            accept=False,
            decided_on=d("2025-03-04"),
            today=d("2025-03-04"),
        )
    assert Complaint.objects.get(pk=complaint.pk).status == Status.RECEIVED


def test_the_limits_come_from_the_admin_editable_rules(make_complaint):
    HandlingRules.objects.filter(pk=1).update(accept_days=20)
    complaint = make_complaint(received_on=d("2025-03-03"))

    # 20 days end on Sunday 23 March: the decision is due on Monday 24 March (DOMAIN.md)
    assert deadlines(complaint).accept_due == d("2025-03-24")


# --- Reply: 60 days from acceptance, one extension of at most 30 ------------------------------


def test_reply_is_due_60_days_after_acceptance(make_complaint, supervisor):
    complaint = handle(
        make_complaint(received_on=d("2025-03-03")),
        supervisor,
        accepted_on=d("2025-03-10"),
        until="investigating",
    )

    row = deadlines(complaint, today=d("2025-05-10"))

    assert row.reply_due == d("2025-05-09")
    assert row.current_due == d("2025-05-09")
    assert row.days_left == -1  # overdue by one day


def test_one_extension_of_at_most_30_days_moves_the_reply_date(make_complaint, supervisor):
    complaint = handle(
        make_complaint(received_on=d("2025-03-03")),
        supervisor,
        accepted_on=d("2025-03-10"),
        until="investigating",
    )

    # an extension longer than 30 days changes nothing
    with pytest.raises(ValidationError, match="between 1 and 30 days"):
        services.complaint_extend(
            complaint=complaint,
            user=supervisor,
            days=31,
            reason="需进一步调查。",
            approved_by=supervisor,
            extended_on=d("2025-05-01"),
            today=d("2025-05-01"),
        )
    assert deadlines(complaint).reply_due == d("2025-05-09")

    # exactly 30 days is accepted
    services.complaint_extend(
        complaint=complaint,
        user=supervisor,
        days=30,
        reason="需进一步调查。",
        approved_by=supervisor,
        extended_on=d("2025-05-01"),
        today=d("2025-05-01"),
    )
    # 60 + 30 days end on Sunday 8 June: the reply is due on Monday 9 June (DOMAIN.md)
    assert deadlines(complaint).reply_due == d("2025-06-09")

    # a second extension is refused
    with pytest.raises(ValidationError, match="only one extension"):
        services.complaint_extend(
            complaint=complaint,
            user=supervisor,
            days=1,
            reason="再次延期。",
            approved_by=supervisor,
            extended_on=d("2025-05-02"),
            today=d("2025-05-02"),
        )
    # 60 + 30 days end on Sunday 8 June: the reply is due on Monday 9 June (DOMAIN.md)
    assert deadlines(complaint).reply_due == d("2025-06-09")


def test_an_extension_after_the_reply_deadline_is_refused(make_complaint, supervisor):
    complaint = handle(
        make_complaint(received_on=d("2025-03-03")),
        supervisor,
        accepted_on=d("2025-03-10"),
        until="investigating",
    )

    # the last day is fine...
    services.complaint_extend(
        complaint=complaint,
        user=supervisor,
        days=10,
        reason="案情复杂。",
        approved_by=supervisor,
        extended_on=d("2025-05-09"),
        today=d("2025-05-09"),
    )
    other = handle(
        make_complaint(received_on=d("2025-03-03")),
        supervisor,
        accepted_on=d("2025-03-10"),
        until="investigating",
    )
    # ...the day after is too late
    with pytest.raises(ValidationError, match="by the reply deadline"):
        services.complaint_extend(
            complaint=other,
            user=supervisor,
            days=10,
            reason="案情复杂。",
            approved_by=supervisor,
            extended_on=d("2025-05-10"),
            today=d("2025-05-10"),
        )


def test_an_extension_needs_an_approver_from_the_office(make_complaint, supervisor, world):
    complaint = handle(
        make_complaint(received_on=d("2025-03-03")),
        supervisor,
        accepted_on=d("2025-03-10"),
        until="accepted",
    )

    with pytest.raises(ValidationError, match="head of the office"):
        services.complaint_extend(
            complaint=complaint,
            user=supervisor,
            days=10,
            reason="案情复杂。",
            approved_by=world.user("staff"),
            extended_on=d("2025-04-01"),
            today=d("2025-04-01"),
        )


def test_days_in_a_hearing_are_not_counted(make_complaint, supervisor):
    complaint = handle(
        make_complaint(received_on=d("2025-03-03")),
        supervisor,
        accepted_on=d("2025-03-10"),
        until="investigating",
    )

    # a hearing still under way pauses the limit up to today, both days included:
    # 1 to 4 April is 4 days, 9 May + 4 = 13 May
    services.hearing_start(
        complaint=complaint, user=supervisor, started_on=d("2025-04-01"), today=d("2025-04-01")
    )
    assert deadlines(complaint, today=d("2025-04-04")).reply_due == d("2025-05-13")

    # once it ends, its 11 days (1 to 11 April, both included) are added for good
    services.hearing_end(
        complaint=complaint, user=supervisor, ended_on=d("2025-04-11"), today=d("2025-04-11")
    )
    assert deadlines(complaint, today=d("2025-06-01")).reply_due == d("2025-05-20")


def test_a_one_day_hearing_pauses_one_day(make_complaint, supervisor):
    complaint = handle(
        make_complaint(received_on=d("2025-03-03")),
        supervisor,
        accepted_on=d("2025-03-10"),
        until="investigating",
    )

    # a hearing that starts and ends on 1 April (B - A + 1 = 1 day)
    services.hearing_start(
        complaint=complaint, user=supervisor, started_on=d("2025-04-01"), today=d("2025-04-01")
    )
    services.hearing_end(
        complaint=complaint, user=supervisor, ended_on=d("2025-04-01"), today=d("2025-04-01")
    )

    # then the reply, due on Friday 9 May, is due on Saturday 10 May, moved to Monday 12 May
    assert deadlines(complaint, today=d("2025-06-01")).reply_due == d("2025-05-12")


def test_reply_after_the_deadline_is_recorded_and_marked_late(make_complaint, supervisor):
    on_time = handle(
        make_complaint(received_on=d("2025-03-03")), supervisor, accepted_on=d("2025-03-10")
    )
    late = handle(
        make_complaint(received_on=d("2025-03-03")), supervisor, accepted_on=d("2025-03-10")
    )

    services.complaint_reply(
        complaint=on_time,
        user=supervisor,
        reply="经核查……",
        replied_on=d("2025-05-09"),
        today=d("2025-05-10"),
    )
    services.complaint_reply(
        complaint=late,
        user=supervisor,
        reply="经核查……",
        replied_on=d("2025-05-10"),
        today=d("2025-05-10"),
    )

    assert deadlines(on_time).reply_late is False
    assert deadlines(late).reply_late is True


def test_closing_without_a_reply_is_refused(make_complaint, supervisor):
    complaint = handle(
        make_complaint(received_on=d("2025-03-03")), supervisor, accepted_on=d("2025-03-10")
    )

    with pytest.raises(ValidationError, match="record the reply first"):
        services.complaint_close(
            complaint=complaint, user=supervisor, closed_on=d("2025-04-01"), today=d("2025-04-01")
        )
    assert Complaint.objects.get(pk=complaint.pk).status == Status.CONCLUDED


def test_received_cannot_jump_to_closed(make_complaint, supervisor):
    complaint = make_complaint(received_on=d("2025-03-03"))

    with pytest.raises(ValidationError, match="closed only after the requester has been replied"):
        services.complaint_close(complaint=complaint, user=supervisor, today=d("2025-03-04"))
    assert Complaint.objects.get(pk=complaint.pk).status == Status.RECEIVED


# --- Review and re-review: requested within 30 days, answered within 30 ---------------------


def _replied(make_complaint, supervisor, replied_on="2025-05-01"):
    complaint = handle(
        make_complaint(received_on=d("2025-03-03")), supervisor, accepted_on=d("2025-03-10")
    )
    return services.complaint_reply(
        complaint=complaint,
        user=supervisor,
        reply="经核查……",
        replied_on=d(replied_on),
        today=d(replied_on),
    )


def test_review_can_be_requested_on_the_30th_day_after_the_reply(make_complaint, supervisor):
    complaint = _replied(make_complaint, supervisor)
    complaint = services.complaint_close(
        complaint=complaint, user=supervisor, closed_on=d("2025-05-02"), today=d("2025-05-02")
    )

    services.complaint_request_review(
        complaint=complaint, user=supervisor, requested_on=d("2025-05-31"), today=d("2025-05-31")
    )

    row = deadlines(complaint, today=d("2025-06-30"))
    assert row.status == Status.REVIEW
    assert row.review_due == d("2025-06-30")
    assert row.days_left == 0


def test_a_review_request_after_its_window_is_refused(make_complaint, supervisor):
    # 30 days after the reply of 1 May end on Saturday 31 May, the first day of the Dragon
    # Boat holiday (31 May - 2 June 2025): the window runs to Tuesday 3 June (DOMAIN.md)
    complaint = _replied(make_complaint, supervisor)

    with pytest.raises(ValidationError, match="by 2025-06-03"):
        services.complaint_request_review(
            complaint=complaint,
            user=supervisor,
            requested_on=d("2025-06-04"),
            today=d("2025-06-04"),
        )
    assert Complaint.objects.get(pk=complaint.pk).status == Status.REPLIED


def test_a_requesters_window_ending_in_a_holiday_runs_to_the_next_working_day(
    make_complaint, supervisor
):
    complaint = _replied(make_complaint, supervisor)

    # when the requester asks on 3 June, after the holiday that swallowed the 30th day
    complaint = services.complaint_request_review(
        complaint=complaint, user=supervisor, requested_on=d("2025-06-03"), today=d("2025-06-03")
    )

    # then the request is recorded
    assert Complaint.objects.get(pk=complaint.pk).status == Status.REVIEW


def test_a_late_review_request_names_the_configured_window(make_complaint, supervisor):
    # given an administrator shortened the review window to 20 days
    HandlingRules.objects.update_or_create(pk=1, defaults={"review_request_days": 20})
    complaint = _replied(make_complaint, supervisor)

    # when the request comes on the 21st day, then the message gives the 20 days, not 30
    with pytest.raises(ValidationError, match=r"by 2025-05-21 \(20 days after 2025-05-01\)"):
        services.complaint_request_review(
            complaint=complaint,
            user=supervisor,
            requested_on=d("2025-05-22"),
            today=d("2025-05-22"),
        )


def test_a_hearing_during_the_review_pauses_its_answer_date(make_complaint, supervisor):
    complaint = _replied(make_complaint, supervisor)
    services.complaint_request_review(
        complaint=complaint, user=supervisor, requested_on=d("2025-05-10"), today=d("2025-05-10")
    )

    services.hearing_start(
        complaint=complaint, user=supervisor, started_on=d("2025-05-20"), today=d("2025-05-20")
    )
    services.hearing_end(
        complaint=complaint, user=supervisor, ended_on=d("2025-05-25"), today=d("2025-05-25")
    )

    # 9 June + 6 hearing days (20 to 25 May, both included) = Sunday 15 June → Monday 16 June
    assert deadlines(complaint).review_due == d("2025-06-16")


def test_a_review_hearing_cannot_begin_before_the_review_was_requested(make_complaint, supervisor):
    # given a review requested on 10 May
    complaint = _replied(make_complaint, supervisor)
    services.complaint_request_review(
        complaint=complaint, user=supervisor, requested_on=d("2025-05-10"), today=d("2025-05-10")
    )

    # when a hearing is dated 5 May, then it is refused: its days would lengthen the review
    with pytest.raises(ValidationError, match="cannot be before 2025-05-10"):
        services.hearing_start(
            complaint=complaint, user=supervisor, started_on=d("2025-05-05"), today=d("2025-05-20")
        )
    assert deadlines(complaint, today=d("2025-05-20")).review_due == d("2025-06-09")


def test_after_the_re_review_the_same_matter_is_not_accepted_again(
    make_complaint, supervisor, world
):
    complaint = _replied(make_complaint, supervisor)
    services.complaint_request_review(
        complaint=complaint, user=supervisor, requested_on=d("2025-05-10"), today=d("2025-05-10")
    )
    services.complaint_answer_review(
        complaint=complaint,
        user=supervisor,
        answer="维持原处理意见。",
        answered_on=d("2025-06-01"),
        today=d("2025-06-01"),
    )
    # the re-review window is the review answer + 30 days: 1 July is the last day
    with pytest.raises(ValidationError, match="by 2025-07-01"):
        services.complaint_request_rereview(
            complaint=complaint,
            user=supervisor,
            requested_on=d("2025-07-02"),
            today=d("2025-07-02"),
        )
    services.complaint_request_rereview(
        complaint=complaint, user=supervisor, requested_on=d("2025-07-01"), today=d("2025-07-01")
    )
    assert deadlines(complaint, today=d("2025-07-01")).rereview_due == d("2025-07-31")
    services.complaint_answer_rereview(
        complaint=complaint,
        user=supervisor,
        answer="复核维持。",
        answered_on=d("2025-07-20"),
        today=d("2025-07-20"),
    )
    complaint.refresh_from_db()

    with pytest.raises(ValidationError, match="not accepted again"):
        services.complaint_record(
            receiver=supervisor,
            channel="letter",
            category="formalism",
            summary="同一事项",
            description="同一事实再次反映。",
            subject_organization=world.branch_a1,
            reporter=None,
            same_matter_as=complaint,
            received_on=d("2025-08-01"),
            today=d("2025-08-01"),
        )
    assert Complaint.objects.count() == 1


# --- Intake --------------------------------------------------------------------------------


def test_intake_records_the_first_receiver_and_keeps_the_identity_apart(make_complaint, supervisor):
    complaint = make_complaint(received_on=d("2025-03-03"))

    assert complaint.first_receiver == supervisor
    assert complaint.handling_organization == supervisor.organization
    assert complaint.reporter.name == "举报人甲"
    assert complaint.tracking_code.startswith("XF2025-")
    # the secret is stored hashed, like a password
    assert complaint.secret not in complaint.secret_hash


def test_an_anonymous_report_has_no_identity(make_complaint):
    complaint = make_complaint(received_on=d("2025-03-03"), reporter=None)

    assert complaint.is_anonymous
    assert not ReporterIdentity.objects.filter(complaint=complaint).exists()


def test_a_description_over_the_limit_is_refused_and_nothing_is_saved(make_complaint):
    with pytest.raises(ValidationError) as error:
        make_complaint(received_on=d("2025-03-03"), description="长" * (DESCRIPTION_MAX_LENGTH + 1))

    assert [e.code for e in error.value.error_dict["description"]] == ["max_length"]

    assert Complaint.objects.count() == 0


def test_staff_cannot_record_a_matter(world):
    with pytest.raises(ValidationError, match="complaint-handling office"):
        services.complaint_record(
            receiver=world.user("staff"),
            channel="letter",
            category="formalism",
            summary="x",
            description="x",
            subject_organization=world.branch_a1,
            reporter=None,
            today=d("2025-03-03"),
        )


def test_reveal_is_recorded_each_time(make_complaint, supervisor):
    from portal.models import RevealLog

    complaint = make_complaint(received_on=d("2025-03-03"))

    first = services.reporter_reveal(user=supervisor, complaint=complaint)
    services.reporter_reveal(user=supervisor, complaint=complaint)

    assert first["name"] == "举报人甲"
    assert RevealLog.objects.filter(user=supervisor, field="identity").count() == 2


def test_reveal_is_refused_to_staff(make_complaint, world):
    from portal.models import RevealLog

    complaint = make_complaint(received_on=d("2025-03-03"))

    with pytest.raises(ValidationError, match="Only the complaint-handling office can see"):
        services.reporter_reveal(user=world.user("staff"), complaint=complaint)
    assert not RevealLog.objects.exists()


# --- A new secret for a lost receipt ----------------------------------------------------------


def test_a_reissued_secret_replaces_the_old_one(make_complaint, supervisor, world):
    from supervision import selectors
    from supervision.services import canonical_secret

    complaint = make_complaint(received_on=d("2025-03-03"))
    code, old = complaint.tracking_code, canonical_secret(complaint.secret)
    assert selectors.complaint_for_requester(code, old) == complaint

    with pytest.raises(ValidationError, match="Only the complaint-handling office"):
        services.complaint_reissue_secret(complaint=complaint, user=world.user("staff"))
    assert selectors.complaint_for_requester(code, old) == complaint

    new = services.complaint_reissue_secret(complaint=complaint, user=supervisor)

    assert canonical_secret(new) != old
    assert selectors.complaint_for_requester(code, old) is None
    assert selectors.complaint_for_requester(code, canonical_secret(new)) == complaint
