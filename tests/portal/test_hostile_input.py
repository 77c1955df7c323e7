"""No 500 from any input: every URL of the access matrix, opened by a role that may open it,
with hostile values in every parameter it reads and in every form it shows.

For each matrix row (tests/access.py) the page is opened once as it is; then

- GET: every known parameter name (the ones views read by hand, PARAMETER_NAMES, the row's
  own data, and every field of every form on the page: the list filters, the export buttons)
  is sent with each hostile value at once, as an array, in a broken encoding, and as an htmx
  request;
- POST: every form on the page (and the row's own POST) is sent with each hostile value in
  every field, and with every field an array;
- the record in the URL is swapped for an id no integer column holds.

The answer must never be a 5xx (the test client re-raises a view's exception, so a 500 shows
up as that exception), and a POST that was not accepted (no redirect) must leave every table
as it was: nothing half-saved. What the user reads on a bad value (the message in Chinese) is
asserted per parameter in tests/portal/test_params.py.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import NoReverseMatch, reverse

from portal.roles import Role
from tests.access import Entry
from tests.portal.test_access_matrix import ENTRIES, SUBJECTS, _expected, _subject_stub

pytestmark = pytest.mark.django_db

# Parameters the views read from the query string or the body by hand (portal/params.py and
# the places that read them), besides the forms the pages render: a hostile value in any of
# them must be a message or be ignored, never a 500.
PARAMETER_NAMES = [
    "page",
    "day",
    "date",
    "kind",
    "stage",
    "show",
    "status",
    "action",
    "format",
    "full_ids",
    "q",
    "next",
    "year",
    "month",
    "organization",
    "branch",
    "source",
    "confirm_duplicate",
    "submission_key",
    "language",
]

OVER_LONG = "长" * 3000
# Each is sent in every parameter at once (a view reads each parameter on its own).
HOSTILE_VALUES = [
    "2025-02-30",  # well formed, not a day
    "-1",
    "99999999999999999999999999",  # beyond any integer column
    "1e400",
    "abc",  # not a number, not a choice
    "1\x00",
    OVER_LONG,
    "１２３",  # full-width digits
]
# POST bodies: fewer, each the sharpest of its kind (every form on every page gets them).
HOSTILE_POST_VALUES = ["2025-02-30", "99999999999999999999999999", "1\x00", OVER_LONG]
# Raw query strings no form encodes: invalid UTF-8, a bare percent.
BROKEN_ENCODINGS = ["%FF%FE%FD", "%"]
# An id that no bigint column holds: the lookup is a 404, not a database error.
HUGE_ID = 10**20
# A page that re-renders a refused form marks the field (crispy) or shows an alert.
REFUSED_MARKERS = ("is-invalid", "invalid-feedback", "errorlist", "alert-danger")
# The portal's own tables: a refused POST must leave each as it was.
OWN_APPS = {"portal", "reminders", "cadres", "grassroots", "poverty", "supervision"}


class _Forms(HTMLParser):
    """The forms of a page: method, action and (name, kind, options) of each field."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": {},
            }
            self.forms.append(self._form)
            return
        # Fields may sit outside their form (form= attribute): count them on the last form.
        form = self._form or (self.forms[-1] if self.forms else None)
        if form is None:
            return
        name = attrs.get("name")
        if tag in {"input", "textarea", "button"} and name:
            kind = attrs.get("type", "text") if tag == "input" else tag
            form["fields"].setdefault(name, {"kind": kind, "options": []})
            if kind in {"checkbox", "radio", "submit"} and attrs.get("value"):
                form["fields"][name]["options"].append(attrs["value"])
        elif tag == "select" and name:
            form["fields"].setdefault(name, {"kind": "select", "options": []})
            self._select = name
        elif tag == "option" and self._select and attrs.get("value"):
            form["fields"][self._select]["options"].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def page_forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _row_counts() -> dict[str, int]:
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.app_label in OWN_APPS
    )
    # Table names come from the models, not from input.
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT %s, count(*) FROM {quote(t)}" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        return dict(cursor.fetchall())


@pytest.fixture(autouse=True)
def _no_waiting_and_no_counts_left(monkeypatch):
    # /track/ slows its answers after failed guesses, and every limit counts in Redis: the
    # fuzz makes hundreds of "failures" that neither this test nor the next should wait for.
    from django.core.cache import cache

    from supervision import throttle

    monkeypatch.setattr(throttle, "DELAY_SECONDS", 0)
    cache.clear()
    yield
    cache.clear()


def _subject_for(entry: Entry) -> str | None:
    """A subject that gets the row's own answer (not a 403/404), preferring the widest."""
    if entry.public:
        return None
    order = [Role.ADMIN, Role.STAFF, Role.SUPERVISOR, Role.SECRETARY, Role.HELPER, Role.LEADER]
    for subject in [str(role) for role in order] + [s for s in SUBJECTS if "@" in s]:
        user, organization = _subject_stub(subject)
        if subject == Role.SECRETARY:
            organization.depth = 2
        status = _expected(entry, user, organization, outside=False)
        if status not in (403, 404):
            return subject
    return None


class Failures(list):
    def request(self, client, method: str, url: str, data=None, **extra):
        try:
            if method == "raw":
                response = client.get(url, **extra)
            else:
                response = getattr(client, method)(url, data or {}, **extra)
        except Exception as error:  # noqa: BLE001 (any exception is the failure reported)
            self.append(
                f"{method.upper()} {url[:200]} {_short(data)}: {type(error).__name__}: {error}"
            )
            return None
        if response.status_code >= 500:
            self.append(f"{method.upper()} {url[:200]} {_short(data)}: {response.status_code}")
        return response


