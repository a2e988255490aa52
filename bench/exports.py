"""Export throughput and memory: an export run by the worker's own code (exports.services.run)
in a fresh process, on the 1M-video platform, per format and size; rows per second and the
process's peak resident memory (DESIGN.md: Parquet at >= 100,000 rows per second per worker;
the issue: memory flat as the export grows)."""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = [  # (resource, format, max_records)
    ("videos", "parquet", 100_000),
    ("videos", "csv", 100_000),
    ("videos", "jsonl", 100_000),
    ("comments", "parquet", 100_000),
    ("comments", "parquet", 1_000_000),
    ("comments", "csv", 1_000_000),
    ("comments", "jsonl", 1_000_000),
]
TARGET_ROWS_PER_SECOND = 100_000


def run(url: str) -> dict:
    from bench.api import _env

    env = _env(url)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    provisioned = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "provision_project",
            "--owner",
            "exports@example.org",
            "--title",
            "Export benchmark",
            "--scopes",
            "research.data.basic research.export",
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
    project_id = json.loads(provisioned.stdout)["project_id"]
    results = []
    for resource_name, format, records in CASES:
        done = subprocess.run(
            [sys.executable, __file__, project_id, resource_name, format, str(records)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"export benchmark failed:\n{done.stderr[-3000:]}")
        output = done.stdout
        measured = json.loads(output.splitlines()[-1])
        results.append(measured)
        print(
            f"{resource_name:9} {format:8} {measured['rows']:>9,} rows "
            f"{measured['rows_per_second']:>9,.0f} rows/s  "
            f"peak RSS {measured['peak_rss_mib']:,.0f} MiB"
        )
    return {"cases": results, "target_rows_per_second": TARGET_ROWS_PER_SECOND}


def _one(project_id: str, resource_name: str, format: str, records: int) -> dict:
    """In a fresh process: create the export as the API would, then time the worker's job."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from accounts import keys
    from accounts.models import Project
    from exports import services
    from exports.models import Export
    from quotas.services import read_standing
    from research.auth import ProjectCaller
    from research.pseudonyms import Pseudonyms

    settings.CELERY_BROKER_URL = None
    services.enqueue = lambda export_id: None  # the job runs below, timed, in this process
    project = Project.objects.get(pk=project_id)
    now = timezone.now()
    caller = ProjectCaller(
        project=project,
        client_id="bench",
        scopes=frozenset(project.scopes),
        pseudonyms=Pseudonyms(keys.project_key(project.pseudonym_key)),
        now=now,
        standing=read_standing(project.id, "bench", now),
    )
    export = services.create(
        caller,
        {
            "resource": resource_name,
            "format": format,
            "max_records": records,
            "query": {
                "and": [
                    {
                        "operation": "IN",
                        "field_name": "video_length",
                        "field_values": ["SHORT", "MID", "LONG", "EXTRA_LONG"],
                    }
                ]
            },
            "start_date": "20251101",
            "end_date": "20261031",
        },
    )
    connection.close()
    started = time.perf_counter()
    services.run(export.id)
    seconds = time.perf_counter() - started
    export = Export.objects.get(pk=export.id)
    assert export.status == "succeeded", export.error
    file = export.files.get()
    return {
        "resource": resource_name,
        "format": format,
        "rows": export.rows_written,
        "bytes": file.size,
        "seconds": round(seconds, 2),
        "rows_per_second": round(export.rows_written / seconds),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    os.chdir(ROOT)
    print(json.dumps(_one(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))))
