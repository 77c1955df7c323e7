"""/track/'s limit holds when the guesses arrive all at once (a live server, real threads)."""

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

import pytest
from django.core.cache import cache

from supervision import selectors, throttle

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 30


def _post(url: str, token: str, data: dict) -> int:
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(  # noqa: S310 - the live server on localhost
        url, data=body, headers={"Cookie": f"csrftoken={token}"}
    )
    for _ in range(5):
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - localhost
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except (urllib.error.URLError, ConnectionError):
            # The test server's listen queue is short: a connection it dropped before reading
            # the request never reached the portal, so sending it again is the same guess.
            continue
    return 0


def test_thirty_parallel_wrong_guesses_get_at_most_ten_evaluated(live_server, monkeypatch):
    cache.clear()
    # count the guesses the portal actually checks against the database
    evaluated = []
    lock = threading.Lock()
    check = selectors.complaint_for_requester

    def counting_check(code, secret):
        with lock:
            evaluated.append(code)
        return check(code, secret)

    monkeypatch.setattr(selectors, "complaint_for_requester", counting_check)
    url = f"{live_server.url}/track/"
    with urllib.request.urlopen(url, timeout=60) as page:  # noqa: S310 - localhost
        cookie = page.headers["Set-Cookie"]
    token = cookie.split("csrftoken=", 1)[1].split(";", 1)[0]

    # when 30 wrong guesses from one address arrive at the same moment
    start = threading.Barrier(PARALLEL)
    statuses = []

    def guess(n):
        start.wait()
        status = _post(url, token, {"code": f"XF2025-ZZZ{n:02d}", "secret": "AAAA-AAAA"})
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then at most ten were checked; every other one was refused unchecked
    counts = Counter(statuses)
    assert len(statuses) == PARALLEL
    assert len(evaluated) <= throttle.REFUSE_AFTER, (len(evaluated), statuses)
    assert counts[200] == len(evaluated)
    assert counts[429] == PARALLEL - len(evaluated)
    cache.clear()
