"""The client's address behind a configured number of reverse proxies, and everything that
records or limits by it: reveals, the audit trail, /track/'s limit."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from portal.clientip import client_ip
from portal.models import RevealLog
from supervision import throttle
from tests.grassroots.factories import PartyMemberFactory

CLIENT = "203.0.113.7"
PROXY = "10.1.2.3"


def request(remote=PROXY, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxies_the_peer_is_the_client_and_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(remote=CLIENT, forwarded="198.51.100.1")) == CLIENT


def test_behind_one_proxy_the_client_is_the_address_the_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(forwarded=CLIENT)) == CLIENT


def test_an_address_the_client_wrote_itself_does_not_win(settings):
    # given a client that sends its own X-Forwarded-For; the proxy appends what it saw
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(forwarded=f"198.51.100.1, {CLIENT}")) == CLIENT
    assert client_ip(request(forwarded=f"127.0.0.1,::1 , {CLIENT}")) == CLIENT


def test_behind_two_proxies_the_second_address_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request(forwarded=f"198.51.100.1, {CLIENT}, 10.9.9.9")) == CLIENT


@pytest.mark.parametrize(
    "forwarded",
    ["", "not-an-address", "999.1.1.1", ", ,", "<script>", "203.0.113.7:8080"],
)
def test_a_missing_or_bad_header_falls_back_to_the_peer(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(forwarded=forwarded)) == PROXY


def test_a_header_shorter_than_the_proxy_chain_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request(forwarded=CLIENT)) == PROXY


def test_ipv6_addresses_are_normalised(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request(forwarded="2001:DB8:0:0::1")) == "2001:db8::1"


# --- the callers ---------------------------------------------------------------------------


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"198.51.100.1, {CLIENT}"}


def test_a_reveal_records_the_clients_address_not_the_proxys(client_as, world, behind_one_proxy):
    member = PartyMemberFactory(branch=world.branch_a1)
    client = client_as("staff")

    client.post(reverse("grassroots:member-reveal", kwargs={"pk": member.pk}), **behind_one_proxy)

    assert RevealLog.objects.get().ip_address == CLIENT


def test_the_audit_trail_records_the_clients_address(client_as, world, behind_one_proxy):
    # when an administrator unlocks a user's sign-in (an audited change) behind the proxy
    secretary = world.user("secretary")
    client_as("admin").post(
        reverse("admin:portal_user_changelist"),
        {"action": "unlock_signin", "_selected_action": [secretary.pk]},
        **behind_one_proxy,
    )
    # then the audit event names the administrator and the client's address
    event = secretary.security_events.get()
    assert event.pgh_label == "signin_unlocked"
    assert event.pgh_context.metadata["user"] == world.user("admin").pk
    assert event.pgh_context.metadata["ip"] == CLIENT


@pytest.fixture
def _clean_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.usefixtures("_clean_limits")
def test_track_limit_counts_the_client_whatever_it_writes_in_the_header(
    client, db, behind_one_proxy
):
    wrong = {"code": "XF2025-ZZZZZ", "secret": "AAAA-AAAA"}
    # given a client that sends a different forged address with each wrong try
    for n in range(throttle.REFUSE_AFTER):
        client.post(
            reverse("track:lookup"),
            wrong,
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, {CLIENT}",
        )
    # then its next try is refused all the same
    refused = client.post(reverse("track:lookup"), wrong, **behind_one_proxy)
    assert refused.status_code == 429
    # while another client behind the same proxy is not
    other = client.post(
        reverse("track:lookup"), wrong, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.99"
    )
    assert other.status_code == 200
