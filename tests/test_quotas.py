"""Quotas and rate limits, through HTTP: exact, visible, told apart, free when we fail."""

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.models import Project
from accounts.services import projects
from audit.models import AuditEntry
from quotas.models import DailyUsage
from research import keyset
from research.rendering import Renderer
from tests.conftest import PASSWORD, bearer
from tests.research_fixtures import Researcher, cond, query

EVERY_REGION = query(cond("region_code", ["DE", "US", "FR"]))  # 4 videos of the study


def limit_to(researcher: Researcher, **quotas):
    Project.objects.filter(pk=researcher.project.pk).update(**quotas)


def used(project, family="videos") -> tuple[int, int]:
    row = DailyUsage.objects.filter(project=project, family=family).order_by("-day").first()
    return (row.requests, row.records) if row else (0, 0)


def rate_limit(response) -> dict[str, dict[str, int]]:
    """The IETF RateLimit header, parsed: {name: {"r": remaining, "t": seconds}}."""
    return {
        name: {key: int(value) for key, value in re.findall(r"(\w)=(\d+)", params)}
        for name, params in re.findall(r'"([\w-]+)";([^,]+)', response["RateLimit"])
    }


def seconds_to_midnight(now: datetime) -> int:
    midnight = datetime(now.year, now.month, now.day, tzinfo=UTC) + timedelta(days=1)
    return int((midnight - now).total_seconds() + 0.999)


class TestHeaders:
    def test_every_response_says_what_is_left_after_it(self, script):
        limit_to(script, daily_requests=5, daily_records=100)
        for n in range(1, 4):
            response = script.post("video/query", EVERY_REGION)
            assert response.status_code == 200
            assert response["RateLimit-Policy"] == (
                '"videos-requests";q=5;w=86400, "videos-records";q=100;w=86400, '
                '"burst";q=100000;w=10'
            )
            state = rate_limit(response)
            assert state["videos-requests"]["r"] == 5 - n
            assert state["videos-records"]["r"] == 100 - 4 * n
            assert 0 < state["videos-requests"]["t"] <= 86_400
            # X-RateLimit-* describe the limit nearest to running out: daily requests here.
            assert response["X-RateLimit-Limit"] == "5"
            assert response["X-RateLimit-Remaining"] == str(5 - n)
            assert response["X-RateLimit-Resource"] == "videos-requests"
            reset = datetime.fromtimestamp(int(response["X-RateLimit-Reset"]), UTC)
            assert (reset.hour, reset.minute, reset.second) == (0, 0, 0)
            assert reset - datetime.now(UTC) <= timedelta(days=1)

    def test_the_nearest_limit_is_the_one_reported(self, script):
        limit_to(script, daily_requests=1000, daily_records=10)
        response = script.post("video/query", EVERY_REGION)
        assert response["X-RateLimit-Resource"] == "videos-records"
        assert (response["X-RateLimit-Limit"], response["X-RateLimit-Remaining"]) == ("10", "6")

    def test_follower_lists_have_their_own_quota(self, script):
        from catalog.models import Creator
        from tests.research_fixtures import internal_id

        username = script.username(internal_id(Creator, 1))
        response = script.post("user/followers", {"username": username, "max_count": 100})
        assert response.status_code == 200
        assert response["RateLimit-Policy"].startswith(
            '"graph-requests";q=20000;w=86400, "graph-records";q=2000000;w=86400'
        )
        assert used(script.project, "graph") == (1, 100)
        assert used(script.project, "videos") == (0, 0)

    def test_a_reviewers_follower_list_quota_applies_at_once(self, script, reviewer):
        from catalog.models import Creator
        from tests.research_fixtures import internal_id

        projects.set_quotas(script.project, reviewer, graph_daily_requests=1)
        username = script.username(internal_id(Creator, 1))
        assert script.post("user/followers", {"username": username}).status_code == 200
        refused = script.post("user/following", {"username": username})
        assert refused.status_code == 429
        assert (
            "daily requests of the follower and following lists endpoints"
            in (refused.json()["error"]["message"])
        )
        assert "1 a day" in refused.json()["error"]["message"]

    def test_errors_carry_the_headers_too(self, script):
        response = script.post("video/query", {"query": {}})
        assert response.status_code == 400
        assert rate_limit(response)["videos-requests"]["r"] == 1000


