"""A request body above REQUEST_MAX_BODY_MB is refused with a message, before it is read."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.roles import Role

MB = 1024 * 1024


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.user(Role.STAFF))
    return client


@pytest.fixture
def form_url(world):
    """A create form with an upload field (the meeting's sign-in sheet)."""
    return reverse("grassroots:meeting-create", kwargs={"pk": world.branch_a1.pk})


def post_with_length(client: Client, path: str, length: int, **headers):
    """A POST announcing `length` bytes; the middleware refuses on the header alone, so the
    body itself can stay small (a real client would still be sending it)."""
    return client.generic(
        "POST",
        path,
        b"x" * 16,
        content_type="multipart/form-data; boundary=xyz",
        headers={"Content-Length": str(length), **headers},
    )


def test_a_body_over_the_cap_is_refused_with_a_chinese_message(staff_client, form_url, settings):
    settings.REQUEST_MAX_BODY_MB = 25
    response = post_with_length(staff_client, form_url, 25 * MB + 1)
    assert response.status_code == 413
    page = response.content.decode()
    assert "25 MB" in page
    assert "一次提交的内容超过" in page
    assert response["Connection"] == "close"


def test_the_message_follows_the_browsers_language(staff_client, form_url, settings):
    settings.REQUEST_MAX_BODY_MB = 25
    response = post_with_length(staff_client, form_url, 30 * MB, **{"Accept-Language": "en"})
    assert response.status_code == 413
    assert "larger than 25 MB" in response.content.decode()


def test_an_api_client_gets_the_message_as_json(client, settings):
    settings.REQUEST_MAX_BODY_MB = 1
    response = post_with_length(client, "/accounts/login/", 2 * MB, Accept="application/json")
    assert response.status_code == 413
    assert "1 MB" in response.json()["error"]


def test_signed_out_pages_are_capped_too(client, settings):
    settings.REQUEST_MAX_BODY_MB = 1
    assert post_with_length(client, "/track/", 2 * MB).status_code == 413


def test_a_body_at_the_cap_goes_through_to_the_page(staff_client, form_url, settings):
    # given a cap of 1 MB and a form of exactly 1 MB: it reaches the view (which then
    # answers the form as usual: 200 with its errors, not 413)
    settings.REQUEST_MAX_BODY_MB = 1
    body = b"a=" + b"x" * (MB - 2)
    response = staff_client.generic(
        "POST",
        form_url,
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_a_malformed_length_is_refused_too(client):
    response = post_with_length(client, "/accounts/login/", 0, **{"Content-Length": "lots"})
    assert response.status_code == 413
