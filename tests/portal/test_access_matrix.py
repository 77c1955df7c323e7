"""Every subject × every URL (tests/access.py explains the matrix)."""

import importlib
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.deadlines import registry
from portal.models import User
from portal.roles import Role, access, may
from tests.access import Entry
from tests.conftest import TOWNSHIP_SUBJECTS

APPS = [
    "portal",
    "cadres",
    "grassroots",
    "poverty",
    "supervision",
    "reminders",
    "imports",
    "exchange",
]
# Framework URLs whose access Django itself decides: the login and password pages are for
# anyone (the password change ones need a session, Django's login_required), set_language
# only sets a cookie. The admin's URLs are checked below (test_admin_keeps_out_...).
FRAMEWORK_NAMESPACES = {"admin"}
FRAMEWORK_NAMES = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
}
# Unnamed URL patterns cannot be listed in the matrix (reverse() needs a name). Each one
# must be named here with the reason it needs no row; there are none today.
UNNAMED_EXEMPT: dict[str, str] = {}
# URL parameters that name a record (or a personal token), not an action: a URL with any
# other parameter must list every value it accepts in PARAMETERISED.
IDENTITY_PARAMETERS = {"pk", "token", "item_key", "uidb64"}


def _parameter_values() -> dict[tuple[str, str], set[str]]:
    from cadres.views import STEPS
    from portal.autocomplete import registry as autocomplete_sources
    from portal.exchange.importing.kinds import registry as import_kinds
    from supervision.views import ACTIONS

    return {
        ("cadres:appointment-step", "step"): set(STEPS),
        ("imports:upload", "kind"): set(import_kinds()),
        ("imports:template", "kind"): set(import_kinds()),
        ("supervision:complaint-action", "action"): set(ACTIONS),
        ("reminders:deadline-open", "key"): set(registry()),
        ("autocomplete", "source"): set(autocomplete_sources()),
    }


# Who runs through the matrix: one user per role at the county (the secretary in village
# branch A1, the helper in township A), and the roles that also exist at a township.
SUBJECTS = [str(role) for role in Role] + list(TOWNSHIP_SUBJECTS)


def all_entries() -> list[Entry]:
    entries = []
    for app in APPS:
        try:
            module = importlib.import_module(f"tests.{app}.access")
        except ModuleNotFoundError:
            continue
        entries.extend(module.ENTRIES)
    return entries


