"""Shared fixtures: a small organisation tree with one user per role, and the browser.

The environment the tests see (no .env, every setting at its documented default, whatever
the developer's shell or .env holds) is fixed before the settings are read, by the plugin
portal/testenv.py (`-p portal.testenv` in pyproject.toml); a test about one setting sets it.

The tree (`world`):

    county (县委)                         staff, leader, supervisor, admin sit here
    ├── township A (党委)                 helper sits here; on demand (world.user("staff@township")
    │                                     ...) township-level staff, leader and supervisor
    │   ├── village branch A1 (党支部)    secretary sits here
    │   └── community branch A2
    └── township B (党委)
        └── village branch B1            "outside" for the secretary and the helper
"""

import os
import shutil
from dataclasses import dataclass

import pytest

from portal.models import Organization, User
from portal.roles import Role
from tests.factories import OrganizationFactory, UserFactory

Kind = Organization.Kind
Category = Organization.Category


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default="",
        help="run every test with the clock moved to this moment, e.g. 2027-01-01T01:00+08:00 "
        "(tests/clock.py)",
    )


def pytest_configure(config):
    from tests import clock

    clock.start(config.getoption("--clock") or None)


def pytest_report_header(config):
    from tests import clock

    if os.environ.get(clock.ENV):
        import datetime

        return f"clock moved: now is {datetime.datetime.now().astimezone().isoformat()}"
    return None


def pytest_unconfigure(config):
    from tests import clock

    clock.stop()


def pytest_collection_modifyitems(items):
    """Transactional tests (browser, worker) flush every table when they end, which would also
    wipe the rows that data migrations seeded (the rule tables). Serialized rollback reloads
    those rows for each transactional test."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = (marker is not None and marker.kwargs.get("transaction")) or bool(
            {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
        )
        if transactional and "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    # Uploads made by tests (photos, sign-in sheets) never land in the developer's var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's million rounds cost ~0.3 s a user; tests check access, not hashing strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    county: Organization
    township_a: Organization
    branch_a1: Organization
    branch_a2: Organization
    township_b: Organization
    branch_b1: Organization
    users: dict[str, User]

    def user(self, role: str) -> User:
        """The user of `role` ("staff", ...), or "<role>@township" for one in township A.

        Township-level users are made only when asked for, so that tests counting a role's
        users (recipients, office members) see the county's alone."""
        if role not in self.users:
            base, _, level = role.partition("@")
            if level != "township" or base not in TOWNSHIP_ROLES:
                raise KeyError(role)
            self.users[role] = UserFactory(
                username=f"{base}-township", role=base, organization=self.township_a
            )
        return self.users[role]


# Roles that also exist below the county: a township's organisation office (staff), its
# leadership, its discipline office handling complaints (supervisor).
TOWNSHIP_ROLES = (Role.STAFF, Role.LEADER, Role.SUPERVISOR)
TOWNSHIP_SUBJECTS = tuple(f"{role}@township" for role in TOWNSHIP_ROLES)


def build_world() -> World:
    county = OrganizationFactory(
        name="测试县委", kind=Kind.COUNTY_COMMITTEE, category=Category.ORGAN
    )
    township_a = OrganizationFactory(
        name="甲镇党委", kind=Kind.PARTY_COMMITTEE, category=Category.ORGAN, parent=county
    )
    township_b = OrganizationFactory(
        name="乙乡党委", kind=Kind.PARTY_COMMITTEE, category=Category.ORGAN, parent=county
    )
    branch_a1 = OrganizationFactory(name="甲一村党支部", parent=township_a)
    branch_a2 = OrganizationFactory(
        name="甲二社区党支部", category=Category.COMMUNITY, parent=township_a
    )
    branch_b1 = OrganizationFactory(name="乙一村党支部", parent=township_b)
    users = {
        Role.ADMIN: UserFactory(
            username="admin", role=Role.ADMIN, organization=county, is_superuser=True, is_staff=True
        ),
        Role.STAFF: UserFactory(username="staff", role=Role.STAFF, organization=county),
        Role.LEADER: UserFactory(username="leader", role=Role.LEADER, organization=county),
        Role.SUPERVISOR: UserFactory(
            username="supervisor", role=Role.SUPERVISOR, organization=county
        ),
        Role.SECRETARY: UserFactory(
            username="secretary", role=Role.SECRETARY, organization=branch_a1
        ),
        Role.HELPER: UserFactory(username="helper", role=Role.HELPER, organization=township_a),
    }
    return World(county, township_a, branch_a1, branch_a2, township_b, branch_b1, users)


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def client_as(client, world):
    """client_as("staff") -> the test client logged in as that role's user."""

    def login(role: str):
        client.force_login(world.user(role))
        return client

    return login


# --- Browser -------------------------------------------------------------------------------

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# test itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PHONE_VIEWPORT = {"width": 390, "height": 844}
# Generous: on a loaded 2-core CI machine a first page load can take several seconds.
BROWSER_TIMEOUT_MS = 30_000


def chromium_path() -> str | None:
    return (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect

    # expect(...) waits as long as the pages do (its own default is 5 s)
    expect.set_options(timeout=BROWSER_TIMEOUT_MS)
    path = chromium_path()
    if path is None:
        message = "Chromium is not installed (apt-get install chromium); browser tests skipped."
        if os.environ.get("REQUIRE_BROWSER") or os.environ.get("CI"):
            pytest.fail(message.replace("skipped", "are required here"))
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page_for(browser, live_server, client):
    """browser_page_for(user, phone=True) -> a Playwright page logged in as `user`."""
    contexts = []

    def open_page(user, *, phone: bool = False, locale: str = "zh-CN"):
        client.force_login(user)
        session_cookie = client.cookies["sessionid"]
        context = browser.new_context(
            viewport=PHONE_VIEWPORT if phone else {"width": 1280, "height": 900},
            is_mobile=phone,
            has_touch=phone,
            locale=locale,
            base_url=live_server.url,
        )
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": session_cookie.value,
                    "url": live_server.url,
                }
            ]
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(BROWSER_TIMEOUT_MS)
        return page

    yield open_page
    for context in contexts:
        context.close()
