"""Moderation statistics at 1 million and 10 million decisions, against raw SQL.

A copy of the benchmark platform (research_api_bench, loaded by `--only load`), migrated to
the current schema, gets N decisions in place of its own, drawn in SQL with the platform's
proportions (policies by weight, each with its DSA category and one of its sub-policies; 40
markets, 91% of decisions in the market's language and 9% in any of the platform's languages,
as on the synthetic platform (8.9% in another language there, 8.6% here); 59% about videos,
40% about comments, the rest about accounts; 90% removals, most of them automated and before
any report; a year of action dates; appeals and reversals), inserted a million per statement
so the database's roll-up triggers (moderation.rollups) keep up as they do on ingest. Then
each slice is answered by the service's own code (research.statistics: the SQL, suppression
and rendering, or OpenDP's noise) and, as baselines, by its SQL alone through psycopg, and by
the SQL that counts the decisions themselves (what the service ran before roll-ups), on the
same database in the same run.
"""

import json
import os
import statistics as stats
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
WINDOW = {"start_date": "20251101", "end_date": "20261031"}
SLICES = {
    "overall rates": {"metrics": ["decisions", "proactive_rate", "removed_before_views_rate"]},
    "by policy, per month": {"group_by": ["policy"], "period": "month", "metrics": ["decisions"]},
    "by market and category": {
        "group_by": ["market", "category"],
        "metrics": ["decisions", "automated_share"],
    },
    "terrorism, detection method per quarter": {
        "group_by": ["detection_method"],
        "period": "quarter",
        "metrics": ["decisions", "proactive_rate", "views_at_removal"],
        "filter": {
            "and": [
                {
                    "operation": "EQ",
                    "field_name": "category",
                    "field_values": ["RISK_FOR_PUBLIC_SECURITY"],
                }
            ]
        },
    },
    "by policy and sub-policy, per week (Jan-Jun)": {
        "start_date": "20260101",
        "end_date": "20260630",
        "group_by": ["policy", "sub_policy"],
        "period": "week",
        "metrics": ["decisions", "removed_before_views_rate"],
    },
    "median hours to action, by policy per month": {
        "group_by": ["policy"],
        "period": "month",
        "metrics": ["decisions", "median_hours_to_action"],
    },
    "by market and detection method": {
        "group_by": ["market", "detection_method"],
        "metrics": ["decisions", "proactive_rate"],
    },
    "terrorism by market and detection, per week (Jan-Mar)": {  # about 2,500 cells
        "start_date": "20260101",
        "end_date": "20260331",
        "group_by": ["market", "detection_method"],
        "period": "week",
        "metrics": ["decisions"],
        "filter": {
            "and": [
                {
                    "operation": "EQ",
                    "field_name": "category",
                    "field_values": ["RISK_FOR_PUBLIC_SECURITY"],
                }
            ]
        },
    },
    "by market, ground and automated decision": {
        "group_by": ["market", "decision_ground", "automated_decision"],
        "metrics": ["decisions", "appeal_rate"],
    },
    "by language and restriction": {
        "group_by": ["content_language", "decision_visibility", "decision_account"],
        "metrics": ["decisions", "proactive_rate"],
    },
    "by sub-policy and market": {
        "group_by": ["sub_policy", "market"],
        "metrics": ["decisions", "removed_before_views_rate"],
    },
    "no roll-up: by market, language and ground": {
        "group_by": ["market", "content_language", "decision_ground"],
        "metrics": ["decisions"],
    },
    "private: by policy per quarter (rho 0.1)": {
        "group_by": ["policy"],
        "period": "quarter",
        "metrics": ["decisions", "proactive_rate"],
        "privacy": {"rho": 0.1},
    },
}
MARKETS = (
    "US en 14,ID id 9,BR pt 8,MX es 5,PK ur 4,PH tl 4,VN vi 4,RU ru 4,TR tr 4,DE de 4,GB en 4,"
    "FR fr 3,EG ar 3,TH th 3,SA ar 2,IT it 2,ES es 2,JP ja 2,NG en 2,IN hi 2,KR ko 1,PL pl 1,"
    "CO es 1,AR es 1,CA en 1,AU en 1,NL nl 1,MY ms 1,UA uk 1,RO ro 1,AE ar 1,KE en 1,ZA en 1,"
    "CL es 1,SE sv 1,BE fr 1,AT de 1,PT pt 1,IE en 1,CH de 1"
)


