"""One project's worst queries cannot hold up others: a query's size is bounded, and a
project runs a limited number of research queries at once (PostgreSQL advisory locks held
exactly while its page query runs)."""

import http.client
import threading

import orjson
import psycopg
import pytest
from django.db import connection

from tests.research_fixtures import cond, query
from tests.servers import gunicorn

VIDEO_QUERY = "/v2/research/video/query/"
ORDINARY = query(cond("region_code", ["DE", "US", "FR"]))


def keywords(n: int) -> list[str]:
    return [f"word{i}" for i in range(n)]


class TestQuerySize:
    def test_a_studys_keyword_list_goes_through(self, script):
        body = query(cond("keyword", keywords(157)), cond("region_code", ["DE", "FR"]))
        assert script.post("video/query", body).status_code == 200

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            (
                {
                    "query": {
                        "and": [cond("region_code", ["DE"])] * 20,
                        "or": [cond("region_code", ["FR"])] * 20,
                        "not": [cond("region_code", ["US"])] * 11,
                    },
                    "start_date": "20260101",
                    "end_date": "20261231",
                },
                "at most 50 in and, or and not together",
            ),
            (
                query(
                    cond("hashtag_name", [f"t{i}" for i in range(600)]),
                    cond("username", [f"u{i}" for i in range(401)]),
                ),
                "at most 1,000 in all its conditions",
            ),
            (query(cond("keyword", keywords(301))), "at most 300"),
            (
                {
                    "query": {
                        "and": [cond("keyword", keywords(150))],
                        "or": [cond("keyword", keywords(151))],
                    },
                    "start_date": "20260101",
                    "end_date": "20261231",
                },
                "searches 301 keywords",
            ),
            (query(cond("keyword", ["x" * 201])), "at most 200 characters"),
        ],
    )
    def test_a_query_too_big_is_refused_naming_the_limit(self, script, body, message):
        response = script.post("video/query", body)
        assert response.status_code == 400
        assert message in response.json()["error"]["message"], response.json()


def _hold_slots(project_id, slots: int):
    """Take a project's query slots from another connection, as its own long queries would."""
    db = connection.settings_dict
    holder = psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"], autocommit=False
    )
    for slot in range(1, slots + 1):
        holder.execute("SELECT pg_advisory_xact_lock(hashtext(%s), %s)", [str(project_id), slot])
    return holder


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestQueriesAtOnce:
    def test_a_project_with_every_slot_taken_is_refused_and_others_are_not(
        self, script, other_script, settings
    ):
        settings.RESEARCH_API_QUERIES_AT_ONCE = 2
        body = query(cond("region_code", ["DE", "US", "FR"]))
        holder = _hold_slots(script.project.id, 2)
        try:
            refused = script.post("video/query", body)
            assert refused.status_code == 429
            assert "2 research queries at once" in refused.json()["error"]["message"]
            assert refused["Retry-After"] == "1"
            assert other_script.post("video/query", body).status_code == 200
        finally:
            holder.rollback()  # the "long queries" end
            holder.close()
        assert script.post("video/query", body).status_code == 200

    def test_one_slot_free_is_enough(self, script, settings):
        settings.RESEARCH_API_QUERIES_AT_ONCE = 2
        holder = _hold_slots(script.project.id, 1)
        try:
            body = query(cond("region_code", ["DE"]))
            assert script.post("video/query", body).status_code == 200
        finally:
            holder.rollback()
            holder.close()


WORST_ALLOWED = query(cond("keyword", [f"qzx{i:04d}vwk" for i in range(300)]))


def _call(port: int, method: str, path: str, body: dict | None = None, token: str = ""):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json", "Host": "localhost"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=orjson.dumps(body) if body else None, headers=headers)
    response = conn.getresponse()
    return response.status, orjson.loads(response.read())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_project_firing_its_worst_queries_holds_up_nobody_else(script, other_script, settings):
    """Under gunicorn (2 processes x 2 threads): while two of project A's worst allowed
    queries run (their slots held, as a running query holds its slot), A fires twelve more at
    once, and meanwhile project B's requests and /healthz are answered. A's extra queries are
    refused at once instead of queueing for the workers, which stay free for everyone else.
    (bench/worst.py measures the same at 1M videos, with A's queries really running.)"""
    holder = _hold_slots(script.project.id, 2)
    try:
        with gunicorn(workers=2, threads=2, RESEARCH_API_QUERIES_AT_ONCE="2") as url:
            port = int(url.rsplit(":", 1)[1])
            storm: list = []
            others: list = []

            def fire():
                storm.append(_call(port, "POST", VIDEO_QUERY, WORST_ALLOWED, script.token))

            attackers = [threading.Thread(target=fire) for _ in range(12)]
            for thread in attackers:
                thread.start()
            for _ in range(5):
                others.append(_call(port, "POST", VIDEO_QUERY, ORDINARY, other_script.token))
                others.append(_call(port, "GET", "/healthz"))
            for thread in attackers:
                thread.join(timeout=60)
            assert [status for status, _ in others] == [200] * 10
            assert sorted(status for status, _ in storm) == [429] * 12
            assert all(body["error"]["code"] == "rate_limit_exceeded" for _, body in storm)
            assert all("queries at once" in body["error"]["message"] for _, body in storm)
            holder.rollback()  # A's long queries end: its slots are free again
            status, _ = _call(port, "POST", VIDEO_QUERY, WORST_ALLOWED, script.token)
            assert status == 200
    finally:
        holder.close()
