"""Quota accounting under real concurrency: several gunicorn processes with threads, on
PostgreSQL, hammered by 200 simultaneous requests. No mocks: the processes share nothing but
the database."""

import http.client
import json
import threading
from pathlib import Path

import pytest

from accounts.models import Project
from audit.models import AuditEntry
from audit.services import verify
from quotas.models import DailyUsage
from tests.research_fixtures import cond, query
from tests.servers import gunicorn

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parent.parent
CALLERS = 200
EVERY_REGION = json.dumps(query(cond("region_code", ["DE", "US", "FR"]))).encode()


@pytest.fixture
def server():
    """gunicorn, 4 processes x 8 threads, serving the test database; yields its port. The
    cap on a project's queries at once is lifted: these tests race the quota's own debits
    (tests/test_query_cost.py tests the cap)."""
    with gunicorn(workers=4, threads=8, RESEARCH_API_QUERIES_AT_ONCE="1000") as url:
        yield int(url.rsplit(":", 1)[1])


def call(port: int, method: str, path: str, body: bytes | None = None, token: str = ""):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json", "Host": "localhost"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, json.loads(response.read())


def at_once(port: int, token: str) -> list[tuple[int, dict]]:
    """CALLERS requests released at the same moment, each on its own connection."""
    barrier = threading.Barrier(CALLERS)
    results: list = [None] * CALLERS

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = call(port, "POST", "/v2/research/video/query/", EVERY_REGION, token)
        except Exception as error:  # reported by the assertion below
            results[i] = (0, {"error": repr(error)})

    threads = [threading.Thread(target=run, args=(i,)) for i in range(CALLERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_200_simultaneous_requests_against_1_remaining_one_succeeds(script, server):
    Project.objects.filter(pk=script.project.pk).update(daily_requests=1)
    results = at_once(server, script.token)
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] + [429] * (CALLERS - 1), {s: statuses.count(s) for s in statuses}
    refusals = [body["error"] for status, body in results if status == 429]
    assert all("daily requests" in error["message"] for error in refusals)
    usage = DailyUsage.objects.get(project=script.project)
    assert (usage.requests, usage.records) == (1, 4)
    assert AuditEntry.objects.filter(event="data.read").count() == 1
    assert AuditEntry.objects.filter(event="quota.denied").count() == CALLERS - 1
    assert verify()[1] is None  # the chain holds under concurrent writers


def test_records_are_never_overspent(script, server):
    Project.objects.filter(pk=script.project.pk).update(daily_records=10)
    results = at_once(server, script.token)
    returned = sum(len(body["data"]["videos"]) for status, body in results if status == 200)
    usage = DailyUsage.objects.get(project=script.project)
    assert usage.records == returned <= 10
    assert usage.requests == sum(1 for status, _ in results if status == 200)
    assert {status for status, _ in results} <= {200, 429}
    refusals = [body["error"]["message"] for status, body in results if status == 429]
    assert all("daily records" in message for message in refusals), set(refusals)


def test_a_refusal_names_the_limit_others_used_up_meanwhile(script, server):
    # Most callers read 3 requests left before the others' debits: their refusal must still
    # say it was the daily requests that ran out, not guess from what they read.
    Project.objects.filter(pk=script.project.pk).update(daily_requests=3)
    results = at_once(server, script.token)
    assert sorted(status for status, _ in results) == [200] * 3 + [429] * (CALLERS - 3)
    refusals = [body["error"]["message"] for status, body in results if status == 429]
    assert all("daily requests" in message for message in refusals), set(refusals)
