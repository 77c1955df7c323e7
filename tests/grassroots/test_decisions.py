"""Collective decisions (DOMAIN.md §8), through the services, at each rule's edges."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cadres.models import Stage as AppointmentStage
from grassroots.decisions import services
from grassroots.decisions.models import (
    DecisionRules,
    LargeSumThreshold,
    MajorMatter,
    MatterOpinion,
    MatterStatus,
    ResolutionBody,
    StepAttachment,
    StepKind,
    VillageMatter,
    VillageStep,
)
from grassroots.models import QuorumRule
from portal.models import Organization
from tests.factories import OrganizationFactory
from tests.grassroots.decisions import (
    TODAY,
    D,
    general_meeting,
    make_team,
    propose,
    scan,
    speakers,
    walk,
)
from tests.grassroots.factories import PartyMemberFactory

pytestmark = pytest.mark.django_db


def _messages(error) -> str:
    return " ".join(error.value.messages)


def record(world, category="decision", **kwargs):
    kwargs.setdefault("title", "乡村振兴示范点建设方案")
    kwargs.setdefault("raised_on", D(2026, 10, 8))
    return services.major_matter_record(
        organization=kwargs.pop("organization", world.township_a),
        category=category,
        today=TODAY,
        **kwargs,
    )


def decide(matter, rows, *, on=datetime.date(2026, 10, 12)):
    return services.major_matter_decide(
        matter=matter, meeting_on=on, speakers=rows, result="同意实施", today=TODAY
    )


@pytest.fixture
def seats(world):
    """Township A's team of five: the secretary (principal leader) first."""
    return make_team(world.township_a, 5)


# --- 三重一大: large sums ------------------------------------------------------------------------


class TestLargeSum:
    # The seeded threshold for a township Party committee is 50,000 yuan.

    def test_the_threshold_itself_is_a_large_sum(self, world):
        matter = record(world, "large_sum", amount=Decimal("50000.00"))
        assert matter.status == MatterStatus.PENDING

    def test_one_fen_below_belongs_to_ordinary_business(self, world):
        with pytest.raises(ValidationError) as error:
            record(world, "large_sum", amount=Decimal("49999.99"))
        assert "belongs to ordinary business" in _messages(error)
        assert "50,000" in _messages(error)
        assert not MajorMatter.objects.exists()

    def test_a_large_sum_needs_its_amount(self, world):
        with pytest.raises(ValidationError) as error:
            record(world, "large_sum")
        assert "Enter the amount" in _messages(error)

    def test_an_administrator_changes_the_threshold_per_kind(self, world):
        LargeSumThreshold.objects.filter(organization_kind="committee", category="").update(
            amount=Decimal(80_000)
        )
        with pytest.raises(ValidationError):
            record(world, "large_sum", amount=Decimal(79_999))
        assert record(world, "large_sum", amount=Decimal(80_000)).pk

    def test_the_most_specific_row_applies(self, world):
        # a state enterprise's committee: the category's row (1,000,000) beats the kind's
        enterprise = OrganizationFactory(
            kind=Organization.Kind.PARTY_COMMITTEE,
            category=Organization.Category.STATE_ENTERPRISE,
            parent=world.county,
        )
        assert services.large_sum_threshold(enterprise) == Decimal(1_000_000)
        LargeSumThreshold.objects.create(
            organization_kind="committee", category="state_enterprise", amount=Decimal(300_000)
        )
        assert services.large_sum_threshold(enterprise) == Decimal(300_000)
        assert services.large_sum_threshold(world.township_a) == Decimal(50_000)

    def test_other_categories_need_no_amount(self, world):
        assert record(world, "project", title="污水处理厂选址").amount is None

    def test_a_village_decides_by_four_discussions_not_here(self, world):
        with pytest.raises(ValidationError) as error:
            record(world, organization=world.branch_a1)
        assert "四议两公开" in _messages(error)


# --- 三重一大: the meeting -----------------------------------------------------------------------


