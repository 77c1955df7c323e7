"""One tap, one record: every form that creates something carries a one-time submission key.

The key is issued when the form is rendered (`{% submission_key %}` in the form, the
`Idempotency-Key` header for API clients and the offline queue). `@once_per_key` wraps the
view's POST in one transaction that first inserts the key (primary key: a second request with
the same key blocks on the index until the first commits), then runs the view:

- the view redirects (success): the key row keeps that address and the messages the view
  added, and commits together with the record;
- the view answers anything else (the form with errors): the transaction is rolled back, key
  included, so the corrected form can be sent again with the same key;
- the key is already recorded (a double tap, a resent POST, a retried offline send): nothing
  runs; the first result's messages and redirect are answered again.

A POST without a key (scripts, old clients) runs as before. Keys are kept for
SUBMISSION_KEEP_DAYS (default 30: longer than a phone stays offline with queued forms), then
purged daily (`purge`, scheduled in portal/schedule.py). Business duplicates (two meetings
of one branch on one day) are a separate rule, enforced in the services.
"""

from __future__ import annotations

import datetime
import functools
import uuid

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Submission

FIELD = "submission_key"
HEADER = "HTTP_IDEMPOTENCY_KEY"


def key_from(request) -> uuid.UUID | None:
    """The submission key the request carries (form field or header), if it is a valid one."""
    raw = request.POST.get(FIELD) or request.META.get(HEADER) or ""
    try:
        return uuid.UUID(str(raw).strip())
    except ValueError:
        return None


def new_key() -> str:
    return str(uuid.uuid4())


def purge(*, now: datetime.datetime | None = None) -> int:
    """Forget the keys older than SUBMISSION_KEEP_DAYS; answers how many were deleted."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.SUBMISSION_KEEP_DAYS)
    deleted, _by_model = Submission.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def _queued(request) -> list:
    # Messages added during this request. The storage keeps them in `_queued_messages` until
    # the response is processed (stable since Django 1.2; there is no public accessor).
    storage = messages.get_messages(request)
    return list(getattr(storage, "_queued_messages", []))


def _replay(request, submission: Submission):
    for level, text in submission.messages:
        messages.add_message(request, level, text)
    return redirect(submission.location)


def once_per_key(view):
    """Make a creating view's POST take effect at most once per submission key."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        key = key_from(request) if request.method == "POST" else None
        if key is None or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    submission = Submission.objects.create(key=key, user=request.user)
            except IntegrityError:
                submission = None
            if submission is None:
                done = Submission.objects.filter(key=key).first()
                if done is None or done.user_id != request.user.pk:
                    messages.error(
                        request,
                        _("This form was already used; please fill it in again."),
                    )
                    return redirect(request.get_full_path())
                return _replay(request, done)

            before = len(_queued(request))
            response = view(request, *args, **kwargs)
            if not isinstance(response, HttpResponseRedirect):
                transaction.set_rollback(True)
                return response
            submission.location = response["Location"]
            submission.messages = [
                [message.level, str(message.message)] for message in _queued(request)[before:]
            ]
            submission.save(update_fields=["location", "messages"])
            return response

    return wrapper
