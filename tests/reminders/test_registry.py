"""The apps' real deadlines (grassroots, cadres, poverty, supervision deadlines.py) work in
the engine: their rows keep the contract, the sweep's SQL runs over them, and the pages that
read them answer."""

from datetime import date

import pytest
from django.urls import reverse

import portal.deadlines
from portal.deadlines import check_rows, registry
from portal.reminders.services import reminders_sweep
from portal.roles import Role

TODAY = date(2026, 12, 1)
APPS = ["grassroots", "cadres", "poverty", "supervision"]


def app_deadlines(app: str) -> dict:
    deadlines = {key: d for key, d in registry().items() if d.app == app}
    if not deadlines:
        pytest.skip(f"{app} has not registered its deadlines yet")
    return deadlines


@pytest.mark.parametrize("app", APPS)
def test_each_apps_rows_keep_the_contract(db, app):
    for key, deadline in app_deadlines(app).items():
        assert key.startswith(f"{app}."), key
        rows = deadline.rows(TODAY, 7, 30)
        if rows.query.combinator:  # a UNION: its first part names the columns
            rows = rows.query.combined_queries[0]
            names = tuple(rows.values_select) + tuple(rows.annotation_select)
            assert set(portal.deadlines.ROW_FIELDS) <= set(names), key
        else:
            check_rows(rows)


@pytest.mark.parametrize("app", APPS)
def test_the_sweep_runs_over_each_apps_deadlines(world, app, monkeypatch):
    deadlines = app_deadlines(app)
    monkeypatch.setattr(portal.deadlines, "_REGISTRY", deadlines)

    result = reminders_sweep(today=TODAY)

    assert result.failed == {}
    assert set(result.inserted) == set(deadlines)


def test_my_deadlines_answers_over_the_whole_registry(client, world):
    for role in Role:
        client.force_login(world.user(role))
        response = client.get(reverse("reminders:my-deadlines"))
        assert response.status_code == 200, role
        feed = client.get(
            reverse("reminders:calendar-feed", args=[world.user(role).calendar_token])
        )
        assert feed.status_code == 200, role


def test_a_complaint_reminds_its_first_receiver_and_never_the_staff(world, client):
    from portal.reminders.models import Reminder
    from tests.supervision.factories import ComplaintFactory

    # given a complaint received on 3 March by the supervision office (decide by the 18th)
    supervisor = world.user(Role.SUPERVISOR)
    complaint = ComplaintFactory(
        receiver=supervisor, subject_organization=world.branch_a1, received_on=date(2025, 3, 3)
    )

    # when the sweep runs a week ahead, and again a week late
    reminders_sweep(today=date(2025, 3, 11))
    reminders_sweep(today=date(2025, 3, 25))

    # then the receiver was reminded ahead and when missed, and nobody outside the office
    accept = Reminder.objects.filter(deadline_key="supervision.accept_due")
    assert sorted(accept.values_list("recipient__username", "stage")) == [
        ("supervisor", "ahead_7"),
        ("supervisor", "missed"),
    ]
    assert not accept.filter(recipient__role=Role.STAFF).exists()
    reminder = accept.first()
    assert complaint.tracking_code in reminder.title
    assert "举报人甲" not in reminder.title
    # and the link opens the complaint's page
    client.force_login(supervisor)
    response = client.get(
        reverse("reminders:deadline-open", args=[reminder.deadline_key, reminder.item_key])
    )
    assert response["Location"] == reverse("supervision:complaint-detail", args=[complaint.pk])
