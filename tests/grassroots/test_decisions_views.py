"""The pages of collective decisions: what a user sees, refusals on the form, bad input as
a message, query counts that do not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.decisions import services
from grassroots.decisions.models import MajorMatter, MatterStatus, StepKind, VillageMatter
from tests.grassroots.decisions import TODAY, make_team, propose, walk
from tests.grassroots.factories import PartyMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def villagers(world):
    return [PartyMemberFactory(branch=world.branch_a1, name=f"村党员{n}") for n in range(6)]


def _record(world, **kwargs):
    kwargs.setdefault("title", "农贸市场改造")
    return services.major_matter_record(
        organization=world.township_a,
        category=kwargs.pop("category", "project"),
        raised_on=datetime.date(2026, 10, 1),
        today=TODAY,
        **kwargs,
    )


class TestVillagePages:
    def test_the_secretary_proposes_and_sees_the_matter(self, client_as, world):
        client = client_as("secretary")
        url = reverse("grassroots:village-matter-create", args=[world.branch_a1.pk])
        response = client.post(
            url,
            {
                "subject": "land",
                "topic": "集体土地流转",
                "done_on": "2026-11-01",
                "summary": "支委会提议",
            },
        )
        matter = VillageMatter.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("grassroots:village-matter-detail", args=[matter.pk])
        page = client.get(response["Location"]).content.decode()
        assert "集体土地流转" in page
        assert reverse("grassroots:village-step-create", args=[matter.pk]) in page

    def test_a_step_out_of_order_is_refused_on_the_page(self, client_as, world):
        matter = propose(world.branch_a1)
        client = client_as("secretary")
        response = client.post(
            reverse("grassroots:village-step-create", args=[matter.pk]),
            {"step": StepKind.RESOLUTION, "done_on": "2026-10-01", "summary": "越级"},
        )
        assert response.status_code == 200
        assert "“四议两公开”各步骤须依次进行" in response.content.decode()
        assert matter.steps.count() == 1

    def test_hostile_input_is_a_message(self, client_as, world):
        matter = propose(world.branch_a1)
        client = client_as("secretary")
        step_url = reverse("grassroots:village-step-create", args=[matter.pk])
        for data in (
            {"step": "9_nothing", "done_on": "2026-02-30"},
            {"step": StepKind.CONSULTATION, "done_on": "x" * 5000, "summary": "\x00"},
            {"done_on": "2026-11-01", "summary": "  ", "participants": "a\x00b"},
        ):
            response = client.post(step_url, data)
            assert response.status_code == 200
        assert matter.steps.count() == 1
        response = client.post(
            reverse("grassroots:village-matter-create", args=[world.branch_a1.pk]),
            {"subject": "nope", "amount": "1e999", "done_on": "99999-01-01"},
        )
        assert response.status_code == 200
        assert (
            client.get(
                reverse("grassroots:decision-list", args=[world.branch_a1.pk]), {"page": "-1'"}
            ).status_code
            == 200
        )

    def test_a_community_has_no_village_form(self, client_as, world):
        url = reverse("grassroots:village-matter-create", args=[world.branch_a2.pk])
        assert client_as("staff").get(url).status_code == 404

    def test_the_notice_page_shows_what_was_published(self, client_as, world, villagers):
        matter = walk(propose(world.branch_a1), StepKind.DECISION_NOTICE)
        page = client_as("leader").get(
            reverse("grassroots:village-matter-notices", args=[matter.pk])
        )
        text = page.content.decode()
        assert "经村民代表会议决议" in text
        assert "data-print" in text


class TestTeamPages:
    def test_the_decision_form_refuses_the_principal_leader_first(self, client_as, world):
        seats = make_team(world.township_a, 4)
        matter = _record(world)
        url = reverse("grassroots:major-matter-decide", args=[matter.pk])
        client = client_as("staff")
        form = client.get(url, {"meeting_on": "2026-10-12"}).content.decode()
        # the principal leader's turn is last by default
        assert f'name="turn-{seats[0].pk}" id="turn-{seats[0].pk}" value="4"' in form
        data = {"meeting_on": "2026-10-12", "result": "同意"}
        for turn, seat in enumerate(seats, start=1):
            data |= {
                f"presence-{seat.pk}": "present",
                f"turn-{seat.pk}": turn,
                f"stance-{seat.pk}": "agree",
            }
        response = client.post(url, data)
        assert response.status_code == 200
        assert "末位表态" in response.content.decode()
        data[f"turn-{seats[0].pk}"] = 9
        data[f"turn-{seats[3].pk}"] = "x"
        response = client.post(url, data)
        assert (
            "发言顺序" in response.content.decode() or "speaking turn" in response.content.decode()
        )
        data[f"turn-{seats[3].pk}"] = 4
        data[f"opinion-{seats[1].pk}"] = "同意\x00"
        response = client.post(url, data)
        assert response.status_code == 302
        matter.refresh_from_db()
        assert matter.status == MatterStatus.ADOPTED

    def test_an_appointment_number_out_of_range_is_a_message(self, client_as, world):
        url = reverse("grassroots:major-matter-create", args=[world.township_a.pk])
        data = {"category": "appointment", "title": "任免", "raised_on": "2026-11-01"}
        for number in ("99999999999999999999", "-3", "abc"):
            response = client_as("staff").post(url, data | {"appointment": number})
            assert response.status_code == 200
        assert not MajorMatter.objects.exists()

    def test_below_the_threshold_is_ordinary_business_on_the_page(self, client_as, world):
        response = client_as("staff").post(
            reverse("grassroots:major-matter-create", args=[world.township_a.pk]),
            {
                "category": "large_sum",
                "title": "购置办公用品",
                "amount": "3000",
                "raised_on": "2026-11-01",
            },
        )
        assert response.status_code == 200
        assert "属于日常事务" in response.content.decode()
        assert not MajorMatter.objects.exists()

    def test_the_rollup_shows_teams_without_a_meeting_and_villages_behind(
        self, client_as, world, villagers
    ):
        _record(world, title="未上会的工程", carried_out_on=datetime.date(2026, 10, 20))
        late = walk(propose(world.branch_a1), StepKind.RESOLUTION)
        page = (
            client_as("staff@township")
            .get(reverse("grassroots:decision-rollup", args=[world.township_a.pk]))
            .content.decode()
        )
        assert world.branch_a1.name in page
        assert world.township_a.name in page
        assert late.topic in page  # overdue: its decision is not public 7 days on
        # the villages' figures also as a chart, drawn from the same numbers
        assert 'data-chart="decisions-villages-data"' in page
        assert 'id="decisions-villages-data"' in page
        assert "甲镇党委" in page


class TestQueryCounts:
    def _count(self, client, url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def test_the_village_list_costs_the_same_for_one_row_and_many(self, client_as, world):
        client = client_as("staff")
        url = reverse("grassroots:decision-list", args=[world.branch_a1.pk])
        propose(world.branch_a1)
        one = self._count(client, url)
        for n in range(12):
            propose(world.branch_a1, topic=f"事项{n}")
        assert self._count(client, url) == one

    def test_the_rollup_costs_the_same_for_one_village_and_many(self, client_as, world):
        from tests.factories import OrganizationFactory

        client = client_as("staff")
        url = reverse("grassroots:decision-rollup", args=[world.township_a.pk])
        propose(world.branch_a1)
        _record(world)
        one = self._count(client, url)
        for n in range(5):
            village = OrganizationFactory(name=f"新村{n}党支部", parent=world.township_a)
            propose(village)
        assert self._count(client, url) == one


class TestExport:
    def test_a_township_exports_its_villages_and_team_only(self, client_as, world, villagers):
        from tests.exchange.helpers import sheet_rows, workbook

        propose(world.branch_a1, topic="甲村修路")
        propose(world.branch_b1, topic="乙村修路")
        _record(world, title="甲镇农贸市场", carried_out_on=datetime.date(2026, 10, 20))
        services.major_matter_record(
            organization=world.township_b,
            category="project",
            title="乙乡农贸市场",
            raised_on=datetime.date(2026, 10, 1),
            today=TODAY,
        )
        url = reverse("grassroots:decision-export", args=[world.township_a.pk])
        response = client_as("staff@township").get(url)
        book = workbook(response)  # one read: the file is streamed
        village, team = (
            [dict(zip(header, row, strict=False)) for row in rows]
            for header, rows in (sheet_rows(sheet) for sheet in book.worksheets)
        )
        assert [row["事项"] for row in village] == ["甲村修路"]
        assert [row["事项"] for row in team] == ["甲镇农贸市场"]
        assert team[0]["未经会议即实施"] == "是"
        assert (
            client_as("staff@township")
            .get(reverse("grassroots:decision-export", args=[world.township_b.pk]))
            .status_code
            == 404
        )
