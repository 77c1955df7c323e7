"""Every browser test fails on a Content-Security-Policy violation.

Each page any test opens (through `browser_page_for` or its own `browser.new_context()`) is
watched twice: Chromium's console error for a refused script, style, image or frame, and the
page's `securitypolicyviolation` event (reported through the console by an init script, which
runs outside the page's policy). The violations of a test are asserted empty when it ends.
"""

import pytest

REPORTER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`);
});
"""


class Violations(list):
    def watch(self, context):
        context.add_init_script(REPORTER)
        context.on("console", self._console)
        return context

    def _console(self, message):
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "CSP" in text):
            self.append(text)


@pytest.fixture
def csp_violations():
    return Violations()


@pytest.fixture(autouse=True)
def _fail_on_csp_violations(request, csp_violations, monkeypatch):
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    new_context = browser.new_context

    def watched_context(*args, **kwargs):
        return csp_violations.watch(new_context(*args, **kwargs))

    monkeypatch.setattr(browser, "new_context", watched_context)
    yield
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(csp_violations)
