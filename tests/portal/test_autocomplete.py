"""Searchable pickers (portal/autocomplete.py): the JSON options, scoped to the user, and the
filters and forms that render only the chosen option."""

import datetime

import pytest
from django.urls import reverse

from portal.models import Organization
from portal.roles import Role
from supervision.models import Complaint
from tests.cadres.factories import make_cadre
from tests.factories import OrganizationFactory
from tests.supervision.factories import ComplaintFactory

pytestmark = pytest.mark.django_db


def options(client, source, **query):
    response = client.get(reverse("autocomplete", kwargs={"source": source}), query)
    assert response.status_code == 200
    return {row["text"]: int(row["value"]) for row in response.json()["results"]}


class TestOrganizations:
    def test_labelled_with_their_path_below_the_county(self, world, client_as):
        group = OrganizationFactory(
            name="第一党小组", kind=Organization.Kind.PARTY_GROUP, parent=world.branch_a1
        )
        found = options(client_as(Role.STAFF), "organizations", q="党小组")
        assert found == {"甲镇 / 甲一村党支部 / 第一党小组": group.pk}

    def test_only_the_users_subtree(self, world, client_as):
        found = options(client_as(Role.HELPER), "organizations")
        assert set(found) == {"甲镇党委", "甲镇 / 甲一村党支部", "甲镇 / 甲二社区党支部"}

    def test_a_scope_narrows_to_branches(self, world, client_as):
        found = options(client_as(Role.STAFF), "organizations", scope="branches", q="甲")
        assert set(found) == {"甲镇 / 甲一村党支部", "甲镇 / 甲二社区党支部"}

    def test_at_most_twenty_options_and_a_hint_that_there_are_more(self, world, client_as):
        for n in range(25):
            OrganizationFactory(name=f"丙{n}村党支部", parent=world.township_b)
        response = client_as(Role.STAFF).get(reverse("autocomplete", args=["organizations"]))
        assert len(response.json()["results"]) == 20
        assert response.json()["more"] is True

    def test_an_unknown_scope_or_source_answers_nothing_rather_than_an_error(
        self, world, client_as
    ):
        client = client_as(Role.STAFF)
        assert options(client, "organizations", scope="everything") == {}
        assert client.get(reverse("autocomplete", args=["nothing"])).status_code == 404


class TestCadres:
    def test_by_name_or_initials_labelled_with_unit_and_birth_year(self, world, client_as):
        twin_a = make_cadre(world.branch_a1, name="王伟", birth_date=datetime.date(1978, 3, 1))
        twin_b = make_cadre(world.township_b, name="王伟", birth_date=datetime.date(1985, 6, 1))
        make_cadre(world.township_b, name="李娜")
        client = client_as(Role.SUPERVISOR)
        expected = {"王伟（甲一村党支部，1978）": twin_a.pk, "王伟（乙乡党委，1985）": twin_b.pk}
        assert options(client, "cadres", q="王") == expected
        assert options(client, "cadres", q="ww") == expected

    def test_a_role_that_cannot_read_cadres_is_refused(self, world, client_as):
        response = client_as(Role.SECRETARY).get(reverse("autocomplete", args=["cadres"]))
        assert response.status_code == 403


class TestFiltersAndForms:
    def test_the_complaint_filter_renders_only_the_chosen_organisation(self, world, client_as):
        for n in range(30):
            OrganizationFactory(name=f"丙{n}村党支部", parent=world.township_b)
        office = world.user(Role.SUPERVISOR)
        ComplaintFactory(
            summary="甲一村的事", subject_organization=world.branch_a1, receiver=office
        )
        ComplaintFactory(
            summary="乙一村的事", subject_organization=world.branch_b1, receiver=office
        )

        response = client_as(Role.SUPERVISOR).get(
            reverse("supervision:complaint-list"), {"subject_organization": world.branch_a1.pk}
        )

        body = response.content.decode()
        assert "甲一村的事" in body and "乙一村的事" not in body
        assert f'<option value="{world.branch_a1.pk}" selected>甲镇 / 甲一村党支部</option>' in body
        assert "丙1村党支部" not in body  # no option for every organisation
        assert 'data-autocomplete="/autocomplete/organizations/"' in body

    def test_a_value_outside_the_users_reach_is_a_message_not_a_500(self, world, client_as):
        response = client_as(Role.SECRETARY).get(
            reverse("grassroots:member-list"), {"branch": world.branch_b1.pk}
        )
        assert response.status_code == 200
        assert response.context["filter"].form.errors["branch"]
        response = client_as(Role.SECRETARY).get(
            reverse("grassroots:member-list"), {"branch": "x'"}
        )
        assert response.status_code == 200

    def test_the_intake_form_takes_a_cadre_from_the_picker(self, world, client_as):
        cadre = make_cadre(world.branch_a1, name="王伟")
        client = client_as(Role.SUPERVISOR)
        page = client.get(reverse("supervision:complaint-create")).content.decode()
        assert 'data-autocomplete="/autocomplete/cadres/"' in page
        assert "王伟" not in page  # not listed until searched

        response = client.post(
            reverse("supervision:complaint-create"),
            {
                "channel": "letter",
                "received_on": "2025-03-03",
                "category": "formalism",
                "subject_cadre": cadre.pk,
                "summary": "反映干部作风",
                "description": "反映某干部作风粗暴。",
                "anonymous": "on",
            },
        )
        assert response.status_code == 302
        assert Complaint.objects.get(summary="反映干部作风").subject_cadre == cadre
