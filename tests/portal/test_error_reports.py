"""Error reports (SENTRY_DSN) reach the server without ID numbers or reporters' identities.

A local HTTP server stands in for the Sentry-compatible server (GlitchTip, Sentry): the real
SDK, loaded by the settings as in production, sends its envelopes to it.
"""

import gzip
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from portal.errorreports import scrub
from tests.portal.production import container_env, run_python

ID_NUMBER = "110105194912310025"


@pytest.fixture
def sentry_server():
    received: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            encoding = self.headers.get("Content-Encoding", "")
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "deflate":
                body = zlib.decompress(body)
            elif encoding == "br":
                import brotli

                body = brotli.decompress(body)
            received.append(body)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://publickey@127.0.0.1:{server.server_port}/1", received
    server.shutdown()


REPORT = f"""
import django, logging
django.setup()
import sentry_sdk
sentry_sdk.set_context("complaint", {{"reporter": {{"name": "举报人甲", "contact": "13900000000"}}}})
try:
    raise ValueError("no member with ID number {ID_NUMBER}")
except ValueError:
    logging.getLogger("portal.test").exception("import row 7 failed for {ID_NUMBER}")
sentry_sdk.flush(timeout=10)
"""


@pytest.mark.django_db
def test_a_logged_error_reaches_the_server_scrubbed(sentry_server):
    dsn, received = sentry_server
    result = run_python(REPORT, container_env("web", SENTRY_DSN=dsn))
    assert result.returncode == 0, result.stderr
    assert received, "the SDK sent nothing"
    sent = b"".join(received).decode("utf-8", errors="replace")
    # the error arrived, with the ID number masked and the reporter's identity filtered
    assert "import row 7 failed for **************0025" in sent
    assert "no member with ID number **************0025" in sent
    assert ID_NUMBER not in sent
    assert "举报人甲" not in sent and "13900000000" not in sent


@pytest.mark.django_db
def test_without_a_dsn_nothing_is_loaded():
    code = "import django, sys; django.setup(); print('sentry_sdk' in sys.modules)"
    result = run_python(code, container_env("web"))
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_what_the_scrubber_takes_out():
    event = {
        "message": f"身份证号 {ID_NUMBER}，旧号 110105491231002",
        "extra": {"id_number": "anything", "rows": [{"name": "张三", "org": "甲村"}]},
        "tags": {"order": "12345678901234567890"},  # a longer number is not an ID number
    }
    assert scrub(event) == {
        "message": "身份证号 **************0025，旧号 ***********1002",
        "extra": {"id_number": "[Filtered]", "rows": [{"name": "[Filtered]", "org": "甲村"}]},
        "tags": {"order": "12345678901234567890"},
    }
