"""A research request costs no health-check round trip of its own, yet survives a database
connection that died between requests (a restart, a pooler, an idle timeout)."""

import psycopg
import pytest
from django.db import connection

from tests.research_fixtures import cond, query

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),  # as served
]
EVERY_REGION = query(cond("region_code", ["DE", "US", "FR"]))


def _terminate(pid: int):
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"], autocommit=True
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_request_after_the_connection_died_is_answered(script):
    assert script.post("video/query", EVERY_REGION).status_code == 200
    _terminate(connection.connection.info.backend_pid)
    response = script.post("video/query", EVERY_REGION)
    assert response.status_code == 200, response.content
    assert len(response.json()["data"]["videos"]) == 4


def test_no_health_check_round_trip_of_its_own(script, monkeypatch):
    checks = []
    is_usable = connection.is_usable

    def counted():
        checks.append(1)
        return is_usable()

    script.post("video/query", EVERY_REGION)
    monkeypatch.setattr(connection, "is_usable", counted)
    # What the server does at the start of every request (the test client does not):
    # with CONN_HEALTH_CHECKS, the connection is then checked before its first statement.
    connection.close_if_unusable_or_obsolete()
    assert script.post("video/query", EVERY_REGION).status_code == 200
    assert checks == []  # Django's CONN_HEALTH_CHECKS would have sent a SELECT 1 first
