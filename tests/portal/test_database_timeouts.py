"""PostgreSQL ends a runaway statement and an abandoned transaction (settings-driven)."""

import pytest

from tests.portal.production import container_env, run_json

PROBE = """
import json, django
django.setup()
from django.db import connection, OperationalError
from django.db.utils import DatabaseError
with connection.cursor() as cursor:
    cursor.execute("SHOW statement_timeout")
    statement = cursor.fetchone()[0]
    cursor.execute("SHOW idle_in_transaction_session_timeout")
    idle = cursor.fetchone()[0]
    try:
        cursor.execute("SELECT pg_sleep(3)")
        slept = "finished"
    except DatabaseError as error:
        slept = type(error.__cause__).__name__
print(json.dumps({"statement": statement, "idle": idle, "slept": slept}))
"""


@pytest.mark.django_db
def test_production_connections_start_with_both_timeouts():
    answers = run_json(PROBE, container_env("web", DATABASE_STATEMENT_TIMEOUT="1"))
    assert answers["statement"] == "1s"
    assert answers["idle"] == "5min"  # the production default
    # a statement longer than the limit is cancelled by the server
    assert answers["slept"] == "QueryCanceled"


@pytest.mark.django_db
def test_the_compose_file_sets_each_process_its_limit():
    # the web's 60 s matches gunicorn's timeout; migrate has none
    web = container_env("web")
    assert web["DATABASE_STATEMENT_TIMEOUT"] == "60"
    assert container_env("migrate")["DATABASE_STATEMENT_TIMEOUT"] == "0"
    assert container_env("worker")["DATABASE_STATEMENT_TIMEOUT"] == "600"
