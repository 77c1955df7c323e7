"""Dashboards and exports read from the replica when one is configured (portal/replica.py).

The replica here is a second connection alias to the same test database, as
DATABASE_REPLICA_URL would add (its TEST MIRROR is the default database). The test is
transactional: the replica is another connection, so it sees only committed rows."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.replica import REPLICA
from portal.roles import Role

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")


@pytest.fixture(scope="module")
def replica(django_db_setup, django_db_blocker):
    # Module-scoped, so the alias exists before each test's database access is set up
    # (databases="__all__" then includes it).
    settings = {**connections["default"].settings_dict, "TEST": {"MIRROR": "default"}}
    connections.settings[REPLICA] = settings
    try:
        yield connections[REPLICA]
    finally:
        with django_db_blocker.unblock():
            connections[REPLICA].close()
        del connections.settings[REPLICA]
        del connections._connections.replica  # the handler's per-thread connection


def test_a_dashboard_reads_from_the_replica_and_a_list_does_not(world, client_as, replica):
    client = client_as(Role.STAFF)

    with CaptureQueriesContext(replica) as on_replica:
        rollup = client.get(reverse("grassroots:index"))
    assert rollup.status_code == 200
    assert 'id="rollup"' in rollup.content.decode()
    assert any("grassroots" in query["sql"] for query in on_replica.captured_queries)

    with CaptureQueriesContext(replica) as on_replica:
        members = client.get(reverse("grassroots:member-list"))
    assert members.status_code == 200
    assert on_replica.captured_queries == []
