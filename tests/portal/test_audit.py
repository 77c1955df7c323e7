"""Every create, update and delete of a domain record is kept, with who made it."""

import pghistory
import pytest
from django.template import Context, Template

from portal import services
from portal.audit import history_for
from portal.models import Organization

pytestmark = pytest.mark.django_db


def test_changes_are_recorded_with_the_acting_user(world):
    staff = world.user("staff")
    with pghistory.context(user=staff.pk, url="/test"):
        services.organization_update(
            organization=world.branch_a1, name="甲一村党总支", category="village", is_active=True
        )
    events = list(history_for(world.branch_a1))
    assert events[0].pgh_label == "update"
    assert events[-1].pgh_label == "insert"
    assert events[0].pgh_diff["name"] == ["甲一村党支部", "甲一村党总支"]
    assert events[0].actor_name == staff.display_name


def test_bulk_updates_are_recorded_too(world):
    Organization.objects.filter(parent=world.township_a).update(is_active=False)
    labels = [e.pgh_label for e in history_for(world.branch_a2)]
    assert labels[0] == "update"


def test_history_component_shows_who_and_what(world):
    with pghistory.context(user=world.user("staff").pk):
        services.organization_update(
            organization=world.branch_a1, name="新名称", category="village", is_active=True
        )
    html = Template("{% load portal_tags %}{% history org %}").render(
        Context({"org": world.branch_a1})
    )
    assert "新名称" in html
    assert world.user("staff").display_name in html


def test_history_never_shows_a_full_id_number(world):
    from cadres.models import Cadre
    from portal.idnumbers import check_char

    first = "11010519800101001"
    second = "11010519800101003"
    cadre = Cadre.objects.create(
        name="测试",
        gender="male",
        birth_date="1980-01-01",
        id_number=first + check_char(first),
        organization=world.branch_a1,
    )
    Cadre.objects.filter(pk=cadre.pk).update(id_number=second + check_char(second))
    html = Template("{% load portal_tags %}{% history cadre %}").render(Context({"cadre": cadre}))
    assert first not in html and second not in html
    assert "*" * 14 + second[-3:] + check_char(second) in html