def url_patterns(resolver=None, namespace="", route=""):
    """(name with namespace or None, route, pattern) of every URL outside the framework's."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in FRAMEWORK_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, inner, route + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = namespace + pattern.name if pattern.name else None
            if name in FRAMEWORK_NAMES:
                continue
            yield name, route + str(pattern.pattern), pattern


ENTRIES = all_entries()


def test_every_url_is_in_the_matrix():
    named = {name for name, _route, _pattern in url_patterns() if name}
    missing = named - {entry.name for entry in ENTRIES}
    assert not missing, f"URLs missing from the access matrix (tests/<app>/access.py): {missing}"
    assert not named.isdisjoint({e.name for e in ENTRIES}), "the matrix names no URL"
    unknown = {entry.name for entry in ENTRIES} - named
    assert not unknown, f"Matrix rows for URLs that do not exist: {unknown}"


def test_every_unnamed_url_is_exempt_with_a_reason():
    unnamed = {route for name, route, _pattern in url_patterns() if name is None}
    unexplained = unnamed - set(UNNAMED_EXEMPT)
    assert not unexplained, (
        f"Unnamed URL patterns escape the matrix; name them and add rows: {unexplained}"
    )


def test_every_action_of_a_parameterised_url_has_its_row():
    values = _parameter_values()
    for name, route, pattern in url_patterns():
        for parameter in set(pattern.pattern.regex.groupindex) - IDENTITY_PARAMETERS:
            assert (name, parameter) in values, (
                f"{route}: the parameter <{parameter}> picks an action; list its values in "
                "PARAMETERISED and give each one a matrix row (label=the value)"
            )
    for (name, _parameter), accepted in values.items():
        labels = {entry.label for entry in ENTRIES if entry.name == name}
        assert labels == accepted, (
            f"{name}: rows for {sorted(labels)}, URL takes {sorted(accepted)}"
        )


def test_each_row_states_one_outcome_per_role():
    for entry in ENTRIES:
        assert len(entry.ok_statuses) == 1, (
            f"{entry.id} accepts {entry.ok_statuses}: state the outcome per role "
            "(capability, status_by_role)"
        )
    ids = [entry.id for entry in ENTRIES]
    assert len(ids) == len(set(ids)), "two rows share a name and label"


def test_every_record_url_builds_a_record_outside_the_subtree():
    for name, _route, pattern in url_patterns():
        if not pattern.pattern.regex.groups:
            continue
        for entry in (e for e in ENTRIES if e.name == name):
            assert entry.make is not None, f"{entry.id}: the URL takes a record; add make="
            assert entry.outside is not None or entry.outside_exempt, (
                f"{entry.id}: build a record outside the subtree (outside=) or say why none "
                "exists (outside_exempt=)"
            )


def _subject_stub(subject: str):
    role, _, level = subject.partition("@")
    return User(role=role, is_active=True), SimpleNamespace(depth=1 if level else 0)


def test_every_outside_record_is_refused_to_someone_below_the_county():
    """An `outside` row proves nothing if every subject that reaches the page sees the whole
    county: some subject must expect the 404."""
    for entry in (e for e in ENTRIES if e.outside is not None):
        expectations = set()
        for subject in SUBJECTS:
            user, organization = _subject_stub(subject)
            if subject == Role.SECRETARY:
                organization.depth = 2
            elif subject == Role.HELPER:
                organization.depth = 1
            expectations.add(_expected(entry, user, organization, outside=True))
        assert 404 in expectations, f"{entry.id}: no subject below the county reaches it"


def _expected(entry: Entry, user, organization, *, outside: bool) -> int:
    if entry.area is not None and access(user, entry.area) < entry.level:
        return 403
    if entry.capability is not None and not may(user, entry.capability):
        return 403
    if user.role in entry.denied_roles:
        return 403
    # A county user's subtree is the whole county: `outside` is inside for them.
    if outside and organization.depth > 0:
        return 404
    return entry.status_by_role.get(user.role, entry.ok_statuses[0])


@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.id)
def test_subject_reaches_exactly_what_the_table_says(client, world, subject, entry):
    user = world.user(subject)
    client.force_login(user)
    cases = [(False, entry.make(world, user) if entry.make else {})]
    if entry.outside:
        cases.append((True, entry.outside(world, user)))
    for outside, kwargs in cases:
        url = reverse(entry.name, kwargs=kwargs)
        response = getattr(client, entry.method)(url, entry.data_for(world, user, kwargs))
        expected = _expected(entry, user, user.organization, outside=outside)
        assert response.status_code == expected, (
            f"{subject} {entry.method.upper()} {url} ({'outside' if outside else 'inside'}): "
            f"got {response.status_code}, expected {expected}"
        )
        if entry.check and expected == entry.status_by_role.get(user.role, entry.ok_statuses[0]):
            entry.check(response, world, user, kwargs)


@pytest.mark.parametrize("entry", [e for e in ENTRIES if not e.public], ids=lambda e: e.id)
def test_anonymous_is_sent_to_login(client, world, entry):
    kwargs = entry.make(world, world.user(Role.ADMIN)) if entry.make else {}
    response = getattr(client, entry.method)(reverse(entry.name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- The admin ------------------------------------------------------------------------------
# Django's AdminSite.admin_view wraps every admin URL: a user without is_staff is sent to the
# admin's login. Only administrators are staff in this portal. Pages without a parameter are
# checked here for every subject; pages about one object (change, delete, history) go through
# the same wrapper and are opened with records by tests/portal/test_admin_pages.py. The login
# page is for anyone, and logout answers POST only (Django's own views).
ADMIN_OPEN = {"admin:login", "admin:logout"}


def admin_urls() -> list[str]:
    urls = []
    for pattern in admin.site.get_urls():
        if isinstance(pattern, URLResolver):  # per model: changelist, add, change, ...
            for inner in pattern.url_patterns:
                if inner.name and not inner.pattern.regex.groups:
                    urls.append(f"admin:{inner.name}")
        elif pattern.name and not pattern.pattern.regex.groups:
            urls.append(f"admin:{pattern.name}")
    return sorted(set(urls) - ADMIN_OPEN)


def test_the_admin_urls_are_enumerated():
    urls = admin_urls()
    assert "admin:index" in urls
    for model in admin.site._registry:
        assert f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist" in urls


@pytest.mark.parametrize("subject", [s for s in SUBJECTS if s != Role.ADMIN])
def test_admin_keeps_out_everyone_but_administrators(client, world, subject):
    client.force_login(world.user(subject))
    login = reverse("admin:login")
    app_lists = [
        reverse("admin:app_list", kwargs={"app_label": label})
        for label in {model._meta.app_label for model in admin.site._registry}
    ]
    for url in [reverse(name) for name in admin_urls()] + app_lists:
        response = client.get(url)
        assert response.status_code == 302, f"{subject} GET {url}: {response.status_code}"
        assert response["Location"].startswith(login), f"{subject} GET {url}"
