"""The apps' real deadlines (grassroots, cadres, poverty, supervision deadlines.py) work in
the engine: their rows keep the contract, the sweep's SQL runs over them, and the pages that
read them answer."""

from datetime import date, timedelta

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
    from django.utils import timezone

    from tests.poverty.factories import make_cadre, make_household, make_pairing, make_village
    from tests.supervision.factories import ComplaintFactory

    # given a matter received three days ago (its first receiver decides on it within 15
    # days) and a household the helper last had to visit long ago
    today = timezone.localdate()
    supervisor, helper = world.user(Role.SUPERVISOR), world.user(Role.HELPER)
    complaint = ComplaintFactory(
        receiver=supervisor,
        subject_organization=world.branch_a1,
        received_on=today - timedelta(days=3),
        today=today,
    )
    household = make_household(make_village(world.branch_a1))
    pairing = make_pairing(
        household,
        make_cadre(world.township_a, user=helper),
        start=today - timedelta(days=40),
    )
    theirs = {
        Role.SUPERVISOR: f"supervision.accept_due:{complaint.pk}",
        Role.HELPER: f"poverty.visit_overdue:{pairing.pk}:",
    }
    for role in Role:
        client.force_login(world.user(role))
        page = client.get(reverse("reminders:my-deadlines")).content.decode()
        feed = client.get(
            reverse("reminders:calendar-feed", args=[world.user(role).calendar_token])
        ).content.decode()
        # then each sees their own item, on the page and in the calendar, and nobody else's
        for owner, uid in theirs.items():
            item = uid if uid.endswith(":") else f'{uid}"'
            assert (f'data-item="{item}' in page) == (owner == role), (role, uid)
            item = uid if uid.endswith(":") else f"{uid}@"
            assert (f"UID:{item}" in feed) == (owner == role), (role, uid)


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
