"""The grassroots dashboard (issue #11): each chart's table against records built here and
counted independently, the subtree's reach, the drill-down links' lists, the query count and
a bad "as of" day. The browser test (tests/browser/test_dashboards.py) checks the chart
draws the table's numbers."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from grassroots import services
from grassroots.models import ComplianceCell
from portal import dates
from tests.factories import OrganizationFactory
from tests.grassroots.factories import PartyMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client, settings):
    # The tables are read by their English labels (the UI's default is Chinese).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def dashboard(client, org, day=None):
    params = {"day": day.isoformat()} if day else {}
    response = client.get(reverse("grassroots:dashboard", kwargs={"pk": org.pk}), params)
    assert response.status_code == 200
    return response


def chart(response, chart_id) -> dict:
    """{category: [values...]} of a chart's table, and its links, read from the page."""
    for found in response.context["compliance"] + response.context["structure"]:
        if found.id == chart_id:
            return found
    assert response.context["pipeline"].id == chart_id
    return response.context["pipeline"]


def table(response, chart_id) -> dict[str, list[int]]:
    found = chart(response, chart_id)
    html = response.content.decode()
    # the rendered table holds what the context's chart holds (the page shows these numbers)
    start = html.index(f'data-chart-table="{chart_id}"')
    body = html[start : html.index("</table>", start)]
    cells = [int(v) for v in re.findall(r'data-value="(\d+)"', body)]
    expected = [cell["value"] for row in found.rows() for cell in row["cells"]]
    assert cells == expected
    return {str(row["label"]): [c["value"] for c in row["cells"]] for row in found.rows()}


def last_month_day(today):
    """The 10th of the month before today's: its periods are over (met or missed)."""
    return dates.add_months(today.replace(day=1), -1).replace(day=10)


class TestCompliance:
    def test_a_valid_meeting_moves_one_cell_from_missed_to_met_in_its_township(
        self, client_as, world
    ):
        day = last_month_day(timezone.localdate())
        client = client_as("staff")
        before = table(dashboard(client, world.county, day), "compliance-by-child")
        # the columns add up to the requirement cells of the township and everything beneath
        # it (counted from the view)
        for township in (world.township_a, world.township_b):
            cells = ComplianceCell.objects.in_subtree(township)
            assert sum(before[township.name]) == cells.count() > 0
            assert before[township.name][0] == 0  # nothing met: no meeting held anywhere

        services.meeting_record(
            organization=world.branch_a1, kind="theme_day", date=day, topic="主题党日"
        )

        after = table(dashboard(client, world.county, day), "compliance-by-child")
        met, due, missed = after[world.township_a.name]
        assert met == 1
        assert missed == before[world.township_a.name][2] - 1
        assert after[world.township_b.name] == before[world.township_b.name]

    def test_the_trend_counts_the_month_and_the_kind_share(self, client_as, world):
        today = timezone.localdate()
        day = last_month_day(today)
        services.meeting_record(
            organization=world.branch_a1, kind="theme_day", date=day, topic="主题党日"
        )
        response = dashboard(client_as("staff"), world.township_a, today)
        trend = table(response, "compliance-trend")
        months = list(trend)
        assert len(months) == 13 and months[-1] == f"{today:%Y-%m}"
        assert trend[f"{day:%Y-%m}"][0] == 1  # met in the meeting's month
        assert sum(row[0] for row in trend.values()) == 1  # and in no other month
        theme_days = (
            ComplianceCell.objects.in_subtree(world.township_a)
            .filter(requirement__kind="theme_day")
            .count()
        )
        by_kind = chart(response, "compliance-by-kind")
        theme = next(s for s in by_kind.series if s.label == "Theme Party day")
        assert theme.values[months.index(f"{day:%Y-%m}")] == round(100 / theme_days)
        assert sum(theme.values) == round(100 / theme_days)

    def test_clicking_a_township_opens_its_dashboard_and_a_branch_its_page(self, client_as, world):
        client = client_as("staff")
        response = dashboard(client, world.county)
        links = chart(response, "compliance-by-child").category_links
        assert [link.split("?")[0] for link in links] == [
            reverse("grassroots:dashboard", kwargs={"pk": world.township_a.pk}),
            reverse("grassroots:dashboard", kwargs={"pk": world.township_b.pk}),
        ]
        township = client.get(links[0])
        assert township.context["organization"] == world.township_a
        branch_links = chart(township, "compliance-by-child").category_links
        assert reverse("grassroots:branch-detail", kwargs={"pk": world.branch_a1.pk}) in (
            link.split("?")[0] for link in branch_links
        )
        assert client.get(branch_links[0]).status_code == 200


