"""The options every database connection of the portal starts with (portal/settings.py)."""

import pgtrigger
import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pghistory.models import Events

from portal.roles import Role
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


def trigger_ignore_reads_cleanly() -> bool:
    """What pgtrigger's _pgtrigger_should_ignore() does on every row, minus its exception
    block: read the setting and cast it to text[]. Raising here is what made every audited row
    roll back a subtransaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('pgtrigger.ignore')::text[]")
        return cursor.fetchone()[0] == []


class TestConnectionOptions:
    def test_a_new_connection_reads_the_trigger_ignore_list_without_raising(self):
        fresh = connections.create_connection("default")
        try:
            with fresh.cursor() as cursor:
                cursor.execute("SELECT current_setting('pgtrigger.ignore')::text[]")
                assert cursor.fetchone()[0] == []
        finally:
            fresh.close()

    def test_the_list_still_reads_cleanly_after_pgtrigger_ignored_a_trigger(self, world):
        # pgtrigger.ignore() sets the list for the transaction and then resets it; the reset
        # goes back to the connection's '{}', not to an empty string that cannot be cast.
        with transaction.atomic():
            with pgtrigger.ignore("portal.Organization:insert_insert"):
                OrganizationFactory(name="不记历史的组织", parent=world.county)
            assert trigger_ignore_reads_cleanly()
        assert trigger_ignore_reads_cleanly()
        assert setting("pgtrigger.ignore") == "{}"

    def test_ignoring_a_trigger_still_works(self, world):
        with transaction.atomic(), pgtrigger.ignore("portal.Organization:insert_insert"):
            ignored = OrganizationFactory(name="不记历史的组织", parent=world.county)
        recorded = OrganizationFactory(name="记历史的组织", parent=world.county)
        # The insert of the first left no history (its path update, not ignored, did).
        assert not Events.objects.tracks(ignored).filter(pgh_label="insert").exists()
        assert Events.objects.tracks(recorded).filter(pgh_label="insert").exists()

    def test_jit_is_off(self):
        # The portal's queries are short index lookups; JIT compilation cost 350-390 ms on the
        # deadline queries at ten times the county.
        assert setting("jit") == "off"

    def test_every_configured_database_gets_the_options(self):
        for alias in connections:
            assert "pgtrigger.ignore={}" in connections[alias].settings_dict["OPTIONS"]["options"]


def test_without_a_replica_a_dashboard_reads_the_primary(world, client_as):
    # portal/replica.py: no DATABASE_REPLICA_URL, no "replica" alias, nothing routed away.
    with CaptureQueriesContext(connections["default"]) as on_primary:
        response = client_as(Role.SUPERVISOR).get(reverse("supervision:complaint-statistics"))
    assert response.status_code == 200
    assert any("supervision_complaint" in q["sql"] for q in on_primary.captured_queries)
