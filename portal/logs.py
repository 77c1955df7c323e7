"""Request ids and the log format (LOG_FORMAT: json, the production default, or text).

Each request gets an id: the one nginx (or another proxy) sent in X-Request-ID when it looks
like an id, else a new one. It is on every log line written while the request is served, in
the response's X-Request-ID header, and in gunicorn's access log (gunicorn.conf.py), so one
id finds a user's complaint in every log. A Celery task's lines carry the task's id instead.

This module is read by the settings (LOGGING): it imports no model.
"""

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.signals import request_finished

NO_REQUEST = "-"
request_id: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)
# What a proxy's id may look like (nginx's $request_id is 32 hex digits; a UUID has dashes);
# anything else (too long, spaces, a forged log line) is replaced, never written to a log.
ACCEPTED = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.META.get("HTTP_X_REQUEST_ID", "")
        value = sent if ACCEPTED.fullmatch(sent) else uuid.uuid4().hex
        request.request_id = value
        # Left set until the response is finished: Django logs a 4xx/5xx answer after the
        # middleware chain has returned (django.request's log_response).
        request_id.set(value)
        response = self.get_response(request)
        response["X-Request-ID"] = value
        return response


def _forget(**kwargs):
    request_id.set(NO_REQUEST)


request_finished.connect(_forget, dispatch_uid="portal.logs.forget")


def current_id() -> str:
    value = request_id.get()
    if value != NO_REQUEST:
        return value
    try:  # in a Celery worker: the task's id
        from celery._state import get_current_task

        task = get_current_task()
    except ImportError:  # pragma: no cover - celery is a production dependency
        return NO_REQUEST
    return (task.request.id or NO_REQUEST) if task is not None else NO_REQUEST


# Secrets a URL can carry: a calendar feed's token is its path (/calendar/<token>.ics) and
# opens the user's deadlines; any token=, key= or signature= query value; a bearer credential.
REDACTED = "[redacted]"
SECRETS = [
    (re.compile(r"(/calendar/)[^/?#\s]+(\.ics)"), rf"\1{REDACTED}\2"),
    (re.compile(r"(?i)([?&;](?:[\w.-]*token|key|signature)=)[^&;#\s\"']*"), rf"\1{REDACTED}"),
    (re.compile(r"(?i)\b(Bearer|Basic) [A-Za-z0-9._~+/=-]{8,}"), rf"\1 {REDACTED}"),
]


def redact(value: str) -> str:
    for pattern, replacement in SECRETS:
        value = pattern.sub(replacement, value)
    return value


class RequestIdFilter(logging.Filter):
    """Puts `request_id` on every record a handler writes, and takes the secrets out of it
    (Django's "Not Found: /calendar/<token>.ics" names the path)."""

    def filter(self, record):
        record.request_id = current_id()
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            if isinstance(record.args, tuple):
                record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
            elif isinstance(record.args, dict):
                record.args = {
                    k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
                }
        return True


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: what a log collector (Loki, Elasticsearch) indexes as is."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", NO_REQUEST),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def logging_config(*, level: str, fmt: str) -> dict:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "portal.logs.RequestIdFilter"}},
        "formatters": {
            "text": {"format": TEXT_FORMAT},
            "json": {"()": "portal.logs.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": fmt,
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.db.backends": {"level": "INFO"}},
    }
