"""The office's pages, the public lookup and its throttle, as a user meets them."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from portal import dates
from portal.models import RevealLog
from supervision import throttle
from supervision.models import DESCRIPTION_MAX_LENGTH, Complaint, HandlingRules, Status
from tests.clock import pinned
from tests.supervision.helpers import d, handle

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


def intake_data(world, **overrides):
    data = {
        "channel": "hotline_12380",
        "received_on": datetime.date.today().isoformat(),
        "category": "vote_buying",
        "subject_organization": world.branch_a1.pk,
        "has_specific_clues": "on",
        "summary": "换届中拉票",
        "description": "反映换届选举中有人请客拉票。",
        "reporter_name": "滕雪棠",
        "reporter_unit": "云溪县某某合作社",
        "reporter_address": "青石巷17号",
        "reporter_contact": "13712345678",
    }
    data.update(overrides)
    return data


# --- Intake and receipt ---------------------------------------------------------------------


def test_intake_records_the_matter_and_the_receipt_shows_the_secret_once(client_as, world):
    client = client_as("supervisor")

    response = client.post(reverse("supervision:complaint-create"), intake_data(world))

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:complaint-receipt", args=[complaint.pk])
    receipt = client.get(response["Location"]).content.decode()
    assert complaint.tracking_code in receipt
    secret = receipt.split('id="secret">')[1].split("<")[0].strip()
    assert len(secret) == 9 and secret[4] == "-"
    # shown once: the next visit offers a new secret instead
    again = client.get(response["Location"]).content.decode()
    assert secret not in again
    assert reverse("supervision:complaint-reissue", args=[complaint.pk]) in again
    assert complaint.first_receiver == world.user("supervisor")


def test_a_new_receipt_shows_a_new_secret_and_the_old_one_stops_working(client_as, make_complaint):
    from django.test import Client

    complaint = make_complaint(received_on=d("2025-03-03"))
    old = complaint.secret
    office = client_as("supervisor")

    response = office.post(reverse("supervision:complaint-reissue", args=[complaint.pk]))

    assert response["Location"] == reverse("supervision:complaint-receipt", args=[complaint.pk])
    receipt = office.get(response["Location"]).content.decode()
    new = receipt.split('id="secret">')[1].split("<")[0].strip()
    assert len(new) == 9 and new != old
    requester = Client(HTTP_ACCEPT_LANGUAGE="en")
    lookup = reverse("track:lookup")
    refused = requester.post(lookup, {"code": complaint.tracking_code, "secret": old})
    assert "No matter matches this code and secret" in refused.content.decode()
    assert 'id="track-status"' not in refused.content.decode()
    found = requester.post(lookup, {"code": complaint.tracking_code, "secret": new})
    assert 'id="track-status"' in found.content.decode()


def test_a_description_over_the_limit_gets_a_message_and_nothing_is_saved(client_as, world):
    client = client_as("supervisor")

    response = client.post(
        reverse("supervision:complaint-create"),
        intake_data(world, description="长" * (DESCRIPTION_MAX_LENGTH + 1)),
    )

    assert response.status_code == 200
    assert "5000" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_named_report_needs_the_name_or_the_anonymous_box(client_as, world):
    client = client_as("supervisor")

    response = client.post(
        reverse("supervision:complaint-create"), intake_data(world, reporter_name="")
    )

    assert response.status_code == 200
    assert not Complaint.objects.exists()
    response = client.post(
        reverse("supervision:complaint-create"),
        intake_data(world, reporter_name="", anonymous="on"),
    )
    assert response.status_code == 302
    assert Complaint.objects.get().is_anonymous


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "leader", "secretary", "helper"])
def test_only_the_office_opens_a_matter(client_as, make_complaint, role):
    complaint = make_complaint(received_on=d("2025-03-03"))

    response = client_as(role).get(reverse("supervision:complaint-detail", args=[complaint.pk]))

    assert response.status_code == 403


@pytest.mark.parametrize("role", ["staff", "leader"])
def test_staff_and_leaders_see_the_statistics(client_as, make_complaint, role):
    make_complaint(received_on=d("2025-03-03"))
    make_complaint(received_on=d("2025-03-03"), reporter=None)

    response = client_as(role).get(reverse("supervision:complaint-statistics"))

    assert response.status_code == 200
    assert 'id="total">2<' in response.content.decode()


# --- The queue ------------------------------------------------------------------------------


# A Wednesday: the old matter's acceptance limit (received + 15 days) fell on Friday 13
# November, a working day, so it is five days overdue (a limit on a holiday moves on).
@pinned("2026-11-18T10:00+08:00")
def test_the_queue_shows_overdue_first_with_the_days_left(client_as, make_complaint, supervisor):
    fresh = make_complaint(received_on=datetime.date.today(), today=datetime.date.today())
    old = make_complaint(received_on=datetime.date.today() - datetime.timedelta(days=20))

    page = client_as("supervisor").get(reverse("supervision:complaint-list")).content.decode()

    assert page.index(old.tracking_code) < page.index(fresh.tracking_code)
    # 15 days from receipt, moved to the next working day when the 15th is a rest day
    today = datetime.date.today()
    late = (today - dates.deadline(today - datetime.timedelta(days=20), 15)).days
    left = (dates.deadline(today, 15) - today).days
    assert f"{late} days overdue" in page or f"逾期 {late} 天" in page
    assert f"{left} days left" in page or f"剩余 {left} 天" in page


def test_the_queue_filters_by_channel(client_as, make_complaint):
    letter = make_complaint(received_on=d("2025-03-03"), channel="letter")
    visit = make_complaint(received_on=d("2025-03-03"), channel="visit")

    page = (
        client_as("supervisor")
        .get(reverse("supervision:complaint-list"), {"channel": "visit"})
        .content.decode()
    )

    assert visit.tracking_code in page
    assert letter.tracking_code not in page


@pytest.mark.parametrize("rows", [1, 50])
def test_the_queue_costs_the_same_for_1_and_50_rows(
    client_as, make_complaint, django_assert_num_queries, rows
):
    for _ in range(rows):
        make_complaint(received_on=d("2025-03-03"))
    client = client_as("supervisor")

    # session, user, the user's organisation (scoping); the pager's count; the stage counts
    # (one grouped query); the notification bell; the filter's handler choices; the page's
    # rows (subject and handler joined, deadlines annotated). The organisation filter is a
    # searchable picker that lists none until one is chosen: 9 - 1.
    with django_assert_num_queries(8):
        response = client.get(reverse("supervision:complaint-list"))
    assert response.status_code == 200


# --- The matter page: moves, bad input ------------------------------------------------------


def test_a_second_extension_is_refused_with_a_message(client_as, make_complaint, supervisor):
    complaint = handle(
        make_complaint(received_on=d("2025-03-03")),
        supervisor,
        accepted_on=datetime.date.today() - datetime.timedelta(days=5),
        until="investigating",
        today=datetime.date.today(),
    )
    client = client_as("supervisor")
    url = reverse("supervision:complaint-action", args=[complaint.pk, "extend"])
    data = {
        "extend-days": "20",
        "extend-reason": "需要补充调查。",
        "extend-approved_by": supervisor.pk,
        "extend-extended_on": datetime.date.today().isoformat(),
    }
    assert client.post(url, data).status_code == 302

    response = client.post(url, {**data, "extend-days": "5"})

    # the form is no longer offered; posting anyway explains why and changes nothing
    assert response.status_code == 200
    assert "only one extension" in response.content.decode() or "只能延期一次" in (
        response.content.decode()
    )
    assert Complaint.objects.get(pk=complaint.pk).extension_days == 20


def test_the_extension_form_names_the_configured_longest_extension(
    client_as, make_complaint, supervisor
):
    # given an administrator set the longest extension to 20 days
    HandlingRules.objects.update_or_create(pk=1, defaults={"max_extension_days": 20})
    complaint = handle(
        make_complaint(received_on=d("2025-03-03")),
        supervisor,
        accepted_on=datetime.date.today() - datetime.timedelta(days=5),
        until="investigating",
        today=datetime.date.today(),
    )

    page = client_as("supervisor").get(reverse("supervision:complaint-detail", args=[complaint.pk]))

    # then the form's title says 20 days, not the regulation's default 30
    header = re.search(
        r'id="action-extend"><div class="card-header">([^<]*)<', page.content.decode()
    )
    assert "20" in header.group(1) and "30" not in header.group(1)


def test_the_matter_page_states_the_configured_limits_not_the_defaults(client_as, make_complaint):
    # given an administrator set 20 days to decide on acceptance
    HandlingRules.objects.update_or_create(pk=1, defaults={"accept_days": 20})
    complaint = make_complaint(received_on=d("2025-03-03"))

    page = client_as("supervisor").get(reverse("supervision:complaint-detail", args=[complaint.pk]))

    # then the page shows 24 March (20 days end on Sunday 23 March, the limit moves to the
    # Monday) and no longer labels it with the default "15 days"
    text = page.content.decode()
    assert "2025-03-24" in text
    assert "15日" not in text and "15 days" not in text


def test_an_unknown_action_is_not_found(client_as, make_complaint):
    complaint = make_complaint(received_on=d("2025-03-03"))

    response = client_as("supervisor").post(
        reverse("supervision:complaint-action", args=[complaint.pk, "teleport"])
    )

    assert response.status_code == 404


def test_closing_without_a_reply_is_refused_with_a_message(client_as, make_complaint):
    complaint = make_complaint(received_on=d("2025-03-03"))

    response = client_as("supervisor").post(
        reverse("supervision:complaint-action", args=[complaint.pk, "close"]),
        {"close-closed_on": "2025-03-04"},
    )

    assert response.status_code == 200
    assert Complaint.objects.get(pk=complaint.pk).status == Status.RECEIVED


# --- The reporter's identity ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "leader"])
def test_a_refused_reveal_of_the_reporter_leaves_no_trace(client_as, make_complaint, role):
    from portal.models import RevealLog

    complaint = make_complaint(received_on=d("2025-03-03"))

    response = client_as(role).post(reverse("supervision:complaint-reveal", args=[complaint.pk]))

    assert response.status_code == 403
    assert "举报人甲" not in response.content.decode()
    assert "13900000000" not in response.content.decode()
    assert not RevealLog.objects.exists()


def test_the_matter_page_masks_the_identity_and_records_each_reveal(client_as, make_complaint):
    complaint = make_complaint(received_on=d("2025-03-03"))
    client = client_as("supervisor")

    page = client.get(reverse("supervision:complaint-detail", args=[complaint.pk]))
    assert "举报人甲" not in page.content.decode()

    url = reverse("supervision:complaint-reveal", args=[complaint.pk])
    shown = client.post(url).content.decode()
    client.post(url)

    assert "举报人甲" in shown and "13900000000" in shown
    logs = RevealLog.objects.filter(object_id=str(complaint.reporter.pk))
    assert logs.count() == 2
    assert {log.user.username for log in logs} == {"supervisor"}


# --- /track/ --------------------------------------------------------------------------------


def test_the_requester_sees_the_stage_and_dates_only(client, make_complaint):
    complaint = make_complaint(received_on=d("2025-03-03"))

    page = client.post(
        reverse("track:lookup"),
        {"code": complaint.tracking_code.lower(), "secret": complaint.secret},
    ).content.decode()

    assert complaint.get_status_display() in page or "已登记" in page
    assert "2025-03-18" in page  # the acceptance decision is due
    assert complaint.summary not in page
    assert complaint.description not in page
    assert "举报人甲" not in page


def test_a_wrong_pair_answers_the_same_whether_or_not_the_code_exists(client, make_complaint):
    complaint = make_complaint(received_on=d("2025-03-03"))

    known = client.post(
        reverse("track:lookup"), {"code": complaint.tracking_code, "secret": "AAAA-AAAA"}
    )
    unknown = client.post(reverse("track:lookup"), {"code": "XF2025-ZZZZZ", "secret": "AAAA-AAAA"})

    assert known.status_code == unknown.status_code == 200

    def page(response, code):
        # the same page but for the code typed back into the form and the CSRF tokens
        html = response.content.decode().replace(code, "")
        return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", html)

    assert page(known, complaint.tracking_code) == page(unknown, "XF2025-ZZZZZ")


def test_repeated_wrong_tries_are_slowed_then_refused(client, make_complaint, monkeypatch):
    complaint = make_complaint(received_on=d("2025-03-03"))
    delays = []
    monkeypatch.setattr(throttle.time, "sleep", delays.append)
    wrong = {"code": "XF2025-ZZZZZ", "secret": "AAAA-AAAA"}

    for _ in range(throttle.SLOW_AFTER):
        client.post(reverse("track:lookup"), wrong)
    assert delays == []
    client.post(reverse("track:lookup"), wrong)
    assert delays == [throttle.DELAY_SECONDS]
    for _ in range(throttle.REFUSE_AFTER - throttle.SLOW_AFTER - 1):
        client.post(reverse("track:lookup"), wrong)

    # now even the right pair is refused for a while
    response = client.post(
        reverse("track:lookup"), {"code": complaint.tracking_code, "secret": complaint.secret}
    )
    assert response.status_code == 429
    # another address is not affected
    other = client.post(
        reverse("track:lookup"),
        {"code": complaint.tracking_code, "secret": complaint.secret},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 200
    assert 'id="track-status"' in other.content.decode()


def test_the_lookup_still_answers_when_redis_is_down(client, make_complaint, settings, caplog):
    complaint = make_complaint(received_on=d("2025-03-03"))
    # Redis is unreachable: nothing listens on port 1 (the limiter and the cache alike)
    down = "redis://127.0.0.1:1/0"
    caches = {"default": {**settings.CACHES["default"], "LOCATION": down}}
    wrong = {"code": "XF2025-ZZZZZ", "secret": "AAAA-AAAA"}

    with override_settings(REDIS_URL=down, CACHES=caches):
        response = client.post(
            reverse("track:lookup"), {"code": complaint.tracking_code, "secret": complaint.secret}
        )
        # wrong tries are answered as usual (not counted, so not refused)
        wrong_statuses = {
            client.post(reverse("track:lookup"), wrong).status_code
            for _ in range(throttle.REFUSE_AFTER + 1)
        }

    assert response.status_code == 200
    assert 'id="track-status"' in response.content.decode()
    assert wrong_statuses == {200}
    # and the log says why
    assert "Redis unavailable" in caplog.text


def test_the_requester_rates_the_handling_after_the_reply(client, make_complaint, supervisor):
    from supervision import services

    complaint = make_complaint(received_on=d("2025-03-03"))
    secret = complaint.secret
    complaint = handle(complaint, supervisor, accepted_on=d("2025-03-10"))
    services.complaint_reply(
        complaint=complaint,
        user=supervisor,
        reply="已核实。",
        replied_on=d("2025-04-01"),
        today=d("2025-04-01"),
    )

    response = client.post(
        reverse("track:rate"), {"code": complaint.tracking_code, "secret": secret, "rating": "4"}
    )

    assert response.status_code == 200
    assert Complaint.objects.get(pk=complaint.pk).rating == 4