class TestTeamMeeting:
    def test_adopted_with_the_principal_leader_last(self, world, seats):
        matter = decide(record(world), speakers(seats))
        assert matter.status == MatterStatus.ADOPTED
        assert (matter.members_due, matter.members_present, matter.votes_for) == (5, 5, 5)
        order = list(matter.opinions.order_by("position").values_list("is_principal", flat=True))
        assert order == [False, False, False, False, True]

    def test_principal_leader_second_to_last_is_refused(self, world, seats):
        matter = record(world)
        order = [seats[1], seats[2], seats[3], seats[0], seats[4]]
        with pytest.raises(ValidationError) as error:
            decide(matter, speakers(seats, order=order))
        assert "末位表态" in _messages(error)
        assert "turn 4 of 5" in _messages(error)
        matter.refresh_from_db()
        assert matter.status == MatterStatus.PENDING
        assert not MatterOpinion.objects.exists()

    def test_principal_leader_first_is_refused(self, world, seats):
        with pytest.raises(ValidationError):
            decide(record(world), speakers(seats, order=list(seats)))

    def test_without_the_principal_leader_the_last_speaker_is_anyone(self, world, seats):
        matter = decide(record(world), speakers(seats, absent=[seats[0]]))
        assert matter.status == MatterStatus.ADOPTED
        assert matter.members_present == 4

    def test_more_than_half_present_decides_an_ordinary_matter(self, world, seats):
        # 3 of 5 present is more than half
        matter = decide(record(world), speakers(seats, absent=seats[3:]))
        assert matter.members_present == 3
        assert matter.status == MatterStatus.ADOPTED  # 3 votes for > 2.5

    def test_exactly_half_present_is_refused(self, world):
        seats = make_team(world.township_a, 4)
        with pytest.raises(ValidationError) as error:
            decide(record(world), speakers(seats, absent=seats[2:]))
        assert "2 of 4 members were present" in _messages(error)
        assert "more than half (3)" in _messages(error)

    def test_an_appointment_needs_two_thirds_present(self, world, seats):
        # 4 of 5 is at least two thirds (3.33…); 3 of 5 is not
        ok = decide(
            record(world, "appointment", title="任免某村党支部书记"),
            speakers(seats, absent=seats[4:]),
        )
        assert ok.status == MatterStatus.ADOPTED
        with pytest.raises(ValidationError) as error:
            decide(
                record(world, "appointment", title="任免另一人"), speakers(seats, absent=seats[3:])
            )
        assert "at least two thirds (4)" in _messages(error)

    def test_two_thirds_exactly_decides_an_appointment(self, world):
        seats = make_team(world.township_a, 6)
        matter = decide(record(world, "appointment"), speakers(seats, absent=seats[4:]))
        assert matter.members_present == 4  # 4 of 6 is exactly two thirds

    def test_votes_for_must_exceed_half_of_those_due(self, world, seats):
        # 5 due, 4 present: 2 for, 1 against, 1 abstains → not adopted (2 is not more than 2.5)
        rows = speakers(
            seats,
            absent=[seats[4]],
            stances={seats[1]: "disagree", seats[2]: "abstain"},
        )
        matter = decide(record(world), rows)
        assert matter.status == MatterStatus.REJECTED
        assert (matter.votes_for, matter.votes_against, matter.votes_abstain) == (2, 1, 1)

    def test_three_of_five_for_adopts(self, world, seats):
        rows = speakers(seats, stances={seats[1]: "disagree", seats[2]: "disagree"})
        matter = decide(record(world), rows)
        assert matter.status == MatterStatus.ADOPTED
        dissent = matter.opinions.filter(stance="disagree").count()
        assert dissent == 2

    def test_every_seat_is_listed_once(self, world, seats):
        rows = speakers(seats)[:-1]
        with pytest.raises(ValidationError) as error:
            decide(record(world), rows)
        assert "List every member of the team" in _messages(error)

    def test_a_present_member_states_a_stance(self, world, seats):
        rows = speakers(seats)
        rows[0]["stance"] = ""
        with pytest.raises(ValidationError) as error:
            decide(record(world), rows)
        assert "every member present states an opinion" in _messages(error)

    def test_an_absence_has_a_reason(self, world, seats):
        rows = speakers(seats, absent=[seats[4]])
        rows[-1]["reason"] = " "
        with pytest.raises(ValidationError) as error:
            decide(record(world), rows)
        assert "reason" in _messages(error)

    def test_no_team_on_the_date(self, world, seats):
        with pytest.raises(ValidationError) as error:
            decide(record(world, raised_on=D(2023, 5, 1)), speakers(seats), on=D(2023, 6, 1))
        assert "No committee term" in _messages(error)

    def test_decided_once(self, world, seats):
        matter = decide(record(world), speakers(seats))
        with pytest.raises(ValidationError) as error:
            decide(matter, speakers(seats))
        assert "recorded once" in _messages(error)

    def test_pending_matters_are_the_ones_without_a_meeting(self, world, seats):
        decided = decide(record(world), speakers(seats))
        waiting = record(world, title="未上会事项", carried_out_on=D(2026, 11, 1))
        assert list(MajorMatter.objects.without_meeting()) == [waiting]
        assert decided not in MajorMatter.objects.without_meeting()


