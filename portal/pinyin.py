"""Pinyin initials for searching Chinese names the way users type them ("zsf" for 张三丰)."""

import re

from django.db.models import Q
from pypinyin import Style, lazy_pinyin


def initials(text: str) -> str:
    """Lower-case initials of each character; non-Chinese characters are kept as they are."""
    return "".join(
        part[0]
        for part in lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors="default")
        if part
    ).lower()


# Users type the initials of a syllable the way it is spelled: 赵 as "zh" as often as "z".
_COMPOUND_INITIALS = re.compile(r"zh|ch|sh")


def initials_typed(text: str) -> set[str]:
    """The stored initials a typed prefix may stand for: "zhm" is 赵明's "zm" as well as a
    literal "zhm" (张浩明); lower-cased, as `initials` stores them."""
    text = (text or "").strip().lower()
    return {text, _COMPOUND_INITIALS.sub(lambda match: match.group(0)[0], text)} - {""}


def typed_as_initials(text: str) -> bool:
    """Latin letters only: what a user types for initials. Names are written in Chinese
    characters, so such a text is looked up by the (indexed) initials alone."""
    text = (text or "").strip()
    return bool(text) and text.isascii() and text.isalpha()


def initials_match(text: str, field: str = "name_initials") -> Q:
    """Rows whose stored initials start with what the user typed (either reading above)."""
    condition = Q(pk__in=[])
    for prefix in initials_typed(text):
        condition |= Q(**{f"{field}__startswith": prefix})
    return condition
