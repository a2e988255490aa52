"""Benchmarks of the research API against the physical limit of the stack.

The baseline is the same SQL the endpoint runs (research.sources.page_sql), executed with raw
psycopg (a client-side-binding cursor, as Django's) and the rows dumped with orjson, on the
same database in the same run. The service runs under gunicorn with production settings.
"""

import base64
import http.client
import json
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
PORT, RAW_PORT = 18741, 18742
WINDOW = ("20251101", "20261031")  # the synthetic platform's last 365 days
TARGETS = {
    "page_p50": 2.5,
    "page_p95": 4.0,
    "throughput": 0.6,
    "page_1000": 1.25,
    "keyword_p50": 10.0,
}


def _env(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-" + secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "RESEARCH_API_MASTER_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "DJANGO_SETTINGS_MODULE": "research_api.settings",
        "DJANGO_LOG_LEVEL": "WARNING",
        # Measure the service, not its limiter: the burst window is lifted (its accounting
        # still runs on every request, and section 6 measures what it costs).
        "RESEARCH_API_BURST_REQUESTS": "100000000",
    }


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 3),
        "n": len(ordered),
    }


def _post(port: int, path: str, body: bytes, token: str | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, data


def _timed(call, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def _gunicorn(app: str, port: int, env: dict, workers: int, threads: int = 1) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            *(["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []),
            "--log-level",
            "warning",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"gunicorn {app} did not start")


def _query(conditions: list, max_count: int = 100, **extra) -> dict:
    return {
        "query": {"and": conditions},
        "start_date": WINDOW[0],
        "end_date": WINDOW[1],
        "max_count": max_count,
        **extra,
    }


def _throughput(port: int, path: str, body: bytes, token, seconds: float, clients: int) -> float:
    stop = time.perf_counter() + seconds
    counts = [0] * clients

    def worker(i):
        while time.perf_counter() < stop:
            status, _ = _post(port, path, body, token)
            if status == 200:
                counts[i] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds


def run(url: str, repeat: int = 300) -> dict:
    env = _env(url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    provisioned = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "provision_project",
            "--owner",
            "bench@example.org",
            "--title",
            "Benchmark",
            "--scopes",
            "research.data.basic research.data.moderation",
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
    credentials = json.loads(provisioned.stdout)
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

    project = Project.objects.get(pk=credentials["project_id"])
    pseudonyms = Pseudonyms(keys.project_key(project.pseudonym_key))
    raw = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor)
    listing = BY_PATH["video/query"]
    select, _ = select_list(list(listing.fields.values()))

    def raw_sql(conditions, position=None):
        request = listing.request.model_validate(_query(conditions))
        params = listing.source.search_params(request, pseudonyms)
        return page_sql(
            listing.source,
            params,
            pseudonyms,
            select,
            snapshot=timezone.now(),
            seed=0,
            position=position,
            limit=101,
        )

    def raw_page(sql, params):
        with raw.cursor() as cursor:
            cursor.execute(sql, params)
            return orjson.dumps(cursor.fetchall())

    server = _gunicorn("research_api.wsgi", PORT, env, workers=2)
    results = {}
    try:
        token = _token(credentials)

        # 1. A page of 100 videos, all fields: HTTP (token, audit, pseudonyms) vs raw SQL.
        everything = [
            {
                "operation": "IN",
                "field_name": "video_length",
                "field_values": ["SHORT", "MID", "LONG", "EXTRA_LONG"],
            }
        ]
        sql, params = raw_sql(everything)
        raw_page(sql, params)
        baseline = _percentiles(_timed(lambda: raw_page(sql, params), repeat))
        request = orjson.dumps(_query(everything))
        status, _ = _post(PORT, "/v2/research/video/query/", request, token)
        assert status == 200, status
        http_page = _percentiles(
            _timed(lambda: _post(PORT, "/v2/research/video/query/", request, token), repeat)
        )
        results["page"] = {
            "raw_sql": baseline,
            "http": http_page,
            "ratio_p50": round(http_page["p50_ms"] / baseline["p50_ms"], 2),
            "ratio_p95": round(http_page["p95_ms"] / baseline["p95_ms"], 2),
        }

        # 1b. A page of 100 moderation decisions, all fields, with the decided video's
        # metadata: the decision query against the same targets.
        results["decision_page"] = _decision_page(raw, pseudonyms, token, repeat)

        # 2. Page 1,000 of a search vs its page 1 (same search_id).
        first = orjson.loads(_post(PORT, "/v2/research/video/query/", request, token)[1])["data"]
        search_id, cursor = first["search_id"], first["cursor"]
        for _ in range(999):
            page = orjson.loads(
                _post(
                    PORT,
                    "/v2/research/video/query/",
                    orjson.dumps(_query(everything, search_id=search_id, cursor=cursor)),
                    token,
                )[1]
            )["data"]
            cursor = page["cursor"]
        page_1000 = orjson.dumps(_query(everything, search_id=search_id, cursor=cursor - 100))
        page_1 = orjson.dumps(_query(everything, search_id=search_id, cursor=0))
        p1 = _percentiles(
            _timed(lambda: _post(PORT, "/v2/research/video/query/", page_1, token), repeat // 2)
        )
        p1000 = _percentiles(
            _timed(lambda: _post(PORT, "/v2/research/video/query/", page_1000, token), repeat // 2)
        )
        results["page_1000"] = {
            "page_1": p1,
            "page_1000": p1000,
            "cursor": cursor - 100,
            "ratio_p50": round(p1000["p50_ms"] / p1["p50_ms"], 2),
        }

        # 3. Keyword queries from very common to absent words.
        keyword_results = {}
        for word in (
            "the",
            "love",
            "weekend",
            "kalo",
            "fenmilo",
            "caliphate",
            "great replacement",
            "breshadullo",
            "zzzznotaword",
        ):
            conditions = [{"operation": "IN", "field_name": "keyword", "field_values": [word]}]
            sql, params = raw_sql(conditions)
            raw_page(sql, params)
            with raw.cursor() as c:
                count_sql = (
                    "SELECT count(*) FROM catalog_video v WHERE "
                    + sql.split(" WHERE ", 1)[1].split(" ORDER BY ")[0]
                )
                c.execute(count_sql, params[:-1])
                matches = c.fetchone()[0]
            word_baseline = _percentiles(
                _timed(lambda sql=sql, params=params: raw_page(sql, params), 40)
            )
            word_request = orjson.dumps(_query(conditions))
            word_http = _percentiles(
                _timed(
                    lambda body=word_request: _post(PORT, "/v2/research/video/query/", body, token),
                    40,
                )
            )
            keyword_results[word] = {
                "matches_in_window": matches,
                "raw_sql": word_baseline,
                "http": word_http,
                "ratio_p50": round(word_http["p50_ms"] / word_baseline["p50_ms"], 2),
            }
        results["keywords"] = keyword_results

        # 3b. An account's profile, and a page of 100 followers of the most followed account.
        results["accounts"] = _accounts(raw_page, pseudonyms, token, repeat)

        # 4. Throughput under gunicorn vs a minimal raw-SQL endpoint with the same settings.
        sql, params = raw_sql(everything)
        sql_file = ROOT / "bench" / "results" / "raw_query.json"
        sql_file.parent.mkdir(exist_ok=True)
        sql_file.write_bytes(
            orjson.dumps(
                {
                    "sql": sql,
                    "params": [
                        "\x01" + p.isoformat() if isinstance(p, datetime) else p for p in params
                    ],
                }
            )
        )
        raw_server = _gunicorn(
            "bench.raw_app:application",
            RAW_PORT,
            {**env, "RAW_DATABASE_URL": url, "RAW_SQL_FILE": str(sql_file)},
            workers=2,
        )
        try:
            raw_rps = _throughput(RAW_PORT, "/", b"{}", None, 10, 4)
        finally:
            raw_server.terminate()
            raw_server.wait()
        our_rps = _throughput(PORT, "/v2/research/video/query/", request, token, 10, 4)
        results["throughput"] = {
            "raw_endpoint_rps": round(raw_rps, 1),
            "service_rps": round(our_rps, 1),
            "ratio": round(our_rps / raw_rps, 2),
        }

        # 5. Pseudonyms alone: a page's ids and usernames.
        ids = list(range(1, 101))
        results["pseudonyms"] = {
            "100_video_ids_us": round(
                statistics.median(_timed(lambda: pseudonyms.encode("video", ids), 2000)) * 1e6, 1
            ),
            "100_usernames_us": round(
                statistics.median(_timed(lambda: pseudonyms.usernames(ids), 2000)) * 1e6, 1
            ),
        }

        # 6. Quota accounting: what the two conditional upserts add to a request's one
        # write statement (the standing is read with the token, see _quota_cost).
        results["quota_accounting"] = _quota_cost(project, credentials["client_key"], repeat)
        results["quota_accounting"]["share_of_page_p50"] = round(
            results["quota_accounting"]["p50_ms"] / http_page["p50_ms"], 3
        )
    finally:
        server.terminate()
        server.wait()
        raw.close()
    results["targets"] = TARGETS
    results["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    return results


def _accounts(raw_page, pseudonyms, token: str, repeat: int) -> dict:
    """User info and followers: HTTP against the same SQL run raw (research.sources)."""
    from django.db import connection
    from django.utils import timezone

    from research.listings import BY_PATH
    from research.rendering import select_list
    from research.sources import page_sql

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM catalog_creator ORDER BY follower_count DESC LIMIT 1")
        (creator,) = cursor.fetchone()
    username = pseudonyms.usernames([creator])[0]
    measured = {}
    for path, body, limit in (
        ("user/info", {"username": username}, 1),
        ("user/followers", {"username": username, "max_count": 100}, 101),
    ):
        listing = BY_PATH[path]
        select, _ = select_list(list(listing.fields.values()))
        sql, params = page_sql(
            listing.source,
            {"username": creator},
            pseudonyms,
            select,
            snapshot=timezone.now(),
            limit=limit,
        )
        raw_page(sql, params)
        baseline = _percentiles(
            _timed(lambda sql=sql, params=params: raw_page(sql, params), repeat)
        )
        request = orjson.dumps(body)
        url = f"/v2/research/{path}/"
        status, _ = _post(PORT, url, request, token)
        assert status == 200, (path, status)
        http = _percentiles(
            _timed(lambda url=url, request=request: _post(PORT, url, request, token), repeat)
        )
        measured[path] = {
            "raw_sql": baseline,
            "http": http,
            "ratio_p50": round(http["p50_ms"] / baseline["p50_ms"], 2),
        }
    return measured


def _decision_page(raw, pseudonyms, token: str, repeat: int) -> dict:
    from django.utils import timezone

    from research.listings import BY_PATH
    from research.rendering import select_list
    from research.sources import page_sql

    listing = BY_PATH["moderation/decision/query"]
    select, _ = select_list(list(listing.fields.values()))
    conditions = [
        {
            "operation": "IN",
            "field_name": "decision_visibility",
            "field_values": ["CONTENT_REMOVED", "CONTENT_DEMOTED", "CONTENT_AGE_RESTRICTED"],
        }
    ]
    body = _query(conditions)
    request = listing.request.model_validate(body)
    sql, params = page_sql(
        listing.source,
        listing.source.search_params(request, pseudonyms),
        pseudonyms,
        select,
        snapshot=timezone.now(),
        seed=0,
        position=None,
        limit=101,
    )

    def raw_page():
        with raw.cursor() as cursor:
            cursor.execute(sql, params)
            return orjson.dumps(cursor.fetchall())

    raw_page()
    baseline = _percentiles(_timed(raw_page, repeat))
    encoded = orjson.dumps(body)
    path = "/v2/research/moderation/decision/query/"
    status, _ = _post(PORT, path, encoded, token)
    assert status == 200, status
    http = _percentiles(_timed(lambda: _post(PORT, path, encoded, token), repeat))
    return {
        "raw_sql": baseline,
        "http": http,
        "ratio_p50": round(http["p50_ms"] / baseline["p50_ms"], 2),
        "ratio_p95": round(http["p95_ms"] / baseline["p95_ms"], 2),
    }


def summary(results: dict) -> list[str]:
    """One line per target of DESIGN.md: the measured ratio, the target and the verdict."""

    def line(what, ratio, target, higher_is_better=False):
        met = ratio >= target if higher_is_better else ratio <= target
        sign = ">=" if higher_is_better else "<="
        return f"{what:<42} {ratio:>6.2f}x  (target {sign} {target}x)  {'met' if met else 'MISSED'}"

    page = results["page"]
    lines = [
        line("page of 100 videos, p50 vs raw SQL", page["ratio_p50"], TARGETS["page_p50"]),
        line("page of 100 videos, p95 vs raw SQL", page["ratio_p95"], TARGETS["page_p95"]),
        line(
            "page of 100 decisions, p50 vs raw SQL",
            results["decision_page"]["ratio_p50"],
            TARGETS["page_p50"],
        ),
        line(
            "page of 100 decisions, p95 vs raw SQL",
            results["decision_page"]["ratio_p95"],
            TARGETS["page_p95"],
        ),
        line(
            "throughput vs raw-SQL endpoint",
            results["throughput"]["ratio"],
            TARGETS["throughput"],
            higher_is_better=True,
        ),
        line("page 1,000 vs page 1, p50", results["page_1000"]["ratio_p50"], TARGETS["page_1000"]),
    ]
    for word, measured in results["keywords"].items():
        lines.append(
            line(f"keyword {word!r} p50 vs raw SQL", measured["ratio_p50"], TARGETS["keyword_p50"])
        )
    for path, measured in results["accounts"].items():
        lines.append(f"{path + ' p50 vs raw SQL':<42} {measured['ratio_p50']:>6.2f}x")
    quota = results["quota_accounting"]
    lines.append(
        f"{'quota accounting per request':<42} {quota['p50_ms']:>6.3f} ms p50 "
        f"({quota['share_of_page_p50']:.1%} of the page's p50)"
    )
    return lines


def _quota_cost(project, client_key: str, repeat: int) -> dict:
    """What quota accounting adds to a request: the conclusion of a page request
    (research.settlement: audit entry, and with a meter the two debits) with and without
    the meter, and the Meter's own read of the standing (in a request it rides along with
    the token query instead)."""
    from django.utils import timezone

    from audit import events
    from audit.services import entry
    from quotas.models import Family
    from quotas.services import Meter, Standing, daily_limits, read_standing
    from research import settlement

    unused = {family: {"requests": 0, "records": 0} for family in Family.values}
    nothing_used = Standing(daily=unused, burst=0)
    limits = daily_limits(project, Family.VIDEOS)

    def conclude(metered: bool):
        now = timezone.now()
        meter = (
            Meter(project.id, limits, Family.VIDEOS, client_key, now, nothing_used)
            if metered
            else None
        )
        record = entry(events.DATA_READ, actor_label="bench", project=project, target="bench")
        settlement.conclude(record, meter=meter, records=100)

    def read():
        read_standing(project.id, client_key, timezone.now())

    conclude(True)
    with_meter = _percentiles(_timed(lambda: conclude(True), repeat))
    without = _percentiles(_timed(lambda: conclude(False), repeat))
    standing = _percentiles(_timed(read, repeat))
    return {
        "conclusion_with_meter": with_meter,
        "conclusion_without_meter": without,
        "standing_read_alone": standing,
        "p50_ms": round(with_meter["p50_ms"] - without["p50_ms"], 3),
    }


def _token(credentials: dict) -> str:
    form = (
        f"client_key={credentials['client_key']}&client_secret="
        f"{credentials['client_secret']}&grant_type=client_credentials"
    ).encode()
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    connection.request(
        "POST",
        "/v2/oauth/token/",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    return json.loads(connection.getresponse().read())["access_token"]


def growth(small: dict, large: dict) -> dict[str, float]:
    """How each p50 latency of the API benchmark grows from the `small` run to the `large`
    one (HTTP requests; their raw-SQL baselines are in the runs)."""

    def p50(run: dict, *path) -> float:
        value = run
        for key in path:
            value = value[key]
        return value["p50_ms"]

    measured = {
        "page of 100 videos": ("page", "http"),
        "page 1,000 of a search": ("page_1000", "page_1000"),
        "user info": ("accounts", "user/info", "http"),
        "100 followers": ("accounts", "user/followers", "http"),
        **{f"keyword {word!r}": ("keywords", word, "http") for word in small["keywords"]},
    }
    return {
        name: round(p50(large, *path) / p50(small, *path), 2) for name, path in measured.items()
    }
