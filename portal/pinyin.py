"""Pinyin initials for searching Chinese names the way users type them ("zsf" for 张三丰)."""

from pypinyin import Style, lazy_pinyin


def initials(text: str) -> str:
    """Lower-case initials of each character; non-Chinese characters are kept as they are."""
    return "".join(
        part[0]
        for part in lazy_pinyin(text or "", style=Style.FIRST_LETTER, errors="default")
        if part
    ).lower()
