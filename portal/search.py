"""The one search box of the navigation bar (issue #11): people, organisations and matters,
each kind found by the app that owns it.

Each app registers its kinds in `<app>/search.py` with register(SearchKind(...)), as it
registers its home card (portal/areas.py); the core reads the query once, asks every kind the
user's role may use, and never imports an app's models. A kind finds rows only through its
model's `visible_to(user)` and its existing `search()` rule (name, pinyin initials), shows a
few of them (LIMIT, so the answer's cost does not grow with the county) and never shows an ID
number or a reporter: a person's line carries the masked number at most.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

# Rows shown per kind: the box answers "where is it", the kind's list shows the rest.
LIMIT = 8
MAX_LENGTH = 30


@dataclass(frozen=True)
class Hit:
    label: str
    detail: str
    url: str


@dataclass(frozen=True)
class Query:
    """What the user typed, read once: `text` as typed (trimmed), and what it can be."""

    text: str

    @property
    def id_tail(self) -> str:
        """The last four characters of an ID number, as a masked number shows them
        ("0025", "003X"), or "" when the text is not such a tail."""
        return self.text.upper() if re.fullmatch(r"\d{3}[\dXx]", self.text) else ""

    @property
    def code(self) -> str:
        """A tracking code or a registration number: letters, digits and dashes only."""
        return self.text.upper() if re.fullmatch(r"[A-Za-z0-9-]{4,}", self.text) else ""


@dataclass(frozen=True)
class SearchKind:
    key: str
    order: int
    label: str  # translatable, plural: the group's heading
    allowed: Callable[..., bool]  # allowed(user): may the role search this kind at all
    find: Callable[..., list[Hit]]  # find(user, query, limit)
    # find_all(query) -> the kind's list filtered by the query, for "all results"
    more_url: Callable[..., str] | None = None


_REGISTRY: dict[str, SearchKind] = {}


def register(kind: SearchKind) -> SearchKind:
    _REGISTRY[kind.key] = kind
    return kind


def kinds() -> list[SearchKind]:
    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "search"):
            __import__(f"{config.name}.search")
    return sorted(_REGISTRY.values(), key=lambda kind: kind.order)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=MAX_LENGTH,
        required=False,
        strip=True,
        error_messages={
            "max_length": _("Type at most %(limit_value)d characters: a name, initials or a code.")
        },
    )

    def clean_q(self):
        text = " ".join(self.cleaned_data["q"].split())
        if any(ord(char) < 32 or char in "<>\\" for char in text):
            raise forms.ValidationError(
                _("Type letters, digits or Chinese characters: a name, initials or a code.")
            )
        return text


def search(user, text: str) -> list[dict]:
    """Groups of hits, one per kind the user may search, in order; empty groups left out."""
    query = Query(text)
    groups = []
    for kind in kinds():
        if not kind.allowed(user):
            continue
        hits = kind.find(user, query, LIMIT)
        if hits:
            more = kind.more_url(query) if kind.more_url and len(hits) >= LIMIT else None
            groups.append({"key": kind.key, "label": kind.label, "hits": hits, "more": more})
    return groups
