"""Error reports to a Sentry-compatible server (SENTRY_DSN), with personal data kept out.

Loaded by the settings only when SENTRY_DSN is set. What could carry an ID number or a
reporter's identity never leaves: no request bodies, cookies or local variables, no user's
details (send_default_pii off), SQL parameters not recorded (the integration's default);
then every string left in the event (messages, exception values, breadcrumbs, tags) has
anything shaped like an ID number masked, and fields named like a reporter's identity or an
ID number are replaced.
"""

import re

# 18 characters (17 digits and a digit or X), or the old 15-digit form; not part of a longer
# number (an order number, a timestamp in microseconds).
ID_NUMBER = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9Xx])")
FILTERED = "[Filtered]"
# Field names whose values are personal wherever they appear (a form's data, an extra).
PERSONAL_KEYS = {
    "id_number",
    "reporter",
    "reporter_name",
    "name",
    "unit",
    "address",
    "contact",
    "phone",
    "password",
    "token",
    "calendar_token",
    "authorization",
    "cookie",
    "sessionid",
    "csrftoken",
}


def scrub(value):
    """The value with personal data removed, recursively (dicts, lists, strings)."""
    if isinstance(value, str):
        return ID_NUMBER.sub(lambda m: "*" * (len(m.group()) - 4) + m.group()[-4:], value)
    if isinstance(value, dict):
        return {
            key: FILTERED if str(key).lower() in PERSONAL_KEYS else scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    return value


def before_send(event, hint):
    request = event.get("request")
    if request:
        # The path stays (which page failed); what was sent and who sent it goes.
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        request["headers"] = {
            k: v
            for k, v in (request.get("headers") or {}).items()
            if k.lower() in {"user-agent", "x-request-id", "host", "accept-language"}
        }
        # /calendar/<token>.ics: the token is a password for the feed.
        if "url" in request:
            request["url"] = re.sub(
                r"/calendar/[^/]+\.ics", "/calendar/[Filtered].ics", request["url"]
            )
    event.pop("user", None)
    return scrub(event)


def before_breadcrumb(crumb, hint):
    return scrub(crumb)


def start(*, dsn: str, environment: str) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=before_send,
        before_breadcrumb=before_breadcrumb,
        # Errors only: no performance tracing traffic to the server.
        traces_sample_rate=0,
    )