def _admin(url: str):
    import psycopg

    parts = urlparse(url)
    return psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True)


def prepare(source_url: str, url: str, decisions: int) -> float:
    """A copy of the platform at `source_url` as `url`, holding `decisions` generated
    decisions; returns the seconds the load took."""
    import psycopg

    name, source = urlparse(url).path.lstrip("/"), urlparse(source_url).path.lstrip("/")
    with _admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env=_environment(url),
        check=True,
    )
    markets = [m.split() for m in MARKETS.split(",")]
    weights = [int(w) for *_, w in markets]
    bounds, total = [], 0
    for w in weights:
        total += w
        bounds.append(total / sum(weights))
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute("TRUNCATE moderation_decision")
        conn.execute("SELECT setseed(0.42)")
        rollup_tables = [
            name
            for (name,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE tablename LIKE 'moderation_rollup_%'"
            )
        ]
        step = 1_000_000
        for first in range(0, decisions, step):
            conn.execute(
                _INSERT,
                {
                    "first": first,
                    "last": min(first + step, decisions) - 1,
                    "markets": [m for m, *_ in markets],
                    "languages": [lang for _, lang, _ in markets],
                    "spoken": sorted({lang for _, lang, _ in markets}),
                    "bounds": bounds,
                },
            )
            print(f"  {min(first + step, decisions):,} decisions", flush=True)
            # Each statement rewrites every week and month row it touches: vacuumed between
            # statements, as autovacuum would, their dead versions make room for the next
            # (without it, ten statements left the month roll-ups 10 to 20 times their size).
            conn.execute(f"VACUUM {', '.join(rollup_tables)}")
        conn.execute("VACUUM ANALYZE")  # autovacuum's steady state after the upserts
    return time.perf_counter() - started


def _environment(url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "true",
        "RESEARCH_API_VAR_DIR": str(ROOT / "var"),
        "DJANGO_SETTINGS_MODULE": "research_api.settings",
        "RESEARCH_API_QUERY_TIMEOUT_SECONDS": "600",
    }


