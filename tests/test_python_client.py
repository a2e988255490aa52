"""The first-party Python client and its command line (clients/python), run as a researcher
runs them: against the service as it runs (gunicorn) over a small synthetic platform."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import research_api_client
from research_api_client import (
    ApiError,
    Client,
    ConfigError,
    RateLimited,
    condition,
    query,
)

from codebook.scopes import SCOPE_DESCRIPTIONS
from tests.conftest import provision
from tests.servers import gunicorn, seed_small_platform

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


WINDOW = ("20251101", "20261031")
VIDEOS = query(condition("region_code", ["DE", "TR", "VN"]))
BURST_LIFTED = {"RESEARCH_API_BURST_REQUESTS": "1000"}  # tests that are not about the burst limit
CLI = [sys.executable, "-m", "research_api_client.cli"]


@pytest.fixture
def platform():
    seed_small_platform()


def credentials(url: str, **project) -> dict:
    _, key, secret = provision(scopes=tuple(SCOPE_DESCRIPTIONS), **project)
    return {"url": url, "client_key": key, "client_secret": secret}


def environment(url: str, project: dict) -> dict:
    """The environment a researcher's shell has: the server and the project's credentials."""
    return {
        **os.environ,
        "RESEARCH_API_URL": url,
        "RESEARCH_API_CLIENT_KEY": project["client_key"],
        "RESEARCH_API_CLIENT_SECRET": project["client_secret"],
    }


def used_requests(client: Client) -> int:
    return client.usage()["families"]["videos"]["requests"]["used"]


def test_listings_page_for_you_and_come_typed(platform, tmp_path):
    with gunicorn(workers=1, threads=4, **BURST_LIFTED) as url:
        client = Client(**credentials(url))
        secret = client.transport.credentials.client_secret
        assert secret not in repr(client) and secret not in repr(client.transport.credentials)

        # Every page, with search_id and cursor, in pages of 7: the same as one big page.
        small = client.videos(VIDEOS, *WINDOW, max_count=7)
        ids = [v["id"] for v in small]
        assert small.pages_fetched > 2 and len(ids) == len(set(ids))
        assert ids == [v["id"] for v in client.videos(VIDEOS, *WINDOW, max_count=100)]

        # Typed as the codebook says: 64-bit ids, UTC times, lists, nullable integers.
        frame = client.videos(
            VIDEOS, *WINDOW, fields="id,create_time,username,hashtag_names,view_count"
        ).to_pandas()
        assert str(frame["id"].dtype) == "Int64" and str(frame["view_count"].dtype) == "Int64"
        assert str(frame["create_time"].dtype).startswith("datetime64") and "UTC" in str(
            frame["create_time"].dtype
        )
        assert str(frame["username"].dtype) == "string"
        assert all(hasattr(tags, "__len__") for tags in frame["hashtag_names"])  # lists
        polars_frame = client.videos(VIDEOS, *WINDOW, fields="id,create_time", limit=5).to_polars()
        assert polars_frame.height == 5 and str(polars_frame.schema["create_time"]).startswith(
            "Datetime"
        )
        arrow = client.decisions(
            query(condition("decision_visibility", ["CONTENT_REMOVED"])), *WINDOW, limit=20
        ).to_arrow()
        assert str(arrow.schema.field("actioned_at").type) == "timestamp[s, tz=UTC]"
        assert str(arrow.schema.field("automated_detection").type) == "bool"

        # The other listings, statistics, usage and the privacy budget.
        username = frame["username"].iloc[0]
        assert client.user_info(username)["username"] == username
        edges = list(client.snowball([username], depth=2))
        assert {e["hop"] for e in edges} <= {1, 2} and all(
            e["source"] and e["target"] for e in edges
        )
        video = int(frame["id"].iloc[0])
        assert all("text" in c for c in client.comments(video))
        stats = client.stats(*WINDOW, group_by=["policy"], metrics=["decisions", "proactive_rate"])
        table = stats.to_pandas()
        assert {"policy", "decisions", "proactive_rate", "proactive_rate_n"} <= set(table.columns)
        private = client.stats(*WINDOW, group_by=["category"], privacy={"rho": 0.05})
        assert private.meta["privacy"]["rho"] == pytest.approx(0.05)
        assert client.privacy_budget()["rho_spent"] == pytest.approx(0.05)

        # Compliance in batches: every id checked, the unknown one to purge.
        research_api_client.client.VALIDATION_BATCH = 3
        try:
            checked = client.compliance.check([*frame["id"].head(5).astype(int), 12345])
        finally:
            research_api_client.client.VALIDATION_BATCH = 10_000
        assert checked["invalid"] == [12345] and len(checked["valid"]) == 5


def test_an_export_is_followed_downloaded_checked_and_opened(platform, tmp_path):
    with gunicorn(workers=1, threads=4, **BURST_LIFTED) as url:
        client = Client(**credentials(url))
        export = client.exports.create(
            "videos", query=VIDEOS, start_date=WINDOW[0], end_date=WINDOW[1]
        )
        seen = []
        export.wait(poll=0.2, progress=lambda data: seen.append(data["status"]))
        assert export.status == "succeeded" and seen[-1] == "succeeded"
        frame = export.to_pandas(tmp_path)
        assert len(frame) == len(client.videos(VIDEOS, *WINDOW).to_list())
        assert str(frame["id"].dtype) == "Int64"
        # A file that does not match its SHA-256 is refused and removed.
        export.data["files"][0]["sha256"] = "0" * 64
        with pytest.raises(research_api_client.ChecksumMismatch):
            export.download(tmp_path / "again")
        assert not list((tmp_path / "again").iterdir())


def test_rate_limits_are_waited_out_visibly_and_a_day_spent_stops_the_pull(platform):
    burst = {"RESEARCH_API_BURST_REQUESTS": "3", "RESEARCH_API_BURST_SECONDS": "2"}
    with gunicorn(workers=1, threads=4, **burst) as url:
        waits = []
        client = Client(**credentials(url), on_wait=lambda reason, s: waits.append((reason, s)))
        videos = client.videos(VIDEOS, *WINDOW, max_count=5).to_list()
        assert len(videos) > 15  # more pages than the burst allows at once
        odd = [(reason, s) for reason, s in waits if not ("Burst limit" in reason and 0 < s <= 2)]
        assert waits and not odd, odd

        # A tiny daily quota: the wait would be until midnight, past max_wait: a clear error.
        tiny = Client(**credentials(url, daily_requests=2), max_wait=30)
        with pytest.raises(RateLimited) as refused:
            tiny.videos(VIDEOS, *WINDOW, max_count=5).to_list()
        assert refused.value.code == "rate_limit_exceeded" and refused.value.retry_after > 30
        assert "daily" in refused.value.message.lower()


def test_an_interrupted_pull_resumes_without_paying_twice(platform, tmp_path):
    state = tmp_path / "pull.json"
    with gunicorn(workers=1, threads=4, **BURST_LIFTED) as url:
        project = credentials(url)
        client = Client(**project)
        everything = [v["id"] for v in client.videos(VIDEOS, *WINDOW, max_count=100)]
        before = used_requests(client)

        got = []
        pull = client.videos(VIDEOS, *WINDOW, max_count=6, state=state)
        with pytest.raises(KeyboardInterrupt):
            for i, video in enumerate(pull):
                got.append(video["id"])
                if i == 14:  # half-way through the third page
                    raise KeyboardInterrupt
        assert state.exists() and pull.pages_fetched == 3

        # A new process would start over from the state file: a new client, the same pull.
        again = Client(**project).videos(VIDEOS, *WINDOW, max_count=6, state=state)
        rest = [v["id"] for v in again]
        assert got[:12] + rest == everything  # the third page is handed on again, whole
        assert not state.exists()
        pages = -(-len(everything) // 6)
        assert pull.pages_fetched + again.pages_fetched == pages
        assert used_requests(client) - before == pages + 0  # no page was charged twice

        # A state file of another pull is refused, not misused.
        state.write_text(json.dumps({"version": 1, "fingerprint": "another"}))
        with pytest.raises(research_api_client.StateMismatch):
            client.videos(VIDEOS, *WINDOW, state=state).to_list()


def test_query_timeouts_are_retried_with_back_off_then_reported():
    """The server's query_timeout (a query past its time limit) cannot be made to happen on
    demand, so this one answer comes from a stand-in for the server's token and query."""
    answers = iter([503, 503, 200])

    def server(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v2/oauth/token/":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 7200})
        status = next(answers)
        code = "ok" if status == 200 else "query_timeout"
        data = {"videos": [{"id": 1}], "has_more": False, "cursor": 1} if status == 200 else {}
        return httpx.Response(
            status, json={"data": data, "error": {"code": code, "message": "slow", "log_id": "x"}}
        )

    waits = []
    client = Client(
        "http://stand-in",
        "key",
        "secret",
        http_transport=httpx.MockTransport(server),
        on_wait=lambda reason, s: waits.append((reason, s)),
    )
    client.transport._sleep = lambda s: None
    assert client.videos(VIDEOS, *WINDOW).to_list() == [{"id": 1}]
    assert [r.split(":")[0] for r, _ in waits] == ["query_timeout", "query_timeout"]
    assert waits[0][1] < waits[1][1] <= 60  # backing off, bounded

    answers = iter([503] * 10)
    client.transport.max_retries = 2
    with pytest.raises(ApiError) as failed:
        client.videos(VIDEOS, *WINDOW).to_list()
    assert failed.value.code == "query_timeout"


def test_credentials_come_from_arguments_environment_or_a_config_file(tmp_path, monkeypatch):
    for name in ("RESEARCH_API_URL", "RESEARCH_API_CLIENT_KEY", "RESEARCH_API_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RESEARCH_API_CONFIG", str(tmp_path / "none.toml"))
    with pytest.raises(ConfigError, match="RESEARCH_API_CLIENT_KEY"):
        Client()
    config = tmp_path / "config.toml"
    config.write_text('[lab]\nurl = "http://lab.example/"\nclient_key = "k"\nclient_secret = "s"\n')
    client = Client(config=config, profile="lab")
    assert client.url == "http://lab.example" and "s'" not in repr(client)
    monkeypatch.setenv("RESEARCH_API_CLIENT_KEY", "from-env")
    assert Client(config=config, profile="lab").transport.credentials.client_key == "from-env"
    config.write_text("[lab\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        Client(config=config, profile="lab")


# --- The command line -------------------------------------------------------------------------


def cli(args, env, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args], env=env, capture_output=True, text=True, timeout=300, **options
    )


def test_the_command_line_pulls_resumes_and_explains_itself(platform, tmp_path):
    with gunicorn(workers=1, threads=4, **BURST_LIFTED) as url:
        project = credentials(url)
        env = environment(url, project)
        client = Client(**project)
        everything = [v["id"] for v in client.videos(VIDEOS, *WINDOW)]
        before = used_requests(client)

        # A pull in pages of 3, stopped with Ctrl-C, then run again: complete, nothing paid twice.
        out = tmp_path / "videos.parquet"
        args = [
            "query",
            "videos",
            *("--region", "DE", "--region", "TR", "--region", "VN"),
            "--start",
            WINDOW[0],
            "--end",
            WINDOW[1],
            "-o",
            str(out),
        ]
        process = subprocess.Popen(
            [*CLI, *args, "--page-size", "3"], env=env, stderr=subprocess.PIPE, text=True
        )
        state = tmp_path / "videos.parquet.state.json"
        deadline = time.monotonic() + 60
        while not (state.exists() and json.loads(state.read_text() or "{}").get("pages", 0) >= 2):
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 130, stderr
        assert "run the same command again to resume" in stderr
        assert not out.exists()
        # Resumed with bigger pages: the search and its place are kept, only later pages grow.
        place = json.loads(state.read_text())
        fetched = place["records"] + len(place["pending"] or [])
        resumed = cli([*args, "--page-size", "5"], env)
        assert resumed.returncode == 0, resumed.stderr
        assert "resuming after" in resumed.stderr
        import pyarrow.parquet as pq

        table = pq.read_table(out)
        assert table.column("id").to_pylist() == everything
        # Parquet has no seconds unit: Unix seconds are stored as UTC milliseconds.
        assert str(table.schema.field("create_time").type) == "timestamp[ms, tz=UTC]"
        later = -(-(len(everything) - fetched) // 5) if place["has_more"] else 0
        assert used_requests(client) - before == place["pages"] + later  # none asked twice
        assert not state.exists() and not (tmp_path / "videos.parquet.partial.jsonl").exists()

        # A spool whose state is gone is never silently thrown away or reused.
        (tmp_path / "videos.parquet.partial.jsonl").write_text('{"id": 1}\n')
        stale = cli(args, env)
        assert stale.returncode == 2 and "--restart" in stale.stderr
        again = cli([*args, "--restart"], env)
        assert again.returncode == 0, again.stderr
        assert pq.read_table(out).column("id").to_pylist() == everything

        # The other commands, each to the format its file names.
        accounts = tmp_path / "accounts.csv"
        someone = table.column("username")[0].as_py()
        done = cli(["users", someone, "u0000000000000000", "-o", str(accounts)], env)
        assert done.returncode == 0, done.stderr
        assert "1 of 2 accounts" in done.stderr  # the unknown one is skipped, and said so
        assert someone in accounts.read_text()
        comments = tmp_path / "comments.csv"
        assert cli(["comments", "--ids-from", str(out), "-o", str(comments)], env).returncode == 0
        assert (
            comments.read_text().startswith(("id,", "video_id,"))
            or "text" in comments.read_text().splitlines()[0]
        )
        graph = tmp_path / "graph.jsonl"
        done = cli(
            [
                "followers",
                "--usernames-from",
                str(out),
                "--snowball",
                "2",
                "--limit",
                "50",
                "-o",
                str(graph),
            ],
            env,
        )
        assert done.returncode == 0, done.stderr
        assert all(
            {"source", "target", "hop"} <= set(json.loads(line))
            for line in graph.read_text().splitlines()
        )
        decisions = tmp_path / "decisions.jsonl"
        done = cli(
            [
                "decisions",
                "--where",
                "decision_visibility=CONTENT_REMOVED",
                "--start",
                WINDOW[0],
                "--end",
                WINDOW[1],
                "--limit",
                "30",
                "-o",
                str(decisions),
            ],
            env,
        )
        assert done.returncode == 0, done.stderr
        assert len(decisions.read_text().splitlines()) == 30
        stats = cli(
            [
                "stats",
                "--group-by",
                "policy",
                "--metric",
                "decisions",
                "--start",
                WINDOW[0],
                "--end",
                WINDOW[1],
            ],
            env,
        )
        assert stats.returncode == 0 and "policy" in stats.stdout and "decisions" in stats.stdout
        created = cli(
            [
                "export",
                "create",
                "videos",
                "--region",
                "DE",
                "--start",
                WINDOW[0],
                "--end",
                WINDOW[1],
                "-d",
                str(tmp_path / "export"),
            ],
            env,
        )
        assert created.returncode == 0, created.stderr
        assert (
            "SHA-256 checked" in created.stderr
            and (tmp_path / "export" / "videos.parquet").exists()
        )
        ids = tmp_path / "ids.txt"
        ids.write_text(f"{everything[0]}\n12345\n")
        check = cli(["compliance", "check", str(ids)], env)
        assert check.returncode == 0 and check.stdout == "12345\n"
        usage = cli(["usage"], env)
        assert usage.returncode == 0 and "privacy budget (rho)" in usage.stdout

        # Errors: one clear line and a non-zero exit, never a traceback.
        wrong = cli(["usage"], {**env, "RESEARCH_API_CLIENT_SECRET": "wrong"})
        assert (
            wrong.returncode == 1
            and "invalid_client" in wrong.stderr
            and "Traceback" not in wrong.stderr
        )
        assert project["client_secret"] not in wrong.stderr + wrong.stdout
        bad_date = cli(
            [
                "query",
                "videos",
                "--region",
                "DE",
                "--start",
                "2026-13",
                "--end",
                "20261031",
                "-o",
                "x.csv",
            ],
            env,
        )
        assert bad_date.returncode == 2 and "not a date" in bad_date.stderr
        too_long = cli(
            [
                "query",
                "videos",
                "--region",
                "DE",
                "--start",
                "20240101",
                "--end",
                "20261031",
                "-o",
                str(tmp_path / "x.csv"),
            ],
            env,
        )
        assert too_long.returncode == 1 and "invalid_params" in too_long.stderr
        assert len(too_long.stderr.strip().splitlines()) == 1
        no_format = cli(
            [
                "query",
                "videos",
                "--region",
                "DE",
                "--start",
                WINDOW[0],
                "--end",
                WINDOW[1],
                "-o",
                "x.xlsx",
            ],
            env,
        )
        assert no_format.returncode == 2 and ".parquet, .csv or .jsonl" in no_format.stderr


def test_help_teaches():
    shown = subprocess.run([*CLI, "--help"], capture_output=True, text=True, check=True).stdout
    for text in (
        "examples:",
        "research-api query videos",
        "--snowball",
        "RESEARCH_API_CLIENT_SECRET",
        "exit codes",
    ):
        assert text in shown
    assert re.search(r"query videos.*--keywords-file", shown)


def test_the_clients_readme_study_runs_as_written():
    """clients/python/README.md's dozen-line study, run as a newcomer runs it: keyword videos,
    their accounts, one hop of following, and the decisions about all of them."""
    seed_small_platform(videos=10_000)
    readme = (Path(__file__).resolve().parent.parent / "clients/python/README.md").read_text()
    study = re.search(r"## A study in a dozen lines.*?```python\n(.*?)```", readme, re.S).group(1)
    assert len(study.strip().splitlines()) <= 13
    with gunicorn(workers=1, threads=4, **BURST_LIFTED) as url:
        project = credentials(url)
        env = environment(url, project)
        run = subprocess.run(
            [sys.executable, "-c", study], env=env, capture_output=True, text=True, timeout=300
        )
    assert run.returncode == 0, run.stderr
    found = re.search(r"(\d+) videos by (\d+) accounts; (\d+) after one hop", run.stdout)
    assert found and 0 < int(found[2]) < int(found[3]), run.stdout
    assert "violent_hateful_orgs" in run.stdout  # the cluster's removals, by policy


def _stand_in(answer):
    """A client whose server is `answer(request) -> httpx.Response` (tokens always granted)."""

    def server(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v2/oauth/token/":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 7200})
        return answer(request)

    waits = []
    client = Client(
        "http://stand-in",
        "key",
        "secret",
        http_transport=httpx.MockTransport(server),
        on_wait=lambda reason, s: waits.append(s),
    )
    client.transport._sleep = lambda s: None
    return client, waits


def _envelope(status, code, message="", data=None, headers=None):
    body = {"data": data or {}, "error": {"code": code, "message": message, "log_id": "x"}}
    return httpx.Response(status, json=body, headers=headers or {})


def test_a_429_that_does_not_say_how_long_is_not_retried_forever():
    """Retry-After: 0 waits a second, and the retries are counted; a 429 that names no wait
    at all is raised at once rather than polled."""
    sent = []
    client, waits = _stand_in(
        lambda r: (
            sent.append(r) or _envelope(429, "rate_limit_exceeded", headers={"Retry-After": "0"})
        )
    )
    with pytest.raises(RateLimited):
        client.usage()
    assert waits and min(waits) >= 1 and len(sent) <= 101
    sent.clear()
    client, waits = _stand_in(lambda r: sent.append(r) or _envelope(429, "rate_limit_exceeded"))
    with pytest.raises(RateLimited):
        client.usage()
    assert len(sent) == 1 and waits == []


def test_creating_an_export_is_never_sent_twice():
    """A request that may have reached the server (a read timeout, a 503) is not sent again
    when it creates something; a listing is."""
    sent = []

    def server(request):
        sent.append(request.url.path)
        raise httpx.ReadTimeout("slow", request=request)

    client, _ = _stand_in(server)
    with pytest.raises(ApiError) as failed:
        client.exports.create("videos", query=VIDEOS, start_date=WINDOW[0], end_date=WINDOW[1])
    assert failed.value.code == "connection_error" and sent == ["/v2/research/export/"]
    sent.clear()
    client, _ = _stand_in(lambda r: sent.append(r.url.path) or _envelope(503, "internal_error"))
    with pytest.raises(ApiError):
        client.exports.create("videos", query=VIDEOS, start_date=WINDOW[0], end_date=WINDOW[1])
    assert sent == ["/v2/research/export/"]
    sent.clear()
    with pytest.raises(ApiError):
        client.usage()
    assert len(sent) == 1 + client.transport.max_retries


def test_a_server_that_is_not_there_is_reported_soon_and_named():
    client = Client("http://127.0.0.1:9", "key", "secret")  # the discard port: nothing listens
    client.transport._sleep = lambda s: None
    with pytest.raises(ApiError) as failed:
        client.usage()
    assert "cannot connect to http://127.0.0.1:9" in failed.value.message
    assert "RESEARCH_API_URL" in failed.value.message
