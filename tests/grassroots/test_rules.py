"""The grassroots rules of DOMAIN.md §1–§2 encoded for issue #14, each at its edges: committee
size against full members, training before admission, an activist's contacts, the
secretary's yearly lecture, and compliance counted only while an organisation existed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grassroots import deadlines, services
from grassroots.models import (
    ComplianceCell,
    Meeting,
    MeetingKind,
    PartyMember,
    branch_size_rollup,
)
from portal import services as portal_services
from tests.grassroots.conftest import TODAY
from tests.grassroots.factories import PartyMemberFactory

pytestmark = pytest.mark.django_db
Kind = MeetingKind
ELECTION = datetime.date(2024, 1, 1)


def full_members(world, n, *, full_on=datetime.date(2016, 7, 1)):
    return [
        PartyMemberFactory(branch=world.branch_a1, full_on=full_on, name=f"党员{i}")
        for i in range(n)
    ]


def elect(world, seats, starts_on=ELECTION):
    return services.committee_term_create(
        organization=world.branch_a1, starts_on=starts_on, seats=seats
    )


class TestCommitteeSize:
    def test_six_full_members_elect_a_secretary_and_a_deputy_only(self, world):
        people = full_members(world, 6)
        term = elect(world, [(people[0], "secretary"), (people[1], "deputy_secretary")])
        assert term.seats.count() == 2
        with pytest.raises(ValidationError, match="fewer than 7 full members.*had 6 full"):
            elect(
                world,
                [(people[0], "secretary"), (people[1], "organisation")],
                starts_on=datetime.date(2025, 1, 1),
            )

    def test_six_full_members_cannot_have_two_deputies(self, world):
        people = full_members(world, 6)
        with pytest.raises(ValidationError, match="at most one deputy secretary"):
            elect(
                world,
                [
                    (people[0], "secretary"),
                    (people[1], "deputy_secretary"),
                    (people[2], "deputy_secretary"),
                ],
            )

    def test_seven_full_members_elect_a_committee_of_three_to_seven(self, world):
        people = full_members(world, 7)
        with pytest.raises(ValidationError, match="committee of 3 to 5.*2 seats"):
            elect(world, [(people[0], "secretary"), (people[1], "organisation")])
        posts = ["secretary", "organisation", "propaganda"]
        assert elect(world, list(zip(people, posts, strict=False))).seats.count() == 3

    def test_a_secretary_alone_is_refused_with_seven_full_members(self, world):
        people = full_members(world, 7)
        with pytest.raises(ValidationError, match="had 7 full members.*1 seats"):
            elect(world, [(people[0], "secretary")])

    def test_eight_seats_are_too_many(self, world):
        people = full_members(world, 9)
        posts = ["secretary"] + ["member"] * 7
        with pytest.raises(ValidationError, match="at most 7"):
            elect(world, list(zip(people, posts, strict=False)))
        assert elect(world, list(zip(people, posts[:7], strict=False))).seats.count() == 7

    def test_counted_on_the_election_day(self, world):
        # given six long-standing full members and a seventh made full only in 2025
        people = full_members(world, 6) + full_members(world, 1, full_on=datetime.date(2025, 3, 1))
        seats = list(zip(people, ["secretary", "organisation", "propaganda"], strict=False))
        # then a 2024 election had six full members: no committee
        with pytest.raises(ValidationError, match="had 6 full members"):
            elect(world, seats)
        # and a 2025 election after the seventh became full elects one
        assert elect(world, seats, starts_on=datetime.date(2025, 6, 1)).seats.count() == 3

    def test_probationary_members_do_not_count(self, world):
        people = full_members(world, 6)
        PartyMemberFactory(
            branch=world.branch_a1, stage="probationary", joined_on=datetime.date(2023, 1, 1)
        )
        seats = list(zip(people, ["secretary", "organisation", "propaganda"], strict=False))
        with pytest.raises(ValidationError, match="had 6 full members"):
            elect(world, seats)


class TestTrainingBeforeAdmission:
    def _target(self, world, **training):
        return PartyMemberFactory(
            branch=world.branch_a1,
            stage="target",
            applied_on=datetime.date(2023, 1, 1),
            activist_on=datetime.date(2023, 3, 1),
            target_on=datetime.date(2024, 6, 1),
            **training,
        )

    @pytest.mark.parametrize(
        ("days", "hours", "admitted"),
        [(2, 23, False), (3, 0, True), (0, 24, True), (0, 0, False)],
    )
    def test_three_days_or_24_class_hours(self, world, days, hours, admitted):
        person = self._target(world, training_days=days, training_hours=hours)
        on = datetime.date(2026, 11, 1)
        if admitted:
            services.member_advance(member=person, on=on, today=TODAY)
            assert PartyMember.objects.get(pk=person.pk).stage == "probationary"
        else:
            with pytest.raises(ValidationError, match="3 days or 24 class hours"):
                services.member_advance(member=person, on=on, today=TODAY)
            assert PartyMember.objects.get(pk=person.pk).stage == "target"

    def test_training_recorded_through_the_member_update(self, world):
        person = self._target(world)
        services.member_update(member=person, training_hours=24, today=TODAY)
        services.member_advance(member=person, on=datetime.date(2026, 11, 1), today=TODAY)
        assert PartyMember.objects.get(pk=person.pk).joined_on == datetime.date(2026, 11, 1)


class TestContacts:
    def _activist(self, world):
        return PartyMemberFactory(
            branch=world.branch_a1,
            stage="activist",
            applied_on=datetime.date(2024, 1, 1),
            activist_on=datetime.date(2024, 3, 1),
        )

    def test_one_or_two_full_members(self, world):
        person = self._activist(world)
        a, b, c = full_members(world, 3)
        with pytest.raises(
            ValidationError, match="one or two full members as contacts; 3 are named"
        ):
            services.member_set_contacts(member=person, contacts=[a, b, c], today=TODAY)
        with pytest.raises(
            ValidationError, match="one or two full members as contacts; 0 are named"
        ):
            services.member_set_contacts(member=person, contacts=[], today=TODAY)
        services.member_set_contacts(member=person, contacts=[a, b], today=TODAY)
        assert set(person.contacts.all()) == {a, b}

    def test_contacts_are_full_members_of_the_branch(self, world):
        person = self._activist(world)
        probationer = PartyMemberFactory(
            branch=world.branch_a1, stage="probationary", joined_on=datetime.date(2026, 1, 1)
        )
        elsewhere = PartyMemberFactory(branch=world.branch_a2)
        with pytest.raises(ValidationError, match="not a full member"):
            services.member_set_contacts(member=person, contacts=[probationer], today=TODAY)
        with pytest.raises(ValidationError, match="another branch"):
            services.member_set_contacts(member=person, contacts=[elsewhere], today=TODAY)
        assert not person.contacts.exists()

    def test_an_activist_without_contacts_does_not_become_a_target(self, world):
        person = self._activist(world)
        on = datetime.date(2026, 11, 1)
        with pytest.raises(ValidationError, match="0 are named"):
            services.member_advance(member=person, on=on, today=TODAY)
        services.member_set_contacts(member=person, contacts=full_members(world, 1), today=TODAY)
        services.member_advance(member=person, on=on, today=TODAY)
        assert PartyMember.objects.get(pk=person.pk).stage == "target"


class TestSecretaryLecture:
    def _branch_with_secretary(self, world):
        people = full_members(world, 3)
        elect(world, [(people[0], "secretary")])
        return people

    def _keys(self, today):
        return {row["item_key"] for row in deadlines.secretary_lecture_rows(today, 30, 0)}

    def test_due_on_31_december_until_the_secretary_speaks(self, world):
        people = self._branch_with_secretary(world)
        key = f"{world.branch_a1.pk}:{people[0].pk}:2026"
        today = datetime.date(2026, 12, 5)
        assert self._keys(today) == {key}
        # a lecture given by someone else, or only typed as text, does not count
        services.meeting_record(
            organization=world.branch_a1,
            kind=Kind.LECTURE,
            date=datetime.date(2026, 12, 1),
            topic="党课",
            speaker_member=people[1],
            speaker=people[0].name,
            today=today,
        )
        assert self._keys(today) == {key}
        services.meeting_record(
            organization=world.branch_a1,
            kind=Kind.LECTURE,
            date=datetime.date(2026, 12, 2),
            topic="书记讲党课",
            speaker_member=people[0],
            today=today,
        )
        assert self._keys(today) == set()

    def test_not_in_the_window_before_december(self, world):
        self._branch_with_secretary(world)
        assert self._keys(datetime.date(2026, 11, 30)) == set()
        assert len(self._keys(datetime.date(2026, 12, 1))) == 1

    def test_last_years_lecture_does_not_meet_this_year(self, world):
        people = self._branch_with_secretary(world)
        services.meeting_record(
            organization=world.branch_a1,
            kind=Kind.LECTURE,
            date=datetime.date(2025, 12, 20),
            topic="党课",
            speaker_member=people[0],
            today=datetime.date(2025, 12, 20),
        )
        assert self._keys(datetime.date(2026, 12, 20)) == {
            f"{world.branch_a1.pk}:{people[0].pk}:2026"
        }

    def test_the_speaker_member_belongs_to_the_organisation(self, world):
        self._branch_with_secretary(world)
        stranger = PartyMemberFactory(branch=world.branch_b1)
        with pytest.raises(ValidationError, match="not a member of this organisation"):
            services.meeting_record(
                organization=world.branch_a1,
                kind=Kind.LECTURE,
                date=datetime.date(2026, 11, 2),
                topic="党课",
                speaker_member=stranger,
                today=TODAY,
            )

    def test_the_speakers_name_fills_the_text(self, world):
        people = self._branch_with_secretary(world)
        meeting = services.meeting_record(
            organization=world.branch_a1,
            kind=Kind.LECTURE,
            date=datetime.date(2026, 11, 2),
            topic="党课",
            speaker_member=people[0],
            today=TODAY,
        )
        assert meeting.speaker == people[0].name


class TestFoundingAndDissolution:
    def _status(self, org, day, today, kind=Kind.GENERAL):
        return list(
            ComplianceCell.objects.for_day(day, today=today)
            .filter(organization=org, requirement__kind=kind)
            .values_list("status", flat=True)
        )

    def _set(self, org, **dates):
        portal_services.organization_update(
            organization=org, name=org.name, category=org.category, is_active=True, **dates
        )

    def test_periods_before_the_founding_do_not_count(self, world, roster):
        # founded on the second day of Q3: Q3 is not counted, Q4 is
        self._set(world.branch_a1, founded_on=datetime.date(2026, 7, 2))
        today = datetime.date(2026, 11, 28)
        assert self._status(world.branch_a1, datetime.date(2026, 8, 1), today) == []
        assert self._status(world.branch_a1, datetime.date(2026, 10, 1), today) == ["due"]

    def test_founded_on_the_first_day_counts(self, world, roster):
        self._set(world.branch_a1, founded_on=datetime.date(2026, 7, 1))
        today = datetime.date(2026, 11, 28)
        assert self._status(world.branch_a1, datetime.date(2026, 8, 1), today) == ["missed"]

    def test_periods_after_the_dissolution_do_not_count(self, world, roster):
        self._set(world.branch_a1, dissolved_on=datetime.date(2026, 9, 29))
        today = datetime.date(2026, 11, 28)
        assert self._status(world.branch_a1, datetime.date(2026, 8, 1), today) == []
        assert self._status(world.branch_a1, datetime.date(2026, 4, 1), today) == ["missed"]
        self._set(world.branch_a1, dissolved_on=datetime.date(2026, 9, 30))
        assert self._status(world.branch_a1, datetime.date(2026, 8, 1), today) == ["missed"]

    def test_the_rollup_and_the_reminders_leave_them_out(self, world, roster):
        today = datetime.date(2026, 11, 28)
        before = ComplianceCell.objects.for_day(today, today=today).rollup(world.township_a)
        before = {row["child_path"]: row for row in before}
        self._set(world.branch_a1, founded_on=datetime.date(2026, 11, 1))
        after = ComplianceCell.objects.for_day(today, today=today).rollup(world.township_a)
        after = {row["child_path"]: row for row in after}
        path = world.branch_a1.path

        # the quarter's general meeting and the year's meetings no longer count; November's do
        def total(row):
            return row["met"] + row["due"] + row["missed"]

        assert total(after[path]) < total(before[path])
        keys = {row["item_key"] for row in deadlines.meeting_due_rows(today, 40, 0)}
        mine = {k for k in keys if k.startswith(f"{world.branch_a1.pk}:")}
        assert mine and not any(k.endswith(":2026-10-01") for k in mine)

    def test_dissolved_before_founded_is_refused(self, world):
        with pytest.raises(ValidationError, match="dissolved before it was founded"):
            self._set(
                world.branch_a1,
                founded_on=datetime.date(2020, 1, 1),
                dissolved_on=datetime.date(2019, 12, 31),
            )


class TestBranchSize:
    def _rollup(self, parent):
        return {row["child_path"]: row for row in branch_size_rollup(parent)}

    def test_below_three_full_members(self, world):
        full_members(world, 2)
        PartyMemberFactory(
            branch=world.branch_a1, stage="probationary", joined_on=datetime.date(2026, 1, 1)
        )
        rows = self._rollup(world.township_a)
        assert rows[world.branch_a1.path]["small_branches"] == 1
        assert rows[world.branch_a1.path]["full_total"] == 2
        # the county sees it counted under township A
        assert self._rollup(world.county)[world.township_a.path]["small_branches"] == 2
        full_members(world, 1)
        assert self._rollup(world.township_a)[world.branch_a1.path]["small_branches"] == 0

    def test_someone_who_left_does_not_count(self, world):
        people = full_members(world, 3)
        services.member_remove(
            member=people[0], reason="deceased", on=datetime.date(2026, 5, 1), today=TODAY
        )
        assert self._rollup(world.township_a)[world.branch_a1.path]["small_branches"] == 1

    def test_above_fifty_members(self, world):
        full_members(world, 50)
        assert self._rollup(world.township_a)[world.branch_a1.path]["large_branches"] == 0
        PartyMemberFactory(
            branch=world.branch_a1, stage="probationary", joined_on=datetime.date(2026, 1, 1)
        )
        assert self._rollup(world.township_a)[world.branch_a1.path]["large_branches"] == 1
        # an applicant is not a member: no effect on the 50
        assert self._rollup(world.county)[world.township_a.path]["large_branches"] == 1

    def test_pages_show_it(self, world, client_as):
        # the pages speak Chinese (the UI's default language)
        full_members(world, 2)
        client = client_as("staff")
        township = client.get(
            reverse("grassroots:organization-compliance", args=[world.township_a.pk])
        ).content.decode()
        assert "正式党员 2 名" in township
        assert "正式党员不足 3 名" in township
        county = client.get(
            reverse("grassroots:organization-compliance", args=[world.county.pk])
        ).content.decode()
        assert "2 个支部正式党员不足 3 名" in county
        branch = client.get(
            reverse("grassroots:branch-detail", args=[world.branch_a1.pk])
        ).content.decode()
        assert "本支部有正式党员 2 名，支部至少需要 3 名。" in branch
        full_members(world, 1)
        branch = client.get(
            reverse("grassroots:branch-detail", args=[world.branch_a1.pk])
        ).content.decode()
        assert 'id="branch-size"' not in branch


class TestAttendanceErrorsPerRow:
    def test_the_service_names_the_rows_without_a_reason(self, world, roster):
        attendance = {roster[0].pk: ("absent", " "), roster[1].pk: ("leave", "出差")}
        with pytest.raises(ValidationError) as error:
            services.meeting_record(
                organization=world.branch_a1,
                kind=Kind.GENERAL,
                date=datetime.date(2026, 11, 2),
                topic="学习",
                attendance=attendance,
                today=TODAY,
            )
        assert error.value.error_list[0].params["members"] == [roster[0].pk]

    def test_a_reason_longer_than_the_column_is_a_row_error(self, world, roster):
        with pytest.raises(ValidationError, match="at most 200 characters"):
            services.meeting_record(
                organization=world.branch_a1,
                kind=Kind.GENERAL,
                date=datetime.date(2026, 11, 2),
                topic="学习",
                attendance={roster[0].pk: ("absent", "长" * 201)},
                today=TODAY,
            )
        assert not Meeting.objects.exists()

    def test_the_page_puts_each_error_beside_its_row(self, world, roster, client_as):
        client = client_as("secretary")
        url = reverse("grassroots:meeting-create", args=[world.branch_a1.pk])
        data = {
            "held": "True",
            "kind": "general",
            "date": "2026-11-02",
            "topic": "学习",
            f"att-{roster[0].pk}": "absent",
            f"att-{roster[1].pk}": "leave",
            f"reason-{roster[1].pk}": "出差",
        }
        page = client.post(url, data).content.decode()
        assert page.count('class="invalid-feedback d-block row-error"') == 1
        assert f'id="reason-{roster[0].pk}-error"' in page
        assert not Meeting.objects.exists()
        # one shared reason covers the row without its own
        response = client.post(url, {**data, "reason-all": "外出务工"})
        assert response.status_code == 302
        reasons = dict(Meeting.objects.get().attendances.values_list("member_id", "reason"))
        assert (reasons[roster[0].pk], reasons[roster[1].pk]) == ("外出务工", "出差")