class TestAppointmentLink:
    """The team's decision on an appointment is the cadres workflow's decision step."""

    @pytest.fixture
    def appointment(self, world):
        from tests.cadres.factories import make_cadre
        from tests.cadres.workflow import complete_musts
        from tests.cadres.workflow import propose as propose_appointment
        from tests.cadres.workflow import walk as walk_appointment

        appointment = propose_appointment(make_cadre(world.township_a), world.township_a)
        appointment = walk_appointment(appointment, AppointmentStage.INSPECTION)
        self.complete = lambda: complete_musts(appointment)
        return appointment

    def test_deciding_the_matter_decides_the_appointment(self, world, seats, appointment):
        self.complete()
        matter = record(world, "appointment", appointment=appointment, raised_on=D(2026, 8, 25))
        decide(matter, speakers(seats, absent=[seats[4]]), on=D(2026, 9, 1))
        appointment.refresh_from_db()
        assert appointment.stage == AppointmentStage.DECIDED
        assert (appointment.meeting_on, appointment.members_due) == (D(2026, 9, 1), 5)
        assert (appointment.members_present, appointment.votes_for) == (4, 4)
        assert appointment.major_matter == matter

    def test_an_open_four_musts_check_refuses_both(self, world, seats, appointment):
        matter = record(world, "appointment", appointment=appointment, raised_on=D(2026, 8, 25))
        with pytest.raises(ValidationError) as error:
            decide(matter, speakers(seats), on=D(2026, 9, 1))
        assert "four-musts" in _messages(error)
        matter.refresh_from_db()
        appointment.refresh_from_db()
        assert matter.status == MatterStatus.PENDING
        assert appointment.stage == AppointmentStage.INSPECTION
        assert not MatterOpinion.objects.exists()

    def test_an_appointment_is_one_matter(self, world, appointment):
        record(world, "appointment", appointment=appointment)
        with pytest.raises(ValidationError) as error:
            record(world, "appointment", appointment=appointment)
        assert "already a 三重一大 matter" in _messages(error)

    def test_only_an_appointment_matter_links(self, world, appointment):
        with pytest.raises(ValidationError):
            record(world, "project", appointment=appointment)

    def test_decided_in_the_workflow_first_the_meeting_must_agree(self, world, seats, appointment):
        from cadres.services import appointment_decide

        self.complete()
        appointment_decide(
            appointment=appointment,
            meeting_on=D(2026, 9, 1),
            members_due=5,
            members_present=5,
            votes_for=5,
            today=TODAY,
        )
        matter = record(world, "appointment", appointment=appointment, raised_on=D(2026, 8, 25))
        with pytest.raises(ValidationError) as error:
            decide(matter, speakers(seats, absent=[seats[4]]), on=D(2026, 9, 1))
        assert "must agree with it" in _messages(error)
        decided = decide(matter, speakers(seats), on=D(2026, 9, 1))
        assert decided.status == MatterStatus.ADOPTED


