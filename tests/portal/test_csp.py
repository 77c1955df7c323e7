"""The Content-Security-Policy: on every response, and templates that need nothing it refuses.

The browser tests (tests/browser/conftest.py) fail on any violation of the pages they visit;
this scan covers every template, visited by a browser test or not.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
# HTML e-mails are read in a mail client, not served under the portal's policy.
NOT_SERVED = ("email",)


def templates() -> list[Path]:
    found = [
        path
        for path in ROOT.glob("**/templates/**/*.html")
        if not {".venv", "var", "node_modules"} & set(path.relative_to(ROOT).parts)
        and not set(NOT_SERVED) & set(path.parts)
    ]
    assert len(found) > 50  # the scan looks where the templates are
    return sorted(found)


# A <script> element without a src attribute (inline code, or a JSON block other than
# json_script's, which Django renders itself with type="application/json").
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
STYLE = re.compile(r"<style\b|<[^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


@pytest.mark.parametrize("path", templates(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_needs_what_the_policy_refuses(path):
    text = path.read_text(encoding="utf-8")
    problems = [
        f"{name}: {match.group(0)[:80]!r}"
        for name, pattern in (
            ("inline <script>", INLINE_SCRIPT),
            ("on...= handler", EVENT_HANDLER),
            ("inline style", STYLE),
            ("javascript: URL", JS_URL),
        )
        for match in pattern.finditer(text)
    ]
    assert not problems, "\n".join(problems)


def test_the_scan_finds_what_it_looks_for():
    # The patterns themselves: each catches its case and lets a clean tag pass.
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert INLINE_SCRIPT.search('<script type="module">x()</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/js/portal.js"></script>')
    assert EVENT_HANDLER.search('<button type="button"\n  onclick="print()">')
    assert EVENT_HANDLER.search("<img src=x onerror=alert(1)>")
    assert not EVENT_HANDLER.search('<button data-print class="btn">Print on paper</button>')
    assert STYLE.search('<div class="x" style="width: 3px">')
    assert STYLE.search("<style>p { color: red }</style>")
    assert not STYLE.search('<div class="stylebox">')
    assert JS_URL.search('<a href="javascript:void(0)">')


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        name: value.strip()
        for name, _, value in (part.strip().partition(" ") for part in header.split(";"))
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "staff", "admin"])
def test_every_page_carries_the_strict_policy(client_as, world, client, who):
    if who:
        client_as(who)
    for url in (reverse("home"), reverse("login"), "/admin/", "/no-such-page/"):
        response = client.get(url)
        policy = _policy(response)
        assert policy["script-src"] == "'self'", url
        assert policy["style-src"] == "'self'", url
        assert policy["object-src"] == "'none'", url
        assert policy["frame-ancestors"] == "'none'", url
        assert policy["base-uri"] == "'none'", url
        assert "unsafe" not in response["Content-Security-Policy"], url
        assert response["X-Frame-Options"] == "DENY"


def test_the_base_page_turns_htmx_eval_and_injected_styles_off(client, db):
    page = client.get(reverse("login")).content.decode()
    assert '"allowEval": false' in page
    assert '"includeIndicatorStyles": false' in page
    assert "js/portal.js" in page
