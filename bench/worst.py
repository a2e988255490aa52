"""The worst queries the limits allow (research.query_language), and what they do to others.

1. Each worst allowed query alone, through HTTP (with the service's query time limit) and as
   its raw SQL (research.sources.page_sql with psycopg, no limit), on the same database.
2. Fairness: project A fires its worst query from 12 clients at once, without pause, more
   than the server's 8 threads; the per-project cap (RESEARCH_API_QUERIES_AT_ONCE, 2) lets
   two run and refuses the rest at once. Meanwhile project B runs an ordinary query over and
   over and /healthz is polled: their latencies under A's storm against the same requests on
   the idle server. Then the same storm with the cap lifted, for comparison.

The service runs under gunicorn, 2 processes x 4 threads, production settings.
"""

import json
import os
import subprocess
import sys
import threading
import time

import orjson

from bench.api import (
    PORT,
    ROOT,
    WINDOW,
    _env,
    _gunicorn,
    _percentiles,
    _post,
    _timed,
    _token,
)

VIDEO_QUERY = "/v2/research/video/query/"
STORM_CLIENTS = 12  # more than the server's 8 threads
STORM_SECONDS = 60


def _absent(i: int) -> str:
    return f"qzx{i:04d}vwk"  # no video says this


def _body(query: dict) -> dict:
    return {"query": query, "start_date": WINDOW[0], "end_date": WINDOW[1], "max_count": 100}


def worst_queries() -> dict[str, dict]:
    """The most expensive bodies the limits accept (50 conditions, 1,000 values, 300
    keywords in all), each aimed at its plan's weak spot: terms that match nothing, so the
    newest-first scan of the window finds no 100 rows to stop at."""
    return {
        "300 absent keywords": _body(
            {
                "and": [
                    {
                        "operation": "IN",
                        "field_name": "keyword",
                        "field_values": [_absent(i) for i in range(300)],
                    }
                ]
            }
        ),
        "1,000 absent hashtags": _body(
            {
                "and": [
                    {
                        "operation": "IN",
                        "field_name": "hashtag_name",
                        "field_values": [_absent(i) for i in range(1000)],
                    }
                ]
            }
        ),
        "50 or-conditions of 6 absent keywords": _body(
            {
                "or": [
                    {
                        "operation": "IN",
                        "field_name": "keyword",
                        "field_values": [_absent(6 * c + i) for i in range(6)],
                    }
                    for c in range(50)
                ]
            }
        ),
    }


def _provision(env: dict, owner: str) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "provision_project",
            "--owner",
            owner,
            "--title",
            owner,
            "--scopes",
            "research.data.basic",
            "--daily-requests",
            "100000000",
            "--daily-records",
            "10000000000",
            "--json",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


def _get(path: str) -> int:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
    connection.request("GET", path)
    status = connection.getresponse().status
    connection.close()
    return status


def run(url: str) -> dict:
    env = _env(url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    heavy, light = _provision(env, "heavy@example.org"), _provision(env, "light@example.org")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import psycopg
    from django.utils import timezone

    from accounts import keys
    from accounts.models import Project
    from research.listings import BY_PATH
    from research.pseudonyms import Pseudonyms
    from research.rendering import select_list
    from research.sources import page_sql

    listing = BY_PATH["video/query"]
    select, _ = select_list(list(listing.fields.values()))
    project = Project.objects.get(pk=heavy["project_id"])
    pseudonyms = Pseudonyms(keys.project_key(project.pseudonym_key))
    raw = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor)

    def raw_page(body: dict):
        request = listing.request.model_validate(body)
        params = listing.source.search_params(request, pseudonyms)
        sql, values = page_sql(
            listing.source,
            params,
            pseudonyms,
            select,
            snapshot=timezone.now(),
            seed=0,
            position=None,
            limit=101,
        )
        with raw.cursor() as cursor:
            cursor.execute(sql, values)
            return orjson.dumps(cursor.fetchall())

    server = _gunicorn("research_api.wsgi", PORT, env, workers=2, threads=4)
    results: dict = {"queries": {}}
    try:
        token_a = _token(heavy)
        timeout = int(env.get("RESEARCH_API_QUERY_TIMEOUT_SECONDS", 25))
        for name, body in worst_queries().items():
            started = time.perf_counter()
            raw_page(body)
            raw_seconds = time.perf_counter() - started
            encoded = orjson.dumps(body)
            started = time.perf_counter()
            status, answer = _post(PORT, VIDEO_QUERY, encoded, token_a)
            http_seconds = time.perf_counter() - started
            results["queries"][name] = {
                "raw_sql_s": round(raw_seconds, 2),
                "http_s": round(http_seconds, 2),
                "http_status": status,
                "error": orjson.loads(answer)["error"]["code"],
            }
            print(
                f"{name:<40} raw SQL {raw_seconds:6.2f} s   HTTP {http_seconds:6.2f} s "
                f"({status}, limit {timeout} s)",
                flush=True,
            )

    finally:
        server.terminate()
        server.wait(timeout=30)
        raw.close()
    # The storm twice, each on a fresh server: with the per-project cap, and with it lifted.
    results["fairness"] = {
        "capped": _storm(env, heavy, light),
        "uncapped": _storm({**env, "RESEARCH_API_QUERIES_AT_ONCE": "100000"}, heavy, light),
    }
    for line in summary(results):
        print(line)
    return results


