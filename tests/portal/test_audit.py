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


def _history_html(obj, language="zh-hans"):
    from django.utils import translation

    with translation.override(language):
        return Template("{% load portal_tags %}{% history obj %}").render(Context({"obj": obj}))


def test_history_reads_as_words_not_columns(world):
    """Verbose names, choice labels, the related record's name, 是/否 and 修改 — never the
    column (`parent_id`), the code (`village`) or the bookkeeping (`updated_at`)."""
    org = world.branch_a1
    with pghistory.context(user=world.user("staff").pk):
        services.organization_update(
            organization=org, name=org.name, category="community", is_active=False
        )
        Organization.objects.filter(pk=org.pk).update(parent=world.township_b)
    html = _history_html(org)
    assert "修改" in html and "新建" in html
    assert "是 → 否" in html
    assert f"{world.township_a.name} → {world.township_b.name}" in html
    from django.utils import translation

    with translation.override("zh-hans"):
        community = str(Organization.Category("community").label)
        village = str(Organization.Category("village").label)
    assert f"{village} → {community}" in html
    for raw in ("parent_id", "updated_at", "is_active", "community", "update", "insert"):
        assert raw not in html, raw


def test_history_shows_local_time(world):
    import datetime

    from pghistory.models import Events

    org = world.branch_a2
    with pghistory.context(user=world.user("staff").pk):
        services.organization_update(
            organization=org, name="乙村党支部", category="village", is_active=True
        )
    # the change made at 16:30 UTC happened at 00:30 the next day in Beijing
    event = Events.objects.tracks(org).order_by("-pgh_created_at").first()
    event_model = apps_get(event.pgh_model)
    moment = datetime.datetime(2026, 5, 3, 16, 30, tzinfo=datetime.UTC)
    event_model.objects.filter(pgh_id=event.pgh_id).update(pgh_created_at=moment)
    assert "2026-05-04 00:30" in _history_html(org)


def apps_get(label):
    from django.apps import apps

    return apps.get_model(label)


def test_history_reads_in_english_too(world):
    org = world.branch_a1
    with pghistory.context(user=world.user("staff").pk):
        services.organization_update(
            organization=org, name="甲一村党总支", category="village", is_active=True
        )
    html = _history_html(org, "en")
    assert "Changed" in html and "Created" in html
    assert "name: 甲一村党支部 → 甲一村党总支" in html.replace("Name", "name")
