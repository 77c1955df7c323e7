"""The organisation tree as a file: the organisations below the user's own, parents first,
with exactly the organisations import's columns (the round trip is in
tests/imports/test_round_trip.py)."""

import pytest
from django.urls import reverse

from portal.exchange.importing.kinds import get_kind
from portal.roles import Role
from tests.exchange.helpers import sheet_rows, workbook
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_tree_below_the_county_with_the_import_s_columns(client_as, world):
    response = client_as("staff").get(reverse("grassroots:organization-export"))
    header, rows = sheet_rows(workbook(response).active)
    assert header == [column.header for column in get_kind("organizations").columns]
    assert header == ["组织名称", "上级组织", "组织类型", "单位类别", "组织代码"]
    by_name = {row[0]: row for row in rows}
    assert "测试县委" not in by_name  # the root has no parent to import it under
    assert by_name["甲镇党委"][1] == "测试县委"
    assert by_name["甲一村党支部"][1] == "测试县委/甲镇党委"
    names = [row[0] for row in rows]
    assert names.index("甲镇党委") < names.index("甲一村党支部")  # parents first


def test_a_township_exports_what_lies_below_it(client, world):
    client.force_login(
        UserFactory(username="town-staff", role=Role.STAFF, organization=world.township_a)
    )
    header, rows = sheet_rows(
        workbook(client.get(reverse("grassroots:organization-export"))).active
    )
    assert sorted(row[0] for row in rows) == ["甲一村党支部", "甲二社区党支部"]


def test_the_button_is_on_the_grassroots_page(client_as, world):
    html = client_as("staff").get(reverse("grassroots:index")).content.decode()
    assert 'data-export="organizations"' in html