def _storm(env: dict, heavy: dict, light: dict) -> dict:
    """Project A fires its worst query from STORM_CLIENTS clients without pause for
    STORM_SECONDS; project B's ordinary query and /healthz are timed meanwhile, and before
    on the idle server."""
    server = _gunicorn("research_api.wsgi", PORT, env, workers=2, threads=4)
    try:
        token_a, token_b = _token(heavy), _token(light)
        ordinary = orjson.dumps(
            _body(
                {
                    "and": [
                        {
                            "operation": "IN",
                            "field_name": "region_code",
                            "field_values": ["DE", "FR"],
                        }
                    ]
                }
            )
        )
        idle_b = _percentiles(_timed(lambda: _post(PORT, VIDEO_QUERY, ordinary, token_b), 50))
        idle_health = _percentiles(_timed(lambda: _get("/healthz"), 50))

        worst = orjson.dumps(worst_queries()["300 absent keywords"])
        stop = time.perf_counter() + STORM_SECONDS
        storm: dict[int, int] = {}
        lock = threading.Lock()

        def attacker():
            while time.perf_counter() < stop:
                status, _ = _post(PORT, VIDEO_QUERY, worst, token_a)
                with lock:
                    storm[status] = storm.get(status, 0) + 1
                if status == 429:
                    time.sleep(0.05)  # a client honouring Retry-After would wait a second

        def sample(call, into: list):
            while time.perf_counter() < stop:
                started = time.perf_counter()
                call()
                into.append(time.perf_counter() - started)
                time.sleep(0.1)

        b_samples: list[float] = []
        health_samples: list[float] = []
        threads = [threading.Thread(target=attacker) for _ in range(STORM_CLIENTS)]
        threads += [
            threading.Thread(
                target=sample,
                args=(lambda: _post(PORT, VIDEO_QUERY, ordinary, token_b), b_samples),
            ),
            threading.Thread(target=sample, args=(lambda: _get("/healthz"), health_samples)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return {
            "queries_at_once": env.get("RESEARCH_API_QUERIES_AT_ONCE", "2"),
            "storm": {
                "clients": STORM_CLIENTS,
                "seconds": STORM_SECONDS,
                "statuses": {str(k): v for k, v in sorted(storm.items())},
            },
            "other_project": {"idle": idle_b, "under_storm": _percentiles(b_samples)},
            "healthz": {"idle": idle_health, "under_storm": _percentiles(health_samples)},
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def summary(results: dict) -> list[str]:
    lines = []
    for label, fair in results["fairness"].items():
        lines.append(
            f"{label} (a project's queries at once: {fair['queries_at_once']}): project A's "
            f"storm {fair['storm']['statuses']} (status: requests)"
        )
        for who in ("other_project", "healthz"):
            idle, busy = fair[who]["idle"], fair[who]["under_storm"]
            lines.append(
                f"  {who:<14} p50 {idle['p50_ms']:8.1f} -> {busy['p50_ms']:8.1f} ms   "
                f"p95 {idle['p95_ms']:8.1f} -> {busy['p95_ms']:8.1f} ms   "
                f"(n={busy['n']})"
            )
    return lines
