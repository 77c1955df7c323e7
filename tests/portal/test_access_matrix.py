"""Every role × every URL (tests/access.py explains the matrix)."""

import importlib

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from portal.roles import Role, access
from tests.access import Entry

APPS = ["portal", "cadres", "grassroots", "poverty", "supervision", "reminders"]
# Framework URLs whose access Django itself decides.
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


def all_entries() -> list[Entry]:
    entries = []
    for app in APPS:
        try:
            module = importlib.import_module(f"tests.{app}.access")
        except ModuleNotFoundError:
            continue
        entries.extend(module.ENTRIES)
    return entries


def url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in FRAMEWORK_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names - FRAMEWORK_NAMES - {n for n in names if n.startswith("media")}


ENTRIES = all_entries()


def test_every_url_is_in_the_matrix():
    missing = url_names() - {entry.name for entry in ENTRIES}
    assert not missing, f"URLs missing from the access matrix (tests/<app>/access.py): {missing}"


def _expected(entry: Entry, user, *, outside: bool) -> set[int]:
    if entry.area is not None and access(user, entry.area) < entry.level:
        return {403}
    if user.role in entry.denied_roles:
        return {403}
    sees_all = user.organization.depth == 0
    if outside and not sees_all:
        return {404}
    return set(entry.ok_statuses)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_role_reaches_exactly_what_the_table_says(client, world, role, entry):
    user = world.user(role)
    client.force_login(user)
    cases = [(False, entry.make(world, user) if entry.make else {})]
    if entry.outside:
        cases.append((True, entry.outside(world, user)))
    for outside, kwargs in cases:
        url = reverse(entry.name, kwargs=kwargs)
        response = getattr(client, entry.method)(url, entry.data)
        expected = _expected(entry, user, outside=outside)
        assert response.status_code in expected, (
            f"{role} {entry.method.upper()} {url} ({'outside' if outside else 'inside'}): "
            f"got {response.status_code}, expected {sorted(expected)}"
        )


@pytest.mark.parametrize("entry", [e for e in ENTRIES if not e.public], ids=lambda e: e.name)
def test_anonymous_is_sent_to_login(client, world, entry):
    kwargs = entry.make(world, world.user(Role.ADMIN)) if entry.make else {}
    response = getattr(client, entry.method)(reverse(entry.name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