_INSERT = """
WITH policy AS (
    SELECT array_agg(id ORDER BY id) AS ids, array_agg(dsa_category ORDER BY id) AS categories,
           array_agg(first ORDER BY id) AS firsts, array_agg(subs ORDER BY id) AS counts,
           count(*) AS n
    FROM (SELECT p.id, p.dsa_category,
                 (SELECT count(*) FROM moderation_policy c WHERE c.parent_id < p.id) AS first,
                 (SELECT count(*) FROM moderation_policy c WHERE c.parent_id = p.id) AS subs
          FROM moderation_policy p WHERE p.parent_id IS NULL) top
), children AS (
    SELECT array_agg(id ORDER BY parent_id, id) AS ids
    FROM moderation_policy WHERE parent_id IS NOT NULL
), creators AS (SELECT max(id) AS n FROM catalog_creator),
videos AS (SELECT max(id) AS n FROM catalog_video),
comments AS (SELECT max(id) AS n FROM catalog_comment),
rows AS (
    SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
           random() AS r6, random() AS r7, random() AS r8, random() AS r9
    FROM generate_series(%(first)s::bigint, %(last)s::bigint) g
), drawn AS (
    SELECT rows.*,
           1 + floor(r1 * r1 * policy.n)::int AS p,
           (SELECT min(i) FROM generate_subscripts(%(bounds)s::float8[], 1) i
            WHERE (%(bounds)s::float8[])[i] >= r2) AS m,
           timestamptz '2025-11-01 00:00+00' + r3 * interval '364 days' AS actioned,
           CASE WHEN r4 < 0.55 THEN 'CLASSIFIER' WHEN r4 < 0.75 THEN 'HASH_MATCH'
                WHEN r4 < 0.93 THEN 'USER_REPORT' WHEN r4 < 0.99 THEN 'TRUSTED_FLAGGER'
                ELSE 'AUTHORITY_ORDER' END AS method,
           CASE WHEN random() < 0.59 THEN 'video' WHEN random() < 0.98 THEN 'comment'
                ELSE 'account' END AS target,
           policy.ids, policy.categories, policy.firsts, policy.counts,
           children.ids AS children, creators.n AS creators, videos.n AS videos,
           comments.n AS comments
    FROM rows, policy, children, creators, videos, comments
)
INSERT INTO moderation_decision (
    platform_id, target_type, video_id, comment_id, creator_id, decision_visibility,
    decision_account, decision_ground, category, category_keywords, policy_id, sub_policy_id,
    source_type, detection_method, automated_detection, automated_decision, content_language,
    market, territorial_scope, content_created_at, first_detected_at, first_reported_at,
    actioned_at, views_at_action, appeal_filed_at, appeal_outcome, appeal_decided_at,
    reinstated_at, ingested_at, updated_at)
SELECT 9000000000000 + g, target,
       CASE WHEN target = 'video' THEN 1 + floor(random() * videos)::bigint END,
       CASE WHEN target = 'comment' THEN 1 + floor(random() * comments)::bigint END,
       1 + floor(r5 * r5 * creators)::bigint,
       CASE WHEN r6 < 0.9 THEN 'CONTENT_REMOVED' WHEN r6 < 0.97 THEN 'CONTENT_DEMOTED'
            ELSE 'CONTENT_AGE_RESTRICTED' END,
       CASE WHEN r7 < 0.02 THEN 'SUSPENDED' ELSE '' END,
       CASE WHEN r8 < 0.1 THEN 'ILLEGAL_CONTENT' ELSE 'INCOMPATIBLE_CONTENT' END,
       categories[p], '[]'::jsonb, ids[p],
       CASE WHEN counts[p] > 0 THEN children[firsts[p] + 1 + floor(random() * counts[p])::int]
       END,
       CASE WHEN method IN ('CLASSIFIER', 'HASH_MATCH') THEN 'SOURCE_VOLUNTARY'
            WHEN method = 'TRUSTED_FLAGGER' THEN 'SOURCE_TRUSTED_FLAGGER'
            ELSE 'SOURCE_TYPE_OTHER_NOTIFICATION' END,
       method, method IN ('CLASSIFIER', 'HASH_MATCH'),
       CASE WHEN method IN ('CLASSIFIER', 'HASH_MATCH') AND r9 < 0.8 THEN 'FULLY'
            WHEN r9 < 0.9 THEN 'PARTIALLY' ELSE 'NOT_AUTOMATED' END,
       CASE WHEN random() < 0.91 THEN (%(languages)s::text[])[m]
            ELSE (%(spoken)s::text[])[1 + floor(random() * cardinality(%(spoken)s::text[]))::int]
       END,
       (%(markets)s::text[])[m], '[]'::jsonb,
       actioned - interval '2 days' * r8, actioned - interval '1 day' * r8,
       CASE WHEN method IN ('CLASSIFIER', 'HASH_MATCH') THEN NULL
            ELSE actioned - interval '30 hours' * r9 END,
       actioned,
       CASE WHEN r7 < 0.9 THEN 0 ELSE floor(exp(r9 * 14))::bigint END,
       CASE WHEN r5 < 0.06 THEN actioned + interval '1 day' END,
       CASE WHEN r5 < 0.018 THEN 'REVERSED' WHEN r5 < 0.05 THEN 'UPHELD' ELSE '' END,
       CASE WHEN r5 < 0.05 THEN actioned + interval '5 days' END,
       CASE WHEN r5 < 0.018 THEN actioned + interval '5 days' END,
       timestamptz '2026-11-01 00:00+00', timestamptz '2026-11-01 00:00+00'
FROM drawn
"""