# --- 四议两公开一监督 -----------------------------------------------------------------------------


@pytest.fixture
def villagers(world):
    """Branch A1 with six full members (the Party members' meeting's roster)."""
    return [PartyMemberFactory(branch=world.branch_a1, name=f"村党员{n}") for n in range(6)]


class TestVillageOrder:
    def test_the_proposal_opens_the_matter(self, world):
        matter = propose(world.branch_a1)
        assert matter.stage == StepKind.PROPOSAL
        assert matter.next_step == StepKind.CONSULTATION

    def test_only_a_village_branch_proposes(self, world):
        with pytest.raises(ValidationError) as error:
            propose(world.branch_a2)  # a community
        assert "village Party branch" in _messages(error)
        assert not VillageMatter.objects.exists()

    def test_a_step_out_of_order_is_refused(self, world, villagers):
        matter = propose(world.branch_a1)
        with pytest.raises(ValidationError) as error:
            services.village_step_record(
                matter=matter,
                step=StepKind.DELIBERATION,
                done_on=D(2026, 9, 5),
                meeting=general_meeting(world.branch_a1, D(2026, 9, 5)),
                summary="审议",
                today=TODAY,
            )
        assert "cannot be recorded before" in _messages(error)
        assert "两委商议" in _messages(error)
        assert VillageStep.objects.filter(matter=matter).count() == 1

    def test_a_step_is_recorded_once(self, world):
        matter = walk(propose(world.branch_a1), StepKind.CONSULTATION)
        with pytest.raises(ValidationError) as error:
            services.village_step_record(
                matter=matter,
                step=StepKind.PROPOSAL,
                done_on=D(2026, 9, 9),
                summary="x",
                today=TODAY,
            )
        assert "already recorded" in _messages(error)

    def test_a_step_cannot_be_dated_before_the_one_it_follows(self, world):
        matter = propose(world.branch_a1, on=D(2026, 9, 10))
        with pytest.raises(ValidationError) as error:
            services.village_step_record(
                matter=matter,
                step=StepKind.CONSULTATION,
                done_on=D(2026, 9, 9),
                summary="商议",
                today=TODAY,
            )
        assert "2026-09-10" in _messages(error)
        # the same day is fine
        services.village_step_record(
            matter=matter,
            step=StepKind.CONSULTATION,
            done_on=D(2026, 9, 10),
            summary="商议",
            today=TODAY,
        )

    def test_a_step_cannot_lie_in_the_future(self, world):
        matter = propose(world.branch_a1)
        with pytest.raises(ValidationError):
            services.village_step_record(
                matter=matter,
                step=StepKind.CONSULTATION,
                done_on=TODAY + datetime.timedelta(days=1),
                summary="商议",
                today=TODAY,
            )

    def test_all_six_steps(self, world, villagers):
        matter = walk(propose(world.branch_a1), StepKind.RESULT_NOTICE)
        assert matter.stage == StepKind.RESULT_NOTICE
        assert matter.next_step is None
        assert list(matter.steps.values_list("step", flat=True)) == list(StepKind.values)
        with pytest.raises(ValidationError) as error:
            services.village_step_record(
                matter=matter, step=StepKind.RESULT_NOTICE, done_on=TODAY, today=TODAY
            )
        assert "already recorded" in _messages(error)


