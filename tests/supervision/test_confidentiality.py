"""The reporter's identity never reaches a role outside the complaint-handling office.

Crawl every URL of the roles × URLs matrix (all apps) as staff, leader, secretary, helper and
the accused cadre's own login, and search every response — pages, exports, the public lookup
— for the reporter's name, unit, address and phone number.
"""

import io
import zipfile

import pytest
from django.db import transaction
from django.urls import reverse

from portal.models import RevealLog
from portal.roles import Role
from supervision.models import Complaint
from tests.cadres.factories import make_cadre
from tests.conftest import TOWNSHIP_SUBJECTS
from tests.factories import UserFactory
from tests.portal.test_access_matrix import all_entries
from tests.supervision.factories import ComplaintFactory
from tests.supervision.helpers import d

pytestmark = pytest.mark.django_db

IDENTITY = {
    "name": "滕雪棠",
    "unit": "云溪县白鹭湾合作社",
    "address": "青石巷十七号",
    "contact": "13712345678",
}


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK"):  # an .xlsx/.docx export: search inside the zip's parts
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(name) for name in archive.namelist())
    return content.decode("utf-8", errors="replace")


@pytest.fixture
def accused(world):
    """A cadre in branch A1 with a login of their own, and a complaint about them."""
    login = UserFactory(username="accused", role=Role.STAFF, organization=world.township_a)
    cadre = make_cadre(world.branch_a1, name="被举报干部")
    cadre.user = login
    cadre.save(update_fields=["user"])
    complaint = ComplaintFactory(
        receiver=world.user(Role.SUPERVISOR),
        subject_cadre=cadre,
        has_specific_clues=True,
        reporter=IDENTITY,
        received_on=d("2025-03-03"),
    )
    return cadre, login, complaint


def _crawl(client, world, user, complaint, cadre) -> list[str]:
    """GET (or POST) every matrix URL as `user`; return the pages that leak.

    Any exception fails the test: a page that crashes for this user is a page nobody checked
    for the reporter's identity."""
    client.force_login(user)
    leaks = []
    for entry in all_entries():
        with transaction.atomic():
            kwargs = entry.make(world, user) if entry.make else {}
            url = reverse(entry.name, kwargs=kwargs)
            response = getattr(client, entry.method)(url, entry.data_for(world, user, kwargs))
            text = _text(response)
        if any(value in text for value in IDENTITY.values()):
            leaks.append(f"{entry.method.upper()} {url}")
    # The matter about the accused, directly, and the accused cadre's own pages.
    for name in ("complaint-detail", "complaint-receipt"):
        url = reverse(f"supervision:{name}", args=[complaint.pk])
        if any(value in _text(client.get(url)) for value in IDENTITY.values()):
            leaks.append(url)
    for name in ("cadres:cadre-detail", "cadres:cadre-timeline", "cadres:cadre-print"):
        url = reverse(name, kwargs={"pk": cadre.pk})
        if any(value in _text(client.get(url)) for value in IDENTITY.values()):
            leaks.append(url)
    return leaks


OUTSIDE_THE_OFFICE = [
    Role.STAFF,
    Role.LEADER,
    Role.SECRETARY,
    Role.HELPER,
    *[s for s in TOWNSHIP_SUBJECTS if not s.startswith(Role.SUPERVISOR)],
    "accused",
]


@pytest.mark.parametrize("role", OUTSIDE_THE_OFFICE)
def test_no_page_or_export_outside_the_office_shows_the_reporter(client, world, accused, role):
    cadre, login, complaint = accused
    user = login if role == "accused" else world.user(role)

    leaks = _crawl(client, world, user, complaint, cadre)

    assert not leaks, f"the reporter's identity leaks to {role}: {leaks}"


def test_the_requester_lookup_shows_no_identity(client, accused):
    _cadre, _login, complaint = accused

    page = _text(
        client.post(
            reverse("track:lookup"),
            {"code": complaint.tracking_code, "secret": complaint.secret},
        )
    )

    assert 'id="track-status"' in page
    assert not any(value in page for value in IDENTITY.values())


def test_the_cross_app_selectors_carry_no_identity(accused):
    from supervision.selectors import complaints_about_cadre, complaints_blocking_appointment

    cadre, _login, complaint = accused

    for queryset in (complaints_blocking_appointment(cadre), complaints_about_cadre(cadre)):
        sql = str(queryset.query)
        assert "reporteridentity" not in sql
        assert "description" not in sql
        assert list(queryset) == [complaint]


def test_the_office_sees_the_identity_only_by_a_recorded_reveal(client, world, accused):
    _cadre, _login, complaint = accused
    supervisor = world.user(Role.SUPERVISOR)
    client.force_login(supervisor)

    page = _text(client.get(reverse("supervision:complaint-detail", args=[complaint.pk])))
    assert not any(value in page for value in IDENTITY.values())
    assert not RevealLog.objects.exists()

    for expected in (1, 2):
        shown = _text(client.post(reverse("supervision:complaint-reveal", args=[complaint.pk])))
        assert all(value in shown for value in IDENTITY.values())
        assert RevealLog.objects.filter(user=supervisor).count() == expected

    # the list pages of the office do not show it either
    queue = _text(client.get(reverse("supervision:complaint-list")))
    assert complaint.tracking_code in queue
    assert not any(value in queue for value in IDENTITY.values())


def test_the_audit_trail_of_the_matter_holds_no_identity(accused):
    from pghistory.models import Events

    _cadre, _login, complaint = accused

    snapshots = " ".join(
        str(event.pgh_data)
        for event in Events.objects.tracks(Complaint.objects.get(pk=complaint.pk))
    )

    assert complaint.tracking_code in snapshots
    assert not any(value in snapshots for value in IDENTITY.values())
    assert "secret_hash" not in snapshots