class TestRefusals:
    def test_daily_requests(self, script):
        limit_to(script, daily_requests=2)
        assert script.post("video/query", EVERY_REGION).status_code == 200
        assert script.post("video/query", EVERY_REGION).status_code == 200
        refused = script.post("video/query", EVERY_REGION)
        assert refused.status_code == 429
        error = refused.json()["error"]
        assert error["code"] == "rate_limit_exceeded" and error["log_id"]
        assert (
            "Daily quota used up: daily requests of the videos and comments endpoints"
            in (error["message"])
        )
        assert "2 a day" in error["message"] and "00:00 UTC" in error["message"]
        wait = int(refused["Retry-After"])
        assert abs(wait - seconds_to_midnight(datetime.now(UTC))) <= 2
        assert rate_limit(refused)["videos-requests"]["r"] == 0
        assert used(script.project) == (2, 8)  # the refusal cost nothing

    def test_daily_records_cut_the_last_page_then_refuse(self, script):
        limit_to(script, daily_records=6)
        first = script.post("video/query", EVERY_REGION).json()["data"]
        assert len(first["videos"]) == 4
        second = script.post("video/query", EVERY_REGION).json()["data"]
        assert len(second["videos"]) == 2 and second["has_more"]  # cut to what is left
        refused = script.post("video/query", EVERY_REGION)
        assert refused.status_code == 429
        assert (
            "daily records of the videos and comments endpoints"
            in (refused.json()["error"]["message"])
        )
        assert used(script.project) == (2, 6)

    def test_the_burst_limit_is_told_apart_from_the_daily_ones(self, script, settings):
        settings.RESEARCH_API_BURST_REQUESTS = 3
        settings.RESEARCH_API_BURST_SECONDS = 3600  # one window for the whole test
        for _ in range(3):
            assert script.post("video/query", EVERY_REGION).status_code == 200
        refused = script.post("video/query", EVERY_REGION)
        assert refused.status_code == 429
        message = refused.json()["error"]["message"]
        assert message.startswith("Burst limit reached: at most 3 requests per 3600 seconds")
        assert "Daily quota" not in message
        assert 0 < int(refused["Retry-After"]) <= 3600
        assert refused["X-RateLimit-Resource"] == "burst"
        assert rate_limit(refused)["videos-requests"]["r"] == 997  # the day is not used up

    def test_denials_are_audited(self, script):
        limit_to(script, daily_requests=1)
        script.post("video/query", EVERY_REGION)
        script.post("video/query", EVERY_REGION)
        denial = AuditEntry.objects.get(event="quota.denied")
        assert denial.project_id == script.project.id and denial.client_id
        assert denial.details == {"limit": "videos-requests", "quota": 1}
        assert denial.target == "videos"


class TestFailuresAreFree:
    def test_invalid_parameters(self, script):
        for body in ({"query": {}}, {"query": {"and": [{"field_name": "nope"}]}}, "[1]"):
            assert script.post("video/query", body).status_code == 400
        assert script.post("video/query", EVERY_REGION, fields="nope").status_code == 400
        assert used(script.project) == (0, 0)

    def test_a_server_error_after_the_rows_were_read(self, script, monkeypatch):
        def fail(self, rows):
            raise RuntimeError("a bug of ours")

        monkeypatch.setattr(Renderer, "render", fail)
        script.client.raise_request_exception = False
        response = script.post("video/query", EVERY_REGION)
        assert response.status_code == 500
        assert response.json()["error"]["code"] == "internal_error"
        assert "not charged" in response.json()["error"]["message"]
        assert used(script.project) == (0, 0)
        assert not AuditEntry.objects.filter(event="data.read").exists()

    @pytest.mark.postgres
    @pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as served
    def test_a_query_that_times_out(self, script, monkeypatch, settings):
        settings.RESEARCH_API_QUERY_TIMEOUT_SECONDS = 1
        run = keyset.run

        def slow(sql, params, **options):  # the page query itself takes 3 seconds
            return run(sql.replace("SELECT ", "SELECT pg_sleep(3), ", 1), params, **options)

        monkeypatch.setattr(keyset, "run", slow)
        response = script.post("video/query", EVERY_REGION)
        assert response.status_code == 503
        error = response.json()["error"]
        assert error["code"] == "query_timeout" and "not charged" in error["message"]
        assert used(script.project) == (0, 0)
        monkeypatch.setattr(keyset, "run", run)
        assert script.post("video/query", EVERY_REGION).status_code == 200
        assert used(script.project) == (1, 4)

    @pytest.mark.postgres
    @pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as served
    def test_a_write_that_waits_too_long_times_out_and_writes_nothing(self, script, settings):
        import psycopg
        from django.db import connection

        settings.RESEARCH_API_QUERY_TIMEOUT_SECONDS = 1
        assert script.post("video/query", EVERY_REGION).status_code == 200  # the head exists
        entries = AuditEntry.objects.count()
        params = connection.get_connection_params()
        with psycopg.connect(**params) as other:  # holds the audit chain's head for 5 s
            other.execute("SELECT 1 FROM audit_chainhead FOR UPDATE")
            release = threading.Timer(5, other.rollback)
            release.start()
            response = script.post("video/query", EVERY_REGION)
            release.join()
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "query_timeout"
        assert used(script.project) == (1, 4)
        assert AuditEntry.objects.count() == entries

    def test_not_found_or_a_refused_dataset(self, script):
        assert script.post("user/followers", {"username": "nobody"}).status_code == 404
        limit_to(script, datasets=["video"])
        assert script.post("user/followers", {"username": "nobody"}).status_code == 403
        assert used(script.project, "graph") == (0, 0)