class TestPartyMembersMeeting:
    def _deliberate(self, world, meeting, day):
        matter = walk(propose(world.branch_a1), StepKind.CONSULTATION)
        return services.village_step_record(
            matter=matter,
            step=StepKind.DELIBERATION,
            done_on=day,
            meeting=meeting,
            summary="审议通过",
            today=TODAY,
        )

    def test_two_thirds_present_deliberates(self, world, villagers):
        # 4 of 6 is exactly two thirds (the default rule)
        day = D(2026, 9, 20)
        meeting = general_meeting(world.branch_a1, day, absent=villagers[:2])
        assert self._deliberate(world, meeting, day).meeting == meeting

    def test_below_two_thirds_is_refused_with_the_rule(self, world, villagers):
        day = D(2026, 9, 20)
        meeting = general_meeting(world.branch_a1, day, absent=villagers[:3])
        assert meeting.is_valid is False  # and the log itself: 3 of 6 is not a quorum
        with pytest.raises(ValidationError) as error:
            self._deliberate(world, meeting, day)
        assert "3 of 6 members present" in _messages(error)
        assert "At least two thirds" in _messages(error)

    def test_the_administrator_may_ask_only_a_majority(self, world, villagers):
        PartyMemberFactory(branch=world.branch_a1, name="第七人")
        day = D(2026, 9, 20)
        # 4 of 7: a voting majority, not two thirds
        meeting = general_meeting(world.branch_a1, day, absent=villagers[:3])
        with pytest.raises(ValidationError):
            self._deliberate(world, meeting, day)
        DecisionRules.objects.filter(pk=1).update(party_meeting_quorum=QuorumRule.VOTING_MAJORITY)
        assert self._deliberate(world, meeting, day).pk

    def test_the_quorum_is_the_roster_of_the_meeting_date(self, world, villagers):
        day = D(2026, 9, 20)
        meeting = general_meeting(world.branch_a1, day, absent=villagers[:2])
        # members who join after the meeting change nothing
        for n in range(4):
            PartyMemberFactory(branch=world.branch_a1, name=f"新党员{n}")
        assert self._deliberate(world, meeting, day).pk

    def test_the_meeting_is_the_branch_general_meeting_of_that_day(self, world, villagers):
        day = D(2026, 9, 20)
        other = general_meeting(world.branch_b1, day)
        with pytest.raises(ValidationError) as error:
            self._deliberate(world, other, day)
        assert "general meeting of this village's branch" in _messages(error)
        own = general_meeting(world.branch_a1, day)
        with pytest.raises(ValidationError) as error:
            self._deliberate(world, own, D(2026, 9, 21))
        assert "meeting's date" in _messages(error)

    def test_without_a_meeting_is_refused(self, world):
        with pytest.raises(ValidationError) as error:
            self._deliberate(world, None, D(2026, 9, 20))
        assert "meeting log" in _messages(error)


class TestResolution:
    @pytest.fixture
    def deliberated(self, world, villagers):
        return walk(propose(world.branch_a1), StepKind.DELIBERATION)

    def _resolve(self, matter, body, eligible, present, votes):
        return services.village_step_record(
            matter=matter,
            step=StepKind.RESOLUTION,
            done_on=D(2026, 10, 1),
            summary="表决",
            body=body,
            eligible_count=eligible,
            present_count=present,
            votes_for=votes,
            today=TODAY,
        )

    @pytest.mark.parametrize(
        ("body", "eligible", "refused", "enough"),
        [
            (ResolutionBody.VILLAGERS_ADULTS, 100, 50, 51),  # more than half
            (ResolutionBody.VILLAGERS_HOUSEHOLDS, 30, 19, 20),  # at least two thirds
            (ResolutionBody.REPRESENTATIVES, 31, 20, 21),  # at least two thirds (20.67)
        ],
    )
    def test_quorum_edges(self, deliberated, body, eligible, refused, enough):
        with pytest.raises(ValidationError) as error:
            self._resolve(deliberated, body, eligible, refused, refused)
        assert f"{refused} of {eligible} attended" in _messages(error)
        step = self._resolve(deliberated, body, eligible, enough, enough)
        deliberated.refresh_from_db()
        assert step.present_count == enough
        assert deliberated.adopted is True
        assert deliberated.decided_on == D(2026, 10, 1)

    def test_more_than_half_of_those_present_decides(self, deliberated):
        # 21 present: 10 for is not more than half
        self._resolve(deliberated, ResolutionBody.REPRESENTATIVES, 30, 21, 10)
        deliberated.refresh_from_db()
        assert deliberated.adopted is False
        with pytest.raises(ValidationError) as error:
            services.village_step_record(
                matter=deliberated,
                step=StepKind.DECISION_NOTICE,
                done_on=D(2026, 10, 2),
                notice_text="公示",
                attachments=[scan()],
                today=TODAY,
            )
        assert "did not adopt" in _messages(error)

    def test_eleven_of_twenty_one_adopts(self, deliberated):
        self._resolve(deliberated, ResolutionBody.REPRESENTATIVES, 30, 21, 11)
        deliberated.refresh_from_db()
        assert deliberated.adopted is True

    def test_counts_that_cannot_be(self, deliberated):
        with pytest.raises(ValidationError):
            self._resolve(deliberated, ResolutionBody.REPRESENTATIVES, 30, 31, 20)
        with pytest.raises(ValidationError):
            self._resolve(deliberated, ResolutionBody.REPRESENTATIVES, 30, 25, 26)
        with pytest.raises(ValidationError):
            self._resolve(deliberated, "", 30, 25, 20)


