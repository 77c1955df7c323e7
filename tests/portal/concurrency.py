"""Sending one form several times at the same moment, as a double tap on a slow line does."""

import re
import threading

from django.db import connections
from django.test import Client

TIMES = 8
KEY = re.compile(r'name="submission_key" value="([0-9a-f-]{36})"')


def clients_for(user, times: int = TIMES) -> list[Client]:
    clients = []
    for _ in range(times):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def form_key(client, url) -> str:
    """The one-time key of the form at `url`, as the browser received it."""
    page = client.get(url)
    assert page.status_code == 200
    found = KEY.search(page.content.decode())
    assert found, f"the form at {url} carries no submission key"
    return found.group(1)


def send_together(clients, url, data) -> list:
    """POST to `url` from every client at once (a barrier releases the threads together).

    `data` is a dict, or a callable returning a fresh one per request (uploaded files are
    read once, so each request needs its own)."""
    start = threading.Barrier(len(clients))
    responses = [None] * len(clients)

    def send(index):
        try:
            body = data() if callable(data) else data
            start.wait()
            responses[index] = clients[index].post(url, body)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(r is not None for r in responses), "a request did not finish"
    return responses
