"""A mail backend for the worker tests, steered through Redis from the test process.

It writes messages to files like Django's file backend (so the test can count what a
separate worker sent), but first:
  - while the Redis counter `test:mail:fail` is above zero, it decrements it and tries a
    real SMTP connection to a closed local port, which fails as a down server does;
  - it sleeps `test:mail:sleep` seconds, so that a test can kill the worker mid-delivery.
"""

import smtplib
import socket
import time

import redis
from django.conf import settings
from django.core.mail.backends.filebased import EmailBackend

FAIL_KEY = "test:mail:fail"
SLEEP_KEY = "test:mail:sleep"
STARTED_KEY = "test:mail:started"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the socket is


class ControlledFileBackend(EmailBackend):
    def send_messages(self, email_messages):
        control = redis.Redis.from_url(settings.REDIS_URL)
        if control.decr(FAIL_KEY) >= 0:
            smtplib.SMTP("127.0.0.1", closed_port(), timeout=2)  # raises ConnectionRefusedError
        control.incr(STARTED_KEY)
        time.sleep(float(control.get(SLEEP_KEY) or 0))
        return super().send_messages(email_messages)
