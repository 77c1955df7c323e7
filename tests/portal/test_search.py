"""The navigation bar's search (portal/search.py, issue #11): pinyin initials as users type
them, the last four characters of an ID number, every hit through the user's scope, matters
for the handling office only and never with the reporter, and an empty or hostile query."""

import pytest
from django.urls import reverse

from portal.masking import mask
from portal.pinyin import initials_typed
from tests.cadres.factories import make_cadre
from tests.grassroots.factories import PartyMemberFactory
from tests.poverty.factories import make_cadre as make_official
from tests.poverty.factories import make_household, make_pairing, make_village
from tests.supervision.factories import ComplaintFactory

pytestmark = pytest.mark.django_db


def search(client, text, *, partial=True):
    headers = {"HX-Request": "true"} if partial else {}
    response = client.get(reverse("search"), {"q": text}, headers=headers)
    assert response.status_code == 200
    return response


def found(response, kind=None) -> list[str]:
    return [
        hit.label
        for group in response.context["groups"]
        if kind is None or group["key"] == kind
        for hit in group["hits"]
    ]


def test_initials_are_read_as_users_type_them():
    assert initials_typed("ZHM") == {"zhm", "zm"}
    assert initials_typed("zsf") == {"zsf"}
    assert initials_typed("  ") == set()


class TestPeople:
    def test_pinyin_initials_find_members_and_cadres(self, client_as, world):
        PartyMemberFactory(branch=world.branch_a1, name="赵明")
        PartyMemberFactory(branch=world.branch_a1, name="张浩明")  # literally z-h-m
        make_cadre(world.township_a, name="赵明")
        client = client_as("staff")
        assert sorted(found(search(client, "zhm"), "members")) == ["张浩明", "赵明"]
        assert found(search(client, "zm"), "members") == ["赵明"]
        assert found(search(client, "zhm"), "cadres") == ["赵明"]
        assert found(search(client, "zmx")) == []
        assert found(search(client, "赵"), "members") == ["赵明"]

    def test_the_last_four_characters_of_an_id_number_find_the_person_masked(
        self, client_as, world
    ):
        member = PartyMemberFactory(branch=world.branch_a1, name="钱七")
        response = search(client_as("staff"), member.id_number[-4:])
        assert "钱七" in found(response, "members")
        page = response.content.decode()
        assert mask(member.id_number) in page
        assert member.id_number not in page

    def test_a_secretary_never_finds_another_branchs_member(self, client_as, world):
        for branch in (world.branch_a1, world.branch_a2, world.branch_b1):
            PartyMemberFactory(branch=branch, name="孙红")
        response = search(client_as("secretary"), "孙红")
        hits = [hit for group in response.context["groups"] for hit in group["hits"]]
        assert len(hits) == 1
        assert world.branch_a1.name in hits[0].detail
        # nor an organisation outside the branch
        assert found(search(client_as("secretary"), world.branch_b1.name)) == []

    def test_a_township_user_finds_only_the_township(self, client, world):
        PartyMemberFactory(branch=world.branch_a1, name="周甲")
        PartyMemberFactory(branch=world.branch_b1, name="周乙")
        client.force_login(world.user("staff@township"))
        assert found(search(client, "周"), "members") == ["周甲"]

    def test_a_helper_finds_only_the_households_paired_with_them(self, client, world):
        helper = world.user("helper")
        official = make_official(world.township_a, user=helper)
        village = make_village(parent=world.township_a)
        mine, other = make_household(village), make_household(village)
        make_pairing(mine, official)
        client.force_login(helper)
        response = search(client, "成员")
        assert [hit.detail.split(" · ")[0] for hit in response.context["groups"][0]["hits"]] == [
            mine.number
        ]
        assert other.number not in response.content.decode()
        assert found(search(client, "成员"), "members") == []  # no grassroots for helpers


class TestMatters:
    @pytest.fixture
    def matter(self, world):
        return ComplaintFactory(
            receiver=world.user("supervisor"), subject_organization=world.branch_a1
        )

    def test_the_office_finds_a_matter_by_its_code_and_never_sees_the_reporter(
        self, client_as, matter
    ):
        response = search(client_as("supervisor"), matter.tracking_code.lower())
        assert found(response, "matters") == [matter.tracking_code]
        page = response.content.decode()
        for secret in ("举报人甲", "某路1号", "13900000000"):  # the factory's reporter
            assert secret not in page

    @pytest.mark.parametrize("role", ["staff", "leader", "secretary", "helper"])
    def test_staff_and_everyone_else_never_find_a_matter(self, client_as, matter, role):
        response = search(client_as(role), matter.tracking_code)
        assert found(response, "matters") == []
        page = response.content.decode()
        assert reverse("supervision:complaint-detail", args=[matter.pk]) not in page
        assert matter.summary not in page


class TestInput:
    @pytest.mark.parametrize("text", ["", "   "])
    def test_an_empty_query_finds_nothing_and_says_nothing_wrong(self, client_as, world, text):
        response = search(client_as("staff"), text)
        assert response.context["groups"] == []
        assert not response.context["form"].errors

    @pytest.mark.parametrize(
        "text", ["<script>alert(1)</script>", "x" * 31, "a\x00b", "\\'; DROP TABLE x; --"]
    )
    def test_a_hostile_query_is_a_message_never_an_error(self, client_as, world, text):
        PartyMemberFactory(branch=world.branch_a1)
        response = search(client_as("staff"), text, partial=False)
        assert response.context["form"].errors["q"]
        assert response.context["groups"] == []
        assert "<script>alert(1)</script>" not in response.content.decode()

    @pytest.mark.parametrize("text", ["%", "_", "%%%%"])
    def test_wildcards_are_plain_characters(self, client_as, world, text):
        PartyMemberFactory(branch=world.branch_a1, name="吴九")
        assert found(search(client_as("staff"), text)) == []

    @pytest.mark.parametrize("count", [1, 20])
    def test_the_answer_costs_the_same_for_one_hit_as_for_twenty(
        self, client_as, world, count, django_assert_num_queries
    ):
        for n in range(count):
            PartyMemberFactory(branch=world.branch_a1, name=f"郑{n}")
            make_cadre(world.township_a, name=f"郑{n}")
        client = client_as("staff")
        # session, user, the user's organisation, then one query per kind the role may
        # search: members, cadres, households, organisations (matters: not for staff)
        with django_assert_num_queries(7):
            response = search(client, "郑")
        assert len(found(response, "members")) == min(count, 8)