def _short(data) -> str:
    text = repr(data)
    return text if len(text) < 300 else text[:300] + "…"


def _same_site(base: str, action: str) -> str | None:
    url = urljoin(base, action)
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _post_bodies(fields: dict) -> list[dict]:
    bodies = []
    for value in HOSTILE_POST_VALUES:
        body = {}
        for name, field in fields.items():
            if field["kind"] == "file":
                body[name] = SimpleUploadedFile("x.png", value.encode("utf-8", "replace"))
            else:
                body[name] = value
        bodies.append(body)
    # Arrays where a scalar is expected, and an unknown choice beside the known ones.
    bodies.append({name: ["1", "2", "abc"] for name in fields if fields[name]["kind"] != "file"})
    # Every choice valid (its last option: an absence rather than "present") and the text
    # hostile, so that the text reaches the services and the database.
    for value in ("1\x00", OVER_LONG):
        bodies.append(
            {
                name: field["options"][-1] if field["options"] else value
                for name, field in fields.items()
                if field["kind"] != "file"
            }
        )
    return bodies


FORM_ENCODED = "application/x-www-form-urlencoded"


def _broken_body(fields: dict) -> str:
    return "&".join(f"{name}=%FF%FE%00" for name in sorted(fields)) or "x=%FF"


def _fuzz(client, url: str, entry: Entry, data: dict, failures: Failures) -> None:
    first = failures.request(client, entry.method, url, data)
    forms = []
    if first is not None and first.get("Content-Type", "").startswith("text/html"):
        forms = page_forms(first.content.decode("utf-8", "replace"))
    names = set(PARAMETER_NAMES) | set(data)
    for form in forms:
        if form["method"] == "get":
            names |= set(form["fields"])

    base = url.split("?")[0]
    # GET: every parameter at once with each hostile value, as arrays, in broken encodings,
    # and as htmx (fragments read the same parameters on another path).
    for value in HOSTILE_VALUES:
        failures.request(client, "get", base, dict.fromkeys(names, value))
    failures.request(client, "get", base, {name: ["1", "2", "abc"] for name in names})
    for raw in BROKEN_ENCODINGS:
        query = "&".join(f"{name}={raw}" for name in sorted(names))
        failures.request(client, "raw", f"{base}?{query}")
    failures.request(
        client, "get", base, dict.fromkeys(names, "2025-02-30"), HTTP_HX_REQUEST="true"
    )

    # POST: the row's own body and every form the page shows.
    targets = {}
    if entry.method == "post":
        targets[base] = {name: {"kind": "text", "options": []} for name in data}
    for form in forms:
        if form["method"] != "post":
            continue
        action = _same_site(url, form["action"])
        if action is None or action.startswith(reverse("logout")):
            continue
        targets.setdefault(action, {}).update(form["fields"])
    for action, fields in targets.items():
        for body in [*_post_bodies(fields), _broken_body(fields)]:
            before = _row_counts()
            if isinstance(body, str):  # a body no browser encodes: invalid UTF-8
                response = failures.request(client, "post", action, body, content_type=FORM_ENCODED)
            else:
                response = failures.request(client, "post", action, body)
            if response is None or not _refused(response):
                continue  # accepted (the values happened to be valid) or already reported
            after = _row_counts()
            grown = {t: after[t] - before[t] for t in after if after[t] != before.get(t)}
            if grown:
                failures.append(
                    f"POST {action} {_short(body)} answered {response.status_code} but "
                    f"changed rows: {grown}"
                )


def _refused(response) -> bool:
    if 400 <= response.status_code < 500:
        return True
    if response.status_code != 200:
        return False
    content = response.content.decode("utf-8", "replace")
    return any(marker in content for marker in REFUSED_MARKERS)


def _kwargs_with_huge_id(kwargs: dict) -> dict | None:
    if "pk" not in kwargs:
        return None
    return {**kwargs, "pk": HUGE_ID}


@pytest.fixture
def roster(world):
    # A member on branch A1's roster: the meeting forms then carry attendance fields.
    from tests.grassroots.factories import PartyMemberFactory

    return PartyMemberFactory(branch=world.branch_a1)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_no_hostile_value_answers_500(client, world, roster, entry):
    subject = _subject_for(entry)
    if subject is not None:
        user = world.user(subject)
        client.force_login(user)
    else:
        user = None
    kwargs = entry.make(world, user or world.user(Role.ADMIN)) if entry.make else {}
    url = reverse(entry.name, kwargs=kwargs)
    data = entry.data_for(world, user, kwargs) if user or entry.public else {}
    failures = Failures()
    _fuzz(client, url, entry, data, failures)
    huge = _kwargs_with_huge_id(kwargs)
    if huge is not None:
        try:
            huge_url = reverse(entry.name, kwargs=huge)
        except NoReverseMatch:
            huge_url = None
        if huge_url:
            response = failures.request(client, entry.method, huge_url, data)
            if response is not None:
                assert response.status_code == 404, f"{huge_url}: {response.status_code}"
    assert not failures, "\n".join(failures[:40])


# The framework's pages outside the matrix that read parameters: sign-in, password reset, the
# language switch. Anonymous, as their users are.
@pytest.mark.parametrize("name", ["login", "password_reset", "set_language"])
def test_no_hostile_value_answers_500_on_the_framework_pages(client, world, name):
    failures = Failures()
    _fuzz(client, reverse(name), Entry(name, area=None, public=True), {}, failures)
    assert not failures, "\n".join(failures[:40])
