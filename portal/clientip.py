"""The client's address, the one rule for every caller (sign-in lockout, /track/'s limit,
reveals, the audit trail).

Behind N reverse proxies (settings.TRUSTED_PROXY_COUNT), each proxy appends the address it
received the request from to X-Forwarded-For, so the client is the Nth entry from the right:
anything further left was written by the client itself and may be forged. Without proxies
(N = 0), REMOTE_ADDR is the client. A header that is missing, too short or not an address
means the request did not come through the configured proxies: REMOTE_ADDR is used then, as
it cannot be forged.
"""

import ipaddress

from django.conf import settings


def _address(value: str | None) -> str | None:
    """The value as a normalised IP address, or None when it is not one."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = _address(request.META.get("REMOTE_ADDR"))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return _address(forwarded[-proxies]) or remote
