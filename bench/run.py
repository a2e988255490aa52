#!/usr/bin/env python
"""Research API benchmarks: `make bench` (or `python bench/run.py [--only NAME ...]`).

Benchmarks (see docs/benchmarks.md for results and how to read them):
  load   build a fresh PostgreSQL database and load the synthetic platform (1M videos by
         default) with seed_platform; target: at most 5 minutes.
  scrub  scrubbing throughput, on texts without personal data and on texts with it.
  api    the research API under gunicorn against raw SQL: a page, page 1,000 vs page 1,
         keywords from common to absent, user info, followers, throughput, pseudonym cost
         (loads the platform first unless --reuse finds it loaded).
  exports rows per second and peak memory of exports (videos and comments, each format,
         100k and 1M rows), by the worker's own code in a fresh process.
  worst  the worst queries the limits allow, alone (HTTP and raw SQL), and another
         project's latency and /healthz while one project fires them without pause.
  stats  moderation statistics slices at 1M and 10M decisions (a copy of the loaded
         platform), the service's code against its raw SQL, and the growth between them.
  growth the api benchmark at 1M and at 10M videos in one run, and each latency's growth
         (BENCH_10M_DATABASE_URL, default .../research_api_bench10m; load it first with
         --only load --videos 10000000).

The PostgreSQL server is BENCH_DATABASE_URL's (default postgres://postgres@127.0.0.1:5432/
research_api_bench); that database is dropped and recreated.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/research_api_bench"
DEFAULT_10M_URL = "postgres://postgres@127.0.0.1:5432/research_api_bench10m"
LOAD_TARGET_SECONDS = 300


def machine() -> dict:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = next(
        (
            int(line.split()[1]) // 1024 // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def recreate_database(url: str):
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
        version = conn.execute("SHOW server_version").fetchone()[0]
    return version


def bench_load(args) -> dict:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    version = recreate_database(url)
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "true"}
    manage("migrate", "-v0", env=env)
    started = time.perf_counter()
    result = manage("seed_platform", "--videos", str(args.videos), "--no-progress", env=env)
    seconds = time.perf_counter() - started
    print(result.stdout)
    return {
        "videos": args.videos,
        "postgresql": version,
        "seconds": round(seconds, 1),
        "target_seconds": LOAD_TARGET_SECONDS,
        "ratio_to_target": round(seconds / LOAD_TARGET_SECONDS, 2),
        "breakdown": result.stdout,
    }


def bench_scrub(args) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "research_api.settings_test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import numpy as np

    from catalog.scrub import VERSION, scrub
    from ingestion.synthetic.texts import TextMaker

    maker = TextMaker(np.random.default_rng(1), [f"user{i}" for i in range(1000)])
    n = 200_000
    languages = ["en", "de", "es", "pt", "id", "tr", "ru", "ar"] * (n // 8)
    plain = maker.words(languages, np.random.default_rng(2).integers(5, 19, n))
    kinds = ["email", "phone", "url", "mention"]
    with_pii = [maker.with_pii(t, kinds[i % 4], i % 1000) for i, t in enumerate(plain[:50_000])]
    known = {f"user{i}": i + 1 for i in range(1000)}.get
    # The labelled samples of tests/data: real-looking posts in 28 languages, half of them
    # full of look-alikes (dates, counts, prices, versions), scrubbed with their region.
    labelled = [
        (row["text"], row["region"])
        for name in ("scrub_tuning.jsonl", "scrub_heldout.jsonl", "scrub_heldout_b.jsonl")
        for row in map(json.loads, (ROOT / "tests" / "data" / name).read_text().splitlines())
    ]
    sets = {
        "plain": [(text, None) for text in plain],
        "with_pii": [(text, None) for text in with_pii],
        "labelled": labelled * (20_000 // len(labelled)),
    }
    results = {"scrubber_version": VERSION}
    for name, texts in sets.items():
        started = time.perf_counter()
        for text, region in texts:
            scrub(text, known, region)
        seconds = time.perf_counter() - started
        results[name] = {
            "texts": len(texts),
            "texts_per_second": round(len(texts) / seconds),
            "microseconds_per_text": round(seconds / len(texts) * 1e6, 2),
        }
        print(
            f"scrub {name:<9} {results[name]['texts_per_second']:>10,} texts/s "
            f"({results[name]['microseconds_per_text']} µs per text)"
        )
    return results


def bench_api(args) -> dict:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not args.reuse or _videos_in(url) < args.videos:
        bench_load(args)
    sys.path.insert(0, str(ROOT))
    from bench import api

    results = api.run(url)
    print(json.dumps(results, indent=2))
    print("\n".join(api.summary(results)))
    return results


def _videos_in(url: str) -> int:
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            return conn.execute("SELECT count(*) FROM catalog_video").fetchone()[0]
    except psycopg.Error:
        return 0


def bench_growth(args) -> dict:
    """The API benchmark on the 1M-video database and on the 10M one, in one run, and how
    each latency grows (DESIGN.md: at most 1.5x from 1M to 10M). Both must be loaded."""
    small = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    large = os.environ.get("BENCH_10M_DATABASE_URL", DEFAULT_10M_URL)
    for url, videos in ((small, 1_000_000), (large, 10_000_000)):
        if _videos_in(url) < videos:
            raise SystemExit(
                f"{url} does not hold {videos:,} videos: load it first "
                f"(BENCH_DATABASE_URL={url} python bench/run.py --only load --videos {videos})"
            )
    sys.path.insert(0, str(ROOT))
    from bench import api

    # Each run in a process of its own: Django reads its database settings once.
    runs = {"1M": _api_in_subprocess(small), "10M": _api_in_subprocess(large)}
    for label, run in runs.items():
        print(f"\n{label}:\n" + "\n".join(api.summary(run)))
    growth = api.growth(runs["1M"], runs["10M"])
    print("\ngrowth of each p50 from 1M to 10M videos:")
    print("\n".join(f"{name:<40} {ratio:>6.2f}x" for name, ratio in growth.items()))
    return {"runs": runs, "growth_10M_over_1M": growth}


def _api_in_subprocess(url: str) -> dict:
    code = (
        f"import json, sys; sys.path.insert(0, {str(ROOT)!r}); from bench import api; "
        f"print('RESULT ' + json.dumps(api.run({url!r})))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    (line,) = [line for line in output.splitlines() if line.startswith("RESULT ")]
    return json.loads(line.removeprefix("RESULT "))


def bench_exports(args) -> dict:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not args.reuse or _videos_in(url) < args.videos:
        bench_load(args)
    sys.path.insert(0, str(ROOT))
    from bench import exports

    return exports.run(url)


def bench_worst(args) -> dict:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not args.reuse or _videos_in(url) < args.videos:
        bench_load(args)
    sys.path.insert(0, str(ROOT))
    from bench import worst

    return worst.run(url)


def bench_stats(args) -> dict:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if _videos_in(url) < 1_000:
        raise SystemExit(f"{url} holds no platform: load it first (--only load)")
    sys.path.insert(0, str(ROOT))
    from bench import moderation_stats

    stats_url = os.environ.get("BENCH_STATS_DATABASE_URL", DEFAULT_URL + "_stats")
    sizes = tuple(
        int(s) for s in os.environ.get("BENCH_STATS_SIZES", "1000000,10000000").split(",")
    )
    return moderation_stats.run(url, stats_url, sizes)


BENCHMARKS = {
    "load": bench_load,
    "scrub": bench_scrub,
    "api": bench_api,
    "growth": bench_growth,
    "exports": bench_exports,
    "worst": bench_worst,
    "stats": bench_stats,
}


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, default=["scrub", "api"])
    parser.add_argument("--videos", type=int, default=1_000_000)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="api: use the benchmark database if it already holds the platform",
    )
    args = parser.parse_args()
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "results": {},
    }
    print(json.dumps(report["machine"], indent=2))
    for name in args.only:
        print(f"\n== {name}")
        report["results"][name] = BENCHMARKS[name](args)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    path.write_text(json.dumps(report, indent=2))
    if "load" in report["results"]:
        load = report["results"]["load"]
        print(
            f"\nload: {load['videos']:,} videos in {load['seconds']} s = "
            f"{load['ratio_to_target']}x the {LOAD_TARGET_SECONDS} s target"
        )
    print(f"results written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