class TestSharedBudget:
    def second_client(self, script) -> Researcher:
        owner = script.project.members.get(role="pi").user
        key, secret = projects.add_client(script.project, owner)
        return Researcher(script.project, key, secret)

    def test_a_second_client_spends_the_same_daily_budget(self, script):
        limit_to(script, daily_requests=3)
        laptop = self.second_client(script)
        assert script.post("video/query", EVERY_REGION).status_code == 200
        assert laptop.post("video/query", EVERY_REGION).status_code == 200
        response = script.post("video/query", EVERY_REGION)
        assert rate_limit(response)["videos-requests"]["r"] == 0
        assert laptop.post("video/query", EVERY_REGION).status_code == 429
        assert used(script.project) == (3, 12)

    def test_but_each_client_has_its_own_burst_window(self, script, settings):
        settings.RESEARCH_API_BURST_REQUESTS = 1
        settings.RESEARCH_API_BURST_SECONDS = 3600
        laptop = self.second_client(script)
        assert script.post("video/query", EVERY_REGION).status_code == 200
        assert script.post("video/query", EVERY_REGION).status_code == 429
        assert laptop.post("video/query", EVERY_REGION).status_code == 200

    def test_forwarded_for_headers_change_nothing(self, script, settings):
        settings.RESEARCH_API_BURST_REQUESTS = 2
        settings.RESEARCH_API_BURST_SECONDS = 3600
        spoofs = [
            {"HTTP_X_FORWARDED_FOR": "203.0.113.1"},
            {"HTTP_X_REAL_IP": "203.0.113.2", "HTTP_FORWARDED": "for=203.0.113.3"},
            {"HTTP_X_FORWARDED_FOR": "198.51.100.9, 203.0.113.4", "REMOTE_ADDR": "10.0.0.9"},
        ]
        statuses = [script.post("video/query", EVERY_REGION, **s).status_code for s in spoofs]
        assert statuses == [200, 200, 429]

    def test_the_portal_adds_clients_for_the_principal_investigator_only(self, script):
        owner = script.project.members.get(role="pi").user
        owner.set_password(PASSWORD)
        owner.save()
        portal = Client()
        portal.force_login(owner)
        shown = portal.post(f"/portal/projects/{script.project.id}/clients/")
        key = re.search(rb'id="client-key">([^<]+)<', shown.content).group(1).decode()
        secret = re.search(rb'id="client-secret">([^<]+)<', shown.content).group(1).decode()
        page = portal.get(f"/portal/projects/{script.project.id}/").content
        assert page.count(b'class="client-key"') == 2 and secret.encode() not in page
        assert Researcher(script.project, key, secret).post("project/info", {}).status_code == 200
        rotated = portal.post(f"/portal/projects/{script.project.id}/secret/", {"client": key})
        assert key.encode() in rotated.content and secret.encode() not in rotated.content
        for _ in range(3):
            portal.post(f"/portal/projects/{script.project.id}/clients/")
        refused = portal.post(f"/portal/projects/{script.project.id}/clients/", follow=True)
        assert b"at most 5 clients" in refused.content
        assert script.project.clients.count() == 5