class TestNotices:
    @pytest.fixture
    def decided(self, world, villagers):
        return walk(propose(world.branch_a1), StepKind.RESOLUTION)

    def _notice(self, matter, step=StepKind.DECISION_NOTICE, **kwargs):
        kwargs.setdefault("notice_text", "决议公开：村道硬化工程")
        kwargs.setdefault("done_on", D(2026, 10, 20))
        return services.village_step_record(matter=matter, step=step, today=TODAY, **kwargs)

    def test_a_notice_without_a_scan_is_refused(self, decided):
        with pytest.raises(ValidationError) as error:
            self._notice(decided)
        assert "photo or scan" in _messages(error)
        assert not StepAttachment.objects.exists()

    def test_a_notice_with_a_scan(self, decided):
        step = self._notice(decided, attachments=[scan()])
        assert step.attachments.get().content_type == "image/png"

    def test_a_scan_that_is_not_a_picture_is_refused(self, decided):
        from django.core.files.uploadedfile import SimpleUploadedFile

        fake = SimpleUploadedFile("notice.png", b"<script>alert(1)</script>", "image/png")
        with pytest.raises(ValidationError):
            self._notice(decided, attachments=[fake])
        assert not VillageStep.objects.filter(step=StepKind.DECISION_NOTICE).exists()

    def test_the_result_waits_for_the_matter_to_be_carried_out(self, decided):
        matter = walk(decided, StepKind.DECISION_NOTICE)
        with pytest.raises(ValidationError) as error:
            self._notice(matter, StepKind.RESULT_NOTICE, attachments=[scan()])
        assert "carried out first" in _messages(error)
        services.village_matter_carry_out(matter=matter, on=D(2026, 11, 10), today=TODAY)
        with pytest.raises(ValidationError):
            self._notice(
                matter, StepKind.RESULT_NOTICE, done_on=D(2026, 11, 9), attachments=[scan()]
            )
        assert self._notice(
            matter, StepKind.RESULT_NOTICE, done_on=D(2026, 11, 10), attachments=[scan()]
        ).pk

    def test_remarks_of_the_supervision_committee_on_any_step(self, decided):
        step = decided.steps.get(step=StepKind.CONSULTATION)
        remark = services.village_step_remark(
            step=step,
            remarked_on=step.done_on,
            author="监委会主任 王明",
            text="程序规范",
            today=TODAY,
        )
        assert list(step.remarks.all()) == [remark]
        with pytest.raises(ValidationError):
            services.village_step_remark(
                step=step,
                remarked_on=step.done_on - datetime.timedelta(days=1),
                author="王明",
                text="早于步骤",
                today=TODAY,
            )