def measure(url: str, repeat: int) -> dict:
    """Each slice through the service's code and as raw SQL, in a process reading `url`."""
    code = (
        f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); from bench import moderation_stats; "
        f"print('RESULT ' + json.dumps(moderation_stats._measure_here({repeat})))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_environment(url),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    (line,) = [line for line in output.splitlines() if line.startswith("RESULT ")]
    return json.loads(line.removeprefix("RESULT "))


def _measure_here(repeat: int) -> dict:
    import django

    django.setup()
    import psycopg
    from django.conf import settings
    from django.utils import timezone

    from research import statistics

    db = settings.DATABASES["default"]
    raw_connection = psycopg.connect(
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        dbname=db["NAME"],
        autocommit=True,
        cursor_factory=psycopg.ClientCursor,
    )
    from moderation import rollups

    with raw_connection.cursor() as cursor:
        counted = {}
        for table in rollups.TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")
            counted[table.removeprefix("moderation_rollup_")] = cursor.fetchone()[0]
    results = {"rollup_rows": counted}
    for name, body in SLICES.items():
        request = statistics.StatsRequest.model_validate({**WINDOW, **body})
        question = statistics.Question(request, None, timezone.now())
        private = request.privacy is not None

        def service(question=question, private=private):
            if private:
                cells, _ = statistics.private_cells(question, None)
                return statistics.render(question, cells, [], private=True)
            cells, totals = statistics.exact_cells(question, None)
            return statistics.render(question, cells, totals, private=False)

        def raw(question, private=private):
            text, params = statistics.counts_sql(question)

            def run(text=text, params=params):
                with raw_connection.cursor() as cursor:
                    cursor.execute(text, params)
                    return cursor.fetchall()

            return run

        direct = statistics.Question(request, None, timezone.now(), use_rollups=False)
        baseline, decisions = raw(question), raw(direct)
        service(), baseline(), decisions()  # warm
        ours = [_time(service) for _ in range(repeat)]
        theirs = [_time(baseline) for _ in range(repeat)]
        scans = [_time(decisions) for _ in range(repeat)]
        results[name] = {
            "source": f"{question.rollup.name} roll-up" if question.rollup else "decisions",
            "service_p50_ms": round(stats.median(ours) * 1000, 1),
            "raw_sql_p50_ms": round(stats.median(theirs) * 1000, 1),
            "decisions_sql_p50_ms": round(stats.median(scans) * 1000, 1),
            "cells": len(service()["cells"]),
        }
    return results


def _time(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def run(source_url: str, url: str, sizes=(1_000_000, 10_000_000), repeat: int = 3) -> dict:
    results = {}
    for size in sizes:
        print(f"loading {size:,} decisions", flush=True)
        seconds = prepare(source_url, url, size)
        print(f"  loaded in {seconds:.0f} s", flush=True)
        results[f"{size:,}"] = {"load_seconds": round(seconds, 1), "slices": measure(url, repeat)}
        slices = results[f"{size:,}"]["slices"]
        print(f"  roll-up rows: {slices['rollup_rows']}")
        for name, row in slices.items():
            if name == "rollup_rows":
                continue
            ratio = row["service_p50_ms"] / row["raw_sql_p50_ms"]
            print(
                f"  {name:<44} service {row['service_p50_ms']:>8.1f} ms   its SQL "
                f"{row['raw_sql_p50_ms']:>8.1f} ms   ({ratio:.2f}x)"
                f"   counting decisions {row['decisions_sql_p50_ms']:>8.1f} ms"
                f"   [{row['source']}, {row['cells']} cells]",
                flush=True,
            )
    with _admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{urlparse(url).path.lstrip("/")}"')
    if len(sizes) == 2:
        small, large = (results[f"{s:,}"]["slices"] for s in sizes)
        results["growth"] = {
            name: round(large[name]["service_p50_ms"] / small[name]["service_p50_ms"], 2)
            for name in small
            if name != "rollup_rows"
        }
        print("growth from 1M to 10M decisions (service p50):")
        for name, ratio in results["growth"].items():
            print(f"  {name:<42} {ratio:>6.2f}x")
    return results