class TestMidnight:
    def test_the_daily_quotas_reset_at_midnight_utc(self, script):
        limit_to(script, daily_requests=2)
        tomorrow = datetime.now(UTC).date() + timedelta(days=1)
        before_midnight = datetime(*tomorrow.timetuple()[:3], 23, 59, 50, tzinfo=UTC)
        with time_machine.travel(before_midnight, tick=False) as traveller:
            late = Researcher(
                script.project, *self.credentials(script)
            )  # a token issued in the traveller's time
            assert late.post("video/query", EVERY_REGION).status_code == 200
            assert late.post("video/query", EVERY_REGION).status_code == 200
            refused = late.post("video/query", EVERY_REGION)
            assert refused.status_code == 429 and refused["Retry-After"] == "10"
            traveller.shift(timedelta(seconds=9))
            assert late.post("video/query", EVERY_REGION).status_code == 429
            traveller.shift(timedelta(seconds=1))  # 00:00:00 UTC
            after = late.post("video/query", EVERY_REGION)
            assert after.status_code == 200
            assert rate_limit(after)["videos-requests"]["r"] == 1
        days = DailyUsage.objects.filter(project=script.project).order_by("day")
        assert [(d.day, d.requests) for d in days] == [
            (tomorrow, 2),
            (tomorrow + timedelta(days=1), 1),
        ]

    @staticmethod
    def credentials(script) -> tuple[str, str]:
        owner = script.project.members.get(role="pi").user
        return projects.issue_secret(script.project, owner)


class TestUsage:
    def test_the_usage_endpoint_reports_today_and_30_days(self, script):
        limit_to(script, daily_requests=50)
        script.post("video/query", EVERY_REGION)
        script.post("video/query", {"query": {}})  # failed: not counted
        response = script.client.get("/v2/research/usage/", **bearer(script.token))
        assert response.status_code == 200
        usage = response.json()["data"]
        today = datetime.now(UTC).date()
        assert usage["date"] == today.isoformat()
        assert usage["families"]["videos"]["requests"] == {"used": 1, "limit": 50, "remaining": 49}
        assert usage["families"]["videos"]["records"]["used"] == 4
        assert usage["families"]["graph"]["requests"] == {
            "used": 0,
            "limit": 20_000,
            "remaining": 20_000,
        }
        assert usage["burst"]["per"] == "client"
        assert len(usage["history"]) == 60
        assert usage["history"][-2:] == [
            {"date": today.isoformat(), "family": "videos", "requests": 1, "records": 4},
            {"date": today.isoformat(), "family": "graph", "requests": 0, "records": 0},
        ]
        # Reading one's usage costs nothing.
        again = script.client.get("/v2/research/usage/", **bearer(script.token)).json()["data"]
        assert again["families"]["videos"]["requests"]["used"] == 1

    def test_the_portal_and_the_admin_show_it(self, script, reviewer):
        script.post("video/query", EVERY_REGION)
        owner = script.project.members.get(role="pi").user
        owner.set_password(PASSWORD)
        owner.save()
        portal = Client()
        portal.force_login(owner)
        page = portal.get(f"/portal/projects/{script.project.id}/").content.decode()
        admin = Client()
        admin.force_login(reviewer)
        admin_page = admin.get(f"/admin/accounts/project/{script.project.id}/change/")
        for html in (page, admin_page.content.decode()):
            row = r"<td>videos and comments</td>\s*<td>1</td>\s*<td>1,000</td>\s*<td>999</td>"
            assert re.search(row, html), html
            # The last 30 days: a chart per family, drawn from the embedded history, and
            # beside it a table of the same numbers (today's row first).
            assert 'canvas data-family="videos"' in html and 'id="usage-history"' in html
            today = timezone.now().date().isoformat()
            day = rf'<th scope="row">{today}</th><td class="number">1</td><td class="number">4</td>'
            assert re.search(day, html), html


def test_purge_searches_deletes_expired_searches_and_ended_burst_windows(script):
    from io import StringIO

    from django.core.management import call_command

    from quotas.models import BurstWindow
    from research.models import Search

    script.post("video/query", EVERY_REGION)
    assert Search.objects.count() == 1 and BurstWindow.objects.count() == 1
    out = StringIO()
    call_command("purge_searches", stdout=out)
    assert Search.objects.count() == 1 and BurstWindow.objects.count() == 1
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=25)):
        call_command("purge_searches", stdout=out)
    assert Search.objects.count() == 0 and BurstWindow.objects.count() == 0
    assert out.getvalue().splitlines()[-2:] == [
        "purged 1 expired searches",
        "purged 1 ended burst windows",
    ]
    assert used(script.project) == (1, 4)  # the day's usage is history: kept
