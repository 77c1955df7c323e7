"""Every log line carries the request's id, which the response echoes; JSON lines in production."""

import json
import logging
import re

import pytest

from portal import logs
from tests.portal.production import container_env, run_python


@pytest.fixture
def captured():
    """The console handler as the settings build it, writing to a list."""
    lines = []

    class ListHandler(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = ListHandler()
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(logging.Formatter(logs.TEXT_FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    yield lines
    root.removeHandler(handler)


@pytest.mark.django_db
def test_a_request_gets_an_id_echoed_in_the_response_and_its_log_lines(client, captured):
    response = client.get("/no-such-page/")
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    # Django's "Not Found" line is written after the middleware returned: it has the id too
    [line] = [line for line in captured if "Not Found: /no-such-page/" in line]
    assert f"[{request_id}]" in line
    # and the next request gets another id
    assert client.get("/no-such-page/")["X-Request-ID"] != request_id


@pytest.mark.django_db
def test_the_proxys_id_is_kept(client, captured):
    response = client.get("/no-such-page/", headers={"X-Request-ID": "f00dfeed12345678"})
    assert response["X-Request-ID"] == "f00dfeed12345678"
    assert any("[f00dfeed12345678]" in line for line in captured)


@pytest.mark.django_db
def test_an_id_that_does_not_look_like_one_is_replaced(client, captured):
    forged = "x] ERROR forged line\nINFO"
    response = client.get("/no-such-page/", headers={"X-Request-ID": forged})
    assert response["X-Request-ID"] != forged
    assert not any("forged" in line for line in captured)


def test_outside_a_request_the_id_is_a_dash(captured):
    logging.getLogger("portal.test").warning("no request here")
    assert captured[-1].endswith("WARNING portal.test [-] no request here")


@pytest.mark.django_db
def test_production_writes_one_json_object_per_line_to_stdout():
    code = """
import django, logging
django.setup()
logging.getLogger("portal.test").error("一条消息 %s", 42)
"""
    result = run_python(code, container_env("web"))
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stderr.splitlines() if "portal.test" in line]
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "portal.test"
    assert entry["message"] == "一条消息 42"
    assert entry["request_id"] == "-"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", entry["time"])


@pytest.mark.django_db
def test_a_calendar_token_never_reaches_the_log(client, captured):
    # a feed address with a wrong (or revoked) token: Django logs the path it did not find
    response = client.get("/calendar/Zq7SecretToken0123456789.ics?token=Zq7SecretToken0123456789")
    assert response.status_code == 404
    [line] = [line for line in captured if "Not Found" in line]
    assert "/calendar/[redacted].ics" in line
    assert "Zq7SecretToken" not in "\n".join(captured)