class TestDue:
    def test_the_decision_is_due_public_within_the_rule_days(self, world, villagers):
        matter = walk(propose(world.branch_a1), StepKind.RESOLUTION)
        row = VillageMatter.objects.with_due(matter.decided_on).get(pk=matter.pk)
        assert row.next_due_on == matter.decided_on + datetime.timedelta(days=7)
        assert row.overdue is False
        late = VillageMatter.objects.with_due(row.next_due_on + datetime.timedelta(days=1))
        assert late.get(pk=matter.pk).overdue is True
        DecisionRules.objects.filter(pk=1).update(decision_notice_days=10)
        row = VillageMatter.objects.with_due(TODAY).get(pk=matter.pk)
        assert row.next_due_on == matter.decided_on + datetime.timedelta(days=10)

    def test_carried_out_before_the_decision_was_public_is_skipped(self, world, villagers):
        matter = walk(propose(world.branch_a1), StepKind.RESOLUTION)
        services.village_matter_carry_out(matter=matter, on=matter.decided_on, today=TODAY)
        row = VillageMatter.objects.with_due(TODAY).get(pk=matter.pk)
        assert row.skipped_notice is True

    def test_the_result_is_due_after_it_was_carried_out(self, world, villagers):
        matter = walk(propose(world.branch_a1), StepKind.DECISION_NOTICE)
        assert VillageMatter.objects.with_due(TODAY).get(pk=matter.pk).next_due_on is None
        services.village_matter_carry_out(matter=matter, on=D(2026, 11, 1), today=TODAY)
        row = VillageMatter.objects.with_due(TODAY).get(pk=matter.pk)
        assert row.next_due_on == D(2026, 11, 16)
        assert row.skipped_notice is False


class TestReminders:
    """The two notice deadlines reach the village secretary, then the township."""

    def test_rows_open_until_the_notice_is_recorded(self, world, villagers):
        from grassroots import deadlines
        from portal.deadlines import check_rows

        matter = walk(propose(world.branch_a1), StepKind.RESOLUTION)
        due = matter.decided_on + datetime.timedelta(days=7)
        rows = deadlines.decision_notice_rows(due, 0, 0)
        check_rows(rows)
        (row,) = rows
        assert row["item_key"] == str(matter.pk)
        assert (row["due_date"], row["organization_id"]) == (due, world.branch_a1.pk)
        assert row["title"] == "村务决议待公开：村道硬化工程"
        assert not deadlines.decision_notice_rows(due, 0, 0).exclude(pk=matter.pk)
        assert not deadlines.result_notice_rows(due, 30, 30)

        matter = walk(matter, StepKind.DECISION_NOTICE)
        assert not deadlines.decision_notice_rows(due, 30, 30)
        matter = services.village_matter_carry_out(matter=matter, on=D(2026, 11, 2), today=TODAY)
        (row,) = deadlines.result_notice_rows(D(2026, 11, 17), 0, 0)
        assert row["due_date"] == D(2026, 11, 17)
        assert row["title"].startswith("村务实施结果待公开")
        walk(matter, StepKind.RESULT_NOTICE, start=D(2026, 11, 2))
        assert not deadlines.result_notice_rows(D(2026, 11, 17), 30, 30)

    def test_the_secretary_is_reminded_and_the_township_told_when_late(self, world, villagers):
        from portal.reminders.models import Reminder
        from portal.reminders.services import reminders_sweep
        from portal.roles import Role
        from tests.factories import UserFactory

        township_staff = UserFactory(role=Role.STAFF, organization=world.township_a)
        matter = walk(propose(world.branch_a1), StepKind.RESOLUTION)
        due = matter.decided_on + datetime.timedelta(days=7)

        reminders_sweep(today=due + datetime.timedelta(days=4))

        mine = Reminder.objects.filter(deadline_key="grassroots.decision_notice")
        assert set(
            mine.filter(recipient=world.user(Role.SECRETARY)).values_list("stage", flat=True)
        ) >= {"missed"}
        assert list(mine.filter(recipient=township_staff).values_list("stage", flat=True)) == [
            "escalated"
        ]
        assert not mine.filter(recipient=world.user(Role.STAFF)).exists()
