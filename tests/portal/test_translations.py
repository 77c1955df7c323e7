"""The UI is Simplified Chinese by default: every catalogue is complete and compiled."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts
)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_fully_translated_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {po_path.parent}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {po_path.parent}: {fuzzy[:10]}"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run `make messages`"
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(mo_path))}
    for entry in po.translated_entries():
        assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, (
            f"{mo_path} is out of date with its .po (run `make messages`): {entry.msgid!r}"
        )


def test_there_are_catalogues():
    assert CATALOGUES, "no zh_Hans catalogues found"


def test_a_message_means_the_same_in_every_catalogue():
    """Django merges the catalogues, and the first app's translation wins for all of them, so
    a msgid that needs another word in another app must carry a context (pgettext)."""
    seen: dict[tuple, tuple[str, Path]] = {}
    clashes = []
    for po_path in CATALOGUES:
        for entry in polib.pofile(str(po_path)).translated_entries():
            if entry.msgid_plural:
                continue
            key = (entry.msgctxt, entry.msgid)
            first = seen.setdefault(key, (entry.msgstr, po_path))
            if first[0] != entry.msgstr:
                clashes.append(f"{entry.msgid!r}: {first[0]} ({first[1].parent}) vs {entry.msgstr}")
    assert not clashes, "translated differently; add a context:\n" + "\n".join(clashes)


def test_what_users_see_is_our_translation():
    """Django merges our catalogues with Django's own and every installed package's, and a
    package's word can win over ours ("Filter" read 过滤器, a vote's "Yes" read 是, a complaint's
    "Close" read 关闭). Every translation in our catalogues must be the one shown; where a
    package translates the same msgid otherwise, ours carries a context (pgettext)."""
    from django.utils import translation

    overridden = []
    with translation.override("zh-hans"):
        for po_path in CATALOGUES:
            for entry in polib.pofile(str(po_path)).translated_entries():
                if entry.msgid_plural:
                    continue
                shown = (
                    translation.pgettext(entry.msgctxt, entry.msgid)
                    if entry.msgctxt
                    else translation.gettext(entry.msgid)
                )
                if shown != entry.msgstr:
                    where = po_path.relative_to(ROOT).parts[0]
                    overridden.append(
                        f"{where}: {entry.msgid!r} ours {entry.msgstr}, shown {shown}"
                    )
    assert not overridden, "another catalogue wins; add a context:\n" + "\n".join(overridden)
