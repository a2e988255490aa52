"""The privacy budget under real concurrency: gunicorn processes with threads on
PostgreSQL, many private questions at once against the last of a budget. The budget is a
database counter debited in each answer's one write, so it is never overspent."""

import http.client
import json
import threading

import pytest
from django.test import Client

from accounts.models import Project
from quotas.models import PrivacySpend
from research.models import StatsRelease
from tests.conftest import get_token, provision
from tests.servers import gunicorn

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
CALLERS = 24


def ask(port: int, token: str, ground: str, results: list, i: int, barrier):
    body = {
        "start_date": "20260101",
        "end_date": "20261231",
        "group_by": ["category"],
        # Different questions (each a release of its own), at rho 0.1 each.
        "filter": {"and": [{"operation": "IN", "field_name": "market", "field_values": [ground]}]},
        "privacy": {"rho": 0.1},
    }
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    barrier.wait(timeout=30)
    conn.request(
        "POST",
        "/v2/research/moderation/stats/",
        body=json.dumps(body),
        headers={"Authorization": f"Bearer {token}", "Host": "localhost"},
    )
    response = conn.getresponse()
    results[i] = (response.status, json.loads(response.read()))


def test_many_private_questions_at_once_never_overspend_the_budget(study):
    project, key, secret = provision(owner_email="audit@ngo.example", scopes=("research.stats",))
    Project.objects.filter(pk=project.pk).update(privacy_budget_rho=0.35)
    token = get_token(Client(), key, secret).json()["access_token"]
    markets = [f"{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(CALLERS)]
    results: list = [None] * CALLERS
    barrier = threading.Barrier(CALLERS)
    with gunicorn(workers=2, threads=8, RESEARCH_API_QUERIES_AT_ONCE="100") as url:
        port = int(url.rsplit(":", 1)[1])
        threads = [
            threading.Thread(target=ask, args=(port, token, markets[i], results, i, barrier))
            for i in range(CALLERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * 3 + [403] * (CALLERS - 3), statuses
    refusals = {body["error"]["code"] for status, body in results if status == 403}
    assert refusals == {"privacy_budget_exhausted"}
    assert PrivacySpend.objects.get(project_id=project.id).spent == 300_000  # 3 x rho 0.1
    assert StatsRelease.objects.filter(project_id=project.id).count() == 3
