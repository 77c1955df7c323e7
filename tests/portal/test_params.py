"""Parameters read by hand (portal/params.py): a bad value is ignored with a message in the
user's language, the page answers as without it. tests/portal/test_hostile_input.py sends
hostile values to every URL; this file checks what the user reads."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.session import SessionStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from portal import params

pytestmark = pytest.mark.django_db

IGNORED_ZH = "未能识别"  # "was not understood"


def _request(query: dict | str = "", *, htmx: bool = False):
    if isinstance(query, str):
        request = RequestFactory().get(f"/?{query}")
    else:
        request = RequestFactory().get("/", query)
    request.session = SessionStore()
    request._messages = SessionStorage(request)
    request.htmx = htmx
    return request


def _messages(request) -> list[str]:
    return [str(message) for message in get_messages(request)]


@pytest.mark.parametrize(
    "raw",
    ["2026-02-30", "2026-13-01", "abc", "2026-02-28\x00", "9" * 5000, "１２３"],
)
def test_a_bad_date_is_the_default_with_a_message(raw):
    today = datetime.date(2026, 3, 1)
    request = _request({"day": raw})
    with translation.override("zh-hans"):
        assert params.date(request, "day", today, label="日期") == today
        (message,) = _messages(request)
    assert IGNORED_ZH in message and "日期" in message


def test_a_good_date_is_read_and_an_absent_one_is_the_default():
    today = datetime.date(2026, 3, 1)
    assert params.date(_request({"day": "2024-02-29"}), "day", today) == datetime.date(2024, 2, 29)
    request = _request()
    assert params.date(request, "day", today) == today
    assert params.date(_request({"day": ""}), "day", today) == today
    assert _messages(request) == []


def test_an_array_where_one_value_is_expected_is_ignored_with_a_message():
    request = _request("stage=draft&stage=all")
    with translation.override("en"):
        assert params.choice(request, "stage", [("all", "All"), ("draft", "Draft")]) == ""
        (message,) = _messages(request)
    assert "Give one value only" in message


def test_an_unknown_choice_is_ignored_with_a_message():
    request = _request({"stage": "'; DROP TABLE"})
    assert params.choice(request, "stage", [("all", "All")], "") == ""
    assert len(_messages(request)) == 1


@pytest.mark.parametrize("raw", ["99999999999999999999999", "-5", "1.5", "1e400", "NaN", "x"])
def test_integers_out_of_range_or_not_numbers_are_refused(raw):
    request = _request({"n": raw})
    assert params.integer(request, "n", 7, min_value=0) == 7
    assert len(_messages(request)) == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3", 3), ("", 1), ("abc", 1), ("-2", 1), ("0", 1), ("9" * 30, params.MAX_PAGE)],
)
def test_the_page_number_is_clamped_quietly(raw, expected):
    request = _request({"page": raw})
    assert params.page(request) == expected
    assert _messages(request) == []


def test_ids_are_positive_integers_or_none():
    assert params.ids(_request("id=3&id=5,8"), "id") == [3, 5, 8]
    request = _request("id=3&id=x")
    assert params.ids(request, "id") == []
    assert len(_messages(request)) == 1


def test_a_fragment_request_gets_no_message_it_could_not_show():
    request = _request({"day": "2026-02-30"}, htmx=True)
    assert params.date(request, "day", None) is None
    assert _messages(request) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/cadres/", "/cadres/"),
        ("abc", "/home/"),  # not a path: redirect("abc") would look for a view named so
        ("99999999999999999999", "/home/"),
        ("https://elsewhere.example/", "/home/"),
        ("//elsewhere.example/", "/home/"),
        ("/x\x00y", "/home/"),
        ("/x\r\nSet-Cookie: a=b", "/home/"),
    ],
)
def test_next_is_a_path_of_this_site_or_the_default(raw, expected):
    assert params.next_url(_request({"next": raw}), "/home/") == expected


# --- On the pages ---------------------------------------------------------------------------


def test_the_compliance_page_on_an_impossible_day_shows_today_and_says_so(client_as, world):
    client = client_as("staff")
    url = reverse("grassroots:organization-compliance", kwargs={"pk": world.county.pk})
    response = client.get(url, {"day": "2025-02-30"})
    assert response.status_code == 200
    page = response.content.decode()
    assert IGNORED_ZH in page
    assert response.context["day"] == timezone.localdate()


def test_an_unknown_appointment_stage_shows_those_in_progress_and_says_so(client_as, world):
    client = client_as("staff")
    response = client.get(reverse("cadres:appointment-list"), {"stage": "nonsense"})
    assert response.status_code == 200
    assert IGNORED_ZH in response.content.decode()
    assert response.context["stage"] == ""
    every = client.get(reverse("cadres:appointment-list"), {"stage": "all"})
    assert every.context["stage"] == "all"
    assert IGNORED_ZH not in every.content.decode()


def test_an_unknown_filter_of_the_officials_list_is_ignored_with_a_message(client_as, world):
    client = client_as("staff")
    response = client.get(reverse("poverty:official-list"), {"show": ["overdue", "under_quota"]})
    assert response.status_code == 200
    assert IGNORED_ZH in response.content.decode()
    assert response.context["show"] == ""


def test_a_page_number_no_column_holds_shows_the_last_page(client_as, world):
    client = client_as("staff")
    response = client.get(reverse("reminders:my-deadlines"), {"page": "9" * 30})
    assert response.status_code == 200


def test_a_next_that_is_no_path_goes_home_after_the_second_factor_step(client_as, world):
    client = client_as("staff")
    response = client.get(reverse("signin:two-factor-verify"), {"next": "abc"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