@pytest.fixture
def members(world):
    """Members of township A's branches with known traits, and one of township B."""
    today = timezone.localdate()
    born_31 = dates.add_months(today, -12 * 31)  # 31 today
    made = [
        PartyMemberFactory(branch=world.branch_a1, gender="female", birth_date=born_31),
        PartyMemberFactory(
            branch=world.branch_a1,
            gender="male",
            birth_date=born_31 + datetime.timedelta(days=1),  # still 30 today
            education="bachelor",
            ethnicity="苗族",
        ),
        PartyMemberFactory(
            branch=world.branch_a2,
            gender="female",
            birth_date=datetime.date(1950, 5, 5),
            education="bachelor",
        ),
        # not a member yet: in the pipeline, not on the roster
        PartyMemberFactory(
            branch=world.branch_a2,
            stage="activist",
            applied_on=datetime.date(2025, 3, 1),
            activist_on=datetime.date(2025, 9, 1),
        ),
    ]
    PartyMemberFactory(branch=world.branch_b1, gender="female", education="bachelor")
    return made


class TestMembers:
    def test_structure_counts_the_subtrees_roster(self, client_as, world, members):
        response = dashboard(client_as("staff"), world.township_a)
        assert table(response, "members-by-gender") == {"Male": [1], "Female": [2]}
        education = table(response, "members-by-education")
        assert education["Bachelor"] == [2]  # township B's bachelor is not counted
        assert education["Not recorded"] == [1]
        age = table(response, "members-by-age")
        assert age["30 and under"] == [1]
        assert age["31–40"] == [1]
        assert age["71 and over"] == [1]
        assert table(response, "members-by-ethnicity") == {"汉族": [2], "苗族": [1]}

    def test_a_past_day_counts_the_roster_of_that_day(self, client_as, world, members):
        # a member who died leaves the roster from that day
        member = members[2]
        today = timezone.localdate()
        services.member_remove(member=member, reason="deceased", on=today, today=today)
        client = client_as("staff")
        assert table(dashboard(client, world.township_a), "members-by-gender")["Female"] == [1]
        yesterday = today - datetime.timedelta(days=1)
        past = table(dashboard(client, world.township_a, yesterday), "members-by-gender")
        assert past["Female"] == [2]

    def test_each_number_links_to_a_list_of_exactly_those_members(self, client_as, world, members):
        client = client_as("staff")
        response = dashboard(client, world.township_a)
        followed = 0
        for chart_id in ("members-by-age", "members-by-gender", "members-by-education"):
            found = chart(response, chart_id)
            for series in found.series:
                for value, link in zip(series.values, series.links, strict=False):
                    if not link:
                        continue
                    listed = client.get(link)
                    assert listed.status_code == 200
                    assert listed.context["paginator"].count == value, (chart_id, link)
                    followed += 1
        assert followed >= 10

    def test_the_pipeline_counts_who_reached_each_stage_in_the_year(
        self, client_as, world, members
    ):
        client = client_as("staff")
        response = dashboard(client, world.township_a, datetime.date(2025, 12, 31))
        funnel = table(response, "pipeline")
        assert funnel["Applicant"] == [1]
        assert funnel["Activist"] == [1]
        assert funnel["Full member"] == [0]
        link = chart(response, "pipeline").series[0].links[1]
        listed = client.get(link)
        assert [m.pk for m in listed.context["page_obj"]] == [members[3].pk]


class TestScopeAndInput:
    def test_a_township_user_sees_only_its_subtree(self, client, world, members):
        user = world.user("staff@township")
        client.force_login(user)
        assert (
            client.get(reverse("grassroots:dashboard", args=[world.county.pk])).status_code == 404
        )
        response = dashboard(client, world.township_a)
        assert list(table(response, "compliance-by-child")) == [
            world.branch_a1.name,
            world.branch_a2.name,
        ]
        # the drill-down list refuses another township's organisation (a message), and lists
        # nobody from there
        outside = client.get(
            reverse("grassroots:member-list"), {"organization": world.township_b.pk}
        )
        assert outside.status_code == 200
        assert outside.context["filter"].form.errors["organization"]
        listed = {m.branch_id for m in outside.context["page_obj"]}
        assert listed and world.branch_b1.pk not in listed

    @pytest.mark.parametrize("day", ["2026-02-30", "yesterday", "2999-01-01"])
    def test_a_bad_day_is_a_message_and_today_is_shown(self, client_as, world, day):
        response = client_as("staff").get(
            reverse("grassroots:dashboard", args=[world.county.pk]), {"day": day}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["day"]
        assert response.context["day"] == timezone.localdate()

    def test_a_bad_drill_down_filter_is_a_message(self, client_as, world):
        response = client_as("staff").get(
            reverse("grassroots:member-list"), {"reached": "activist", "year": "abc"}
        )
        assert response.status_code == 200
        assert response.context["filter"].form.errors


class TestQueryCount:
    @pytest.mark.parametrize("count", [1, 30])
    def test_the_same_for_one_branch_as_for_thirty(
        self, client_as, world, count, django_assert_num_queries
    ):
        for n in range(count):
            branch = OrganizationFactory(name=f"支部{n}", parent=world.township_b)
            PartyMemberFactory(branch=branch)
        client = client_as("staff")
        # 4 (session, user, the user's organisation, the bell) + the organisation + its
        # ancestors (the breadcrumb) + the rollup + the child organisations + the trend (one
        # UNION ALL of 13 periods) + members (conditional counts) + ethnic groups + pipeline
        with django_assert_num_queries(12):
            dashboard(client, world.township_b)
