"""Request parameters read outside a form: one way, through a form field, with a message.

A view that reads a value from the query string (or a POST body) by hand reads it here. Each
reader runs the value through the matching Django form field's `clean()`, so a well-formed but
impossible date ("2026-02-30"), a number that is not one or no column can hold, an unknown
choice, a NUL byte, an over-long string or an array where one value is expected is a
`ValidationError`, never a 500. The page then goes on with the default (the filter is
ignored) and tells the user, in their language, which value it did not understand.

    day = params.date(request, "day", today, label=_("Day"))
    stage = params.choice(request, "stage", Stage.choices, "")
    page = params.page(request)

Forms and django-filter filtersets need none of this: their fields already clean each value
and show the error beside the field.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

# Longer than any value a page's own links carry; anything longer is not ours.
MAX_LENGTH = 200
# Beyond this page of any list the page is the last one anyway; the bound keeps the OFFSET a
# list computes from it inside a bigint.
MAX_PAGE = 1_000_000
# The largest id of a bigint primary key.
MAX_ID = 2**63 - 1


def _source(request, source: QueryDict | None) -> QueryDict:
    if source is not None:
        return source
    return request.POST if request.method == "POST" else request.GET


def _ignored(request, name: str, label, error: ValidationError | None) -> None:
    # No request (an export written in the background reads the list's saved query): nobody
    # to tell. A fragment (htmx) shows no messages: one queued there would surface on the next
    # page, where it would make no sense.
    if request is None or getattr(request, "htmx", False):
        return
    reason = " ".join(error.messages) if error is not None else _("Give one value only.")
    messages.warning(
        request,
        _("The value given for “%(name)s” was not understood and is ignored: %(reason)s")
        % {"name": label or name, "reason": reason},
    )


def read(
    request,
    name: str,
    field: forms.Field,
    default: Any = None,
    *,
    label=None,
    source: QueryDict | None = None,
    quiet: bool = False,
) -> Any:
    """The parameter `name` cleaned by `field`, or `default` when it is absent, empty or bad
    (bad: with a message naming `label`, unless `quiet`)."""
    values = _source(request, source).getlist(name)
    if not values or all(value in ("", None) for value in values):
        return default
    if len(values) > 1:
        if not quiet:
            _ignored(request, name, label, None)
        return default
    field.required = False
    try:
        value = field.clean(values[0])
    except ValidationError as error:
        if not quiet:
            _ignored(request, name, label, error)
        return default
    return default if value in (None, "") else value


def date(request, name: str, default: datetime.date | None = None, **options):
    """A day written YYYY-MM-DD (or any format the date field takes)."""
    return read(request, name, forms.DateField(), default, **options)


def integer(
    request,
    name: str,
    default: int | None = None,
    *,
    min_value: int | None = None,
    max_value: int | None = MAX_ID,
    **options,
):
    return read(
        request,
        name,
        forms.IntegerField(min_value=min_value, max_value=max_value),
        default,
        **options,
    )


def choice(request, name: str, choices: Iterable, default: str = "", **options) -> str:
    """One of `choices` (a TextChoices' .choices, or (value, label) pairs)."""
    return read(request, name, forms.ChoiceField(choices=list(choices)), default, **options)


def text(request, name: str, default: str = "", *, max_length: int = MAX_LENGTH, **options):
    return read(request, name, forms.CharField(max_length=max_length), default, **options)


def ids(request, name: str, **options) -> list[int]:
    """Record ids given as ?name=1&name=2 (or 1,2): all positive integers, else none."""
    values = _source(request, options.pop("source", None)).getlist(name)
    field = forms.IntegerField(min_value=1, max_value=MAX_ID)
    try:
        return [
            field.clean(part) for value in values for part in str(value).split(",") if part.strip()
        ]
    except ValidationError as error:
        if not options.get("quiet"):
            _ignored(request, name, options.get("label"), error)
        return []


def page(request, name: str = "page") -> int:
    """A list's page number, for Paginator.get_page(): 1 when absent or not a number, no
    larger than MAX_PAGE (get_page then shows the last page). Quiet: a page link is ours."""
    number = integer(request, name, 1, min_value=1, max_value=None, quiet=True)
    return min(number, MAX_PAGE)


def next_url(request, default: str) -> str:
    """Where to go on to (?next= or the form's next): a path of this site, else `default`."""
    target = read(request, "next", forms.CharField(max_length=2000), "", quiet=True)
    if (
        target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and not any(ord(character) < 32 for character in target)
    ):
        return target
    return default
