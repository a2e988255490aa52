"""One project's worst queries cannot hold up others: a query's size is bounded, and a
project runs a limited number of research queries at once (PostgreSQL advisory locks held
exactly while its page query runs)."""

import psycopg
import pytest
from django.db import connection

from tests.research_fixtures import cond, query


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
